"""Story -> sentence alignments across outlets.

Every sentence pair of two different articles is scored by a small logistic model over
``features.pair_features`` (embedding cosine plus lexical, entity and number evidence). Its
weights were fitted on ECB+ pairs of the tune topics (cross-document event coreference and the
hand-aligned pairs) by ``benchmarks/fit_link_model.py`` and ship as ``data/pair_model.json``
(see ``data/README.md``); the thresholds live in Settings and were chosen on the tune part too.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from rashomon.analyze.features import (
    FEATURE_NAMES,
    PairContext,
    SentenceProfile,
    pair_features,
    sentence_profile,
    story_idf,
)
from rashomon.logistic import Logistic, load_logistic
from rashomon.models import SAME_FACT, Alignment, Relation
from rashomon.nlp import Embedder, FloatArray, TextParser

STANDALONE_POSITION = 0.5


PairModel = Logistic  # the same-fact model: a logistic over ``FEATURE_NAMES``


def load_pair_model(text: str | None = None) -> PairModel:
    """Read the shipped pair model (or one given as JSON text)."""
    return load_logistic("pair_model.json", FEATURE_NAMES, what="pair model", text=text)


@functools.cache
def shipped_pair_model() -> PairModel:
    """The shipped pair model, read once per process."""
    return load_pair_model()


@dataclass(frozen=True, slots=True, kw_only=True)
class Thresholds:
    link: float
    equivalent: float
    related: float


def classify(
    probability: float, a: SentenceProfile, b: SentenceProfile, t: Thresholds
) -> Relation | None:
    """The relation of a scored pair, or None when the sentences are unrelated."""
    if probability >= t.link:
        small, large = sorted((a.n_content, b.n_content))
        balanced = large == 0 or small / large >= 0.6
        return "equivalent" if probability >= t.equivalent and balanced else "partial"
    if probability >= t.related:
        return "related"
    return None


def feature_matrix(
    left: Sequence[SentenceProfile], right: Sequence[SentenceProfile], cosines: FloatArray
) -> npt.NDArray[np.float64]:
    """Pair features of every (left, right) pair, row-major, in story context."""
    idf, default_idf = story_idf([*left, *right])
    ranks, zscores = _context(cosines)
    rows = [
        pair_features(
            a,
            b,
            float(cosines[i, j]),
            PairContext(
                idf=idf,
                default_idf=default_idf,
                best_rank=float(ranks[i, j]),
                cosine_z=float(zscores[i, j]),
            ),
        )
        for i, a in enumerate(left)
        for j, b in enumerate(right)
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(left) * len(right), len(FEATURE_NAMES))


def score_matrix(
    model: PairModel,
    left: Sequence[SentenceProfile],
    right: Sequence[SentenceProfile],
    cosines: FloatArray,
) -> FloatArray:
    """Same-fact probabilities for every (left, right) sentence pair."""
    if not left or not right:
        return np.zeros((len(left), len(right)), dtype=np.float32)
    matrix = feature_matrix(left, right, cosines)
    return model.probabilities(matrix).reshape(len(left), len(right))


def _context(cosines: FloatArray) -> tuple[FloatArray, FloatArray]:
    """1/rank of each cell in its row or column (best of both) and its z-score there."""
    row_rank = (-cosines).argsort(axis=1).argsort(axis=1) + 1
    col_rank = (-cosines).argsort(axis=0).argsort(axis=0) + 1
    best = 1.0 / np.minimum(row_rank, col_rank)
    row_z = (cosines - cosines.mean(axis=1, keepdims=True)) / (
        cosines.std(axis=1, keepdims=True) + 0.05
    )
    col_z = (cosines - cosines.mean(axis=0, keepdims=True)) / (
        cosines.std(axis=0, keepdims=True) + 0.05
    )
    return best.astype(np.float32), np.maximum(row_z, col_z).astype(np.float32)


def align_pair(
    left_ids: Sequence[str],
    right_ids: Sequence[str],
    probs: FloatArray,
    left: Sequence[SentenceProfile],
    right: Sequence[SentenceProfile],
    thresholds: Thresholds,
) -> list[Alignment]:
    """Links between two articles' sentences.

    A same-fact link (equivalent/partial) may be many-to-one. A ``related`` link is kept only
    for a sentence's best match, and only when that sentence has no same-fact link at all.
    """
    links: list[Alignment] = []
    linked_left: set[int] = set()
    linked_right: set[int] = set()
    for i in range(len(left_ids)):
        if left[i].is_metadata:
            continue
        for j in range(len(right_ids)):
            if right[j].is_metadata:
                continue
            p = float(probs[i, j])
            relation = classify(p, left[i], right[j], thresholds)
            if relation in SAME_FACT:
                links.append(_link(left_ids[i], right_ids[j], relation, p))
                linked_left.add(i)
                linked_right.add(j)
    if probs.size:
        for i in range(len(left_ids)):
            j = int(np.argmax(probs[i]))
            p = float(probs[i, j])
            if left[i].is_metadata or right[j].is_metadata:
                continue
            if i not in linked_left and j not in linked_right and p >= thresholds.related:
                links.append(_link(left_ids[i], right_ids[j], "related", p))
    return links


def _link(source: str, target: str, relation: Relation, score: float) -> Alignment:
    return Alignment(source=source, target=target, relation=relation, score=round(score, 4))


def _no_context(model: PairModel) -> dict[str, float]:
    """Context features for a pair that has no story around it: the values the model was
    fitted around (their means), so that they move its probability neither way. The
    dataclass defaults (best of its row, average cosine) would call every lone pair the best
    match of its story."""
    return {name: model.mean[model.names.index(name)] for name in ("best_rank", "cosine_z")}


def score_sentence_pairs(
    pairs: Sequence[tuple[str, str]],
    parser: TextParser,
    embedder: Embedder,
    model: PairModel,
    thresholds: Thresholds,
) -> list[tuple[float, Relation | None, list[float]]]:
    """Score standalone sentence pairs with the same model and decision as ``compare``.

    Returns, per pair, the same-fact probability, the relation and the feature vector.
    """
    texts = [text for pair in pairs for text in pair]
    parsed = parser.parse(texts)
    vectors = embedder.encode(texts)
    # a standalone sentence has no place in an article: put it mid-article, not at the lead
    profiles = [
        dataclasses.replace(sentence_profile(p, 0, len(p.text)), position=STANDALONE_POSITION)
        for p in parsed
    ]
    results: list[tuple[float, Relation | None, list[float]]] = []
    for k in range(len(pairs)):
        a, b = profiles[2 * k], profiles[2 * k + 1]
        # a standalone pair is a story of two sentences: word rarity is judged within it
        idf, default_idf = story_idf([a, b])
        ctx = PairContext(idf=idf, default_idf=default_idf, **_no_context(model))
        cosine = float(vectors[2 * k] @ vectors[2 * k + 1])
        features = pair_features(a, b, cosine, ctx)
        p = model.probability(features)
        results.append((p, classify(p, a, b, thresholds), features))
    return results
