"""The table descriptor ``data/datapackage.json``: a valid Frictionless Tabular Data Package,
one resource for every CSV in ``data/``, and read into the ``TableSchema`` objects the loader
uses (mapping and its errors)."""

import csv
import json
import math
import shutil
from pathlib import Path

import jsonschema
import pytest

import mastolib as ml
from mastolib.tables._data import DataError, data_dir
from mastolib.tables._fields import FIELDS
from mastolib.tables._schemas import (
    DESCRIPTOR,
    FINDINGS_PROPERTY,
    SCHEMAS,
    SOURCE_PROPERTY,
    TableSchema,
    load_schemas,
    schema_from_resource,
)

ROOT = Path(__file__).resolve().parent.parent
# Official JSON Schema of the Tabular Data Package profile (Data Package spec v1), shipped in
# the repository (see tests/schemas/README.md); no network.
PROFILE = json.loads((ROOT / "tests" / "schemas" / "tabular-data-package-1.0.json").read_text())
PACKAGE = json.loads((ROOT / "data" / DESCRIPTOR).read_text(encoding="utf-8"))
RESOURCES = PACKAGE["resources"]


def _errors(descriptor):
    validator = jsonschema.validators.validator_for(PROFILE)(PROFILE)
    return [f"{list(e.absolute_path)}: {e.message[:160]}" for e in validator.iter_errors(descriptor)]


def test_the_profile_is_a_valid_json_schema():
    jsonschema.validators.validator_for(PROFILE).check_schema(PROFILE)


def test_the_descriptor_is_a_valid_tabular_data_package():
    assert PACKAGE["profile"] == "tabular-data-package"
    assert _errors(PACKAGE) == []


@pytest.mark.parametrize("change", [
    lambda d: d["resources"][0]["schema"]["fields"][0].update(type="text"),
    lambda d: d["resources"][0]["schema"].pop("fields"),
    lambda d: d["resources"][0].update(profile="data-resource"),
    lambda d: d["resources"][1]["schema"]["fields"][0].update(constraints={"required": "yes"}),
], ids=["unknown-type", "no-fields", "not-tabular", "required-not-boolean"])
def test_the_profile_rejects_a_broken_descriptor(change):
    broken = json.loads(json.dumps(PACKAGE))
    change(broken)
    assert _errors(broken)


