"""A learner's quiz progress, kept in a small JSON file in their home folder.

Several writers share one file: two notebooks open at once, Lab and Voilà together, a quiz and
the case-practice app in one kernel. Every save therefore holds an OS file lock
(``progress.json.lock``, via :mod:`filelock`) around read - merge - write, and the write itself
is atomic (temporary file, then ``os.replace``), so neither a concurrent writer nor a crash
mid-write loses an answer.

A file that cannot be parsed (not UTF-8, not JSON, wrong shape) is moved aside, never deleted,
and the learner is told where it went. Entries with the wrong inner types are left out of the
live data, and the original file is kept as a copy beside it. A file that exists but cannot be
*read* (permissions) is never written over: answers are then kept in the kernel only, and
:attr:`ProgressStore.message` says so, for the widget to show. A read-only home is handled the
same way.

The file format (read by teachers' results views)::

    {"version": 1, "quizzes": {quiz_id: {question_id:
        {"correct": bool, "response": <JSON value>, "time": <epoch seconds>}}}}
"""

from __future__ import annotations

import json
import math
import os
import shutil
import time
from pathlib import Path

from filelock import FileLock, Timeout

from ._files import write_json_atomic

SCHEMA_VERSION = 1
# Long enough for a slow network home under a class's load, short enough that a stuck lock
# turns into a message rather than a frozen widget.
LOCK_TIMEOUT_S = 10.0


def default_progress_path() -> Path:
    """``$MASTOLIB_PROGRESS`` if set, else ``~/.mastolib/progress.json``."""
    override = os.environ.get("MASTOLIB_PROGRESS")
    if override:
        return Path(override)
    return Path.home() / ".mastolib" / "progress.json"


def _empty() -> dict:
    return {"version": SCHEMA_VERSION, "quizzes": {}}


def _valid_entry(entry) -> bool:
    if not isinstance(entry, dict) or not isinstance(entry.get("correct"), bool):
        return False
    stamp = entry.get("time", 0.0)
    return (isinstance(stamp, int | float) and not isinstance(stamp, bool)
            and math.isfinite(stamp))


def _validated(data) -> tuple[dict, int]:
    """``(clean data, number of entries dropped)``; raises ValueError if the shape is unusable."""
    if not isinstance(data, dict) or not isinstance(data.get("quizzes"), dict):
        raise ValueError("the file holds no 'quizzes' table")
    dropped = 0
    quizzes = {}
    for quiz_id, answers in data["quizzes"].items():
        if not isinstance(answers, dict):
            dropped += 1
            continue
        kept = {q: e for q, e in answers.items() if _valid_entry(e)}
        dropped += len(answers) - len(kept)
        quizzes[quiz_id] = kept
    clean = dict(data)
    clean["quizzes"] = quizzes
    clean.setdefault("version", SCHEMA_VERSION)
    return clean, dropped


class _Unreadable(Exception):
    """The file exists but the OS refuses to read it: it must not be written over."""


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
        home, a corrupt file moved aside, a busy lock).
    """

    def __init__(self, path=None):
        self.path = Path(path) if path is not None else default_progress_path()
        self.message = ""
        # Answers recorded through this store: merged into whatever is on disk at each save, so
        # several stores (one per quiz widget, the case-practice app, another kernel) never
        # overwrite each other's answers with a stale copy.
        self._pending: dict = {}
        try:
            self._data = self._load()
        except _Unreadable as exc:
            self.message = (f"Could not read your progress file {self.path} ({exc}); it is left "
                            "untouched and your answers are kept for this session only.")
            self._data = _empty()

    @property
    def _lock(self) -> FileLock:
        return FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT_S)

    def _aside(self, suffix: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return self.path.with_name(f"{self.path.name}.{suffix}-{stamp}-{os.getpid()}")

    def _load(self) -> dict:
        """The file's valid content; a broken file is moved (or copied) aside with a message."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _empty()
        except OSError as exc:
            raise _Unreadable(exc.strerror or str(exc)) from exc
        try:
            data, dropped = _validated(json.loads(raw.decode("utf-8")))
        except (ValueError, UnicodeDecodeError):
            aside = self._aside("corrupt")
            try:
                os.replace(self.path, aside)
            except OSError:
                raise _Unreadable("it is damaged and could not be moved aside") from None
            self.message = (f"Your progress file could not be read; it was moved to {aside} "
                            "and a fresh one was started.")
            return _empty()
        if dropped:
            aside = self._aside("original")
            try:
                shutil.copyfile(self.path, aside)
            except OSError:
                raise _Unreadable("some entries are damaged and no copy could be kept") from None
            self.message = (f"{dropped} saved answer(s) in your progress file could not be read "
                            f"and were left out; the original file is kept at {aside}.")
        return data

    def results(self, quiz_id: str) -> dict:
        """Saved results of one quiz (a copy)."""
        return json.loads(json.dumps(self._data["quizzes"].get(quiz_id, {})))

    def record(self, quiz_id: str, question_id: str, correct: bool, response, *,
               save: bool = True) -> bool:
        """Record one answer and save.

        Parameters
        ----------
        save : bool, default True
            False only queues the answer (for writing many answers at once: one
            :meth:`save` afterwards takes the lock and writes the file once).

        Returns
        -------
        bool
            True only when the file on disk now holds this answer; otherwise the answer is kept
            in this session (and written at the next successful save) and :attr:`message` says
            why. With ``save=False``: False (not written yet).
        """
        entry = {"correct": bool(correct), "response": response, "time": time.time()}
        self._data["quizzes"].setdefault(quiz_id, {})[question_id] = entry
        self._pending.setdefault(quiz_id, {})[question_id] = entry
        return self.save() if save else False

    def save(self) -> bool:
        """Merge this store's answers into the file under the lock and write it atomically.

        On failure set :attr:`message` and return False; the answers stay pending.
        """
        keep = ("your answers are kept for this session only and saved at the next "
                "successful check")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock:
                data = self._load()
                for quiz_id, answers in self._pending.items():
                    data["quizzes"].setdefault(quiz_id, {}).update(answers)
                self._write(data)
        except _Unreadable as exc:
            self.message = f"Progress was not saved: {self.path} cannot be read ({exc}); {keep}."
            return False
        except Timeout:
            self.message = (f"Progress was not saved: another program holds {self.path}.lock; "
                            f"{keep}.")
            return False
        except OSError as exc:
            self.message = (f"Progress could not be saved to {self.path} ({exc.strerror or exc}); "
                            f"{keep}.")
            return False
        self._data = data
        self._pending = {}
        if self.message.startswith("Progress"):
            self.message = ""
        return True

    def _write(self, data: dict) -> None:
        write_json_atomic(self.path, data, ".progress-")

    def summary(self) -> dict:
        """``{quiz_id: (n_correct, n_answered)}`` over everything saved."""
        return {
            qid: (sum(1 for e in answers.values() if e.get("correct")), len(answers))
            for qid, answers in self._data["quizzes"].items()
        }
