"""Alignments -> facts: groups of sentences, across articles, that report one fact."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scipy.cluster.hierarchy import DisjointSet

from rashomon.models import Alignment, Article, Fact


def group_facts(
    articles: Sequence[Article],
    alignments: Sequence[Alignment],
    *,
    max_per_article: int = 2,
    min_support: float = 0.5,
) -> list[Fact]:
    """Group linked sentences into facts; every unlinked sentence is a fact of its own.

    Links are merged strongest first, and two groups join only when the result keeps at most
    ``max_per_article`` sentences of any one article and the links between the two groups
    cover at least ``min_support`` of their cross-article sentence pairs. That stops one
    sentence that mentions two facts from chaining both into one. Facts are numbered
    ``f1, f2, ...`` in reading order of their first sentence, so ids are stable.
    """
    order: dict[str, tuple[int, int]] = {}
    outlet_of: dict[str, str] = {}
    for a_index, article in enumerate(articles):
        for sentence in article.sentences:
            order[sentence.id] = (a_index, sentence.index)
            outlet_of[sentence.id] = article.outlet
    linked = {
        frozenset((link.source, link.target))
        for link in alignments
        if link.relation in ("equivalent", "partial")
    }
    groups = DisjointSet(order)
    strongest = sorted(
        (link for link in alignments if link.relation in ("equivalent", "partial")),
        key=lambda link: (-link.score, order[link.source], order[link.target]),
    )
    for link in strongest:
        if groups.connected(link.source, link.target):
            continue
        left, right = groups.subset(link.source), groups.subset(link.target)
        if _may_join(left, right, linked, order, max_per_article, min_support):
            groups.merge(link.source, link.target)
    components = sorted(
        (sorted(members, key=order.__getitem__) for members in groups.subsets()),
        key=lambda members: order[members[0]],
    )
    facts = []
    for n, members in enumerate(components, start=1):
        outlets = tuple(dict.fromkeys(outlet_of[s] for s in members))
        facts.append(
            Fact(
                id=f"f{n}",
                sentences=tuple(members),
                outlets=outlets,
                status="shared" if len(outlets) >= 2 else "single",
            )
        )
    return facts


def _may_join(
    left: set[str],
    right: set[str],
    linked: set[frozenset[str]],
    order: dict[str, tuple[int, int]],
    max_per_article: int,
    min_support: float,
) -> bool:
    per_article = Counter(order[s][0] for s in (*left, *right))
    if max(per_article.values()) > max_per_article:
        return False
    pairs = [(x, y) for x in left for y in right if order[x][0] != order[y][0]]
    if not pairs:
        return False
    support = sum(1 for x, y in pairs if frozenset((x, y)) in linked)
    return support / len(pairs) >= min_support
