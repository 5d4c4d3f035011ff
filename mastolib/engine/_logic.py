"""Three-valued rule expressions evaluated on one patient or on a whole table.

A rule is a small tree of frozen expression objects (:class:`Compare`, :class:`Tryptase`,
:class:`Flag`, :class:`IsIn`, :class:`Present`, :class:`All`, :class:`Any`, :class:`Not`,
:class:`AtLeast`, :class:`Ref`). Each expression is evaluated through an *environment*:

* :class:`ScalarEnv` — one patient, plain Python; a truth value is ``True``, ``False`` or
  ``None`` (not assessed), combined with Kleene's strong three-valued logic.
* :class:`VectorEnv` — many patients at once; a truth value is a pair of numpy boolean masks
  ``(is_true, is_false)`` (a row in neither mask is not assessed). numpy is imported only here,
  inside the vector environment, so ``import mastolib`` stays light.

Because both environments run the *same* expression objects, :func:`mastolib.diagnose` and
:func:`mastolib.diagnose_frame` cannot drift apart.

Numbers are compared after rounding both sides to 9 decimals (:func:`quantize`) so that
floating-point noise such as ``1.2 * 5 + 2 == 8.000000000000002`` never decides a boundary.
"""

from __future__ import annotations

import operator as _op
from dataclasses import dataclass

from ..tables._fields import DERIVED_FIELDS, FIELD_SPECS

OPERATORS = {">": _op.gt, ">=": _op.ge, "<": _op.lt, "<=": _op.le, "==": _op.eq}
SYMBOLS = {">": ">", ">=": "≥", "<": "<", "<=": "≤", "==": "="}
NEGATED = {">": "≤", ">=": "<", "<": "≥", "<=": ">", "==": "≠"}
_DECIMALS = 9
_QUANTIZE_BELOW = 1e6  # beyond this magnitude rounding to 1e-9 is meaningless for float64


def quantize(x: float) -> float:
    """Round a float to 9 decimals (used on both sides of every numeric comparison)."""
    if abs(x) >= _QUANTIZE_BELOW:
        return x
    return round(x * 10**_DECIMALS) / 10**_DECIMALS


def quantize_array(x):
    """Vectorised :func:`quantize` (identical results: same IEEE operations)."""
    import numpy as np

    with np.errstate(invalid="ignore"):
        small = np.abs(x) < _QUANTIZE_BELOW
    return np.where(small, np.rint(x * 10**_DECIMALS) / 10**_DECIMALS, x)


def compare(x: float, op: str, value: float) -> bool:
    """``x op value`` after rounding both sides to 9 decimals."""
    return OPERATORS[op](quantize(float(x)), quantize(float(value)))


def fmt_number(x) -> str:
    """Short, exact-enough text for a number (``20``, ``20.1``, ``83.33``)."""
    if isinstance(x, bool) or not isinstance(x, (int, float)):
        return str(x)
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return text if text not in ("-0", "") else "0"


def _check_field(name: str, owner: str):
    if name not in FIELD_SPECS and name not in DERIVED_FIELDS:
        raise ValueError(
            f"{owner}: unknown field {name!r}; known fields are the Findings fields and "
            f"{sorted(DERIVED_FIELDS)}"
        )


def _check_missing(missing, owner: str):
    if missing not in (None, True, False):
        raise ValueError(f"{owner}: missing must be None, True or False, not {missing!r}")


class Expr:
    """Base class of rule expressions (frozen dataclasses)."""

    def tri(self, env):
        """Evaluate in ``env``; returns a truth value of that environment."""
        raise NotImplementedError

    def describe(self) -> str:
        """The rule as text for people, e.g. ``'bst_ng_ml > 20 ng/mL'``."""
        raise NotImplementedError

    def fields(self) -> tuple[str, ...]:
        """Findings fields the expression reads (for 'not assessed' explanations)."""
        return ()

    def threshold_ids(self) -> tuple[str, ...]:
        """Ids of the ``data/thresholds.csv`` rows the expression uses."""
        return ()

    def refs(self) -> tuple[str, ...]:
        """Ids of earlier results the expression refers to."""
        return ()


def _label(field: str) -> str:
    spec = FIELD_SPECS.get(field)
    return spec.label if spec else DERIVED_FIELDS.get(field, field)


def _no(field: str) -> str:
    label = _label(field)
    if len(label) > 1 and label[1].islower():
        label = label[0].lower() + label[1:]
    return f"no {label}"


