"""Small helpers every notebook uses: the education notice and the reference list."""

from __future__ import annotations

from ..tables._data import load_records, references
from ..tables._paths import is_static

# A 2 x 2 px transparent plotly output. Displayed once before any app, it makes the browser
# load plotly's renderer while the page is still quiet. Without it, Voila 0.5 loads that
# renderer (~3.5 MB) in the middle of building the widget models and intermittently shows
# "Error displaying widget: model not found" for the apps that follow a figure (measured: 5 of
# 10 page loads of notebook 07; 0 of 10 with this warm-up).
_PLOTLY_WARM_UP = {
    "application/vnd.plotly.v1+json": {
        "data": [{"type": "scatter", "x": [0], "y": [0], "mode": "markers",
                  "marker": {"opacity": 0}, "hoverinfo": "skip", "showlegend": False}],
        # autosize off: otherwise the front end stretches it to a blank 700 x 450 px box.
        "layout": {"autosize": False, "width": 2, "height": 2,
                   "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
                   "xaxis": {"visible": False}, "yaxis": {"visible": False},
                   "paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)"},
        "config": {"staticPlot": True, "displayModeBar": False},
    },
    "text/plain": "",
}

EDUCATION_NOTICE = (
    "For education only - not for clinical decisions. The rules here are simplified teaching "
    "versions of published criteria; always use the primary sources and clinical judgement."
)


# The course's widget look, page-wide (every notebook shows the notice first): ipywidgets
# draws toggle buttons 148 px wide, slider readouts at most 148 px and radio options on one
# line, each cut with "…" (also checkbox descriptions) - a learner then reads
# "Non-advanced (C…". Size them to their text and let long options wrap instead.
_WIDGET_CSS = (
    ".jupyter-widgets .widget-toggle-button{width:auto!important;min-width:48px;"
    "padding:0 10px}"
    ".jupyter-widgets .widget-toggle-buttons{flex-wrap:wrap;height:auto}"
    ".jupyter-widgets .widget-readout{max-width:none!important;overflow:visible!important}"
    ".jupyter-widgets .widget-radio-box label{white-space:normal!important;"
    "overflow:visible!important;text-overflow:clip!important;height:auto!important;"
    "line-height:1.3;margin:2px 0}"
    ".jupyter-widgets.widget-checkbox{height:auto!important;align-items:flex-start}"
    ".jupyter-widgets.widget-checkbox label,.jupyter-widgets.widget-checkbox .widget-label-basic,"
    ".jupyter-widgets.widget-checkbox .widget-label-basic span{white-space:normal!important;"
    "overflow:visible!important;text-overflow:clip!important;height:auto!important;"
    "line-height:1.3}"
    # A Markdown table in an output (roles, outlook, ...) wider than its output area (592 px
    # in a 1024 px Lab with the file browser open) scrolls inside its own box, not the page.
    ".jp-OutputArea-output.jp-RenderedMarkdown table{display:block;max-width:100%;"
    "overflow-x:auto}"
)


def notice(figures: bool = True):
    """Return the 'education only' notice as a displayable HTML object.

    With ``figures=True`` (notebooks that show plotly figures), first display a tiny invisible
    plotly output so the browser loads plotly's renderer before the apps (see above).
    """
    from IPython.display import HTML, display


    if figures and not is_static():
        display(_PLOTLY_WARM_UP, raw=True, metadata={"mastolib": "plotly-warm-up"})

    # The warm-up output sits right before the notice's output: fold it to 1 px so it still
    # loads plotly's renderer but takes no visible space (JupyterLab and Voila). Not 0 px:
    # jupyterlab-plotly then skips its first-draw snapshot, and Voila's widget models raced
    # again ("model not found" in 09: 3 of 3 page loads at 0 px, 0 of 4 at 1 px or unfolded).
    fold = (".jp-OutputArea-child:has(+ .jp-OutputArea-child .mastolib-notice), "
            ".jp-OutputArea-child:has(+ .jp-OutputArea-child .mastolib-notice) "
            ".jp-OutputArea-output{height:1px!important;min-height:1px!important;"
            "max-height:1px!important;display:block!important;overflow:hidden!important;"
            "margin:0!important;padding:0!important;border:0!important}")
    return HTML(
        f"<style>{fold}{_WIDGET_CSS}</style>"
        "<div class='mastolib-notice' role='note' style='border-left:6px solid #D55E00;"
        f"background:#FFF4EC;padding:8px 12px'><b>⚠ {EDUCATION_NOTICE}</b></div>"
        f"<p class='mastolib-how' style='margin:6px 0 0'><small>{_how_to_use()}</small></p>"
    )


def _how_to_use() -> str:
    """One line on how to use this page, worded for JupyterLab or for a Voila app."""
    from ._present import wording

    return wording(
        "Run the cells in order with <b>Shift + Enter</b> (or <b>Run ▸ Run All Cells</b>); "
        "exercise solutions open with <b>Show solution</b>.",
        "This page is an app: everything has already run. Use the controls; the worked "
        "exercise solutions are in the notebook version.")


def show_references(source_ids):
    """Return a numbered reference list (Markdown) for the given ``source_id`` values."""
    from IPython.display import Markdown


    return Markdown("**References**\n\n" + references(source_ids))


def course_map():
    """Return the learning path (``data/course_map.csv``) as a Markdown table."""
    from IPython.display import Markdown


    rows = load_records("course_map")
    lines = ["| # | Notebook | Level | Time | What you will do | Status |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        number = row["notebook"][:2]
        title = row["title"]
        if row["status"] == "available":
            title = f"[{title}]({row['notebook']}.ipynb)"
        status = "ready" if row["status"] == "available" else "coming soon"
        lines.append(f"| {number} | {title} | {row['level']} | {row['minutes']} min | "
                     f"{row['summary']} | {status} |")
    total = sum(r["minutes"] for r in rows)
    lines.append(f"\nWhole course: about {total / 60:.1f} hours.")
    return Markdown("\n".join(lines))

