"""Where the course's data tables live (one function, used by every loader), and whether the
course runs in static mode (the book build).

Kept apart from :mod:`mastolib.tables._data` because the field table (``_fields``) reads its
plausibility limits at import time, before the schemas that ``_data`` imports exist.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def data_path() -> Path:
    """The folder of the course's tables (not checked; :func:`mastolib.tables._data.data_dir`
    checks it and explains what to do when it is missing).

    ``MASTOLIB_DATA`` overrides the default. A source checkout (editable install, as ``make``
    and Binder do, or ``PYTHONPATH=<repo>``) reads the repository's top-level ``data/``; an
    installed wheel reads the copy shipped inside the package (``mastolib/data``, found with
    :mod:`importlib.resources`).
    """
    override = os.environ.get("MASTOLIB_DATA")
    if override:
        return Path(override)
    packaged = resources.files("mastolib") / "data"
    if isinstance(packaged, Path) and (packaged / "sources.csv").is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def is_static() -> bool:
    """True when ``MASTOLIB_STATIC`` asks for static output (the book build: no live widgets)."""
    return os.environ.get("MASTOLIB_STATIC", "") not in ("", "0", "false")
