"""Tests for rashomon.analyze.quantities: counts and amounts (real spaCy parse) and dates (pure)."""

from __future__ import annotations

import datetime as dt
import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.analyze.quantities import (
    DateMention,
    Quantity,
    find_dates,
    find_durations,
    find_quantities,
)
from rashomon.nlp import TextParser

FRIDAY = dt.date(2025, 3, 14)  # 2025-03-13 is a Thursday


def quantities(parser: TextParser, text: str) -> list[Quantity]:
    (parsed,) = parser.parse([text])
    return find_quantities(parsed, 0, len(text))


def dates(text: str, article_date: dt.date | None) -> list[DateMention]:
    return find_dates(text, 0, len(text), article_date)


# --- find_quantities (real parser) ------------------------------------------------------------


@pytest.mark.models
def test_number_word_with_its_counted_noun(parser: TextParser) -> None:
    text = "Three firefighters were hurt in the blaze."
    assert quantities(parser, text) == [
        Quantity(text="Three", start=0, end=5, low=3, high=3, unit="firefighter", exact=True)
    ]


@pytest.mark.models
def test_digits_inside_a_sentence(parser: TextParser) -> None:
    text = "Officials said 2,000 residents were moved out."
    assert quantities(parser, text) == [
        Quantity(text="2,000", start=15, end=20, low=2000, high=2000, unit="resident", exact=True)
    ]


@pytest.mark.models
def test_a_number_that_names_a_thing_counts_nothing(parser: TextParser) -> None:
    # "Route 72" and "Shed 4" are names: two reports on "Route 72" and "Route 54" do not
    # disagree on a figure; the hours and the magnitude are still read
    text = "Traffic on Route 72 near Shed 4 was diverted for 6 hours after a magnitude 5.9 quake."
    assert [(q.text, q.unit) for q in quantities(parser, text)] == [("5.9", "quake")]


@pytest.mark.models
def test_vague_quantity_is_a_range(parser: TextParser) -> None:
    text = "Dozens of containers burned at the depot."
    assert quantities(parser, text) == [
        Quantity(text="Dozens", start=0, end=6, low=24, high=99, unit="container", exact=False)
    ]


@pytest.mark.models
def test_qualified_number_is_a_range_around_it(parser: TextParser) -> None:
    text = "The blaze destroyed about 40 containers."
    (q,) = quantities(parser, text)
    assert (q.text, q.start, q.end, q.unit, q.exact) == ("about 40", 20, 28, "container", False)
    assert (q.low, q.high) == pytest.approx((34.0, 46.0))


@pytest.mark.models
def test_more_than_is_open_ended(parser: TextParser) -> None:
    (q,) = quantities(parser, "More than 40 people were hurt.")
    assert (q.low, q.high, q.unit, q.exact) == (40.0, math.inf, "people", False)


@pytest.mark.models
def test_a_count_and_a_vague_count_that_cannot_both_be_true(parser: TextParser) -> None:
    (exact,) = quantities(parser, "120 people were evacuated.")
    (vague,) = quantities(parser, "Dozens of people were evacuated.")
    assert (exact.unit, vague.unit) == ("people", "people")
    assert not exact.compatible(vague)
    assert not vague.compatible(exact)


@pytest.mark.models
def test_compatible_ranges(parser: TextParser) -> None:
    (about,) = quantities(parser, "About 40 containers burned.")
    (dozens,) = quantities(parser, "Dozens of containers burned.")
    (three,) = quantities(parser, "3 containers burned.")
    assert about.compatible(dozens)
    assert dozens.compatible(about)
    assert not three.compatible(dozens)


@pytest.mark.models
def test_money_with_a_multiplier(parser: TextParser) -> None:
    text = "The repairs will cost $2 million."
    assert quantities(parser, text) == [
        Quantity(
            text="2 million",
            start=23,
            end=32,
            low=2_000_000,
            high=2_000_000,
            unit="money:usd",
            exact=True,
        )
    ]


@pytest.mark.models
@pytest.mark.parametrize(
    "text", ["Fares rose 15 percent this spring.", "Fares rose 15% this spring."]
)
def test_percentages(parser: TextParser, text: str) -> None:
    assert quantities(parser, text) == [
        Quantity(text="15", start=11, end=13, low=15, high=15, unit="percent", exact=True)
    ]


@pytest.mark.models
@pytest.mark.parametrize(
    "text",
    [
        "The depot opened in 2019.",
        "The fire started on March 13, 2025.",
        "It happened on 13 March 2025.",
        "Crews fought the blaze for two days.",
        "It was the 3rd fire at the depot.",
    ],
)
def test_years_dates_durations_and_ordinals_are_not_counts(parser: TextParser, text: str) -> None:
    assert quantities(parser, text) == []


