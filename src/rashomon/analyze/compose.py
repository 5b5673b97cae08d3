"""Story + models -> Comparison: the compare stages composed, with models as arguments."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from rashomon.analyze.align import PairModel, Thresholds, align_pair, score_matrix
from rashomon.analyze.conflicts import find_conflicts, read_sentence_facts
from rashomon.analyze.facts import group_facts
from rashomon.analyze.features import profiles_for
from rashomon.analyze.segment import segment_article
from rashomon.analyze.summarize import summarize
from rashomon.analyze.wording import similarity, word_differences
from rashomon.errors import NotEnoughArticlesError
from rashomon.models import (
    Alignment,
    Article,
    Comparison,
    Conflict,
    Entity,
    Fact,
    Quote,
    QuoteVariant,
    SourceCited,
)
from rashomon.nlp import Embedder, FloatArray, ParsedText, TextParser
from rashomon.settings import Settings
from rashomon.who.attribution import attribution_conflicts, link_speakers, quote_variants
from rashomon.who.entities import find_entities
from rashomon.who.quotes import extract_quotes
from rashomon.who.sources import find_sources

Progress = Callable[[str], None]
# How many times compare_articles calls on_progress: one step each, in order.
COMPARE_STEPS = 5


def compare_articles(
    articles: Sequence[Article],
    *,
    parser: TextParser,
    embedder: Embedder,
    pair_model: PairModel,
    settings: Settings,
    on_progress: Progress | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Comparison:
    """Compare two or more articles of one story.

    ``aliases`` (variant -> canonical name) extend the grouping of entities.

    Raises:
        NotEnoughArticlesError: fewer than two articles.
    """
    if len(articles) < 2:
        raise NotEnoughArticlesError(len(articles))
    step = on_progress or (lambda _msg: None)
    step(f"parsing {len(articles)} articles")
    parsed = parser.parse([a.text for a in articles])
    articles = [segment_article(a, p) for a, p in zip(articles, parsed, strict=True)]
    spans = [[(s.start, s.end) for s in a.sentences] for a in articles]
    profiles = [profiles_for(p, sp) for p, sp in zip(parsed, spans, strict=True)]
    texts = [s.text for a in articles for s in a.sentences]
    step(f"embedding {len(texts)} sentences")
    vectors = embedder.encode(texts)
    offsets = np.cumsum([0] + [len(a.sentences) for a in articles])
    step(f"aligning {len(articles) * (len(articles) - 1) // 2} article pairs")
    thresholds = Thresholds(
        link=settings.link_threshold,
        equivalent=settings.equivalent_threshold,
        related=settings.related_threshold,
    )
    alignments: list[Alignment] = []
    for i in range(len(articles)):
        for j in range(i + 1, len(articles)):
            left = vectors[offsets[i] : offsets[i + 1]]
            right = vectors[offsets[j] : offsets[j + 1]]
            probs = score_matrix(pair_model, profiles[i], profiles[j], left @ right.T)
            alignments.extend(
                align_pair(
                    [s.id for s in articles[i].sentences],
                    [s.id for s in articles[j].sentences],
                    probs,
                    profiles[i],
                    profiles[j],
                    thresholds,
                )
            )
    step("finding facts and conflicts")
    facts = group_facts(articles, alignments)
    alignments = with_differences(articles, alignments, facts)
    conflicts = find_conflicts(facts, alignments, read_sentence_facts(articles, parsed))
    content = {
        s.id: profile.content
        for a, article_profiles in zip(articles, profiles, strict=True)
        for s, profile in zip(a.sentences, article_profiles, strict=True)
    }
    summary = summarize(
        articles,
        facts,
        conflicts,
        content,
        max_sentences=settings.summary_sentences,
        max_words=settings.summary_words,
        links=alignments,
    )
    step("finding who said what")
    sentence_vectors = {
        s.id: vectors[n] for n, s in enumerate(s for a in articles for s in a.sentences)
    }
    who = who_said_what(
        articles, parsed, embedder, aliases=aliases, sentence_vectors=sentence_vectors
    )
    return Comparison(
        articles=tuple(articles),
        alignments=tuple(alignments),
        facts=tuple(facts),
        conflicts=tuple(conflicts) + who.conflicts,
        summary=tuple(summary),
        quotes=who.quotes,
        entities=who.entities,
        sources_cited=who.sources,
        quote_variants=who.variants,
        warnings=tuple(w for a in articles for w in a.warnings),
    )


def _quote_vectors(
    quotes: Sequence[Quote], sentence_vectors: Mapping[str, FloatArray] | None, embedder: Embedder
) -> FloatArray:
    """One vector per quote: the embedding of the sentence it stands in.

    The sentences were embedded for alignment already, so finding the same statement in other
    outlets costs no model time; without them (one article, or the quotes command) the
    quotes' sentences are embedded here.
    """
    if not quotes:
        return np.zeros((0, 1), dtype=np.float32)
    if sentence_vectors is None or any(q.sentence not in sentence_vectors for q in quotes):
        ids = list(dict.fromkeys(q.sentence for q in quotes))
        texts = {q.sentence: q.text for q in quotes}
        encoded = embedder.encode([texts[i] for i in ids])
        sentence_vectors = {i: encoded[n] for n, i in enumerate(ids)}
    return np.stack([sentence_vectors[q.sentence] for q in quotes]).astype(np.float32)


@dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
class WhoSaidWhat:
    quotes: tuple[Quote, ...]
    entities: tuple[Entity, ...]
    sources: tuple[SourceCited, ...]
    variants: tuple[QuoteVariant, ...]
    conflicts: tuple[Conflict, ...]


def who_said_what(
    articles: Sequence[Article],
    parsed: Sequence[ParsedText],
    embedder: Embedder,
    *,
    aliases: Mapping[str, str] | None = None,
    sentence_vectors: Mapping[str, FloatArray] | None = None,
) -> WhoSaidWhat:
    """Quotes with speakers tied to entities, sources cited, and quotes across outlets."""
    entities = find_entities(articles, parsed, aliases=aliases)
    quotes: list[Quote] = []
    sources: list[SourceCited] = []
    for article, doc in zip(articles, parsed, strict=True):
        found = extract_quotes(article, doc)
        quotes.extend(found)
        sources.extend(find_sources(article, doc, found))
    quotes = link_speakers(quotes, entities)
    variants = quote_variants(quotes, _quote_vectors(quotes, sentence_vectors, embedder))
    return WhoSaidWhat(
        quotes=tuple(quotes),
        entities=tuple(entities),
        sources=tuple(sources),
        variants=tuple(variants),
        conflicts=tuple(attribution_conflicts(articles, quotes, variants)),
    )


def with_differences(
    articles: Sequence[Article],
    alignments: Sequence[Alignment],
    facts: Sequence[Fact],
    *,
    min_similarity: float = 0.4,
) -> list[Alignment]:
    """Attach word differences to same-fact links whose wording is close enough to compare.

    Only a link whose two sentences ended up in one fact is shown as the same fact in other
    words: a link that fact grouping left apart (its sentences say too little of the fact's
    core) would otherwise be shown as a rewording of a fact its target is not in. Below
    ``min_similarity`` (share of words in the same order) the sentences say the fact in
    different words throughout, and a word diff would only restate both sentences.
    """
    text_of = {s.id: s.text for a in articles for s in a.sentences}
    facts_of: dict[str, set[str]] = {}
    for fact in facts:
        for sentence in fact.sentences:
            facts_of.setdefault(sentence, set()).add(fact.id)
    out = []
    for link in alignments:
        source, target = text_of[link.source], text_of[link.target]
        together = bool(facts_of.get(link.source, set()) & facts_of.get(link.target, set()))
        if link.relation != "related" and together and similarity(source, target) >= min_similarity:
            link = dataclasses.replace(link, differences=word_differences(source, target))
        out.append(link)
    return out
