"""The corpus store: one SQLite file in WAL mode, owned by this module.

Writes go through :meth:`Store.atomic` (``BEGIN`` or, nested, a ``SAVEPOINT``; any exception
rolls back and is re-raised). The schema is built by named, ordered migrations; each one and its
row in ``migrations`` are written in one transaction, so a crash leaves it applied or not at all.
WAL mode lets readers (another process, the web app) read while an ingest writes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np

from rashomon._version import __version__
from rashomon.corpus.dedupe import CopyEdge, DedupeEntry, Signature
from rashomon.corpus.migrations import MIGRATIONS, Migration
from rashomon.errors import CorpusFullError, InputError, SchemaError
from rashomon.models import Article, Boilerplate, Comparison, Sentence
from rashomon.schema import SCHEMA_ID, from_json, to_json

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 30.0
_SEQ_END = 2**63 - 1  # above every cluster features seq


class ClusterRow(NamedTuple):
    """What clustering saw of one stored article, and when it arrived (``seq``)."""

    seq: int
    article_id: str
    vector: bytes  # float32
    entities: list[str]
    date: str | None
    title: str | None
    dedupe_group: str | None


ARTICLE_LEVEL = -1
FLOAT16_MAX = float(np.finfo(np.float16).max)  # sentence_idx of an embedding of the whole article
AddResult = Literal["added", "duplicate"]


MIN_TRIGRAM = 3  # the search index matches words of this many characters or more


@dataclass(frozen=True, slots=True, kw_only=True)
class MemberRecord:
    """A story member without its text: what a list of the story's articles shows."""

    id: str
    outlet: str
    title: str | None = None
    date: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryPage:
    """One page of a story search and the number of stories matching in all."""

    items: tuple[StoryRecord, ...]
    total: int


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryRecord:
    """A stored story; ``n_distinct`` counts each duplicate group once."""

    id: str
    title: str | None = None
    first_date: str | None = None
    last_date: str | None = None
    n_articles: int = 0
    n_distinct: int = 0
    outlets: tuple[str, ...] = ()

    def row(self) -> dict[str, object]:
        """The story as the CLI and the web API list it."""
        return {
            "id": self.id,
            "title": self.title,
            "first_date": self.first_date,
            "last_date": self.last_date,
            "articles": self.n_articles,
            "distinct": self.n_distinct,
            "outlets": list(self.outlets),
        }

    def flat_row(self) -> dict[str, object]:
        """The same row for flat files (``stories --format csv``, ``export``): outlets joined."""
        return {**self.row(), "outlets": "; ".join(self.outlets)}


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorRecord:
    source: str
    code: str
    reason: str
    line: int | None = None
    record: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StoreCounts:
    articles: int
    sentences: int
    embeddings: int
    signatures: int
    copies: int
    duplicate_groups: int  # groups of two or more near-duplicates
    stories: int
    comparisons: int
    errors: int


def open_store(
    path: str | Path, *, busy_timeout_s: float = BUSY_TIMEOUT_S, migrate: bool = True
) -> Store:
    """Open (or create) a corpus file, switch on WAL and foreign keys, apply pending migrations.

    Raises:
        InputError: the file is not a SQLite database, or a newer rashomon made it.
    """
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
    except sqlite3.OperationalError as err:
        raise InputError(
            str(path), f"cannot be opened ({err})", "Check that its folder exists and is writable"
        ) from err
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
        # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last commits only.
        conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as err:
        conn.close()
        raise InputError(
            str(path),
            f"cannot be opened as a SQLite database ({err})",
            "Give a corpus file written by `rashomon ingest --db`, or a new path",
        ) from err
    if mode != "wal":
        log.warning("%s: journal mode is %s, not wal; readers will wait for writers", path, mode)
    store = Store(conn, path=str(path))
    if migrate:
        store.migrate()
    return store


def _disk_full(err: BaseException) -> bool:
    """SQLITE_FULL: the disk, or the file's ``max_page_count``, is full."""
    return isinstance(err, sqlite3.OperationalError) and (
        getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(err)
    )


def members_hash(article_ids: Iterable[str]) -> str:
    """A fingerprint of a set of article ids (order does not matter)."""
    joined = "\n".join(sorted(set(article_ids)))
    return hashlib.blake2b(joined.encode("utf-8"), digest_size=16).hexdigest()


def _error_id(source: str, line: int | None, record: str | None, code: str, reason: str) -> str:
    key = json.dumps([source, line, record, code, reason], ensure_ascii=False)
    return hashlib.blake2b(key.encode("utf-8"), digest_size=12).hexdigest()


def _day_after(value: str) -> str:
    """``"2024-05-01"`` -> ``"2024-05-02"``, so a date bound includes every time of that day."""
    if len(value) == len("YYYY-MM-DD"):
        return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    return value + "\uffff"  # a date-time bound: everything up to and including it


