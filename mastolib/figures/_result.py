"""One result for a figure and its words: what the chapter figure calls return.

Like scikit-learn's Display objects (compute once, show later), a chapter figure call such as
``ml.pathway_figure(path)`` returns a small frozen :class:`FigureResult` carrying

* ``.figure`` - the plotly figure (a ``go.Figure``, for inspection or ``.show()``), and
* ``.summary`` - the one-line text summary of what the figure shows (for screen readers, the
  static pages and the learner who reads rather than looks).

Shown in a notebook (the last expression of a cell), the result displays the figure - the
plotly MIME bundle in Lab and Voila (:func:`plotly_bundle`), plotly's own renderer with the
embedded HTML in static mode (``MASTOLIB_STATIC``) - followed by the summary as a caption
paragraph. ``_repr_mimebundle_``
gives the same pair to front ends that do not run IPython's display hook: the figure's own
MIME data (its HTML followed by the caption, where the renderer gives HTML) and the summary as
plain text.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import plotly.graph_objects as go
import plotly.io as pio

from ..tables._paths import is_static

PLOTLY_MIME = "application/vnd.plotly.v1+json"

_CAPTION = "<p class='mastolib-figure-summary' style='margin:4px 0 12px'>{}</p>"


def plotly_bundle(figure) -> dict:
    """The MIME bundle plotly's ``"plotly_mimetype"`` renderer makes for ``figure``.

    Built here (same JSON: ``plotly.io.to_json(..., validate=False, remove_uids=False)``, no
    config) instead of through ``plotly.io.renderers``: importing plotly's renderer registry
    imports nbformat and jsonschema, 0.2-0.4 s of every kernel's first figure that the course
    never uses (benchmarks/RESULTS.md, "Floor vs course"). ``figure`` is a ``go.Figure`` or
    its ``to_dict()``.
    """
    fig_dict = figure if isinstance(figure, dict) else figure.to_dict()
    return {PLOTLY_MIME: json.loads(pio.to_json(fig_dict, validate=False, remove_uids=False))}


@dataclass(frozen=True, eq=False)
class FigureResult:
    """A figure with its one-line text summary (see the module docstring).

    Attributes
    ----------
    figure : plotly.graph_objects.Figure
    summary : str
    """

    figure: go.Figure
    summary: str

    def caption_html(self) -> str:
        """The summary as the HTML caption shown under the figure."""
        return _CAPTION.format(html.escape(self.summary))

    def _ipython_display_(self):
        from IPython.display import HTML, display

        if is_static():  # the static site's renderer embeds HTML (apps/_static.py)
            display(self.figure)
        else:
            display(plotly_bundle(self.figure), raw=True)
        display(HTML(self.caption_html()))

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        bundle = dict(self.figure._repr_mimebundle_(include, exclude, **kwargs) or {})
        if "text/html" in bundle:
            bundle["text/html"] += self.caption_html()
        bundle["text/plain"] = self.summary
        return bundle

    def __str__(self):
        return self.summary

    def __repr__(self):
        title = self.figure.layout.title.text or "figure"
        return f"<FigureResult {title!r}: {self.summary}>"