def test_every_csv_in_data_has_exactly_one_descriptor():
    paths = [r["path"] for r in RESOURCES]
    csvs = sorted(p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*.csv"))
    assert sorted(paths) == csvs
    assert len(set(paths)) == len(paths)
    names = [r["name"] for r in RESOURCES]
    assert len(set(names)) == len(names)
    assert sorted(names) == ml.table_names()


@pytest.mark.parametrize("resource", RESOURCES, ids=lambda r: r["name"])
def test_each_descriptor_matches_its_csv_header_and_our_rules(resource):
    """The Table Schema rules the loader relies on, beyond the JSON Schema: the header is the
    field list in order, the key is one required column, enum/min/max sit on fields of the
    right type, and the custom properties are used as documented."""
    with (ROOT / "data" / resource["path"]).open(newline="", encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    fields = resource["schema"]["fields"]
    assert [f["name"] for f in fields] == header
    for f in fields:
        constraints = f.get("constraints", {})
        assert set(constraints) <= {"required", "minimum", "maximum", "enum"}, f
        if "minimum" in constraints or "maximum" in constraints:
            assert f["type"] in ("number", "integer"), f
            assert constraints.get("minimum", -math.inf) <= constraints.get("maximum", math.inf)
        if "enum" in constraints:
            assert f["type"] == "string" and len(set(constraints["enum"])) == len(constraints["enum"])
        if f.get(SOURCE_PROPERTY):
            assert f["type"] == "string" and f[SOURCE_PROPERTY] is True
        if f.get(FINDINGS_PROPERTY):
            assert resource["name"] in ("cases", "cohort")
    key = resource["schema"].get("primaryKey")
    if key is not None:
        (field,) = [f for f in fields if f["name"] == key]
        assert field.get("constraints", {}).get("required") is True


@pytest.mark.parametrize("table", ["cases", "cohort"])
def test_findings_columns_are_the_field_table(table):
    """The findings columns are exactly ml.Findings' fields, and their ranges and choices are
    the field table's (written once, not copied into the descriptor)."""
    (resource,) = [r for r in RESOURCES if r["name"] == table]
    marked = [f["name"] for f in resource["schema"]["fields"] if f.get(FINDINGS_PROPERTY)]
    assert sorted(marked) == sorted(spec.name for spec in FIELDS)  # in the file's order
    schema = SCHEMAS[table]
    for spec in FIELDS:
        if spec.kind == "choice":
            assert schema.choices[spec.name] == tuple(spec.choices)
        if spec.high is not None:
            assert schema.ranges[spec.name][1] == spec.high


def test_the_loaded_schemas_are_the_descriptor():
    assert load_schemas(ROOT / "data" / DESCRIPTOR) == SCHEMAS
    assert SCHEMAS["course_map"].ranges["minutes"] == (5, 240)
    assert SCHEMAS["glossary"].columns["source_id"] == "source"
    assert SCHEMAS["sources"].key == "source_id"


def _resource(*fields, key=None):
    schema = {"fields": list(fields)}
    if key is not None:
        schema["primaryKey"] = key
    return {"name": "demo", "path": "demo.csv", "description": "A demo.", "schema": schema}


def test_a_resource_maps_onto_a_table_schema():
    resource = _resource(
        {"name": "demo_id", "type": "string", "constraints": {"required": True}},
        {"name": "n", "type": "integer", "constraints": {"minimum": 1}},
        {"name": "x", "type": "number", "constraints": {"minimum": 0, "maximum": 2.5}},
        {"name": "flag", "type": "boolean"},
        {"name": "level", "type": "string", "constraints": {"enum": ["low", "high"]}},
        {"name": "note"},
        {"name": "source_id", "type": "string", SOURCE_PROPERTY: True,
         "constraints": {"required": True}},
        key="demo_id",
    )
    assert schema_from_resource(resource) == TableSchema(
        name="demo", filename="demo.csv",
        columns={"demo_id": "str", "n": "int", "x": "float", "flag": "bool", "level": "str",
                 "note": "str", "source_id": "source"},
        required=("demo_id", "source_id"), key="demo_id",
        ranges={"n": (1, math.inf), "x": (0, 2.5)}, choices={"level": ("low", "high")},
        description="A demo.",
    )


def test_a_findings_column_takes_range_and_choices_from_the_field_table():
    specs = {spec.name: spec for spec in FIELDS}
    resource = _resource({"name": "bst_ng_ml", "type": "number", FINDINGS_PROPERTY: True,
                          "constraints": {"required": True}},
                         {"name": "sex", "type": "string", FINDINGS_PROPERTY: True})
    schema = schema_from_resource(resource)
    assert schema.ranges["bst_ng_ml"] == (specs["bst_ng_ml"].low, specs["bst_ng_ml"].high)
    assert schema.choices["sex"] == tuple(specs["sex"].choices)
    assert schema.required == ("bst_ng_ml",)


@pytest.mark.parametrize("fields, key, message", [
    ([{"name": "when", "type": "date"}], None, r"demo\.when: type 'date' not in"),
    ([{"name": "a", "type": "string"}, {"name": "b", "type": "string"}], ["a", "b"],
     r"primaryKey must be one column"),
    ([{"name": "n", "type": "integer", SOURCE_PROPERTY: True}], None, r"needs type 'string'"),
    ([{"name": "nope", "type": "number", FINDINGS_PROPERTY: True}], None,
     r"'nope' is not a findings field"),
    ([{"name": "bst_ng_ml", "type": "string", FINDINGS_PROPERTY: True}], None,
     r"kind 'str' disagrees with the field table"),
    ([{"name": "bst_ng_ml", "type": "number", FINDINGS_PROPERTY: True,
       "constraints": {"maximum": 5}}], None, r"remove \['maximum'\]"),
])
def test_a_descriptor_the_loader_cannot_honour_is_refused(fields, key, message):
    with pytest.raises(ValueError, match=message):
        schema_from_resource(_resource(*fields, key=key))


def test_a_table_described_twice_is_refused(tmp_path):
    package = {"resources": [_resource({"name": "a"}), _resource({"name": "a"})]}
    path = tmp_path / DESCRIPTOR
    path.write_text(json.dumps(package))
    with pytest.raises(ValueError, match=r"table 'demo' is described twice"):
        load_schemas(path)


def load_schemas_from(package, folder):
    path = folder / DESCRIPTOR
    path.write_text(json.dumps(package), encoding="utf-8")
    return load_schemas(path)


def test_a_changed_descriptor_changes_validation(tmp_path, monkeypatch):
    """The loader really validates with what the descriptor says (not a copy kept in code)."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    package = json.loads((target / DESCRIPTOR).read_text(encoding="utf-8"))
    (course_map,) = [r for r in package["resources"] if r["name"] == "course_map"]
    (minutes,) = [f for f in course_map["schema"]["fields"] if f["name"] == "minutes"]
    minutes["constraints"]["maximum"] = 6
    schemas = load_schemas_from(package, target)
    monkeypatch.setenv("MASTOLIB_DATA", str(target))
    monkeypatch.setattr("mastolib.tables._data.SCHEMAS", schemas)
    with pytest.raises(DataError, match=r"'minutes' = \d+ is outside the allowed range 5 to 6"):
        ml.load_table("course_map")


def test_a_missing_descriptor_is_a_clear_error(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    (target / DESCRIPTOR).unlink()
    monkeypatch.setenv("MASTOLIB_DATA", str(target))
    # The registry is read at import; an import without the file leaves it empty.
    monkeypatch.setattr("mastolib.tables._data.SCHEMAS", {})
    with pytest.raises(DataError, match=r"table descriptor missing: .*datapackage\.json"):
        ml.load_table("glossary")
