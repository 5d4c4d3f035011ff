"""Widget app(s): glossary explorer: search the course glossary (``data/glossary.csv``) as you type.

Model: :mod:`mastolib.course._glossary`.
"""

from __future__ import annotations

import html

import ipywidgets as w

from ..course._glossary import ALL, GlossaryModel
from ._base import App


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


class GlossaryApp(App):
    """The glossary explorer widget.

    Attributes
    ----------
    widget : ipywidgets.VBox
    controls : dict  ``{"search": Text, "category": Dropdown}``
    result : list of dict  the rows currently shown
    """

    css_class = "mastolib-glossary"

    def __init__(self, model: GlossaryModel | None = None):
        self.model = model or GlossaryModel.load()
        super().__init__()

    def _make_controls(self):
        return {
            "search": w.Text(value="", placeholder="e.g. tryptase, KIT, Darier",
                             description="Search:", continuous_update=True),
            "category": w.Dropdown(options=[ALL, *self.model.categories], value=ALL,
                                   description="Category:"),
        }

    def compute(self, values):
        return self.model.filter(values["search"], values["category"])

    def _view(self):
        self._count = w.HTML()
        self._count.add_class("mastolib-glossary-count")
        self._results = w.HTML()
        self._results.add_class("mastolib-glossary-results")
        return [self._count, self._results]

    def render(self, result):
        values = self.values()
        self._count.value, self._results.value = _render(
            result, len(self.model.rows), values["search"], values["category"])

    def _invalid(self, exc):
        self.result = []
        if hasattr(self, "_results"):
            self._count.value, self._results.value = "", ""


def glossary_app(model: GlossaryModel | None = None) -> GlossaryApp:
    """Build the glossary explorer (``app.widget`` is the view)."""
    return GlossaryApp(model)

