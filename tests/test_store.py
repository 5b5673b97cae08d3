"""The corpus store on real SQLite files: migrations, WAL, transactions, caches."""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TypedDict, Unpack

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_article, make_comparison
from rashomon.corpus.dedupe import CopyEdge, DedupeEntry, DedupeIndex, make_entry, sign
from rashomon.corpus.migrations import MIGRATIONS, Migration
from rashomon.corpus.store import Store, members_hash, open_store
from rashomon.errors import InputError
from rashomon.inputs.outlets import article_id
from rashomon.models import Article, Boilerplate

NOW = "2024-05-03T12:00:00Z"
APPLIED = ["0001_corpus", "0002_cluster_features", "0003_story_search"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "corpus.db") as opened:
        yield opened


class _ArticleFields(TypedDict, total=False):
    """The keyword arguments of factories.make_article besides the date."""

    title: str | None
    source: str | None
    url: str | None
    author: str | None
    boilerplate: tuple[Boilerplate, ...]


def _article(
    aid: str,
    outlet: str = "Harbor Times",
    *,
    date: str | None = "2024-05-02",
    **kw: Unpack[_ArticleFields],
) -> Article:
    return make_article(
        aid, outlet, [f"Sentence one of {aid}.", f"Sentence two of {aid}."], date=date, **kw
    )


