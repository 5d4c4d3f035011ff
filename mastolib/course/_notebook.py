"""Small helpers every notebook uses: the education notice and the reference list."""

from __future__ import annotations

import os

from ..tables._data import load_records, references

# A 2 x 2 px transparent plotly output. Displayed once before any app, it makes the browser
# load plotly's renderer while the page is still quiet. Without it, Voila 0.5 loads that
# renderer (~3.5 MB) in the middle of building the widget models and intermittently shows
# "Error displaying widget: model not found" for the apps that follow a figure (measured: 5 of
# 10 page loads of notebook 07; 0 of 10 with this warm-up).
_PLOTLY_WARM_UP = {
    "application/vnd.plotly.v1+json": {
        "data": [{"type": "scatter", "x": [0], "y": [0], "mode": "markers",
                  "marker": {"opacity": 0}, "hoverinfo": "skip", "showlegend": False}],
        "layout": {"width": 2, "height": 2, "margin": {"l": 0, "r": 0, "t": 0, "b": 0},
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


def notice(figures: bool = True):
    """Return the 'education only' notice as a displayable HTML object.

    With ``figures=True`` (notebooks that show plotly figures), first display a tiny invisible
    plotly output so the browser loads plotly's renderer before the apps (see above).
    """
    from IPython.display import HTML, display


    if figures and not is_static():
        display(_PLOTLY_WARM_UP, raw=True, metadata={"mastolib": "plotly-warm-up"})

    return HTML(
        "<div role='note' style='border-left:6px solid #D55E00;background:#FFF4EC;"
        f"padding:8px 12px'><b>⚠ {EDUCATION_NOTICE}</b></div>"
    )


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


def is_static() -> bool:
    return os.environ.get("MASTOLIB_STATIC", "") not in ("", "0", "false")
