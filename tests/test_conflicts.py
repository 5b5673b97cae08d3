"""Tests for rashomon.analyze.conflicts: numbers and dates that disagree for one fact (real spaCy).

Each case is one invented sentence in two outlets. The Harbor Times sentence comes second in its
article, so the conflict offsets must point into the whole article text, not the sentence.
"""

from __future__ import annotations

import pytest

from factories import make_article
from rashomon.analyze.conflicts import SentenceFacts, find_conflicts, read_sentence_facts
from rashomon.analyze.quantities import Quantity
from rashomon.models import Alignment, Article, Conflict, ConflictValue, Fact
from rashomon.nlp import TextParser

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
        # the same weekday from pages dated six days apart (one stamped when last updated):
        # the texts agree, whatever the stamps say
        (
            "The fire broke out on Saturday.",
            "The fire broke out on Saturday.",
            ("2025-03-19", "2025-03-25"),
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


# --- what a figure counts: durations, happenings, ages, places, lists, repeats -----------------


def _figures_of(found: list[Conflict]) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(c.kind, c.note, tuple(v.text for v in c.values)) for c in found]


def test_sentence_lengths_conflict_by_their_time_unit(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "He was sentenced to 2 years, with 9 months to serve.",
        "He served 9 months of a 2-1/2 year sentence.",
    )
    assert _figures_of(found) == [
        (
            "number",
            "different figures for 'year': Evening Ledger: 2-1/2; Harbor Times: 2",
            ("2-1/2", "2"),
        )
    ]


@pytest.mark.parametrize(
    ("times", "ledger"),
    [
        # about six hours and nearly six hours overlap
        ("Crews fought the fire for nearly six hours.", "Crews fought the fire for about 6 hours."),
        # 24 months is two years: only figures in the same unit are compared
        ("He was sentenced to 2 years.", "He was sentenced to 24 months."),
        # points in time and windows are no lengths of the event
        (
            "The depot reopened two days after the fire.",
            "The depot reopened 3 days after the fire.",
        ),
        ("It was the second fire in three years.", "It was the second fire in five years."),
    ],
)
def test_no_duration_conflict(parser: TextParser, times: str, ledger: str) -> None:
    assert conflicts_of(parser, times, ledger) == []


def test_synonymous_happenings_are_one_figure(parser: TextParser) -> None:
    found = conflicts_of(parser, "Five firefighters were hurt.", "Three firefighters were injured.")
    assert _figures_of(found) == [
        (
            "number",
            "different figures for 'firefighter': Evening Ledger: Three; Harbor Times: Five",
            ("Three", "Five"),
        )
    ]


@pytest.mark.parametrize(
    ("times", "ledger"),
    [
        # killed against treated: two facts about the same people
        ("The fire killed seven people.", "Five people were treated in hospital."),
        # a running total against the figure of one game
        ("Hansbrough now has 2,302 points.", "Hansbrough scored 20 points."),
        # the other outlet's figure is in the sentence, without its noun
        (
            "The fire destroyed 40 containers; the company says 60.",
            "The fire destroyed 60 containers.",
        ),
        # ages of two different people
        ("A 36-year-old climber died on the ridge.", "A 32-year-old guide died on the ridge."),
        # deaths in several countries against deaths in one region
        (
            "The tsunami killed 220,000 people in Indonesia, India and Thailand.",
            "The tsunami killed 168,000 people in Aceh.",
        ),
    ],
)
def test_figures_of_different_things_do_not_conflict(
    parser: TextParser, times: str, ledger: str
) -> None:
    assert conflicts_of(parser, times, ledger) == []


def test_ages_of_one_person_conflict(parser: TextParser) -> None:
    found = conflicts_of(
        parser, "The 58-year-old guard Jonas Feld died.", "The 59-year-old guard Jonas Feld died."
    )
    assert _figures_of(found) == [
        (
            "number",
            "different figures for 'age': Evening Ledger: 59; Harbor Times: 58",
            ("59", "58"),
        )
    ]


def test_a_place_named_more_closely_is_the_same_scope(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "The quake killed five people in Manokwari.",
        "The quake killed one person in Manokwari, Indonesia.",
    )
    assert [c.note for c in found] == [
        "different figures for 'people': Evening Ledger: one; Harbor Times: five"
    ]


