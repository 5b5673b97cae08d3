"""Who said what across outlets: speakers tied to entities, the same statement in each outlet,
and statements that outlets credit to different speakers (attribution conflicts)."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence

from rashomon.analyze.wording import similarity, word_differences
from rashomon.lexicon import NEWS_NOUNS, WIRE_AGENCIES
from rashomon.models import Article, Conflict, ConflictValue, Entity, Quote, QuoteVariant
from rashomon.nlp import FloatArray
from rashomon.text import fold


def _name_keys(entity: Entity) -> set[str]:
    keys = {fold(entity.name)}
    keys.update(fold(v) for v in entity.variants)
    return keys


def link_speakers(quotes: Sequence[Quote], entities: Sequence[Entity]) -> list[Quote]:
    """Fill ``speaker.entity`` with the entity whose name or variants match the speaker."""
    index: dict[str, str] = {}
    for entity in entities:
        for key in _name_keys(entity):
            index.setdefault(key, entity.id)
    out = []
    for quote in quotes:
        name = quote.speaker.name
        entity_id = index.get(fold(name)) if name else None
        if entity_id is None and name:
            surname = fold(name).split()[-1]
            candidates = {
                e.id for e in entities if any(k.split()[-1:] == [surname] for k in _name_keys(e))
            }
            entity_id = candidates.pop() if len(candidates) == 1 else None
        speaker = dataclasses.replace(quote.speaker, entity=entity_id)
        out.append(dataclasses.replace(quote, speaker=speaker))
    return out


def _speaker_key(quote: Quote) -> str | None:
    if quote.speaker.entity:
        return quote.speaker.entity
    return fold(quote.speaker.name) if quote.speaker.name else None


def quote_variants(
    quotes: Sequence[Quote],
    vectors: FloatArray,
    *,
    min_similarity: float = 0.75,
    min_words: int = 4,
    min_shared_words: float = 0.25,
) -> list[QuoteVariant]:
    """Link the same statement as worded in different articles.

    ``vectors`` are unit embeddings of the quotes (or of the sentences they stand in), in the
    order of ``quotes``. Two quotes of different articles are variants when their vectors are
    at least ``min_similarity`` cosine-similar and their texts share at least
    ``min_shared_words`` of their words in order; whether the speakers agree is recorded, not
    required.
    """
    variants: list[QuoteVariant] = []
    if not quotes:
        return variants
    sims = vectors @ vectors.T
    for i, a in enumerate(quotes):
        if len(a.text.split()) < min_words:
            continue
        for j in range(i + 1, len(quotes)):
            b = quotes[j]
            if b.article == a.article or len(b.text.split()) < min_words:
                continue
            score = float(sims[i, j])
            if score < min_similarity or similarity(a.text, b.text) < min_shared_words:
                continue
            ka, kb = _speaker_key(a), _speaker_key(b)
            variants.append(
                QuoteVariant(
                    source=a.id,
                    target=b.id,
                    score=round(score, 4),
                    same_speaker=None if ka is None or kb is None else ka == kb,
                    differences=word_differences(a.text, b.text),
                )
            )
    return variants


def attribution_conflicts(
    articles: Sequence[Article], quotes: Sequence[Quote], variants: Sequence[QuoteVariant]
) -> list[Conflict]:
    """The same statement credited, by two outlets, to two different speakers; or denied in one
    outlet and asserted in the other.

    A credit conflict needs both speakers resolved to entities (a confident credit), two
    different entities, names that are not two names of one person ("Novak", "Karel Novak")
    and neither speaker a news agency or outlet (which reports a statement, it does not make
    it). Each conflict carries both credits as its values (the speaker's words at each
    attribution, the name they resolve to).
    """
    by_id = {q.id: q for q in quotes}
    article_of = {a.id: a for a in articles}
    outlet_of = {a.id: a.outlet for a in articles}
    conflicts = []
    for variant in variants:
        pair = (by_id[variant.source], by_id[variant.target])
        values = tuple(_speaker_value(q, article_of[q.article]) for q in pair)
        sentences = tuple(dict.fromkeys(v.sentence for v in values))
        if bool(pair[0].negation) != bool(pair[1].negation):
            said = "; ".join(
                f"{outlet_of[q.article]}: {q.speaker.name or 'unnamed'} "
                f"{q.negation or q.cue or 'says'}"
                for q in pair
            )
            conflicts.append(
                Conflict(
                    kind="attribution",
                    sentences=sentences,
                    values=values,
                    note=f"the same statement is denied in one outlet, asserted in the other: "
                    f"{said}",
                )
            )
            continue
        if not _credits_differ(*pair, article_of[pair[0].article], article_of[pair[1].article]):
            continue
        names = "; ".join(f"{outlet_of[q.article]}: {q.speaker.name}" for q in pair)
        conflicts.append(
            Conflict(
                kind="attribution",
                sentences=sentences,
                values=values,
                note=f"the same statement is credited to different speakers: {names}",
            )
        )
    return conflicts


def _names_at(quote: Quote, article: Article | None, name: str | None) -> bool:
    """Whether the quote's own sentence, outside the quote, names ``name`` (then the outlet
    credits it there too, whatever the resolver read)."""
    if article is None or not name:
        return False
    sentence = next((s for s in article.sentences if s.id == quote.sentence), None)
    if sentence is None:
        return False
    text = article.text[sentence.start : quote.start] + " " + article.text[quote.end : sentence.end]
    return _contains(
        " ".join(re.findall(r"\w+", fold(text))), " ".join(re.findall(r"\w+", fold(name)))
    )


def _credits_differ(
    a: Quote, b: Quote, article_a: Article | None = None, article_b: Article | None = None
) -> bool:
    """Two confident credits of two different speakers, neither an outlet that reports."""
    ea, eb = a.speaker.entity, b.speaker.entity
    if ea is None or eb is None or ea == eb:
        return False
    na, nb = a.speaker.name or "", b.speaker.name or ""
    if _one_person(na, nb) or _is_news_source(na) or _is_news_source(nb):
        return False
    # "ABC Group president Paul Lee" credited to the group in one outlet, to Lee in the other:
    # one attribution, read twice
    ma, mb = fold(a.speaker.mention or ""), fold(b.speaker.mention or "")
    if _contains(ma, fold(nb)) or _contains(mb, fold(na)):
        return False
    return not (_names_at(a, article_a, nb) or _names_at(b, article_b, na))


def _contains(text: str, name: str) -> bool:
    return bool(name) and f" {name} " in f" {text} "


def _one_person(a: str, b: str) -> bool:
    """Two names of one speaker: one is a part of the other in order (a surname), or its
    initials (an acronym)."""
    wa, wb = fold(a).split(), fold(b).split()
    if not wa or not wb:
        return False
    short, long_ = sorted((wa, wb), key=lambda w: (len(w), len(" ".join(w))))
    initials = "".join(w[0] for w in re.split(r"[\s-]+", " ".join(long_)) if w)
    if len(short) == 1 and len(short[0]) > 1 and short[0] == initials:
        return True  # "HP" and "Hewlett-Packard"
    n = len(short)
    return any(long_[k : k + n] == short for k in range(len(long_) - n + 1))


def _is_news_source(name: str) -> bool:
    words = set(fold(name).split())
    return name in WIRE_AGENCIES or bool(words & NEWS_NOUNS)


def _speaker_value(quote: Quote, article: Article) -> ConflictValue:
    """The speaker's words at the attribution, located near the quote; else the quote itself."""
    mention = quote.speaker.mention
    if mention:
        window_start = max(quote.start - 300, 0)
        found = article.text.find(mention, window_start, quote.end + 300)
        sentence = next(
            (s.id for s in article.sentences if s.start <= found < s.end), quote.sentence
        )
        if found >= 0:
            return ConflictValue(
                sentence=sentence,
                text=mention,
                start=found,
                end=found + len(mention),
                normalized=quote.speaker.name,
            )
    return ConflictValue(
        sentence=quote.sentence,
        text=quote.text,
        start=quote.start,
        end=quote.end,
        normalized=quote.speaker.name,
    )
