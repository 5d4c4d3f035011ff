"""Data loading: every table validates, and every broken file fails with one clear message."""

import shutil

import pytest

import mastolib as ml
from mastolib.tables._data import DataError, data_dir
from mastolib.tables._fields import number_from_text
from mastolib.tables._schemas import SCHEMAS


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that a test may corrupt; MASTOLIB_DATA points at it."""
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    monkeypatch.setenv("MASTOLIB_DATA", str(target))
    return target


@pytest.mark.parametrize("name", ml.table_names())
def test_every_registered_table_loads_and_validates(name):
    frame = ml.load_table(name)
    assert len(frame) > 0
    assert list(frame.columns) == list(SCHEMAS[name].columns)


def test_load_table_returns_a_copy():
    first = ml.load_table("glossary")
    first.loc[0, "term"] = "changed"
    assert ml.load_table("glossary").loc[0, "term"] != "changed"


def test_unknown_table_lists_known_ones():
    with pytest.raises(DataError, match=r"unknown table 'nope'.*glossary"):
        ml.load_table("nope")


def test_missing_file_names_the_file(data_copy):
    (data_copy / "glossary.csv").unlink()
    with pytest.raises(DataError, match=r"data file missing: .*glossary\.csv"):
        ml.load_table("glossary")


def test_wrong_header_names_missing_and_extra_columns(data_copy):
    path = data_copy / "glossary.csv"
    text = path.read_text().replace("why_it_matters", "why", 1)
    path.write_text(text)
    with pytest.raises(DataError, match=r"missing columns \['why_it_matters'\], unexpected columns \['why'\]"):
        ml.load_table("glossary")


@pytest.mark.parametrize("cell, expected", [
    ("fifteen", r"course_map\.csv line 2: column 'minutes' holds 'fifteen'"),
    ("inf", r"column 'minutes' holds 'inf', not a finite number")])
def test_bad_number_names_line_column_value_and_reason(data_copy, cell, expected):
    path = data_copy / "course_map.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",15,", f",{cell},")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=expected):
        ml.load_table("course_map")


def test_out_of_range_value_is_reported(data_copy):
    path = data_copy / "course_map.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace(",15,", ",999,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"'minutes' = 999 is outside the allowed range 5 to 240"):
        ml.load_table("course_map")


def test_unknown_category_is_reported(data_copy):
    path = data_copy / "glossary.csv"
    path.write_text(path.read_text().replace(",cell biology,", ",astrology,", 1))
    with pytest.raises(DataError, match=r"'category' = 'astrology' is not one of"):
        ml.load_table("glossary")


def test_unresolvable_source_id_is_reported(data_copy):
    path = data_copy / "glossary.csv"
    path.write_text(path.read_text().replace(",kit_structure\n", ",kit_structur\n", 1))
    with pytest.raises(DataError, match=r"source_id 'kit_structur' is not in sources.csv"):
        ml.load_table("glossary")


def test_duplicate_key_is_reported(data_copy):
    path = data_copy / "sources.csv"
    lines = path.read_text().splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n")
    with pytest.raises(DataError, match=r"duplicate source_id 'khoury2022'"):
        ml.load_table("sources")


def test_binary_garbage_is_a_clear_error(data_copy):
    (data_copy / "glossary.csv").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(DataError, match=r"glossary\.csv"):
        ml.load_table("glossary")


def test_missing_data_folder_explains_how_to_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("MASTOLIB_DATA", str(tmp_path / "nowhere"))
    with pytest.raises(DataError, match=r"data folder not found.*MASTOLIB_DATA"):
        data_dir()


def test_cite_renders_the_citation_and_identifier():
    assert ml.cite("khoury2022").startswith("Khoury JD, Solary E")
    assert "doi:10.5045/br.2023.2023024" in ml.cite("bloodres2023")
    assert "secondary" in ml.cite("bloodres2023")


def test_cite_unknown_id_suggests_close_matches():
    with pytest.raises(ValueError, match=r"'khoury2021' is not in data/sources.csv; did you mean \['khoury2022'\]"):
        ml.cite("khoury2021")


def test_references_are_numbered_and_deduplicated():
    text = ml.references(["arber2022", "khoury2022;arber2022"])
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1. Arber DA") and lines[1].startswith("2. Khoury JD")


def test_every_source_id_in_the_repository_resolves():
    """Every source id cited by a data table, quiz or notebook exists in sources.csv."""
    import json
    import re
    from pathlib import Path

    known = ml.source_ids()
    cited = set()
    for path in sorted((data_dir() / "quiz").glob("*.json")):
        for q in json.loads(path.read_text())["questions"]:
            cited.update(s.strip() for s in q["source_id"].split(";"))
    notebooks = Path(data_dir()).parent / "notebooks"
    for path in sorted(notebooks.glob("*.ipynb")):
        for match in re.finditer(r"ml\.(?:cite|show_references)\(([^)]*)\)", path.read_text()):
            cited.update(re.findall(r"\\?\"([a-z0-9_]+)\\?\"", match.group(1)))
    unknown = sorted(cited - known)
    assert not unknown, f"cited but not in data/sources.csv: {unknown}"
    assert cited, "the scan found no citations at all - the regexes are broken"


def test_every_source_is_cited_somewhere():
    """The bibliography holds no dead entries: each source_id is used by a data table, a quiz,
    a notebook or the package (sources live once, in data/sources.csv)."""
    import re
    from pathlib import Path

    root = Path(data_dir()).parent
    corpus = ""
    for pattern in ("data/**/*.csv", "data/**/*.json", "notebooks/*.ipynb", "mastolib/*.py"):
        for path in root.glob(pattern):
            if path.name != "sources.csv":
                corpus += path.read_text(encoding="utf-8")
    unused = [sid for sid in sorted(ml.source_ids())
              if not re.search(rf"\b{re.escape(sid)}\b", corpus)]
    assert not unused, f"sources never cited (remove or cite them): {unused}"


@pytest.mark.parametrize("text, expected", [("12.5", 12.5), (" 3 ", 3.0), ("-0", 0.0),
                                            ("1e3", 1000.0)])
def test_number_from_text_reads_finite_numbers(text, expected):
    assert number_from_text(text) == expected


@pytest.mark.parametrize("text, reason", [("twelve", "not a number"), ("", "not a number"),
                                          ("12,5", "not a number"), ("nan", "not a finite number"),
                                          ("-inf", "not a finite number")])
def test_number_from_text_gives_the_reason_only(text, reason):
    with pytest.raises(ValueError, match=f"^{reason}$"):
        number_from_text(text)
