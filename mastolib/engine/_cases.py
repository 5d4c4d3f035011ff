"""Virtual patients: the one loader of ``data/cases.csv`` (checker, pathway and practice use it).

Each row becomes a :class:`Case`: its findings (a :class:`mastolib.Findings`, empty cells = not
assessed), its vignette and teaching point, and the hand labels written in the table.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass

from ..tables._data import load_records
from ..tables._registry import check_id
from ._diagnose import compare_schemes
from ._findings import Findings

SCHEMES = {"who2022": "WHO 2022", "icc2022": "ICC 2022"}

META_COLUMNS = (
    "case_id", "title", "difficulty", "topics", "vignette",
    "expected_who_category", "expected_who_subtype", "expected_icc_category",
    "expected_icc_subtype", "expected_qualifiers_who", "expected_qualifiers_icc",
    "teaching_point", "source_id",
)
_EXPECTED_PREFIX = {"who2022": "who", "icc2022": "icc"}


@dataclass(frozen=True)
class Case:
    """One virtual patient from ``data/cases.csv``.

    Attributes
    ----------
    case_id, title, difficulty, vignette, teaching_point, source_id : str
    topics : tuple of str
    findings : mastolib.Findings
        Every findings column of the row (empty cells = not assessed).
    hand_labels : dict
        ``scheme -> (category, subtype or None, sorted qualifiers)`` as written in the table
        (used by the tests and the instructor view; the learner is graded by the engine).
    """

    case_id: str
    title: str
    difficulty: str
    topics: tuple
    vignette: str
    findings: object
    hand_labels: Mapping
    teaching_point: str
    source_id: str

    @property
    def label(self) -> str:
        """Text for the case picker."""
        return f"{self.case_id} · {self.title} ({self.difficulty})"


def _text(value) -> str:
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value).strip()


def _split(value) -> tuple:
    return tuple(part.strip() for part in _text(value).split(";") if part.strip())


@functools.cache
def _cases() -> tuple:

    out = []
    for row in load_records("cases"):
        findings = Findings.from_mapping(row, ignore=META_COLUMNS)
        hand = {}
        for scheme, prefix in _EXPECTED_PREFIX.items():
            hand[scheme] = (row[f"expected_{prefix}_category"],
                            _text(row[f"expected_{prefix}_subtype"]) or None,
                            tuple(sorted(_split(row[f"expected_qualifiers_{prefix}"]))))
        out.append(Case(row["case_id"], row["title"], row["difficulty"], _split(row["topics"]),
                        row["vignette"], findings, hand, row["teaching_point"],
                        row["source_id"]))
    return tuple(out)


def load_cases() -> tuple:
    """All virtual patients of ``data/cases.csv`` as :class:`Case` objects (cached).

    Examples
    --------
    >>> from mastolib.engine._cases import load_cases
    >>> load_cases()[0].case_id
    'c01'
    """
    return _cases()


def virtual_patient(case_id: str) -> Case:
    """One virtual patient of ``data/cases.csv`` by id (``.findings``, ``.vignette``, ...).

    Examples
    --------
    >>> import mastolib as ml
    >>> ml.virtual_patient("c09").findings.skin_lesion_type
    'none'
    """
    return get_case(case_id)


def get_case(case_id: str) -> Case:
    """One case by id; an unknown id raises ``UnknownIdError`` listing the valid ids."""
    cases = {c.case_id: c for c in _cases()}
    return cases[check_id("case", case_id, list(cases))]


def case_ids() -> list[str]:
    """Ids of the virtual patients in ``data/cases.csv`` (``c01`` ...)."""
    return [c.case_id for c in _cases()]


@functools.cache
def case_diagnoses(case_id: str) -> tuple:
    """The engine's WHO and ICC diagnoses and their comparison for one case (cached)."""
    comparison = compare_schemes(get_case(case_id).findings)
    return comparison.who, comparison.icc, comparison


def engine_answer(case_id: str, scheme: str) -> tuple:
    """``(category, subtype, sorted qualifiers)`` the engine gives for a case."""
    who, icc, _ = case_diagnoses(case_id)
    dx = who if scheme == "who2022" else icc
    return dx.category, dx.subtype, tuple(sorted(dx.qualifiers))
