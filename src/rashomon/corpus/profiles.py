"""Outlet profiles: what each outlet covers, misses, copies, alone reports and whom it quotes."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rashomon.models import Comparison


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletProfile:
    outlet: str
    articles: int
    stories: int
    blindspots: int  # stories most other outlets covered and this one did not
    blindspot_share: float  # of the stories most other outlets covered
    wire_copies: int  # its articles that copy another article's text
    wire_share: float
    facts_alone: int  # facts only this outlet reports (in compared stories)
    facts_omitted: int  # facts most other outlets of the story report and this one does not
    conflicts: int  # conflicts it is party to
    top_speakers: tuple[tuple[str, int], ...]
    top_sources: tuple[tuple[str, int], ...]


def outlet_profiles(
    memberships: Sequence[tuple[str, str, str]],
    copied_articles: Iterable[str],
    comparisons: Iterable[Comparison],
    *,
    top: int = 5,
) -> list[OutletProfile]:
    """Profile every outlet from story memberships, copy edges and compared stories.

    Args:
        memberships: (story id, article id, outlet) of every story member.
        copied_articles: ids of articles whose text copies another article.
        comparisons: compared stories (facts, conflicts, quotes and sources come from these).
    """
    stories_of: dict[str, set[str]] = defaultdict(set)
    outlets_in: dict[str, set[str]] = defaultdict(set)
    articles_of: dict[str, set[str]] = defaultdict(set)
    for story, article, outlet in memberships:
        stories_of[outlet].add(story)
        outlets_in[story].add(outlet)
        articles_of[outlet].add(article)
    copied = set(copied_articles)
    all_outlets = sorted(stories_of)
    counts = _comparison_counts(comparisons)
    profiles = []
    for outlet in all_outlets:
        others = len(all_outlets) - 1
        # a story "most others covered": more than half of the other outlets carried it
        major = [
            s
            for s, present in outlets_in.items()
            if others and len(present - {outlet}) > others / 2
        ]
        missed = [s for s in major if outlet not in outlets_in[s]]
        n_articles = len(articles_of[outlet])
        wire = len(articles_of[outlet] & copied)
        profiles.append(
            OutletProfile(
                outlet=outlet,
                articles=n_articles,
                stories=len(stories_of[outlet]),
                blindspots=len(missed),
                blindspot_share=round(len(missed) / len(major), 4) if major else 0.0,
                wire_copies=wire,
                wire_share=round(wire / n_articles, 4) if n_articles else 0.0,
                facts_alone=counts.alone[outlet],
                facts_omitted=counts.omitted[outlet],
                conflicts=counts.conflicts[outlet],
                top_speakers=tuple(counts.speakers[outlet].most_common(top)),
                top_sources=tuple(counts.sources[outlet].most_common(top)),
            )
        )
    return profiles


@dataclass(slots=True)
class _Counts:
    alone: Counter[str]
    omitted: Counter[str]
    conflicts: Counter[str]
    speakers: defaultdict[str, Counter[str]]
    sources: defaultdict[str, Counter[str]]


def _comparison_counts(comparisons: Iterable[Comparison]) -> _Counts:
    counts = _Counts(Counter(), Counter(), Counter(), defaultdict(Counter), defaultdict(Counter))
    for c in comparisons:
        outlet_of = {a.id: a.outlet for a in c.articles}
        story_outlets = set(outlet_of.values())
        for fact in c.facts:
            if fact.status == "single":
                counts.alone[fact.outlets[0]] += 1
            elif len(fact.outlets) > len(story_outlets) / 2:
                for outlet in story_outlets - set(fact.outlets):
                    counts.omitted[outlet] += 1
        for conflict in c.conflicts:
            for outlet in {outlet_of[s.rpartition(":")[0]] for s in conflict.sentences}:
                counts.conflicts[outlet] += 1
        for quote in c.quotes:
            if quote.speaker.name:
                counts.speakers[outlet_of[quote.article]][quote.speaker.name] += 1
        for source in c.sources_cited:
            counts.sources[outlet_of[source.article]][source.name] += 1
    return counts
