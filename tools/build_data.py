"""Build step: ship the course tables inside the wheel as package data (``mastolib/data``).

The tables stay in the repository's top-level ``data/`` folder (the course's layout: learners
and contributors find them there). setuptools' ``build_py`` copies them into the built package
next to the code, so a plain ``pip install mastolib-*.whl`` can load them with
:mod:`importlib.resources` (see ``mastolib.tables._data.data_dir``). Editable installs and
``PYTHONPATH=<repo>`` read the top-level folder directly. Wired in ``pyproject.toml``
(``[tool.setuptools.cmdclass]``); the source distribution carries ``data/`` through MANIFEST.in.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools.command.build_py import build_py

SOURCE = Path("data")
PATTERNS = ("*.csv", "*.json", "*.md")


class BuildPyWithData(build_py):
    """``build_py`` that also copies ``data/`` to ``<build>/mastolib/data``."""

    def run(self):
        super().run()
        if getattr(self, "editable_mode", False):
            return  # the editable package reads the repository's data/ in place
        target = Path(self.build_lib) / "mastolib" / "data"
        shutil.rmtree(target, ignore_errors=True)  # no stale table from an earlier build
        copied = 0
        for pattern in PATTERNS:
            for path in SOURCE.rglob(pattern):
                destination = target / path.relative_to(SOURCE)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, destination)
                copied += 1
        if not copied:
            raise RuntimeError(f"no course tables found in {SOURCE.resolve()}")
