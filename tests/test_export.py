"""Static editions: widgets degrade to their current result, never to an empty box."""

import re
from pathlib import Path

import mastolib as ml
from mastolib.apps import _static
from mastolib.course import _export

ROOT = Path(__file__).resolve().parent.parent


def test_snapshot_renders_controls_html_and_counts():
    app = ml.glossary_app()
    app.controls["search"].value = "darier"
    html = _static.snapshot(app.widget)
    assert "Search: <b>darier</b>" in html
    assert "Darier" in html
    assert re.search(r"<b>[1-9]\d*</b> of \d+ terms", html)
    assert "VBox(" not in html


def test_snapshot_of_a_figure_view_embeds_a_static_plot():
    import ipywidgets as w
    import plotly.graph_objects as go

    from mastolib.apps._figview import FigureView

    fig = FigureView(go.Scatter(x=[1, 2], y=[3, 4], name="demo"))
    html = _static.snapshot(w.VBox([w.HTML("<p>summary line</p>"), fig.widget]))
    assert "summary line" in html
    assert "plotly" in html.lower() and '"demo"' in html


def test_site_mode_figures_rely_on_the_page_plotly(monkeypatch):
    import ipywidgets as w
    import plotly.graph_objects as go

    from mastolib.apps._figview import FigureView

    view = w.VBox([FigureView(go.Scatter(x=[1, 2], y=[3, 4], name="demo")).widget])
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    assert "* plotly.js v" in _static.snapshot(view), "handouts stay self-contained"
    monkeypatch.setenv("MASTOLIB_STATIC", "site")
    html = _static.snapshot(view)
    assert "* plotly.js v" not in html and '"demo"' in html and "Plotly.newPlot" in html


def test_static_tables_show_full_cells_without_row_numbers():
    import pandas as pd

    long = "x" * 120
    html = _static._frame_html(pd.DataFrame({"in words": [long]}))
    assert long in html and "<th>0</th>" not in html
    assert "<th>a</th>" in _static._frame_html(pd.DataFrame({"v": [1]}, index=["a"]))


def test_app_mimebundle_adds_html_only_in_static_mode(monkeypatch):
    app = ml.glossary_app()
    monkeypatch.delenv("MASTOLIB_STATIC", raising=False)
    assert "text/html" not in app._repr_mimebundle_()
    monkeypatch.setenv("MASTOLIB_STATIC", "1")
    bundle = app._repr_mimebundle_()
    assert "Static snapshot" in bundle["text/html"]
    assert _export.WIDGET_MIME in bundle


def test_handouts_build_of_the_start_notebook(tmp_path):
    stats = _export.build("handouts", tmp_path, [ROOT / "notebooks" / "00_start_here.ipynb"])
    assert stats[0]["errors"] == 0 and stats[0]["empty_widgets"] == 0
    page = (tmp_path / "00_start_here.html").read_text()
    assert "Static snapshot of an interactive app" in page
    assert "Darier" in page, "the glossary snapshot lists the terms"
    assert "Launch this notebook on Binder" in page and ml.binder_url(
        "lab/tree/notebooks/00_start_here.ipynb") in page
    assert "not for clinical decisions" in page


def test_book_build_of_the_start_notebook(tmp_path):
    """The book's generated sources and pages (the browser test checks the whole course)."""
    work = tmp_path / "src"
    stats = _export.build("site", tmp_path / "site", [ROOT / "notebooks" / "00_start_here.ipynb"],
                          workdir=work, cache=None)
    assert stats[0]["errors"] == 0 and stats[0]["empty_widgets"] == 0
    assert stats[0]["quizzes"] >= 1 and stats[0]["citations"] >= 1 and stats[0]["terms"] >= 1
    page = (tmp_path / "site" / "notebooks" / "00_start_here.html").read_text()
    assert "Static snapshot of an interactive app" in page and "Darier" in page
    assert "jq_00_start_here_all" in page, "the quiz became a jupyterquiz self-check"
    assert "bibliography.html#id" in page, "references cite the generated bibliography"
    assert "glossary.html#term-" in page, "glossary terms are linked"
    assert "mybinder.org/v2/gh/" in page and "/hub/user-redirect/git-pull?" in page
    index = (tmp_path / "site" / "index.html").read_text()
    assert "notebooks/00_start_here.html" in index and "not for clinical decisions" in index
    assert (tmp_path / "site" / "_static" / "plotly.min.js").exists()
    assert "* plotly.js v" not in page


def test_bibtex_has_every_source_and_parses():
    from pybtex.database import parse_string

    rows = ml.load_records("sources")
    bib = parse_string(_export._bibtex(rows), "bibtex")
    assert set(bib.entries) == {r["source_id"] for r in rows}
    khoury = bib.entries["khoury2022"].fields
    assert khoury["title"].startswith("{Khoury JD") and "year" not in khoury


def test_glossary_terms_are_linked_once_and_never_inside_code_or_headings():
    patterns = _export._term_patterns([
        {"term": "Basal serum tryptase (BST)"}, {"term": "Tryptase"}, {"term": "MARS"}])
    used: set = set()
    text = ("# Tryptase heading\nA raised BST and `tryptase` code; basal serum tryptase again, "
            "tryptase, tryptase and mars and MARS.\n```\nTryptase in a fence\n```")
    out = _export._link_terms(text, patterns, used)
    assert out.startswith("# Tryptase heading\n")
    assert "{term}`BST <Basal serum tryptase (BST)>`" in out
    assert "`tryptase` code" in out and "Tryptase in a fence" in out
    assert out.count("<Tryptase>`") == 1 and out.count("<Basal serum tryptase (BST)>`") == 1
    assert "mars and {term}`MARS <MARS>`" in out, "abbreviations match their own case only"


def test_quiz_export_keeps_answers_feedback_and_tolerance():
    from mastolib.course._quiz import load_quiz

    _title, questions = load_quiz("05_tryptase_lab")
    exported = _export._quiz_questions(questions)
    assert len(exported) == len(questions)
    for q, item in zip(questions, exported, strict=True):
        if q.kind == "numeric":
            right = next(a for a in item["answers"] if a.get("correct"))
            low, high = right["range"]
            assert low <= q.answer - q.tolerance and q.answer + q.tolerance < high
            assert item["type"] == "numeric"
        else:
            assert item["type"] == ("multiple_choice" if q.kind == "single" else "many_choice")
            assert [a["correct"] for a in item["answers"]] == [o.correct for o in q.options]
    html = _export.quiz_html("05_tryptase_lab", "basal")
    assert "id=\"jq_05_tryptase_lab_basal\"" in html and "show_questions(" in html
    # jupyterquiz's only URL is its MathJax fallback, used when a page has MathJax (ours don't).
    assert "cdn." not in html.replace("cdn.jsdelivr.net/npm/mathjax@3", "")


def test_quiz_call_is_recognised_only_for_literal_calls():
    assert _export._quiz_call('ml.quiz("05_tryptase_lab", section="hat")') == (
        "05_tryptase_lab", "hat")
    assert _export._quiz_call('ml.quiz("00_start_here")') == ("00_start_here", None)
    assert _export._quiz_call("ml.quiz(name)") is None
    assert _export._quiz_call("x = 1") is None