def _like(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere (``%``, ``_`` and ``\\`` taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search_clause(words: Sequence[str]) -> tuple[str, list[str | int]]:
    """The WHERE clause (over ``article_search``) requiring every word, and its parameters.

    Words of three characters or more go through the trigram index as quoted phrases (so FTS
    syntax in them is inert); shorter words fall back to LIKE over the three columns.
    """
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    parts: list[str] = []
    args: list[str | int] = []
    if long_words:
        parts.append("article_search MATCH ?")
        args.append(" AND ".join('"' + w.replace('"', '""') + '"' for w in long_words))
    for word in short_words:
        parts.append(
            "(article_search.title LIKE ? ESCAPE '\\' OR article_search.outlet LIKE ? "
            "ESCAPE '\\' OR article_search.entities LIKE ? ESCAPE '\\')"
        )
        args += [_like(word)] * 3
    return " AND ".join(parts), args


class Store:
    """The corpus file. Make one with :func:`open_store`; use as a context manager to close."""

    def __init__(self, conn: sqlite3.Connection, *, path: str) -> None:
        self.conn = conn
        self.path = path
        self._depth = 0

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    # --- transactions and migrations ------------------------------------------------------

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Run the block in one transaction (a savepoint when nested); roll back on any error."""
        depth = self._depth
        savepoint = f"rashomon_{depth}"
        # IMMEDIATE takes the write lock up front, so two writers wait (busy timeout)
        # instead of failing with SQLITE_BUSY when a read transaction tries to upgrade.
        self.conn.execute("BEGIN IMMEDIATE" if depth == 0 else f"SAVEPOINT {savepoint}")
        self._depth += 1
        try:
            yield
        except BaseException as err:
            # An error such as a RAISE(ROLLBACK) trigger can end the whole transaction already;
            # rolling back again would raise and mask the original exception.
            if self.conn.in_transaction:
                if depth == 0:
                    self.conn.execute("ROLLBACK")
                else:
                    self.conn.execute(f"ROLLBACK TO {savepoint}")
                    self.conn.execute(f"RELEASE {savepoint}")
            if depth == 0 and _disk_full(err):
                raise CorpusFullError(self.path) from err
            raise
        else:
            try:
                self.conn.execute("COMMIT" if depth == 0 else f"RELEASE {savepoint}")
            except sqlite3.OperationalError as err:
                # a failed COMMIT leaves the transaction open (WAL pages are written then)
                if depth == 0 and _disk_full(err):
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise CorpusFullError(self.path) from err
                raise
        finally:
            self._depth = depth

    def applied_migrations(self) -> list[str]:
        """Names of the applied migrations, in the order they were applied."""
        exists = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
        ).fetchone()
        if not exists:
            return []
        return [row[0] for row in self.conn.execute("SELECT name FROM migrations ORDER BY rowid")]

    def migrate(self, migrations: Sequence[Migration] = MIGRATIONS) -> list[str]:
        """Apply the migrations not yet recorded, in order; return the names applied now.

        Raises:
            InputError: the file records a migration this version does not know (a newer
                rashomon wrote it).
        """
        known = {m.name for m in migrations}
        done = self.applied_migrations()
        unknown = [name for name in done if name not in known]
        if unknown:
            raise InputError(
                self.path,
                f"written by a newer rashomon (unknown migration {unknown[0]!r})",
                "Upgrade rashomon (pip install -U rashomon) to open it",
            )
        applied: list[str] = []
        # Only pending migrations take the write lock, so opening a migrated file never waits
        # for a writer.
        for migration in (m for m in migrations if m.name not in done):
            with self.atomic():
                self.conn.execute(
                    "CREATE TABLE IF NOT EXISTS migrations ("
                    "name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
                )
                # Checked inside the write lock: another process may have just applied it.
                already = self.conn.execute(
                    "SELECT 1 FROM migrations WHERE name = ?", (migration.name,)
                ).fetchone()
                if already:
                    continue
                for statement in migration.statements:
                    self.conn.execute(statement)
                self.conn.execute(
                    "INSERT INTO migrations (name, applied_at) "
                    "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                    (migration.name,),
                )
            applied.append(migration.name)
            log.info("%s: applied migration %s", self.path, migration.name)
        return applied

    # --- articles -------------------------------------------------------------------------

    def has_article(self, article_id: str, *, url: str | None = None) -> bool:
        """Whether an article with this content id (or this URL) is stored."""
        row = self.conn.execute(
            "SELECT 1 FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ?) LIMIT 1",
            (article_id, url),
        ).fetchone()
        return row is not None

    def find_article(self, article_id: str, *, url: str | None = None) -> tuple[str, str] | None:
        """(id, text) of the stored article with this id, else of the one with this URL."""
        row = self.conn.execute(
            "SELECT id, text FROM articles WHERE id = ? OR (url IS NOT NULL AND url = ?) "
            "ORDER BY id != ? LIMIT 1",
            (article_id, url, article_id),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def add_article(self, article: Article, *, ingested_at: str) -> AddResult:
        """Store an article and its sentences; the same content id or URL adds nothing."""
        with self.atomic():
            if self.has_article(article.id, url=article.url):
                return "duplicate"
            boilerplate = json.dumps(
                [{"text": b.text, "reason": b.reason} for b in article.boilerplate],
                ensure_ascii=False,
            )
            self.conn.execute(
                "INSERT INTO articles (id, url, outlet, title, date, author, source, text, "
                "boilerplate, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.id,
                    article.url,
                    article.outlet,
                    article.title,
                    article.date,
                    article.author,
                    article.source,
                    article.text,
                    boilerplate,
                    ingested_at,
                ),
            )
            self.set_sentences(article.id, article.sentences)
        return "added"

    def set_sentences(self, article_id: str, sentences: Sequence[Sentence]) -> None:
        """Replace the stored sentences of an article."""
        with self.atomic():
            self.conn.execute("DELETE FROM sentences WHERE article_id = ?", (article_id,))
            self.conn.executemany(
                'INSERT INTO sentences (article_id, idx, "start", "end", text) '
                "VALUES (?, ?, ?, ?, ?)",
                [(article_id, s.index, s.start, s.end, s.text) for s in sentences],
            )

    def get_article(self, article_id: str) -> Article | None:
        """The stored article with its sentences, or None."""
        row = self.conn.execute(
            "SELECT id, url, outlet, title, date, author, source, text, boilerplate "
            "FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return None if row is None else self._article(row)

    def _article(self, row: sqlite3.Row | tuple[str, ...]) -> Article:
        aid, url, outlet, title, day, author, source, text, boilerplate = row
        sentences = tuple(
            # ids are "<article>:s<n>" with n counted from 1, as segment.py makes them
            Sentence(id=f"{aid}:s{idx + 1}", index=idx, start=start, end=end, text=stext)
            for idx, start, end, stext in self.conn.execute(
                'SELECT idx, "start", "end", text FROM sentences WHERE article_id = ? ORDER BY idx',
                (aid,),
            )
        )
        pieces = json.loads(boilerplate or "[]")
        return Article(
            id=aid,
            text=text,
            outlet=outlet,
            title=title,
            date=day,
            source=source,
            url=url,
            author=author,
            boilerplate=tuple(Boilerplate(text=p["text"], reason=p["reason"]) for p in pieces),
            sentences=sentences,
        )

    def record_error(
        self,
        *,
        source: str,
        code: str,
        reason: str,
        line: int | None = None,
        record: str | None = None,
    ) -> None:
        """Record a rejected input; recording the same rejection again adds nothing."""
        with self.atomic():
            self.conn.execute(
                "INSERT OR IGNORE INTO errors (id, source, line, record, code, reason) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_error_id(source, line, record, code, reason), source, line, record, code, reason),
            )

    def errors(self) -> list[ErrorRecord]:
        return [
            ErrorRecord(source=s, line=ln, record=r, code=c, reason=why)
            for s, ln, r, c, why in self.conn.execute(
                "SELECT source, line, record, code, reason FROM errors ORDER BY source, line, id"
            )
        ]

    # --- embeddings and signatures --------------------------------------------------------

    def put_embedding(
        self,
        article_id: str,
        vector: np.ndarray[tuple[int], np.dtype[np.floating]],
        *,
        model: str,
        sentence_idx: int = ARTICLE_LEVEL,
    ) -> None:
        """Store a vector as float16 (half the bytes of float32; ample for cosine similarity).

        Raises:
            ValueError: the vector is not one-dimensional or does not fit in float16.
        """
        if vector.ndim != 1:
            raise ValueError(
                f"article {article_id}: expected a 1-D vector, got shape {vector.shape}"
            )
        if not np.all(np.isfinite(vector)) or np.max(np.abs(vector), initial=0.0) > FLOAT16_MAX:
            raise ValueError(
                f"article {article_id}: vector has values float16 cannot hold (|x| > 65504 or "
                "NaN); normalize embeddings before storing them"
            )
        half = np.asarray(vector, dtype="<f2")
        with self.atomic():
            self.conn.execute(
                "INSERT OR REPLACE INTO embeddings (article_id, sentence_idx, model, dim, vector) "
                "VALUES (?, ?, ?, ?, ?)",
                (article_id, sentence_idx, model, half.shape[0], half.tobytes()),
            )

    def get_embedding(
        self, article_id: str, *, model: str, sentence_idx: int = ARTICLE_LEVEL
    ) -> np.ndarray[tuple[int], np.dtype[np.float32]] | None:
        """The stored vector as float32, or None."""
        row = self.conn.execute(
            "SELECT vector FROM embeddings WHERE article_id = ? AND sentence_idx = ? AND model = ?",
            (article_id, sentence_idx, model),
        ).fetchone()
        if row is None:
            return None
        return np.frombuffer(row[0], dtype="<f2").astype(np.float32)

    def iter_embeddings(
        self, *, model: str, sentence_idx: int = ARTICLE_LEVEL
    ) -> Iterator[tuple[str, np.ndarray[tuple[int], np.dtype[np.float32]]]]:
        """Every stored vector of one model and level as (article id, float32 vector), by id."""
        for aid, blob in self.conn.execute(
            "SELECT article_id, vector FROM embeddings WHERE model = ? AND sentence_idx = ? "
            "ORDER BY article_id",
            (model, sentence_idx),
        ):
            yield aid, np.frombuffer(blob, dtype="<f2").astype(np.float32)

    def put_signature(self, entry: DedupeEntry) -> None:
        """Store an article's MinHash signature and agency credit (a dedupe index entry)."""
        signature = entry.signature
        with self.atomic():
            self.conn.execute(
                "INSERT OR REPLACE INTO minhash (article_id, num_perm, n_shingles, signature, "
                "agency, is_agency) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    entry.article_id,
                    signature.num_perm,
                    signature.n_shingles,
                    signature.hashvalues,
                    entry.agency,
                    int(entry.is_agency),
                ),
            )

    def get_signature(self, article_id: str) -> Signature | None:
        row = self.conn.execute(
            "SELECT n_shingles, signature FROM minhash WHERE article_id = ?", (article_id,)
        ).fetchone()
        return None if row is None else Signature(hashvalues=row[1], n_shingles=row[0])

    def iter_dedupe_entries(self) -> Iterator[DedupeEntry]:
        """Every stored signature as a dedupe index entry, in arrival order.

        Feeding these to a fresh ``DedupeIndex`` rebuilds it when an ingest resumes. Arrival
        order is the order of the cluster features (``ingested_at`` is one value per run);
        articles without them come first, in ingest order then id order. The order matters
        to an index with a horizon: it forgets old groups as newer dates arrive.
        """
        rows = self.conn.execute(
            "SELECT m.article_id, m.n_shingles, m.signature, m.agency, m.is_agency, a.outlet, "
            "a.date FROM minhash m JOIN articles a ON a.id = m.article_id "
            "LEFT JOIN cluster_features c ON c.article_id = m.article_id "
            "ORDER BY c.seq, a.ingested_at, a.id"
        )
        for row in rows:
            yield _dedupe_entry(row)

    def dedupe_entries_between(
        self, first_day: str, last_day: str, *, before_seq: int | None = None
    ) -> list[DedupeEntry]:
        """Dedupe entries dated from ``first_day`` to ``last_day`` (ISO, inclusive).

        In arrival order: what an ingest takes back into a dedupe index that has forgotten
        them, when an article of those days arrives late. ``before_seq`` (a cluster features
        ``seq``) keeps only the articles stored before it, as a replay needs; None keeps all.
        """
        after = _day_after(last_day)
        rows = self.conn.execute(
            "SELECT m.article_id, m.n_shingles, m.signature, m.agency, m.is_agency, a.outlet, "
            "a.date FROM articles a JOIN minhash m ON m.article_id = a.id "
            "JOIN cluster_features c ON c.article_id = a.id "
            "WHERE a.date >= ? AND a.date < ? AND c.seq < ? ORDER BY c.seq",
            (first_day, after, _SEQ_END if before_seq is None else before_seq),
        )
        return [_dedupe_entry(row) for row in rows]

    # --- duplicates and copies ------------------------------------------------------------

    def set_duplicates(
        self, members: Sequence[str], group_id: str, copies: Iterable[CopyEdge]
    ) -> None:
        """Replace the group and copy edges of ``members`` (a ``DedupeUpdate``'s fields)."""
        with self.atomic():
            marks = ",".join("?" * len(members))
            self.conn.execute(f"DELETE FROM copies WHERE article_id IN ({marks})", tuple(members))
            self.conn.executemany(
                "INSERT OR REPLACE INTO dup_groups (article_id, group_id) VALUES (?, ?)",
                [(m, group_id) for m in members],
            )
            self.conn.executemany(
                "INSERT INTO copies (article_id, origin_id, jaccard, copied_share, agency) "
                "VALUES (?, ?, ?, ?, ?)",
                [(e.article_id, e.origin_id, e.jaccard, e.copied_share, e.agency) for e in copies],
            )

    def copy_edges(self) -> list[CopyEdge]:
        return [
            CopyEdge(article_id=a, origin_id=o, jaccard=j, copied_share=s, agency=ag)
            for a, o, j, s, ag in self.conn.execute(
                "SELECT article_id, origin_id, jaccard, copied_share, agency FROM copies "
                "ORDER BY article_id"
            )
        ]

    def arrival_order(self) -> list[tuple[str, str | None]]:
        """(article id, story id) of every stored article, in the order the ingest placed them
        (the order of ``iter_dedupe_entries``); None for an article in no story."""
        return [
            (str(aid), story)
            for aid, story in self.conn.execute(
                "SELECT a.id, (SELECT m.story_id FROM story_members m WHERE m.article_id = a.id "
                "ORDER BY m.story_id LIMIT 1) FROM articles a "
                "LEFT JOIN cluster_features c ON c.article_id = a.id "
                "ORDER BY c.seq, a.ingested_at, a.id"
            )
        ]

    def memberships(self) -> list[tuple[str, str, str]]:
        """(story id, article id, outlet) of every story member."""
        return [
            (s, a, o)
            for s, a, o in self.conn.execute(
                "SELECT m.story_id, m.article_id, a.outlet FROM story_members m "
                "JOIN articles a ON a.id = m.article_id ORDER BY m.story_id, m.article_id"
            )
        ]

    def member_dates(
        self, story_ids: Sequence[str]
    ) -> dict[str, list[tuple[str, str, str | None]]]:
        """(article id, outlet, date as written) of the members of each story, in one query.

        Every story asked for is a key, with an empty list when it has no member.
        """
        found: dict[str, list[tuple[str, str, str | None]]] = {s: [] for s in story_ids}
        # one JSON parameter instead of one "?" per story: no limit on the number of stories
        for story_id, article_id, outlet, day in self.conn.execute(
            "SELECT m.story_id, a.id, a.outlet, a.date FROM story_members m "
            "JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY m.story_id, a.date IS NULL, a.date, a.id",
            (json.dumps(list(found)),),
        ):
            found[story_id].append((article_id, outlet, day))
        return found

    def story_titles(self) -> dict[str, str | None]:
        """Every story's title (None when it has none), by story id."""
        return dict(self.conn.execute("SELECT id, title FROM stories ORDER BY id").fetchall())

    def cached_comparisons(self) -> Iterator[Comparison]:
        """Every cached comparison that is still valid for its story's members."""
        for _, comparison in self.cached_story_comparisons():
            yield comparison

    def cached_story_comparisons(self) -> Iterator[tuple[str, Comparison]]:
        """(story id, comparison) of every cached comparison still valid for its members,
        by story id."""
        rows = self.conn.execute("SELECT story_id FROM comparisons ORDER BY story_id").fetchall()
        for (story_id,) in rows:
            comparison = self.get_comparison(story_id)
            if comparison is not None:
                yield story_id, comparison

    def group_of(self, article_id: str) -> str:
        """The article's duplicate group id (its own id when it has no near-duplicate)."""
        row = self.conn.execute(
            "SELECT group_id FROM dup_groups WHERE article_id = ?", (article_id,)
        ).fetchone()
        return article_id if row is None else str(row[0])

    # --- stories --------------------------------------------------------------------------

    def put_cluster_features(
        self,
        article_id: str,
        *,
        vector: bytes,
        entities: Sequence[str],
        day: str | None,
        title: str | None,
        dedupe_group: str | None,
    ) -> None:
        """Record what clustering saw of an article (float32 vector bytes), in arrival order."""
        with self.atomic():
            self.conn.execute(
                "INSERT OR IGNORE INTO cluster_features "
                "(article_id, vector, entities, date, title, dedupe_group) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (article_id, vector, json.dumps(sorted(entities)), day, title, dedupe_group),
            )

    def iter_cluster_features(self) -> Iterator[ClusterRow]:
        """Cluster features in the order they were recorded."""
        rows = self.conn.execute(
            "SELECT seq, article_id, vector, entities, date, title, dedupe_group "
            "FROM cluster_features ORDER BY seq"
        )
        for seq, article_id, vector, entities, day, title, group in rows:
            yield ClusterRow(seq, article_id, vector, json.loads(entities), day, title, group)

    def cluster_features_between(
        self, first_day: str, last_day: str, *, before_seq: int | None = None
    ) -> list[tuple[str, ClusterRow]]:
        """(story id, features) of the articles of these days and of their stories' members.

        Days from ``first_day`` to ``last_day`` (ISO, inclusive); rows in arrival order: what
        an ingest takes back into a story index that has forgotten them, when an article of
        those days arrives late. ``before_seq`` keeps only the articles stored before it, as a
        replay needs; None keeps all.
        """
        after = _day_after(last_day)
        rows = self.conn.execute(
            "WITH dated(id) AS (SELECT c.article_id FROM articles a "
            "JOIN cluster_features c ON c.article_id = a.id "
            "WHERE a.date >= ? AND a.date < ? AND c.seq < ?), "
            "wanted(story_id, article_id) AS (SELECT DISTINCT s2.story_id, s2.article_id "
            "FROM dated JOIN story_members s ON s.article_id = dated.id "
            "JOIN story_members s2 ON s2.story_id = s.story_id) "
            "SELECT w.story_id, c.seq, c.article_id, c.vector, c.entities, c.date, c.title, "
            "c.dedupe_group FROM wanted w JOIN cluster_features c ON c.article_id = w.article_id "
            "WHERE c.seq < ? ORDER BY c.seq",
            (first_day, after, *(2 * [_SEQ_END if before_seq is None else before_seq])),
        )
        return [
            (story, ClusterRow(seq, aid, vector, json.loads(entities), day, title, group))
            for story, seq, aid, vector, entities, day, title, group in rows
        ]

    def upsert_story(
        self,
        story_id: str,
        *,
        title: str | None,
        first_date: str | None,
        last_date: str | None,
    ) -> None:
        with self.atomic():
            self.conn.execute(
                "INSERT INTO stories (id, title, first_date, last_date) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                "first_date = excluded.first_date, last_date = excluded.last_date",
                (story_id, title, first_date, last_date),
            )

    def set_story_members(self, story_id: str, article_ids: Iterable[str]) -> None:
        """Replace a story's members; a cached comparison of the old members is dropped."""
        ids = sorted(set(article_ids))
        with self.atomic():
            self.conn.execute("DELETE FROM story_members WHERE story_id = ?", (story_id,))
            self.conn.executemany(
                "INSERT INTO story_members (story_id, article_id) VALUES (?, ?)",
                [(story_id, a) for a in ids],
            )
            self._drop_stale_comparison(story_id)

    def add_story_members(self, story_id: str, article_ids: Iterable[str]) -> None:
        """Add members to a story (already present ones are kept once)."""
        with self.atomic():
            self.conn.executemany(
                "INSERT OR IGNORE INTO story_members (story_id, article_id) VALUES (?, ?)",
                [(story_id, a) for a in sorted(set(article_ids))],
            )
            self._drop_stale_comparison(story_id)

    def story_member_ids(self, story_id: str) -> list[str]:
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT article_id FROM story_members WHERE story_id = ? ORDER BY article_id",
                (story_id,),
            )
        ]

    def story_articles(self, story_id: str) -> list[Article]:
        """The articles of a story, oldest first (undated last), then by id."""
        rows = self.conn.execute(
            "SELECT a.id, a.url, a.outlet, a.title, a.date, a.author, a.source, a.text, "
            "a.boilerplate FROM story_members m JOIN articles a ON a.id = m.article_id "
            "WHERE m.story_id = ? ORDER BY a.date IS NULL, a.date, a.id",
            (story_id,),
        ).fetchall()
        return [self._article(row) for row in rows]

    def list_stories(
        self, *, since: str | None = None, until: str | None = None, outlet: str | None = None
    ) -> list[StoryRecord]:
        """Stories whose time span meets [since, until] (ISO dates, inclusive), newest first.

        Args:
            outlet: keep only stories this outlet has an article in.
        """
        page = self.search_stories(since=since, until=until, outlet=outlet, limit=-1)
        return list(page.items)

    def get_story(self, story_id: str) -> StoryRecord | None:
        row = self.conn.execute(
            "SELECT id, title, first_date, last_date FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        return None if row is None else self.story_records([row])[0]

    def search_stories(
        self,
        *,
        query: str | None = None,
        outlet: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> StoryPage:
        """One page of the stories matching every filter, newest first, with the total count.

        Two queries whatever the page size (the matching page with the total count, and its
        members); a page past the end takes a third, for the count.

        Args:
            query: words that must all occur (as substrings, any case) in the story title or
                in one member article's title, outlet or named entities.
            outlet: keep only stories this outlet has an article in.
            since: keep stories active on or after this ISO date.
            until: keep stories active on or before this ISO date.
            limit: stories per page (-1: all of them).
        """
        where: list[str] = []
        params: list[str | int] = []
        if since is not None:
            where.append("s.last_date >= ?")
            params.append(since)
        if until is not None:
            where.append("s.first_date < ?")
            params.append(_day_after(until))
        if outlet is not None:
            where.append(
                "s.id IN (SELECT m.story_id FROM articles a JOIN story_members m "
                "ON m.article_id = a.id WHERE a.outlet = ?)"
            )
            params.append(outlet)
        # FTS5 reads a NUL as the end of its query, so it cannot be searched for
        words = (query or "").replace("\x00", " ").split()
        if words:
            clause, args = _search_clause(words)
            where.append(
                f"(s.title LIKE ? ESCAPE '\\' OR s.id IN (SELECT m.story_id FROM article_search "
                f"JOIN articles a ON a.rowid = article_search.rowid JOIN story_members m "
                f"ON m.article_id = a.id WHERE {clause}))"
            )
            params += [_like(" ".join(words)), *args]
        sql_where = " WHERE " + " AND ".join(where) if where else ""
        order = " ORDER BY s.last_date IS NULL, s.last_date DESC, s.id LIMIT ? OFFSET ?"
        found: list[tuple[str, str | None, str | None, str | None, int]] = []
        if words:
            # a text search is the costly filter: the total comes with the page (a window
            # count), so it is evaluated once
            found = self.conn.execute(
                f"SELECT s.id, s.title, s.first_date, s.last_date, COUNT(*) OVER () "
                f"FROM stories s{sql_where}{order}",
                [*params, limit, offset],
            ).fetchall()
        if found:
            total = int(found[0][4])
        else:
            # without a text search the index gives the page in order and the count cheaply,
            # where a window count would read and sort every story; a page past the end of a
            # search has no row to carry the count
            total = int(
                self.conn.execute(f"SELECT COUNT(*) FROM stories s{sql_where}", params).fetchone()[
                    0
                ]
            )
            if not words:
                found = [
                    (*row, total)
                    for row in self.conn.execute(
                        f"SELECT s.id, s.title, s.first_date, s.last_date FROM stories s"
                        f"{sql_where}{order}",
                        [*params, limit, offset],
                    )
                ]
        rows = [(r[0], r[1], r[2], r[3]) for r in found]
        return StoryPage(items=tuple(self.story_records(rows)), total=total)

    def story_records(
        self, rows: Sequence[tuple[str, str | None, str | None, str | None]]
    ) -> list[StoryRecord]:
        """(id, title, first date, last date) rows with their counts and outlets, in one query."""
        # one JSON parameter instead of one "?" per story, as in member_dates: no limit on the
        # number of stories
        stats = {
            story_id: (n, distinct, tuple(sorted(json.loads(outlets))))
            for story_id, n, distinct, outlets in self.conn.execute(
                "SELECT m.story_id, COUNT(*), "
                "COUNT(DISTINCT COALESCE(g.group_id, m.article_id)), "
                "json_group_array(DISTINCT a.outlet) FROM story_members m "
                "JOIN articles a ON a.id = m.article_id "
                "LEFT JOIN dup_groups g ON g.article_id = m.article_id "
                "WHERE m.story_id IN (SELECT value FROM json_each(?)) GROUP BY m.story_id",
                (json.dumps([row[0] for row in rows]),),
            )
        }
        records = []
        for story_id, title, first_date, last_date in rows:
            n, distinct, outlets = stats.get(story_id, (0, 0, ()))
            records.append(
                StoryRecord(
                    id=story_id,
                    title=title,
                    first_date=first_date,
                    last_date=last_date,
                    n_articles=n,
                    n_distinct=distinct,
                    outlets=outlets,
                )
            )
        return records

    def story_members(self, story_id: str) -> list[MemberRecord]:
        """A story's articles without their text, oldest first (undated last), then by id."""
        return [
            MemberRecord(id=aid, outlet=outlet, title=title, date=day, url=url)
            for aid, outlet, title, day, url in self.conn.execute(
                "SELECT a.id, a.outlet, a.title, a.date, a.url FROM story_members m "
                "JOIN articles a ON a.id = m.article_id WHERE m.story_id = ? "
                "ORDER BY a.date IS NULL, a.date, a.id",
                (story_id,),
            )
        ]

    def outlet_memberships(
        self, outlet: str
    ) -> tuple[list[tuple[str, str, str]], dict[str, str | None]]:
        """(story id, article id, outlet) of every member of the stories ``outlet`` carried
        (all outlets' members), and those stories' titles."""
        stories = (
            "SELECT m2.story_id FROM articles a2 JOIN story_members m2 "
            "ON m2.article_id = a2.id WHERE a2.outlet = ?"
        )
        rows = [
            (s, a, o)
            for s, a, o in self.conn.execute(
                "SELECT m.story_id, m.article_id, a.outlet FROM story_members m "
                f"JOIN articles a ON a.id = m.article_id WHERE m.story_id IN ({stories}) "
                "ORDER BY m.story_id, m.article_id",
                (outlet,),
            )
        ]
        titles = dict(
            self.conn.execute(f"SELECT id, title FROM stories WHERE id IN ({stories})", (outlet,))
        )
        return rows, titles

    def outlet_names(self) -> list[str]:
        """Every outlet with a stored article, sorted."""
        return [
            row[0]
            for row in self.conn.execute("SELECT DISTINCT outlet FROM articles ORDER BY outlet")
        ]

    # --- cached comparisons ---------------------------------------------------------------

    def put_comparison(self, story_id: str, comparison: Comparison) -> None:
        """Cache a story's comparison, tied to the story's current members."""
        with self.atomic():
            current = members_hash(self.story_member_ids(story_id))
            self.conn.execute(
                "INSERT OR REPLACE INTO comparisons "
                "(story_id, members_hash, schema, version, json) VALUES (?, ?, ?, ?, ?)",
                (story_id, current, SCHEMA_ID, __version__, to_json(comparison, indent=None)),
            )

    def comparison_key(self, story_id: str) -> str | None:
        """The members hash of the story's cached comparison while that cache is valid (this
        version made it and the members are the same), else None: a key for keeping the
        decoded comparison in memory."""
        row = self.conn.execute(
            "SELECT members_hash, version FROM comparisons WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None or row[1] != __version__:
            return None
        return str(row[0]) if row[0] == members_hash(self.story_member_ids(story_id)) else None

    def comparison_keys(self) -> dict[str, str]:
        """story id -> members hash of every cached comparison that is still valid (see
        ``comparison_key``), in one query and without reading the comparisons."""
        rows = self.conn.execute(
            "SELECT c.story_id, c.members_hash, group_concat(m.article_id, char(10)) "
            "FROM comparisons c JOIN story_members m ON m.story_id = c.story_id "
            "WHERE c.version = ? GROUP BY c.story_id",
            (__version__,),
        )
        return {
            str(story_id): str(cached)
            for story_id, cached, members in rows
            if cached == members_hash(members.split("\n"))
        }

    def comparisons_due(self) -> list[tuple[str, str]]:
        """(story id, members hash) of every story of two or more members without a valid
        cached comparison (see ``comparison_key``), the newest stories first."""
        rows = self.conn.execute(
            "SELECT s.id, c.members_hash, c.version, group_concat(m.article_id, char(10)) "
            "FROM stories s JOIN story_members m ON m.story_id = s.id "
            "LEFT JOIN comparisons c ON c.story_id = s.id "
            "GROUP BY s.id HAVING COUNT(*) >= 2 "
            "ORDER BY s.last_date IS NULL, s.last_date DESC, s.first_date DESC, s.id"
        )
        due = []
        for story_id, cached, version, members in rows:
            current = members_hash(members.split("\n"))
            if version != __version__ or cached != current:
                due.append((str(story_id), current))
        return due

    def get_comparison(self, story_id: str) -> Comparison | None:
        """The cached comparison, or None when there is none, or the members changed since, or
        another rashomon version made it (its results may differ)."""
        if self.comparison_key(story_id) is None:
            return None
        row = self.conn.execute(
            "SELECT json FROM comparisons WHERE story_id = ?", (story_id,)
        ).fetchone()
        if row is None:  # deleted in between
            return None
        try:
            return from_json(row[0], where=f"{self.path}:comparisons/{story_id}")
        except SchemaError as err:
            # A cache written by another version is only a miss: the comparison is recomputed.
            log.warning("ignoring cached comparison of story %s: %s", story_id, err)
            return None

    def _drop_stale_comparison(self, story_id: str) -> None:
        self.conn.execute(
            "DELETE FROM comparisons WHERE story_id = ? AND members_hash != ?",
            (story_id, members_hash(self.story_member_ids(story_id))),
        )

    # --- summary --------------------------------------------------------------------------

    def counts(self) -> StoreCounts:
        def count(sql: str) -> int:
            return int(self.conn.execute(sql).fetchone()[0])

        return StoreCounts(
            articles=count("SELECT COUNT(*) FROM articles"),
            sentences=count("SELECT COUNT(*) FROM sentences"),
            embeddings=count("SELECT COUNT(*) FROM embeddings"),
            signatures=count("SELECT COUNT(*) FROM minhash"),
            copies=count("SELECT COUNT(*) FROM copies"),
            duplicate_groups=count(
                "SELECT COUNT(*) FROM (SELECT group_id FROM dup_groups GROUP BY group_id "
                "HAVING COUNT(*) > 1)"
            ),
            stories=count("SELECT COUNT(*) FROM stories"),
            comparisons=count("SELECT COUNT(*) FROM comparisons"),
            errors=count("SELECT COUNT(*) FROM errors"),
        )


def _dedupe_entry(row: Sequence[Any]) -> DedupeEntry:
    """A dedupe entry from a row (article_id, n_shingles, signature, agency, is_agency, outlet,
    date) of the minhash table joined with articles."""
    aid, n_shingles, blob, agency, is_agency, outlet, day = row
    return DedupeEntry(
        article_id=aid,
        signature=Signature(hashvalues=blob, n_shingles=n_shingles),
        outlet=outlet,
        date=day,
        agency=agency,
        is_agency=bool(is_agency),
    )
