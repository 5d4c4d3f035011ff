"""docs/api.md is generated from the docstrings of the public API and is current."""

import importlib.util
from pathlib import Path

import mastolib as ml

ROOT = Path(__file__).resolve().parents[1]


def _generator():
    spec = importlib.util.spec_from_file_location("make_api_docs", ROOT / "scripts" / "make_api_docs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_is_current():
    assert (ROOT / "docs" / "api.md").read_text(encoding="utf-8") == _generator().render(), (
        "docs/api.md is out of date: run python scripts/make_api_docs.py")


def test_public_api_is_small_documented_and_without_duplicate_apps():
    names = ml.__all__
    assert len(names) == len(set(names)) <= 110
    page = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    assert all(f"### `ml.{name}" in page for name in names)
    # an app is exported once: by its factory, not also as a class
    assert not [n for n in names if n.endswith("App")]
    undocumented = [n for n in names if callable(getattr(ml, n)) and not getattr(ml, n).__doc__]
    assert not undocumented, f"public names without a docstring: {undocumented}"
