"""The findings fields: one table of metadata shared by validation, rules and widget apps.

Every input the clinical engine understands is described once here as a :class:`FieldSpec`
(id, label for people, unit, kind, allowed range or choices, group). :class:`mastolib.Findings`
validates against these specs, the rule expressions check their field names against them, and a
widget app can build its controls from them (``ml.Findings.field_specs()``).

Abbreviations used in labels: MC = mast cell, BM = bone marrow, PB = peripheral blood,
BST = basal serum tryptase, HαT = hereditary alpha-tryptasemia, VAF = variant allele fraction,
MPCM = maculopapular cutaneous mastocytosis, DCM = diffuse cutaneous mastocytosis,
MCAS = mast cell activation syndrome.
"""

from __future__ import annotations

import csv
import math
import numbers
from dataclasses import asdict, dataclass

from ._paths import data_path

KINDS = ("float", "int", "bool", "choice", "text")
GROUPS = ("patient", "skin", "marrow", "molecular", "immunophenotype", "tryptase", "organs",
          "blood", "clinical")

# CSV-style spellings accepted by Findings.from_mapping (same sets as mastolib.tables._data).
MISSING_TEXT = frozenset({"", "na", "nan", "n/a"})
TRUE_TEXT = frozenset({"true", "yes", "1", "y", "t"})
FALSE_TEXT = frozenset({"false", "no", "0", "n", "f"})


def bool_from_text(text: str):
    """True / False for a recognised spelling (``"yes"``, ``"0"``, ...; any case), else None."""
    low = text.strip().lower()
    return True if low in TRUE_TEXT else False if low in FALSE_TEXT else None


def number_from_text(text: str) -> float:
    """The finite number written in ``text`` (a CSV cell, a typed box; spaces around allowed).

    Raises
    ------
    ValueError
        whose message is only the reason, ``"not a number"`` or ``"not a finite number"``
        (``nan``, ``inf``): each caller names its field or box and adds its own hint.
    """
    try:
        number = float(text)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


@dataclass(frozen=True)
class FieldSpec:
    """Metadata of one findings field.

    Parameters
    ----------
    name : str
        snake_case id with the unit in the name where there is one (``bst_ng_ml``).
    label : str
        Short text for people (widget descriptions, tables).
    kind : {"float", "int", "bool", "choice", "text"}
        Value type. ``None`` always means *not assessed*.
    group : str
        One of :data:`GROUPS`, used to lay out controls.
    unit : str
        Unit for people ("" when unitless).
    low, high : float or None
        Inclusive bounds for numbers (``None`` = unbounded).
    choices : tuple of str
        Allowed values of a ``"choice"`` field.
    help : str
        One sentence on what the field means.
    """

    name: str
    label: str
    kind: str
    group: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple = ()
    help: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"FieldSpec {self.name!r}: kind {self.kind!r} not in {KINDS}")
        if self.group not in GROUPS:
            raise ValueError(f"FieldSpec {self.name!r}: group {self.group!r} not in {GROUPS}")
        if (self.kind == "choice") != bool(self.choices):
            raise ValueError(f"FieldSpec {self.name!r}: choices go with kind 'choice' only")

    @property
    def allowed(self) -> str:
        """Plain-language description of the allowed values (used in error messages)."""
        unit = f" {self.unit}" if self.unit else ""
        if self.kind == "bool":
            return "True or False (None = not assessed)"
        if self.kind == "choice":
            return f"one of {list(self.choices)} (None = not assessed)"
        if self.kind == "text":
            return "a non-empty text (None = not recorded)"
        what = "a whole number" if self.kind == "int" else "a number"
        if self.low is not None and self.high is not None:
            span = f" from {_fmt(self.low)} to {_fmt(self.high)}{unit}"
        elif self.low is not None:
            span = f" >= {_fmt(self.low)}{unit}"
        else:
            span = unit
        check = " (upper limit: check the units)" if self.name in _CHECK_UNITS else ""
        return f"{what}{span}{check} (None = not assessed)"

    def as_dict(self) -> dict:
        """The spec as a plain dict (for a widget builder or a table)."""
        out = asdict(self)
        out["choices"] = list(self.choices)
        out["allowed"] = self.allowed
        return out


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _load_limits() -> dict[str, dict]:
    """``data/field_limits.csv``: plausibility upper bounds for open-ended lab values.

    Read with the csv module (this is the lowest layer; the table's schema is checked by
    ``ml.load_table("field_limits")`` like every other table). Rows with basis
    "check the units" are not clinical cut-offs: they catch unit and typing errors.
    """
    path = data_path() / "field_limits.csv"
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["field"]: row for row in csv.DictReader(handle)}


