"""Glossary explorer: pure filter and the widget's in-place update."""

import pytest

import mastolib as ml
from mastolib.course._glossary import ALL, GlossaryModel


@pytest.fixture(scope="module")
def model():
    return GlossaryModel.load()


def test_filter_by_query_is_case_insensitive(model):
    hits = model.filter("TRYPTASE")
    assert hits and all("tryptase" in (r["term"] + r["definition"] + (r["why_it_matters"] or "")).lower()
                        for r in hits)
    assert len(hits) < len(model.rows)


def test_filter_by_category(model):
    skin = model.filter("", "skin")
    assert {r["category"] for r in skin} == {"skin"}
    assert {r["term_id"] for r in skin} >= {"darier", "mpcm", "dcm", "mastocytoma"}


def test_unknown_category_is_a_clear_error(model):
    with pytest.raises(ValueError, match=r"category 'astrology' is not one of \['All categories'"):
        model.filter("", "astrology")


def test_app_updates_in_place():
    app = ml.glossary_app()
    widget_before = app._results
    total = len(app.result)
    app.controls["search"].value = "darier"
    assert 0 < len(app.result) < total
    assert "Darier" in app._results.value
    assert app._results is widget_before
    app.controls["search"].value = "zzzz-no-such-term"
    assert app.result == []
    assert "No term matches" in app._results.value
    app.controls["search"].value = ""
    app.controls["category"].value = "scores"
    assert {r["term_id"] for r in app.result} == {"rema", "mars"}
    assert app.controls["category"].options[0] == ALL
