"""Tests for rashomon.analyze.summarize: the neutral, cited summary (pure, hand-made facts)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factories import make_article
from rashomon.analyze.summarize import centrality, needs_context
from rashomon.analyze.summarize import summarize as summarize_with
from rashomon.models import Article, Conflict, ConflictValue, Fact, SummarySentence
from rashomon.text import loadedness

# a stand-in for the parser's content lemmas: lower-cased words of four letters or more
_CONTENT = re.compile(r"[a-z]{4,}")


def content_of(articles: Sequence[Article]) -> dict[str, frozenset[str]]:
    return {
        s.id: frozenset(_CONTENT.findall(s.text.lower())) for a in articles for s in a.sentences
    }


def summarize(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    *,
    max_sentences: int = 6,
    max_words: int = 95,
) -> list[SummarySentence]:
    return summarize_with(
        articles,
        facts,
        conflicts,
        content_of(articles),
        max_sentences=max_sentences,
        max_words=max_words,
    )


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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The port reopened in the evening.", False),
        ("It comes as the port reopened.", True),
        ("local time, 40 kilometers west of the port.", True),
        ("The port reopened and then...", True),
        ("", True),
    ],
)
def test_needs_context(text: str, expected: bool) -> None:
    assert needs_context(text) is expected


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
    assert len(summarize(ARTICLES, FACTS, [], max_sentences=2)) == 2
    assert len(summarize(ARTICLES, FACTS, [], max_sentences=3)) == 3


def test_between_facts_told_by_as_many_outlets_the_more_central_is_chosen() -> None:
    central = centrality(ARTICLES, content_of(ARTICLES))
    # f1's neutral wording is b:s1 ("slammed the brutal" loads a:s1); f3 has two neutral ones
    protest, ships = central["b:s1"], max(central["a:s3"], central["b:s2"])
    assert protest != ships
    second = "f1" if protest > ships else "f3"
    summary = summarize(ARTICLES, FACTS, [], max_sentences=2)
    assert sorted((s.fact for s in summary), key=str) == sorted(["f4", second])


def test_centrality_counts_words_the_other_articles_use() -> None:
    one = make_article("x", "One", ["Ferry crews struck today.", "Bakers sold bread."])
    two = make_article("y", "Two", ["Ferry crews struck on Monday."])
    three = make_article("z", "Three", ["Crews walked out.", "Nothing else happened."])
    central = centrality([one, two, three], content_of([one, two, three]))
    # ferry (1 of 2 others), crews (2 of 2), struck (1 of 2), today (0): 2.0 / sqrt(4)
    assert central["x:s1"] == pytest.approx(1.0)
    assert central["x:s2"] == 0.0
    # a sentence without content words is not central, and a lone article has no others
    assert centrality([one], content_of([one]))["x:s1"] == 0.0


def test_chosen_facts_are_in_story_order() -> None:
    summary = summarize(ARTICLES, [REOPENED, SHIPS, PROTEST], [], max_sentences=6)
    assert [s.fact for s in summary] == ["f1", "f3", "f4"]


def test_among_equally_neutral_variants_the_most_central_wins() -> None:
    central = centrality(ARTICLES, content_of(ARTICLES))
    best = max(REOPENED.sentences, key=lambda x: central[x])
    assert len({central[x] for x in REOPENED.sentences}) == 3
    (item,) = summarize(ARTICLES, [REOPENED], [], max_sentences=1)
    assert item.sentence == best


def test_shared_facts_come_before_single_ones_and_an_outlet_fills_two_at_most() -> None:
    summary = summarize(ARTICLES, FACTS, [], max_sentences=100, max_words=1000)
    statuses = {s.fact: s.status for s in summary}
    assert {f for f, status in statuses.items() if status == "shared"} == {"f1", "f3", "f4"}
    assert {"f2", "f5"} <= set(statuses)
    many = make_article(
        "m",
        "Harbor Times",
        [
            "Dock crews reported for the evening shift early.",
            "A cargo crane failed twice before midnight yesterday.",
            "Fishermen repaired their nets along the northern quay.",
            "The ferry timetable changed without any public notice.",
            "Customs officers counted containers until dawn broke.",
        ],
    )
    singles = [
        Fact(id=f"g{n}", sentences=(f"m:s{n + 1}",), outlets=("Harbor Times",), status="single")
        for n in range(5)
    ]
    summary = summarize([many, LEDGER], singles, [], max_sentences=100, max_words=1000)
    assert len(summary) == 2


def test_the_summary_stops_once_it_holds_max_words() -> None:
    # each sentence here has six to eight words: the second one passes 10
    summary = summarize(ARTICLES, FACTS, [], max_sentences=100, max_words=10)
    assert len(summary) == 2
    assert sum(len(s.text.split()) for s in summary[:-1]) < 10


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


def test_a_headline_is_not_chosen_as_the_wording() -> None:
    headline = make_article("h", "Coast Wire", ["Ships Wait Outside Harbour In Velm"])
    radio = make_article("r", "Coast Radio", ["Ships wait outside the harbour in Velm, it said."])
    articles = [LEDGER, headline, radio]
    fact = Fact(
        id="f9",
        sentences=("b:s2", "h:s1"),
        outlets=("Evening Ledger", "Coast Wire"),
        status="shared",
    )
    central = centrality(articles, content_of(articles))
    assert central["h:s1"] > central["b:s2"]
    (item,) = summarize(articles, [fact], [])
    assert item.text == "Ships waited outside the harbour."


@pytest.mark.parametrize(
    "dateline", ["VELM, June 2 (Coast Wire) — ", "VELM (Coast Wire) - ", "PORT VELM, June 2 — "]
)
def test_a_wire_dateline_is_not_chosen_as_the_wording(dateline: str) -> None:
    wire = make_article(
        "w", "Coast Wire", [f"{dateline}Ships waited outside the harbour for most of the day."]
    )
    radio = make_article(
        "r", "Coast Radio", ["Coast Wire said ships waited in Velm on June 2 for most of the day."]
    )
    articles = [LEDGER, wire, radio]
    fact = Fact(
        id="f9",
        sentences=("b:s2", "w:s1"),
        outlets=("Evening Ledger", "Coast Wire"),
        status="shared",
    )
    # the wire's wording is the more central one: only its dateline can lose it the choice
    central = centrality(articles, content_of(articles))
    assert central["w:s1"] > central["b:s2"]
    (item,) = summarize(articles, [fact], [])
    assert item.text == "Ships waited outside the harbour."
    plain = make_article(
        "w", "Coast Wire", ["Ships waited outside the harbour for most of the day."]
    )
    (item,) = summarize([LEDGER, plain, radio], [fact], [])
    assert item.text == "Ships waited outside the harbour for most of the day."


def test_a_summary_sentence_cites_only_the_sentences_that_state_it() -> None:
    # b:s2 joined the fact through its link to the core sentence a:s1 only: it does not say
    # what b:s1 says, so a summary worded as b:s1 must not cite it
    from rashomon.models import Alignment

    fact = Fact(id="f1", sentences=("a:s1", "b:s1", "b:s2"), outlets=TWO, status="shared")
    links = [
        Alignment(source="a:s1", target="b:s1", relation="equivalent", score=0.95),
        Alignment(source="a:s1", target="b:s2", relation="partial", score=0.8),
    ]
    linked = {frozenset((x.source, x.target)) for x in links}
    (item,) = summarize_with(ARTICLES, [fact], [], content_of(ARTICLES), links=links)
    assert item.sentence in fact.sentences
    assert all(s == item.sentence or frozenset((s, item.sentence)) in linked for s in item.support)
    assert item.outlets == TWO
    assert item.status == "shared"
    assert item.sentence == "b:s1"  # the least loaded of the wordings two outlets state


def test_a_fact_is_worded_by_its_core_not_by_a_sentence_that_joined_it() -> None:
    # b:s1 joined through a weaker link to a:s1; the core is the strongest link a:s1 - b:s2.
    # b:s1 is the least loaded wording, and was chosen before the core counted.
    from rashomon.models import Alignment

    fact = Fact(id="f1", sentences=("a:s1", "b:s1", "b:s2"), outlets=TWO, status="shared")
    links = [
        Alignment(source="a:s1", target="b:s1", relation="partial", score=0.7),
        Alignment(source="a:s1", target="b:s2", relation="equivalent", score=0.95),
    ]
    (item,) = summarize_with(ARTICLES, [fact], [], content_of(ARTICLES), links=links)
    assert item.sentence in ("a:s1", "b:s2")
    assert item.support in (("a:s1", "b:s1", "b:s2"), ("a:s1", "b:s2"))
