"""SYNTHETIC cohort (mastolib/models/_cohort.py): parameters, reproducibility, shipped file, views."""

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mastolib as ml
from mastolib.figures._cohort import cohort_tryptase_figure
from mastolib.models import _cohort as C

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def cohort():
    return ml.load_cohort()


@pytest.fixture(scope="module")
def labels(cohort):
    return ml.classify_cohort(cohort)


@pytest.fixture(scope="module")
def params():
    return ml.cohort_parameters()


# ------------------------------------------------------------------------ the parameters


def test_parameters_are_cited_and_marked_source_or_assumption(params):
    assert set(params["kind"]) == {"from source", "teaching assumption"}
    known = ml.source_ids()
    for sid in params["source_id"]:
        assert all(s in known for s in sid.split(";")), sid
    assert params["note"].str.len().min() > 5


def test_from_source_values_match_the_fact_sheet(params):
    """Values transcribed from clinical-facts.md section 7 / 4.1 / 4.2 (source in each row)."""
    value = params.set_index("parameter_id")["value"]
    kind = params.set_index("parameter_id")["kind"]
    expected = {  # fact sheet section 7 (epidemiology), 4.1 (tryptase), 4.2 (HaT)
        "mix_dk1997_ism": 82, "mix_dk1997_unknown": 11, "mix_dk1997_ahn": 4,
        "mix_dk1997_asm": 2, "mix_dk1997_mcl": 1,  # cohen2014
        "mix_mayo_ism": 46, "mix_mayo_ahn": 40, "mix_mayo_asm": 12, "mix_mayo_mcl": 1,  # lim2009
        "mix_dk2022_mpcm": 48.9, "mix_dk2022_ism": 30.6,  # denmark_register2022
        "age_median": 49, "female_share": 57.6,  # denmark_register2022
        "kit_d816v_share": 93,  # garciamontero2006 (> 90 %, khoury2022)
        "hat_share": 17.2,  # greiner2021
        "bst_gt20_target": 70,  # uptodate_tryptase
        "hat_bst_per_copy": 9.5,  # uptodate_tryptase: +9-10 ng/mL per copy
        "ahn_myeloid_share": 90,  # jawhar2019_ahn: > 90 %
    }
    for pid, number in expected.items():
        assert value[pid] == number, pid
        assert kind[pid] == "from source", pid
    for pid in ("bst_logsd", "bst_median", "age_sd", "vaf_median", "hat_one_copy_share"):
        assert kind[pid] == "teaching assumption", pid


def test_parameter_ids_agree_with_their_stratum_column(params):
    for row in params.itertuples():
        if row.quantity == "share":
            assert row.scope in C.MIXES and row.stratum in C.STRATA, row.parameter_id
        elif row.parameter_id.endswith("_advanced"):
            assert row.stratum == "advanced", row.parameter_id
        for suffix, stratum in (("_ahn", "SM-AHN"), ("_asm", "ASM"), ("_mcl", "MCL")):
            if row.parameter_id.endswith(suffix) and row.quantity != "share":
                assert row.stratum == stratum, row.parameter_id


def test_every_parameter_is_used_by_the_generator_or_checked_by_a_test(params):
    source = (REPO / "mastolib" / "models" / "_cohort.py").read_text()
    checked_here = {"bst_gt20_target", "mix_rescaled"}
    for row in params.itertuples():
        pid = row.parameter_id
        if row.quantity == "share" or pid in checked_here:
            continue
        base = re.sub(r"_(advanced|ahn|asm|mcl)$", "", pid)
        assert f'"{base}"' in source, f"{pid} ({base}) is not read by mastolib/models/_cohort.py"


def test_mixes_are_rescaled_to_one():
    p = C.CohortParameters.load()
    for mix in C.MIXES:
        shares = p.mix(mix)
        assert abs(sum(s for _, s in shares) - 1) < 1e-12
    assert dict(p.mix("mayo_referral"))["ISM"] == pytest.approx(46 / 99)
    with pytest.raises(ValueError, match=r"unknown mix 'sweden'; valid ids:"):
        p.mix("sweden")


# ------------------------------------------------------------------------ reproducibility


