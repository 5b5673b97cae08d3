"""Tests for rashomon.analyze.segment: sentences with ids and exact offsets (real spaCy parse)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_models import FakeParser
from rashomon.analyze.segment import segment_article
from rashomon.models import Article, Sentence
from rashomon.nlp import TextParser


def segment(parser: TextParser, text: str, article_id: str = "art1") -> Article:
    (parsed,) = parser.parse([text])
    return segment_article(Article(id=article_id, text=text, outlet="Harbor Times"), parsed)


def texts(article: Article) -> list[str]:
    return [s.text for s in article.sentences]


def test_ids_indexes_and_offsets(parser: TextParser) -> None:
    text = "A fire broke out at the depot.  Three workers were hurt.\n\nCrews came."
    article = segment(parser, text, "abc123")
    assert article.sentences == (
        Sentence(id="abc123:s1", index=0, text="A fire broke out at the depot.", start=0, end=30),
        Sentence(id="abc123:s2", index=1, text="Three workers were hurt.", start=32, end=56),
        Sentence(id="abc123:s3", index=2, text="Crews came.", start=58, end=69),
    )


def test_everything_else_about_the_article_is_kept(parser: TextParser) -> None:
    text = "A fire broke out at the depot. Three workers were hurt."
    article = Article(
        id="a", text=text, outlet="Harbor Times", title="Depot fire", date="2025-03-14"
    )
    (parsed,) = parser.parse([text])
    segmented = segment_article(article, parsed)
    assert dataclasses.replace(segmented, sentences=()) == article


def test_a_sentence_never_crosses_a_line_break(parser: TextParser) -> None:
    text = "Harbor fire contained\nCrews worked through the night. The depot reopened on Sunday."
    assert texts(segment(parser, text)) == [
        "Harbor fire contained",
        "Crews worked through the night.",
        "The depot reopened on Sunday.",
    ]


def test_a_quotation_of_two_sentences_stays_one_sentence(parser: TextParser) -> None:
    text = (
        "“The smoke was everywhere. We could not see the pier,” said dock worker Ana Reyes. "
        "Crews arrived within minutes."
    )
    assert texts(segment(parser, text)) == [
        "“The smoke was everywhere. We could not see the pier,” said dock worker Ana Reyes.",
        "Crews arrived within minutes.",
    ]


def test_a_straight_quoted_quotation_stays_one_sentence(parser: TextParser) -> None:
    text = 'The mayor said: "We will rebuild. Nobody will lose a job." The council meets Monday.'
    assert texts(segment(parser, text)) == [
        'The mayor said: "We will rebuild. Nobody will lose a job."',
        "The council meets Monday.",
    ]


def test_a_quotation_does_not_run_past_its_paragraph(parser: TextParser) -> None:
    text = "“We ran. We hid.\nCrews arrived within minutes. The fire was out by noon."
    assert texts(segment(parser, text)) == [
        "“We ran. We hid.",
        "Crews arrived within minutes.",
        "The fire was out by noon.",
    ]


def test_a_dateline_stays_with_its_sentence(parser: TextParser) -> None:
    text = (
        "PORT VELLA, May 2 (Coast Wire) — A fire broke out at the grain terminal on Friday. "
        "Three workers were hurt."
    )
    assert texts(segment(parser, text)) == [
        "PORT VELLA, May 2 (Coast Wire) — A fire broke out at the grain terminal on Friday.",
        "Three workers were hurt.",
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "The tremor struck off the coast at 7:48 a.m. local time, 40 kilometers (25 miles) west "
        "of Velm, the survey said in an alert.",
        "Wednesday's shallow tremor hit at 7:48 am (2248 GMT Tuesday) just off the coast, some "
        "40 kilometres west of Velm.",
    ],
)
def test_a_piece_starting_in_lower_case_joins_the_sentence_before(
    parser: TextParser, sentence: str
) -> None:
    text = f"{sentence} Crews came. eBay sold the photos."
    assert texts(segment(parser, text)) == [sentence, "Crews came.", "eBay sold the photos."]


def test_a_title_before_a_name_does_not_end_the_sentence(parser: TextParser) -> None:
    first = (
        "Velm lost court clerk Ana Brisk, Harbour Deputy Sgt. Tomas Kale and a ferry pilot "
        "in the fire."
    )
    assert texts(segment(parser, f"{first} Crews came.")) == [first, "Crews came."]


def test_a_parse_of_another_text_is_refused(parser: TextParser) -> None:
    (parsed,) = parser.parse(["Another text."])
    with pytest.raises(ValueError, match=r"^parse of a different text given for article a$"):
        segment_article(Article(id="a", text="A fire.", outlet="Harbor Times"), parsed)


def test_an_empty_text_has_no_sentences(parser: TextParser) -> None:
    assert segment(parser, "").sentences == ()
    assert segment(parser, " \n\n ").sentences == ()


def test_a_single_quoted_quotation_stays_one_sentence(parser: TextParser) -> None:
    text = (
        "‘The smoke was everywhere. We could not see the pier,’ said dock worker Ana Reyes. "
        "Crews arrived within minutes."
    )
    assert texts(segment(parser, text)) == [
        "‘The smoke was everywhere. We could not see the pier,’ said dock worker Ana Reyes.",
        "Crews arrived within minutes.",
    ]


def test_a_single_quoted_quotation_of_three_sentences_with_apostrophes(
    parser: TextParser,
) -> None:
    text = (
        "The skipper said: ‘We didn’t see it. The crew’s radio was dead. Nobody came.’ "
        "The coastguard disputes that."
    )
    assert texts(segment(parser, text)) == [
        "The skipper said: ‘We didn’t see it. The crew’s radio was dead. Nobody came.’",
        "The coastguard disputes that.",
    ]


def test_apostrophes_alone_never_join_sentences(parser: TextParser) -> None:
    text = (
        "The dockers’ union didn’t comment. It’s the port’s busiest pier. "
        "Trade in the ‘90s was slower."
    )
    assert texts(segment(parser, text)) == [
        "The dockers’ union didn’t comment.",
        "It’s the port’s busiest pier.",
        "Trade in the ‘90s was slower.",
    ]


def test_a_single_quotation_does_not_run_past_its_paragraph(parser: TextParser) -> None:
    text = "‘We ran. We hid.\nCrews arrived within minutes. The fire was out by noon."
    assert texts(segment(parser, text)) == [
        "‘We ran. We hid.",
        "Crews arrived within minutes.",
        "The fire was out by noon.",
    ]


def test_an_inch_mark_is_not_a_quotation(parser: TextParser) -> None:
    text = 'The pipe was 12" wide. Crews cut it open. They found rust.'
    assert texts(segment(parser, text)) == [
        'The pipe was 12" wide.',
        "Crews cut it open.",
        "They found rust.",
    ]


_PIECES = st.sampled_from(
    [
        "A fire broke out.",
        "Crews came",
        "“We ran.",
        "We hid,”",
        '"Go.',
        'Now."',
        "she said.",
        "‘Go.",
        "Now,’",
        "didn’t",
        "PORT VELLA —",
        "Dr. Moss",
        "3 a.m.",
        "\n",
        "\n\n",
        "  ",
        "!",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=12))
def test_sentences_are_exact_ordered_trimmed_and_within_lines(
    parser: TextParser, pieces: list[str]
) -> None:
    text = " ".join(pieces)
    article = segment(parser, text)
    end = 0
    for n, sent in enumerate(article.sentences, start=1):
        assert sent.id == f"art1:s{n}"
        assert sent.index == n - 1
        assert text[sent.start : sent.end] == sent.text
        assert sent.text == sent.text.strip() != ""
        assert "\n" not in sent.text
        assert sent.start >= end
        end = sent.end
    covered = "".join(text[s.start : s.end] for s in article.sentences)
    assert "".join(covered.split()) == "".join(text.split())


# --- a day written as an ordinal ("am 31. Oktober") -------------------------------------------


def fake_sentences(text: str) -> list[str]:
    """Sentences over FakeParser, which ends a sentence after every word that ends in '.'."""
    return texts(segment(FakeParser(), text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Lindenau ferry opens am 31. Oktober at Kessberg. Tickets sell out.",
            ["The Lindenau ferry opens am 31. Oktober at Kessberg.", "Tickets sell out."],
        ),
        (  # an abbreviated month, and French
            "Voting ends on 3. Okt. in Ravensal. Le vote a lieu le 1. janvier à Morlaix.",
            ["Voting ends on 3. Okt. in Ravensal.", "Le vote a lieu le 1. janvier à Morlaix."],
        ),
        (  # Polish, in the genitive
            "Otwarcie mostu w Brzeźnie 12. października. Bilety są darmowe.",
            ["Otwarcie mostu w Brzeźnie 12. października.", "Bilety są darmowe."],
        ),
        (  # a lower-case word after the ordinal
            "Sie kam am 2. und blieb. Dann ging sie.",
            ["Sie kam am 2. und blieb.", "Dann ging sie."],
        ),
    ],
)
def test_a_day_ordinal_before_a_month_does_not_end_a_sentence(
    text: str, expected: list[str]
) -> None:
    assert fake_sentences(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The final score was 3. The crowd left early.",  # no month name follows
        "The budget rose in 2024. March brought cuts.",  # a year, not a day
        "It cost 31.5 francs. Oktober Pier sold out.",  # no ordinal: a decimal ends the word
    ],
)
def test_a_number_before_another_word_still_ends_a_sentence(text: str) -> None:
    assert len(fake_sentences(text)) == 2


def test_am_31_oktober_in_a_real_parse(parser: TextParser) -> None:
    text = (
        "The ferry company Nordlicht Linien said the new route would open am 31. Oktober in "
        "the port of Kessberg. Tickets go on sale next week."
    )
    assert texts(segment(parser, text)) == [
        "The ferry company Nordlicht Linien said the new route would open am 31. Oktober in "
        "the port of Kessberg.",
        "Tickets go on sale next week.",
    ]
