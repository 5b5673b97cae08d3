"""The model worker of ``serve``: a real child process over a real corpus file.

Only the models are left out (these tasks stop before a model is loaded, or are plain
functions): the process, its pipe, its errors, its death and its restart are the real ones.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from factories import make_article
from rashomon.corpus.store import Store, open_store
from rashomon.errors import InputError, ModelWorkerError, NotEnoughArticlesError
from rashomon.settings import Settings
from rashomon.web.worker import ModelWorker

NOW = "2025-06-01T00:00:00Z"
RASHOMON = str(Path(sys.executable).parent / "rashomon")


def _fill(path: Path) -> None:
    """A story of two articles (s-fire) and one of a single article (s-vote)."""
    with open_store(path) as store:
        for story_id, members in (
            ("s-fire", [("a1", "Harbor Times"), ("a2", "Evening Ledger")]),
            ("s-vote", [("b1", "Coast Radio")]),
        ):
            for aid, outlet in members:
                article = make_article(aid, outlet, [f"Text of {aid}."], date="2025-03-15")
                store.add_article(article, ingested_at=NOW)
            store.upsert_story(
                story_id, title=story_id, first_date="2025-03-15", last_date="2025-03-15"
            )
            store.set_story_members(story_id, [aid for aid, _ in members])


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[ModelWorker]:
    path = tmp_path / "corpus.db"
    _fill(path)
    models = ModelWorker(path, Settings())
    yield models
    models.close()


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left


def test_the_worker_is_another_process_and_its_errors_come_back_as_raised(
    worker: ModelWorker,
) -> None:
    assert worker.pid is None  # started by the first task, not before
    child = worker.call(os.getpid)
    assert child != os.getpid()
    assert worker.pid == child
    with pytest.raises(InputError, match="no story with this id"):
        worker.compare_story("s-missing")
    with pytest.raises(NotEnoughArticlesError) as one:
        worker.compare_story("s-vote")
    assert one.value.got == 1
    assert "s-vote" in str(one.value)
    assert worker.call(os.getpid) == child  # one child for every task
    worker.close()
    assert not _alive(child)
    with pytest.raises(ModelWorkerError, match="stopping"):
        worker.call(os.getpid)


def test_a_worker_that_dies_in_a_task_fails_that_task_and_the_next_task_starts_another(
    worker: ModelWorker,
) -> None:
    first = worker.call(os.getpid)
    with pytest.raises(ModelWorkerError, match=r"stopped \(exit code 3\)"):
        worker.call(os._exit, 3)
    assert not _alive(first)
    second = worker.call(os.getpid)
    assert second not in (first, os.getpid())
    os.kill(second, signal.SIGKILL)  # killed between two tasks
    deadline = time.monotonic() + 10
    while worker.pid is not None:  # until it has ended (every thread of it, not just one)
        assert time.monotonic() < deadline
        time.sleep(0.05)
    assert worker.call(os.getpid) not in (first, second)


def test_a_worker_crash_is_the_story_failure_and_the_server_goes_on(tmp_path: Path) -> None:
    from rashomon.web.app import create_app

    path = tmp_path / "corpus.db"
    _fill(path)
    app = create_app(path, settings=Settings())
    state = app.state.rashomon
    assert state.comparer is not None

    def crash(store: Store, story_id: str) -> None:
        state.models.call(os._exit, 9)  # the child dies while it compares the story

    state.comparer.compute = crash
    state.comparer.interval_s = 0.1
    with TestClient(app) as client:
        deadline = time.monotonic() + 60
        while (api := client.get("/api/stories/s-fire/comparison")).status_code == 202:
            assert time.monotonic() < deadline, "the failure was never recorded"
            time.sleep(0.05)
        assert api.status_code == 500
        assert "could not be compared" in api.json()["detail"]
        assert "exit code 9" in api.json()["detail"]
        assert client.get("/stories").status_code == 200
        assert state.models.call(os.getpid) != os.getpid()  # a new child answers


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found |= {int(c) for c in (task / "children").read_text().split()}
    return found


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_serve_leaves_no_process_behind(tmp_path: Path, stop: signal.Signals) -> None:
    db = tmp_path / "corpus.db"
    _fill(db)  # s-fire needs a comparison: the comparer starts the worker at once
    port = httpx_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RASHOMON_TESTS_NO_MODELS": "1"}
    proc = subprocess.Popen(
        [RASHOMON, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,  # the child fails at once instead of loading the models: its life is tested
    )
    try:
        deadline = time.monotonic() + 90
        while not (children := _children(proc.pid)):
            assert proc.poll() is None, "rashomon serve exited"
            assert time.monotonic() < deadline, "the model worker never started"
            time.sleep(0.2)
        assert httpx.get(f"http://127.0.0.1:{port}/api/stories", timeout=10).status_code == 200
        children = _children(proc.pid)
        proc.send_signal(stop)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    deadline = time.monotonic() + 15
    while left := {pid for pid in children if _alive(pid)}:
        assert time.monotonic() < deadline, f"left running after {stop.name}: {left}"
        time.sleep(0.1)


def httpx_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
