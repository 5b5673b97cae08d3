"""Corpus mode: ingest articles into the store, dedupe wire copies, cluster stories.

Every article is written in one transaction with its sentences, signature, duplicate group,
clustering features and story membership, so a run killed at any point leaves a consistent
store; running the same ingest again skips what is stored and ends with the same corpus as an
uninterrupted run (the dedupe and story indexes are rebuilt from the store in arrival order).
"""

from __future__ import annotations

import ctypes
import dataclasses
import functools
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from rashomon.analyze.segment import segment_article
from rashomon.corpus.cluster import (
    ArticleFeatures,
    ClusterParams,
    StoryIndex,
    names_in,
    parse_date,
    title_and_lead,
)
from rashomon.corpus.dedupe import DedupeEntry, DedupeIndex, DedupeUpdate, make_entry
from rashomon.corpus.lock import writer_lock
from rashomon.corpus.store import ClusterRow, Store
from rashomon.errors import InputError, InputWarning, RashomonError
from rashomon.inputs.feeds import fetch_feed_articles
from rashomon.inputs.files import iter_path
from rashomon.inputs.text import check_unicode
from rashomon.inputs.walk import walk_folder
from rashomon.models import Article
from rashomon.nlp import Embedder, FloatArray, ParsedText, TextParser
from rashomon.settings import Settings

log = logging.getLogger(__name__)

LEAD_CHARS = 400
_M_MMAP_THRESHOLD = -3  # mallopt's parameter number (glibc malloc.h)
_MMAP_THRESHOLD_BYTES = 128 * 1024


# told of each input not stored: (kind, error, record id); kind is "rejected", "skipped" or
# "id conflict", the counter of IngestSummary it adds to
OnReject = Callable[[str, InputError, str | None], None]


@dataclass(slots=True)
class IngestSummary:
    """What a run did with every article it read; each one not stored is counted here.

    ``ingested`` articles were stored, ``wire_copies`` of them as near-duplicates of an
    earlier one. ``already_stored`` had the same id (or URL) and the same text as an article
    stored before or earlier in the run. ``id_conflicts`` reused a stored id (or URL) with a
    different text and ``rejected`` could not be read or prepared: both are in the ``errors``
    table, as are the ``skipped`` files of a folder (unsupported types, symlink loops).
    """

    ingested: int = 0
    wire_copies: int = 0
    already_stored: int = 0
    id_conflicts: int = 0
    rejected: int = 0
    skipped: int = 0
    stories: int = 0

    @property
    def not_stored(self) -> int:
        """Inputs that went to the errors table instead of the corpus."""
        return self.id_conflicts + self.rejected + self.skipped


def expand_inputs(inputs: Sequence[str | Path]) -> Iterator[Path | InputError]:
    """Files named, and the article files under folders named (recursive, sorted), with an
    InputError for each file of a folder that is not read (see ``inputs.walk``)."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from walk_folder(path)
        else:
            yield path


def rebuild_indexes(
    store: Store, *, params: ClusterParams | None = None, horizon_days: float | None = None
) -> tuple[DedupeIndex, StoryIndex]:
    """The dedupe and story indexes as they stood after the last stored article.

    The stored articles are replayed in arrival order, each as ``_apply`` added it (taking
    back from the store what a late one needs, from the articles stored before it), so a
    resumed ingest holds what an uninterrupted one would, and no more.

    Args:
        params: how stories are formed. Give the ones the corpus was built with: the stored
            story memberships are not redone, so a replay with another window can group the
            new articles differently from the stored ones.
        horizon_days: see ``Settings.horizon_days`` (None: keep everything).
    """
    dedupe = DedupeIndex(horizon_days=horizon_days)
    stories = StoryIndex(params, horizon_days=horizon_days)
    entries = store.iter_dedupe_entries()  # arrival order too; any without features first
    for row in store.iter_cluster_features():
        for entry in entries:
            _add_entry(store, dedupe, entry, before_seq=row.seq)
            if entry.article_id == row.article_id:
                break
        _add_features(store, stories, _stored_features(row), before_seq=row.seq)
    for entry in entries:
        _add_entry(store, dedupe, entry, before_seq=None)
    return dedupe, stories


def _stored_features(row: ClusterRow) -> ArticleFeatures:
    return ArticleFeatures(
        id=row.article_id,
        vector=np.frombuffer(row.vector, dtype=np.float32),
        entities=frozenset(row.entities),
        date=parse_date(row.date),
        title=row.title,
        dedupe_group=row.dedupe_group,
    )


def _add_entry(
    store: Store, dedupe: DedupeIndex, entry: DedupeEntry, *, before_seq: int | None
) -> DedupeUpdate:
    """``dedupe.add``, after taking back the copies of a late article's days."""
    days = dedupe.forgotten_days(entry.date)
    if days is not None:
        first, last = (d.isoformat() for d in days)
        stored = store.dedupe_entries_between(first, last, before_seq=before_seq)
        dedupe.restore(entry.date, stored)
    return dedupe.add(entry)


