"""Renderers: Comparison -> str (``markdown.render_markdown``, ``html.render_html``).

This module holds the lookups both renderers share. Everything in a Comparison that came from an
article (text, titles, outlet names, even ids) is untrusted: each renderer escapes it for its
format.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rashomon.models import Article, Comparison, Entity, Fact, Quote, QuoteVariant, Sentence

UNNAMED_SPEAKER = "Unnamed speaker"
MAX_NAMES = 15  # "Names and labels" shows at most this many entities, the most mentioned first
_ENTITY_TYPES = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "NORP": "group",
}


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


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakerGroup:
    """Everything one speaker said: quotes per article (article order, then text order)."""

    name: str
    entity: Entity | None
    by_article: tuple[tuple[str, tuple[Quote, ...]], ...]  # (article id, its quotes)

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return tuple(q for _, quotes in self.by_article for q in quotes)

    @property
    def is_unnamed(self) -> bool:
        return self.name == UNNAMED_SPEAKER and self.entity is None


def _speaker_key(quote: Quote) -> tuple[str, str]:
    if quote.speaker.entity:
        return ("entity", quote.speaker.entity)
    if quote.speaker.name and quote.speaker.name.strip():
        return ("name", " ".join(quote.speaker.name.casefold().split()))
    return ("unnamed", "")


def group_speakers(c: Comparison) -> list[SpeakerGroup]:
    """Group quotes by speaker: the linked entity when there is one, else the speaker's name.

    Speakers quoted by more outlets come first, then those with more statements; quotes whose
    speaker is never named form one group, last.
    """
    order = {a.id: n for n, a in enumerate(c.articles)}
    entities = {e.id: e for e in c.entities}
    grouped: dict[tuple[str, str], list[Quote]] = {}
    for quote in sorted(c.quotes, key=lambda q: (order.get(q.article, len(order)), q.start)):
        grouped.setdefault(_speaker_key(quote), []).append(quote)
    groups = []
    for (kind, key), quotes in grouped.items():
        entity = entities.get(key) if kind == "entity" else None
        names = Counter(q.speaker.name for q in quotes if q.speaker.name)
        name = entity.name if entity else names.most_common(1)[0][0] if names else UNNAMED_SPEAKER
        by_article: dict[str, list[Quote]] = {}
        for quote in quotes:
            by_article.setdefault(quote.article, []).append(quote)
        groups.append(
            SpeakerGroup(
                name=name,
                entity=entity,
                by_article=tuple((a, tuple(qs)) for a, qs in by_article.items()),
            )
        )
    # stable sort: ties keep the order in which the speakers are first quoted
    return sorted(groups, key=lambda g: (g.is_unnamed, -len(g.by_article), -len(g.quotes)))


def variant_quotes(c: Comparison, variant: QuoteVariant) -> tuple[Quote | None, Quote | None]:
    """The two quotes a variant links (None for an id that is not among the quotes)."""
    by_id = {q.id: q for q in c.quotes}
    return by_id.get(variant.source), by_id.get(variant.target)


def speaker_name(c: Comparison, quote: Quote) -> str:
    """How a report names the speaker of one quote."""
    if quote.speaker.entity:
        entity = next((e for e in c.entities if e.id == quote.speaker.entity), None)
        if entity is not None:
            return entity.name
    return quote.speaker.name or UNNAMED_SPEAKER


def is_named(quote: Quote) -> bool:
    return bool(quote.speaker.entity or (quote.speaker.name and quote.speaker.name.strip()))


@dataclass(frozen=True, slots=True, kw_only=True)
class NamesShown:
    """The entities "Names and labels" shows, and how many it leaves out and why."""

    entities: tuple[Entity, ...]
    mentioned_once: int  # entities left out because they are mentioned once (or never)
    beyond_limit: int  # entities left out because more-mentioned ones filled the list


def names_to_show(c: Comparison, *, limit: int = MAX_NAMES) -> NamesShown:
    """Entities mentioned more than once, the most mentioned first, at most ``limit``."""
    repeated = [e for e in c.entities if len(e.mentions) > 1]
    ranked = sorted(repeated, key=lambda e: -len(e.mentions))  # stable: ties keep their order
    return NamesShown(
        entities=tuple(ranked[:limit]),
        mentioned_once=len(c.entities) - len(repeated),
        beyond_limit=max(len(ranked) - limit, 0),
    )


def names_used(entity: Entity, article_id: str) -> list[tuple[str, int]]:
    """The words one article uses for an entity, each with how often, in order of first use."""
    counts = Counter(" ".join(m.text.split()) for m in entity.mentions if m.article == article_id)
    return list(counts.items())


def labels_used(entity: Entity, article: Article) -> tuple[str, ...]:
    """The labels an article's outlet attaches to the entity (``labels_by_outlet``)."""
    found: list[str] = []
    for outlet, labels in entity.labels_by_outlet:
        if outlet == article.outlet:
            found.extend(labels)
    return tuple(dict.fromkeys(found))


def entity_type(label: str) -> str:
    """A reader's word for a spaCy entity label (``ORG`` -> ``organization``)."""
    return _ENTITY_TYPES.get(label, label.lower())


def left_out_note(shown: NamesShown) -> str:
    """A sentence saying which names "Names and labels" leaves out, or ``""``."""
    parts = []
    if shown.beyond_limit:
        parts.append(f"{shown.beyond_limit} mentioned less often")
    if shown.mentioned_once:
        parts.append(f"{shown.mentioned_once} mentioned only once")
    if not parts:
        return ""
    total = shown.beyond_limit + shown.mentioned_once
    return f"Left out: {total} more name{'s' if total != 1 else ''} ({' and '.join(parts)})."
