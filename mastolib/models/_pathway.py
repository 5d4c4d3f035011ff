"""The diagnostic pathway (notebook 04): a pure path model, a flowchart builder and an app.

The map of the pathway is data: ``data/pathway_steps.csv`` (one row per flowchart node: why
the test is done, what it can show, what it costs the patient, the possible next steps, the
source) and ``data/pathway_rules.csv`` (when to genotype tryptase, red flags, marrow
indications). :func:`patient_path` walks one patient through that map from the patient's
:class:`mastolib.Findings` and a :class:`Presentation` (how the patient came to attention and
the episode symptoms the REMA score needs). No path is written by hand per patient.

Teaching simplifications (flagged in the notebook): the rules in ``pathway_rules.csv`` are a
synthesis of the work-up tables of the sources, not one published algorithm; a KIT result in
the case records is read as a blood test; the REMA point weights are unconfirmed.

Abbreviations: BST = basal serum tryptase, CBC = complete blood count, CM = cutaneous
mastocytosis, HαT = hereditary alpha-tryptasemia, MIS = mastocytosis in the skin, MMAS =
monoclonal mast cell activation syndrome, REMA = Spanish Network on Mastocytosis score, SM =
systemic mastocytosis, VAF = variant allele fraction.

References: zanotti2021_workup, alvareztwose2010_rema, hartmann2016, peds_review2021,
carter2018, hat_genotyping_lab, khoury2022, arber2022.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from ..engine._logic import OPERATORS
from ..engine._rules import threshold_rows
from ..tables._data import load_records
from ..tables._registry import check_id, get

LESION_TYPES = ("MPCM", "DCM", "mastocytoma")
SM_LIKE = ("SM", "MCS")
_OPS = OPERATORS  # the one operator table (mastolib.engine._logic)


# ------------------------------------------------------------------------------ the map


@dataclass(frozen=True)
class Step:
    """One node of the pathway flowchart (a row of ``data/pathway_steps.csv``)."""

    step_id: str
    kind: str
    col: int
    row: int
    label: str
    why: str
    what_it_shows: str
    cost_to_patient: str
    next_steps: tuple
    source_id: str


@dataclass(frozen=True)
class Pathway:
    """The whole flowchart: steps by id and the allowed transitions (edges)."""

    steps: tuple

    @classmethod
    def load(cls) -> Pathway:
        return _pathway()

    @property
    def ids(self) -> tuple:
        return tuple(s.step_id for s in self.steps)

    def step(self, step_id: str) -> Step:
        steps = {s.step_id: s for s in self.steps}
        return steps[check_id("pathway step", step_id, list(steps))]

    @property
    def edges(self) -> tuple:
        """``(from_id, to_id)`` pairs in table order."""
        return tuple((s.step_id, n) for s in self.steps for n in s.next_steps)


@functools.cache
def _pathway() -> Pathway:
    steps = []
    for r in load_records("pathway_steps"):
        nxt = tuple(p.strip() for p in (r["next_steps"] or "").split(";") if p.strip())
        steps.append(Step(r["step_id"], r["kind"], r["col"], r["row"], r["label"], r["why"],
                          r["what_it_shows"], r["cost_to_patient"], nxt, r["source_id"]))
    ids = {s.step_id for s in steps}
    for s in steps:
        unknown = [n for n in s.next_steps if n not in ids]
        if unknown:
            raise ValueError(f"pathway_steps.csv: step {s.step_id!r} points to unknown "
                             f"next step(s) {unknown}")
        if (s.kind == "end") != (not s.next_steps):
            raise ValueError(f"pathway_steps.csv: step {s.step_id!r}: only 'end' steps have "
                             "no next step")
    return Pathway(tuple(steps))


@functools.cache
def _rules() -> tuple:
    return tuple(load_records("pathway_rules"))


def _rule(rule_id: str) -> dict:
    return get("pathway_rules", rule_id)


@functools.cache
def _child_age() -> tuple:
    """The engine's child/adult boundary (``thresholds.csv`` row ``child_age``)."""

    row = threshold_rows()["child_age"]
    return row["operator"], row["value"]


def _check_rule(rule: dict, findings) -> bool | None:
    """Three-valued: True / False / None (field not assessed)."""
    value = getattr(findings, rule["field"])
    op = rule["operator"]
    if op == "present":
        return value is not None
    if value is None:
        return None
    if op == "true":
        return value is True
    return _OPS[op](value, rule["value"])


def red_flags(findings, group: str = "red_flag") -> tuple:
    """Labels of the pathway red flags present in ``findings``.

    Parameters
    ----------
    findings : mastolib.Findings
    group : {"red_flag", "child_flag"}
        ``"red_flag"``: signs of advanced or systemic disease found before any marrow study
        (organ enlargement, cytopenias, bone lesions, another blood neoplasm ...);
        ``"child_flag"``: the extra flag used for children (KIT D816V in blood).

    References
    ----------
    peds_review2021, carter2018, bloodres2023
    """
    return tuple(r["label"] for r in _rules() if r["group"] == group
                 and _check_rule(r, findings) is True)


