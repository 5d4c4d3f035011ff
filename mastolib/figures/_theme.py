"""One plotly look for the whole course, with the Okabe-Ito colour-blind-safe palette.

Figures in mastolib are pure builders (they return a ``go.Figure`` and never call ``.show()``);
they all start from :func:`template`. Colour is never the only carrier of meaning: builders also
use text labels, marker symbols or line dashes.

References: Okabe M, Ito K. Color Universal Design (CUD): how to make figures and presentations
that are friendly to colorblind people (2008) - the palette below.
"""

from __future__ import annotations

import functools

import plotly.graph_objects as go

from ..models._palette import OKABE_ITO, SCHEME_COLOURS, STATUS_COLOURS, STATUS_SYMBOLS

__all__ = ["OKABE_ITO", "SCHEME_COLOURS", "STATUS_COLOURS", "STATUS_SYMBOLS", "apply_theme", "register", "template"]

_COLOURWAY = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                     "reddish_purple", "sky_blue", "yellow", "black")]


TEMPLATE_NAME = "mastolib"
TITLE_PAD_PX = 28  # from the figure's top edge to the title (a 2-line title sits 12 px higher)
TITLE_LINE_PX = 22
MIN_FONT_PX = 10  # no text in a course figure is drawn smaller (readable at 1024 px wide)


@functools.lru_cache(maxsize=1)
def template():
    """Return the course's plotly template (built once; registered as ``"mastolib"``).

    Layout rules every figure inherits: the legend sits at the bottom of the figure, below
    the x-axis title (``yref="container"``: plotly grows the bottom margin to fit it, so it
    cannot cover the axis title or tick labels at any width); every axis sizes its margin to its tick labels and title (``automargin``);
    text inside bars, slices and sectors is hidden rather than drawn under
    :data:`MIN_FONT_PX` px; figures fill the width of their output area (``autosize``).
    """
    axis = dict(showgrid=True, gridcolor="#E5E5E5", zeroline=False, linecolor="#444444",
                ticks="outside", automargin=True, title=dict(standoff=8),
                tickfont=dict(size=12))
    return go.layout.Template(
        layout=go.Layout(
            colorway=_COLOURWAY,
            font=dict(family="Arial, Helvetica, sans-serif", size=14, color="#222222"),
            # Hung from the top edge of the figure; apply_theme makes the top margin tall
            # enough for the title's lines (plotly's title automargin misplaces multi-line
            # titles, measured in Chromium with plotly.js 3).
            title=dict(font=dict(size=18), x=0.0, xanchor="left", yref="container", y=1,
                       yanchor="top", pad=dict(t=TITLE_PAD_PX)),
            autosize=True,
            uniformtext=dict(minsize=MIN_FONT_PX, mode="hide"),
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=axis,
            yaxis=axis,
            legend=dict(bgcolor="rgba(255,255,255,0.8)", orientation="h", yref="container",
                        y=0, yanchor="bottom", x=0, xanchor="left", font=dict(size=12)),
            margin=dict(l=60, r=20, t=60, b=50),
            hoverlabel=dict(font_size=13),
        )
    )


def register():
    """Register the course template with plotly as ``"mastolib"`` and make it the default,
    so every figure - also one a learner builds with plotly directly - gets the course look."""
    import plotly.io as pio

    if TEMPLATE_NAME not in pio.templates:
        pio.templates[TEMPLATE_NAME] = template()
        pio.templates.default = TEMPLATE_NAME


TITLE_CHARS = 60  # an 18 px title line fits ~60 characters in a 592 px wide output (1024 px)


def wrap_title(title: str) -> str:
    """Break a long title over lines of at most :data:`TITLE_CHARS` characters (plotly never
    wraps: a long title runs off the figure in a narrow window). A title that already holds
    ``<br>`` is only wrapped in its first line."""
    import textwrap

    head, sep, rest = str(title).partition("<br>")
    if len(head) <= TITLE_CHARS:
        return title
    return "<br>".join(textwrap.wrap(head, TITLE_CHARS)) + sep + rest


def _frozen(value):
    """A hashable copy of make_subplots arguments (lists and dicts inside ``specs``)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("list", tuple(_frozen(v) for v in value))
    return ("value", value)


def _thawed(frozen):
    kind, value = frozen
    if kind == "dict":
        return {k: _thawed(v) for k, v in value}
    if kind == "list":
        return [_thawed(v) for v in value]
    return value


@functools.lru_cache(maxsize=32)
def _subplot_grid(frozen_kwargs):
    from plotly.subplots import make_subplots

    return make_subplots(**_thawed(frozen_kwargs))


def subplots(**kwargs) -> go.Figure:
    """``plotly.subplots.make_subplots(**kwargs)``, the empty grid built once per set of arguments.

    make_subplots costs 9-13 ms a call (axes, domains, titles, all validated); an app that draws
    a grid on every slider move pays it per event. A copy of a cached grid costs ~3 ms and keeps
    the grid (``add_trace(row=..., col=...)`` works as usual).
    """
    return go.Figure(_subplot_grid(_frozen(kwargs)))


def apply_theme(fig, *, title=None, height=None):
    """Apply the course template to ``fig`` in place and return it."""
    register()
    fig.update_layout(template=TEMPLATE_NAME)
    if title is not None:
        text = wrap_title(title)
        lines = text.count("<br>") + 1
        top = fig.layout.margin.t if fig.layout.margin.t is not None else 60
        fig.update_layout(title_text=text,
                          margin_t=max(top, TITLE_PAD_PX + TITLE_LINE_PX * lines + 12))
    if height is not None:
        fig.update_layout(height=height)
    return fig
