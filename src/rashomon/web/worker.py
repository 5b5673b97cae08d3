"""The one child process of ``rashomon serve`` that runs the models.

The server's request threads and its background comparer never run a model themselves: they
hand the work to this process and, when they need the answer, wait for it without holding the
GIL that the requests need. The child is started (with ``spawn``: nothing of the server's
threads or connections is copied) when the first task comes, loads the models once, and runs
one task at a time. A story's comparison is written to the corpus by the child itself, through
its own connection to the same SQLite file (WAL), so only small results cross between the
processes; a "compare now" sends its articles and gets its comparison back.

If the child dies in a task (killed, out of memory), that task fails with
``ModelWorkerError`` and the next task starts a new child. The child runs at a lower CPU
priority than the server, ignores Ctrl-C (the server stops it on shutdown) and exits by itself
within a second when the server is gone, even one killed without a shutdown.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeVar

from rashomon.errors import ModelWorkerError, RashomonError
from rashomon.models import Article, Comparison
from rashomon.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
NICE = 10  # the child's CPU priority below the server's: requests come first
PARENT_CHECK_S = 0.5  # how often the child checks that the server still runs


class ModelWorker:
    """One child process that runs tasks (picklable functions of the module level) one at a
    time; started when the first task comes and again after it died."""

    def __init__(self, db_path: Path, settings: Settings) -> None:
        self.db_path = db_path
        self.settings = settings
        self._lock = threading.Lock()  # one task at a time; guards the fields below
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._closed = False

    @property
    def pid(self) -> int | None:
        """The child's process id while it runs (None before the first task)."""
        process = self._process
        return process.pid if process is not None and process.is_alive() else None

    def compare_story(self, story_id: str) -> None:
        """Compare the stored story ``story_id`` and cache its comparison in the corpus.

        Raises:
            RashomonError: as ``pipeline.compare_story`` does (no such story, one article, a
                model missing), or ``ModelWorkerError``.
        """
        self.call(_compare_stored_story, story_id)

    def compare(self, articles: Sequence[Article]) -> Comparison:
        """Compare ``articles`` (nothing is stored), as ``pipeline.run_compare`` does."""
        return self.call(_compare_articles, list(articles))

    def call(self, task: Callable[..., T], *args: Any) -> T:
        """Run ``task(*args)`` in the child and return its result (or raise its
        ``RashomonError``; any other exception comes back as a ``ModelWorkerError``)."""
        with self._lock:
            if self._closed:
                raise ModelWorkerError("the server is stopping: nothing more is compared")
            conn = self._connection()
            try:
                conn.send((task, args))
                ok, value = conn.recv()
            except (EOFError, OSError) as err:
                raise self._died() from err
        if ok:
            return value  # type: ignore[no-any-return]
        raise value

    def close(self, timeout_s: float = 5.0) -> None:
        """Stop the child (a task it runs is abandoned) and start no other."""
        self._closed = True
        process, conn = self._process, self._conn
        if process is not None:
            process.terminate()
            process.join(timeout_s)
            if process.is_alive():
                process.kill()
                process.join(timeout_s)
        if conn is not None:
            conn.close()

    def _connection(self) -> Connection:
        conn = self._conn
        # an idle child never writes: something to read is the end of a child that died
        if self._process is not None and conn is not None and self._process.is_alive():
            try:
                if not conn.poll(0):
                    return conn
            except (EOFError, OSError):
                pass
            self._process.join(5)
        if self._conn is not None:
            self._conn.close()
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(
            target=_child,
            args=(theirs, os.getpid(), str(self.db_path), self.settings),
            name="rashomon-models",
            daemon=True,
        )
        process.start()
        theirs.close()  # ours alone: a child that dies ends our reads with EOFError
        self._process, self._conn = process, ours
        log.info("started the model worker (pid %s)", process.pid)
        return ours

    def _died(self) -> ModelWorkerError:
        process = self._process
        code = None
        if process is not None:
            process.join(5)
            code = process.exitcode
        self._process = None
        if self._closed:
            return ModelWorkerError("the server is stopping: the comparison was abandoned")
        log.warning("the model worker stopped (exit code %s); the next task starts another", code)
        return ModelWorkerError(
            f"the process that runs the models stopped (exit code {code}) before it finished; "
            "it was restarted: the comparison is tried again when the story changes, or "
            "send the request again"
        )


# --- the child ----------------------------------------------------------------------------

_db_path: Path | None = None
_settings: Settings | None = None


def _child(conn: Connection, parent: int, db_path: str, settings: Settings) -> None:
    global _db_path, _settings
    _db_path, _settings = Path(db_path), settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops us
    with contextlib.suppress(OSError):
        os.nice(NICE)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    while True:
        try:
            task, args = conn.recv()
        except (EOFError, OSError):  # the server closed its end
            return
        try:
            reply: tuple[bool, object] = (True, task(*args))
        except RashomonError as err:
            reply = (False, err)
        except Exception as err:  # a bug in one task must not end the worker
            log.exception("a task of the model worker failed")
            reply = (False, ModelWorkerError(f"comparing failed ({type(err).__name__}: {err})"))
        try:
            conn.send(reply)
        except (EOFError, OSError):
            return
        except Exception as err:  # a result or error that cannot be pickled
            conn.send((False, ModelWorkerError(f"the answer could not be sent back ({err})")))


def _exit_with(parent: int) -> None:
    """End this process when ``parent`` is gone (it was killed without stopping us)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(0)


def _compare_stored_story(story_id: str) -> None:
    from rashomon.corpus.store import open_store
    from rashomon.pipeline import compare_story

    assert _db_path is not None
    assert _settings is not None
    with open_store(_db_path, migrate=False) as store:
        compare_story(store, story_id, settings=_settings)


def _compare_articles(articles: list[Article]) -> Comparison:
    from rashomon.pipeline import run_compare

    assert _settings is not None
    comparison, _ = run_compare(articles, settings=_settings)
    return comparison
