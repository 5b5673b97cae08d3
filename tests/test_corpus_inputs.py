"""Ingest from CSV with a column map, and a bad row that lands in the errors table."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import FIXTURES
from rashomon.corpus.build import LocalPreparer, ingest
from rashomon.corpus.store import open_store
from rashomon.nlp import Embedder, TextParser
from rashomon.settings import Settings


def test_csv_with_a_column_map_is_ingested_and_a_bad_row_recorded(
    tmp_path: Path, parser: TextParser, embedder: Embedder
) -> None:
    records = [
        json.loads(line)
        for line in (FIXTURES / "quotes" / "articles.jsonl").read_text("utf-8").splitlines()[:3]
    ]
    path = tmp_path / "feed.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["headline", "body", "published", "site"])
        for r in records:
            writer.writerow([r["title"], r["text"], r["date"], r["outlet"]])
        writer.writerow(["No body here", "", "2025-01-01", "Nowhere Daily"])
    with open_store(tmp_path / "corpus.db") as store:
        summary = ingest(
            store,
            [path],
            settings=Settings(),
            preparer=LocalPreparer(parser, embedder),
            ingested_at="2025-01-01T00:00:00+00:00",
            column_map={"text": "body", "title": "headline", "date": "published", "outlet": "site"},
        )
        assert (summary.ingested, summary.rejected, summary.already_stored) == (3, 1, 0)
        stored = {store.get_article(a).outlet for _, a, _ in store.memberships()}  # type: ignore[union-attr]
        assert stored == {r["outlet"] for r in records}
        (error,) = store.errors()
        # the texts span several physical lines; the bad row is the file's last line
        last_line = len(path.read_text("utf-8").splitlines())
        assert (error.source, error.line) == (str(path), last_line)