@dataclass(frozen=True)
class Compare(Expr):
    """A numeric field compared with a threshold: ``field op value``.

    ``missing`` is the verdict when the field is not assessed (default ``None`` = unknown).
    """

    field: str
    op: str
    value: float
    unit: str = ""
    threshold_id: str | None = None
    missing: bool | None = None

    def __post_init__(self):
        _check_field(self.field, "Compare")
        if self.op not in OPERATORS:
            raise ValueError(f"Compare({self.field}): operator {self.op!r} not in {list(OPERATORS)}")
        _check_missing(self.missing, f"Compare({self.field})")

    def tri(self, env):
        return env.compare(self.field, self.op, self.value, self.missing)

    def describe(self):
        unit = f" {self.unit}" if self.unit else ""
        return f"{_label(self.field)} {SYMBOLS[self.op]} {fmt_number(self.value)}{unit}"

    def fields(self):
        return () if self.field in DERIVED_FIELDS else (self.field,)

    def threshold_ids(self):
        return (self.threshold_id,) if self.threshold_id else ()


@dataclass(frozen=True)
class Tryptase(Expr):
    """Basal serum tryptase compared with a threshold, optionally HαT-adjusted.

    When ``adjust`` is true and ``hat_extra_alpha_copies`` is known, the value compared is
    ``bst_ng_ml / (1 + hat_extra_alpha_copies)`` [genotyping_review2022]; otherwise the
    measured BST.
    """

    op: str
    value: float
    adjust: bool
    threshold_id: str | None = None

    def __post_init__(self):
        if self.op not in OPERATORS:
            raise ValueError(f"Tryptase: operator {self.op!r} not in {list(OPERATORS)}")

    def tri(self, env):
        return env.tryptase(self.op, self.value, self.adjust)

    def describe(self):
        how = " (HαT-adjusted)" if self.adjust else " (unadjusted)"
        return f"Basal serum tryptase{how} {SYMBOLS[self.op]} {fmt_number(self.value)} ng/mL"

    def fields(self):
        return ("bst_ng_ml", "hat_extra_alpha_copies") if self.adjust else ("bst_ng_ml",)

    def threshold_ids(self):
        return (self.threshold_id,) if self.threshold_id else ()


@dataclass(frozen=True)
class Flag(Expr):
    """A yes/no field equal to ``expected``; ``missing`` is the verdict when not assessed."""

    field: str
    expected: bool = True
    missing: bool | None = None
    threshold_id: str | None = None

    def __post_init__(self):
        _check_field(self.field, "Flag")
        if FIELD_SPECS[self.field].kind != "bool":
            raise ValueError(f"Flag({self.field}): field is not a yes/no field")
        _check_missing(self.missing, f"Flag({self.field})")

    def tri(self, env):
        return env.flag(self.field, self.expected, self.missing)

    def describe(self):
        return _label(self.field) if self.expected else _no(self.field)

    def fields(self):
        return (self.field,)

    def threshold_ids(self):
        return (self.threshold_id,) if self.threshold_id else ()


@dataclass(frozen=True)
class IsIn(Expr):
    """A category field taking one of ``choices``."""

    field: str
    choices: tuple
    missing: bool | None = None

    def __post_init__(self):
        _check_field(self.field, "IsIn")
        spec = FIELD_SPECS[self.field]
        unknown = [c for c in self.choices if c not in spec.choices]
        if spec.kind != "choice" or unknown or not self.choices:
            raise ValueError(f"IsIn({self.field}): choices {self.choices} not in {spec.choices}")
        _check_missing(self.missing, f"IsIn({self.field})")

    def tri(self, env):
        return env.isin(self.field, self.choices, self.missing)

    def describe(self):
        options = " or ".join(repr(c) for c in self.choices)
        return f"{_label(self.field)} is {options}"

    def fields(self):
        return (self.field,)


@dataclass(frozen=True)
class Present(Expr):
    """True when the field holds a value, False when it is ``None`` (never unknown)."""

    field: str

    def __post_init__(self):
        _check_field(self.field, "Present")

    def tri(self, env):
        return env.present(self.field)

    def describe(self):
        return f"{_label(self.field)} recorded"

    def fields(self):
        return (self.field,)


@dataclass(frozen=True)
class Const(Expr):
    """A constant truth value (used for 'otherwise' rules)."""

    value: bool = True

    def tri(self, env):
        return env.const(self.value)

    def describe(self):
        return "otherwise" if self.value else "never"


@dataclass(frozen=True)
class Ref(Expr):
    """The truth value of an earlier result (a criterion id or ``"sm"``)."""

    id: str
    label: str = ""

    def tri(self, env):
        return env.result(self.id)

    def describe(self):
        return self.label or self.id

    def refs(self):
        return (self.id,)


