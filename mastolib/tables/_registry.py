"""One registry: every data row by its id, and one error for an id that does not exist.

``get(kind, id)`` returns the row of table ``kind`` (``"cases"`` or ``"case"``, ``"thresholds"``
or ``"threshold"`` ...) whose key column (from the table's schema) equals ``id``. An unknown id
raises :class:`UnknownIdError` (a ``ValueError``) whose message lists the valid ids and whose
``field`` names what was looked up, so an app can mark the control. ``check_id`` does the same
for any other set of valid ids (schemes, views, mixes ...).
"""

from __future__ import annotations

import functools

from ._data import load_records
from ._schemas import SCHEMAS


class UnknownIdError(ValueError):
    """An id that is not one of the valid ids (the message lists them)."""

    def __init__(self, kind: str, value, valid, field: str | None = None):
        self.kind, self.value, self.valid = kind, value, list(valid)
        self.field = field or kind
        super().__init__(f"unknown {kind} {value!r}; valid ids: {self.valid}")


def check_id(kind: str, value, valid, field: str | None = None):
    """``value`` if it is in ``valid``, else :class:`UnknownIdError` listing ``valid``."""
    if value not in valid:
        raise UnknownIdError(kind, value, valid, field)
    return value


def table_of(kind: str) -> str:
    """The table holding ``kind``: the table name itself or its singular."""
    for name in (kind, f"{kind}s", f"{kind[:-1]}ies" if kind.endswith("y") else None):
        if name in SCHEMAS and SCHEMAS[name].key:
            return name
    return check_id("table", kind, sorted(n for n, s in SCHEMAS.items() if s.key))


@functools.cache
def _index(table: str) -> dict:
    key = SCHEMAS[table].key
    return {row[key]: row for row in load_records(table)}


def ids(kind: str) -> list:
    """The ids of every row of ``kind``, in table order."""
    return list(_index(table_of(kind)))


def get(kind: str, id) -> dict:
    """The row of ``kind`` with this id (a copy).

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.get("case", "c13")["title"]
    'Brown spots and a full abdomen'
    >>> ml.get("case", "c99")
    Traceback (most recent call last):
    ...
    mastolib.tables._registry.UnknownIdError: unknown case 'c99'; valid ids: ['c01', ...]
    """
    table = table_of(kind)
    rows = _index(table)
    singular = kind[:-1] if kind == table and kind.endswith("s") else kind
    return dict(rows[check_id(singular, id, list(rows))])
