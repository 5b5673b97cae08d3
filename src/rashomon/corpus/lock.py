"""One writer per corpus: an OS lock on ``<corpus>.lock``, held for a whole ingest.

SQLite serialises single transactions, but two ingests interleaving their articles each build
their dedupe and story indexes from what they saw at the start, so they miss each other's wire
copies and split stories. The lock is the operating system's (``flock`` on POSIX, ``msvcrt``
on Windows): it is released when the process ends, however it ends, so a killed ingest never
leaves a stale lock behind. The lock file stays beside the corpus; it holds the pid of the
ingest that has it, for the message another one gets.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from rashomon.errors import InputError

LOCK_SUFFIX = ".lock"


def lock_path(db_path: str | Path) -> Path | None:
    """The lock file of a corpus file; None for an in-memory database (nothing to share)."""
    text = str(db_path)
    if text in ("", ":memory:") or text.startswith("file:"):
        return None
    return Path(text + LOCK_SUFFIX)


@contextlib.contextmanager
def writer_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the corpus's writer lock for the block.

    Raises:
        InputError: another process (or another ingest in this one) holds it.
    """
    path = lock_path(db_path)
    if path is None:
        yield
        return
    try:
        handle = path.open("a+", encoding="utf-8")
    except OSError as err:
        raise InputError(
            str(path), f"cannot create the corpus lock file ({err.strerror or err})"
        ) from err
    with handle:
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip()
            raise InputError(
                str(db_path),
                "another ingest is writing to this corpus" + (f" ({holder})" if holder else ""),
                "Wait for it to finish, or ingest into another --db",
            )
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"pid {os.getpid()}\n")
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)


def _try_lock(handle: IO[str]) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        with contextlib.suppress(OSError):
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