@pytest.mark.models
def test_only_the_span_asked_for(parser: TextParser) -> None:
    text = "Five guards ran. Two dogs barked."
    (parsed,) = parser.parse([text])
    assert [q.text for q in find_quantities(parsed, 17, len(text))] == ["Two"]
    assert [q.text for q in find_quantities(parsed, 0, 16)] == ["Five"]


@pytest.mark.models
def test_hyphenated_number_word(parser: TextParser) -> None:
    text = "Twenty-five people were hurt."
    assert quantities(parser, text) == [
        Quantity(text="Twenty-five", start=0, end=11, low=25, high=25, unit="people", exact=True)
    ]


@pytest.mark.models
def test_up_to_is_an_upper_bound(parser: TextParser) -> None:
    (q,) = quantities(parser, "Up to 40 people were hurt.")
    assert (q.low, q.high, q.exact) == (0.0, 40.0, False)


# --- find_dates (pure) ------------------------------------------------------------------------


def test_weekday_resolves_to_the_last_such_day_before_the_article() -> None:
    assert dates("The fire started on Thursday.", FRIDAY) == [
        DateMention(text="Thursday", start=20, end=28, day=dt.date(2025, 3, 13), weekday=3)
    ]


def test_weekday_of_the_article_day_is_that_day() -> None:
    assert dates("It began on Friday.", FRIDAY) == [
        DateMention(text="Friday", start=12, end=18, day=FRIDAY, weekday=4)
    ]


def test_weekday_after_the_article_day_is_the_week_before() -> None:
    assert dates("It began on Sunday.", FRIDAY) == [
        DateMention(text="Sunday", start=12, end=18, day=dt.date(2025, 3, 9), weekday=6)
    ]


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("yesterday", dt.date(2025, 3, 13)),
        ("today", FRIDAY),
        ("tonight", FRIDAY),
        ("tomorrow", dt.date(2025, 3, 15)),
    ],
)
def test_relative_days(word: str, day: dt.date) -> None:
    text = f"The fire broke out {word}."
    assert dates(text, FRIDAY) == [
        DateMention(text=word, start=19, end=19 + len(word), day=day, weekday=day.weekday())
    ]


def test_relative_day_without_an_article_date_is_unknown() -> None:
    assert dates("The fire broke out yesterday.", None) == [
        DateMention(text="yesterday", start=19, end=28, day=None, weekday=None)
    ]


def test_month_and_day_take_the_article_year() -> None:
    assert dates("It began on March 13.", FRIDAY) == [
        DateMention(text="March 13", start=12, end=20, day=dt.date(2025, 3, 13), weekday=3)
    ]


@pytest.mark.parametrize("article_date", [FRIDAY, None])
def test_day_month_year(article_date: dt.date | None) -> None:
    assert dates("It began on 13 March 2025.", article_date) == [
        DateMention(text="13 March 2025", start=12, end=25, day=dt.date(2025, 3, 13), weekday=3)
    ]


def test_iso_date() -> None:
    assert dates("It began on 2025-03-13 at dawn.", None) == [
        DateMention(text="2025-03-13", start=12, end=22, day=dt.date(2025, 3, 13), weekday=3)
    ]


def test_without_an_article_date_a_weekday_keeps_only_its_weekday() -> None:
    assert dates("It began on Thursday.", None) == [
        DateMention(text="Thursday", start=12, end=20, day=None, weekday=3)
    ]


def test_without_an_article_date_month_and_day_are_unknown() -> None:
    assert dates("It began on March 13.", None) == [
        DateMention(text="March 13", start=12, end=20, day=None, weekday=None)
    ]


def test_weekday_and_calendar_date_in_one_sentence() -> None:
    assert dates("It began on Thursday, March 13.", FRIDAY) == [
        DateMention(text="Thursday", start=12, end=20, day=dt.date(2025, 3, 13), weekday=3),
        DateMention(text="March 13", start=22, end=30, day=dt.date(2025, 3, 13), weekday=3),
    ]


def test_only_the_span_asked_for_with_offsets_into_the_whole_text() -> None:
    text = "On Monday it rained. The fire started on Thursday. On Sunday it ended."
    assert find_dates(text, 21, 50, FRIDAY) == [
        DateMention(text="Thursday", start=41, end=49, day=dt.date(2025, 3, 13), weekday=3)
    ]


def test_no_dates() -> None:
    assert dates("Three firefighters were hurt.", FRIDAY) == []


def test_month_and_day_near_new_year_take_the_nearest_year() -> None:
    assert dates("The fire on December 30 destroyed a shed.", dt.date(2025, 1, 2)) == [
        DateMention(text="December 30", start=12, end=23, day=dt.date(2024, 12, 30), weekday=0)
    ]


