"""Schemas of the course's data tables, read from ``data/datapackage.json``.

Every CSV table in ``data/`` is described once, as data, in a Frictionless *Tabular Data
Package* (``data/datapackage.json``: one resource per table, each with a Table Schema v1
descriptor). This module reads it once, at import, into :class:`TableSchema` objects;
:func:`mastolib.load_table` checks every file against its schema when it is loaded, so a
corrupted or hand-edited table fails with one clear message naming the file and the problem,
instead of misbehaving later in a widget.

How the descriptor maps onto a :class:`TableSchema`:

=========================================  ===============================================
Table Schema                               TableSchema
=========================================  ===============================================
resource ``name`` / ``path``               ``name`` / ``filename``
resource ``description``                   ``description``
field ``type`` ``string``                  column kind ``"str"`` (``"source"``, see below)
field ``type`` ``number`` / ``integer``    ``"float"`` / ``"int"``
field ``type`` ``boolean``                 ``"bool"`` (true/false/yes/no/1/0; empty = not
                                           assessed)
``constraints.required``                   listed in ``required``
``constraints.minimum`` / ``maximum``      ``ranges`` (inclusive; a missing side is open)
``constraints.enum``                       ``choices``
``schema.primaryKey`` (one column)         ``key`` (unique values)
=========================================  ===============================================

Two custom field properties (Table Schema allows extra properties) carry what the standard
cannot say:

- ``"mastolib:source": true`` -- a string column holding one or more ``source_id`` values of the
  ``sources`` resource, separated by ``;`` (a foreign key the standard cannot express, since a
  cell may cite several ids). Its kind is ``"source"``; the loader checks every id.
- ``"mastolib:findings": true`` -- a findings column of ``cases.csv`` / ``cohort.csv``. Its type
  must agree with the field table (:data:`mastolib.tables._fields.FIELDS`), and its range or
  choices are taken from there (upper bounds from ``field_limits.csv``), so those numbers are
  written once; the descriptor may only mark such a column ``required``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from ._fields import FIELDS
from ._paths import data_path

DESCRIPTOR = "datapackage.json"
SOURCE_PROPERTY = "mastolib:source"
FINDINGS_PROPERTY = "mastolib:findings"

# Table Schema field type -> column kind; FieldSpec kind -> column kind.
TYPE_TO_KIND = {"string": "str", "number": "float", "integer": "int", "boolean": "bool"}
_SPEC_TO_KIND = {"float": "float", "int": "int", "bool": "bool", "choice": "str", "text": "str"}
_SPECS = {spec.name: spec for spec in FIELDS}


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


def _findings_column(name: str, kind: str, constraints: dict, where: str):
    """(range or None, choices or None) of a findings column, from the field table."""
    spec = _SPECS.get(name)
    if spec is None:
        raise ValueError(f"{where}: {FINDINGS_PROPERTY} is set but {name!r} is not a findings "
                         "field (mastolib.tables._fields.FIELDS)")
    if kind != _SPEC_TO_KIND[spec.kind]:
        raise ValueError(f"{where}: kind {kind!r} disagrees with the field table "
                         f"({spec.kind!r})")
    if set(constraints) - {"required"}:
        raise ValueError(f"{where}: a findings column takes its range and choices from the "
                         f"field table; remove {sorted(set(constraints) - {'required'})}")
    bounded = spec.kind in ("float", "int") and (spec.low, spec.high) != (None, None)
    span = (spec.low if spec.low is not None else -math.inf,
            spec.high if spec.high is not None else math.inf) if bounded else None
    return span, (tuple(spec.choices) if spec.kind == "choice" else None)


def schema_from_resource(resource: dict) -> TableSchema:
    """Build the :class:`TableSchema` of one tabular data resource (see module docstring).

    Raises
    ------
    ValueError
        naming the resource and field when the descriptor uses something this loader does not
        understand (a type other than string/number/integer/boolean, a composite key, ...).
    """
    name = resource["name"]
    columns, required, ranges, choices = {}, [], {}, {}
    for spec in resource["schema"]["fields"]:
        column = spec["name"]
        where = f"{DESCRIPTOR} {name}.{column}"
        kind = TYPE_TO_KIND.get(spec.get("type", "string"))
        if kind is None:
            raise ValueError(f"{where}: type {spec.get('type')!r} not in {list(TYPE_TO_KIND)}")
        if spec.get(SOURCE_PROPERTY):
            if kind != "str":
                raise ValueError(f"{where}: {SOURCE_PROPERTY} needs type 'string'")
            kind = "source"
        constraints = spec.get("constraints", {})
        if spec.get(FINDINGS_PROPERTY):
            span, allowed = _findings_column(column, kind, constraints, where)
        else:
            span = None
            if "minimum" in constraints or "maximum" in constraints:
                span = (constraints.get("minimum", -math.inf), constraints.get("maximum", math.inf))
            allowed = tuple(constraints["enum"]) if "enum" in constraints else None
        columns[column] = kind
        if constraints.get("required"):
            required.append(column)
        if span is not None:
            ranges[column] = span
        if allowed is not None:
            choices[column] = allowed
    key = resource["schema"].get("primaryKey")
    if key is not None and not isinstance(key, str):
        raise ValueError(f"{DESCRIPTOR} {name}: primaryKey must be one column, got {key!r}")
    return TableSchema(name=name, filename=resource["path"], columns=columns,
                       required=tuple(required), key=key, ranges=ranges, choices=choices,
                       description=resource.get("description", ""))


def load_schemas(path) -> dict[str, TableSchema]:
    """Read a data package descriptor into ``{table id: TableSchema}`` (file order kept)."""
    with open(path, encoding="utf-8") as handle:
        package = json.load(handle)
    schemas: dict[str, TableSchema] = {}
    for resource in package["resources"]:
        schema = schema_from_resource(resource)
        if schema.name in schemas:
            raise ValueError(f"{path}: table {schema.name!r} is described twice")
        schemas[schema.name] = schema
    return schemas


def descriptor_path():
    """Where the descriptor is read from (``data/datapackage.json``)."""
    return data_path() / DESCRIPTOR


# Read once at import. A missing descriptor leaves the registry empty; the loader then says
# which file is missing (mastolib.tables._data), as it does for a missing table.
SCHEMAS: dict[str, TableSchema] = (
    load_schemas(descriptor_path()) if descriptor_path().is_file() else {}
)
