"""One patient's way through the diagnostic pathway, case paths and the flowchart state.

The pathway (steps, rules, presentation) is in :mod:`mastolib.models._pathway`.
"""

from __future__ import annotations

import functools
import textwrap

from ..engine._cases import get_case, load_cases
from ..engine._diagnose import diagnose
from ..engine._findings import as_findings
from ..engine._logic import SYMBOLS
from ..engine._scores import rema
from ..engine._tryptase import hat_adjusted_tryptase
from ._pathway import (
    _OPS,
    LESION_TYPES,
    SM_LIKE,
    PathStep,
    Pathway,
    PatientPath,
    Presentation,
    _child_age,
    _pathway,
    _rule,
    red_flags,
)


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
                                  f"{'(HαT-adjusted) ' if copies else ''}"
                                  f"{SYMBOLS[rule['operator']]} {rule['value']:g}")
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
        # issue 17: SM still possible under a scheme -> undecided, with the deciding tests
        open_sm = [d for d in (who, icc) if "SM" in d.candidates]
        if open_sm:
            add("criteria", "done", _both(who, icc),
                "SM criteria undecided: " + open_sm[0].undecided_text)
            add("sm_undecided", "end", f"Final label: {_both(who, icc)} "
                + " ".join(dict.fromkeys(d.undecided_text for d in open_sm)))
            return _finish(steps, branch, rema_result, who, icc, f, p)
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

    f = get_case(case_id).findings
    return patient_path(f, Presentation.from_case(case_id))


def case_options() -> list:
    """``(label, case_id)`` pairs for a drop-down, in case-table order."""
    return [(f"{c.case_id} · {c.title}", c.case_id) for c in load_cases()]


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


def pathway_summary(path: PatientPath | None = None) -> str:
    """One line describing :func:`pathway_figure` for screen readers and static pages."""
    mp = _pathway()
    if path is None:
        return (f"Flowchart of {len(mp.steps)} steps from clinical suspicion to staging, "
                "with a skin branch for children on the left and a screening branch for "
                "people without skin lesions on the right.")
    return (f"Highlighted path ({path.branch}, {len(path)} steps): "
            + " → ".join(s.label for s in path.steps) + ".")
