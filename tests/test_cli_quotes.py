"""`rashomon quotes`: the quotes table of one or more articles, as a user runs it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import EXAMPLES
from test_cli import run

pytestmark = pytest.mark.models

COURIER = EXAMPLES / "daily-courier.json"


@pytest.fixture(scope="module")
def courier_json(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    result = run("quotes", COURIER, "--format", "json", cwd=tmp_path_factory.mktemp("q"))
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_a_single_article_gives_its_quotes_with_article_ids(
    courier_json: dict[str, object],
) -> None:
    assert courier_json["schema"] == "rashomon/quotes@1"
    articles = courier_json["articles"]
    assert isinstance(articles, list)
    (article,) = articles
    quotes = courier_json["quotes"]
    assert isinstance(quotes, list)
    assert quotes
    text = json.loads(COURIER.read_text(encoding="utf-8"))["text"]
    for quote in quotes:
        assert quote["article"] == article["id"]
        assert quote["kind"] in {"direct", "reported"}
        assert quote["text"] in text
        assert quote["id"].startswith(article["id"] + ":q")


def test_the_fire_chief_is_credited_with_his_direct_quote(courier_json: dict[str, object]) -> None:
    quotes = courier_json["quotes"]
    assert isinstance(quotes, list)
    credited = {(q["speaker"], q["text"]) for q in quotes if q["kind"] == "direct"}
    assert ("Marco Ruiz", "We had crews inside within eleven minutes") in credited


def test_csv_has_one_row_per_quote(tmp_path: Path, courier_json: dict[str, object]) -> None:
    result = run("quotes", COURIER, "--format", "csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    quotes = courier_json["quotes"]
    assert isinstance(quotes, list)
    assert [r["id"] for r in rows] == [q["id"] for q in quotes]
    assert list(rows[0]) == [
        "article", "outlet", "id", "kind", "speaker", "speaker_entity",
        "speaker_mention", "cue", "negation", "text", "sentence", "start", "end",
    ]  # fmt: skip


def test_no_usable_article_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("quotes", "empty.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty.txt: file is empty" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_broken_alias_file_is_named_with_its_line(tmp_path: Path) -> None:
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("variant,canonical\nGadhafi,Moammar Gadhafi\nno comma here\n", "utf-8")
    result = run("quotes", COURIER, "--aliases-file", aliases, cwd=tmp_path)
    assert result.returncode == 2
    assert f"{aliases}:3: expected 2 non-empty fields" in result.stderr
    assert "Traceback" not in result.stderr