def _add_features(
    store: Store, stories: StoryIndex, features: ArticleFeatures, *, before_seq: int | None
) -> str:
    """``stories.add``, after taking back the stories a late article can join."""
    days = stories.forgotten_days(features.date)
    if days is not None:
        assert features.date is not None
        first, last = (d.isoformat() for d in days)
        stored = store.cluster_features_between(first, last, before_seq=before_seq)
        stories.restore(features.date, [(story, _stored_features(row)) for story, row in stored])
    (story_id,) = stories.add([features])
    return story_id


def _features(
    article: Article, parsed: ParsedText, vector: FloatArray, group: str
) -> ArticleFeatures:
    """What clustering sees of an article: the same as ``cluster.describe_articles`` gives."""
    title, _ = title_and_lead(article, lead_chars=LEAD_CHARS)
    return ArticleFeatures(
        id=article.id,
        vector=vector.astype(np.float32),
        entities=names_in(parsed),
        date=parse_date(article.date),
        title=title or None,
        dedupe_group=group,
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class Prepared:
    """The per-article work of a batch, done where the models are (here or a Dask worker)."""

    articles: tuple[Article, ...]  # segmented, one per distinct text
    parsed: tuple[ParsedText, ...]
    vectors: FloatArray  # title + lead embeddings
    entries: tuple[DedupeEntry, ...]  # MinHash signatures
    failed: tuple[InputError, ...] = ()  # articles the work broke on (see ``prepare_batch``)


def prepare_batch(batch: Sequence[Article], *, parser: TextParser, embedder: Embedder) -> Prepared:
    """Parse, segment, embed and sign a batch of articles (pure given the models).

    When the batch as a whole fails, each article is prepared alone, and the ones that still
    fail come back in ``failed`` (an error naming the file and the article), so one article
    that breaks a model never sinks the others.
    """
    unique = list({a.id: a for a in reversed(batch)}.values())[::-1]
    try:
        return _prepare(unique, parser=parser, embedder=embedder)
    except Exception as err:  # retried one by one below, which names the culprit
        if not _is_about_one_record(err):
            raise
        log.debug("a batch of %d articles failed; preparing them one by one", len(unique))
    parts: list[Prepared] = []
    failed: list[InputError] = []
    for article in unique:
        try:
            parts.append(_prepare([article], parser=parser, embedder=embedder))
        except Exception as err:  # recorded in the errors table by ingest
            if not _is_about_one_record(err):
                raise
            log.debug("article %s failed", article.id, exc_info=True)
            failed.append(
                InputError.unexpected(err, article.source or "ingest", what=f"article {article.id}")
            )
    dim = parts[0].vectors.shape[1] if parts else 0
    return Prepared(
        articles=tuple(a for p in parts for a in p.articles),
        parsed=tuple(d for p in parts for d in p.parsed),
        vectors=np.concatenate([p.vectors for p in parts])
        if parts
        else np.zeros((0, dim), dtype=np.float32),
        entries=tuple(e for p in parts for e in p.entries),
        failed=tuple(failed),
    )


def _is_about_one_record(err: Exception) -> bool:
    """Whether a failure is one record's, to record and go on; else it is the machine's, the
    file's or the set-up's (memory, disk, a missing model or package), and every next record
    would fail the same way."""
    if isinstance(err, MemoryError | ImportError | sqlite3.OperationalError):
        return False
    return not isinstance(err, RashomonError) or isinstance(err, InputError)


def _prepare(articles: Sequence[Article], *, parser: TextParser, embedder: Embedder) -> Prepared:
    parsed = parser.parse([a.text for a in articles])
    segmented = [segment_article(a, p) for a, p in zip(articles, parsed, strict=True)]
    heads = [title_and_lead(a, lead_chars=LEAD_CHARS) for a in segmented]
    vectors = embedder.encode([f"{t}\n{lead}".strip() for t, lead in heads])
    return Prepared(
        articles=tuple(segmented),
        parsed=tuple(parsed),
        vectors=vectors,
        entries=tuple(make_entry(a) for a in segmented),
    )


class Preparer(Protocol):
    """Turns batches into Prepared batches, in the order given."""

    def map(self, batches: Iterable[list[Article]]) -> Iterator[Prepared]: ...


@dataclass(frozen=True, slots=True)
class LocalPreparer:
    parser: TextParser
    embedder: Embedder

    def map(self, batches: Iterable[list[Article]]) -> Iterator[Prepared]:
        for batch in batches:
            yield prepare_batch(batch, parser=self.parser, embedder=self.embedder)


def ingest(
    store: Store,
    inputs: Sequence[str | Path],
    *,
    settings: Settings,
    preparer: Preparer,
    ingested_at: str,
    batch_size: int = 32,
    on_progress: Callable[[int], None] | None = None,
    feeds: Sequence[str] = (),
    column_map: Mapping[str, str] | None = None,
    on_reject: OnReject | None = None,
) -> IngestSummary:
    """Ingest files, folders and feeds into the store; bad records go to the errors table
    (and to ``on_reject``, as they are recorded).

    The per-article work runs in ``preparer`` (here, or on a Dask cluster); the store, the
    dedupe index and the story index are written here, one article after the other, so every
    engine gives the same corpus. Articles are streamed a batch at a time, and both indexes
    forget what is more than ``settings.horizon_days`` older than the newest date ingested,
    so memory does not grow with the corpus (undated articles are the exception: kept).

    Raises:
        InputError: another ingest holds the corpus's writer lock (``corpus.lock``).
    """
    with writer_lock(store.path):
        return _ingest(
            store,
            inputs,
            settings=settings,
            preparer=preparer,
            ingested_at=ingested_at,
            batch_size=batch_size,
            on_progress=on_progress,
            feeds=feeds,
            column_map=column_map,
            on_reject=on_reject,
        )


def _ingest(
    store: Store,
    inputs: Sequence[str | Path],
    *,
    settings: Settings,
    preparer: Preparer,
    ingested_at: str,
    batch_size: int,
    on_progress: Callable[[int], None] | None,
    feeds: Sequence[str],
    column_map: Mapping[str, str] | None,
    on_reject: OnReject | None,
) -> IngestSummary:
    summary = IngestSummary()
    _keep_large_buffers_out_of_the_heap()
    indexes = _Indexes(
        params=ClusterParams(window_days=settings.window_days), horizon_days=settings.horizon_days
    )
    indexes.rebuild(store)
    items = _items(inputs, feeds, settings=settings, column_map=column_map)
    batches = _batches(store, items, batch_size=batch_size, summary=summary, tell=on_reject)
    for prepared in preparer.map(batches):
        _apply(store, prepared, indexes, ingested_at, summary, on_reject)
        _return_freed_memory()
        if on_progress:
            on_progress(len(prepared.articles) + len(prepared.failed))
    summary.stories = len(indexes.stories)
    return summary


@dataclass(slots=True)
class _Indexes:
    """The dedupe and story indexes of a run, rebuilt from the store when an article fails
    half-way (its work in the indexes is then undone with it)."""

    params: ClusterParams
    horizon_days: float | None
    dedupe: DedupeIndex = dataclasses.field(init=False)
    stories: StoryIndex = dataclasses.field(init=False)

    def rebuild(self, store: Store) -> None:
        self.dedupe, self.stories = rebuild_indexes(
            store, params=self.params, horizon_days=self.horizon_days
        )


def _keep_large_buffers_out_of_the_heap() -> None:
    """Fix glibc's mmap threshold at its default, 128 KiB (glibc only; the user's wins).

    glibc raises the threshold after each large block it frees, up to 32 MiB, so the
    parser's and the embedder's buffers (100-150 MB for a batch of 32 articles) move into its
    heaps, where freed pages stay resident and fragment, and the peak resident size climbs
    with the batches seen. A fixed threshold keeps them in mappings of their own, unmapped
    when freed. On bench_ingest.py's articles, with ``_return_freed_memory`` after each batch,
    the peak went from 785 MB after 128 articles to 868 MB after 925 with the moving
    threshold, and from 760 MB to 776 MB with the fixed one. The price is time: parsing,
    embedding and signing 320 articles took 242 s instead of 217 s, and 260 s instead of 232 s,
    in two runs side by side on a busy 2-core machine (about 12% more).
    """
    libc = _glibc()
    if libc is not None and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD_BYTES)


