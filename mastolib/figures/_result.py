"""One result for a figure and its words: what the chapter figure calls return.

Like scikit-learn's Display objects (compute once, show later), a chapter figure call such as
``ml.pathway_figure(path)`` returns a small frozen :class:`FigureResult` carrying

* ``.figure`` - the plotly figure (a ``go.Figure``, for inspection or ``.show()``), and
* ``.summary`` - the one-line text summary of what the figure shows (for screen readers, the
  static pages and the learner who reads rather than looks).

Shown in a notebook (the last expression of a cell), the result displays the figure through
plotly's own renderer - the live figure in Lab and Voila, the embedded HTML in static mode
(``MASTOLIB_STATIC``) - followed by the summary as a caption paragraph. ``_repr_mimebundle_``
gives the same pair to front ends that do not run IPython's display hook: the figure's own
MIME data (its HTML followed by the caption, where the renderer gives HTML) and the summary as
plain text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import plotly.graph_objects as go

_CAPTION = "<p class='mastolib-figure-summary' style='margin:4px 0 12px'>{}</p>"


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

        display(self.figure)
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
