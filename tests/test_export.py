"""``export``: every fact row names its story, article rows say where they were read from, and
facts of stories never opened with ``story`` are computed at export.

Runs with the fake models of ``fake_models`` (fast lane); the articles are invented.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from conftest import run_rashomon
from fake_models import FakeEmbedder, FakeParser, fake_ingest
from rashomon.analyze.align import shipped_pair_model
from rashomon.analyze.compose import compare_articles
from rashomon.corpus.export import compare_due, export_rows, stories_due, write_rows
from rashomon.corpus.store import Store, open_store
from rashomon.errors import InputError
from rashomon.inputs.files import unique_ids
from rashomon.models import Comparison
from rashomon.settings import Settings

SETTINGS = Settings()
# two stories, each told by two invented outlets
RECORDS = [
    {
        "id": "lorn-courier",
        "outlet": "Lorn Courier",
        "date": "2024-03-04",
        "title": "Lorn dam gates opened in spring flood",
        "text": "Engineers opened the four gates of the Lorn dam on Monday. "
        "The regional water board said the flood was the worst in ten years.\n"
        "Farmers downstream moved their herds to higher ground.",
    },
    {
        "id": "lorn-gazette",
        "outlet": "Valley Gazette",
        "date": "2024-03-04",
        "title": "Lorn dam gates opened as spring flood rises",
        "text": "Engineers opened the four gates of the Lorn dam on Monday. "
        "The regional water board said the flood was the worst in twenty years.\n"
        "Schools in the valley stayed closed.",
    },
    {
        "id": "osk-herald",
        "outlet": "Osk Herald",
        "date": "2024-03-05",
        "title": "Osk tram strike halts the city",
        "text": "Tram drivers in Osk walked out on Tuesday over pay. "
        "The union said nine hundred drivers joined the strike.\n"
        "Buses ran a reduced service.",
    },
    {
        "id": "osk-post",
        "outlet": "Osk Evening Post",
        "date": "2024-03-05",
        "title": "Osk tram strike halts the city centre",
        "text": "Tram drivers in Osk walked out on Tuesday over pay. "
        "The union said eight hundred drivers joined the strike.\n"
        "Shops in the centre closed early.",
    },
]


def fake_compute(store: Store, story_id: str) -> Comparison:
    """``pipeline.compare_story`` with the fake models: computed, then cached."""
    comparison = compare_articles(
        unique_ids(store.story_articles(story_id)),
        parser=FakeParser(),
        embedder=FakeEmbedder(),
        pair_model=shipped_pair_model(),
        settings=SETTINGS,
    )
    store.put_comparison(story_id, comparison)
    return comparison


@pytest.fixture
def corpus(tmp_path: Path) -> tuple[Path, Store]:
    source = tmp_path / "news.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    store = open_store(tmp_path / "corpus.db")
    summary = fake_ingest(
        store,
        [source],
        ingested_at="2024-06-01T00:00:00+00:00",
    )
    assert summary.ingested == len(RECORDS)
    return source, store


def test_article_rows_say_where_each_article_was_read_from(
    corpus: tuple[Path, Store],
) -> None:
    source, store = corpus
    with store:
        rows = list(export_rows(store, "articles"))
    assert [r["id"] for r in rows] == [r["id"] for r in RECORDS]
    assert {r["source"] for r in rows} == {str(source)}


def test_facts_of_stories_never_compared_are_computed_and_name_their_story(
    corpus: tuple[Path, Store],
) -> None:
    _, store = corpus
    with store:
        due = stories_due(store)
        assert len(due) == 2  # two stories of two outlets, neither opened with `story`
        assert list(export_rows(store, "facts")) == []  # what an export gave before
        seen: list[tuple[int, int]] = []
        outcome = compare_due(store, fake_compute, on_progress=lambda d, t: seen.append((d, t)))
        assert (outcome.compared, outcome.failed) == (2, [])
        assert seen == [(1, 2), (2, 2)]
        assert stories_due(store) == []
        rows = list(export_rows(store, "facts"))
        members = {s: set(store.story_member_ids(s)) for s in due}
    assert rows
    assert {r["story"] for r in rows} == set(due)
    for row in rows:
        assert set(str(row["story_articles"]).split(",")) == members[str(row["story"])]


def test_a_story_that_cannot_be_compared_is_listed_and_the_others_go_on(
    corpus: tuple[Path, Store],
) -> None:
    _, store = corpus
    with store:
        due = stories_due(store)

        def flaky(s: Store, story_id: str) -> Comparison:
            if story_id == due[0]:
                raise InputError(story_id, "broken on purpose")
            return fake_compute(s, story_id)

        outcome = compare_due(store, flaky)
        assert outcome.compared == 1
        ((story, error),) = outcome.failed
        assert story == due[0]
        assert "broken on purpose" in str(error)
        assert {r["story"] for r in export_rows(store, "facts")} == {due[1]}


def test_the_csv_export_of_facts_has_a_story_column(
    corpus: tuple[Path, Store], tmp_path: Path
) -> None:
    _, store = corpus
    out = tmp_path / "facts.csv"
    with store:
        compare_due(store, fake_compute)
        n = write_rows(export_rows(store, "facts"), out, "csv")
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n > 0
    assert list(rows[0])[:2] == ["story", "story_articles"]


def test_export_cached_only_says_how_many_stories_it_left_out(
    corpus: tuple[Path, Store], tmp_path: Path
) -> None:
    _, store = corpus
    db = Path(store.path)
    store.close()
    out = tmp_path / "facts.jsonl"
    result = run_rashomon("export", "--db", db, "--what", "facts", "--cached-only", "-o", out)
    assert result.returncode == 0, result.stderr
    assert out.read_text(encoding="utf-8") == ""
    message = " ".join(result.stderr.split())
    assert "left out 2 stories not compared yet (run without --cached-only" in message
    assert "wrote 0 facts rows" in message


def test_export_takes_the_format_from_the_output_suffix(
    corpus: tuple[Path, Store], tmp_path: Path
) -> None:
    _, store = corpus
    db = Path(store.path)
    store.close()
    out = tmp_path / "articles.jsonl"
    result = run_rashomon("export", "--db", db, "--what", "articles", "-o", out)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [r["id"] for r in RECORDS]
    refused = run_rashomon("export", "--db", db, "-f", "csv", "-o", tmp_path / "x.parquet")
    assert refused.returncode == 2
    assert "the file name says parquet but --format is csv" in " ".join(refused.stderr.split())


def test_an_article_row_written_before_source_was_exported_still_ingests(tmp_path: Path) -> None:
    # rashomon/article@1 rows of older exports have no `source`: the column is an addition
    row = {"schema": "rashomon/article@1", **RECORDS[0]}
    path = tmp_path / "old-export.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "c.db")
    with store:
        summary = fake_ingest(
            store,
            [path],
            ingested_at="2024-06-01T00:00:00+00:00",
        )
        assert (summary.ingested, summary.rejected) == (1, 0)
        (exported,) = export_rows(store, "articles")
    assert exported["source"] == str(path)
    assert exported["title"] == RECORDS[0]["title"]
