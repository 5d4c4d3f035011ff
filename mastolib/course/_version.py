"""The package version, read once from the installed distribution's metadata.

The version is written in one place, ``pyproject.toml``; ``mastolib.__version__`` comes from
:mod:`importlib.metadata`. Run from a source tree that was never installed (``PYTHONPATH=<repo>``),
the version is read from that tree's ``pyproject.toml`` instead.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def _version() -> str:
    try:
        return version("mastolib")
    except PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        if pyproject.is_file():
            return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]
        return "0+unknown"


__version__ = _version()
