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
import html
import textwrap
from dataclasses import dataclass, field

from ._data import load_records
from ._figview import FigureView

LESION_TYPES = ("MPCM", "DCM", "mastocytoma")
SM_LIKE = ("SM", "MCS")
_OPS = {">": lambda a, b: a > b, ">=": lambda a, b: a >= b, "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b}


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
        for s in self.steps:
            if s.step_id == step_id:
                return s
        raise ValueError(f"unknown pathway step {step_id!r}; steps: {list(self.ids)}")

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
    for r in _rules():
        if r["rule_id"] == rule_id:
            return r
    raise ValueError(f"unknown pathway rule {rule_id!r}")


@functools.cache
def _child_age() -> tuple:
    """The engine's child/adult boundary (``thresholds.csv`` row ``child_age``)."""
    from ._rules import threshold_rows

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


def _fmt(x) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _yes(v, yes: str, no: str, unknown: str = "not assessed") -> str:
    return unknown if v is None else (yes if v else no)


def _skin_result(f) -> str:
    if f.skin_lesion_type is None:
        return "The skin was not examined in this record."
    if f.skin_lesion_type == "none":
        return "No typical skin lesions."
    parts = [f"Typical lesions: {f.skin_lesion_type}"]
    if f.mpcm_pattern:
        parts[0] += f" ({f.mpcm_pattern})"
    if f.skin_lesion_count is not None:
        parts.append(f"{f.skin_lesion_count} lesion(s)")
    parts.append("Darier's sign " + _yes(f.darier_sign, "positive", "negative"))
    return "; ".join(parts) + "."


def _blood_result(f, flags) -> str:
    bst = ("not measured" if f.bst_ng_ml is None else f"{_fmt(f.bst_ng_ml)} ng/mL")
    counts = [f"{name} {_fmt(v)}" for name, v in (("Hb", f.hb_g_dl), ("ANC", f.anc_1e9_l),
                                                  ("platelets", f.plt_1e9_l)) if v is not None]
    text = f"Basal tryptase {bst}."
    text += (" Blood count: " + ", ".join(counts) + "." if counts else
             " Blood count not recorded.")
    text += (" Red flags: " + "; ".join(flags) + "." if flags else " No red flags recorded.")
    return text


def _kit_result(f) -> str:
    if f.kit_d816v is None and f.kit_other_activating is None:
        return "KIT not tested in this record."
    if f.kit_d816v:
        vaf = (f" (allele fraction {_fmt(f.kit_d816v_vaf_pct)} %)"
               if f.kit_d816v_vaf_pct is not None else "")
        return f"KIT D816V detected{vaf}."
    if f.kit_other_activating:
        return "Another activating KIT mutation detected."
    return "KIT D816V not detected."


def _marrow_result(f) -> str:
    parts = []
    if f.mc_aggregates_ge15 is not None:
        parts.append("aggregates of ≥15 mast cells " + _yes(f.mc_aggregates_ge15, "present",
                                                              "absent"))
    if f.atypical_mc_pct is not None:
        parts.append(f"{_fmt(f.atypical_mc_pct)} % spindle/atypical mast cells")
    if f.bm_mc_infiltration_pct is not None:
        parts.append(f"infiltration {_fmt(f.bm_mc_infiltration_pct)} %")
    if f.bm_smear_mc_pct is not None:
        parts.append(f"{_fmt(f.bm_smear_mc_pct)} % mast cells on the smear")
    markers = [name for name in ("cd25", "cd2", "cd30") if getattr(f, name) is not None]
    if markers:
        pos = [m.upper() for m in markers if getattr(f, m)]
        parts.append(("expressing " + "/".join(pos)) if pos else
                     "negative for " + "/".join(m.upper() for m in markers))
    if f.associated_neoplasm:
        parts.append(f"also {f.associated_neoplasm} ({f.associated_neoplasm_lineage})")
    return ("Marrow: " + "; ".join(parts) + ". " if parts else "Marrow examined. ") + \
        _kit_result(f)


def _label(d) -> str:
    return d.label


def _both(who, icc) -> str:
    return f"WHO 2022: {_label(who)}; ICC 2022: {_label(icc)}."


def _staging_result(who, icc) -> str:
    def names(results):
        return ", ".join(r.id for r in results if r.met is True) or "none"

    return (f"WHO 2022: B-findings {names(who.b_findings)}, C-findings "
            f"{names(who.c_findings)}. ICC 2022: B-findings {names(icc.b_findings)}, "
            f"C-findings {names(icc.c_findings)}.")


def _is_child(f) -> bool:
    op, value = _child_age()
    return f.age_years is not None and _OPS[op](f.age_years, value)


def patient_path(findings, presentation: Presentation | None = None) -> PatientPath:
    """Walk one patient through the diagnostic pathway (pure; never edits its inputs).

    The branches follow the teaching outline of the course (fact sheet §5 and §9):

    * **child with typical skin lesions** (age below the engine's ``child_age`` limit):
      skin exam → (skin biopsy if Darier's sign is not clearly positive) → tryptase and blood
      count → red flags? → none: CM follow-up without marrow; any: blood KIT → marrow → …
    * **adult with skin lesions**: skin exam → skin biopsy → tryptase and blood count →
      (tryptase genotyping) → blood KIT → marrow → criteria → subtype → staging. REMA is
      skipped: it is meant for people without skin lesions.
    * **no skin lesions**: tryptase and blood count → (genotyping) → REMA unless red flags
      already call for a marrow study → blood KIT → marrow if indicated (red flags, REMA ≥ 2,
      KIT D816V, or HαT-adjusted tryptase > 20 ng/mL), otherwise no marrow for now.

    A marrow study that is in the record is always shown, with a note when the screening
    steps alone did not call for it; an indicated study that is missing is shown as
    "not done".

    Parameters
    ----------
    findings : mastolib.Findings
    presentation : Presentation, optional
        Defaults to :meth:`Presentation.from_findings`.

    Returns
    -------
    PatientPath

    Examples
    --------
    >>> import mastolib as ml
    >>> child = ml.Findings(age_years=2, skin_lesion_type="MPCM", skin_lesion_count=30,
    ...                     darier_sign=True, bm_examined=False, bst_ng_ml=5.8)
    >>> ml.patient_path(child).step_ids[-1]
    'cm_follow_up'
    """
    from ._diagnose import diagnose
    from ._findings import as_findings
    from ._tryptase import hat_adjusted_tryptase

    f = as_findings(findings)
    p = presentation if presentation is not None else Presentation.from_findings(f)
    if not isinstance(p, Presentation):
        raise ValueError(f"presentation must be a mastolib.Presentation, not "
                         f"{type(p).__name__}")
    mp = _pathway()
    who, icc = diagnose(f, "who2022"), diagnose(f, "icc2022")
    lesions = f.skin_lesion_type in LESION_TYPES
    child = _is_child(f)
    flags = red_flags(f)
    steps: list[PathStep] = []

    def add(step_id, status, result, decision=""):
        steps.append(PathStep(step_id, mp.step(step_id).label, status, result, decision))

    why = "; ".join(p.labels) if p.triggers else "no presenting problem recorded"
    add("suspicion", "decision", f"Came to attention with: {why}.",
        "Every route starts by looking at the skin.")

    if lesions and child:
        branch, skin_next = "child with skin lesions", "Child with typical lesions: the " \
            "skin (paediatric) branch."
    elif lesions:
        branch, skin_next = "adult with skin lesions", "Adult with typical lesions: " \
            "systemic disease is likely, so the work-up heads for the marrow; REMA is not " \
            "needed."
    else:
        branch, skin_next = "no skin lesions", "No skin lesions: the screening branch " \
            "(genotyping if indicated, REMA, blood KIT) decides whether a marrow study is needed."
    add("skin_exam", "done" if f.skin_lesion_type is not None else "not done",
        _skin_result(f), skin_next)

    if lesions and (not child or f.darier_sign is not True):
        reason = ("documents the skin criteria before the marrow study" if not child else
                  "Darier's sign is not clearly positive")
        add("skin_biopsy", "decision", f"Indicated: {reason}. (Biopsy results are not part "
            "of the case record.)", "Next: basal tryptase and blood count.")

    bst = f.bst_ng_ml
    add("bst_cbc", "done" if bst is not None else "not done", _blood_result(f, flags), "")

    rema_result = None
    marrow_reasons: list[str] = []
    if lesions and child:
        child_flags = flags + red_flags(f, "child_flag")
        steps[-1] = _with_decision(steps[-1], "Child with skin lesions: look for red flags.")
        if not child_flags:
            add("paed_check", "decision", "No red flags recorded.",
                "No red flags: follow-up without a marrow study.")
            add("cm_follow_up", "end", f"Classified {_both(who, icc)} The marrow is not "
                "studied unless red flags appear or lesions persist into adulthood.")
            return _finish(steps, branch, None, who, icc, f, p)
        add("paed_check", "decision", "Red flags: " + "; ".join(child_flags) + ".",
            "Red flags call for a closer look: blood KIT and a marrow study.")
        marrow_reasons.append("red flags in a child")
    else:
        gene_rule = _rule("genotyping_bst")
        genotype_known = f.hat_extra_alpha_copies is not None
        indicated = bst is not None and _OPS[gene_rule["operator"]](bst, gene_rule["value"])
        if genotype_known or indicated:
            steps[-1] = _with_decision(
                steps[-1], "Tryptase genotyping: " + (
                    f"basal tryptase {_fmt(bst)} ng/mL (indicated from "
                    f"{_fmt(gene_rule['value'])} ng/mL in a symptomatic patient)."
                    if indicated else "a genotype is in the record."))
            if genotype_known:
                n = f.hat_extra_alpha_copies
                adj = hat_adjusted_tryptase(bst, n) if bst is not None else None
                result = (f"{n} extra alpha-tryptase cop{'y' if n == 1 else 'ies'}"
                          + (" (no HαT)." if n == 0 else
                             f" (HαT): adjusted tryptase {_fmt(bst)} / {1 + n} = "
                             f"{adj:.1f} ng/mL." if adj is not None else "."))
                add("hat_genotyping", "done", result)
            else:
                add("hat_genotyping", "not done", "Indicated, but no genotype in this record: "
                    "the measured tryptase has to be used as it is.")
        if not lesions:
            if flags:
                marrow_reasons.append("red flags (" + "; ".join(flags) + ")")
                steps[-1] = _with_decision(steps[-1], "Red flags already call for a marrow "
                                           "study, so REMA is skipped; blood KIT next.")
            else:
                steps[-1] = _with_decision(steps[-1], "No skin lesions and no red flags: "
                                           "score the REMA.")
                rema_result, rema_text = _rema_step(f, p)
                add("rema", "done" if rema_result is not None else "not done", rema_text,
                    "Next: KIT D816V in blood.")
                if rema_result is not None and rema_result.clonality_likely:
                    marrow_reasons.append(f"REMA {rema_result.points} points (≥ 2)")
        else:
            marrow_reasons.append("adult with skin lesions")
            steps[-1] = _with_decision(steps[-1], "Next: KIT D816V in blood.")

    # blood KIT
    if f.kit_d816v:
        marrow_reasons.append("KIT D816V detected")
    if not lesions and bst is not None:
        copies = f.hat_extra_alpha_copies or 0
        adjusted = hat_adjusted_tryptase(bst, copies)
        rule = _rule("marrow_bst")
        if _OPS[rule["operator"]](adjusted, rule["value"]):
            marrow_reasons.append(f"tryptase {adjusted:.1f} ng/mL "
                                  f"{'(HαT-adjusted) ' if copies else ''}> 20")
    indicated = bool(marrow_reasons)
    if indicated:
        kit_decision = "Marrow study indicated: " + "; ".join(marrow_reasons) + "."
    else:
        kit_decision = "No indication for a marrow study from the screening steps."
    kit_status = "done" if (f.kit_d816v is not None or f.kit_other_activating is not None) \
        else "not done"
    add("pb_kit", kit_status, _kit_result(f), kit_decision)

    if not indicated and f.bm_examined is not True:
        add("low_probability", "end", f"Classified {_both(who, icc)} Follow-up and "
            "treatment of symptoms; a marrow study only if new features appear.")
        return _finish(steps, branch, rema_result, who, icc, f, p)

    if f.bm_examined is True:
        note = "" if indicated else ("(Done in this patient although the screening steps "
                                     "alone did not call for it.) ")
        add("marrow", "done", note + _marrow_result(f))
    else:
        add("marrow", "not done", "Indicated but not done in this record"
            + (" (declined or not yet performed)." if f.bm_examined is False else "."))
    steps[-1] = _with_decision(steps[-1], "Apply the SM criteria of both classifications.")

    sm = who.category in SM_LIKE or icc.category in SM_LIKE
    if not sm:
        add("criteria", "done", _both(who, icc), "SM criteria not met under either scheme.")
        add("not_sm", "end", _not_sm_text(who, icc, f))
        return _finish(steps, branch, rema_result, who, icc, f, p)
    if who.category == icc.category:
        agree, nxt = "", "Criteria met: count B- and C-findings to find the subtype."
    else:
        met_in = "WHO 2022" if who.category in SM_LIKE else "ICC 2022"
        agree = " The two schemes disagree here."
        nxt = (f"Criteria met under {met_in} only: the subtype is worked out for that scheme, "
               "and the disagreement is worth discussing.")
    add("criteria", "done", f"WHO 2022: {who.category}; ICC 2022: {icc.category}.{agree}", nxt)
    add("subtype", "done", _both(who, icc), "Complete the staging work-up.")
    add("staging", "end", _staging_result(who, icc))
    return _finish(steps, branch, rema_result, who, icc, f, p)


def _with_decision(step: PathStep, decision: str) -> PathStep:
    return PathStep(step.step_id, step.label, step.status, step.result, decision)


def _rema_step(f, p: Presentation):
    from ._scores import rema

    missing = [name for name, v in (
        ("sex", f.sex), ("urticaria/pruritus/angioedema during episodes",
                         p.urticaria_pruritus_angioedema),
        ("presyncope/syncope during episodes", p.presyncope_syncope),
        ("basal tryptase", f.bst_ng_ml)) if v is None]
    if missing:
        return None, ("Cannot be scored: " + ", ".join(missing) + " not recorded.")
    r = rema(f.sex, p.urticaria_pruritus_angioedema, p.presyncope_syncope, f.bst_ng_ml)
    items = ", ".join(f"{i.label} {i.points:+d}" for i in r.items)
    verdict = "clonality likely (≥ 2)" if r.clonality_likely else "clonality less likely (< 2)"
    return r, f"{r.points} points: {verdict}. Items: {items}. Point weights unconfirmed."


def _not_sm_text(who, icc, f) -> str:
    text = f"Final label: {_both(who, icc)}"
    if "MMAS" in (who.subtype, icc.subtype):
        text += " Clonal mast cells with activation episodes but SM criteria not met."
    elif f.bm_examined is not True:
        text += " Without a marrow study SM can be neither confirmed nor excluded."
    return text


def _finish(steps, branch, rema_result, who, icc, f, p) -> PatientPath:
    last = steps[-1]
    outcome = f"Path ends at '{last.label}' ({len(steps)} steps). {_both(who, icc)}"
    return PatientPath(tuple(steps), branch, rema_result, who, icc, outcome, f, p)


# ------------------------------------------------------------------------- virtual patients


@functools.cache
def _case_rows() -> dict:
    return {r["case_id"]: r for r in load_records("cases")}


def case_path(case_id: str) -> PatientPath:
    """:func:`patient_path` for a virtual patient of ``data/cases.csv``.

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.case_path("c09").step_ids[-1]
    'staging'
    """
    return _case_path(case_id)


@functools.cache
def _case_path(case_id: str) -> PatientPath:
    from ._fields import FIELD_NAMES
    from ._findings import Findings

    rows = _case_rows()
    if case_id not in rows:
        raise ValueError(f"unknown case {case_id!r}; cases: {sorted(rows)}")
    row = rows[case_id]
    f = Findings.from_mapping({k: v for k, v in row.items() if k in FIELD_NAMES})
    return patient_path(f, Presentation.from_case(case_id))


def case_options() -> list:
    """``(label, case_id)`` pairs for a drop-down, in case-table order."""
    return [(f"{cid} · {r['title']}", cid) for cid, r in _case_rows().items()]


# --------------------------------------------------------------------------- the flowchart

_STATES = ("off", "ahead", "visited", "current")
_BOX = {"off": dict(border="#BBBBBB", fill="#FFFFFF", font="#777777", width=1,
                    name="Not on this path"),
        "ahead": dict(border="#56B4E9", fill="#FFFFFF", font="#222222", width=2,
                      name="Later on this path"),
        "visited": dict(border="#0072B2", fill="#E3EFF7", font="#000000", width=2,
                        name="Done (✓)"),
        "current": dict(border="#D55E00", fill="#FBE3D3", font="#000000", width=4,
                        name="Current box")}
_PREFIX = {"off": "", "ahead": "", "visited": "✓ ", "current": "▶ "}
_BADGE_DX = 0.5
_HALF_W = 0.44
_HALF_H = 0.28


def _wrap(text: str, width: int = 19) -> str:
    return "<br>".join(textwrap.wrap(text, width)) or text


def _box_states(mp: Pathway, path_ids: tuple, k: int | None) -> dict:
    """State of every node: 'current', 'visited', 'ahead' or 'off' (k = current index)."""
    states = {sid: "off" for sid in mp.ids}
    if k is None:
        for sid in path_ids:
            states[sid] = "visited"
        return states
    for i, sid in enumerate(path_ids):
        states[sid] = "visited" if i < k else "current" if i == k else "ahead"
    return states


def _rectangles(centres) -> tuple:
    """x, y lists drawing closed rectangles around the centres (None between them)."""
    xs, ys = [], []
    for x, y in centres:
        xs += [x - _HALF_W, x + _HALF_W, x + _HALF_W, x - _HALF_W, x - _HALF_W, None]
        ys += [y - _HALF_H, y - _HALF_H, y + _HALF_H, y + _HALF_H, y - _HALF_H, None]
    return xs, ys


def flowchart_state(path: PatientPath | None, step: int | None) -> dict:
    """Everything that changes in the flowchart when the step or patient changes (pure).

    Returns a dict with the x/y (and text) of the changing traces: ``"so_far"``,
    ``"ahead"``, ``"badges"``, ``"current"``, ``"boxes"`` (state -> rectangles),
    ``"labels"`` (text and colour per node), plus ``"states"`` and ``"current_id"``.
    """
    mp = _pathway()
    ids = path.step_ids if path is not None else ()
    if step is not None and ids:
        step = max(0, min(int(step), len(ids) - 1))
    elif not ids:
        step = None
    pos = {s.step_id: (float(s.col), -float(s.row)) for s in mp.steps}
    states = _box_states(mp, ids, step)
    upto = len(ids) if step is None else step + 1
    so_far = ids[:upto]
    ahead = ids[upto - 1:] if step is not None else ()
    current_id = ids[step] if step is not None else None

    def xy(seq):
        return [pos[s][0] for s in seq], [pos[s][1] for s in seq]

    sx, sy = xy(so_far)
    cx, cy = xy([current_id] if current_id else [])
    boxes = {state: _rectangles([pos[sid] for sid in mp.ids if states[sid] == state])
             for state in _STATES}
    texts, colours = [], []
    for s in mp.steps:
        state = states[s.step_id]
        text = _PREFIX[state] + _wrap(s.label)
        texts.append(f"<b>{text}</b>" if state == "current" else text)
        colours.append(_BOX[state]["font"])
    return {"so_far": (sx, sy), "ahead": xy(ahead),
            "badges": ([x - _BADGE_DX for x in sx], sy,
                       [str(i) for i in range(1, len(so_far) + 1)]),
            "current": ([x - _BADGE_DX for x in cx], cy, [current_id] if current_id else []),
            "boxes": boxes, "labels": (texts, colours), "states": states,
            "current_id": current_id}


def _arrow_annotations(mp: Pathway) -> list:
    pos = {s.step_id: (s.col, -s.row) for s in mp.steps}
    out = []
    for a, b in mp.edges:
        (x0, y0), (x1, y1) = pos[a], pos[b]
        out.append(dict(x=x1, y=y1 + _HALF_H, ax=x0, ay=y0 - _HALF_H, xref="x", yref="y",
                        axref="x", ayref="y", showarrow=True, arrowhead=2, arrowsize=1,
                        arrowwidth=1.2, arrowcolor="#888888", text="",
                        name=f"edge:{a}>{b}"))
    return out


def pathway_figure(path: PatientPath | None = None, step: int | None = None):
    """The pathway flowchart, with one patient's path highlighted (pure builder).

    Parameters
    ----------
    path : PatientPath, optional
        Highlight this path (``None``: the bare map).
    step : int, optional
        0-based index of the current step: earlier steps are ticked and numbered, later ones
        outlined in light blue; ``None`` shows the whole path as done.

    Returns
    -------
    plotly.graph_objects.Figure
        Node boxes are four filled traces (one per state: not on the path, later, done,
        current), labels one text trace (``customdata`` = step ids, hover = why the step
        is done); ``"Path so far"``, ``"Path ahead"``, ``"Step numbers"`` and
        ``"Current step"`` (its ``customdata`` holds the current step id). Arrows are
        annotations.
    """
    import plotly.graph_objects as go

    from ._theme import OKABE_ITO, apply_theme

    mp = _pathway()
    st = flowchart_state(path, step)
    fig = go.Figure()
    fig.add_scatter(x=st["ahead"][0], y=st["ahead"][1], mode="lines", name="Path ahead",
                    line=dict(color=OKABE_ITO["sky_blue"], width=3, dash="dot"),
                    hoverinfo="skip")
    fig.add_scatter(x=st["so_far"][0], y=st["so_far"][1], mode="lines", name="Path so far",
                    line=dict(color=OKABE_ITO["blue"], width=6), hoverinfo="skip")
    for state in _STATES:
        style = _BOX[state]
        fig.add_scatter(x=st["boxes"][state][0], y=st["boxes"][state][1], mode="lines",
                        fill="toself", fillcolor=style["fill"], name=style["name"],
                        line=dict(color=style["border"], width=style["width"]),
                        hoverinfo="skip", showlegend=state in ("ahead", "visited"))
    texts, colours = st["labels"]
    fig.add_scatter(x=[float(s.col) for s in mp.steps], y=[-float(s.row) for s in mp.steps],
                    text=texts, customdata=list(mp.ids), mode="text", name="Steps",
                    textfont=dict(size=11, color=colours), showlegend=False,
                    hovertext=[_wrap(s.why, 60) for s in mp.steps], hoverinfo="text")
    fig.add_scatter(x=st["badges"][0], y=st["badges"][1], text=st["badges"][2],
                    mode="markers+text", name="Step numbers",
                    marker=dict(symbol="circle", size=20, color=OKABE_ITO["blue"]),
                    textfont=dict(color="white", size=11), hoverinfo="skip",
                    showlegend=False)
    fig.add_scatter(x=st["current"][0], y=st["current"][1], customdata=st["current"][2],
                    mode="markers", name="Current step",
                    marker=dict(symbol="star", size=24, color=OKABE_ITO["vermillion"],
                                line=dict(color="black", width=1)), hoverinfo="skip")
    title = "The diagnostic pathway" + (f" ({path.branch})" if path is not None else "")
    apply_theme(fig, title=title, height=820)
    rows = max(s.row for s in mp.steps)
    fig.update_layout(
        annotations=_arrow_annotations(mp), width=540, showlegend=True,
        margin=dict(l=10, r=10, t=50, b=40), hovermode="closest",
        xaxis=dict(range=[-0.55, 2.5], visible=False, fixedrange=True),
        yaxis=dict(range=[-rows - 0.6, 0.6], visible=False, fixedrange=True))
    return fig


def pathway_summary(path: PatientPath | None = None) -> str:
    """One line describing :func:`pathway_figure` for screen readers and static pages."""
    mp = _pathway()
    if path is None:
        return (f"Flowchart of {len(mp.steps)} steps from clinical suspicion to staging, "
                "with a skin branch for children on the left and a screening branch for "
                "people without skin lesions on the right.")
    return (f"Highlighted path ({path.branch}, {len(path)} steps): "
            + " → ".join(s.label for s in path.steps) + ".")


# --------------------------------------------------------------------------------- the app


def _panel_html(mp: Pathway, ps: PathStep, k: int, n: int) -> str:
    s = mp.step(ps.step_id)
    e = html.escape
    status = {"done": "✓ result in the record", "not done": "○ not done in this record",
              "decision": "◆ decision", "end": "■ end of the path"}[ps.status]
    decision = (f"<p><b>Next:</b> {e(ps.decision)}</p>" if ps.decision else "")
    return (f"<div class='mastolib-pathway-step' style='border-left:6px solid #D55E00;"
            f"padding:4px 10px;line-height:1.35;font-size:13px'>"
            f"<div><small>Step {k + 1} of {n} · {e(status)}</small></div>"
            f"<h4 style='margin:4px 0'>{e(s.label)}</h4>"
            f"<p class='mastolib-pathway-result'><b>This patient:</b> {e(ps.result)}</p>"
            f"{decision}"
            f"<p><b>Why this step:</b> {e(s.why)}</p>"
            f"<p><b>What it can show:</b> {e(s.what_it_shows)}</p>"
            f"<p><b>What it costs the patient:</b> {e(s.cost_to_patient)}</p>"
            f"<p><small>Sources: <code>{e(s.source_id)}</code></small></p></div>")


class PathwayApp:
    """Step through the diagnostic pathway with one virtual patient.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict
        ``"patient"`` (Dropdown), ``"step"`` (IntSlider, 1-based), ``"previous"`` and
        ``"next"`` (Buttons that move the step slider).
    figure : plotly.graph_objects.FigureWidget
    result : PatientPath
        The current patient's path.
    message : str
        Feedback for the learner (e.g. at the end of the path).
    """

    def __init__(self, case_id: str | None = None):
        import ipywidgets as w

        options = case_options()
        ids = [cid for _, cid in options]
        if case_id is None:
            case_id = ids[0]
        if case_id not in ids:
            raise ValueError(f"unknown case {case_id!r}; cases: {ids}")
        self._mp = _pathway()
        self.result = case_path(case_id)
        self.message = ""
        self.controls = {
            "patient": w.Dropdown(options=options, value=case_id, description="Choose patient:",
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="460px")),
            "step": w.IntSlider(value=1, min=1, max=len(self.result), description="Step:",
                                continuous_update=True, readout=True),
            "previous": w.Button(description="Previous step", icon="arrow-left",
                                 tooltip="Go back one step"),
            "next": w.Button(description="Next step", icon="arrow-right",
                             button_style="primary", tooltip="Go to the next step"),
        }
        self.controls["previous"].add_class("mastolib-pathway-previous")
        self.controls["next"].add_class("mastolib-pathway-next")
        # Built from the initial state and never updated before it is displayed: an update
        # queued before the front end draws the figure left it blank in JupyterLab.
        self.figure = FigureView(pathway_figure(self.result, 0))
        self._trace = {t.name: i for i, t in enumerate(self.figure.data)}
        self._syncing = False
        self._panel = w.HTML(layout=w.Layout(width="300px"))
        self._panel.add_class("mastolib-pathway-panel")
        self._message = w.HTML()
        self._message.add_class("mastolib-pathway-message")
        self._summary = w.HTML()
        self._summary.add_class("mastolib-pathway-summary")
        self.controls["previous"].on_click(lambda _b: self._move(-1))
        self.controls["next"].on_click(lambda _b: self._move(+1))
        self.controls["patient"].observe(self._update, names="value")
        self.controls["step"].observe(self._update, names="value")
        c = self.controls
        self.widget = w.VBox([
            c["patient"], w.HBox([c["previous"], c["next"], c["step"]]), self._message,
            w.HBox([self.figure.widget, self._panel], layout=w.Layout(flex_flow="row wrap")),
            self._summary])
        self.widget.add_class("mastolib-pathway")
        self._render_text(0)

    def _move(self, delta: int):
        slider = self.controls["step"]
        target = slider.value + delta
        if target < slider.min:
            self._set_message("You are at the first step: the path starts with the clinical "
                              "suspicion.")
        elif target > slider.max:
            self._set_message("This is the last step of this patient's path. Choose another "
                              "patient to compare.")
        else:
            slider.value = target

    def _set_message(self, text: str):
        self.message = text
        self._message.value = (f"<div role='status' style='color:#8A3A00'>{html.escape(text)}"
                               "</div>" if text else "")

    def _update(self, change=None):
        c = self.controls
        if self._syncing:
            return  # the slider is being reset for a new patient; render once, below
        if change is not None and change["owner"] is c["patient"]:
            self.result = case_path(c["patient"].value)
            self._syncing = True
            try:
                c["step"].value = 1
                c["step"].max = len(self.result)
            finally:
                self._syncing = False
        k = c["step"].value - 1
        st = flowchart_state(self.result, k)
        fig, t = self.figure, self._trace
        with fig.batch_update():
            for name, key in (("Path so far", "so_far"), ("Path ahead", "ahead")):
                fig.data[t[name]].x, fig.data[t[name]].y = st[key]
            badges = fig.data[t["Step numbers"]]
            badges.x, badges.y, badges.text = st["badges"]
            cur = fig.data[t["Current step"]]
            cur.x, cur.y, cur.customdata = st["current"]
            for state in _STATES:
                box = fig.data[t[_BOX[state]["name"]]]
                box.x, box.y = st["boxes"][state]
            labels = fig.data[t["Steps"]]
            labels.text, labels.textfont.color = st["labels"]
            fig.layout.title.text = f"The diagnostic pathway ({self.result.branch})"
        self._render_text(k)

    def _render_text(self, k: int):
        ps = self.result.steps[k]
        self._panel.value = _panel_html(self._mp, ps, k, len(self.result))
        self._summary.value = f"<small>{html.escape(pathway_summary(self.result))}</small>"
        self._set_message("")

    @property
    def current_step(self) -> PathStep:
        return self.result.steps[self.controls["step"].value - 1]

    def _repr_mimebundle_(self, **kwargs):
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def pathway_app(case_id: str | None = None) -> PathwayApp:
    """Build the step-through pathway app (``app.widget`` is the view).

    Parameters
    ----------
    case_id : str, optional
        Virtual patient to start with (default: the first case of ``data/cases.csv``).
    """
    return PathwayApp(case_id)