LIMITS: dict[str, dict] = _load_limits()
_CHECK_UNITS = frozenset(k for k, row in LIMITS.items() if row["basis"] == "check the units")


def limit(name: str, default=None):
    """The plausibility upper bound of ``name`` from ``data/field_limits.csv`` (or default)."""
    row = LIMITS.get(name)
    return float(row["high"]) if row else default


def _high(name):
    value = limit(name)
    return None if value is None else (int(value) if name == "skin_lesion_count" else value)


def _pct(name, label, group, help_=""):
    return FieldSpec(name, label, "float", group, "%", 0.0, 100.0, help=help_)


def _flag(name, label, group, help_=""):
    return FieldSpec(name, label, "bool", group, help=help_)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("age_years", "Age", "float", "patient", "years", 0.0, 120.0),
    FieldSpec("sex", "Sex", "choice", "patient", choices=("F", "M")),
    FieldSpec("skin_lesion_type", "Skin lesion type", "choice", "skin",
              choices=("none", "MPCM", "DCM", "mastocytoma"),
              help="Typical mastocytosis skin lesions; 'none' = skin examined, no lesions."),
    FieldSpec("skin_lesion_count", "Number of skin lesions", "int", "skin", "lesions",
              0, _high("skin_lesion_count")),
    FieldSpec("mpcm_pattern", "MPCM pattern", "choice", "skin",
              choices=("monomorphic", "polymorphic")),
    _flag("darier_sign", "Darier's sign", "skin",
          "Urtication and redness after stroking a lesion."),
    _flag("bm_examined", "Bone marrow examined", "marrow"),
    _flag("mc_aggregates_ge15", "Dense MC aggregates (≥15 MC each)", "marrow",
          "Major criterion: multifocal dense aggregates of >=15 mast cells in marrow or another "
          "extracutaneous organ."),
    FieldSpec("aggregates_site", "Site of the MC aggregates", "choice", "marrow",
              choices=("marrow", "other_organ", "skin"),
              help="Where the dense aggregates were found; aggregates in a skin biopsy do not "
                   "count towards the SM criteria (empty = not recorded, taken as marrow or "
                   "another extracutaneous organ)."),
    _pct("atypical_mc_pct", "Atypical/spindle MC", "marrow", "Share of mast cells that are "
         "atypical (smear) or spindle-shaped (sections)."),
    _pct("bm_mc_infiltration_pct", "BM MC infiltration", "marrow",
         "Mast cell infiltration of the marrow biopsy (histology/immunohistochemistry)."),
    _pct("bm_smear_mc_pct", "MC on BM smear", "marrow", "Mast cells on the aspirate smear."),
    _flag("smear_mc_immature", "Smear MC immature/atypical", "marrow"),
    _pct("pb_mc_pct", "MC in blood", "blood", "Mast cells among blood leukocytes."),
    _flag("kit_d816v", "KIT D816V", "molecular"),
    _pct("kit_d816v_vaf_pct", "KIT D816V VAF", "molecular",
         "Variant allele fraction in marrow or blood leukocytes."),
    _flag("kit_other_activating", "Other activating KIT mutation", "molecular"),
    FieldSpec("kit_site", "Specimen of the KIT variant", "choice", "molecular",
              choices=("marrow", "blood", "other_organ", "skin"),
              help="Where the KIT variant was found; a variant found only in lesional skin "
                   "does not count towards the SM criteria (empty = not recorded, taken as "
                   "marrow, blood or another extracutaneous organ)."),
    _flag("cd25", "CD25 on MC", "immunophenotype"),
    _flag("cd2", "CD2 on MC", "immunophenotype"),
    _flag("cd30", "CD30 on MC", "immunophenotype"),
    _flag("tk_fusion", "Tyrosine-kinase gene fusion", "molecular",
          "A fusion of a myeloid/lymphoid neoplasm with eosinophilia (M/LN-eo-TK)."),
    FieldSpec("bst_ng_ml", "Basal serum tryptase", "float", "tryptase", "ng/mL",
              0.0, _high("bst_ng_ml")),
    FieldSpec("hat_extra_alpha_copies", "Extra alpha-tryptase copies (HαT)", "int", "tryptase",
              "copies", 0, 10, help="Extra alpha-encoding TPSAB1 copies; 0 = no HαT."),
    FieldSpec("associated_neoplasm", "Associated haematological neoplasm", "text", "clinical",
              help="Name of a second blood neoplasm, e.g. 'CMML'."),
    FieldSpec("associated_neoplasm_lineage", "Associated neoplasm lineage", "choice",
              "clinical", choices=("myeloid", "lymphoid")),
    _flag("myeloproliferation_or_dysplasia", "Myeloproliferation/dysplasia", "marrow",
          "Signs of myeloproliferation or dysplasia in non-mast-cell lineages (WHO B2)."),
    _flag("hepatomegaly", "Hepatomegaly", "organs"),
    _flag("liver_dysfunction", "Liver dysfunction", "organs",
          "e.g. ascites, portal hypertension, raised liver enzymes."),
    _flag("splenomegaly", "Splenomegaly", "organs"),
    _flag("hypersplenism", "Hypersplenism", "organs"),
    FieldSpec("lymph_node_max_cm", "Largest lymph node", "float", "organs", "cm",
              0.0, _high("lymph_node_max_cm")),
    FieldSpec("anc_1e9_l", "Neutrophils (ANC)", "float", "blood", "x10^9/L",
              0.0, _high("anc_1e9_l")),
    FieldSpec("hb_g_dl", "Haemoglobin", "float", "blood", "g/dL", 0.0, _high("hb_g_dl")),
    FieldSpec("plt_1e9_l", "Platelets", "float", "blood", "x10^9/L", 0.0, _high("plt_1e9_l")),
    _flag("cytopenia_attributed_to_mc", "Cytopenia due to MC infiltration", "blood"),
    _flag("mild_cytopenia_or_cytosis", "Mild cytopenia or -cytosis", "blood",
          "ICC B2: a cytopenia below C-finding thresholds or a '-cytosis', reactive causes "
          "excluded (judged by the clinician; not computed from counts)."),
    FieldSpec("osteolysis_cm", "Largest osteolysis", "float", "organs", "cm",
              0.0, _high("osteolysis_cm")),
    _flag("pathologic_fracture", "Pathological fracture", "organs"),
    _flag("malabsorption_weight_loss", "Malabsorption with weight loss", "organs"),
    _flag("destructive_mc_tumor", "Destructive MC tumour", "clinical",
          "Localised destructive growth of highly atypical mast cells (mast cell sarcoma)."),
    _flag("mcas_episodes", "MCAS episodes", "clinical",
          "Recurrent severe systemic mast-cell activation episodes."),
)