def _children_union(children, method):
    out: list = []
    for child in children:
        for item in getattr(child, method)():
            if item not in out:
                out.append(item)
    return tuple(out)


@dataclass(frozen=True)
class Not(Expr):
    """Kleene negation (not assessed stays not assessed)."""

    child: Expr

    def tri(self, env):
        return env.not_(self.child.tri(env))

    def describe(self):
        c = self.child
        if isinstance(c, Compare):
            unit = f" {c.unit}" if c.unit else ""
            return f"{_label(c.field)} {NEGATED[c.op]} {fmt_number(c.value)}{unit}"
        if isinstance(c, Tryptase):
            return c.describe().replace(SYMBOLS[c.op], NEGATED[c.op], 1)
        if isinstance(c, Flag):
            return _no(c.field) if c.expected else _label(c.field)
        if isinstance(c, IsIn) and len(c.choices) == 1:
            return f"{_label(c.field)} is not {c.choices[0]!r}"
        return f"not ({c.describe()})"

    def fields(self):
        return self.child.fields()

    def threshold_ids(self):
        return self.child.threshold_ids()

    def refs(self):
        return self.child.refs()


@dataclass(frozen=True)
class _Group(Expr):
    children: tuple

    def __post_init__(self):
        if not self.children or not all(isinstance(c, Expr) for c in self.children):
            raise ValueError(f"{type(self).__name__} needs one or more expressions")

    def fields(self):
        return _children_union(self.children, "fields")

    def threshold_ids(self):
        return _children_union(self.children, "threshold_ids")

    def refs(self):
        return _children_union(self.children, "refs")


def _join(children, word):
    parts = [c.describe() for c in children]
    parts = [f"({p})" if (" and " in p or " or " in p) else p for p in parts]
    return f" {word} ".join(parts)


@dataclass(frozen=True, init=False)
class All(_Group):
    """Kleene AND: False if any part is False, else unknown if any part is unknown."""

    def __init__(self, *children):
        super().__init__(tuple(children))

    def tri(self, env):
        return env.all_([c.tri(env) for c in self.children])

    def describe(self):
        return _join(self.children, "and")


@dataclass(frozen=True, init=False)
class Any(_Group):
    """Kleene OR: True if any part is True, else unknown if any part is unknown."""

    def __init__(self, *children):
        super().__init__(tuple(children))

    def tri(self, env):
        return env.any_([c.tri(env) for c in self.children])

    def describe(self):
        return _join(self.children, "or")


@dataclass(frozen=True)
class AtLeast(Expr):
    """At least ``k`` of ``children`` are true (three-valued count).

    True when ``k`` parts are already met; False when even counting every unassessed part as
    met could not reach ``k``; otherwise unknown.
    """

    k: int
    children: tuple
    label: str = ""
    threshold_id: str | None = None

    def __post_init__(self):
        if isinstance(self.k, bool) or int(self.k) != self.k or self.k < 0:
            raise ValueError(f"AtLeast: k must be a whole number >= 0, not {self.k!r}")

    def tri(self, env):
        return env.at_least(self.k, [c.tri(env) for c in self.children])

    def describe(self):
        return f"at least {fmt_number(self.k)} {self.label}".rstrip() if self.label else (
            f"at least {fmt_number(self.k)} of: " + ", ".join(c.describe() for c in self.children))

    def fields(self):
        return _children_union(self.children, "fields")

    def threshold_ids(self):
        own = (self.threshold_id,) if self.threshold_id else ()
        return own + tuple(t for t in _children_union(self.children, "threshold_ids")
                           if t not in own)

    def refs(self):
        return _children_union(self.children, "refs")


# --------------------------------------------------------------------------- environments