def test_next_weekday_is_in_the_future() -> None:
    (mention,) = dates("The terminal will reopen next Tuesday.", FRIDAY)
    assert mention.day == dt.date(2025, 3, 18)


_DATE_WORDS = st.lists(
    st.sampled_from(
        [
            "on",
            "Thursday",
            "March",
            "May",
            "February",
            "13",
            "29",
            "31",
            "2024",
            "2025",
            ",",
            "yesterday",
            "tonight",
            "the",
            "fire",
            "12th",
        ]
    ),
    max_size=12,
)


@given(_DATE_WORDS, st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))))
def test_date_mentions_point_at_their_text(words: list[str], article_date: dt.date | None) -> None:
    text = "x " + " ".join(words) + "."
    found = find_dates(text, 2, len(text), article_date)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        if mention.day is not None:
            assert mention.weekday == mention.day.weekday()
    for before, after in itertools.pairwise(found):
        assert before.end <= after.start


# --- abbreviated months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written", "day"),
    [
        ("It began on Feb 3.", "Feb 3", dt.date(2025, 2, 3)),
        ("It began on Feb. 3, police said.", "Feb. 3", dt.date(2025, 2, 3)),
        ("It began on Sept. 4, 2024 at dawn.", "Sept. 4, 2024", dt.date(2024, 9, 4)),
        ("It began on Sep 4 at dawn.", "Sep 4", dt.date(2025, 9, 4)),
        ("It began on 3 Jan.", "3 Jan", dt.date(2025, 1, 3)),
        ("It began on 31 Dec. 2024.", "31 Dec. 2024", dt.date(2024, 12, 31)),
        ("It began on Jan 3rd.", "Jan 3rd", dt.date(2025, 1, 3)),
        ("It began on the 3rd of Jan, officials said.", "3rd of Jan", dt.date(2025, 1, 3)),
        ("It began on the 4th of March.", "4th of March", dt.date(2025, 3, 4)),
        ("It began on 12th March.", "12th March", dt.date(2025, 3, 12)),
        ("It began on MAR 2, according to the log.", "MAR 2", dt.date(2025, 3, 2)),
    ],
)
def test_abbreviated_and_ordinal_calendar_dates(text: str, written: str, day: dt.date) -> None:
    start = text.index(written)
    assert dates(text, FRIDAY) == [
        DateMention(
            text=written, start=start, end=start + len(written), day=day, weekday=day.weekday()
        )
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Officials may 3D print the parts.",
        "Workers march 3 miles to the depot.",
        "May crews come back? Not before spring.",
        "Jan Kowal, 3, was rescued.",
        "Striker No. 3 Jan Kowal scored twice.",
        "Janet 3 and Marco 4 were on the pier.",
        "The depot shut in Jan 2024 and again in Feb.",
        "The depot shut in March 2024.",
        "The depot shut on Jan 45.",
    ],
)
def test_a_month_word_without_a_day_number_next_to_it_is_no_date(text: str) -> None:
    assert dates(text, FRIDAY) == []


def test_an_abbreviated_month_without_an_article_date_is_unknown() -> None:
    assert dates("It began on Feb. 3.", None) == [
        DateMention(text="Feb. 3", start=12, end=18, day=None, weekday=None)
    ]


@given(
    st.lists(
        st.sampled_from(
            ["on", "Jan", "Feb.", "Sept.", "SEP", "May", "3", "3rd", "of", ",", "2024", "Kowal"]
        ),
        max_size=10,
    ),
    st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31))),
)
def test_abbreviated_date_mentions_point_at_their_text(
    words: list[str], article_date: dt.date | None
) -> None:
    text = "x " + " ".join(words) + "."
    found = find_dates(text, 2, len(text), article_date)
    for mention in found:
        assert text[mention.start : mention.end] == mention.text
        assert any(ch.isdigit() for ch in mention.text)
        if mention.day is not None:
            assert mention.weekday == mention.day.weekday()


# --- durations, fractions, measures and coordinated figures (real parser) ------------------------


def durations(parser: TextParser, text: str) -> list[tuple[str, float, float, str]]:
    (parsed,) = parser.parse([text])
    return [(q.text, q.low, q.high, q.unit) for q in find_durations(parsed, 0, len(text))]


@pytest.mark.models
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He was sentenced to 2 years.", [("2", 2, 2, "year")]),
        (
            "He served 9 months of a 2-1/2 year sentence.",
            [("9", 9, 9, "month"), ("2-1/2", 2.5, 2.5, "year")],
        ),
        ("He was given 2 1/2 years.", [("2 1/2", 2.5, 2.5, "year")]),
        ("He was given 2½ years.", [("2½", 2.5, 2.5, "year")]),
        ("He was given two and a half years.", [("two and a half", 2.5, 2.5, "year")]),
        ("The six-hour fight ended at dawn.", [("six", 6, 6, "hour")]),
        ("A 58-year-old guard died.", [("58", 58, 58, "age")]),
        ("The guard was 58 years old.", [("58", 58, 58, "age")]),
    ],
)
def test_durations_with_their_time_unit(
    parser: TextParser, text: str, expected: list[tuple[str, float, float, str]]
) -> None:
    assert durations(parser, text) == expected


