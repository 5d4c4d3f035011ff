"""The diagnostic pathway (mastolib/models/_pathway.py): path model, flowchart and app."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mastolib as ml
from mastolib.models._pathway import Pathway, PatientPath, red_flags
from mastolib.models._pathway_path import case_options, flowchart_state
from tests.strategies import FAST, findings

CASE_IDS = [cid for _, cid in case_options()]


def edges():
    return set(Pathway.load().edges)


def assert_valid_path(path):
    ids = path.step_ids
    assert ids[0] == "suspicion"
    assert len(ids) == len(set(ids)), f"a step repeats: {ids}"
    for a, b in zip(ids, ids[1:], strict=False):
        assert (a, b) in edges(), f"{a} -> {b} is not an arrow of pathway_steps.csv"
    assert Pathway.load().step(ids[-1]).kind == "end", f"path stops mid-way at {ids[-1]}"
    assert all(s.status in ("done", "not done", "decision", "end") for s in path.steps)


# --------------------------------------------------------------------------- the map (data)


def test_every_next_step_exists_and_only_end_steps_have_none():
    mp = Pathway.load()
    assert set(mp.ids) >= {"suspicion", "bst_cbc", "hat_genotyping", "rema", "pb_kit",
                           "marrow", "criteria", "subtype", "staging", "paed_check",
                           "cm_follow_up", "skin_biopsy"}
    for s in mp.steps:
        assert s.why and s.what_it_shows and s.cost_to_patient and s.source_id
        assert (s.kind == "end") == (not s.next_steps)


def test_every_step_is_reachable_from_suspicion():
    mp = Pathway.load()
    seen, todo = set(), ["suspicion"]
    while todo:
        sid = todo.pop()
        if sid not in seen:
            seen.add(sid)
            todo.extend(mp.step(sid).next_steps)
    assert seen == set(mp.ids)


def test_unknown_step_lists_the_valid_ones():
    with pytest.raises(ValueError, match="unknown pathway step 'xray'.*suspicion"):
        Pathway.load().step("xray")


def test_every_case_has_a_presentation_with_known_triggers():
    presented = {r["case_id"] for r in ml.load_records("case_presentations")}
    assert presented == set(CASE_IDS)
    for cid in CASE_IDS:
        assert ml.Presentation.from_case(cid).triggers


# ------------------------------------------------------------------- paths of the cases


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_case_walks_a_valid_path(case_id):
    assert_valid_path(ml.case_path(case_id))


def test_adult_with_skin_lesions_skips_rema_and_reaches_staging():
    # c08: adult ISM with typical lesions (cases.csv)
    path = ml.case_path("c08")
    assert path.branch == "adult with skin lesions"
    assert "rema" not in path.step_ids
    assert path.step_ids[-3:] == ("criteria", "subtype", "staging")
    assert path.who.subtype == "ISM" and path.icc.subtype == "ISM"


def test_venom_anaphylaxis_without_lesions_goes_through_rema_to_the_marrow():
    # c09: REMA = male +1, no urticaria +1, syncope +3, BST 26.5 > 25 +2 = 7 (fact sheet 6.1)
    path = ml.case_path("c09")
    assert path.branch == "no skin lesions"
    assert path.step_ids.index("rema") < path.step_ids.index("pb_kit") < \
        path.step_ids.index("marrow")
    assert path.rema.points == 7 and path.rema.clonality_likely
    assert (path.who.subtype, path.icc.subtype) == ("BMM", "ISM")


def test_anaphylaxis_with_clonal_cells_but_no_sm_ends_as_mmas():
    path = ml.case_path("c22")
    assert path.step_ids[-1] == "not_sm"
    assert path.who.subtype == "MMAS"


def test_child_with_mpcm_and_no_red_flags_gets_no_marrow():
    path = ml.case_path("c01")
    assert path.step_ids == ("suspicion", "skin_exam", "bst_cbc", "paed_check",
                             "cm_follow_up")
    assert "marrow" not in path.step_ids


def test_hat_and_low_rema_without_kit_means_no_marrow_for_now():
    # c23: REMA -3 (female -1, itch -2, no syncope 0, BST 24 in 15-25 -> 0); adjusted 24/3 = 8
    path = ml.case_path("c23")
    assert path.step_ids[-1] == "low_probability"
    assert path.rema.points == -3
    genotype = path.steps[path.step_ids.index("hat_genotyping")]
    assert "24 / 3 = 8.0" in genotype.result


def test_child_with_red_flags_is_sent_for_blood_kit_and_marrow():
    child = ml.Findings(age_years=6, skin_lesion_type="MPCM", skin_lesion_count=40,
                        darier_sign=True, hepatomegaly=True, bst_ng_ml=60)
    path = ml.patient_path(child)
    assert path.step_ids[:5] == ("suspicion", "skin_exam", "bst_cbc", "paed_check", "pb_kit")
    assert "marrow" in path.step_ids
    marrow = path.steps[path.step_ids.index("marrow")]
    assert marrow.status == "not done"
    assert "Enlarged liver" in path.steps[3].result


def test_child_without_clear_darier_sign_gets_a_skin_biopsy():
    child = ml.Findings(age_years=3, skin_lesion_type="mastocytoma", skin_lesion_count=1)
    assert "skin_biopsy" in ml.patient_path(child).step_ids


def test_red_flags_skip_rema_without_skin_lesions():
    f = ml.Findings(age_years=60, sex="M", skin_lesion_type="none", hb_g_dl=8.5,
                    bst_ng_ml=12.0)
    path = ml.patient_path(f, ml.Presentation(("blood_count",), False, True))
    assert "rema" not in path.step_ids
    assert "marrow" in path.step_ids
    assert red_flags(f) == ("Haemoglobin below 10 g/dL",)


def test_rema_that_cannot_be_scored_says_what_is_missing():
    f = ml.Findings(age_years=40, sex="F", skin_lesion_type="none", bst_ng_ml=9.0)
    path = ml.patient_path(f, ml.Presentation(("anaphylaxis",)))
    rema = path.steps[path.step_ids.index("rema")]
    assert rema.status == "not done" and "presyncope/syncope" in rema.result
    assert path.step_ids[-1] == "low_probability"


def test_genotyping_follows_the_bst_rule():
    low = ml.patient_path(ml.Findings(age_years=40, skin_lesion_type="none", bst_ng_ml=7.9))
    high = ml.patient_path(ml.Findings(age_years=40, skin_lesion_type="none", bst_ng_ml=8.0))
    assert "hat_genotyping" not in low.step_ids
    assert "hat_genotyping" in high.step_ids


def test_a_marrow_in_the_record_is_shown_even_when_not_indicated():
    path = ml.case_path("c18")  # anaesthesia anaphylaxis, REMA not scorable, KIT negative
    marrow = path.steps[path.step_ids.index("marrow")]
    assert marrow.status == "done" and "did not call for it" in marrow.result


def test_path_frame_has_one_row_per_step():
    path = ml.case_path("c09")
    frame = path.to_frame()
    assert list(frame["#"]) == list(range(1, len(path) + 1))
    assert "REMA" in " ".join(frame["step"])


def test_presentation_validates_its_inputs():
    with pytest.raises(ValueError, match="unknown suspicion trigger"):
        ml.Presentation(("sneezing",))
    with pytest.raises(ValueError, match="presyncope_syncope='yes' is not allowed"):
        ml.Presentation((), None, "yes")
    with pytest.raises(ValueError, match="no presentation for case"):
        ml.Presentation.from_case("c99")
    with pytest.raises(ValueError, match="unknown case"):
        ml.case_path("c99")


@FAST
@given(findings(), st.sampled_from([None, (), ("anaphylaxis",)]), st.sampled_from(
    [None, True, False]), st.sampled_from([None, True, False]))
def test_any_partial_findings_give_a_valid_path(f, triggers, urticaria, syncope):
    presentation = None if triggers is None else ml.Presentation(triggers, urticaria, syncope)
    path = ml.patient_path(f, presentation)
    assert_valid_path(path)
    st_ = flowchart_state(path, len(path) - 1)
    assert st_["current_id"] == path.step_ids[-1]


# -------------------------------------------------------------------------------- figure


def test_figure_highlights_the_current_step():
    path = ml.case_path("c09")
    fig = ml.pathway_figure(path, 4)
    traces = {t.name: t for t in fig.data}
    assert tuple(traces["Current step"].customdata) == ("rema",)
    assert list(traces["Step numbers"].text) == ["1", "2", "3", "4", "5"]
    labels = traces["Steps"]
    rema_label = labels.text[list(labels.customdata).index("rema")]
    assert rema_label.startswith("<b>▶")
    assert ml.pathway_summary(path).startswith("Highlighted path (no skin lesions, 10 steps)")


def test_bare_map_has_no_current_step():
    fig = ml.pathway_figure()
    traces = {t.name: t for t in fig.data}
    assert len(traces["Current step"].x) == 0
    assert "16 steps" in ml.pathway_summary()


# ----------------------------------------------------------------------------------- app


@pytest.fixture(scope="module")
def app():
    return ml.pathway_app("c09")


def current(app):
    return tuple(t for t in app.figure.data if t.name == "Current step")[0].customdata[0]


def test_app_has_the_documented_attributes(app):
    assert {"patient", "step", "previous", "next"} <= set(app.controls)
    for control in app.controls.values():
        assert control.description
    assert app.widget is not None and app.figure is not None
    assert isinstance(app.result, PatientPath)


def test_next_and_previous_move_the_highlight(app):
    app.controls["patient"].value = "c09"
    assert current(app) == "suspicion"
    app.controls["next"].click()
    assert current(app) == "skin_exam" and app.current_step.step_id == "skin_exam"
    app.controls["previous"].click()
    assert current(app) == "suspicion"


def test_previous_at_the_first_step_is_a_message(app):
    app.controls["patient"].value = "c09"
    app.controls["previous"].click()
    assert "first step" in app.message
    assert current(app) == "suspicion"


def test_next_at_the_last_step_is_a_message(app):
    app.controls["patient"].value = "c01"
    app.controls["step"].value = app.controls["step"].max
    assert current(app) == "cm_follow_up"
    app.controls["next"].click()
    assert "last step" in app.message


def test_choosing_a_patient_restarts_at_step_one(app):
    app.controls["patient"].value = "c09"
    app.controls["step"].value = 5
    app.controls["patient"].value = "c01"
    assert app.controls["step"].value == 1 and app.controls["step"].max == 5
    assert app.result.step_ids[-1] == "cm_follow_up"
    assert current(app) == "suspicion"
    assert "paediatric" in app._panel.value or "Clinical suspicion" in app._panel.value


def test_panel_shows_why_what_and_cost(app):
    app.controls["patient"].value = "c09"
    app.controls["step"].value = 5
    panel = app._panel.value
    assert "REMA score" in panel and "7 points" in panel
    for heading in ("Why this step", "What it can show", "What it costs the patient"):
        assert heading in panel


def test_unknown_case_is_refused():
    with pytest.raises(ValueError, match="unknown case"):
        ml.pathway_app("nope")


def test_child_with_an_enlarged_liver_and_no_marrow_ends_undecided():
    # issue 17 (notebook 04): a red flag without a marrow study leaves SM open - the path ends
    # at "SM undecided" naming the marrow study, never at "SM criteria not met"
    child = ml.case_path("c01")
    path = ml.patient_path(child.findings.replace(hepatomegaly=True), child.presentation)
    assert path.steps[-1].step_id == "sm_undecided"
    assert "Bone marrow examined" in path.steps[-1].result
    assert path.who.candidates == ("SM", "CM")
