"""Symptoms, triggers and care (notebook 06): the cited tables, the figures and both apps."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mastolib as ml
from mastolib.figures._care import treatment_timeline_figure
from mastolib.models._care import (
    ALL_GOALS,
    ALL_SUBTYPES,
    LEVELS,
    NEWEST_SOURCE_DATE,
    ORGANS,
    SUBTYPES,
    TREATMENT_SUBTYPES,
    TreatmentModel,
    TriggerModel,
    complications_table,
    outlook_table,
    treatment_list_html,
    treatment_table,
)

APP_SETTINGS = settings(max_examples=60, deadline=None,
                        suppress_health_check=[HealthCheck.function_scoped_fixture])
PERCENT = re.compile(r"\d\s*%")
# Dose-like text: a number followed by a dose unit (the course never gives doses).
DOSE = re.compile(r"\d\s*(mg|µg|mcg|g/day|mg/kg|units?/kg|IU)\b", re.I)


@pytest.fixture(scope="module")
def triggers():
    return ml.trigger_explorer_app()


@pytest.fixture(scope="module")
def treatments():
    return ml.treatment_map_app()


# --------------------------------------------------------------------------- symptoms


def test_symptom_table_is_a_complete_grid_of_qualitative_levels():
    table = ml.symptom_table()
    assert len(table) == len(ORGANS) * len(SUBTYPES) == 30
    assert set(zip(table["organ_id"], table["subtype_id"], strict=True)) == {
        (o, s) for o in ORGANS for s in SUBTYPES}
    assert set(table["level"]) <= set(LEVELS)
    for row in table.itertuples():
        text = f"{row.features} {row.explanation}"
        assert not PERCENT.search(text), f"{row.organ}/{row.subtype}: no percentages, please"
        if row.level == "not described":
            assert row.source_id == "" and row.features == "" and row.explanation == ""
        else:
            assert row.source_id and row.features and row.explanation, (row.organ, row.subtype)


def test_key_cells_match_the_fact_sheet():
    level = {(r.organ_id, r.subtype_id): r.level for r in ml.symptom_table().itertuples()}
    assert level[("skin", "cm")] == "typical"          # lesions define CM (hartmann2016)
    assert level[("skin", "ism")] == "typical"         # lesions usually present (khoury2022)
    assert level[("skin", "bmm")] == "not typical"     # WHO BMM: no skin lesions
    assert level[("cardiovascular", "bmm")] == "common"  # sting anaphylaxis, no hives
    assert level[("bone", "advsm")] == "possible"      # osteolysis with fracture = C-finding
    assert all(level[(o, "ssm")] == "not described" for o in ORGANS)


def test_heatmap_shows_levels_as_text_and_colour_with_hover_sources():
    fig = ml.symptom_heatmap()
    heat = fig.data[0]
    assert [y.replace("<br>", " ") for y in heat.y] == list(ORGANS.values())
    assert [x.replace("<br>", " ") for x in heat.x] == list(SUBTYPES.values())
    table = ml.symptom_table()
    for row in table.itertuples():
        i, j = list(ORGANS).index(row.organ_id), list(SUBTYPES).index(row.subtype_id)
        assert heat.z[i][j] == LEVELS[row.level]["z"]
        assert heat.text[i][j] == f"{LEVELS[row.level]['mark']} {row.level}"
        if row.source_id:
            assert row.source_id.split(";")[0] in heat.customdata[i][j]
    assert "? not described" in {t for r in heat.text for t in r}
    assert "not described in our sources" in ml.symptom_summary()


def test_evidence_basis_separates_fact_sheet_and_patient_pages():
    assert ml.evidence_basis("khoury2022") == "fact sheet"
    assert ml.evidence_basis("bloodres2023") == "fact sheet (secondary)"
    assert ml.evidence_basis("nhs_mastocytosis_page") == "patient information only"
    assert ml.evidence_basis("khoury2022;mayoclinic_sm_page") == "fact sheet + patient information"
    assert ml.evidence_basis("") == "none"
    with pytest.raises(ValueError, match="not in data/sources.csv"):
        ml.evidence_basis("nhs_page")


# --------------------------------------------------------------------------- triggers

BRIEF_TRIGGERS = {"heat_cold", "friction", "exertion", "stress", "alcohol", "spicy_food",
                  "insect_sting", "drugs", "anaesthesia", "infections"}
BRIEF_PLANS = {"emergency_plan", "auto_injector", "alert_bracelet", "anaesthesia_plan"}


def test_trigger_table_covers_the_brief_and_links_resolve():
    model = TriggerModel.load()
    assert {t["item_id"] for t in model.triggers} == BRIEF_TRIGGERS
    assert BRIEF_PLANS <= {p["item_id"] for p in model.plans}
    plan_ids = {p["item_id"] for p in model.plans}
    for t in model.triggers:
        assert set(filter(None, (t["plan_ids"] or "").split(";"))) <= plan_ids
        if t["status"] == "described":
            assert t["mechanism"] and t["what_to_do"] and t["source_id"], t["item_id"]
        else:
            assert not t["source_id"] and not t["plan_ids"], t["item_id"]
    # issue 17: infections with fever are recognised triggers, especially in children
    # (paediatric trigger table, castells2011_peds_cm)
    assert model.item("infections")["status"] == "described"
    assert "castells2011_peds_cm" in model.item("infections")["source_id"]
    for p in model.plans:
        assert p["what_to_do"] and p["source_id"], p["item_id"]


def test_unknown_trigger_lists_valid_ids():
    with pytest.raises(ValueError, match=r"unknown trigger or plan 'sunburn'.*insect_sting"):
        TriggerModel.load().item("sunburn")


@pytest.mark.parametrize("item_id", sorted(r["item_id"] for r in TriggerModel.load().rows))
def test_choosing_an_item_updates_the_card(triggers, item_id):
    triggers.controls["item"].value = item_id
    row = triggers.model.item(item_id)
    assert triggers.message == "" and triggers.result["item"] is row
    assert row["label"].replace("'", "&#x27;") in triggers._card.value
    assert triggers.figure is None
    if row["status"] != "described":
        assert "Not described in our sources" in triggers._card.value
    else:
        linked = triggers.result["linked"]
        assert all(r["label"] in triggers._card.value for r in linked)


@pytest.mark.parametrize("item_id", ["insect_sting", "anaesthesia", "auto_injector", "monitoring"])
def test_grid_figure_highlights_a_selection(item_id):
    model = TriggerModel.load()
    fig = ml.trigger_grid_figure(selected=item_id)
    assert list(fig.data[0].marker.size) == [20 if item_id in pair else 11
                                             for pair in model.links()]
    ticks = list(fig.layout.yaxis.ticktext) + list(fig.layout.xaxis.ticktext)
    marked = [t for t in ticks if "▶" in t]
    assert len(marked) == 1 and model.item(item_id)["label"].split(" (")[0] in marked[0]
    plain = ml.trigger_grid_figure()
    assert set(plain.data[0].marker.size) == {11}
    undescribed = any(t["status"] != "described" for t in model.triggers)
    assert ("? not described in our sources" in plain.data[1].text) == undescribed
    n_described = sum(t["status"] == "described" for t in model.triggers)
    assert f"{n_described} triggers are described in our sources" in ml.trigger_grid_summary()


def test_trigger_card_names_sources_and_basis(triggers):
    triggers.controls["item"].value = "alcohol"
    assert "mayoclinic_sm_page" in triggers._card.value
    assert "patient information only" in triggers._card.value
    triggers.controls["item"].value = "friction"
    assert "Darier" in triggers._card.value and "fact sheet + patient information" in triggers._card.value


def test_trigger_app_shows_a_message_when_the_model_loses_the_item():
    app = ml.trigger_explorer_app("alcohol")
    app.model = TriggerModel(tuple(r for r in app.model.rows if r["item_id"] != "alcohol"))
    app.update()
    assert app.result is None and "unknown trigger or plan 'alcohol'" in app.message
    assert "role='alert'" in app._message.value and "alcohol" in app._message.value


# --------------------------------------------------------------------------- treatments


def test_treatment_table_has_no_doses_and_cites_every_row():
    rows = TreatmentModel.load().rows
    for r in rows:
        text = " ".join(str(v) for v in r.values() if v)
        assert not DOSE.search(text), f"{r['row_id']}: looks like a dose"
        assert r["source_id"]
        if r["event_date"]:
            assert r["event_date"] <= NEWEST_SOURCE_DATE and r["event"]


def test_treatment_statuses_as_of_the_newest_source():
    rows = {r["row_id"]: r for r in TreatmentModel.load().rows}
    assert rows["midostaurin_fda"]["event_date"] == "2017-04-28"
    assert rows["avapritinib_fda_advsm"]["event_date"] == "2021-06-16"
    assert rows["avapritinib_fda_ism"]["confidence"] == "unconfirmed"   # PDUFA date, not approval
    for rid in ("bezuclastinib_nonadv", "bezuclastinib_adv", "elenestinib"):
        assert rows[rid]["status_category"] in ("submitted", "investigational")
        assert rows[rid]["status"].startswith("Not approved")
    assert rows["bezuclastinib_adv"]["event_date"] == NEWEST_SOURCE_DATE
    for rid in ("uv_light", "bisphosphonates"):
        assert rows[rid]["status_category"] == "not covered"
        assert rows[rid]["status"].startswith("Not covered by our sources")


def test_which_drugs_act_on_d816v():
    rows = TreatmentModel.load().rows
    yes = {r["agent"] for r in rows if r["acts_on_d816v"] == "yes"}
    assert yes == {"Midostaurin", "Avapritinib", "Bezuclastinib", "Elenestinib"}
    assert {r["acts_on_d816v"] for r in rows if r["agent"] == "Imatinib"} == {"no"}


def test_treatment_filters(treatments):
    c = treatments.controls
    c["goal"].value, c["d816v_only"].value = ALL_GOALS, False
    c["subtype"].value = "ISM"
    ids = {r["row_id"] for r in treatments.result}
    assert {"avapritinib_fda_ism", "antihistamines", "bezuclastinib_nonadv"} <= ids
    assert "midostaurin_fda" not in ids and "imatinib" not in ids
    c["d816v_only"].value = True
    assert {r["agent"] for r in treatments.result} == {"Avapritinib", "Bezuclastinib",
                                                       "Elenestinib"}
    c["subtype"].value, c["d816v_only"].value = ALL_SUBTYPES, False
    c["goal"].value = "emergency"
    assert [r["row_id"] for r in treatments.result] == ["adrenaline"]
    assert "Adrenaline" in treatments._list.value


def test_timeline_fades_events_outside_the_filter(treatments):
    c = treatments.controls
    c["goal"].value, c["d816v_only"].value, c["subtype"].value = ALL_GOALS, False, "ISM"
    dated = treatments.model.dated()
    opacity = list(treatments.figure.data[0].marker.opacity)
    shown = {r["row_id"] for r in treatments.result}
    assert opacity == [1.0 if r["row_id"] in shown else 0.15 for r in dated]
    assert 0.15 in opacity and 1.0 in opacity
    c["subtype"].value = ALL_SUBTYPES
    assert set(treatments.figure.data[0].marker.opacity) == {1.0}


def test_empty_selection_says_so(treatments):
    c = treatments.controls
    c["subtype"].value, c["goal"].value = "CM", "bone"
    c["d816v_only"].value = True
    assert treatments.result == []
    assert "No treatment in our table matches" in treatments._list.value
    assert "none in this selection" in treatments._summary.value
    c["d816v_only"].value = False


def test_invalid_filter_is_a_clear_error():
    model = TreatmentModel.load()
    with pytest.raises(ValueError, match="subtype 'BMM' is not one of"):
        model.filter("BMM")
    with pytest.raises(ValueError, match="goal 'cure' is not one of"):
        model.filter(goal="cure")


def test_treatment_list_marks_unconfirmed_and_not_covered():
    html = treatment_list_html(list(TreatmentModel.load().rows))
    assert "⚠ UNCONFIRMED" in html and "⚠ NOT COVERED" in html
    assert "as of 30 June 2026, the newest source found" in html


def test_timeline_figure_marks_the_newest_source():
    fig = treatment_timeline_figure()
    assert any("newest source" in a.text for a in fig.layout.annotations)
    assert len(fig.data[0].x) == len(TreatmentModel.load().dated())


# --------------------------------------------------------------------------- complications


def test_complications_cover_the_brief_and_mark_patient_information():
    table = complications_table()
    assert {"anaphylaxis", "bone", "liver", "cytopenias", "peptic_ulcer",
            "progression_children", "progression_adults"} == set(table["complication_id"])
    basis = dict(zip(table["complication_id"], table["basis"], strict=True))
    assert basis["peptic_ulcer"] == "patient information only"
    assert basis["liver"].startswith("fact sheet")
    assert "patient information only" in ml.show_complications().data


def test_outlook_is_read_from_the_family_tree_table():
    table = outlook_table()
    entities = {r["entity_id"]: r for r in ml.load_records("entities")}
    for row in table.itertuples():
        assert row.prognosis == entities[row.entity_id]["prognosis"]
    assert {"ism", "asm", "mcl"} <= set(table["entity_id"])
    assert "Indolent SM" in ml.show_outlook().data


# --------------------------------------------------------------------------- properties and speed


@APP_SETTINGS
@given(item=st.sampled_from(sorted(r["item_id"] for r in TriggerModel.load().rows)))
def test_random_trigger_choices_never_raise(triggers, item):
    triggers.controls["item"].value = item
    assert triggers.message == "" and triggers.result["item"]["item_id"] == item


@APP_SETTINGS
@given(subtype=st.sampled_from([ALL_SUBTYPES, *TREATMENT_SUBTYPES]),
       goal=st.sampled_from([ALL_GOALS, *TreatmentModel.load().goals]), only=st.booleans())
def test_random_treatment_filters_never_raise(treatments, subtype, goal, only):
    c = treatments.controls
    c["subtype"].value, c["goal"].value, c["d816v_only"].value = subtype, goal, only
    assert treatments.message == "" and treatments.result is not None
    if only:
        assert all(r["acts_on_d816v"] == "yes" for r in treatments.result)






def test_every_control_has_a_visible_description(triggers, treatments):
    for app in (triggers, treatments):
        for name, control in app.controls.items():
            assert control.description.strip(), name


def test_apps_render_a_static_snapshot(monkeypatch):
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    for app in (ml.trigger_explorer_app(), ml.treatment_map_app()):
        bundle = app._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        assert "Static snapshot" in data["text/html"]


def test_the_view_shows_the_selection_from_the_start():
    """Regression (Voila): what the browser draws first already shows the selection."""
    tm = ml.treatment_map_app()
    assert set(tm.figure.displayed()["data"][0]["marker"]["opacity"]) == {1.0}


def test_treatment_table_frame_matches_the_model_filter():
    frame = treatment_table("SM-AHN", "cytoreduction / KIT inhibition")
    rows = TreatmentModel.load().filter("SM-AHN", "cytoreduction / KIT inhibition")
    assert list(frame["row_id"]) == [r["row_id"] for r in rows]
    assert "hydroxyurea" in set(frame["row_id"]) and "basis" in frame.columns
