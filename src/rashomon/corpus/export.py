"""Corpus exports: stories, articles, facts or quotes as rows (CSV, JSONL or Parquet)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rashomon.corpus.store import Store
from rashomon.errors import ConfigError, NotEnoughArticlesError, RashomonError
from rashomon.inputs.records import ARTICLE_SCHEMA_ID
from rashomon.models import Comparison
from rashomon.report.quotes import quote_row

What = Literal["stories", "articles", "facts", "quotes"]
Row = dict[str, object]
# story -> its comparison, computed now and cached in the store (pipeline.compare_story)
Compute = Callable[[Store, str], Comparison]


@dataclass(slots=True)
class Compared:
    """What ``compare_due`` did: stories compared now, and those that could not be."""

    compared: int = 0
    failed: list[tuple[str, RashomonError]] = field(default_factory=list)


def stories_due(store: Store) -> list[str]:
    """The stories of two or more articles without a valid cached comparison, newest first:
    their facts and quotes are not in an export until they are compared."""
    return [story_id for story_id, _ in store.comparisons_due()]


def compare_due(
    store: Store,
    compute: Compute,
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> Compared:
    """Compare (and cache) every story ``stories_due`` names, so an export has its facts.

    A story that cannot be compared is listed in ``failed`` and the others go on.
    ``on_progress(done, total)`` is called after each story.

    Raises:
        ConfigError: a model is missing or broken (every story would fail the same way).
    """
    due = stories_due(store)
    outcome = Compared()
    for done, story_id in enumerate(due, start=1):
        try:
            compute(store, story_id)
            outcome.compared += 1
        except NotEnoughArticlesError:
            pass  # one distinct article: no facts to export, as for any one-article story
        except ConfigError:
            raise
        except RashomonError as err:
            outcome.failed.append((story_id, err))
        if on_progress:
            on_progress(done, len(due))
    return outcome


def export_rows(store: Store, what: What) -> Iterator[Row]:
    """The rows of one export; facts and quotes come from the stories compared so far
    (``compare_due`` compares the others).

    Article rows come in arrival order, with the text as stored, where it was read from
    (``source``) and ``"schema": "rashomon/article@1"``, so ``rashomon ingest`` of the export
    rebuilds the same corpus. Fact rows name their story (``story``).
    """
    if what == "stories":
        for s in store.list_stories():
            yield s.flat_row()
    elif what == "articles":
        # In arrival order, with the text as stored and a schema that tells the readers so:
        # ingesting the export into a new corpus gives the same articles and the same stories.
        for article_id, story_id in store.arrival_order():
            article = store.get_article(article_id)
            if article is not None:
                yield {
                    "schema": ARTICLE_SCHEMA_ID,
                    "id": article.id,
                    "story": story_id,
                    "outlet": article.outlet,
                    "title": article.title,
                    "date": article.date,
                    "url": article.url,
                    "source": article.source,
                    "author": article.author,
                    "duplicate_group": store.group_of(article.id),
                    "text": article.text,
                }
    else:
        for story_id, comparison in store.cached_story_comparisons():
            yield from (_facts(story_id, comparison) if what == "facts" else _quotes(comparison))


def _facts(story_id: str, c: Comparison) -> Iterator[Row]:
    texts = {s.id: s.text for a in c.articles for s in a.sentences}
    articles = ",".join(a.id for a in c.articles)
    for fact in c.facts:
        yield {
            "story": story_id,
            "story_articles": articles,
            "fact": fact.id,
            "status": fact.status,
            "outlets": "; ".join(fact.outlets),
            "sentences": "; ".join(fact.sentences),
            "text": " | ".join(texts[s] for s in fact.sentences),
        }


def _quotes(c: Comparison) -> Iterator[Row]:
    outlet_of = {a.id: a.outlet for a in c.articles}
    for q in c.quotes:
        yield quote_row(q, outlet_of[q.article])


def write_rows(rows: Iterable[Row], path: Path, fmt: Literal["csv", "jsonl", "parquet"]) -> int:
    """Write rows to a file; return how many were written."""
    materialized = list(rows)
    if fmt == "jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in materialized:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    elif fmt == "csv":
        with path.open("w", encoding="utf-8", newline="") as fh:
            fields = list(materialized[0]) if materialized else ["id"]
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(materialized)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(materialized), path)
    return len(materialized)
