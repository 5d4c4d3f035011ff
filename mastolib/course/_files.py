"""Writing the learner's small JSON files (quiz progress, symptom diary) so nothing is lost.

:func:`write_json_atomic` writes to a temporary file in the same folder, flushes it to disk and
renames it over the old file: a crash or a full disk leaves either the old file or the new
one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def write_json_atomic(path: Path, data, prefix: str) -> None:
    """Write ``data`` as JSON to ``path`` atomically (temporary file ``prefix*.tmp`` + rename).

    Raises ``OSError`` when the folder cannot be written; the temporary file is removed.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
