"""One patient's findings as a frozen, validated record.

:class:`Findings` is generated from the field table in :mod:`mastolib.tables._fields`, so the fields,
their units, ranges and the widget metadata have one source. Every field defaults to ``None``,
which means *not assessed* — never the same as a negative finding.

Contradictions
--------------
A small set of combinations cannot describe a real work-up and are rejected when the record is
built (:data:`CONTRADICTIONS`):

* ``bm_examined=False`` together with a marrow-only value (``bm_mc_infiltration_pct``,
  ``bm_smear_mc_pct``, ``smear_mc_immature``). Aggregates, atypical-cell share and KIT can
  come from another organ or from blood, so they are allowed without a marrow study.
* ``kit_d816v=False`` with ``kit_d816v_vaf_pct > 0``.
* ``associated_neoplasm`` without ``associated_neoplasm_lineage`` or the other way round.
* ``liver_dysfunction=True`` with ``hepatomegaly=False`` and ``hypersplenism=True`` with
  ``splenomegaly=False`` (the C-findings are defined as organ enlargement *with* dysfunction).
* ``skin_lesion_type="none"`` with lesions counted, a positive Darier's sign or an MPCM
  pattern; an MPCM pattern with another lesion type; MPCM or mastocytoma with 0 lesions.

The checks are rule expressions (:mod:`mastolib.engine._logic`), so :func:`mastolib.diagnose_frame`
applies exactly the same checks to a whole table.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from dataclasses import dataclass

from ..tables._fields import (
    FIELD_NAMES,
    FIELD_SPECS,
    FIELDS,
    InputError,
    check_value,
    coerce_value,
    human_label,
    plain,
    shown,
)
from ._logic import All, Any, Compare, Expr, Flag, IsIn, Not, Present, ScalarEnv, VectorEnv


@dataclass(frozen=True)
class Contradiction:
    """A combination of findings that cannot be true together.

    Parameters
    ----------
    id : str
        snake_case id.
    fields : tuple of str
        Fields named in the error message.
    expr : Expr
        True when the contradiction is present (three-valued: unknown never triggers).
    message : str
        Why the combination is rejected.
    """

    id: str
    fields: tuple
    expr: Expr
    message: str


_MARROW_ONLY = ("bm_mc_infiltration_pct", "bm_smear_mc_pct", "smear_mc_immature")

CONTRADICTIONS: tuple[Contradiction, ...] = (
    Contradiction(
        "marrow_values_without_marrow", ("bm_examined",) + _MARROW_ONLY,
        All(Flag("bm_examined", False), Any(*(Present(f) for f in _MARROW_ONLY))),
        "bone-marrow values are given although the marrow was not examined; mark the marrow "
        "as examined or leave the marrow-only values empty (not assessed)"),
    Contradiction(
        "vaf_without_d816v", ("kit_d816v", "kit_d816v_vaf_pct"),
        All(Flag("kit_d816v", False), Compare("kit_d816v_vaf_pct", ">", 0)),
        "a KIT D816V allele fraction above 0 % means the mutation was found"),
    Contradiction(
        "lineage_without_neoplasm", ("associated_neoplasm_lineage", "associated_neoplasm"),
        All(Present("associated_neoplasm_lineage"), Not(Present("associated_neoplasm"))),
        "a lineage is given but no associated neoplasm is named"),
    Contradiction(
        "neoplasm_without_lineage", ("associated_neoplasm", "associated_neoplasm_lineage"),
        All(Present("associated_neoplasm"), Not(Present("associated_neoplasm_lineage"))),
        "an associated neoplasm needs its lineage ('myeloid' or 'lymphoid'): WHO and ICC "
        "treat the two lineages differently"),
    Contradiction(
        "liver_dysfunction_without_hepatomegaly", ("liver_dysfunction", "hepatomegaly"),
        All(Flag("liver_dysfunction"), Flag("hepatomegaly", False)),
        "the liver C-finding is hepatomegaly *with* dysfunction; liver dysfunction is only "
        "recorded together with hepatomegaly (leave hepatomegaly empty if not assessed)"),
    Contradiction(
        "hypersplenism_without_splenomegaly", ("hypersplenism", "splenomegaly"),
        All(Flag("hypersplenism"), Flag("splenomegaly", False)),
        "hypersplenism is recorded only together with splenomegaly"),
    Contradiction(
        "lesion_details_without_lesions",
        ("skin_lesion_type", "skin_lesion_count", "darier_sign", "mpcm_pattern"),
        All(IsIn("skin_lesion_type", ("none",)),
            Any(Compare("skin_lesion_count", ">", 0), Flag("darier_sign"),
                Present("mpcm_pattern"))),
        "the skin lesion type is 'none' but lesions, a positive Darier's sign or an MPCM "
        "pattern are recorded"),
    Contradiction(
        "mpcm_pattern_with_other_type", ("mpcm_pattern", "skin_lesion_type"),
        All(Present("mpcm_pattern"), IsIn("skin_lesion_type", ("DCM", "mastocytoma"))),
        "the MPCM pattern describes MPCM lesions only"),
    Contradiction(
        "lesion_type_without_lesions", ("skin_lesion_type", "skin_lesion_count"),
        All(IsIn("skin_lesion_type", ("MPCM", "DCM", "mastocytoma")),
            Compare("skin_lesion_count", "==", 0)),
        "MPCM, DCM or mastocytoma needs at least one lesion (number of skin lesions >= 1)"),
    # Plausibility (issue 17, rule 6): combinations no specimen can show.
    Contradiction(
        "aggregates_without_infiltration",
        ("mc_aggregates_ge15", "bm_mc_infiltration_pct", "aggregates_site"),
        All(Flag("mc_aggregates_ge15"), Compare("bm_mc_infiltration_pct", "==", 0),
            Not(IsIn("aggregates_site", ("other_organ", "skin"), missing=False))),
        "dense mast cell aggregates in the marrow mean a marrow infiltration above 0 %; "
        "record the infiltration, or give the site of the aggregates if they were found "
        "outside the marrow"),
    Contradiction(
        "blood_mc_without_smear_mc", ("pb_mc_pct", "bm_smear_mc_pct"),
        All(Compare("pb_mc_pct", ">", 0), Compare("bm_smear_mc_pct", "==", 0)),
        "circulating mast cells with 0 % mast cells on the marrow smear cannot both be "
        "right; check both counts"),
    Contradiction(
        "kit_site_without_kit", ("kit_site", "kit_d816v", "kit_other_activating"),
        All(Present("kit_site"), Flag("kit_d816v", False), Flag("kit_other_activating", False)),
        "a specimen site for the KIT variant is given but no KIT variant was found"),
    Contradiction(
        "aggregates_site_without_aggregates", ("aggregates_site", "mc_aggregates_ge15"),
        All(Present("aggregates_site"), Flag("mc_aggregates_ge15", False)),
        "a site for the mast cell aggregates is given but no aggregates were found"),
)


class ContradictionError(InputError):
    """Contradictory findings: an :class:`InputError` whose ``field`` is the first field named
    and whose message lists every field involved by its label (``.fields`` holds the ids)."""

    def __init__(self, field, label, value, allowed, reason="", where="", fields=()):
        ValueError.__init__(self, f"{where + ': ' if where else ''}contradictory findings "
                            f"({label}): {allowed}")
        self.field, self.label, self.value, self.allowed = field, label, value, allowed
        self.reason, self.where, self.fields = reason, where, tuple(fields) or (field,)

    def __reduce__(self):
        return (type(self), (self.field, self.label, self.value, self.allowed, self.reason,
                             self.where, self.fields))


def contradiction_error(c: Contradiction, values: dict, where: str = "") -> ContradictionError:
    given = [f for f in c.fields if values.get(f) is not None and values.get(f) == values.get(f)]
    text = ", ".join(f"{human_label(FIELD_SPECS[f])} = {shown(values.get(f))}" for f in given)
    return ContradictionError(c.fields[0], text, {f: plain(values.get(f)) for f in given},
                              c.message, "", where, c.fields)


class _FindingsBase:
    """Methods of :class:`Findings` (the fields themselves come from the field table)."""

    def __post_init__(self):
        for spec in FIELDS:
            value = check_value(spec, getattr(self, spec.name))
            object.__setattr__(self, spec.name, value)
        values = self.to_dict()
        env = ScalarEnv(values)
        for c in CONTRADICTIONS:
            if c.expr.tri(env) is True:
                raise contradiction_error(c, values)

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, mapping, ignore=()):
        """Build findings from a dict of CSV-style values (a case-table row, a form).

        Parameters
        ----------
        mapping : Mapping
            Field -> value. ``""``, ``"NA"``, ``"nan"``, NaN and ``pandas.NA`` mean not
            assessed; flags may be ``"true"``/``"yes"``/``"1"``/``"false"``/``"no"``/``"0"``;
            numbers may be numeric text.
        ignore : iterable of str
            Keys to skip (e.g. case-table columns such as ``case_id``). Any other unknown key
            raises ``ValueError``.

        Examples
        --------
        >>> import mastolib as ml
        >>> ml.Findings.from_mapping({"case_id": "c1", "bst_ng_ml": "32", "cd25": "yes"},
        ...                          ignore=["case_id"])
        Findings(cd25=True, bst_ng_ml=32.0)
        """
        ignore = set(ignore)
        unknown = [k for k in mapping.keys() if k not in FIELD_SPECS and k not in ignore]
        if unknown:
            raise ValueError(
                f"unknown findings field(s) {unknown}; pass them in ignore=[...] if they are "
                f"meta columns. Known fields: {list(FIELD_NAMES)}"
            )
        values = {k: coerce_value(FIELD_SPECS[k], v) for k, v in mapping.items()
                  if k in FIELD_SPECS}
        return cls(**values)

    @staticmethod
    def field_names() -> tuple[str, ...]:
        """Field ids in display order."""
        return FIELD_NAMES

    @staticmethod
    def field_specs() -> tuple:
        """Metadata of every field (:class:`FieldSpec`: label, unit, kind, range/choices,
        group), in display order — enough for a widget app to build its controls."""
        return FIELDS

    @staticmethod
    def field_spec(name: str):
        """Metadata of one field; unknown names raise ``ValueError`` listing valid ones."""
        try:
            return FIELD_SPECS[name]
        except KeyError:
            raise ValueError(f"unknown findings field {name!r}; known: {list(FIELD_NAMES)}") \
                from None

    @staticmethod
    def fields_frame():
        """The field metadata as a pandas DataFrame (one row per field)."""
        import pandas as pd

        return pd.DataFrame([spec.as_dict() for spec in FIELDS])

    # -- use -------------------------------------------------------------------------------
    def replace(self, **changes):
        """Return a new, re-validated Findings with some fields changed.

        Unknown field names raise ``ValueError`` naming them.
        """
        unknown = [k for k in changes if k not in FIELD_SPECS]
        if unknown:
            raise ValueError(f"unknown findings field(s) {unknown}; known: {list(FIELD_NAMES)}")
        return dataclasses.replace(self, **changes)

    def to_dict(self, assessed_only: bool = False) -> dict:
        """Field -> value (``None`` = not assessed); ``assessed_only`` drops the ``None``s."""
        out = {name: getattr(self, name) for name in FIELD_NAMES}
        if assessed_only:
            out = {k: v for k, v in out.items() if v is not None}
        return out

    def assessed(self) -> tuple[str, ...]:
        """Names of the fields that hold a value."""
        return tuple(self.to_dict(assessed_only=True))

    def __repr__(self):
        parts = ", ".join(f"{k}={v!r}" for k, v in self.to_dict(assessed_only=True).items())
        return f"Findings({parts})"


def _docstring() -> str:
    lines = [
        "Frozen, validated record of one patient's findings (education only).",
        "",
        "Every field is optional and defaults to ``None`` = *not assessed*, which is never",
        "the same as a negative finding. Bad values (wrong type, NaN/infinity, out of range,",
        "unknown category or field) and contradictory combinations raise ``ValueError``",
        "naming the field(s), the value and what is allowed.",
        "",
        "Parameters",
        "----------",
    ]
    for spec in FIELDS:
        unit = f", {spec.unit}" if spec.unit else ""
        lines.append(f"{spec.name} : {spec.kind}{unit}, optional")
        lines.append(f"    {spec.label}. Allowed: {spec.allowed}." + (
            f" {spec.help}" if spec.help else ""))
    lines += [
        "",
        "Examples",
        "--------",
        ">>> import mastolib as ml",
        ">>> f = ml.Findings(mc_aggregates_ge15=True, cd25=True, bst_ng_ml=35)",
        ">>> f.bst_ng_ml",
        "35.0",
        ">>> f.replace(bst_ng_ml=12).bst_ng_ml",
        "12.0",
    ]
    return "\n".join(lines)


Findings = dataclasses.make_dataclass(
    "Findings",
    [(spec.name, object, dataclasses.field(default=None)) for spec in FIELDS],
    bases=(_FindingsBase,),
    frozen=True,
    repr=False,
    namespace={"__doc__": _docstring(), "__module__": __name__},
)
Findings.__qualname__ = "Findings"
_generated_init = Findings.__init__


@functools.wraps(_generated_init)
def _init(self, *args, **kwargs):
    if args:
        raise ValueError("Findings takes keyword arguments only, e.g. Findings(bst_ng_ml=35)")
    unknown = [k for k in kwargs if k not in FIELD_SPECS]
    if unknown:
        close = {k: difflib.get_close_matches(k, FIELD_NAMES, n=1) for k in unknown}
        hints = "; ".join(f"{k!r} (did you mean {v[0]!r}?)" if v else repr(k)
                          for k, v in close.items())
        raise ValueError(f"unknown findings field(s): {hints}. Known fields: {list(FIELD_NAMES)}")
    _generated_init(self, **kwargs)


Findings.__init__ = _init


def as_findings(findings) -> Findings:
    """Accept a :class:`Findings` or a mapping (CSV-style values allowed)."""
    if isinstance(findings, Findings):
        return findings
    if hasattr(findings, "keys"):
        return Findings.from_mapping(dict(findings))
    raise ValueError(
        f"expected mastolib.Findings or a dict of findings, not {type(findings).__name__}"
    )


# ------------------------------------------------------------------ whole tables (vectorised)

def _fast_values(spec, series):
    """Column values -> floats (flags 1/0, categories as choice index, text 1; NaN = missing).

    Missing cells are found with one vectorised ``isna``; plain values then take a dictionary
    fast path, and anything else goes through :func:`coerce_value`, so a table is read exactly
    like ``Findings.from_mapping`` reads a row.
    """
    import numpy as np

    kind = spec.kind
    if kind == "bool":
        table = {True: 1.0, False: 0.0}
    elif kind == "choice":
        table = {c: float(i) for i, c in enumerate(spec.choices)}
    else:
        table = {}
    numeric = kind in ("float", "int")
    out = np.full(len(series), np.nan)
    present = np.flatnonzero(~series.isna().to_numpy())
    values = series.to_numpy(dtype=object)[present].tolist()
    if numeric and all(type(v) in (float, int) for v in values):
        try:
            out[present] = values
            return out
        except OverflowError:  # a whole number too large for float64: report it below
            pass

    def slow(v):
        value = coerce_value(spec, v)
        if value is None:
            return np.nan
        if kind == "bool":
            return 1.0 if value else 0.0
        if kind == "choice":
            return float(spec.choices.index(value))
        return 1.0 if kind == "text" else float(value)

    converted = []
    for v in values:
        if numeric and type(v) is float:
            converted.append(v)
            continue
        try:
            code = table.get(v)
        except TypeError:  # unhashable cell, e.g. a list
            code = None
        converted.append(slow(v) if code is None else code)
    out[present] = converted
    return out


def _column(spec, series, index):
    import numpy as np
    import pandas as pd

    def fail(position, value, reason=""):
        where = f"row {plain(index[position])!r}"
        try:
            coerce_value(spec, value)
        except InputError as exc:
            raise exc.at(where) from None
        except (ValueError, TypeError, OverflowError):
            pass
        raise InputError(spec.name, human_label(spec), value, spec.allowed, reason, where)

    dtype = series.dtype
    if pd.api.types.is_complex_dtype(dtype):
        known = np.flatnonzero(~series.isna().to_numpy())
        if known.size:
            fail(int(known[0]), series.iloc[int(known[0])], "a complex number")
    numeric = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
    if pd.api.types.is_bool_dtype(dtype) or numeric:
        arr = series.to_numpy(dtype="float64", na_value=np.nan)
        known = ~np.isnan(arr)
        if pd.api.types.is_bool_dtype(dtype) and spec.kind != "bool" and known.any():
            position = int(np.flatnonzero(known)[0])
            fail(position, series.iloc[position], "a flag is not a number")
        if spec.kind == "bool":
            bad = known & (arr != 0.0) & (arr != 1.0)
            if bad.any():
                position = int(np.flatnonzero(bad)[0])
                fail(position, series.iloc[position], "flags are True/False or 1/0")
        elif spec.kind in ("choice", "text") and known.any():
            position = int(np.flatnonzero(known)[0])
            fail(position, series.iloc[position], "expected text")
    else:
        arr = _fast_values(spec, series)
    if spec.kind in ("float", "int"):
        with np.errstate(invalid="ignore"):
            bad = np.isinf(arr)
            if spec.kind == "int":
                bad |= ~np.isnan(arr) & (arr != np.floor(arr))
            if spec.low is not None:
                bad |= arr < spec.low
            if spec.high is not None:
                bad |= arr > spec.high
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            value = arr[position]
            if spec.kind == "int" and np.isfinite(value) and value == np.floor(value):
                value = int(value)
            fail(position, series.iloc[position], "out of range")
    return arr


def frame_columns(frame, ignore=()):
    """Validate a findings table and return ``({field: float64 array}, n_rows)``.

    Columns are read like :meth:`Findings.from_mapping` reads one row (NaN/``""``/``"NA"``
    = not assessed, CSV spellings of flags, numeric text); absent columns are not assessed.
    Bad values and contradictions raise ``ValueError`` naming the row index, field and value.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"the findings table must be a pandas DataFrame (one row per patient, "
                        f"one column per field), not {type(frame).__name__}; wrap one patient "
                        f"in ml.Findings(...) and use ml.diagnose instead")
    ignore = set(ignore)
    unknown = [c for c in frame.columns if c not in FIELD_SPECS and c not in ignore]
    if unknown:
        raise ValueError(
            f"unknown findings column(s) {unknown}; pass them in ignore=[...] if they are "
            f"meta columns. Known fields: {list(FIELD_NAMES)}"
        )
    if frame.columns.duplicated().any():
        raise ValueError(f"duplicate column names: {list(frame.columns[frame.columns.duplicated()])}")
    columns = {}
    for spec in FIELDS:
        if spec.name in frame.columns:
            columns[spec.name] = _column(spec, frame[spec.name], frame.index)
    n = len(frame)
    env = VectorEnv(columns, n)
    for c in CONTRADICTIONS:
        hit, _ = c.expr.tri(env)
        if hit.any():
            position = int(hit.nonzero()[0][0])
            row = {f: frame[f].iloc[position] for f in c.fields if f in frame.columns}
            raise contradiction_error(c, row, where=f"row {frame.index[position]!r}")
    return columns, n
