"""Every key fact of the five patient-information pages the course grew from is taught.

``data/seed_facts.csv`` lists the facts (in our words) with a regular expression that finds
each one in the markdown of the notebook that teaches it. The pages themselves are not read
at test time. Run with ``-s`` to print the coverage count.
"""

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from mastolib.tables._data import load_records, source_ids

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
FACTS = load_records("seed_facts")
PAGES = ("nhs", "clevelandclinic", "osmosis", "mayoclinic_2025", "mayoclinic_2024")


def _markdown(stem: str) -> str:
    cells = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # link text only
    return text.replace("**", "")  # bold is formatting, not wording


def test_every_page_has_facts_listed():
    counts = Counter(r["page"] for r in FACTS)
    assert all(counts[p] >= 2 for p in PAGES), counts
    assert {r["source_id"] for r in FACTS} <= source_ids()


@pytest.mark.parametrize("row", FACTS, ids=[r["fact_id"] for r in FACTS])
def test_fact_is_taught_where_the_table_says(row):
    path = NOTEBOOKS / f"{row['notebook']}.ipynb"
    assert path.exists(), f"{row['fact_id']}: notebook {row['notebook']} does not exist"
    assert re.search(row["pattern"], _markdown(row["notebook"]), re.I | re.S), (
        f"{row['fact_id']} ({row['page']}): '{row['fact']}' is not found in "
        f"{row['notebook']} (pattern {row['pattern']!r})")


def test_patterns_are_specific():
    """A pattern that matches the unrelated notebook 07 (prognosis scores) is too loose."""
    other = _markdown("07_prognosis")
    loose = [r["fact_id"] for r in FACTS if re.search(r["pattern"], other, re.I | re.S)]
    assert not loose, loose


def test_report_coverage_count():
    taught = sum(1 for r in FACTS if re.search(r["pattern"], _markdown(r["notebook"]),
                                               re.I | re.S))
    by_page = Counter(r["page"] for r in FACTS)
    print(f"\nseed coverage: {taught} of {len(FACTS)} key facts taught; per page: "
          + ", ".join(f"{p} {by_page[p]}" for p in PAGES))
    assert taught == len(FACTS)