def test_same_seed_same_bytes_other_seed_other_bytes():
    a = C.cohort_csv_text(60, seed=5)
    assert a == C.cohort_csv_text(60, seed=5)
    assert a != C.cohort_csv_text(60, seed=6)
    assert a.splitlines()[1].startswith("SYNTHETIC-0001,")


def test_command_line_regeneration_is_byte_identical(tmp_path):
    outputs = []
    for name in ("a.csv", "b.csv"):
        path = tmp_path / name
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_cohort.py"), str(path), "--n", "50",
                        "--seed", "11"], check=True, capture_output=True, cwd=REPO)
        outputs.append((path.read_bytes(), json.loads(path.with_suffix(".json").read_text())))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][0].decode() == C.cohort_csv_text(50, 11)
    meta = outputs[0][1]
    assert (meta["n"], meta["seed"], meta["mix"], meta["synthetic"]) == (50, 11, "denmark1997",
                                                                         True)


def test_shipped_file_equals_regeneration_with_its_recorded_seed_and_size():
    meta = json.loads((REPO / "data" / "cohort.json").read_text())
    shipped = (REPO / "data" / "cohort.csv").read_bytes()
    params = (REPO / "data" / "cohort_parameters.csv").read_bytes()
    assert meta["parameters_sha256"] == hashlib.sha256(params).hexdigest(), (
        "cohort_parameters.csv changed: run `python scripts/make_cohort.py data/cohort.csv`")
    assert meta["csv_sha256"] == hashlib.sha256(shipped).hexdigest()
    assert meta["generator_version"] == C.GENERATOR_VERSION
    regenerated = C.cohort_csv_text(meta["n"], meta["seed"], meta["mix"]).encode()
    assert shipped == regenerated, "data/cohort.csv differs from its regeneration"
    assert meta == C.sidecar(meta["n"], meta["seed"], meta["mix"], shipped.decode())


def test_shipped_file_size_and_rows():
    # load time: benchmarks (bench_engine loads the cohort); no timing in unit tests
    size = (REPO / "data" / "cohort.csv").stat().st_size
    assert size <= 5_000_000
    C._load_cohort.cache_clear()
    frame = ml.load_cohort()
    assert 3000 <= len(frame) <= 5000


def test_load_cohort_equals_the_generator_and_the_generic_loader(cohort):
    meta = C.cohort_metadata()
    generated = ml.synthetic_cohort(meta["n"], meta["seed"], meta["mix"])
    pd.testing.assert_frame_equal(cohort, generated)
    generic = ml.load_table("cohort")
    pd.testing.assert_frame_equal(cohort[generic.columns], generic, check_dtype=False)
    copy = ml.load_cohort()
    copy.loc[0, "bst_ng_ml"] = -1.0
    assert ml.load_cohort().loc[0, "bst_ng_ml"] != -1.0


def test_cohort_is_labelled_synthetic_everywhere(cohort):
    assert cohort["patient_id"].str.startswith("SYNTHETIC-").all()
    assert cohort.attrs["synthetic"] is True
    assert C.cohort_metadata()["label"].startswith("SYNTHETIC")
    assert "SYNTHETIC" in ml.load_records("cohort")[0]["patient_id"]


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="n must be a whole number of patients >= 1"):
        ml.synthetic_cohort(0)
    with pytest.raises(ValueError, match="seed must be a whole number"):
        ml.synthetic_cohort(10, seed="abc")
    with pytest.raises(ValueError, match="unknown mix"):
        ml.synthetic_cohort(10, mix="nowhere")


# ------------------------------------------------------------ the cohort reproduces its inputs


