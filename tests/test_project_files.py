"""Licences, citation metadata, changelog and version: one version, written in pyproject.toml."""

import glob
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

import mastolib as ml

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]
CFF_SCHEMA = json.loads((ROOT / "tests" / "schemas" / "citation-file-format-1.2.0.json").read_text())


def _cff_errors(data) -> list[str]:
    validator = jsonschema.Draft7Validator(CFF_SCHEMA, format_checker=jsonschema.FormatChecker())
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(data)]


def _citation():
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_citation_cff_is_valid_cff_1_2_0():
    assert _cff_errors(_citation()) == []


@pytest.mark.parametrize("broken", [
    lambda c: c.pop("authors"),
    lambda c: c.update(license="MIT-ish"),
    lambda c: c.update(version=[0, 2]),
])
def test_the_cff_check_rejects_broken_files(broken):
    citation = _citation()
    broken(citation)
    assert _cff_errors(citation)


def test_one_version_everywhere():
    assert _citation()["version"] == VERSION
    assert ml.__version__ == VERSION, "reinstall (make install) after a version bump"
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{VERSION}]" in changelog


def test_licence_files_are_shipped_and_complete():
    patterns = PYPROJECT["project"]["license-files"]
    files = sorted({Path(p) for pat in patterns for p in glob.glob(str(ROOT / pat))})
    names = {f.name for f in files}
    assert {"LICENSE", "CC-BY-4.0.txt"} <= names
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    cc = (ROOT / "LICENSES" / "CC-BY-4.0.txt").read_text(encoding="utf-8")
    assert "Attribution 4.0 International Public License" in cc
    assert "Section 8 – Interpretation." in cc, "the full legal code, not a summary"
    assert set(_citation()["license"]) == {"MIT", "CC-BY-4.0"}


def test_contributor_files_exist():
    conduct = (ROOT / "CODE_OF_CONDUCT.md").read_text(encoding="utf-8")
    assert "Contributor Covenant" in conduct and "INSERT CONTACT METHOD" not in conduct
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for topic in ("notebook", "rule", "quiz", "make test", "pre-commit"):
        assert topic in contributing, topic
