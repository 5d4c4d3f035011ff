"""A learner's quiz progress, kept in a small JSON file in their home folder.

The file is written atomically (write a temporary file, then ``os.replace``), so a crash
mid-write never leaves half a file. A file that cannot be read is moved aside (never deleted)
and the learner is told where it went. A read-only home is not an error: progress is then kept
in the kernel only, and :attr:`ProgressStore.message` says so, for the widget to show.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

SCHEMA_VERSION = 1


def default_progress_path() -> Path:
    """``$MASTOLIB_PROGRESS`` if set, else ``~/.mastolib/progress.json``."""
    override = os.environ.get("MASTOLIB_PROGRESS")
    if override:
        return Path(override)
    return Path.home() / ".mastolib" / "progress.json"


class ProgressStore:
    """Read and write quiz results: ``{quiz_id: {question_id: {"correct": bool, ...}}}``.

    Parameters
    ----------
    path : path-like, optional
        Where to keep the file (default :func:`default_progress_path`).

    Attributes
    ----------
    message : str
        Empty when all is well; otherwise a plain-language note for the learner (read-only
        home, a corrupt file moved aside).
    """

    def __init__(self, path=None):
        self.path = Path(path) if path is not None else default_progress_path()
        self.message = ""
        self._data = self._read()
        # Answers recorded through this store: merged into whatever is on disk at each save, so
        # several stores (one per quiz widget, the case-practice app) never overwrite each
        # other's answers with a stale copy.
        self._pending: dict = {}

    def _read(self) -> dict:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {"version": SCHEMA_VERSION, "quizzes": {}}
        except OSError as exc:
            self.message = f"Could not read your progress file {self.path} ({exc.strerror})."
            return {"version": SCHEMA_VERSION, "quizzes": {}}
        try:
            data = json.loads(text)
            if not isinstance(data, dict) or not isinstance(data.get("quizzes"), dict):
                raise ValueError("unexpected structure")
            return data
        except (ValueError, UnicodeDecodeError):
            aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
            try:
                os.replace(self.path, aside)
                self.message = (f"Your progress file could not be read; it was moved to {aside} "
                                "and a fresh one was started.")
            except OSError:
                self.message = (f"Your progress file {self.path} could not be read and could not "
                                "be moved aside; progress is kept for this session only.")
            return {"version": SCHEMA_VERSION, "quizzes": {}}

    def results(self, quiz_id: str) -> dict:
        """Saved results of one quiz (a copy)."""
        return json.loads(json.dumps(self._data["quizzes"].get(quiz_id, {})))

    def record(self, quiz_id: str, question_id: str, correct: bool, response) -> bool:
        """Record one answer and save. Returns True if the file was written."""
        entry = {"correct": bool(correct), "response": response, "time": time.time()}
        self._data["quizzes"].setdefault(quiz_id, {})[question_id] = entry
        self._pending.setdefault(quiz_id, {})[question_id] = entry
        return self.save()

    def _merged_with_disk(self) -> dict:
        """The file's current content with this store's own answers laid over it."""
        try:
            on_disk = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(on_disk, dict) or not isinstance(on_disk.get("quizzes"), dict):
                raise ValueError("unexpected structure")
        except (OSError, ValueError, UnicodeDecodeError):
            return self._data
        for quiz_id, answers in self._pending.items():
            on_disk["quizzes"].setdefault(quiz_id, {}).update(answers)
        return on_disk

    def save(self) -> bool:
        """Write the file atomically. On failure set :attr:`message` and return False."""
        try:
            self._data = self._merged_with_disk()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".progress-", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(self._data, handle, indent=1)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            self.message = (f"Progress could not be saved to {self.path} ({exc.strerror or exc}); "
                            "your answers are kept for this session only.")
            return False
        return True

    def summary(self) -> dict:
        """``{quiz_id: (n_correct, n_answered)}`` over everything saved."""
        return {
            qid: (sum(1 for e in answers.values() if e.get("correct")), len(answers))
            for qid, answers in self._data["quizzes"].items()
        }