def test_shipped_cohort_reproduces_the_from_source_numbers(cohort, labels):
    n = len(cohort)
    share = cohort["true_label"].value_counts(normalize=True) * 100
    assert share["ISM"] == pytest.approx(82, abs=2.5)  # cohen2014
    assert share["SM-AHN"] == pytest.approx(4, abs=1.5)
    assert (cohort["sex"] == "F").mean() * 100 == pytest.approx(57.6, abs=2.5)
    assert (cohort["hat_extra_alpha_copies"] > 0).mean() * 100 == pytest.approx(17.2, abs=2)
    sm_generated = cohort["true_label"] != "MPCM-no-marrow"
    assert cohort.loc[sm_generated, "kit_d816v"].mean() * 100 == pytest.approx(93, abs=1.5)
    non_adv = ~cohort["true_label"].isin(C.ADVANCED)
    assert cohort.loc[non_adv, "age_years"].median() == pytest.approx(49, abs=1.5)
    assert cohort["age_years"].between(15, 90).all() and n >= 3000
    # about 70 % of SM above 20 ng/mL (uptodate_tryptase), SM as the engine decides it
    sm = labels["who_category"] == "SM"
    assert (cohort.loc[sm, "bst_ng_ml"] > 20).mean() * 100 == pytest.approx(70, abs=4)


@pytest.mark.parametrize("mix", list(C.MIXES))
def test_every_mix_generates_valid_findings_without_contradictions(mix):
    frame = ml.synthetic_cohort(400, seed=3, mix=mix)
    for row in frame.head(60).to_dict("records"):
        ml.Findings.from_mapping(row, ignore=C.META_COLUMNS)  # raises on a contradiction
    labels = ml.classify_cohort(frame)
    assert labels["who_label"].notna().all()
    if mix == "denmark2022":
        mpcm = frame["true_label"] == "MPCM-no-marrow"
        adult = frame["age_years"] >= 18
        assert (labels.loc[mpcm & adult, "who_category"] == "MIS").all()
        # the engine's working rule: children with lesions and no marrow study are CM
        assert (labels.loc[mpcm & ~adult, "who_category"] == "CM").all()
    if mix == "mayo_referral":
        assert (frame["true_label"] == "SM-AHN").mean() > 0.3


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 40), seed=st.integers(-(2**40), 2**40), mix=st.sampled_from(list(C.MIXES)))
def test_any_seed_gives_valid_typed_findings_the_engine_accepts(n, seed, mix):
    frame = ml.synthetic_cohort(n, seed=seed, mix=mix)
    assert len(frame) == n and frame["patient_id"].is_unique
    assert set(frame["true_label"]) <= set(C.STRATA)
    for row in frame.to_dict("records"):
        ml.Findings.from_mapping(row, ignore=C.META_COLUMNS)
    labels = ml.classify_cohort(frame)
    # a synthetic work-up can leave SM open (issue 17: "undecided", with the deciding tests)
    assert set(labels["who_category"]) <= {"SM", "CM", "MIS", "MCS", "undecided", "none"}


def test_engine_labels_follow_how_patients_were_generated(cohort, labels):
    by = labels.assign(true=cohort["true_label"])
    assert (by.loc[by.true == "ASM", "who_label"] == "ASM").all()
    myeloid = (cohort["true_label"] == "SM-AHN") & (cohort["associated_neoplasm_lineage"]
                                                   == "myeloid")
    assert (labels.loc[myeloid, "icc_subtype"].dropna() == "SM-AMN").all()
    mcl = cohort["true_label"] == "MCL"
    assert (labels.loc[mcl, "who_subtype"] == "MCL").all()
    mature = mcl & (cohort["smear_mc_immature"] == False)  # noqa: E712 (nullable mask)
    assert mature.any() and (labels.loc[mature, "icc_subtype"] != "MCL").all()
    assert labels["changes"].sum() > 0




# ------------------------------------------------------------------------------ figures


def test_tryptase_figure_has_log_axis_thresholds_and_synthetic_title(cohort, labels):
    fig = cohort_tryptase_figure(cohort, labels)
    assert "SYNTHETIC" in fig.layout.title.text
    assert fig.layout.yaxis.type == "log"
    assert sorted(s.y0 for s in fig.layout.shapes) == [20, 125, 200]
    assert len({s.line.dash for s in fig.layout.shapes}) == 3  # not colour alone
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "minor criterion" in texts and "BMM" in texts and "B1" in texts
    assert len(fig.data[0].y) == cohort["bst_ng_ml"].notna().sum()
    summary = ml.cohort_tryptase_summary(cohort, labels)
    assert summary.startswith("SYNTHETIC cohort, WHO 2022")
    assert re.search(r"\b(6[6-9]|7[0-4]) % of SM patients are above 20 ng/mL", summary)


