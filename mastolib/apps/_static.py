"""Static mode: widgets degrade to their current result for HTML handouts and the static site.

When the kernel runs with ``MASTOLIB_STATIC=1`` (``make handouts``) or ``MASTOLIB_STATIC=site``
(``make site``), ``import mastolib`` calls :func:`enable` which

* registers a ``text/html`` formatter for every ipywidget, rendering a *snapshot* of the widget
  tree: HTML/Label widgets as their content, controls as "label: value", figure views
  (:class:`mastolib.apps._figview.FigureView`) as static plotly figures; and
* makes plain plotly figures embed their HTML (plotly.js inlined once, works offline) - in
  ``site`` mode figures carry only their data: the book loads one plotly.js for every page; and
* shows pandas tables in full (no truncated cells, no 0-based row numbers).

The exporter (:mod:`mastolib.course._export`) then drops the live-widget MIME type so the page shows
the snapshot - never an empty box.
"""

from __future__ import annotations

import html
import os

import ipywidgets as w
import plotly.graph_objects as go
import plotly.io as pio

from ..tables._paths import is_static

_ENABLED = False


def _page_has_plotlyjs() -> bool:
    """``MASTOLIB_STATIC=site``: the book loads plotly.js once for every page, so figures carry
    only their data (handouts, ``=1``, stay self-contained and inline it)."""
    return os.environ.get("MASTOLIB_STATIC", "") == "site"


def _control_text(widget) -> str:
    label = getattr(widget, "description", "") or ""
    value = getattr(widget, "value", None)
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if value is None or value == "":
        value = "—"
    return f"<div class='mastolib-static-control'>{html.escape(str(label))} <b>{html.escape(str(value))}</b></div>"


def snapshot(widget, _first_figure: list | None = None) -> str:
    """Static HTML of a widget tree as it is now (pure function of the widget state)."""

    first = [True] if _first_figure is None else _first_figure
    if isinstance(widget, (w.HTML, w.HTMLMath)):
        return f"<div>{widget.value}</div>"
    if isinstance(widget, w.Label):
        return f"<div>{html.escape(widget.value)}</div>"
    if isinstance(widget, w.Button):
        return ""
    figure_view = getattr(widget, "_mastolib_figure", None)
    if isinstance(widget, w.Output) and figure_view is not None:
        fig = go.Figure(figure_view)
        inline = first[0] and not _page_has_plotlyjs()
        text = fig.to_html(full_html=False, include_plotlyjs="inline" if inline else False)
        first[0] = False
        return f"<div class='mastolib-static-figure'>{text}</div>"
    if isinstance(widget, w.Output):
        return "<div><i>(output shown when the notebook runs interactively)</i></div>"
    if isinstance(widget, w.Box):
        inner = "".join(snapshot(child, first) for child in widget.children)
        titles = getattr(widget, "titles", None)
        if isinstance(widget, (w.Tab, w.Accordion)) and titles:
            inner = "".join(
                f"<h5>{html.escape(str(t or ''))}</h5>{snapshot(c, first)}"
                for t, c in zip(titles, widget.children, strict=False))
        return f"<div class='mastolib-static-box'>{inner}</div>"
    if hasattr(widget, "value"):
        return _control_text(widget)
    return ""


def _widget_html(widget) -> str:
    return ("<div class='mastolib-static' style='border:1px dashed #999;padding:6px'>"
            "<small><i>Static snapshot of an interactive app - run the notebook to use it."
            "</i></small>" + snapshot(widget) + "</div>")


def _frame_html(frame) -> str:
    """A table for a page: every cell in full, no 0-based row numbers."""
    import pandas as pd

    keep_index = not isinstance(frame.index, pd.RangeIndex)
    return frame.to_html(index=keep_index, border=0, classes="dataframe mastolib-table",
                         max_rows=200, na_rep="")


def enable() -> None:
    """Switch the current IPython kernel to static rendering (idempotent)."""
    global _ENABLED
    if _ENABLED:
        return
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    import pandas as pd

    shell.display_formatter.formatters["text/html"].for_type(w.Widget, _widget_html)
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, _frame_html)
    # The book exporter turns the plotly JSON into HTML itself (no plotly.js, no MathJax CDN).
    pio.renderers.default = ("plotly_mimetype" if _page_has_plotlyjs()
                             else "plotly_mimetype+notebook")
    _ENABLED = True


def app_mimebundle(widget, **kwargs):
    """``_repr_mimebundle_`` for app objects: the live widget, plus a snapshot in static mode.

    App classes delegate to this so that displaying the app (not only ``app.widget``) works in
    Lab, Voilà, and the static site alike.
    """
    bundle = widget._repr_mimebundle_(**kwargs)
    if is_static():
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/html"] = _widget_html(widget)
    return bundle
