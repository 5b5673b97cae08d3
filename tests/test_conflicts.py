"""Tests for rashomon.conflicts: numbers and dates that disagree for one fact (real spaCy parse).

Each case is one invented sentence in two outlets. The Harbor Times sentence comes second in its
article, so the conflict offsets must point into the whole article text, not the sentence.
"""

from __future__ import annotations

import pytest

from factories import make_article
from rashomon.conflicts import SentenceFacts, find_conflicts, read_sentence_facts
from rashomon.models import Alignment, Article, Conflict, ConflictValue, Fact
from rashomon.nlp import TextParser
from rashomon.quantities import Quantity

pytestmark = pytest.mark.models

LEAD = "Crews were called to the depot."  # Harbor Times s1, 31 characters + a space
FACTS = (
    Fact(id="f1", sentences=("ht:s1",), outlets=("Harbor Times",), status="single"),
    Fact(
        id="f2",
        sentences=("ht:s2", "el:s1"),
        outlets=("Harbor Times", "Evening Ledger"),
        status="shared",
    ),
)
LINK = Alignment(source="ht:s2", target="el:s1", relation="partial", score=0.9)


def articles(
    times: str, ledger: str, *, dates: tuple[str | None, str | None] = (None, None)
) -> tuple[Article, Article]:
    return (
        make_article("ht", "Harbor Times", [LEAD, times], date=dates[0]),
        make_article("el", "Evening Ledger", [ledger], date=dates[1]),
    )


def read(parser: TextParser, pair: tuple[Article, Article]) -> dict[str, SentenceFacts]:
    return read_sentence_facts(pair, parser.parse([a.text for a in pair]))


def conflicts_of(
    parser: TextParser,
    times: str,
    ledger: str,
    *,
    dates: tuple[str | None, str | None] = (None, None),
    link: Alignment = LINK,
) -> list[Conflict]:
    return find_conflicts(FACTS, [link], read(parser, articles(times, ledger, dates=dates)))


def test_read_sentence_facts_keys_every_sentence(parser: TextParser) -> None:
    facts = read(parser, articles("Five workers were hurt.", "Three workers were hurt."))
    assert list(facts) == ["ht:s1", "ht:s2", "el:s1"]
    assert facts["ht:s1"].quantities == ()
    assert facts["ht:s2"].outlet == "Harbor Times"
    assert facts["ht:s2"].sentence.text == "Five workers were hurt."
    assert facts["ht:s2"].quantities == (
        Quantity(text="Five", start=32, end=36, low=5, high=5, unit="worker", exact=True),
    )
    assert facts["el:s1"].dates == ()


def test_number_conflict_with_values_and_spans(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Five workers were injured in the blaze.",
        "Three workers were injured in the blaze.",
    )
    # values are ordered by sentence id, then offset
    assert found == [
        Conflict(
            kind="number",
            sentences=("el:s1", "ht:s2"),
            values=(
                ConflictValue(sentence="el:s1", text="Three", start=0, end=5),
                ConflictValue(sentence="ht:s2", text="Five", start=32, end=36),
            ),
            note="different figures for 'worker': Evening Ledger: Three; Harbor Times: Five",
            fact="f2",
        )
    ]


def test_conflict_values_point_into_the_article_text(parser: TextParser) -> None:
    pair = articles("Five workers were injured.", "Three workers were injured.")
    (conflict,) = find_conflicts(FACTS, [LINK], read(parser, pair))
    text_of = {a.id: a.text for a in pair}
    for value in conflict.values:
        assert text_of[value.sentence.partition(":")[0]][value.start : value.end] == value.text


@pytest.mark.parametrize(
    ("times", "ledger"),
    [
        ("Three workers were injured.", "3 workers were injured."),
        ("About 40 containers burned.", "Dozens of containers burned."),
        ("Five workers were injured.", "Five workers were injured and two dogs ran off."),
        ("Five workers were injured.", "Three guards were injured."),  # different nouns
        ("Five workers were injured.", "Workers were injured."),
    ],
)
def test_no_number_conflict(parser: TextParser, times: str, ledger: str) -> None:
    assert conflicts_of(parser, times, ledger) == []