def test_migrations_are_recorded_once(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    with open_store(path) as first:
        assert first.applied_migrations() == APPLIED
    with open_store(path) as second:
        assert second.migrate() == []
        assert second.applied_migrations() == APPLIED


def test_a_new_migration_is_applied_with_its_record(store: Store) -> None:
    extra = Migration(name="0099_notes", statements=("CREATE TABLE notes (x TEXT)",))
    assert store.migrate((*MIGRATIONS, extra)) == ["0099_notes"]
    assert store.applied_migrations() == [*APPLIED, "0099_notes"]


def test_a_failing_migration_leaves_no_trace(store: Store) -> None:
    broken = Migration(
        name="0099_broken", statements=("CREATE TABLE notes (x TEXT)", "CREATE TABLE notes (y)")
    )
    with pytest.raises(sqlite3.OperationalError, match="already exists"):
        store.migrate((*MIGRATIONS, broken))
    assert store.applied_migrations() == APPLIED
    tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
    assert "notes" not in tables


def test_a_file_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    extra = Migration(name="0099_future", statements=())
    with open_store(path) as first:
        first.migrate((*MIGRATIONS, extra))
    with pytest.raises(InputError, match=r"unknown migration '0099_future'"):
        open_store(path)


def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not a database, just some words " * 50)
    with pytest.raises(InputError, match=r"^\[R100\] .*notes.db: cannot be opened as a SQLite"):
        open_store(path)


def test_a_path_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "missing" / "corpus.db"
    with pytest.raises(InputError, match=r"corpus.db: cannot be opened \(unable to open"):
        open_store(path)


def test_wal_and_foreign_keys_are_on(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        store.put_signature(
            DedupeEntry(article_id="missing", signature=sign("some words here"), outlet="x")
        )


def test_add_article_is_idempotent_by_id_and_url(store: Store) -> None:
    article = _article("a1", url="https://harbor.example/fire", title="Fire")
    assert store.add_article(article, ingested_at=NOW) == "added"
    assert store.add_article(article, ingested_at="later") == "duplicate"
    same_url = _article("a2", url="https://harbor.example/fire")
    assert store.add_article(same_url, ingested_at=NOW) == "duplicate"
    assert store.counts().articles == 1
    assert store.counts().sentences == 2


def test_article_round_trips(store: Store) -> None:
    article = _article(
        "a1",
        url="https://harbor.example/fire",
        title="Fire at the pier",
        author="Ana Ruiz",
        source="news/a1.txt",
        boilerplate=(Boilerplate(text="Subscribe now", reason="furniture"),),
    )
    store.add_article(article, ingested_at=NOW)
    assert store.get_article("a1") == article
    assert store.get_article("nope") is None


def _add_then_fail(store: Store, ids: list[str], error: Exception) -> None:
    with store.atomic():
        for aid in ids:
            store.add_article(_article(aid), ingested_at=NOW)
        raise error


@settings(max_examples=40, deadline=None)
@given(
    text=st.text(min_size=1),
    title=st.none() | st.text(),
    url=st.none() | st.text(min_size=1),
    boilerplate=st.lists(st.tuples(st.text(), st.text()), max_size=3),
)
def test_any_article_reads_back_unchanged_and_adds_once(
    text: str, title: str | None, url: str | None, boilerplate: list[tuple[str, str]]
) -> None:
    article = Article(
        id=article_id(text),
        text=text,
        outlet="Harbor Times",
        title=title,
        url=url,
        boilerplate=tuple(Boilerplate(text=t, reason=r) for t, r in boilerplate),
    )
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "c.db") as store:
        assert store.add_article(article, ingested_at=NOW) == "added"
        assert store.add_article(article, ingested_at=NOW) == "duplicate"
        assert store.get_article(article.id) == article
        assert store.counts().articles == 1


def test_rollback_on_error_leaves_nothing(store: Store) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        _add_then_fail(store, ["a1", "a2"], RuntimeError("boom"))
    assert store.counts().articles == 0
    assert store.counts().sentences == 0
    assert not store.conn.in_transaction


def test_nested_atomic_rolls_back_only_the_inner_block(store: Store) -> None:
    with store.atomic():
        store.add_article(_article("a1"), ingested_at=NOW)
        with pytest.raises(ValueError, match="inner"):
            _add_then_fail(store, ["a2"], ValueError("inner"))
        store.add_article(_article("a3"), ingested_at=NOW)
    ids = [r[0] for r in store.conn.execute("SELECT id FROM articles ORDER BY id")]
    assert ids == ["a1", "a3"]


def test_reader_reads_while_a_writer_writes(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    with open_store(path) as writer, open_store(path, busy_timeout_s=0.5) as reader:
        writer.add_article(_article("a1"), ingested_at=NOW)
        with writer.atomic():
            writer.add_article(_article("a2"), ingested_at=NOW)
            # the write transaction is open and holds the write lock; the reader is not blocked
            assert reader.counts().articles == 1
            assert reader.get_article("a1") == _article("a1")
        assert reader.counts().articles == 2


def test_writer_commits_while_a_reader_holds_a_snapshot(tmp_path: Path) -> None:
    # Without WAL the commit would need the reader gone and fail after the busy timeout.
    path = tmp_path / "corpus.db"
    with open_store(path, busy_timeout_s=0.5) as writer, open_store(path) as reader:
        writer.add_article(_article("a1"), ingested_at=NOW)
        reader.conn.execute("BEGIN")
        assert reader.counts().articles == 1
        writer.add_article(_article("a2"), ingested_at=NOW)
        assert reader.counts().articles == 1  # still its snapshot
        reader.conn.execute("COMMIT")
        assert reader.counts().articles == 2


def test_a_second_writer_waits_for_the_first(tmp_path: Path) -> None:
    path = tmp_path / "corpus.db"
    with open_store(path) as first:
        done = threading.Event()

        def write_later() -> None:
            with open_store(path) as second:
                second.add_article(_article("b1"), ingested_at=NOW)
            done.set()

        with first.atomic():
            first.add_article(_article("a1"), ingested_at=NOW)
            thread = threading.Thread(target=write_later)
            thread.start()
            assert not done.wait(0.2)
        thread.join(timeout=10)
        assert done.is_set()
        assert first.counts().articles == 2


def test_float16_embedding_round_trip(store: Store) -> None:
    store.add_article(_article("a1"), ingested_at=NOW)
    rng = np.random.default_rng(7)
    vector = rng.standard_normal(384).astype(np.float32)
    vector /= np.linalg.norm(vector)
    store.put_embedding("a1", vector, model="minilm")
    store.put_embedding("a1", vector[::-1].copy(), model="minilm", sentence_idx=0)
    back = store.get_embedding("a1", model="minilm")
    assert back is not None
    assert back.dtype == np.float32
    assert back.shape == (384,)
    assert np.max(np.abs(back - vector)) < 1e-3
    blob = store.conn.execute("SELECT vector FROM embeddings WHERE sentence_idx = -1").fetchone()
    assert len(blob[0]) == 384 * 2
    sentence = store.get_embedding("a1", model="minilm", sentence_idx=0)
    assert sentence is not None
    assert np.max(np.abs(sentence - vector[::-1])) < 1e-3
    assert store.get_embedding("a1", model="other") is None


def test_embedding_that_overflows_float16_is_refused(store: Store) -> None:
    store.add_article(_article("a1"), ingested_at=NOW)
    with pytest.raises(ValueError, match="float16 cannot hold"):
        store.put_embedding("a1", np.array([1.0, 70000.0], dtype=np.float32), model="m")


def test_signature_round_trip(store: Store) -> None:
    article = _article("a1", "reuters.com")
    store.add_article(article, ingested_at=NOW)
    entry = make_entry(article)
    store.put_signature(entry)
    assert store.get_signature("a1") == entry.signature
    assert store.get_signature("a2") is None
    assert list(store.iter_dedupe_entries()) == [entry]
    assert (entry.agency, entry.is_agency) == ("Reuters", True)


def test_a_dedupe_index_rebuilt_from_the_store_is_the_same(store: Store) -> None:
    words = " ".join(f"word{n}" for n in range(40))
    texts = {"a1": words, "a2": words + " and a few more", "a3": "something else entirely here"}
    index = DedupeIndex()
    for n, (aid, text) in enumerate(texts.items()):
        article = make_article(aid, "Harbor Times", [text], date=f"2024-05-0{n + 1}")
        store.add_article(article, ingested_at=f"2024-05-03T12:00:0{3 - n}Z")
        entry = make_entry(article)
        store.put_signature(entry)
        update = index.add(entry)
        store.set_duplicates(update.members, update.group_id, update.copies)
    rebuilt = DedupeIndex()
    for entry in store.iter_dedupe_entries():
        rebuilt.add(entry)
    assert [e.article_id for e in store.iter_dedupe_entries()] == ["a3", "a2", "a1"]
    assert {a: rebuilt.state(a) for a in texts} == {a: index.state(a) for a in texts}
    assert [(e.article_id, e.origin_id) for e in store.copy_edges()] == [("a2", "a1")]
    assert store.group_of("a2") == "a1"


def _store_clustered(store: Store, aid: str, day: str | None, story: str) -> None:
    """An article as ingest stores it: signature, cluster features, story membership."""
    article = _article(aid, date=day)
    store.add_article(article, ingested_at=NOW)
    store.put_signature(make_entry(article))
    store.put_cluster_features(
        aid, vector=b"\0" * 8, entities=[aid], day=day, title=aid, dedupe_group=aid
    )
    store.upsert_story(story, title=None, first_date=None, last_date=None)
    store.add_story_members(story, [aid])


def test_what_a_late_article_takes_back_is_read_by_day_and_arrival(store: Store) -> None:
    # arrival order z1, a1, m1, b1, u1, c1 (ids sort otherwise; one ingested_at per run)
    arrivals = [
        ("z1", "2024-05-01", "s1"),
        ("a1", "2024-05-09T10:00", "s2"),
        ("m1", "2024-05-02T23:59", "s1"),
        ("b1", "2024-05-20", "s2"),
        ("u1", None, "s3"),
        ("c1", "2024-05-03", "s4"),
    ]
    for aid, day, story in arrivals:
        _store_clustered(store, aid, day, story)
    seq = {row.article_id: row.seq for row in store.iter_cluster_features()}
    assert [e.article_id for e in store.iter_dedupe_entries()] == [a for a, _, _ in arrivals]
    dated = store.dedupe_entries_between("2024-05-02", "2024-05-09")
    assert [e.article_id for e in dated] == ["a1", "m1", "c1"]
    early = store.dedupe_entries_between("2024-05-02", "2024-05-09", before_seq=seq["c1"])
    assert [e.article_id for e in early] == ["a1", "m1"]
    # the articles of the days and the other members of their stories
    rows = store.cluster_features_between("2024-05-01", "2024-05-02")
    assert [(story, row.article_id) for story, row in rows] == [
        ("s1", "z1"),
        ("s1", "m1"),
    ]
    rows = store.cluster_features_between("2024-05-09", "2024-05-09")
    assert [(story, row.article_id, row.date) for story, row in rows] == [
        ("s2", "a1", "2024-05-09T10:00"),
        ("s2", "b1", "2024-05-20"),
    ]
    rows = store.cluster_features_between("2024-05-09", "2024-05-09", before_seq=seq["b1"])
    assert [row.article_id for _, row in rows] == ["a1"]


def test_iter_embeddings(store: Store) -> None:
    for aid in ("a2", "a1"):
        store.add_article(_article(aid), ingested_at=NOW)
        store.put_embedding(aid, np.array([0.5, -0.25], dtype=np.float32), model="m")
    store.put_embedding("a1", np.array([1.0, 0.0], dtype=np.float32), model="m", sentence_idx=0)
    got = [(aid, vec.tolist()) for aid, vec in store.iter_embeddings(model="m")]
    assert got == [("a1", [0.5, -0.25]), ("a2", [0.5, -0.25])]


def test_duplicates_replace_group_and_edges(store: Store) -> None:
    for aid in ("a1", "a2", "a3"):
        store.add_article(_article(aid), ingested_at=NOW)
    first = CopyEdge(article_id="a2", origin_id="a1", jaccard=0.9, copied_share=0.95)
    store.set_duplicates(["a1", "a2"], "a1", [first])
    second = CopyEdge(article_id="a1", origin_id="a3", jaccard=0.8, copied_share=0.7, agency="AFP")
    third = CopyEdge(article_id="a2", origin_id="a3", jaccard=0.85, copied_share=0.9, agency="AFP")
    store.set_duplicates(["a1", "a2", "a3"], "a1", [second, third])
    assert store.copy_edges() == [second, third]
    assert [store.group_of(a) for a in ("a1", "a2", "a3", "zz")] == ["a1", "a1", "a1", "zz"]
    assert store.counts().duplicate_groups == 1


def test_errors_are_recorded_once(store: Store) -> None:
    store.record_error(source="feed.jsonl", line=3, code="R100", reason="no text")
    store.record_error(source="feed.jsonl", line=3, code="R100", reason="no text")
    store.record_error(source="feed.jsonl", line=9, code="R100", reason="bad date")
    assert [(e.line, e.reason) for e in store.errors()] == [(3, "no text"), (9, "bad date")]
    assert store.counts().errors == 2


def _story_corpus(store: Store) -> None:
    store.add_article(_article("a1", "Harbor Times", date="2024-05-01"), ingested_at=NOW)
    store.add_article(_article("a2", "Evening Ledger", date="2024-05-02"), ingested_at=NOW)
    store.add_article(_article("a3", "Coast Radio", date="2024-05-02T09:30"), ingested_at=NOW)
    store.add_article(_article("b1", "Coast Radio", date="2024-06-10"), ingested_at=NOW)
    store.upsert_story("s1", title="Fire", first_date="2024-05-01", last_date="2024-05-02T09:30")
    store.set_story_members("s1", ["a1", "a2", "a3"])
    store.upsert_story("s2", title="Vote", first_date="2024-06-10", last_date="2024-06-10")
    store.set_story_members("s2", ["b1"])


def test_list_stories_with_filters(store: Store) -> None:
    _story_corpus(store)
    assert [s.id for s in store.list_stories()] == ["s2", "s1"]
    assert [s.id for s in store.list_stories(since="2024-05-03")] == ["s2"]
    assert [s.id for s in store.list_stories(until="2024-05-01")] == ["s1"]
    assert [s.id for s in store.list_stories(until="2024-04-30")] == []
    assert [s.id for s in store.list_stories(outlet="Evening Ledger")] == ["s1"]
    assert [s.id for s in store.list_stories(outlet="Coast Radio", since="2024-06-01")] == ["s2"]
    assert [s.id for s in store.list_stories(since="2024-05-02", until="2024-05-02")] == ["s1"]


def test_story_counts_near_duplicates_once(store: Store) -> None:
    _story_corpus(store)
    copy = CopyEdge(article_id="a3", origin_id="a2", jaccard=0.9, copied_share=1.0)
    store.set_duplicates(["a2", "a3"], "a2", [copy])
    story = store.get_story("s1")
    assert story is not None
    assert (story.n_articles, story.n_distinct) == (3, 2)
    assert story.outlets == ("Coast Radio", "Evening Ledger", "Harbor Times")
    assert store.get_story("nope") is None


def test_story_articles_oldest_first(store: Store) -> None:
    _story_corpus(store)
    assert [a.id for a in store.story_articles("s1")] == ["a1", "a2", "a3"]


def test_upsert_story_updates(store: Store) -> None:
    _story_corpus(store)
    store.upsert_story("s2", title="Vote count", first_date="2024-06-09", last_date="2024-06-11")
    story = store.get_story("s2")
    assert story is not None
    assert (story.title, story.first_date, story.last_date) == (
        "Vote count",
        "2024-06-09",
        "2024-06-11",
    )
    assert store.counts().stories == 2


def test_cached_comparison_is_invalidated_when_members_change(store: Store) -> None:
    _story_corpus(store)
    comparison = make_comparison()
    store.put_comparison("s1", comparison)
    assert store.get_comparison("s1") == comparison
    store.set_story_members("s1", ["a3", "a2", "a1"])  # same members: still valid
    assert store.get_comparison("s1") == comparison
    store.add_story_members("s1", ["b1"])
    assert store.get_comparison("s1") is None
    assert store.counts().comparisons == 0


def test_cached_comparison_is_a_miss_when_members_change_behind_the_cache(store: Store) -> None:
    _story_corpus(store)
    store.put_comparison("s1", make_comparison())
    store.conn.execute("DELETE FROM story_members WHERE article_id = 'a3'")
    assert store.get_comparison("s1") is None


def test_cached_comparison_of_another_version_is_a_miss(store: Store) -> None:
    _story_corpus(store)
    store.put_comparison("s1", make_comparison())
    store.conn.execute("UPDATE comparisons SET version = '0.0.1'")
    assert store.get_comparison("s1") is None


def test_deleting_a_story_drops_members_and_cache(store: Store) -> None:
    _story_corpus(store)
    store.put_comparison("s1", make_comparison())
    store.conn.execute("DELETE FROM stories WHERE id = 's1'")
    assert store.story_member_ids("s1") == []
    assert store.counts().comparisons == 0


def test_the_comparison_key_follows_the_cache(store: Store) -> None:
    _story_corpus(store)
    assert store.comparison_key("s1") is None
    store.put_comparison("s1", make_comparison())
    key = store.comparison_key("s1")
    assert key == members_hash(["a1", "a2", "a3"])
    store.conn.execute("DELETE FROM story_members WHERE article_id = 'a3'")
    assert store.comparison_key("s1") is None


def test_the_web_app_keeps_a_decoded_comparison_only_while_it_is_valid(tmp_path: Path) -> None:
    from rashomon.settings import Settings
    from rashomon.web.state import WebState

    db = tmp_path / "corpus.db"
    with open_store(db) as store:
        _story_corpus(store)
        store.put_comparison("s1", make_comparison())
    state = WebState(db_path=db, settings=Settings(), background=False)
    with state.store() as store:
        first = state.story_comparison(store, "s1").comparison
    with state.store() as store:
        kept = state.story_comparison(store, "s1")
        assert kept.comparison is first  # from memory, not decoded again
        assert kept.status == "ready"
    changed = make_comparison(payload="<changed>")
    with open_store(db) as store:
        store.set_story_members("s1", ["a1", "a2"])
        store.put_comparison("s1", changed)
    with state.store() as store:
        again = state.story_comparison(store, "s1").comparison
    assert again == changed
    assert again != first


def test_list_stories_reads_more_stories_than_one_query_may_name(store: Store) -> None:
    many = 1007  # far more stories than a page of the list
    with store.atomic():
        for n in range(many):
            store.add_article(
                _article(f"x{n}", f"Outlet {n % 3}", date="2024-07-01"), ingested_at=NOW
            )
            store.upsert_story(
                f"t{n:04d}", title=None, first_date="2024-07-01", last_date="2024-07-01"
            )
            store.set_story_members(f"t{n:04d}", [f"x{n}"])
    listed = store.list_stories()
    assert [s.id for s in listed] == [f"t{n:04d}" for n in range(many)]
    assert all(s.n_articles == 1 for s in listed)
    assert listed[4].outlets == ("Outlet 1",)