def test_coordinated_figures_that_share_one_value_are_compared(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Two quakes, measuring 7.6 and 7.4, struck the coast.",
        "The 7.6 and 7.5 magnitude quakes struck the coast.",
    )
    assert _figures_of(found) == [
        (
            "number",
            "different figures for 'magnitude': Evening Ledger: 7.5; Harbor Times: 7.4",
            ("7.5", "7.4"),
        )
    ]


def test_coordinated_figures_without_a_shared_value_are_not_compared(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Two quakes, measuring 6.8 and 7.4, struck the coast.",
        "The 7.6 and 7.5 magnitude quakes struck the coast.",
    )
    assert found == []


def test_a_conflict_takes_in_the_sentences_that_repeat_its_figure(parser: TextParser) -> None:
    times = make_article(
        "ht",
        "Harbor Times",
        [
            "Five people were killed in the fire.",
            "Crews came.",
            "At least five people were killed, officials said.",
            "Five people were hurt.",
        ],
    )
    ledger = make_article("el", "Evening Ledger", ["The fire killed one person."])
    facts = (
        Fact(
            id="f1",
            sentences=("ht:s1", "el:s1"),
            outlets=("Harbor Times", "Evening Ledger"),
            status="shared",
        ),
    )
    link = Alignment(source="ht:s1", target="el:s1", relation="partial", score=0.9)
    (conflict,) = find_conflicts(facts, [link], read(parser, (times, ledger)))
    assert conflict.sentences == ("el:s1", "ht:s1", "ht:s3")
    assert [v.text for v in conflict.values] == ["one", "Five", "At least five"]
    assert conflict.fact == "f1"


def test_an_amount_in_signs_and_in_words_is_one_figure(parser: TextParser) -> None:
    same = conflicts_of(
        parser, "Repairs will cost $2 million.", "Repairs will cost 2 million dollars."
    )
    assert same == []
    found = conflicts_of(
        parser, "Repairs will cost $2 million.", "Repairs will cost 3 million dollars."
    )
    assert _figures_of(found) == [
        (
            "number",
            "different figures for 'money:usd': Evening Ledger: 3 million; Harbor Times: 2 million",
            ("3 million", "2 million"),
        )
    ]


