"""Renderers: Comparison -> str (``markdown.render_markdown``, ``html.render_html``).

This module holds the lookups both renderers share. Everything in a Comparison that came from an
article (text, titles, outlet names, even ids) is untrusted: each renderer escapes it for its
format.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rashomon.models import Article, Comparison, Fact, Sentence


@dataclass(frozen=True, slots=True, kw_only=True)
class Located:
    """A sentence with its article and the fact it belongs to (if any)."""

    article: Article
    sentence: Sentence
    fact: Fact | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportIndex:
    """Lookups a report needs, built once per Comparison."""

    labels: dict[str, str]  # article id -> display label (outlet, numbered if repeated)
    sentences: dict[str, Located]  # sentence id -> where it is
    fact_numbers: dict[str, int]  # fact id -> 1-based number shown as "F<n>"

    def ref(self, sentence_id: str) -> str:
        """Short citation for a sentence: ``"<outlet> s<n>"``, or the raw id if it is unknown."""
        found = self.sentences.get(sentence_id)
        if found is None:
            return sentence_id
        return f"{self.labels[found.article.id]} {sentence_id.rpartition(':')[2]}"

    def fact_label(self, fact_id: str | None) -> str | None:
        if fact_id is None or fact_id not in self.fact_numbers:
            return None
        return f"F{self.fact_numbers[fact_id]}"


def index_comparison(c: Comparison) -> ReportIndex:
    """Build the lookups for ``c``; sentence ids missing from the articles are simply absent."""
    fact_of: dict[str, Fact] = {}
    for fact in c.facts:
        for sentence_id in fact.sentences:
            fact_of.setdefault(sentence_id, fact)
    sentences = {
        s.id: Located(article=a, sentence=s, fact=fact_of.get(s.id))
        for a in c.articles
        for s in a.sentences
    }
    return ReportIndex(
        labels=article_labels(c),
        sentences=sentences,
        fact_numbers={f.id: n for n, f in enumerate(c.facts, start=1)},
    )


def article_labels(c: Comparison) -> dict[str, str]:
    """Label each article by its outlet; an outlet with several articles gets ``(1)``, ``(2)``."""
    counts = Counter(a.outlet for a in c.articles)
    seen: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for article in c.articles:
        seen[article.outlet] += 1
        label = article.outlet.strip() or article.id
        if counts[article.outlet] > 1:
            label = f"{label} ({seen[article.outlet]})"
        labels[article.id] = label
    return labels


def story_title(c: Comparison) -> str:
    """The title most articles share, else the first article's title, else a generic one."""
    titles = [a.title.strip() for a in c.articles if a.title and a.title.strip()]
    if not titles:
        return f"Comparison of {len(c.articles)} articles"
    best, count = Counter(titles).most_common(1)[0]
    return best if count > 1 else titles[0]
