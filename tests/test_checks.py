"""Tests for rashomon.analyze.checks: duplicates, not one story, not English (fast lane).

The language identifier is the real one (py3langid, its model ships in the package). Every
article is invented.
"""

from __future__ import annotations

import dataclasses

import pytest

from conftest import EXAMPLES
from rashomon.analyze import checks
from rashomon.analyze.checks import (
    check_inputs,
    duplicate_warnings,
    language_warnings,
    story_warnings,
)
from rashomon.backends import identify_language
from rashomon.inputs.files import read_inputs
from rashomon.models import Article
from rashomon.settings import Settings

FIRE = (
    "A fire broke out in a grain depot in the port of Kelm on Monday night, the harbour "
    "authority said. Crews from three stations fought the blaze until dawn and kept it from "
    "the fuel tanks nearby. Two dock workers were treated for smoke. The depot had stored "
    "wheat for the Verel mills since the spring."
)
FIRE_AGAIN = (
    "Firefighters battled a blaze at a grain depot in the port of Kelm overnight on Monday. "
    "The harbour authority said crews from three stations worked until dawn and the fuel "
    "tanks were spared. Two workers were treated for smoke inhalation at the scene."
)
CHESS = (
    "The chess club of Osk won the regional cup on Saturday after a final round that lasted "
    "seven hours. Its youngest player, aged eleven, drew against the champion of Brenn. The "
    "club will host the national finals in the autumn, its president told members."
)
GERMAN = (
    "In der Nacht zum Montag brach im Getreidelager des Hafens von Kelm ein Feuer aus, teilte "
    "die Hafenbehörde mit. Feuerwehrleute aus drei Wachen bekämpften den Brand bis zum Morgen. "
    "Zwei Hafenarbeiter wurden wegen Rauchvergiftung behandelt."
)


def article(name: str, text: str, date: str | None = None) -> Article:
    return Article(id=name, text=text, outlet=name.title(), source=f"{name}.txt", date=date)


def test_the_same_text_twice_is_named() -> None:
    assert duplicate_warnings([article("a", FIRE), article("b", FIRE), article("c", CHESS)]) == [
        "a.txt, b.txt hold the same text: their comparison shows little but that; compare "
        "each outlet's own report"
    ]


def test_one_file_given_twice_is_named_once() -> None:
    again = dataclasses.replace(article("a", FIRE), id="a-2")  # ids are unique in a run
    (warning,) = duplicate_warnings([article("a", FIRE), again])
    assert warning.startswith("a.txt is given 2 times: ")


def test_a_near_identical_copy_is_named() -> None:
    copy = FIRE.replace("Monday night", "Monday evening")
    (warning,) = duplicate_warnings([article("a", FIRE), article("b", copy)])
    assert warning.startswith("a.txt, b.txt are near-duplicates (")


def test_two_reports_of_one_event_are_no_duplicates() -> None:
    assert duplicate_warnings([article("a", FIRE), article("b", FIRE_AGAIN)]) == []


def test_two_stories_are_named() -> None:
    (warning,) = story_warnings([article("a", FIRE), article("b", CHESS)], window_days=3.0)
    assert warning.startswith("a.txt and b.txt share little content (similarity 0.0")
    assert warning.endswith(": they do not look like one story, so most of their facts will "
                            "show as reported by one outlet only")  # fmt: skip


def test_one_story_told_twice_gives_no_warning() -> None:
    assert story_warnings([article("a", FIRE), article("b", FIRE_AGAIN)], window_days=3.0) == []


def test_the_odd_one_out_of_three_is_named() -> None:
    found = story_warnings(
        [article("a", FIRE), article("b", CHESS), article("c", FIRE_AGAIN)], window_days=3.0
    )
    assert len(found) == 1
    assert found[0].startswith("b.txt shares little with the other articles (closest: ")


def test_a_date_gap_asks_for_more_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    # thresholds that make the date gap decide: any pair is alike unless dated far apart
    monkeypatch.setattr(checks, "STORY_SIMILARITY_MIN", -1.0)
    monkeypatch.setattr(checks, "STORY_SIMILARITY_APART", 2.0)
    near = [article("a", FIRE, "2025-03-02"), article("b", FIRE_AGAIN, "2025-03-04")]
    far = [article("a", FIRE, "2019-03-02"), article("b", FIRE_AGAIN, "2025-03-04")]
    undated = [article("a", FIRE), article("b", FIRE_AGAIN, "2025-03-04")]
    assert story_warnings(near, window_days=3.0) == []
    assert story_warnings(undated, window_days=3.0) == []
    assert story_warnings(far, window_days=None) == []  # no window: dates never decide
    (warning,) = story_warnings(far, window_days=3.0)
    assert ", and are dated 2194 days apart: they do not look like one story" in warning


def test_a_german_text_is_named() -> None:
    found = language_warnings([article("a", FIRE), article("b", GERMAN)], identify_language)
    assert len(found) == 1
    assert found[0].startswith("b.txt reads as language 'de' (probability ")
    assert found[0].endswith(
        "not English: rashomon's models read English only, so its sentences, names, quotes "
        "and links may be wrong"
    )


def test_a_short_text_is_not_judged() -> None:
    assert language_warnings([article("a", "Kelm depot fire: two hurt.")], identify_language) == []


def test_the_bundled_story_gives_no_warning() -> None:
    settings = Settings()
    articles, errors = read_inputs(sorted(EXAMPLES.iterdir()), settings=settings)
    assert (len(articles), errors) == (4, [])
    found = check_inputs(
        articles, identify_language=identify_language, window_days=settings.window_days
    )
    assert found == ()