FIELD_SPECS: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
FIELD_NAMES: tuple[str, ...] = tuple(FIELD_SPECS)

# Numbers the engine computes from findings; rule expressions may compare them too.
DERIVED_FIELDS: dict[str, str] = {
    "n_b": "Number of B-findings met",
    "n_c": "Number of C-findings met",
    "n_minor": "Number of minor criteria met",
}


def plain(value):
    """numpy scalars -> Python scalars, so messages show ``-5.0``, not ``np.float64(-5.0)``."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        return value.item()
    return value


class InputError(ValueError):
    """A bad input value: one voice for every engine, score and tryptase function.

    A ``ValueError`` that also carries what a widget needs to mark the bad control:

    Attributes
    ----------
    field : str
        The field or argument id (``"bst_ng_ml"``) - for code, never shown to people.
    label : str
        The human label with its unit (``"Basal serum tryptase (ng/mL)"``).
    value : object
        The rejected value.
    allowed : str
        What is allowed, in words, with range and unit.

    The message names the label, the value and the allowed range, never the bare id:
    ``Basal serum tryptase (ng/mL) = -5 is not allowed (below the allowed range): enter a
    number from 0 to 10000 ng/mL ...``.
    """

    def __init__(self, field: str, label: str, value, allowed: str, reason: str = "",
                 where: str = ""):
        self.field, self.label, self.value, self.allowed = field, label, value, allowed
        self.reason, self.where = reason, where
        extra = f" ({reason})" if reason else ""
        prefix = f"{where}: " if where else ""
        super().__init__(f"{prefix}{label} = {shown(value)} is not allowed{extra}: enter "
                         f"{allowed}")

    def __reduce__(self):
        return (type(self), (self.field, self.label, self.value, self.allowed, self.reason,
                             self.where))

    def at(self, where: str) -> InputError:
        """The same error located in a table (``where="row 'y'"``)."""
        return InputError(self.field, self.label, self.value, self.allowed, self.reason, where)


def shown(value) -> str:
    """A short text for a rejected value (huge numbers and long texts are cut)."""
    value = plain(value)
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - any object may reach an error message
        text = f"<{type(value).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def human_label(spec: FieldSpec) -> str:
    """``"Basal serum tryptase (ng/mL)"``: the label people see, with its unit."""
    return f"{spec.label} ({spec.unit})" if spec.unit else spec.label


def field_error(spec: FieldSpec, value, reason: str = "") -> InputError:
    """An :class:`InputError` naming the field's label, the value and what is allowed."""
    return InputError(spec.name, human_label(spec), value, spec.allowed, reason)


