"""Tests for rashomon.analyze.facts: linked sentences -> facts (pure, hand-made links)."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from factories import make_article
from rashomon.analyze.compose import with_differences
from rashomon.analyze.facts import group_facts
from rashomon.models import Alignment, Article, Fact, Relation


def article(article_id: str, outlet: str, n: int) -> Article:
    return make_article(article_id, outlet, [f"Sentence {k} of {outlet}." for k in range(1, n + 1)])


def link(source: str, target: str, score: float, relation: Relation = "equivalent") -> Alignment:
    return Alignment(source=source, target=target, relation=relation, score=score)


TIMES = article("a", "Harbor Times", 3)
LEDGER = article("b", "Evening Ledger", 2)


def test_linked_sentences_form_one_shared_fact_and_the_rest_are_single() -> None:
    facts = group_facts([TIMES, LEDGER], [link("a:s2", "b:s1", 0.9)])
    assert facts == [
        Fact(id="f1", sentences=("a:s1",), outlets=("Harbor Times",), status="single"),
        Fact(
            id="f2",
            sentences=("a:s2", "b:s1"),
            outlets=("Harbor Times", "Evening Ledger"),
            status="shared",
        ),
        Fact(id="f3", sentences=("a:s3",), outlets=("Harbor Times",), status="single"),
        Fact(id="f4", sentences=("b:s2",), outlets=("Evening Ledger",), status="single"),
    ]


def test_ids_follow_reading_order_not_link_order() -> None:
    links = [link("b:s2", "a:s3", 0.95, "partial"), link("a:s1", "b:s1", 0.6)]
    facts = group_facts([TIMES, LEDGER], links)
    assert [(f.id, f.sentences) for f in facts] == [
        ("f1", ("a:s1", "b:s1")),
        ("f2", ("a:s2",)),
        ("f3", ("a:s3", "b:s2")),
    ]


def test_related_links_do_not_make_facts() -> None:
    facts = group_facts([TIMES, LEDGER], [link("a:s1", "b:s1", 0.3, "related")])
    assert [f.sentences for f in facts] == [("a:s1",), ("a:s2",), ("a:s3",), ("b:s1",), ("b:s2",)]
    assert {f.status for f in facts} == {"single"}


def test_three_outlets_in_one_fact() -> None:
    radio = article("c", "Coast Radio", 1)
    links = [link("a:s1", "b:s1", 0.9), link("a:s1", "c:s1", 0.8), link("b:s1", "c:s1", 0.85)]
    facts = group_facts([TIMES, LEDGER, radio], links)
    assert facts[0] == Fact(
        id="f1",
        sentences=("a:s1", "b:s1", "c:s1"),
        outlets=("Harbor Times", "Evening Ledger", "Coast Radio"),
        status="shared",
    )
    assert len(facts) == 4


def test_a_fact_never_chains_sentences_through_a_third_one() -> None:
    # a2 links to the core (a1, b1); b2 links only to a2, so it says something else
    times, ledger = article("a", "Harbor Times", 3), article("b", "Evening Ledger", 2)
    chain = [
        link("a:s1", "b:s1", 0.95),
        link("b:s1", "a:s2", 0.9),
        link("a:s2", "b:s2", 0.85),
        link("b:s2", "a:s3", 0.45, "partial"),  # the weak link
    ]
    facts = group_facts([times, ledger], chain, max_per_article=2)
    assert [f.sentences for f in facts] == [("a:s1", "a:s2", "b:s1"), ("a:s3", "b:s2")]


def test_one_sentence_per_article_keeps_the_strongest_link() -> None:
    facts = group_facts(
        [TIMES, LEDGER],
        [link("a:s1", "b:s1", 0.7), link("a:s2", "b:s1", 0.9)],
        max_per_article=1,
    )
    assert [f.sentences for f in facts] == [("a:s1",), ("a:s2", "b:s1"), ("a:s3",), ("b:s2",)]


def test_groups_join_only_with_enough_links_between_them() -> None:
    # c1 reaches the core (a1, b1) through a1, but only one of its two cross pairs is linked
    radio = article("c", "Coast Radio", 1)
    links = [link("a:s1", "b:s1", 0.9), link("a:s1", "c:s1", 0.8)]
    joined = group_facts([TIMES, LEDGER, radio], links, min_support=0.5)
    apart = group_facts([TIMES, LEDGER, radio], links, min_support=0.6)
    assert joined[0].sentences == ("a:s1", "b:s1", "c:s1")
    assert [f.sentences for f in apart if len(f.sentences) > 1] == [("a:s1", "b:s1")]


def test_two_groups_join_only_when_every_sentence_reaches_the_core() -> None:
    # {a1, b1} and {a2, b2} touch through a1-b2 only: a2 is not linked to a1 or b1
    links = [link("a:s1", "b:s1", 0.9), link("a:s2", "b:s2", 0.9), link("a:s1", "b:s2", 0.5)]
    facts = group_facts([TIMES, LEDGER], links, min_support=0.1)
    assert [f.sentences for f in facts if len(f.sentences) > 1] == [
        ("a:s1", "b:s1"),
        ("a:s2", "b:s2"),
    ]


def test_the_same_articles_give_the_same_facts_in_any_order() -> None:
    # b1 is as close to a1 as to c1, and only one of them may join it: a tie that the order of
    # the inputs (or of a link's two ends) must not break
    radio = article("c", "Coast Radio", 2)
    links = [link("b:s1", "a:s1", 0.8), link("b:s1", "c:s1", 0.8), link("a:s2", "c:s2", 0.7)]
    orders = [[TIMES, LEDGER, radio], [radio, LEDGER, TIMES], [LEDGER, radio, TIMES]]
    flipped = [link(x.target, x.source, x.score) for x in links]
    results = [
        {frozenset(f.sentences) for f in group_facts(arts, ls, min_support=0.6)}
        for arts in orders
        for ls in (links, flipped)
    ]
    assert all(r == results[0] for r in results)
    assert frozenset({"a:s1", "b:s1"}) in results[0]


# --- properties -------------------------------------------------------------------------------


@st.composite
def stories(draw: st.DrawFn) -> tuple[list[Article], list[Alignment]]:
    """Two to four articles (two may share an outlet) and random links between them."""
    n_articles = draw(st.integers(2, 4))
    outlets = ["Harbor Times", "Evening Ledger", "Coast Radio", "Harbor Times"]
    arts = [article(f"x{i}", outlets[i], draw(st.integers(1, 5))) for i in range(n_articles)]
    ids = [(i, s.id) for i, a in enumerate(arts) for s in a.sentences]
    pair = st.tuples(st.sampled_from(ids), st.sampled_from(ids)).filter(
        lambda p: p[0][0] != p[1][0]
    )
    links = draw(
        st.lists(
            st.builds(
                lambda p, score, relation: link(p[0][1], p[1][1], score, relation),
                pair,
                st.floats(0.0, 1.0),
                st.sampled_from(["equivalent", "partial", "related"]),
            ),
            max_size=15,
        )
    )
    return arts, links


@given(stories(), st.integers(1, 3))
def test_facts_partition_the_sentences(
    story: tuple[list[Article], list[Alignment]], max_per_article: int
) -> None:
    arts, links = story
    facts = group_facts(arts, links, max_per_article=max_per_article)
    every = [s.id for a in arts for s in a.sentences]
    grouped = [s for f in facts for s in f.sentences]
    assert sorted(grouped) == sorted(every)
    assert len(grouped) == len(set(grouped))
    assert [f.id for f in facts] == [f"f{n}" for n in range(1, len(facts) + 1)]


@given(stories(), st.integers(1, 3))
def test_facts_are_in_reading_order_and_respect_the_cap(
    story: tuple[list[Article], list[Alignment]], max_per_article: int
) -> None:
    arts, links = story
    reading = {s.id: k for k, s in enumerate(s for a in arts for s in a.sentences)}
    outlet_of = {s.id: a.outlet for a in arts for s in a.sentences}
    facts = group_facts(arts, links, max_per_article=max_per_article)
    assert [reading[f.sentences[0]] for f in facts] == sorted(
        reading[f.sentences[0]] for f in facts
    )
    for fact in facts:
        assert list(fact.sentences) == sorted(fact.sentences, key=reading.__getitem__)
        per_article = Counter(s.partition(":")[0] for s in fact.sentences)
        assert len(fact.sentences) == 1 or max(per_article.values()) <= max_per_article
        assert fact.outlets == tuple(dict.fromkeys(outlet_of[s] for s in fact.sentences))
        assert fact.status == ("shared" if len(fact.outlets) >= 2 else "single")


@given(stories(), st.randoms(use_true_random=False))
def test_link_order_does_not_matter(
    story: tuple[list[Article], list[Alignment]], rng: random.Random
) -> None:
    arts, links = story
    shuffled = list(links)
    rng.shuffle(shuffled)
    assert group_facts(arts, shuffled) == group_facts(arts, links)


def test_word_differences_only_for_links_inside_one_fact() -> None:
    # Both links are close rewordings, but fact grouping put b:s2 in a fact of its own: it is
    # not shown as the same fact in other words.
    a = make_article("a", "Harbor Gazette", ["The dock fire burned for six hours.", "x"])
    b = make_article(
        "b",
        "Quay Daily",
        ["The dock fire burned for seven hours.", "The dock fire burned for five hours."],
    )
    links = [
        Alignment(source="a:s1", target="b:s1", relation="partial", score=0.9),
        Alignment(source="a:s1", target="b:s2", relation="partial", score=0.8),
    ]
    facts = [
        Fact(
            id="F1",
            sentences=("a:s1", "b:s1"),
            outlets=("Harbor Gazette", "Quay Daily"),
            status="shared",
        ),
        Fact(id="F2", sentences=("b:s2",), outlets=("Quay Daily",), status="single"),
    ]
    shown = with_differences([a, b], links, facts)
    assert [bool(link.differences) for link in shown] == [True, False]
    assert [(d.source, d.target) for d in shown[0].differences] == [("six", "seven")]
