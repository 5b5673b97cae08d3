"""Evidence that two sentences report the same fact: lexical, entity, number and embedding.

``sentence_profile`` condenses a parsed sentence; ``pair_features`` turns two profiles and their
embedding cosine into the feature vector that the same-fact model in ``align`` scores.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from rashomon.nlp import ParsedText, Token
from rashomon.text import fold, is_content, is_headline, number_value, tokens_in

FEATURE_NAMES: tuple[str, ...] = (
    "cosine",
    "jaccard",
    "cover_min",
    "cover_max",
    "length_ratio",
    "entity_cover_min",
    "entity_missing",
    "number_match",
    "number_mismatch",
    "token_set_ratio",
    "bigram_cover_min",
    "cosine_x_cover",
    "idf_cover_min",
    "idf_shared",
    "best_rank",
    "cosine_z",
    "lead",
    "headline",
)

_ENTITY_LABELS = {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"}
_ARTICLES = ("the ", "a ", "an ")
# Pieces of a clock time after a date: 10:02, 12.00, a. m., pm, MST, GMT, UTC.
_CLOCK_PART = re.compile(r"\d{1,2}[:.]\d{2}|[aApP]\.?|[mM]\.|[aApP]\.?[mM]\.?|[A-Z]{1,3}T|UTC")


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceProfile:
    """What the pair features need to know about one sentence."""

    content: frozenset[str]  # lemmas of content words
    bigrams: frozenset[tuple[str, str]]
    words: str  # folded word string for fuzzy matching
    entities: frozenset[str]
    numbers: frozenset[float]
    n_content: int
    is_metadata: bool = False  # only a date, time or number (a dateline or timestamp)
    position: float = 0.0  # 0 = first sentence of its article, 1 = last
    is_headline: bool = False  # no final punctuation: a headline or a title-like line


def _entity_key(text: str) -> str:
    key = fold(text).strip()
    for article in _ARTICLES:
        if key.startswith(article):
            key = key[len(article) :]
    key = re.sub(r"'s$", "", key)
    return re.sub(r"[^\w ]+", "", key).strip()


def sentence_profile(parsed: ParsedText, start: int, end: int) -> SentenceProfile:
    """Profile the sentence at character span [start, end) of a parsed text."""
    tokens = tokens_in(parsed, start, end)
    content_tokens = [t for t in tokens if is_content(t)]
    lemmas = [fold(t.lemma or t.text) for t in content_tokens]
    words = [fold(t.text) for t in tokens if not t.is_punct and t.pos != "SPACE"]
    numbers = frozenset(
        value
        for t in tokens
        if (t.like_num or t.pos == "NUM") and (value := number_value(t.text)) is not None
    )
    entities = frozenset(
        key
        for e in parsed.entities
        if e.start >= start and e.end <= end and e.label in _ENTITY_LABELS
        if (key := _entity_key(e.text))
    )
    return SentenceProfile(
        content=frozenset(lemmas),
        bigrams=frozenset(itertools.pairwise(lemmas)),
        words=" ".join(words),
        entities=entities,
        numbers=numbers,
        n_content=len(lemmas),
        is_metadata=is_metadata(tokens),
    )


def is_metadata(tokens: Sequence[Token]) -> bool:
    """Whether a sentence states no fact: only a date, time or number (a dateline or time
    stamp, perhaps after a label of up to two words and a colon: "Published: Dec. 19,
    2005"), or a heading that introduces what follows ("About the prison:")."""
    if tokens and tokens[-1].text == ":" and not any(t.pos in {"VERB", "AUX"} for t in tokens):
        return True
    colon = next((k for k, t in enumerate(tokens[:3]) if t.text == ":"), None)
    if colon is not None and colon < len(tokens) - 1:
        after = [t for t in tokens[colon + 1 :] if is_content(t)]
        # only a time stamp loses its label: "Death toll: 40" is a fact
        if any(t.ent_type in {"DATE", "TIME"} for t in after) and all(
            t.ent_type in {"DATE", "TIME"} or _CLOCK_PART.fullmatch(t.text) for t in after
        ):
            return True
    content_tokens = [t for t in tokens if is_content(t)]
    return not any(t.pos in {"VERB", "AUX"} for t in tokens) and not any(
        t.ent_type not in {"DATE", "TIME", "CARDINAL"} and not t.like_num for t in content_tokens
    )


def _entity_matches(a: frozenset[str], b: frozenset[str]) -> int:
    """Entities of ``a`` found in ``b``, allowing a surname or a partial spelling to match."""
    found = 0
    for key in a:
        if key in b or any(
            key in other.split() or other in key.split() or fuzz.ratio(key, other) >= 85
            for other in b
        ):
            found += 1
    return found


@dataclass(frozen=True, slots=True, kw_only=True)
class PairContext:
    """Where a pair stands in its story: word rarity and how the pair ranks among the others.

    ``idf`` is computed over the sentences of the story itself, so words that every sentence
    repeats (the story's topic) count less than the specific words of one fact.
    """

    idf: Mapping[str, float]
    default_idf: float
    best_rank: float = 1.0  # 1 / rank of this pair's cosine in its row or column, best of both
    cosine_z: float = 0.0  # cosine minus the row and column mean, in standard deviations


def story_idf(profiles: Sequence[SentenceProfile]) -> tuple[dict[str, float], float]:
    """Inverse document frequency of content lemmas over a story's sentences."""
    n = len(profiles) or 1
    df: Counter[str] = Counter()
    for p in profiles:
        df.update(p.content)
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}, math.log((n + 1) / 0.5)


