"""Outlet profiles from memberships, copy edges and compared stories (pure)."""

from __future__ import annotations

from rashomon.corpus.profiles import outlet_profiles
from rashomon.models import (
    Article,
    Comparison,
    Conflict,
    ConflictValue,
    Fact,
    Quote,
    SourceCited,
    Speaker,
)

# three stories; A and B cover all three, C only the first
MEMBERS = [
    ("s1", "a1", "A"),
    ("s1", "b1", "B"),
    ("s1", "c1", "C"),
    ("s2", "a2", "A"),
    ("s2", "b2", "B"),
    ("s3", "a3", "A"),
    ("s3", "b3", "B"),
]


def _comparison() -> Comparison:
    articles = tuple(
        Article(id=i, text="x", outlet=o) for i, o in (("a1", "A"), ("b1", "B"), ("c1", "C"))
    )
    facts = (
        Fact(id="f1", sentences=("a1:s1", "b1:s1"), outlets=("A", "B"), status="shared"),
        Fact(id="f2", sentences=("c1:s1",), outlets=("C",), status="single"),
        Fact(id="f3", sentences=("a1:s2",), outlets=("A",), status="single"),
    )
    value = ConflictValue(sentence="a1:s1", text="x", start=0, end=1)
    conflict = Conflict(
        kind="number",
        sentences=("a1:s1", "c1:s1"),
        values=(value, ConflictValue(sentence="c1:s1", text="x", start=0, end=1)),
        note="n",
    )
    quote = Quote(
        id="a1:q1", article="a1", kind="direct", text="x", sentence="a1:s1", start=0, end=1,
        cue="said", speaker=Speaker(name="Ilse Varga", entity=None, mention="Varga"),
    )  # fmt: skip
    source = SourceCited(article="b1", name="Meridian Wire", kind="agency", sentences=("b1:s1",))
    return Comparison(
        articles=articles,
        facts=facts,
        conflicts=(conflict,),
        quotes=(quote,),
        sources_cited=(source,),
    )


def test_coverage_blindspots_and_wire_copy() -> None:
    profiles = {p.outlet: p for p in outlet_profiles(MEMBERS, ["b2"], [])}
    assert (profiles["A"].stories, profiles["C"].stories) == (3, 1)
    # every story was carried by more than half of the other outlets; C missed s2 and s3
    assert (profiles["C"].blindspots, profiles["C"].blindspot_share) == (2, 0.6667)
    assert profiles["A"].blindspots == 0
    assert (profiles["B"].wire_copies, profiles["B"].wire_share) == (1, 0.3333)


def test_facts_alone_omitted_conflicts_quotes_and_sources() -> None:
    profiles = {p.outlet: p for p in outlet_profiles(MEMBERS, [], [_comparison()])}
    assert (profiles["A"].facts_alone, profiles["C"].facts_alone, profiles["B"].facts_alone) == (
        1,
        1,
        0,
    )
    assert (profiles["C"].facts_omitted, profiles["A"].facts_omitted) == (1, 0)
    assert (profiles["A"].conflicts, profiles["C"].conflicts, profiles["B"].conflicts) == (1, 1, 0)
    assert profiles["A"].top_speakers == (("Ilse Varga", 1),)
    assert profiles["B"].top_sources == (("Meridian Wire", 1),)
