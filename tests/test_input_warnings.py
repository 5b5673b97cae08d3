"""An input read, but not as one would expect, says so: file and record named (fast lane).

The articles are invented.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from fake_models import fake_ingest
from rashomon.corpus.store import open_store
from rashomon.errors import InputError, InputWarning
from rashomon.inputs.files import read_path
from rashomon.settings import Settings

SETTINGS = Settings()
DESCRIPTION = "The Osk ferry will stop for two weeks while its pier is rebuilt, the port said."
BODY = "The Osk ferry stops on Monday.\nThe pier of Osk is to be rebuilt by a crew of forty."
# a news-please record whose body the crawler did not keep
EMPTY_BODY = {
    "title": "Osk ferry to pause",
    "maintext": None,
    "description": DESCRIPTION,
    "date_publish": "2025-04-02 08:00:00",
    "source_domain": "www.osk-herald.example",
}


def fallback_warning(location: str, why: str = "'maintext' is null") -> str:
    return (
        f"{location}: {why}, so its 'description' (16 words) is used as the article text; "
        "the crawler kept no body for this page"
    )


def test_a_jsonl_record_without_maintext_warns_naming_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    good = {**EMPTY_BODY, "maintext": BODY}
    path.write_text(f"{json.dumps(good)}\n{json.dumps(EMPTY_BODY)}\n", encoding="utf-8")
    first, second = read_path(path, settings=SETTINGS)
    assert first.warnings == ()
    assert second.text == DESCRIPTION
    assert second.warnings == (fallback_warning(f"{path}:2"),)


@pytest.mark.parametrize(
    ("record", "why"),
    [
        ({**EMPTY_BODY, "maintext": ""}, "'maintext' is empty"),
        ({**EMPTY_BODY, "maintext": None, "text": ""}, "'text' is empty, 'maintext' is null"),
        (
            {k: v for k, v in EMPTY_BODY.items() if k != "maintext"},
            "no text field (text, body, content, maintext)",
        ),
    ],
)
def test_a_json_item_without_text_warns_naming_the_item(
    tmp_path: Path, record: dict[str, object], why: str
) -> None:
    path = tmp_path / "crawl.json"
    path.write_text(json.dumps([{**EMPTY_BODY, "maintext": BODY}, record]), encoding="utf-8")
    _, second = read_path(path, settings=SETTINGS)
    assert second.warnings == (fallback_warning(f"{path} (item 1)", why),)


def test_ingest_stores_it_and_reports_the_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps(EMPTY_BODY) + "\n", encoding="utf-8")
    store = open_store(tmp_path / "c.db")
    with caplog.at_level(logging.WARNING, logger="rashomon.corpus.build"):
        summary = fake_ingest(
            store,
            [path],
            ingested_at="2025-04-03T00:00:00+00:00",
        )
    with store:
        assert (summary.ingested, summary.rejected, summary.not_stored) == (1, 0, 0)
        (row,) = store.errors()
        ((article_id, _),) = store.arrival_order()
        assert (row.source, row.code, row.record) == (str(path), InputWarning.code, article_id)
        assert row.reason == fallback_warning(f"{path}:1")
    assert [r.getMessage() for r in caplog.records] == [fallback_warning(f"{path}:1")]


def test_ingest_tells_the_warning_as_it_tells_rejections(tmp_path: Path) -> None:
    path = tmp_path / "crawl.jsonl"
    path.write_text(json.dumps(EMPTY_BODY) + "\n", encoding="utf-8")
    told: list[tuple[str, str, str | None]] = []

    def tell(kind: str, error: InputError, record: str | None) -> None:
        told.append((kind, str(error), record))

    store = open_store(tmp_path / "c.db")
    summary = fake_ingest(
        store,
        [path],
        ingested_at="2025-04-03T00:00:00+00:00",
        on_reject=tell,
    )
    with store:
        ((article_id, _),) = store.arrival_order()
    assert summary.ingested == 1
    assert told == [("warning", f"[W100] {fallback_warning(f'{path}:1')}", article_id)]