@pytest.mark.models
def test_a_qualified_duration_is_a_range(parser: TextParser) -> None:
    ((text, low, high, unit),) = durations(parser, "Crews fought the fire for nearly six hours.")
    assert (text, unit, high) == ("nearly six", "hour", 6.0)
    assert low == pytest.approx(5.1)


@pytest.mark.models
@pytest.mark.parametrize(
    "text",
    [
        "The depot reopened two days after the fire.",
        "The depot burned 10 years ago.",
        "In the past two years, the depot burned twice.",
        "It was the second fire in three years.",
        "He said then-15-year-old Timmons was there.",
        "The 2006 second-overall pick played well.",
        "Three firefighters were hurt.",
    ],
)
def test_points_in_time_windows_and_counts_are_not_durations(parser: TextParser, text: str) -> None:
    assert durations(parser, text) == []


@pytest.mark.models
def test_durations_are_not_counts(parser: TextParser) -> None:
    assert quantities(parser, "He served 9 months of a 2-1/2 year sentence.") == []


@pytest.mark.models
def test_a_mixed_fraction_with_a_multiplier(parser: TextParser) -> None:
    (q,) = quantities(parser, "The city spent 2-1/2 million crowns on repairs.")
    assert (q.text, q.low, q.unit) == ("2-1/2 million", 2_500_000, "crown")


@pytest.mark.models
def test_a_fractional_figure_measures_rather_than_counts(parser: TextParser) -> None:
    found = quantities(parser, "The 7.6 and 7.5 magnitude quakes hit the coast.")
    assert [(q.text, q.unit) for q in found] == [("7.6", "magnitude"), ("7.5", "magnitude")]


@pytest.mark.models
def test_a_coordinated_number_counts_the_same_noun(parser: TextParser) -> None:
    found = quantities(parser, "Zero people died and 5 or 6 people were hurt.")
    assert [(q.text, q.unit) for q in found] == [
        ("Zero", "people"),
        ("5", "people"),
        ("6", "people"),
    ]


@pytest.mark.models
@pytest.mark.parametrize(
    ("text", "span", "bounds"),
    [
        ("At least five people were killed.", "At least five", (5.0, math.inf)),
        ("At most five people were killed.", "At most five", (0.0, 5.0)),
    ],
)
def test_at_least_and_at_most_are_bounds(
    parser: TextParser, text: str, span: str, bounds: tuple[float, float]
) -> None:
    (q,) = quantities(parser, text)
    assert (q.text, (q.low, q.high), q.exact) == (span, bounds, False)


@pytest.mark.models
@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("The repairs will cost 2 million dollars.", "2 million", 2_000_000, "money:usd"),
        ("The repairs will cost US$2 million.", "2 million", 2_000_000, "money:usd"),
        ("The repairs will cost 3 million euros.", "3 million", 3_000_000, "money:eur"),
        ("The repairs will cost $2.5bn in all.", "2.5bn", 2_500_000_000, "money:usd"),
        ("The repairs will cost A$40 each.", "40", 40, "money:a$"),
        ("Fares rose 15 per cent this spring.", "15", 15, "percent"),
    ],
)
def test_currencies_and_percent_written_out(
    parser: TextParser, text: str, span: str, value: float, unit: str
) -> None:
    (q,) = quantities(parser, text)
    assert (q.text, q.low, q.unit) == (span, value, unit)


@pytest.mark.models
def test_a_short_multiplier_needs_a_currency(parser: TextParser) -> None:
    (q,) = quantities(parser, "The pipe was 3m long.")
    assert (q.text, q.low) == ("3", 3)


@pytest.mark.models
def test_dozens_counted_and_a_round_dozen(parser: TextParser) -> None:
    (two_dozen,) = quantities(parser, "Two dozen firefighters were sent.")
    assert (two_dozen.text, two_dozen.low, two_dozen.unit) == ("Two dozen", 24, "firefighter")
    (a_dozen,) = quantities(parser, "A dozen firefighters were sent.")
    assert (a_dozen.low, a_dozen.high, a_dozen.unit, a_dozen.exact) == (
        10,
        14,
        "firefighter",
        False,
    )


@pytest.mark.models
def test_a_thousands_separator_followed_by_a_space(parser: TextParser) -> None:
    (q,) = quantities(parser, "The tsunami killed 170, 000 people.")
    assert (q.text, q.low, q.unit) == ("170, 000", 170_000, "people")