def test_vague_count_against_an_exact_one(parser: TextParser) -> None:
    found = conflicts_of(parser, "Dozens of people were evacuated.", "120 people were evacuated.")
    assert found == [
        Conflict(
            kind="number",
            sentences=("el:s1", "ht:s2"),
            values=(
                ConflictValue(sentence="el:s1", text="120", start=0, end=3),
                ConflictValue(sentence="ht:s2", text="Dozens", start=32, end=38),
            ),
            note="different figures for 'people': Evening Ledger: 120; Harbor Times: Dozens",
            fact="f2",
        )
    ]


def test_a_related_link_is_not_checked(parser: TextParser) -> None:
    related = Alignment(source="ht:s2", target="el:s1", relation="related", score=0.3)
    found = conflicts_of(
        parser, "Five workers were injured.", "Three workers were injured.", link=related
    )
    assert found == []


def test_date_conflict_one_day_apart(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "The fire broke out on Thursday.",
        "The fire broke out on Friday.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert found == [
        Conflict(
            kind="date",
            sentences=("el:s1", "ht:s2"),
            values=(
                ConflictValue(
                    sentence="el:s1", text="Friday", start=22, end=28, normalized="2025-03-14"
                ),
                ConflictValue(
                    sentence="ht:s2", text="Thursday", start=54, end=62, normalized="2025-03-13"
                ),
            ),
            note="different days for the same event: Evening Ledger: Friday (2025-03-14); "
            "Harbor Times: Thursday (2025-03-13). The days are one apart: a time-zone "
            "difference, or an event that ran past midnight, may explain it",
            fact="f2",
        )
    ]


def test_date_conflict_days_further_apart_has_no_time_zone_note(parser: TextParser) -> None:
    (conflict,) = conflicts_of(
        parser,
        "The fire broke out on Tuesday.",
        "The fire broke out on Friday.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert conflict.note == (
        "different days for the same event: Evening Ledger: Friday (2025-03-14); "
        "Harbor Times: Tuesday (2025-03-11)"
    )


def test_weekday_conflict_without_article_dates(parser: TextParser) -> None:
    (conflict,) = conflicts_of(
        parser, "The fire broke out on Thursday.", "The fire broke out on Friday."
    )
    assert conflict.kind == "date"
    assert [(v.text, v.normalized) for v in conflict.values] == [
        ("Friday", None),
        ("Thursday", None),
    ]
    assert conflict.note == (
        "different days for the same event: Evening Ledger: Friday; Harbor Times: Thursday"
    )


@pytest.mark.parametrize(
    ("times", "ledger", "dates"),
    [
        # 2025-03-13 is a Thursday: the same day written two ways
        ("The fire broke out yesterday.", "The fire broke out on Thursday.", ("2025-03-14",) * 2),
        ("The fire broke out on Thursday.", "The fire broke out on March 13.", ("2025-03-14",) * 2),
        # the same weekday seen from articles a day apart is still the same day
        (
            "The fire broke out on Thursday.",
            "The fire broke out on Thursday.",
            ("2025-03-14", "2025-03-15"),
        ),
        # one side cannot be placed on the calendar
        ("The fire broke out on Thursday.", "The fire broke out yesterday.", ("2025-03-14", None)),
    ],
)
def test_no_date_conflict(
    parser: TextParser, times: str, ledger: str, dates: tuple[str | None, str | None]
) -> None:
    assert conflicts_of(parser, times, ledger, dates=dates) == []


def test_number_conflicts_do_not_depend_on_link_direction(parser: TextParser) -> None:
    times, ledger = "Five people were injured and two people died.", "Five people were injured."
    pair = articles(times, ledger)
    facts = read(parser, pair)
    forward = Alignment(source="ht:s2", target="el:s1", relation="partial", score=0.9)
    backward = Alignment(source="el:s1", target="ht:s2", relation="partial", score=0.9)
    assert find_conflicts(FACTS, [backward], facts) == []
    assert find_conflicts(FACTS, [forward], facts) == []
