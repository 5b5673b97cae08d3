"""Tests for rashomon.summarize: the neutral, cited summary (pure, hand-made facts)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import make_article
from rashomon.models import Conflict, ConflictValue, Fact, SummarySentence
from rashomon.summarize import loadedness, summarize

TIMES = make_article(
    "a",
    "Harbor Times",
    [
        "Police slammed the brutal protest at the port.",
        "The mayor met the dock workers on Monday.",
        "Ships were held outside the harbour.",
        "The port reopened in the evening.",
    ],
)
LEDGER = make_article(
    "b",
    "Evening Ledger",
    [
        "Police criticised the protest at the port.",
        "Ships waited outside the harbour.",
        "The port reopened that evening.",
    ],
)
RADIO = make_article(
    "c",
    "Coast Radio",
    ["Traffic was diverted around the port.", "The port opened again in the evening."],
)
ARTICLES = [TIMES, LEDGER, RADIO]
THREE = ("Harbor Times", "Evening Ledger", "Coast Radio")
TWO = ("Harbor Times", "Evening Ledger")

PROTEST = Fact(id="f1", sentences=("a:s1", "b:s1"), outlets=TWO, status="shared")
MAYOR = Fact(id="f2", sentences=("a:s2",), outlets=("Harbor Times",), status="single")
SHIPS = Fact(id="f3", sentences=("a:s3", "b:s2"), outlets=TWO, status="shared")
REOPENED = Fact(id="f4", sentences=("a:s4", "b:s3", "c:s2"), outlets=THREE, status="shared")
TRAFFIC = Fact(id="f5", sentences=("c:s1",), outlets=("Coast Radio",), status="single")
FACTS = [PROTEST, MAYOR, SHIPS, REOPENED, TRAFFIC]


def test_loadedness_counts_loaded_words_exclamations_quotes_and_first_person() -> None:
    assert loadedness("Police criticised the protest at the port.") == 0.0
    assert loadedness("Police slammed the brutal protest at the port.") == 2.0
    assert loadedness("We saw it!") == 1.5
    assert loadedness("“It was shocking,” she said.") == 1.5
    assert loadedness("") == 0.0


def test_the_least_loaded_wording_is_chosen() -> None:
    (item,) = summarize(ARTICLES, [PROTEST], [])
    assert item == SummarySentence(
        text="Police criticised the protest at the port.",
        sentence="b:s1",
        support=("a:s1", "b:s1"),
        outlets=TWO,
        status="shared",
        fact="f1",
        note=None,
    )


def test_facts_told_by_more_outlets_are_chosen_first() -> None:
    (item,) = summarize(ARTICLES, FACTS, [], max_sentences=1)
    assert item.fact == "f4"
    assert item.outlets == THREE


def test_max_sentences_is_respected() -> None:
    assert [s.fact for s in summarize(ARTICLES, FACTS, [], max_sentences=2)] == ["f1", "f4"]
    assert len(summarize(ARTICLES, FACTS, [], max_sentences=3)) == 3


def test_chosen_facts_are_in_story_order() -> None:
    summary = summarize(ARTICLES, [REOPENED, SHIPS, PROTEST], [], max_sentences=6)
    assert [s.fact for s in summary] == ["f1", "f3", "f4"]
    assert [s.text for s in summary] == [
        "Police criticised the protest at the port.",
        "Ships were held outside the harbour.",
        "The port opened again in the evening.",
    ]


def test_among_equally_neutral_variants_the_fullest_wins() -> None:
    # 31, 33 and 37 characters: the 37-character Coast Radio sentence says the most
    (item,) = summarize(ARTICLES, [REOPENED], [], max_sentences=1)
    assert (item.sentence, item.text) == ("c:s2", "The port opened again in the evening.")


def test_single_facts_only_fill_up_to_one_more_than_the_articles() -> None:
    # three shared facts for three articles: one lead fact is added to reach four, no more
    summary = summarize(ARTICLES, FACTS, [], max_sentences=100)
    assert [(s.fact, s.status) for s in summary] == [
        ("f1", "shared"),
        ("f5", "single"),
        ("f3", "shared"),
        ("f4", "shared"),
    ]
    assert [s.fact for s in summarize(ARTICLES, FACTS, [], max_sentences=3)] == ["f1", "f3", "f4"]


def test_without_shared_facts_each_outlet_lead_is_added_and_marked_single() -> None:
    summary = summarize(ARTICLES, [MAYOR, TRAFFIC], [], max_sentences=100)
    assert sorted((s.fact, s.status) for s in summary) == sorted(
        (f.id, "single") for f in (MAYOR, TRAFFIC)
    )
    assert all(len(s.outlets) == 1 for s in summary)


def _conflict(fact: str, note: str) -> Conflict:
    return Conflict(
        kind="number",
        sentences=("a:s3", "b:s2"),
        values=(
            ConflictValue(sentence="a:s3", text="Ships", start=0, end=5),
            ConflictValue(sentence="b:s2", text="Ships", start=0, end=5),
        ),
        note=note,
        fact=fact,
    )


def test_a_fact_with_a_conflict_is_contested_with_its_note() -> None:
    conflict = _conflict("f3", "different figures for 'ship': Harbor Times: 3; Evening Ledger: 5")
    summary = summarize(ARTICLES, FACTS, [conflict])
    by_fact = {s.fact: s for s in summary}
    assert by_fact["f3"].status == "contested"
    assert by_fact["f3"].note == conflict.note
    assert (by_fact["f1"].status, by_fact["f1"].note) == ("shared", None)
    assert (by_fact["f4"].status, by_fact["f4"].note) == ("shared", None)


def test_several_conflicts_of_one_fact_are_all_noted() -> None:
    conflicts = [_conflict("f3", "first note"), _conflict("f3", "second note")]
    by_fact = {s.fact: s for s in summarize(ARTICLES, FACTS, conflicts)}
    assert by_fact["f3"].note == "first note; second note"


@pytest.mark.parametrize("max_sentences", [1, 2, 3, 6])
def test_every_summary_sentence_is_a_real_sentence_of_its_fact(max_sentences: int) -> None:
    text_of = {s.id: s.text for a in ARTICLES for s in a.sentences}
    for item in summarize(ARTICLES, FACTS, [], max_sentences=max_sentences):
        assert item.sentence in item.support
        assert text_of[item.sentence] == item.text


@given(st.permutations(FACTS), st.integers(1, 6))
def test_the_order_facts_arrive_in_does_not_matter(facts: list[Fact], max_sentences: int) -> None:
    assert summarize(ARTICLES, facts, [], max_sentences=max_sentences) == summarize(
        ARTICLES, FACTS, [], max_sentences=max_sentences
    )


@pytest.mark.parametrize(
    "dateline", ["VELM, June 2 (Coast Wire) — ", "VELM (Coast Wire) - ", "PORT VELM, June 2 — "]
)
def test_a_wire_dateline_is_not_chosen_as_the_wording(dateline: str) -> None:
    wire = make_article(
        "w", "Coast Wire", [f"{dateline}Ships waited outside the harbour for most of the day."]
    )
    fact = Fact(
        id="f9",
        sentences=("b:s2", "w:s1"),
        outlets=("Evening Ledger", "Coast Wire"),
        status="shared",
    )
    (item,) = summarize([LEDGER, wire], [fact], [])
    assert item.text == "Ships waited outside the harbour."
    # without the dateline the longer wording wins, as before
    plain = make_article(
        "w", "Coast Wire", ["Ships waited outside the harbour for most of the day."]
    )
    (item,) = summarize([LEDGER, plain], [fact], [])
    assert item.text == "Ships waited outside the harbour for most of the day."