def test_reclassification_sankey_counts_every_patient(cohort, labels):
    fig = ml.reclassification_figure(cohort, labels)
    sankey = fig.data[0]
    assert "SYNTHETIC" in fig.layout.title.text
    assert sum(sankey.link.value) == len(cohort)
    assert any(label.startswith("WHO: BMM") for label in sankey.node.label)
    assert any(label.startswith("ICC: ISM (BMM variant)") for label in sankey.node.label)
    changed = int(labels["changes"].sum())
    summary = ml.reclassification_summary(cohort, labels)
    assert f"{changed:,} (" in summary and "BMM → ISM (BMM variant)" in summary


def test_age_pyramid_women_left_men_right(cohort):
    fig = ml.age_pyramid_figure(cohort)
    women, men = fig.data
    assert "SYNTHETIC" in fig.layout.title.text
    assert (np.asarray(women.x) <= 0).all() and (np.asarray(men.x) >= 0).all()
    assert -sum(women.x) == (cohort["sex"] == "F").sum()
    assert sum(men.x) == (cohort["sex"] == "M").sum()
    assert men.marker.pattern.shape == "/"  # hatched: colour is not the only cue
    share = (cohort["sex"] == "F").mean() * 100
    assert f"women ({share:.1f} %)" in ml.age_pyramid_summary(cohort)


# ---------------------------------------------------------------------------------- app


@pytest.fixture(scope="module")
def app():
    return ml.cohort_explorer_app()


def test_app_controls_have_descriptions_and_start_with_everyone(app, cohort):
    for name, control in app.controls.items():
        assert control.description, name
    assert app.result.n == len(cohort) and app.message == ""
    assert "SYNTHETIC" in app.figure.layout.title.text
    assert app.figure.layout.yaxis.type == "log"


def test_app_filters_update_every_view_in_place(app, cohort, labels):
    figure = app.figure
    app.controls["sex"].value = "Women"
    women = int((cohort["sex"] == "F").sum())
    assert app.result.n == women
    box, women_bars, men_bars, sankey = app.figure.data
    assert app.figure is figure
    assert sum(men_bars.x) == 0 and -sum(women_bars.x) == women
    assert sum(sankey.link.value) == women
    assert len(box.y) == women
    assert f"{women:,} of {len(cohort):,}" in app.figure.layout.title.text
    app.controls["subtype"].value = ("true", "MCL")
    expected = int(((cohort["sex"] == "F") & (cohort["true_label"] == "MCL")).sum())
    assert app.result.n == expected
    app.controls["subtype"].value = ("who", "BMM")
    app.controls["age"].value = (40, 60)
    mask = ((cohort["sex"] == "F") & (labels["who_label"] == "BMM")
            & cohort["age_years"].between(40, 60))
    assert app.result.n == int(mask.sum())
    assert f"{int(mask.sum()):,} of" in app._summary.value
    app.controls["sex"].value = "All"
    app.controls["subtype"].value = ("All", "All")
    app.controls["age"].value = app.model.age_range
    assert app.result.n == len(cohort)


def test_app_empty_selection_is_a_message_not_an_error(app):
    app.controls["subtype"].value = ("true", "MCL")
    app.controls["age"].value = (15, 16)
    assert app.result.n == 0
    assert "No SYNTHETIC patient matches" in app.message
    assert "⚠" in app._message.value
    assert sum(app.figure.data[3].link.value) == 0
    app.controls["subtype"].value = ("All", "All")
    app.controls["age"].value = app.model.age_range
    assert app.message == ""


def test_model_rejects_impossible_filters_with_clear_messages(app):
    with pytest.raises(ValueError, match="sex must be one of"):
        app.model.mask(sex="X")
    with pytest.raises(ValueError, match="age range 60-40 is empty"):
        app.model.mask(age=(60, 40))
    with pytest.raises(ValueError, match="subtype filter column must be one of"):
        app.model.mask(subtype=("nope", "ISM"))


