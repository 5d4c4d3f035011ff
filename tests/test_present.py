"""mastolib.course._present: the one table renderer, teaching text, hidden solutions, app wording."""

from __future__ import annotations

import pandas as pd
import pytest

import mastolib as ml
from mastolib.course import _present


@pytest.fixture
def lab_mode(monkeypatch):
    for key in list(__import__("os").environ):
        if key.startswith("VOILA_"):
            monkeypatch.delenv(key)
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)


@pytest.fixture
def voila_mode(monkeypatch):
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")


@pytest.mark.parametrize("column, label", [
    ("typical_age", "Typical age"),
    ("who2022_rule", "WHO 2022 rule"),
    ("icc2022_rule", "ICC 2022 rule"),
    ("bst_ng_ml", "Basal serum tryptase (ng/mL)"),  # field label from mastolib._fields
    ("source_id", "Source ID"),
    ("label", "Label"),
    ("Already human", "Already human"),
])
def test_human_label_spells_out_ids(column, label):
    assert _present.human_label(column) == label


def test_text_table_has_human_headers_no_index_and_whole_cells():
    long = "a sentence that is much longer than fifty characters, which pandas would cut"
    html = ml.text_table(pd.DataFrame({"typical_age": ["adult"], "why": [long]})).to_html()
    assert "Typical age" in html and "typical_age" not in html
    assert long in html and "…" not in html
    assert "text-align: left" in html
    assert ">0<" not in html  # no 0-based row index


def test_text_table_shows_a_findings_record_as_label_value_rows():
    html = ml.text_table(ml.Findings(bst_ng_ml=25.0, age_years=40)).to_html()
    assert "Basal serum tryptase" in html and "bst_ng_ml" not in html and "Findings(" not in html


def test_solution_is_closed_in_lab(lab_mode):
    html = ml.solution("the answer is 42", note="because").data
    assert "<details" in html and " open" not in html.split(">")[0]
    assert "Show solution" in html and "the answer is 42" in html
    assert "mastolib-solution-body" in html


def test_solution_never_reaches_a_voila_page(voila_mode):
    html = ml.solution("the answer is 42", pd.DataFrame({"x": [1]})).data
    assert "42" not in html and "<details" not in html
    assert "notebook version" in html


def test_wording_follows_the_front_end(lab_mode, monkeypatch):
    assert _present.wording("press Shift+Enter", "use the controls") == "press Shift+Enter"
    monkeypatch.setenv("VOILA_KERNEL_ID", "x")
    assert _present.wording("press Shift+Enter", "use the controls") == "use the controls"


def test_notice_says_how_to_use_the_page_for_each_front_end(lab_mode, monkeypatch):
    assert "Shift + Enter" in ml.notice().data
    monkeypatch.setenv("SERVER_SOFTWARE", "voila/0.5.13")
    text = ml.notice().data
    assert "Shift" not in text and "already run" in text


def test_course_template_is_registered_as_the_plotly_default():
    import plotly.graph_objects as go
    import plotly.io as pio

    from mastolib.figures._theme import MIN_FONT_PX, TEMPLATE_NAME

    ml.apply_theme(go.Figure())
    assert pio.templates.default == TEMPLATE_NAME
    layout = pio.templates[TEMPLATE_NAME].layout
    assert layout.uniformtext.minsize == MIN_FONT_PX >= 10
    assert layout.legend.yref == "container" and layout.legend.yanchor == "bottom"
    assert layout.xaxis.automargin and layout.title.yanchor == "top"