def _weight(words: frozenset[str], ctx: PairContext) -> float:
    return sum(ctx.idf.get(w, ctx.default_idf) for w in words)


def pair_features(
    a: SentenceProfile, b: SentenceProfile, cosine: float, ctx: PairContext
) -> list[float]:
    """The feature vector (ordered as FEATURE_NAMES) for a sentence pair."""
    shared = len(a.content & b.content)
    union = len(a.content | b.content) or 1
    small, large = sorted((len(a.content), len(b.content)))
    cover_min = shared / small if small else 0.0
    cover_max = shared / large if large else 0.0
    small_bi = min(len(a.bigrams), len(b.bigrams))
    bigram_cover = len(a.bigrams & b.bigrams) / small_bi if small_bi else 0.0
    if a.entities and b.entities:
        fewer, more = sorted((a.entities, b.entities), key=len)
        matched = _entity_matches(fewer, more)
        entity_cover = matched / len(fewer)
        entity_missing = float(len(fewer) - matched)
    else:
        entity_cover = 0.0
        entity_missing = 0.0
    number_match = float(bool(a.numbers & b.numbers))
    number_mismatch = float(bool(a.numbers and b.numbers and not a.numbers & b.numbers))
    return [
        cosine,
        shared / union,
        cover_min,
        cover_max,
        small / large if large else 0.0,
        entity_cover,
        min(entity_missing, 3.0),
        number_match,
        number_mismatch,
        fuzz.token_set_ratio(a.words, b.words) / 100.0,
        bigram_cover,
        cosine * cover_min,
        _weight(a.content & b.content, ctx)
        / (min(_weight(a.content, ctx), _weight(b.content, ctx)) or 1.0),
        min(_weight(a.content & b.content, ctx), 30.0) / 10.0,
        ctx.best_rank,
        ctx.cosine_z,
        1.0 - max(a.position, b.position),
        float(a.is_headline or b.is_headline),
    ]


def profiles_for(parsed: ParsedText, spans: Sequence[tuple[int, int]]) -> list[SentenceProfile]:
    """Profiles of an article's sentences, with their place in the article."""
    last = max(len(spans) - 1, 1)
    return [
        dataclasses.replace(
            sentence_profile(parsed, start, end),
            position=k / last,
            is_headline=is_headline(parsed.text[start:end]),
        )
        for k, (start, end) in enumerate(spans)
    ]