def _is_numpy_bool(value) -> bool:
    dtype = getattr(value, "dtype", None)
    return dtype is not None and getattr(dtype, "kind", "") == "b" and not hasattr(value, "__len__")


def check_value(spec: FieldSpec, value):
    """Validate one value strictly and return it normalised (float, int, bool or str).

    Strict means: no strings for numbers or flags, no bools for numbers, no NaN or infinity.
    ``None`` (not assessed) is always allowed.
    """
    if value is None:
        return None
    kind = spec.kind
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if _is_numpy_bool(value):
            return bool(value)
        raise field_error(spec, value, f"got {type(value).__name__}")
    if kind in ("float", "int"):
        if isinstance(value, bool) or _is_numpy_bool(value) or not isinstance(value,
                                                                                numbers.Real):
            raise field_error(spec, value, f"got {type(value).__name__}")
        try:
            number = float(value)
        except (OverflowError, ValueError, TypeError):
            raise field_error(spec, value, "too large to be a number") from None
        if math.isnan(number) or math.isinf(number):
            raise field_error(spec, value, "not a finite number")
        if kind == "int":
            if number != int(number) or value != int(number):
                raise field_error(spec, value, "not a whole number")
            number = int(number)
        if spec.low is not None and number < spec.low:
            raise field_error(spec, value, "below the allowed range")
        if spec.high is not None and number > spec.high:
            raise field_error(spec, value, "above the allowed range")
        return number
    if not isinstance(value, str):
        raise field_error(spec, value, f"got {type(value).__name__}")
    if kind == "choice":
        if value not in spec.choices:
            raise field_error(spec, value, "unknown category")
        return value
    text = value.strip()
    if not text:
        raise field_error(spec, value, "empty text; use None when nothing is recorded")
    return text


def _is_missing(value) -> bool:
    if value is None:
        return True
    if type(value).__name__ in ("NAType", "NaTType"):
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and value.strip().lower() in MISSING_TEXT:
        return True
    try:
        return bool(value != value)  # numpy NaN scalars
    except (TypeError, ValueError):
        return False


def coerce_value(spec: FieldSpec, value):
    """Convert a CSV-style value (text, 0/1, NaN) to the field's type, then validate it.

    ``""``, ``"NA"``, ``"nan"``, NaN and ``pandas.NA`` become ``None``; ``"true"``/``"yes"``/
    ``"1"`` and ``"false"``/``"no"``/``"0"`` (any case) are flags; numeric text is a number;
    categories match case-insensitively.
    """
    if _is_missing(value):
        return None
    kind = spec.kind
    if isinstance(value, str):
        text = value.strip()
        if kind == "bool":
            flag = bool_from_text(text)
            if flag is None:
                raise field_error(spec, value, "not a recognised true/false spelling")
            return flag
        if kind in ("float", "int"):
            try:
                value = float(text)
            except ValueError:
                raise field_error(spec, value, "not a number") from None
        elif kind == "choice":
            for choice in spec.choices:
                if choice.lower() == text.lower():
                    return choice
            raise field_error(spec, value, "unknown category")
        else:
            value = text
    elif kind == "bool" and not isinstance(value, bool) and not _is_numpy_bool(value):
        if isinstance(value, numbers.Real) and value in (0, 1):
            return bool(value)
    return check_value(spec, value)
