"""Small helpers every notebook uses: the education notice and the reference list."""

from __future__ import annotations

from ..tables._data import load_records, references

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


def notice():
    """Return the 'education only' notice as a displayable HTML object (with the course's
    widget CSS, page-wide)."""
    from IPython.display import HTML

    return HTML(
        f"<style>{_WIDGET_CSS}</style>"
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

