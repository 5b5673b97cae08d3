"""A corpus whose disk fills up mid-ingest (SQLite's ``max_page_count`` stands for the disk):
a clear error naming the file, nothing half-written, and a resume once there is room."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXTURES, RASHOMON
from factories import make_article
from rashomon.corpus.store import Store, open_store
from rashomon.errors import CorpusFullError, RashomonError

NOW = "2025-06-01T00:00:00Z"


def _page_count(store: Store) -> int:
    return int(store.conn.execute("PRAGMA page_count").fetchone()[0])


def _add(store: Store, n: int) -> None:
    article = make_article(
        f"a{n}", "Harbor Times", [f"Sentence {k} of {n}. " * 40 for k in range(8)]
    )
    with store.atomic():
        store.add_article(article, ingested_at=NOW)
        store.set_sentences(article.id, article.sentences)


def test_a_full_disk_is_a_clear_error_and_nothing_is_half_written(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    store = open_store(path)
    store.conn.execute(f"PRAGMA max_page_count = {_page_count(store) + 12}")
    stored = 0
    err = None
    for n in range(1000):
        try:
            _add(store, n)
        except CorpusFullError as full:
            err = full
            break
        stored += 1
    assert err is not None
    assert isinstance(err, RashomonError)
    assert err.exit_code == 3
    assert str(path) in str(err)
    assert "disk is full" in str(err)
    assert "run the same command again" in str(err)
    assert isinstance(err.__cause__, sqlite3.OperationalError)
    assert 0 < stored < 1000
    # the article in flight left nothing behind; the ones before are whole
    in_flight = f"a{stored}"
    assert not store.has_article(in_flight)
    assert store.conn.execute(
        "SELECT COUNT(*) FROM sentences WHERE article_id = ?", (in_flight,)
    ).fetchone() == (0,)
    assert store.counts().articles == stored
    assert store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone() == (8 * stored,)
    assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert not store.conn.in_transaction
    # room again: the same article goes in
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    _add(store, stored)
    assert store.has_article(in_flight)
    store.close()


def test_a_full_disk_at_commit_rolls_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The commit itself may fail when the pages are written then (WAL)."""
    store = open_store(tmp_path / "corpus.db")

    class FullAtCommit:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("database or disk is full")
            return self.conn.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(self.conn, name)

    real = store.conn
    store.conn = FullAtCommit(real)  # type: ignore[assignment]
    with pytest.raises(CorpusFullError):
        _add(store, 1)
    store.conn = real
    assert not real.in_transaction
    assert not store.has_article("a1")
    store.close()


# --- the command a user runs (real models) ----------------------------------------------------

INPUTS = (str(EXAMPLES), str(FIXTURES / "quotes" / "articles.jsonl"))


def _ingest(db: Path, *, max_pages: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RASHOMON_")}
    env["HF_HUB_OFFLINE"] = "1"
    if max_pages is not None:
        env["RASHOMON_TEST_MAX_PAGE_COUNT"] = str(max_pages)
    return subprocess.run(
        [str(RASHOMON), "ingest", *INPUTS, "--db", str(db), "--batch-size", "4"],
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _consistent(db: Path) -> tuple[int, int]:
    """Every stored article is whole (features, signature, one story); (articles, stories)."""
    with open_store(db) as store:
        rows = store.conn.execute(
            "SELECT a.id, "
            "(SELECT COUNT(*) FROM cluster_features f WHERE f.article_id = a.id), "
            "(SELECT COUNT(*) FROM minhash h WHERE h.article_id = a.id), "
            "(SELECT COUNT(*) FROM story_members m WHERE m.article_id = a.id) FROM articles a"
        ).fetchall()
        assert all(tuple(counts) == (1, 1, 1) for _, *counts in rows), rows
        assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return len(rows), store.counts().stories


@pytest.mark.models
def test_ingest_on_a_full_disk_exits_3_and_resumes_once_there_is_room(tmp_path: Path) -> None:
    whole = tmp_path / "whole.db"
    assert _ingest(whole).returncode == 0
    expected = _consistent(whole)
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    with open_store(empty) as store, open_store(whole) as full:
        base, end = _page_count(store), _page_count(full)
    db = tmp_path / "corpus.db"
    filled = _ingest(db, max_pages=base + (end - base) // 2)
    assert filled.returncode == 3, filled.stderr
    assert f"[R410] {db}: the disk is full" in filled.stderr
    assert "Traceback" not in filled.stderr
    stored, _ = _consistent(db)
    assert 0 < stored < expected[0]
    resumed = _ingest(db)
    assert resumed.returncode == 0, resumed.stderr
    assert _consistent(db) == expected