def _return_freed_memory() -> None:
    """Hand the pages of the batch's freed buffers back to the system (glibc only).

    What glibc's heaps still hold after a batch (small blocks, and large ones freed before
    ``_keep_large_buffers_out_of_the_heap``) stays resident until trimmed: on bench_ingest.py's
    articles, with the indexes already forgetting but the moving mmap threshold, the resident
    size between batches climbed from 767 MB after 128 articles to 867 MB after 1,404, while
    glibc's bytes in use grew by 2 MB; trimmed, from 636 to 651 MB. ``malloc_trim(0)`` took
    1-14 ms after a batch of 32 articles.
    """
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else None (musl, macOS...)."""
    try:
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # TypeError: Windows wants a library name
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def _items(
    inputs: Sequence[str | Path],
    feeds: Sequence[str],
    *,
    settings: Settings,
    column_map: Mapping[str, str] | None,
) -> Iterator[Article | InputError | _Skipped]:
    """Articles and rejections of every input file, then of every feed, streamed."""
    for path in expand_inputs(inputs):
        if isinstance(path, InputError):
            yield _Skipped(path)
        else:
            yield from iter_path(path, settings=settings, column_map=column_map)
    for feed in feeds:
        articles, errors = fetch_feed_articles(feed, settings=settings)
        yield from errors
        yield from articles


@dataclass(frozen=True, slots=True)
class _Skipped:
    """A file of a folder that is not read (an unsupported type, a symlink loop...)."""

    error: InputError


def _batches(
    store: Store,
    items: Iterable[Article | InputError | _Skipped],
    *,
    batch_size: int,
    summary: IngestSummary,
    tell: OnReject | None,
) -> Iterator[list[Article]]:
    batch: list[Article] = []
    by_id: dict[str, Article] = {}  # the batch's articles, by id and by URL
    by_url: dict[str, Article] = {}
    for item in items:
        if isinstance(item, _Skipped):
            _reject(store, item.error, kind="skipped", tell=tell)
            summary.skipped += 1
            continue
        if isinstance(item, Article):
            item = _storable(item)
        if isinstance(item, InputError):
            _reject(store, item, kind="rejected", tell=tell)
            summary.rejected += 1
            continue
        earlier = by_id.get(item.id) or (by_url.get(item.url) if item.url else None)
        known = (earlier.id, earlier.text) if earlier else store.find_article(item.id, url=item.url)
        if known is not None:
            _count_known(store, item, known, summary, tell)
            continue
        _warn(store, item, tell)
        batch.append(item)
        by_id[item.id] = item
        if item.url:
            by_url[item.url] = item
        if len(batch) >= batch_size:
            yield batch
            batch, by_id, by_url = [], {}, {}
    if batch:
        yield batch


def _count_known(
    store: Store,
    article: Article,
    known: tuple[str, str],
    summary: IngestSummary,
    tell: OnReject | None,
) -> None:
    """An article whose id or URL is stored (or earlier in the run): the same text is counted
    as already stored; another text is an id conflict, recorded in the errors table."""
    known_id, known_text = known
    if known_text == article.text:
        summary.already_stored += 1
        return
    if known_id == article.id:
        problem = f"id '{article.id}' is already used by an article with another text"
        fix = "Give each article its own id, or leave 'id' out to get a hash of the text"
    else:
        problem = f"URL {article.url} is already stored as article '{known_id}', with another text"
        fix = "Give each version its own URL, or ingest the new version into another corpus"
    where = article.source or "ingest"
    error = InputError(where, f"{problem}; not stored", fix)
    _reject(store, error, record=article.id, kind="id conflict", tell=tell)
    summary.id_conflicts += 1


_TEXT_FIELDS = ("id", "text", "outlet", "title", "date", "source", "url", "author")


def _storable(article: Article) -> Article | InputError:
    """The article, or the error of a field no UTF-8 can encode (a lone surrogate)."""
    where = article.source or "ingest"
    try:
        for name in _TEXT_FIELDS:
            value = getattr(article, name)
            if value is not None:
                check_unicode(value, name=name, where=where)
    except InputError as err:
        return err if name == "id" else InputError(where, f"article {article.id}: {err.problem}")
    return article


def _warn(store: Store, article: Article, tell: OnReject | None) -> None:
    """An article stored with a warning (its description stands in for its text...): kept in
    the errors table under code W100 beside the rejections, and told like them (else logged)."""
    for text in article.warnings:
        warning = InputWarning(text, where=article.source or "ingest")
        store.record_error(
            source=warning.where, code=warning.code, reason=warning.problem, record=article.id
        )
        if tell is not None:
            tell("warning", warning, article.id)
        else:
            log.warning("%s", text)


def _reject(
    store: Store,
    error: InputError,
    *,
    kind: str,
    tell: OnReject | None,
    record: str | None = None,
) -> None:
    store.record_error(
        source=error.where, line=error.line, code=error.code, reason=error.problem, record=record
    )
    if tell is not None:
        tell(kind, error, record)


def _apply(
    store: Store,
    prepared: Prepared,
    indexes: _Indexes,
    ingested_at: str,
    summary: IngestSummary,
    tell: OnReject | None,
) -> None:
    for error in prepared.failed:
        _reject(store, error, kind="rejected", tell=tell)
        summary.rejected += 1
    for n, (article, doc) in enumerate(zip(prepared.articles, prepared.parsed, strict=True)):
        known = store.find_article(article.id, url=article.url)  # batches in flight (Dask)
        if known is not None:
            _count_known(store, article, known, summary, tell)
            continue
        try:
            is_copy = _store_article(store, article, doc, n, prepared, indexes, ingested_at)
        except Exception as err:
            if not _is_about_one_record(err):
                raise
            log.debug("article %s could not be stored", article.id, exc_info=True)
            error = InputError.unexpected(
                err, article.source or "ingest", what=f"article {article.id}"
            )
            _reject(store, error, record=article.id, kind="rejected", tell=tell)
            summary.rejected += 1
            indexes.rebuild(store)  # undo what the indexes took of it
            continue
        summary.ingested += 1
        summary.wire_copies += is_copy


def _store_article(
    store: Store,
    article: Article,
    doc: ParsedText,
    n: int,
    prepared: Prepared,
    indexes: _Indexes,
    ingested_at: str,
) -> bool:
    """Add one prepared article to the indexes and, in one transaction, to the store; return
    whether it is a near-duplicate of an article stored before."""
    dedupe, stories = indexes.dedupe, indexes.stories
    entry = prepared.entries[n]
    update = _add_entry(store, dedupe, entry, before_seq=None)
    features = _features(article, doc, prepared.vectors[n], update.group_id)
    story_id = _add_features(store, stories, features, before_seq=None)
    story = stories.story_with(article.id)
    with store.atomic():
        store.add_article(article, ingested_at=ingested_at)
        store.put_signature(entry)
        store.set_duplicates(update.members, update.group_id, update.copies)
        store.put_cluster_features(
            article.id,
            vector=features.vector.tobytes(),
            entities=sorted(features.entities),
            day=article.date,
            title=features.title,
            dedupe_group=update.group_id,
        )
        store.upsert_story(
            story_id,
            title=story.title,
            first_date=story.first_date.isoformat() if story.first_date else None,
            last_date=story.last_date.isoformat() if story.last_date else None,
        )
        store.add_story_members(story_id, [article.id])
    return bool(update.neighbors)
