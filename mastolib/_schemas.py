"""Schemas of the course's data tables (the machine-readable half of data/README.md).

Each table in ``data/`` is described once here; :func:`mastolib.load_table` checks every
file against its schema when it is loaded, so a corrupted or hand-edited table fails with
one clear message naming the file and the problem, instead of misbehaving later in a widget.

Column kinds: ``"str"`` (text, may be empty unless listed in ``required``), ``"float"``,
``"int"``, ``"bool"`` (true/false/yes/no/1/0, empty = not assessed) and ``"source"`` (a
``source_id`` that must exist in ``data/sources.csv``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableSchema:
    """Description of one CSV table in ``data/``.

    Parameters
    ----------
    name : str
        Id used with :func:`mastolib.load_table`.
    filename : str
        File name relative to ``data/``.
    columns : dict
        Column name -> kind (see module docstring). Extra columns are an error.
    required : tuple of str
        Columns that may not be empty.
    key : str or None
        Column whose values must be unique.
    ranges : dict
        Column -> (low, high) inclusive bounds for numeric columns.
    choices : dict
        Column -> allowed values for categorical text columns.
    description : str
        One line for people (shown in errors and in the data dictionary).
    """

    name: str
    filename: str
    columns: dict
    required: tuple = ()
    key: str | None = None
    ranges: dict = field(default_factory=dict)
    choices: dict = field(default_factory=dict)
    description: str = ""


SCHEMAS: dict[str, TableSchema] = {}


def register(schema: TableSchema) -> TableSchema:
    """Add a schema to the registry (ids are unique)."""
    if schema.name in SCHEMAS:
        raise ValueError(f"table schema {schema.name!r} is registered twice")
    SCHEMAS[schema.name] = schema
    return schema


register(TableSchema(
    name="sources",
    filename="sources.csv",
    columns={"source_id": "str", "factsheet_ref": "str", "citation": "str", "year": "int",
             "evidence": "str", "identifier": "str"},
    required=("source_id", "citation", "evidence"),
    key="source_id",
    ranges={"year": (1950, 2100)},
    choices={"evidence": ("primary", "secondary")},
    description="Bibliography: every rule, threshold and data row cites one of these ids.",
))

register(TableSchema(
    name="glossary",
    filename="glossary.csv",
    columns={"term_id": "str", "term": "str", "category": "str", "definition": "str",
             "why_it_matters": "str", "source_id": "source"},
    required=("term_id", "term", "category", "definition", "source_id"),
    key="term_id",
    choices={"category": ("cell biology", "mediators", "genetics", "classification",
                          "laboratory", "skin", "scores", "treatment")},
    description="Glossary of terms used in the course, in our own words, each with a source.",
))

register(TableSchema(
    name="course_map",
    filename="course_map.csv",
    columns={"notebook": "str", "title": "str", "minutes": "int", "level": "str",
             "summary": "str", "status": "str", "source_id": "source"},
    required=("notebook", "title", "minutes", "level", "summary", "status", "source_id"),
    key="notebook",
    ranges={"minutes": (5, 240)},
    choices={"level": ("all", "beginner", "intermediate", "advanced"),
             "status": ("available", "planned")},
    description="The learning path: one row per notebook, with estimated time and main sources.",
))
