"""Family tree (data/entities.csv, mastolib/models/_classification.py) and the B/C findings figure."""

import re

import pytest

import mastolib as ml
from mastolib.models._classification import (
    BRANCH_COLOURS,
    DIFFERS_MARK,
    entity_rows,
    family_tree_summary,
    hover_text,
    sunburst_trace_data,
)

SCHEMES = ("who2022", "icc2022")

# Every number a share/prognosis/age cell may contain, each from the course fact sheet
# (section 7 epidemiology and survival; section 5 for the ~3-year onset peak). A number that
# is not here was invented or mistyped.
FACT_SHEET_NUMBERS = {
    # section 7: prevalence ~1/10,000; SM in Europe 1 in 7,700-10,400
    "1", "10,000", "7,700", "10,400",
    # Denmark 1997-2010 (cohen2014): incidence 0.89; ISM 82 %, unknown 11 %, SM-AHN 4 %,
    # ASM 2 %, MCL 1 %
    "1997", "2010", "0.89", "100,000", "82", "11", "4", "2",
    # Danish register to 2022 (denmark_register2022): n = 1,594, MPCM 48.9 %, median age 49
    "2022", "1,594", "48.9", "49",
    # Mayo referral series (lim2009): ISM 46 %, SM-AHN 40 %, ASM 12 %, MCL 1 %
    "46", "40", "12",
    # non-advanced ~95 % (elenestinib_harbor); SM-AHN 60-70 % to ~80 % of AdvSM, AHN myeloid
    # in >90 % (ebmt2024, jawhar2019_ahn)
    "95", "60", "70", "80", "90",
    # historical median OS (blueprint_module): ASM ~3.4 y, SM-AHN ~2 y, MCL ~2 months;
    # MCS < 18 months (monnier2016)
    "3.4", "18",
    # section 5: onset peak in the first ~3 years
    "3",
}
NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


@pytest.fixture(scope="module")
def table():
    return ml.load_table("entities")


def test_every_scheme_forms_one_tree():
    for scheme in SCHEMES:
        rows = entity_rows(scheme)
        roots = [r for r in rows if not r["parent_id"]]
        assert [r["entity_id"] for r in roots] == ["mastocytosis"]
        frame = ml.entity_table(scheme)
        assert frame["depth"].min() == 0 and frame["depth"].max() >= 3


def test_who_and_icc_trees_differ_where_the_fact_sheet_says():
    who = ml.entity_table("who2022").set_index("entity_id")
    icc = ml.entity_table("icc2022").set_index("entity_id")
    # WHO: BMM a subtype next to ISM; SM-AHN. ICC: BMM a variant of ISM; SM-AMN.
    assert who.loc["bmm", "parent_id"] == "nonadvanced_sm"
    assert icc.loc["bmm_variant", "parent_id"] == "ism"
    assert "sm_ahn" in who.index and "sm_ahn" not in icc.index
    assert "sm_amn" in icc.index and "sm_amn" not in who.index
    assert "bmm" not in icc.index and "bmm_variant" not in who.index
    # the brief's entity list is there in both
    for eid in ("mpcm_monomorphic", "mpcm_polymorphic", "dcm", "mastocytoma", "ism", "ssm",
                "asm", "mcl", "mcs", "mis"):
        assert eid in who.index and eid in icc.index


def test_unknown_scheme_lists_valid_ids():
    with pytest.raises(ValueError, match="who2022"):
        ml.entity_table("who2016")


def test_every_filled_cell_has_a_source_and_no_source_floats_alone(table):
    pairs = [("definition", "definition_source"), ("typical_age", "age_source"),
             ("share", "share_source"), ("prognosis", "prognosis_source"),
             ("scheme_note", "scheme_note_source")]
    for _, row in table.iterrows():
        for text, src in pairs:
            has_text = isinstance(row[text], str) and row[text] != ""
            has_src = isinstance(row[src], str) and row[src] != ""
            assert has_text == has_src, f"{row['entity_id']}: {text} vs {src}"


def test_numbers_come_from_the_fact_sheet_only(table):
    for _, row in table.iterrows():
        for column in ("share", "prognosis", "typical_age"):
            text = row[column]
            if not isinstance(text, str):
                continue
            for number in NUMBER.findall(text):
                assert number in FACT_SHEET_NUMBERS, f"{row['entity_id']}.{column}: {number}"


def test_cells_left_empty_rather_than_invented(table):
    rows = table.set_index("entity_id")
    # the fact sheet gives no subtype-specific share or survival for SSM or BMM
    for eid in ("ssm", "bmm"):
        assert rows.loc[eid, "share"] is None or rows.loc[eid, "share"] != rows.loc[eid, "share"]
        assert not isinstance(rows.loc[eid, "prognosis"], str)