def test_a_weekday_and_a_date_written_together_give_one_day(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "The fire broke out late on Thursday, March 13.",
        "The fire broke out late on Friday.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert [[(v.text, v.normalized) for v in c.values] for c in found] == [
        [("Friday", "2025-03-14"), ("Thursday, March 13", "2025-03-13")]
    ]
    same = conflicts_of(
        parser,
        "The fire broke out late on Thursday, March 13.",
        "The fire broke out late on March 13.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert same == []


def test_a_weekday_and_a_date_that_disagree_stay_apart(parser: TextParser) -> None:
    # Friday, March 13 is no day of 2025: the sentence gives two days, so none is compared
    found = conflicts_of(
        parser,
        "The fire broke out late on Friday, March 13.",
        "The fire broke out late on Saturday.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert found == []


def test_the_date_of_a_wire_dateline_is_not_the_day_of_the_event(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "PORT VENNER, March 14 (Coast Wire) — The fire broke out late on Thursday, March 13.",
        "The fire broke out late on Friday.",
        dates=("2025-03-14", "2025-03-14"),
    )
    assert [[(v.text, v.normalized) for v in c.values] for c in found] == [
        [("Friday", "2025-03-14"), ("Thursday, March 13", "2025-03-13")]
    ]
    facts = read(
        parser, articles("PORT VENNER, March 14 (Coast Wire) — Crews came.", "Crews came.")
    )
    assert facts["ht:s2"].dates == ()


def test_a_third_outlet_that_gives_one_sides_figure_joins_the_conflict(
    parser: TextParser,
) -> None:
    times = make_article("ht", "Harbor Times", ["Five firefighters were hurt in the fire."])
    ledger = make_article("el", "Evening Ledger", ["Three firefighters were hurt in the fire."])
    wire = make_article(
        "cw",
        "Coast Wire",
        ["A fire broke out.", "Three firefighters were injured.", "Three dogs were hurt."],
    )
    facts = (
        Fact(
            id="f1",
            sentences=("ht:s1", "el:s1"),
            outlets=("Harbor Times", "Evening Ledger"),
            status="shared",
        ),
    )
    link = Alignment(source="ht:s1", target="el:s1", relation="equivalent", score=0.95)
    sentence_facts = read_sentence_facts(
        (times, ledger, wire), parser.parse([a.text for a in (times, ledger, wire)])
    )
    (conflict,) = find_conflicts(facts, [link], sentence_facts)
    assert conflict.note == (
        "different figures for 'firefighter': Coast Wire: Three; Evening Ledger: Three; "
        "Harbor Times: Five"
    )


@pytest.mark.parametrize(
    ("times", "ledger"),
    [
        # one day for the injury, another for the decision it led to
        (
            "Bush sprained his knee in the game against Chicago on Thursday.",
            "The Saints placed Bush on injured reserve on Wednesday after his knee sprain.",
        ),
        # the same thing done to two different people
        (
            "The Saints placed Pierre Thomas on injured reserve on Wednesday.",
            "The Saints placed Chris Ivory on injured reserve on Tuesday.",
        ),
    ],
)
def test_days_of_different_happenings_do_not_conflict(
    parser: TextParser, times: str, ledger: str
) -> None:
    assert conflicts_of(parser, times, ledger) == []


def test_days_of_one_happening_told_with_other_verbs_conflict(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "A fire swept through the warehouse at the Eastgate container terminal in Port Venner "
        "on Friday.",
        "A blaze tore through the warehouse at the Eastgate container terminal in Port Venner "
        "on Thursday.",
    )
    assert [c.kind for c in found] == ["date"]


def test_a_rounded_amount_is_the_same_figure(parser: TextParser) -> None:
    assert (
        conflicts_of(
            parser,
            "HP agreed to a $13.2 billion purchase of the company.",
            "HP agreed to a $13 billion purchase of the company.",
        )
        == []
    )
    found = conflicts_of(
        parser,
        "HP agreed to a $13.2 billion purchase of the company.",
        "HP agreed to a $14 billion purchase of the company.",
    )
    assert [c.note for c in found] == [
        "different figures for 'money:usd': Evening Ledger: 14 billion; Harbor Times: 13.2 billion"
    ]


def test_amounts_for_different_organizations_do_not_conflict(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "HP paid $19 billion for Compaq Computer in 2002.",
        "HP paid $13 billion for Electronic Data Systems.",
    )
    assert found == []


def test_the_source_of_a_figure_is_not_its_scope(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Five people were killed in Manokwari, according to the UN.",
        "One person was killed in Manokwari, according to the US Geological Survey.",
    )
    assert [c.note for c in found] == [
        "different figures for 'people': Evening Ledger: One; Harbor Times: Five"
    ]


def test_time_stamps_of_two_pages_do_not_conflict(parser: TextParser) -> None:
    assert conflicts_of(parser, "Sun, 15 Sep 2013", "September 16, 2013 9:36 am") == []


def test_figures_of_different_seasons_do_not_conflict(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Running back Reggie Bush will miss the final two games of the Saints' season.",
        "The former USC running back also missed the final four games of the 2007 season.",
    )
    assert found == []


def test_a_date_in_a_clause_below_the_figure_is_not_its_scope(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "Five firefighters were hurt when fire swept through the warehouse on Friday.",
        "Three firefighters were hurt when a blaze tore through the warehouse on Thursday.",
    )
    assert [c.kind for c in found] == ["number"]


def test_a_selection_is_not_a_total(parser: TextParser) -> None:
    found = conflicts_of(
        parser, "Bush will miss the last 2 games.", "Bush missed four games this season."
    )
    assert found == []
    facts = read(parser, articles("The first three victims were named.", "Crews came."))
    assert facts["ht:s2"].quantities == ()


def test_a_place_in_the_subject_is_not_the_scope_of_the_count(parser: TextParser) -> None:
    found = conflicts_of(
        parser,
        "The quake on the outskirts of Dargahan injured two people.",
        "A magnitude-5.2 quake has injured three people on the island of Qeshm.",
    )
    assert [c.note for c in found] == [
        "different figures for 'people': Evening Ledger: three; Harbor Times: two"
    ]
