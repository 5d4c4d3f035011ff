"""Glossary explorer: search the course glossary (``data/glossary.csv``) as you type.

Pure model (:class:`GlossaryModel`) + a view built once + one callback that updates the
result area in place.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..tables._data import load_records

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