def test_hover_card_cites_every_cell_and_marks_secondary_sources():
    rows = {r["entity_id"]: r for r in entity_rows("who2022")}
    asm = hover_text(rows["asm"])
    assert "[blueprint_module] (SECONDARY)" in asm  # survival medians from an industry deck
    assert "[who2016]" in asm and "[cohen2014;lim2009]" in asm
    assert "Typical age:</i> no cited figure" in asm
    assert "WHO vs ICC" in hover_text(rows["bmm"])
    assert "WHO vs ICC" not in asm


def test_sunburst_builder_is_pure_and_complete():
    for scheme in SCHEMES:
        fig = ml.family_tree_figure(scheme)
        trace = fig.data[0]
        ids = [r["entity_id"] for r in entity_rows(scheme)]
        assert list(trace.ids) == ids
        assert len(trace.customdata) == len(ids)
        assert scheme[:3].upper() in fig.layout.title.text
        # WHO-vs-ICC differences carry a mark and a pattern, not only a colour
        marked = [lab for lab in trace.labels if lab.startswith(DIFFERS_MARK)]
        dotted = [s for s in trace.marker.pattern.shape if s == "."]
        assert len(marked) == len(dotted) >= 5
        assert set(trace.marker.colors) <= set(BRANCH_COLOURS.values())
        # a parent's value is the sum of its children (branchvalues="total")
        data = sunburst_trace_data(scheme)
        value = dict(zip(data["ids"], data["values"], strict=True))
        for eid, parent in zip(data["ids"], data["parents"], strict=True):
            children = [c for c, p in zip(data["ids"], data["parents"], strict=True) if p == eid]
            if children:
                assert value[eid] == sum(value[c] for c in children)
            assert parent == "" or parent in value


def test_summary_names_the_branches_and_differences():
    text = family_tree_summary("icc2022")
    assert text.startswith("ICC 2022:") and "SM-AMN" in text and "SM-AHN" not in text
    assert "BMM" in family_tree_summary("who2022")


def test_family_tree_app_switches_in_place():
    app = ml.family_tree_app()
    figure = app.figure
    assert "bmm" in figure.data[0].ids
    app.controls["scheme"].value = "icc2022"
    assert app.figure is figure, "the figure is updated in place, not rebuilt"
    assert "bmm_variant" in figure.data[0].ids and "sm_ahn" not in figure.data[0].ids
    assert "ICC 2022" in figure.layout.title.text
    assert app.summary.startswith("ICC 2022") and app.summary in app._summary.value
    assert list(app.result["entity_id"]) == list(figure.data[0].ids)
    assert app.controls["scheme"].description == "Classification:"


def test_bc_findings_figure_matches_diagnose():
    cases = ("c13", "c24")
    fig = ml.bc_findings_figure(cases, "who2022")
    assert [t.name for t in fig.data] == ["met", "not met", "not assessed"]
    assert {t.marker.symbol for t in fig.data} == {"circle", "x", "circle-open"}
    for cid in cases:
        dx = ml.diagnose(ml.case_findings(cid), "who2022")
        column = f"{cid}<br>{dx.subtype}"
        met = [y for t in fig.data if t.name == "met"
               for x, y in zip(t.x, t.y, strict=True) if x == column]
        assert sorted(y.split()[0] for y in met) == sorted(
            r.id for r in dx.b_findings + dx.c_findings if r.met is True)
    summary = ml.bc_findings_summary(cases, "who2022")
    assert summary.startswith("WHO 2022:") and "c13 (SSM)" in summary and "c24 (ASM)" in summary


def test_bc_findings_figure_rejects_bad_input():
    with pytest.raises(ValueError, match="at least one case"):
        ml.bc_findings_figure((), "who2022")
    with pytest.raises(ValueError, match="unknown case"):
        ml.bc_findings_figure(("c99",), "who2022")
    with pytest.raises(ValueError, match="valid ids"):
        ml.bc_findings_figure(("c13",), "icc2016")


def test_text_table_shows_whole_sentences_and_dashes_for_empty_cells(table):
    html = ml.text_table(table[["label", "share"]]).to_html()
    longest = max((s for s in table["share"] if isinstance(s, str)), key=len)
    assert longest.replace("'", "&#x27;") in html or longest in html
    assert "—" in html and ">nan<" not in html.lower() and ">none<" not in html.lower()
    assert ">0<" not in html  # the index is hidden by default
    assert ">0<" in ml.text_table(table[["label"]], index=True).to_html()