# -------------------------------------------------------------------------- presentation


@functools.cache
def _triggers() -> dict:
    return {r["trigger_id"]: r for r in load_records("suspicion_triggers")}


@dataclass(frozen=True)
class Presentation:
    """How a patient came to attention, plus the episode symptoms REMA needs.

    Parameters
    ----------
    triggers : tuple of str
        Ids from ``data/suspicion_triggers.csv`` (e.g. ``"venom_anaphylaxis"``).
    urticaria_pruritus_angioedema : bool or None
        Urticaria, pruritus and/or angioedema during episodes (None = not stated).
    presyncope_syncope : bool or None
        Presyncope and/or syncope during episodes (None = not stated).
    """

    triggers: tuple = ()
    urticaria_pruritus_angioedema: bool | None = None
    presyncope_syncope: bool | None = None

    def __post_init__(self):
        triggers = (self.triggers,) if isinstance(self.triggers, str) else tuple(self.triggers)
        known = _triggers()
        unknown = [t for t in triggers if t not in known]
        if unknown:
            raise ValueError(f"unknown suspicion trigger(s) {unknown}; known: {sorted(known)}")
        object.__setattr__(self, "triggers", triggers)
        for name in ("urticaria_pruritus_angioedema", "presyncope_syncope"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValueError(f"{name}={value!r} is not allowed: True, False or None "
                                 "(not stated)")

    @property
    def labels(self) -> tuple:
        return tuple(_triggers()[t]["label"] for t in self.triggers)

    @classmethod
    def from_case(cls, case_id: str) -> Presentation:
        """The presentation of a virtual patient (``data/case_presentations.csv``)."""
        for r in load_records("case_presentations"):
            if r["case_id"] == case_id:
                return cls(tuple(t.strip() for t in r["triggers"].split(";") if t.strip()),
                           r["urticaria_pruritus_angioedema"], r["presyncope_syncope"])
        raise ValueError(f"no presentation for case {case_id!r} in case_presentations.csv")

    @classmethod
    def from_findings(cls, findings) -> Presentation:
        """A best guess when only findings are known (no episode symptoms)."""
        triggers = []
        if findings.skin_lesion_type in LESION_TYPES:
            triggers.append("skin_lesions")
        if findings.mcas_episodes:
            triggers.append("mc_activation")
        if findings.destructive_mc_tumor:
            triggers.append("tumour")
        if findings.hepatomegaly or findings.splenomegaly:
            triggers.append("organomegaly")
        if red_flags(findings) and "organomegaly" not in triggers and "tumour" not in triggers:
            triggers.append("blood_count")
        if findings.bst_ng_ml is not None and not triggers:
            triggers.append("raised_tryptase")
        return cls(tuple(triggers))


# ------------------------------------------------------------------------------ the path


@dataclass(frozen=True)
class PathStep:
    """One step of one patient's path.

    Attributes
    ----------
    step_id : str
        Node of the flowchart.
    status : str
        ``"done"`` (a result is in the record), ``"not done"`` (indicated but no result in
        the record), ``"decision"`` (reasoning only) or ``"end"``.
    result : str
        What this patient's record shows at this step.
    decision : str
        Why the path goes where it goes next (empty for the last step).
    """

    step_id: str
    label: str
    status: str
    result: str
    decision: str = ""


@dataclass(frozen=True)
class PatientPath:
    """A patient's way through the pathway (result of :func:`patient_path`).

    Attributes
    ----------
    steps : tuple of PathStep
    branch : str
        ``"child with skin lesions"``, ``"adult with skin lesions"`` or
        ``"no skin lesions"``.
    rema : RemaResult or None
        When the REMA step was reached and could be scored.
    who, icc : Diagnosis
        ``ml.diagnose`` under WHO 2022 and ICC 2022 on the same findings.
    outcome : str
        One sentence: where the path ends and with which label.
    """

    steps: tuple
    branch: str
    rema: object
    who: object = field(repr=False)
    icc: object = field(repr=False)
    outcome: str
    findings: object = field(repr=False, default=None)
    presentation: Presentation | None = field(repr=False, default=None)

    @property
    def step_ids(self) -> tuple:
        return tuple(s.step_id for s in self.steps)

    def __len__(self):
        return len(self.steps)

    def to_frame(self):
        """One row per step: number, step, status, this patient's result, next-step reason."""
        import pandas as pd

        return pd.DataFrame([{"#": i, "step": s.label, "status": s.status,
                              "this patient": s.result, "why next": s.decision}
                             for i, s in enumerate(self.steps, start=1)])

    def __str__(self):
        return " → ".join(s.label for s in self.steps) + f". {self.outcome}"