class ScalarEnv:
    """Evaluate expressions for one patient (plain Python, Kleene logic with ``None``).

    ``values`` maps field ids (and derived ids such as ``n_b``) to Python values; ``results``
    maps earlier result ids to ``True``/``False``/``None``. Every value read is recorded in
    ``seen`` so results can report the number actually compared.
    """

    def __init__(self, values, results=None):
        self.values = dict(values)
        self.results = dict(results or {})
        self.seen: dict = {}

    def start_trace(self):
        self.seen = {}

    def _get(self, field):
        value = self.values.get(field)
        self.seen.setdefault(field, value)
        return value

    def compare(self, field, op, value, missing):
        x = self._get(field)
        if x is None:
            return missing
        return compare(x, op, value)

    def adjusted_tryptase(self, adjust):
        bst = self.values.get("bst_ng_ml")
        copies = self.values.get("hat_extra_alpha_copies")
        if bst is None:
            return None, False
        if adjust and copies is not None:
            return bst / (1 + copies), True
        return bst, False

    def tryptase(self, op, value, adjust):
        bst, adjusted = self.adjusted_tryptase(adjust)
        key = "bst_ng_ml (HαT-adjusted)" if adjusted else "bst_ng_ml"
        self.seen.setdefault(key, bst)
        if bst is None:
            return None
        return compare(bst, op, value)

    def flag(self, field, expected, missing):
        x = self._get(field)
        if x is None:
            return missing
        return x is expected

    def isin(self, field, choices, missing):
        x = self._get(field)
        if x is None:
            return missing
        return x in choices

    def present(self, field):
        return self._get(field) is not None

    def const(self, value):
        return value

    def result(self, rid):
        if rid not in self.results:
            raise KeyError(f"rule refers to {rid!r}, which has not been evaluated yet")
        return self.results[rid]

    @staticmethod
    def not_(x):
        return None if x is None else not x

    @staticmethod
    def all_(xs):
        if any(x is False for x in xs):
            return False
        if any(x is None for x in xs):
            return None
        return True

    @staticmethod
    def any_(xs):
        if any(x is True for x in xs):
            return True
        if any(x is None for x in xs):
            return None
        return False

    @staticmethod
    def at_least(k, xs):
        met = sum(x is True for x in xs)
        unknown = sum(x is None for x in xs)
        if met >= k:
            return True
        if met + unknown < k:
            return False
        return None


class VectorEnv:
    """Evaluate expressions for many patients at once with numpy masks.

    ``columns`` maps every field id to a float64 array: numbers as they are, flags as 1/0,
    categories as their index in the field's ``choices``, text as 1 when recorded; NaN marks
    *not assessed*. A truth value is a pair ``(is_true, is_false)`` of boolean arrays.
    """

    def __init__(self, columns, n_rows, results=None):
        import numpy as np

        self.np = np
        self.columns = dict(columns)
        self.n = n_rows
        self.results = dict(results or {})

    def _col(self, field):
        col = self.columns.get(field)
        if col is None:
            return self.np.full(self.n, self.np.nan)
        return col

    def _with_missing(self, known, hit, missing):
        t, f = known & hit, known & ~hit
        if missing is True:
            t = t | ~known
        elif missing is False:
            f = f | ~known
        return t, f

    def compare(self, field, op, value, missing):
        np = self.np
        x = self._col(field)
        known = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            hit = OPERATORS[op](quantize_array(x), quantize(float(value)))
        return self._with_missing(known, hit & known, missing)

    def adjusted_tryptase(self, adjust):
        np = self.np
        bst = self._col("bst_ng_ml")
        if not adjust:
            return bst
        copies = self._col("hat_extra_alpha_copies")
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(copies), bst, bst / (1 + copies))

    def tryptase(self, op, value, adjust):
        np = self.np
        x = self.adjusted_tryptase(adjust)
        known = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            hit = OPERATORS[op](quantize_array(x), quantize(float(value)))
        return self._with_missing(known, hit & known, None)

    def flag(self, field, expected, missing):
        np = self.np
        x = self._col(field)
        known = ~np.isnan(x)
        return self._with_missing(known, x == (1.0 if expected else 0.0), missing)

    def isin(self, field, choices, missing):
        np = self.np
        spec = FIELD_SPECS[field]
        codes = [float(spec.choices.index(c)) for c in choices]
        x = self._col(field)
        known = ~np.isnan(x)
        return self._with_missing(known, np.isin(x, codes), missing)

    def present(self, field):
        np = self.np
        known = ~np.isnan(self._col(field))
        return known, ~known

    def const(self, value):
        np = self.np
        full = np.full(self.n, bool(value))
        return full, ~full

    def result(self, rid):
        if rid not in self.results:
            raise KeyError(f"rule refers to {rid!r}, which has not been evaluated yet")
        return self.results[rid]

    @staticmethod
    def not_(x):
        return x[1], x[0]

    def all_(self, xs):
        t = self.np.logical_and.reduce([x[0] for x in xs])
        f = self.np.logical_or.reduce([x[1] for x in xs])
        return t, f

    def any_(self, xs):
        t = self.np.logical_or.reduce([x[0] for x in xs])
        f = self.np.logical_and.reduce([x[1] for x in xs])
        return t, f

    def at_least(self, k, xs):
        met = self.np.sum([x[0] for x in xs], axis=0)
        unknown = self.np.sum([~x[0] & ~x[1] for x in xs], axis=0)
        return met >= k, (met + unknown) < k
