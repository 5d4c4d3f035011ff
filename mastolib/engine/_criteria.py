"""Criteria as small frozen dataclasses, and their evaluated results.

A :class:`Criterion` couples an id, a label for people, a role, a three-valued rule expression
(:mod:`mastolib.engine._logic`) and its citation (``source_id`` + ``locator``). Evaluating a criterion
on one patient gives a :class:`CriterionResult`, whose ``met`` is ``True``, ``False`` or
``None`` (*not assessed* — never the same as not met). The same criterion objects are evaluated
on whole tables by :func:`mastolib.diagnose_frame`.

Roles: ``"major"``, ``"minor"``, ``"exclusion"``, ``"B"``, ``"C"`` (diagnostic criteria and
findings), ``"rule"`` (the SM criteria rule), ``"category"``, ``"subtype"`` and
``"qualifier"`` (assignment rules; these also carry the ``outcome`` they assign).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tables._data import _split_ids, source_ids
from ._logic import Expr, ScalarEnv, fmt_number

ROLES = ("major", "minor", "exclusion", "B", "C", "rule", "category", "subtype", "qualifier")
FINDING_ROLES = ("major", "minor", "exclusion", "B", "C")


@dataclass(frozen=True)
class CriterionResult:
    """One criterion evaluated for one patient.

    Attributes
    ----------
    id, label, role : str
        As in the :class:`Criterion`.
    met : bool or None
        ``None`` = not assessed (the inputs needed to decide are missing).
    value_used : object
        The number or flag actually compared (e.g. the HαT-adjusted tryptase), or a short
        text listing the values when the criterion has several arms.
    threshold : str
        The rule in words, e.g. ``"Basal serum tryptase (HαT-adjusted) > 20 ng/mL"``.
    source_id, locator : str
        Citation (see ``ml.cite(source_id)``).
    note : str
        Why the criterion came out this way when that is not obvious (e.g. tryptase not
        counted because of an associated myeloid neoplasm).
    """

    id: str
    label: str
    role: str
    met: bool | None
    value_used: object
    threshold: str
    source_id: str
    locator: str
    note: str = ""

    @property
    def status(self) -> str:
        """``"met"``, ``"not met"`` or ``"not assessed"``."""
        return {True: "met", False: "not met", None: "not assessed"}[self.met]

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "role": self.role, "met": self.met,
                "status": self.status, "value_used": self.value_used,
                "threshold": self.threshold, "source_id": self.source_id,
                "locator": self.locator, "note": self.note}


def _format_seen(seen: dict, value_key: str | None) -> object:
    """Pick the value(s) a criterion compared, for ``CriterionResult.value_used``."""
    if value_key is not None:
        adjusted = f"{value_key} (HαT-adjusted)"
        return seen[adjusted] if adjusted in seen else seen.get(value_key)
    items = list(seen.items())
    if not items:
        return None
    if len(items) == 1:
        return items[0][1]
    return "; ".join(
        f"{k}={'not assessed' if v is None else fmt_number(v)}" for k, v in items)


@dataclass(frozen=True)
class Criterion:
    """A named, cited rule.

    Parameters
    ----------
    id : str
        Stable id shared by WHO and ICC when the concept is the same (``"B1"``,
        ``"minor_tryptase"``), so the two schemes can be compared item by item.
    label : str
        Text for people.
    role : str
        One of :data:`ROLES`.
    predicate : Expr
        Three-valued rule expression.
    source_id : str
        One or more ids from ``data/sources.csv`` separated by ``;``.
    locator : str
        Where in the source (table, section).
    note : str
        Caveat shown with the result (e.g. an unconfirmed reading).
    outcome : str or None
        For assignment rules: the category, subtype or qualifier text assigned.
    applies_to : tuple of str
        For subtype rules the category, for qualifier rules ``"category"`` or
        ``"category/subtype"`` strings the qualifier may be attached to.
    value_key : str or None
        The field reported as ``value_used`` when the rule reads several (e.g. the tryptase
        of the tryptase criterion, not the lineage guard); HαT-adjusted when it was adjusted.
    """

    id: str
    label: str
    role: str
    predicate: Expr
    source_id: str
    locator: str
    note: str = ""
    outcome: str | None = None
    applies_to: tuple = ()
    value_key: str | None = None

    def __post_init__(self):
        if not self.id or not self.id.replace("_", "").replace("-", "").isalnum():
            raise ValueError(f"Criterion id {self.id!r} must be a snake_case identifier")
        if self.role not in ROLES:
            raise ValueError(f"Criterion {self.id!r}: role {self.role!r} not in {ROLES}")
        if not isinstance(self.predicate, Expr):
            raise ValueError(f"Criterion {self.id!r}: predicate must be a rule expression")
        if not self.source_id or not self.locator:
            raise ValueError(f"Criterion {self.id!r}: source_id and locator are required")

        known = source_ids()
        missing = [s for s in _split_ids(self.source_id) if s not in known]
        if missing:
            raise ValueError(f"Criterion {self.id!r}: source_id {missing} not in sources.csv")

    @property
    def threshold(self) -> str:
        """The rule in words."""
        return self.predicate.describe()

    def fields(self) -> tuple[str, ...]:
        """Findings fields this criterion reads."""
        return self.predicate.fields()

    def evaluate(self, env: ScalarEnv, note: str = "") -> CriterionResult:
        """Evaluate for one patient (``env`` is a :class:`ScalarEnv`)."""
        env.start_trace()
        met = self.predicate.tri(env)
        value = _format_seen(env.seen, self.value_key)
        return CriterionResult(self.id, self.label, self.role, met, value, self.threshold,
                               self.source_id, self.locator, note or self.note)

    def as_dict(self) -> dict:
        return {"id": self.id, "label": self.label, "role": self.role,
                "rule": self.threshold, "outcome": self.outcome,
                "thresholds": ";".join(self.predicate.threshold_ids()),
                "source_id": self.source_id, "locator": self.locator, "note": self.note}


@dataclass(frozen=True)
class Parameter:
    """A documented, overridable switch of a rule set.

    Parameters
    ----------
    id : str
        Name used with ``Ruleset.with_params(**{id: value})`` or ``diagnose(params=...)``.
    default : object
        Value used unless overridden.
    allowed : tuple
        Allowed values.
    description : str
        What the switch does.
    confidence : str
        ``"confirmed"``, ``"secondary"`` or ``"unconfirmed"`` for the default reading.
    alternative : str
        The other reading, in words.
    source_id : str
        Where the default comes from.
    """

    id: str
    default: object
    allowed: tuple
    description: str
    confidence: str
    alternative: str
    source_id: str

    def check(self, value):
        if not any(type(value) is type(a) and value == a for a in self.allowed):
            raise ValueError(
                f"parameter {self.id}={value!r} is not allowed; expected one of "
                f"{list(self.allowed)}"
            )
        return value

    def as_dict(self) -> dict:
        return {"id": self.id, "default": self.default, "allowed": list(self.allowed),
                "description": self.description, "confidence": self.confidence,
                "alternative": self.alternative, "source_id": self.source_id}
