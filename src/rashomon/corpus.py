"""Corpus mode: ingest articles into the store, dedupe wire copies, cluster stories.

Every article is written in one transaction with its sentences, signature, duplicate group,
clustering features and story membership, so a run killed at any point leaves a consistent
store; running the same ingest again skips what is stored and ends with the same corpus as an
uninterrupted run (the dedupe and story indexes are rebuilt from the store in arrival order).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from rashomon.cluster import (
    ArticleFeatures,
    ClusterParams,
    StoryIndex,
    names_in,
    parse_date,
    title_and_lead,
)
from rashomon.dedupe import DedupeEntry, DedupeIndex, make_entry
from rashomon.errors import InputError
from rashomon.feeds import fetch_feed_articles
from rashomon.models import Article
from rashomon.nlp import Embedder, FloatArray, ParsedText, TextParser
from rashomon.readers import is_archive, iter_path
from rashomon.segment import segment_article
from rashomon.settings import Settings
from rashomon.store import Store

log = logging.getLogger(__name__)

SUFFIXES = {
    ".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl", ".ndjson", ".csv", ".tsv",
    ".parquet",
}  # fmt: skip
LEAD_CHARS = 400


@dataclass(slots=True)
class IngestSummary:
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    stories: int = 0


def expand_inputs(inputs: Sequence[str | Path]) -> Iterator[Path]:
    """Files named, and the article files under folders named (recursive, sorted)."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and (p.suffix.lower() in SUFFIXES or is_archive(p))
            )
        else:
            yield path


def rebuild_indexes(
    store: Store, *, params: ClusterParams | None = None
) -> tuple[DedupeIndex, StoryIndex]:
    """The dedupe and story indexes as they stood after the last stored article.

    Args:
        params: how stories are formed. Give the ones the corpus was built with: the stored
            story memberships are not redone, so a replay with another window can group the
            new articles differently from the stored ones.
    """
    dedupe = DedupeIndex()
    for entry in store.iter_dedupe_entries():
        dedupe.add(entry)
    stories = StoryIndex(params)
    for article_id, vector, entities, day, title, group in store.iter_cluster_features():
        stories.add(
            [
                ArticleFeatures(
                    id=article_id,
                    vector=np.frombuffer(vector, dtype=np.float32),
                    entities=frozenset(entities),
                    date=parse_date(day),
                    title=title,
                    dedupe_group=group,
                )
            ]
        )
    return dedupe, stories


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


def prepare_batch(batch: Sequence[Article], *, parser: TextParser, embedder: Embedder) -> Prepared:
    """Parse, segment, embed and sign a batch of articles (pure given the models)."""
    unique = list({a.id: a for a in reversed(batch)}.values())[::-1]
    parsed = parser.parse([a.text for a in unique])
    segmented = [segment_article(a, p) for a, p in zip(unique, parsed, strict=True)]
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
) -> IngestSummary:
    """Ingest files, folders and feeds into the store; bad records go to the errors table.

    The per-article work runs in ``preparer`` (here, or on a Dask cluster); the store, the
    dedupe index and the story index are written here, one article after the other, so every
    engine gives the same corpus.
    """
    summary = IngestSummary()
    dedupe, stories = rebuild_indexes(store, params=ClusterParams(window_days=settings.window_days))
    items = _items(inputs, feeds, settings=settings, column_map=column_map)
    batches = _batches(store, items, batch_size=batch_size, summary=summary)
    for prepared in preparer.map(batches):
        _apply(store, prepared, dedupe, stories, ingested_at, summary)
        if on_progress:
            on_progress(len(prepared.articles))
    summary.stories = len(stories)
    return summary


def _items(
    inputs: Sequence[str | Path],
    feeds: Sequence[str],
    *,
    settings: Settings,
    column_map: Mapping[str, str] | None,
) -> Iterator[Article | InputError]:
    """Articles and rejections of every input file, then of every feed, streamed."""
    for path in expand_inputs(inputs):
        yield from iter_path(path, settings=settings, column_map=column_map)
    for feed in feeds:
        articles, errors = fetch_feed_articles(feed, settings=settings)
        yield from errors
        yield from articles


def _batches(
    store: Store,
    items: Iterable[Article | InputError],
    *,
    batch_size: int,
    summary: IngestSummary,
) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        if isinstance(item, InputError):
            _reject(store, item)
            summary.rejected += 1
            continue
        if store.has_article(item.id, url=item.url):
            summary.duplicates += 1
            continue
        batch.append(item)
        if len(batch) >= batch_size:
            yield batch
            batch = []
    if batch:
        yield batch


def _reject(store: Store, error: InputError) -> None:
    store.record_error(
        source=error.where, line=error.line, code=error.code, reason=error.problem, record=None
    )


def _apply(
    store: Store,
    prepared: Prepared,
    dedupe: DedupeIndex,
    stories: StoryIndex,
    ingested_at: str,
    summary: IngestSummary,
) -> None:
    for n, (article, doc) in enumerate(zip(prepared.articles, prepared.parsed, strict=True)):
        if store.has_article(article.id, url=article.url):
            summary.duplicates += 1
            continue
        entry = prepared.entries[n]
        update = dedupe.add(entry)
        features = _features(article, doc, prepared.vectors[n], update.group_id)
        (story_id,) = stories.add([features])
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
        summary.ingested += 1
