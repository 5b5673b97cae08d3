"""Alignments -> facts: groups of sentences, across articles, that report one fact."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from scipy.cluster.hierarchy import DisjointSet

from rashomon.models import SAME_FACT, Alignment, Article, Fact

SentenceKey = tuple[str, int]  # (article id, sentence index): content ids, not input positions


def group_facts(
    articles: Sequence[Article],
    alignments: Sequence[Alignment],
    *,
    max_per_article: int = 2,
    min_support: float = 0.5,
) -> list[Fact]:
    """Group linked sentences into facts; every unlinked sentence is a fact of its own.

    Links are merged strongest first. A fact grows from its *core*, the two sentences of its
    strongest link: a sentence joins only when it is linked to a core sentence itself, so a
    fact never chains sentences through a third one that says something else ("X and Y spoke
    on Monday" - "... spoke, and the withdrawal hurt" - "the withdrawal hurt"). Two groups
    also join only when the result keeps at most ``max_per_article`` sentences of any one
    article and the links between them cover at least ``min_support`` of their cross-article
    sentence pairs. A merged group keeps the core of its strongest founding link. Ties are
    broken by article ids, so the same articles give the same facts
    in any input order; only the numbering ``f1, f2, ...`` follows reading order.
    """
    position: dict[str, tuple[int, int]] = {}
    key: dict[str, SentenceKey] = {}
    outlet_of: dict[str, str] = {}
    for a_index, article in enumerate(articles):
        for sentence in article.sentences:
            position[sentence.id] = (a_index, sentence.index)
            key[sentence.id] = (article.id, sentence.index)
            outlet_of[sentence.id] = article.outlet
    links = [link for link in alignments if link.relation in SAME_FACT]
    linked = {frozenset((link.source, link.target)) for link in links}
    groups = DisjointSet(position)
    # root of a merged group -> (rank of its founding link, its core sentences)
    core: dict[str, tuple[tuple[float, SentenceKey], frozenset[str]]] = {}
    strongest = sorted(
        links,
        key=lambda link: (
            -link.score,
            min(key[link.source], key[link.target]),
            max(key[link.source], key[link.target]),
        ),
    )
    for link in strongest:
        if groups.connected(link.source, link.target):
            continue
        left, right = groups.subset(link.source), groups.subset(link.target)
        rank = (-link.score, min(key[link.source], key[link.target]))
        founded = min(
            (c for c in (core.get(groups[link.source]), core.get(groups[link.target])) if c),
            default=(rank, frozenset((link.source, link.target))),
        )
        if _may_join(left, right, linked, key, max_per_article, min_support) and all(
            _reaches_core(s, founded[1], linked) for s in (*left, *right)
        ):
            groups.merge(link.source, link.target)
            core[groups[link.source]] = founded
    components = sorted(
        (sorted(members, key=position.__getitem__) for members in groups.subsets()),
        key=lambda members: position[members[0]],
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


def _reaches_core(sentence: str, core: frozenset[str], linked: set[frozenset[str]]) -> bool:
    return sentence in core or any(frozenset((sentence, c)) in linked for c in core)


def _may_join(
    left: set[str],
    right: set[str],
    linked: set[frozenset[str]],
    key: dict[str, SentenceKey],
    max_per_article: int,
    min_support: float,
) -> bool:
    per_article = Counter(key[s][0] for s in (*left, *right))
    if max(per_article.values()) > max_per_article:
        return False
    pairs = [(x, y) for x in left for y in right if key[x][0] != key[y][0]]
    if not pairs:
        return False
    support = sum(1 for x, y in pairs if frozenset((x, y)) in linked)
    return support / len(pairs) >= min_support
