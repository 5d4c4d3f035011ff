"""One registry (mastolib/tables/_registry.py): rows by id, one error for unknown ids."""

import pytest

import mastolib as ml
from mastolib.tables._registry import UnknownIdError, check_id, ids, table_of
from mastolib.tables._schemas import SCHEMAS

KEYED = sorted(name for name, schema in SCHEMAS.items() if schema.key)


@pytest.mark.parametrize("table", KEYED)
def test_every_row_of_every_keyed_table_is_found_by_its_id(table):
    key = SCHEMAS[table].key
    rows = ml.load_records(table)
    assert ids(table) == [r[key] for r in rows]
    first = rows[0]
    assert ml.get(table, first[key]) == first


def test_singular_kinds_and_one_error_listing_the_valid_ids():
    assert table_of("case") == "cases" and table_of("entity") == "entities"
    assert ml.get("case", "c13")["case_id"] == "c13"
    with pytest.raises(UnknownIdError, match=r"unknown case 'c99'; valid ids: \['c01', ") as err:
        ml.get("case", "c99")
    assert err.value.field == "case" and "c36" in err.value.valid
    assert isinstance(err.value, ValueError)
    with pytest.raises(UnknownIdError, match="unknown table 'nope'"):
        ml.get("nope", "x")


def test_check_id_names_the_control():
    assert check_id("scheme", "who2022", ["who2022", "icc2022"]) == "who2022"
    with pytest.raises(UnknownIdError) as err:
        check_id("scheme", "x", ["who2022"], field="scheme_picker")
    assert err.value.field == "scheme_picker" and "valid ids: ['who2022']" in str(err.value)


def test_the_three_case_users_share_one_loader():
    case = ml.virtual_patient("c24")
    assert ml.case_findings("c24") == case.findings
    assert ml.case_path("c24").findings == case.findings
