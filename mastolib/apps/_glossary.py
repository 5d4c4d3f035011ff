"""Widget app(s): glossary explorer: search the course glossary (``data/glossary.csv``) as you type.

Model: :mod:`mastolib.course._glossary`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..course._glossary import ALL, GlossaryModel
from ._static import app_mimebundle


def _render(rows: list[dict], total: int, query: str, category: str = ALL) -> tuple[str, str]:
    count = f"<b>{len(rows)}</b> of {total} terms"
    if not rows:
        where = "" if category == ALL else f" in the category <i>{html.escape(category)}</i>"
        return count, (f"<p>No term matches <code>{html.escape(query)}</code>{where}. Try a "
                       "shorter word, or choose 'All categories'.</p>")
    cards = []
    for r in rows:
        why = f"<br><i>Why it matters:</i> {html.escape(r['why_it_matters'])}" if r[
            "why_it_matters"] else ""
        cards.append(
            f"<div class='mastolib-term' style='margin:4px 0;padding:4px 8px;border-left:4px solid "
            f"#0072B2'><b>{html.escape(r['term'])}</b> <small>({html.escape(r['category'])})</small>"
            f"<br>{html.escape(r['definition'])}{why}<br><small>Source: "
            f"<code>{html.escape(r['source_id'])}</code></small></div>")
    # The scrolling box is focusable and named, so keyboard users can scroll it (axe:
    # scrollable-region-focusable).
    return count, ("<div tabindex='0' role='region' aria-label='Glossary results' "
                   "style='max-height:420px;overflow:auto;line-height:1.4'>"
                   + "".join(cards) + "</div>")


class GlossaryApp:
    """The glossary explorer widget.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"search": Text, "category": Dropdown}``
    result : list of dict  the rows currently shown
    """

    def __init__(self, model: GlossaryModel | None = None):

        self.model = model or GlossaryModel.load()
        self.controls = {
            "search": w.Text(value="", placeholder="e.g. tryptase, KIT, Darier",
                             description="Search:", continuous_update=True),
            "category": w.Dropdown(options=[ALL, *self.model.categories], value=ALL,
                                   description="Category:"),
        }
        self._count = w.HTML()
        self._count.add_class("mastolib-glossary-count")
        self._results = w.HTML()
        self._results.add_class("mastolib-glossary-results")
        for control in self.controls.values():
            control.observe(self._update, names="value")
        self.widget = w.VBox([w.HBox(list(self.controls.values())), self._count, self._results])
        self.widget.add_class("mastolib-glossary")
        self.result: list = []
        self._update()

    def _update(self, _change=None):
        query = self.controls["search"].value
        self.result = self.model.filter(query, self.controls["category"].value)
        self._count.value, self._results.value = _render(
            self.result, len(self.model.rows), query, self.controls["category"].value)

    def _repr_mimebundle_(self, **kwargs):

        return app_mimebundle(self.widget, **kwargs)


def glossary_app(model: GlossaryModel | None = None) -> GlossaryApp:
    """Build the glossary explorer (``app.widget`` is the view)."""
    return GlossaryApp(model)

