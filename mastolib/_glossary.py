"""Glossary explorer: search the course glossary (``data/glossary.csv``) as you type.

Pure model (:class:`GlossaryModel`) + a view built once + one callback that updates the
result area in place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ._data import load_records

ALL = "All categories"


@dataclass(frozen=True)
class GlossaryModel:
    """The glossary rows and a pure filter over them."""

    rows: tuple

    @classmethod
    def load(cls) -> GlossaryModel:
        return cls(tuple(sorted(load_records("glossary"), key=lambda r: r["term"].lower())))

    @property
    def categories(self) -> list[str]:
        return sorted({r["category"] for r in self.rows})

    def filter(self, query: str = "", category: str = ALL) -> list[dict]:
        """Rows whose term, definition or 'why it matters' contain ``query`` (any case).

        Raises
        ------
        ValueError
            if ``category`` is not one of :attr:`categories` (or ``"All categories"``).
        """
        if category != ALL and category not in self.categories:
            raise ValueError(f"category {category!r} is not one of {[ALL, *self.categories]}")
        needle = (query or "").strip().lower()
        out = []
        for row in self.rows:
            if category != ALL and row["category"] != category:
                continue
            haystack = " ".join(str(row[k] or "") for k in ("term", "definition", "why_it_matters"))
            if needle and needle not in haystack.lower():
                continue
            out.append(row)
        return out


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
        import ipywidgets as w

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
        from ._static import app_mimebundle

        return app_mimebundle(self.widget, **kwargs)


def glossary_app(model: GlossaryModel | None = None) -> GlossaryApp:
    """Build the glossary explorer (``app.widget`` is the view)."""
    return GlossaryApp(model)
