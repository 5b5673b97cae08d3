"""Tests for rashomon.analyze.wording: word-level differences of two aligned sentences."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from rashomon.analyze.wording import similarity, word_differences
from rashomon.models import Difference

# Words of a tiny invented story, so generated sentence pairs share most of their words.
VOCAB = ["the", "fire", "hit", "port", "on", "monday", "huge", "old", "rebels", "crews", "Fire"]
_WORDS = st.lists(st.sampled_from(VOCAB), max_size=10)
_WORD = re.compile(r"\w+")


def _sentence(words: list[str]) -> str:
    return " ".join(words) + "."


def test_one_word_replaced() -> None:
    source = "The rebels seized the bridge at dawn."
    target = "The militants seized the bridge at dawn."
    assert word_differences(source, target) == (
        Difference(
            kind="replace",
            source="rebels",
            target="militants",
            source_span=(4, 10),
            target_span=(4, 13),
        ),
    )


def test_one_word_replaced_by_two() -> None:
    source = "Two guards died in the attack."
    target = "Two guards were killed in the attack."
    assert word_differences(source, target) == (
        Difference(
            kind="replace",
            source="died",
            target="were killed",
            source_span=(11, 15),
            target_span=(11, 22),
        ),
    )


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("“Yes,” he said.", '"yes," he said.'),
        ("The Mayor’s office closed.", "the mayor's office closed"),
        ("Café owners — all of them — agreed.", "cafe owners - all of them - agreed!"),
    ],
)
def test_quote_style_case_and_punctuation_are_not_differences(source: str, target: str) -> None:
    assert word_differences(source, target) == ()


def test_inserted_words() -> None:
    assert word_differences("The bridge was closed.", "The old stone bridge was closed.") == (
        Difference(
            kind="insert", source="", target="old stone", source_span=None, target_span=(4, 13)
        ),
    )


def test_deleted_words() -> None:
    assert word_differences("The bridge was closed on Monday.", "The bridge was closed.") == (
        Difference(
            kind="delete", source="on Monday", target="", source_span=(22, 31), target_span=None
        ),
    )


def test_two_separate_replacements_stay_separate() -> None:
    source = "Rebels seized the bridge on Monday."
    target = "Militants seized the bridge on Tuesday."
    assert word_differences(source, target) == (
        Difference(
            kind="replace",
            source="Rebels",
            target="Militants",
            source_span=(0, 6),
            target_span=(0, 9),
        ),
        Difference(
            kind="replace",
            source="Monday",
            target="Tuesday",
            source_span=(28, 34),
            target_span=(31, 38),
        ),
    )


def test_insert_and_distant_delete_are_not_merged() -> None:
    source = "The fire hit the port on Monday."
    target = "The huge fire hit the port."
    assert word_differences(source, target) == (
        Difference(kind="insert", source="", target="huge", source_span=None, target_span=(4, 8)),
        Difference(
            kind="delete", source="on Monday", target="", source_span=(22, 31), target_span=None
        ),
    )


def test_similarity_counts_words_in_order() -> None:
    assert similarity("The fire hit the port.", "the FIRE hit the port") == 1.0
    assert similarity("a b c d", "a b x y") == 0.5


@given(st.text())
def test_a_text_has_no_differences_with_itself(text: str) -> None:
    assert word_differences(text, text) == ()


@given(st.text(), st.text())
def test_spans_index_the_texts_exactly(source: str, target: str) -> None:
    for diff in word_differences(source, target):
        assert (diff.source_span is None) == (diff.kind == "insert")
        assert (diff.target_span is None) == (diff.kind == "delete")
        if diff.source_span is not None:
            assert diff.source == source[diff.source_span[0] : diff.source_span[1]]
            assert diff.source.strip() == diff.source != ""
        if diff.target_span is not None:
            assert diff.target == target[diff.target_span[0] : diff.target_span[1]]
            assert diff.target.strip() == diff.target != ""


@given(_WORDS, _WORDS)
def test_spans_are_in_order_and_do_not_overlap(a: list[str], b: list[str]) -> None:
    diffs = word_differences(_sentence(a), _sentence(b))
    for attr in ("source_span", "target_span"):
        spans = [getattr(d, attr) for d in diffs if getattr(d, attr) is not None]
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end < start


def _unchanged_before(text: str, spans: list[tuple[int, int]], offset: int) -> int:
    """Words of ``text`` before ``offset`` that no difference covers."""
    return sum(
        1 for m in _WORD.finditer(text, 0, offset) if not any(s <= m.start() < e for s, e in spans)
    )


@given(_WORDS, _WORDS)
@example(
    ["the", "fire", "hit", "the", "port", "on", "monday"],
    ["the", "huge", "fire", "hit", "the", "port"],
)
def test_a_replacement_sits_at_the_same_place_in_both_texts(a: list[str], b: list[str]) -> None:
    source, target = _sentence(a), _sentence(b)
    diffs = word_differences(source, target)
    source_spans = [d.source_span for d in diffs if d.source_span is not None]
    target_spans = [d.target_span for d in diffs if d.target_span is not None]
    for diff in diffs:
        if diff.kind == "replace":
            assert diff.source_span is not None
            assert diff.target_span is not None
            assert _unchanged_before(source, source_spans, diff.source_span[0]) == (
                _unchanged_before(target, target_spans, diff.target_span[0])
            )


@given(_WORDS, _WORDS)
def test_unchanged_words_are_equal_in_both_texts(a: list[str], b: list[str]) -> None:
    source, target = _sentence(a), _sentence(b)
    diffs = word_differences(source, target)
    source_spans = [d.source_span for d in diffs if d.source_span is not None]
    target_spans = [d.target_span for d in diffs if d.target_span is not None]

    def kept(text: str, spans: list[tuple[int, int]]) -> list[str]:
        return [
            m.group().lower()
            for m in _WORD.finditer(text)
            if not any(s <= m.start() < e for s, e in spans)
        ]

    assert kept(source, source_spans) == kept(target, target_spans)
