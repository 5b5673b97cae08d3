"""Corpus exports: stories, articles, facts or quotes as rows (CSV, JSONL or Parquet)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from rashomon.corpus.store import Store
from rashomon.inputs.records import ARTICLE_SCHEMA_ID
from rashomon.models import Comparison
from rashomon.report.quotes import quote_row

What = Literal["stories", "articles", "facts", "quotes"]
Row = dict[str, object]


def export_rows(store: Store, what: What) -> Iterator[Row]:
    """The rows of one export; facts and quotes come from the stories compared so far.

    Article rows come in arrival order, with the text as stored and ``"schema":
    "rashomon/article@1"``, so ``rashomon ingest`` of the export rebuilds the same corpus.
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
                    "author": article.author,
                    "duplicate_group": store.group_of(article.id),
                    "text": article.text,
                }
    else:
        for comparison in store.cached_comparisons():
            yield from (_facts(comparison) if what == "facts" else _quotes(comparison))


def _facts(c: Comparison) -> Iterator[Row]:
    texts = {s.id: s.text for a in c.articles for s in a.sentences}
    articles = ",".join(a.id for a in c.articles)
    for fact in c.facts:
        yield {
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
