"""Tests for rashomon.analyze.features: which sentences are time stamps (real spaCy parse)."""

from __future__ import annotations

import pytest

from rashomon.analyze.features import is_metadata
from rashomon.nlp import TextParser
from rashomon.text import tokens_in


def metadata(parser: TextParser, text: str) -> bool:
    (parsed,) = parser.parse([text])
    return is_metadata(tokens_in(parsed, 0, len(text)))


@pytest.mark.parametrize(
    "text",
    [
        "March 14, 2025",
        "THURSDAY, JUNE 30, 2005",
        "Published: Dec. 19, 2005 at 9:44 PM",
        "Updated: 14 March 2025, 10:02",
        "Published: Tuesday, Dec. 20 2005 12:00 a. m. MST",
        "Posted: Friday",
    ],
)
def test_dates_and_labelled_time_stamps_are_metadata(parser: TextParser, text: str) -> None:
    assert metadata(parser, text)


@pytest.mark.parametrize(
    "text",
    [
        "Death toll: 40",
        "Deaths: 40 by Friday",
        "Police said: three people died.",
        "Update: Friday, crews gave up",
        "Posted: Friday, cut",
        "Hansbrough breaks UNC scoring record",
        "The fire broke out on Friday.",
    ],
)
def test_a_fact_is_not_metadata(parser: TextParser, text: str) -> None:
    assert not metadata(parser, text)


@pytest.mark.parametrize("text", ["About the prison:", "The victims, by town:"])
def test_a_heading_that_introduces_a_list_is_metadata(parser: TextParser, text: str) -> None:
    assert metadata(parser, text)


def test_a_sentence_that_introduces_a_quote_is_not_metadata(parser: TextParser) -> None:
    assert not metadata(parser, "The mayor said:")
