"""The two environments that evaluate rule expressions (:mod:`mastolib.engine._logic`).

:class:`ScalarEnv` evaluates for one patient with Kleene's three-valued logic (``None`` = not
assessed); :class:`VectorEnv` for a whole table, a truth value being a pair of numpy masks
``(is_true, is_false)``. numpy is imported only inside the vector environment.
"""

from __future__ import annotations

from ..tables._fields import FIELD_SPECS
from ._logic import OPERATORS, compare, quantize, quantize_array


class _Env:
    """What both environments share: earlier results looked up by id."""

    results: dict

    def result(self, rid):
        if rid not in self.results:
            raise KeyError(f"rule refers to {rid!r}, which has not been evaluated yet")
        return self.results[rid]


class ScalarEnv(_Env):
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

    @classmethod
    def any_(cls, xs):
        # Kleene: "any" is "not all not" (De Morgan), so both share one rule
        return cls.not_(cls.all_([cls.not_(x) for x in xs]))

    @staticmethod
    def at_least(k, xs):
        met = sum(x is True for x in xs)
        unknown = sum(x is None for x in xs)
        if met >= k:
            return True
        if met + unknown < k:
            return False
        return None


class VectorEnv(_Env):
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

    def _compare_array(self, x, op, value, missing):
        np = self.np
        known = ~np.isnan(x)
        with np.errstate(invalid="ignore"):
            hit = OPERATORS[op](quantize_array(x), quantize(float(value)))
        return self._with_missing(known, hit & known, missing)

    def compare(self, field, op, value, missing):
        return self._compare_array(self._col(field), op, value, missing)

    def adjusted_tryptase(self, adjust):
        np = self.np
        bst = self._col("bst_ng_ml")
        if not adjust:
            return bst
        copies = self._col("hat_extra_alpha_copies")
        with np.errstate(invalid="ignore"):
            return np.where(np.isnan(copies), bst, bst / (1 + copies))

    def tryptase(self, op, value, adjust):
        return self._compare_array(self.adjusted_tryptase(adjust), op, value, None)

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
