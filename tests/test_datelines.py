"""Dates opening a text (issue 14): an inline date with no mark after it, a time before the
date, a dateline of a weekday only; and weekdays in the text resolved against them, so a
readout dated Monday and a newspaper dated Tuesday give one date conflict. Invented texts."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from conftest import run_rashomon
from rashomon.analyze.conflicts import dateline_weekday
from rashomon.analyze.quantities import find_dates
from rashomon.inputs.dates import split_dateline, weekday_line
from rashomon.inputs.text import parse_text
from rashomon.models import Article, Boilerplate

FIRST = "The harbour board of Kelm said the pier would reopen. Repairs start soon."


@pytest.mark.parametrize(
    ("opening", "date"),
    [
        ("published 2024-03-05 ", "2024-03-05"),
        ("updated 2024-03-05 ", "2024-03-05"),
        ("Published 12:30 GMT, 3 March 2024 ", "2024-03-03"),
        ("Published 12:30 GMT, 3 March 2024 — ", "2024-03-03"),
        ("March 5, 2024 ", "2024-03-05"),
    ],
)
def test_a_date_opening_the_text_inline_is_its_date(opening: str, date: str) -> None:
    article = parse_text(opening + FIRST + "\n")
    assert article.date == date
    assert article.text.startswith("The harbour board of Kelm said")
    assert [b.reason for b in article.boilerplate] == ["dateline"]  # kept, not lost


@pytest.mark.parametrize(
    ("text", "weekday"),
    [
        (f"MONDAY — {FIRST}\n", 0),
        (f"Tuesday: {FIRST}\n", 1),
        (f"Tuesday:\n{FIRST}\n", 1),
        (f"WEDNESDAY\n\n{FIRST}\n", 2),
        (f"Pier to reopen\nPublished Thursday\n\n{FIRST}\n", 3),
        (f"Pier to reopen\n\npublished Friday {FIRST}\n", 4),
        (f"Pier to reopen\n\nPublished: Saturday\n{FIRST}\n", 5),
    ],
)
def test_a_weekday_dateline_leaves_the_text_and_dates_it(text: str, weekday: int) -> None:
    article = parse_text(text)
    assert article.text.startswith("The harbour board of Kelm said")
    assert article.date is None
    assert dateline_weekday(article) == weekday


@pytest.mark.parametrize(
    "line",
    [
        "Monday night the harbour board of Kelm said the pier would reopen.",
        "Monday, the harbour board of Kelm said the pier would reopen.",
        "Monday was the day the harbour board of Kelm reopened the pier.",
    ],
)
def test_a_sentence_opening_on_a_weekday_is_no_dateline(line: str) -> None:
    assert split_dateline(line, day_first=True) is None
    assert weekday_line(line) is None
    assert parse_text(line + "\n").text == line


def test_a_weekday_resolves_against_the_weekday_of_writing() -> None:
    text = "The pier reopened yesterday and the ferry sails on Friday."
    found = find_dates(text, 0, len(text), None, article_weekday=2)  # written on a Wednesday
    assert [(d.text, d.day, d.weekday) for d in found] == [
        ("yesterday", None, 1),
        ("Friday", None, 4),
    ]
    dated = find_dates(text, 0, len(text), dt.date(2024, 3, 6))
    assert [d.day for d in dated] == [dt.date(2024, 3, 5), dt.date(2024, 3, 1)]


def test_a_dated_article_has_no_dateline_weekday() -> None:
    article = Article(
        id="a", text="x", outlet="o", boilerplate=(Boilerplate(text="Notice", reason="footer"),)
    )
    assert dateline_weekday(article) is None


# --- a state-media readout against a newspaper, through `rashomon compare` --------------------

READOUT = (
    "Minister Vesk speaks with Tarvian counterpart\n\n"
    "MONDAY — Foreign Minister Olan Vesk held a phone call with his Tarvian counterpart Ida "
    "Morrow on Monday. The two ministers discussed the reopening of the Varn border crossing. "
    "They agreed to meet again before the summer.\n"
)
NEWSPAPER = (
    "Vesk and Morrow talk border by phone\n\n"
    "published 2024-03-05 Foreign Minister Olan Vesk spoke by phone with his Tarvian "
    "counterpart Ida Morrow early on Tuesday, the state news agency said. The ministers talked "
    "about the Varn border crossing, which has been shut since the floods. Traders in the "
    "border town of Selk hope it reopens soon.\n"
)


@pytest.mark.models
def test_readout_on_monday_against_newspaper_early_on_tuesday(tmp_path: Path) -> None:
    (tmp_path / "readout.txt").write_text(READOUT, encoding="utf-8")
    (tmp_path / "newspaper.txt").write_text(NEWSPAPER, encoding="utf-8")
    result = run_rashomon(
        "compare", "readout.txt", "newspaper.txt", "--format", "json", "-o", "out.json",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    data = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    dates = {a["outlet"]: a["date"] for a in data["articles"]}
    assert dates == {"readout": None, "newspaper": "2024-03-05"}
    conflicts = [(c["kind"], sorted(v["text"] for v in c["values"])) for c in data["conflicts"]]
    assert conflicts == [("date", ["Monday", "Tuesday"])]
