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

__all__ = ["OKABE_ITO", "SCHEME_COLOURS", "STATUS_COLOURS", "STATUS_SYMBOLS", "apply_theme", "template"]

_COLOURWAY = [OKABE_ITO[k] for k in ("blue", "orange", "bluish_green", "vermillion",
                                     "reddish_purple", "sky_blue", "yellow", "black")]


@functools.lru_cache(maxsize=1)
def template():
    """Return the course's plotly template (built once)."""

    return go.layout.Template(
        layout=go.Layout(
            colorway=_COLOURWAY,
            font=dict(family="Arial, Helvetica, sans-serif", size=14, color="#222222"),
            title=dict(font=dict(size=18), x=0.0, xanchor="left"),
            paper_bgcolor="white",
            plot_bgcolor="white",
            xaxis=dict(showgrid=True, gridcolor="#E5E5E5", zeroline=False, linecolor="#444444",
                       ticks="outside"),
            yaxis=dict(showgrid=True, gridcolor="#E5E5E5", zeroline=False, linecolor="#444444",
                       ticks="outside"),
            legend=dict(bgcolor="rgba(255,255,255,0.8)"),
            margin=dict(l=60, r=20, t=60, b=50),
            hoverlabel=dict(font_size=13),
        )
    )


def apply_theme(fig, *, title=None, height=None):
    """Apply the course template to ``fig`` in place and return it."""
    fig.update_layout(template=template())
    if title is not None:
        fig.update_layout(title_text=title)
    if height is not None:
        fig.update_layout(height=height)
    return fig
