"""Finding and loading the course's data tables.

Everything the notebooks read from ``data/`` goes through :func:`load_table`, never a path
string in a notebook. Tables are validated against their schemas in ``data/datapackage.json``
(read by :mod:`mastolib.tables._schemas`) on first load and cached; callers get a copy so
nothing they do can change the cache.
"""

from __future__ import annotations

import csv
import difflib
import functools
import json
from pathlib import Path

from ._fields import bool_from_text, number_from_text
from ._paths import data_path
from ._schemas import SCHEMAS, TableSchema, descriptor_path


class DataError(ValueError):
    """A data file is missing or does not match its schema (message names file and problem)."""


def data_dir() -> Path:
    """Return the folder holding the course's data tables.

    ``MASTOLIB_DATA`` overrides the default. A source checkout (editable install, as ``make``
    and Binder do, or ``PYTHONPATH=<repo>``) reads the repository's top-level ``data/``; an
    installed wheel reads the copy shipped inside the package (``mastolib/data``, found with
    :mod:`importlib.resources`).
    """
    path = data_path()
    if not path.is_dir():
        raise DataError(
            f"data folder not found: {path}. Install the course with `make lab` (editable "
            "install from the repository) or set MASTOLIB_DATA to the folder holding sources.csv."
        )
    return path


def _convert(value: str, kind: str, column: str, where: str):
    text = value.strip()
    if text == "":
        return None
    if kind in ("str", "source"):
        return text
    if kind == "bool":
        flag = bool_from_text(text)
        if flag is not None:
            return flag
        raise DataError(f"{where}: column {column!r} holds {text!r}; expected true/false")
    try:
        number = number_from_text(text)
    except ValueError as reason:
        raise DataError(f"{where}: column {column!r} holds {text!r}, {reason}") from None
    if kind == "int":
        if number != int(number):
            raise DataError(f"{where}: column {column!r} holds {text!r}; expected a whole number")
        return int(number)
    return number


def _read_rows(schema: TableSchema, directory: Path) -> list[dict]:
    path = directory / schema.filename
    if not path.is_file():
        raise DataError(f"data file missing: {path} (table {schema.name!r}: {schema.description})")
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            raw = list(reader)
    except (UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{path}: not a readable UTF-8 CSV file ({exc})") from None
    missing = [c for c in schema.columns if c not in header]
    extra = [c for c in header if c not in schema.columns]
    if missing or extra:
        raise DataError(
            f"{path}: header does not match table {schema.name!r}: "
            f"missing columns {missing}, unexpected columns {extra}"
        )
    rows = []
    for number, record in enumerate(raw, start=2):
        where = f"{path.name} line {number}"
        if None in record:
            raise DataError(f"{where}: more fields than the {len(header)} header columns")
        row = {c: _convert(record[c] or "", k, c, where) for c, k in schema.columns.items()}
        for column in schema.required:
            if row[column] is None:
                raise DataError(f"{where}: required column {column!r} is empty")
        for column, (low, high) in schema.ranges.items():
            value = row[column]
            if value is not None and not (low <= value <= high):
                raise DataError(
                    f"{where}: column {column!r} = {value} is outside the allowed range "
                    f"{low} to {high}"
                )
        for column, allowed in schema.choices.items():
            value = row[column]
            if value is not None and value not in allowed:
                raise DataError(
                    f"{where}: column {column!r} = {value!r} is not one of {list(allowed)}"
                )
        rows.append(row)
    if schema.key:
        seen = set()
        for row in rows:
            if row[schema.key] in seen:
                raise DataError(f"{path.name}: duplicate {schema.key} {row[schema.key]!r}")
            seen.add(row[schema.key])
    return rows


@functools.cache
def _load_records(name: str, directory: str) -> tuple:
    if not SCHEMAS:
        raise DataError(f"table descriptor missing: {descriptor_path()} (it describes every "
                        "table; see data/README.md)")
    if name not in SCHEMAS:
        raise DataError(f"unknown table {name!r}; known tables: {sorted(SCHEMAS)}")
    schema = SCHEMAS[name]
    rows = _read_rows(schema, Path(directory))
    source_columns = [c for c, k in schema.columns.items() if k == "source"]
    if source_columns:
        known = {r["source_id"] for r in _load_records("sources", directory)}
        for index, row in enumerate(rows, start=2):
            for column in source_columns:
                for sid in _split_ids(row[column]):
                    if sid not in known:
                        raise DataError(
                            f"{schema.filename} line {index}: {column} {sid!r} is not in "
                            "sources.csv"
                        )
    return tuple(rows)


def _split_ids(value) -> list[str]:
    """Source cells may cite several ids separated by ';'."""
    if value is None:
        return []
    return [part.strip() for part in str(value).split(";") if part.strip()]


def load_records(name: str) -> list[dict]:
    """Return a validated table as a list of plain dicts (no pandas needed).

    Parameters
    ----------
    name : str
        Table id, e.g. ``"sources"`` or ``"glossary"`` (see ``mastolib.table_names()``).

    Raises
    ------
    DataError
        (a ``ValueError``) naming the file and the problem when the file is missing or
        malformed.
    """
    return [dict(r) for r in _load_records(name, str(data_dir()))]


def load_table(name: str):
    """Return a validated data table as a pandas DataFrame (a fresh copy each call).

    Examples
    --------
    >>> import mastolib as ml
    >>> "khoury2022" in set(ml.load_table("sources")["source_id"])
    True
    """
    import pandas as pd

    schema = SCHEMAS.get(name)
    records = load_records(name)
    frame = pd.DataFrame.from_records(records, columns=list(schema.columns))
    for column, kind in schema.columns.items():
        if kind == "float":
            frame[column] = pd.to_numeric(frame[column], errors="raise").astype("float64")
        elif kind == "int":
            frame[column] = frame[column].astype("Int64")
        elif kind == "bool":
            frame[column] = frame[column].astype("boolean")
    return frame


def load_json(relative_path: str):
    """Load a JSON file below ``data/`` with a clear error for a missing or broken file."""
    path = data_dir() / relative_path
    if not path.is_file():
        raise DataError(f"data file missing: {path}")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: not valid JSON ({exc})") from None


def table_names() -> list[str]:
    """Ids of every registered data table."""
    return sorted(SCHEMAS)


def source_ids() -> set[str]:
    """The set of valid ``source_id`` values (from ``data/sources.csv``)."""
    return {r["source_id"] for r in load_records("sources")}


def source(source_id: str) -> dict:
    """Return one row of ``data/sources.csv`` as a dict.

    Raises
    ------
    ValueError
        if ``source_id`` is not in the bibliography (the message lists close matches).
    """
    for row in _load_records("sources", str(data_dir())):
        if row["source_id"] == source_id:
            return dict(row)

    close = difflib.get_close_matches(str(source_id), sorted(source_ids()), n=3)
    raise ValueError(
        f"source_id {source_id!r} is not in data/sources.csv"
        + (f"; did you mean {close}?" if close else "")
    )


def cite(source_id: str) -> str:
    """Return a one-line citation for ``source_id`` (several ids may be joined with ';').

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.cite("arber2022").startswith("Arber DA")
    True
    """
    parts = []
    for sid in _split_ids(source_id) or [str(source_id)]:
        row = source(sid)
        text = row["citation"]
        if row.get("identifier"):
            text += f" [{row['identifier']}]"
        if row.get("evidence") == "secondary":
            text += " (read via a secondary source)"
        parts.append(text)
    return "; ".join(parts)


def references(source_ids_used) -> str:
    """Render a numbered Markdown reference list for the given source ids (order kept)."""
    seen: list[str] = []
    for sid in source_ids_used:
        for part in _split_ids(sid):
            if part not in seen:
                seen.append(part)
    return "\n".join(f"{i}. {cite(sid)} `[{sid}]`" for i, sid in enumerate(seen, start=1))
