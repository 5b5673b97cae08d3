"""Tests for rashomon.analyze.align: the same-fact model, its decisions and scores (real models)."""

from __future__ import annotations

import json
import re
from importlib import resources

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.analyze.align import (
    Thresholds,
    align_pair,
    classify,
    load_pair_model,
    score_matrix,
    score_sentence_pairs,
    shipped_pair_model,
)
from rashomon.analyze.features import FEATURE_NAMES, SentenceProfile, profiles_for
from rashomon.models import Alignment
from rashomon.nlp import Embedder, TextParser
from rashomon.settings import Settings

SETTINGS = Settings()
THRESHOLDS = Thresholds(
    link=SETTINGS.link_threshold,
    equivalent=SETTINGS.equivalent_threshold,
    related=SETTINGS.related_threshold,
)
T = Thresholds(link=0.4, equivalent=0.8, related=0.25)

# One invented story told by two outlets: A1~B1 and A2~B3 report the same facts.
STORY_A = [
    "A fire broke out at the Vella grain terminal early on Friday, destroying two warehouses.",
    "Three workers were taken to hospital with smoke inhalation.",
    "The terminal's owner, Bellmar Grain, said the site was insured.",
]
STORY_B = [
    "Two warehouses were destroyed when a blaze erupted at Vella's grain terminal early Friday.",
    "Firefighters from three towns fought the flames for six hours.",
    "Three dock workers were treated in hospital for breathing in smoke.",
]

OTHER_STORY = "The Harlow Comets beat the Dunmore Rovers 3-1 in the league final on Sunday."


def profile(n_content: int) -> SentenceProfile:
    words = frozenset(f"w{k}" for k in range(n_content))
    return SentenceProfile(
        content=words,
        bigrams=frozenset(),
        words=" ".join(sorted(words)),
        entities=frozenset(),
        numbers=frozenset(),
        n_content=n_content,
    )


# --- the shipped model ------------------------------------------------------------------------


def test_the_shipped_model_is_read_once_per_process() -> None:
    assert shipped_pair_model() is shipped_pair_model()
    assert shipped_pair_model() == load_pair_model()


def test_the_shipped_model_was_fitted_on_the_tune_topics() -> None:
    text = resources.files("rashomon").joinpath("data/pair_model.json").read_text("utf-8")
    assert "tune topics" in json.loads(text)["fitted_on"]


def test_shipped_model_matches_the_feature_names() -> None:
    model = load_pair_model()
    assert model.names == FEATURE_NAMES
    assert len(model.mean) == len(model.scale) == len(model.weights) == len(FEATURE_NAMES)
    assert all(s > 0 for s in model.scale)


def test_a_model_with_other_feature_names_is_refused() -> None:
    names = list(reversed(FEATURE_NAMES))
    n = len(names)
    text = json.dumps(
        {"names": names, "mean": [0.0] * n, "scale": [1.0] * n, "weights": [0.0] * n, "bias": 0}
    )
    first = re.escape(f"pair model features ('{names[0]}', ")
    with pytest.raises(ValueError, match="^" + first):
        load_pair_model(text)


def test_a_model_missing_a_feature_is_refused() -> None:
    names = list(FEATURE_NAMES[:-1])
    n = len(names)
    text = json.dumps(
        {"names": names, "mean": [0.0] * n, "scale": [1.0] * n, "weights": [0.0] * n, "bias": 0}
    )
    with pytest.raises(ValueError, match="do not match the code's"):
        load_pair_model(text)


def test_a_model_given_as_text_is_read() -> None:
    n = len(FEATURE_NAMES)
    weights = [0.5] + [0.0] * (n - 1)
    text = json.dumps(
        {
            "names": FEATURE_NAMES,
            "mean": [0.5] * n,
            "scale": [0.25] * n,
            "weights": weights,
            "bias": -1,
        }
    )
    model = load_pair_model(text)
    # z = -1 + 0.5 * (1.0 - 0.5) / 0.25 = 0
    assert model.probability([1.0] * n) == 0.5


@given(st.lists(st.floats(-3, 3), min_size=len(FEATURE_NAMES), max_size=len(FEATURE_NAMES)))
def test_one_pair_and_a_matrix_give_the_same_probability(features: list[float]) -> None:
    model = load_pair_model()
    one = model.probability(features)
    many = model.probabilities(np.asarray([features, features], dtype=np.float64))
    assert many.shape == (2,)
    assert float(many[0]) == pytest.approx(one, abs=1e-6)
    assert 0.0 <= one <= 1.0


# --- decisions (pure) -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "sizes", "relation"),
    [
        (0.9, (5, 5), "equivalent"),
        (0.8, (6, 10), "equivalent"),  # 6/10 is still balanced
        (0.9, (5, 10), "partial"),  # one sentence says much more
        (0.79, (5, 5), "partial"),
        (0.4, (5, 5), "partial"),
        (0.39, (5, 5), "related"),
        (0.25, (5, 5), "related"),
        (0.24, (5, 5), None),
        (0.9, (0, 0), "equivalent"),
    ],
)
def test_classify(probability: float, sizes: tuple[int, int], relation: str | None) -> None:
    assert classify(probability, profile(sizes[0]), profile(sizes[1]), T) == relation


def test_align_pair_links_many_to_one_and_adds_related_only_for_unlinked() -> None:
    probs = np.asarray(
        [
            [0.9, 0.5, 0.1],  # s1 is linked to t1 (equivalent) and t2 (partial)
            [0.6, 0.2, 0.1],  # s2 is linked to t1 as well
            [0.1, 0.1, 0.3],  # s3 has no link: its best match t3 is related
            [0.3, 0.1, 0.1],  # s4 has no link, but its best match t1 is linked: nothing
        ],
        dtype=np.float32,
    )
    left = [profile(5)] * 4
    right = [profile(5)] * 3
    links = align_pair(
        ["a:s1", "a:s2", "a:s3", "a:s4"], ["b:s1", "b:s2", "b:s3"], probs, left, right, T
    )
    assert links == [
        Alignment(source="a:s1", target="b:s1", relation="equivalent", score=0.9),
        Alignment(source="a:s1", target="b:s2", relation="partial", score=0.5),
        Alignment(source="a:s2", target="b:s1", relation="partial", score=0.6),
        Alignment(source="a:s3", target="b:s3", relation="related", score=0.3),
    ]


def test_score_matrix_of_an_empty_side() -> None:
    model = load_pair_model()
    empty = np.zeros((0, 2), dtype=np.float32)
    assert score_matrix(model, [], [profile(3), profile(4)], empty).shape == (0, 2)


# --- the real models --------------------------------------------------------------------------


@pytest.mark.models
def test_a_paraphrase_scores_above_the_link_threshold(
    parser: TextParser, embedder: Embedder
) -> None:
    ((p, relation, features),) = score_sentence_pairs(
        [(STORY_A[0], STORY_B[0])], parser, embedder, load_pair_model(), THRESHOLDS
    )
    assert p > SETTINGS.link_threshold
    assert relation == "equivalent"
    assert len(features) == len(FEATURE_NAMES)


@pytest.mark.models
def test_a_reworded_paraphrase_scores_above_the_link_threshold(
    parser: TextParser, embedder: Embedder
) -> None:
    ((p, relation, _),) = score_sentence_pairs(
        [(STORY_A[1], STORY_B[2])], parser, embedder, load_pair_model(), THRESHOLDS
    )
    assert p > SETTINGS.link_threshold
    assert relation == "equivalent"


@pytest.mark.models
@pytest.mark.parametrize(("a", "b"), [(0, 1), (2, 1), (2, 0)])
def test_another_fact_of_the_same_story_is_at_most_related(
    parser: TextParser, embedder: Embedder, a: int, b: int
) -> None:
    ((p, relation, _),) = score_sentence_pairs(
        [(STORY_A[a], STORY_B[b])], parser, embedder, load_pair_model(), THRESHOLDS
    )
    assert p < SETTINGS.link_threshold
    assert relation in (None, "related")


@pytest.mark.models
@pytest.mark.parametrize("a", [0, 1, 2])
def test_a_sentence_of_another_story_is_unrelated(
    parser: TextParser, embedder: Embedder, a: int
) -> None:
    ((p, relation, _),) = score_sentence_pairs(
        [(STORY_A[a], OTHER_STORY)], parser, embedder, load_pair_model(), THRESHOLDS
    )
    assert p < SETTINGS.related_threshold
    assert relation is None


@pytest.mark.models
def test_a_sentence_that_adds_a_fact_is_a_partial_link(
    parser: TextParser, embedder: Embedder
) -> None:
    more = (
        "Three workers were taken to hospital with smoke inhalation, and Bellmar Grain said "
        "the terminal would stay closed for a month while inspectors examined the damage."
    )
    ((p, relation, _),) = score_sentence_pairs(
        [(STORY_A[1], more)], parser, embedder, load_pair_model(), THRESHOLDS
    )
    assert p >= SETTINGS.link_threshold
    assert relation == "partial"


@pytest.mark.models
def test_scores_in_one_batch_keep_the_pair_order(parser: TextParser, embedder: Embedder) -> None:
    pairs = [(STORY_A[0], OTHER_STORY), (STORY_A[0], STORY_B[0]), (STORY_A[2], OTHER_STORY)]
    results = score_sentence_pairs(pairs, parser, embedder, load_pair_model(), THRESHOLDS)
    assert [relation for _, relation, _ in results] == [None, "equivalent", None]


def _spans(sentences: list[str]) -> list[tuple[int, int]]:
    spans, start = [], 0
    for sentence in sentences:
        spans.append((start, start + len(sentence)))
        start += len(sentence) + 1
    return spans


@pytest.mark.models
def test_two_articles_align_on_their_shared_facts_only(
    parser: TextParser, embedder: Embedder
) -> None:
    doc_a, doc_b = parser.parse([" ".join(STORY_A), " ".join(STORY_B)])
    left, right = profiles_for(doc_a, _spans(STORY_A)), profiles_for(doc_b, _spans(STORY_B))
    cosines = embedder.encode(STORY_A) @ embedder.encode(STORY_B).T
    probs = score_matrix(load_pair_model(), left, right, cosines)
    assert probs.shape == (3, 3)
    links = align_pair(
        ["a:s1", "a:s2", "a:s3"], ["b:s1", "b:s2", "b:s3"], probs, left, right, THRESHOLDS
    )
    assert [(x.source, x.target, x.relation) for x in links] == [
        ("a:s1", "b:s1", "equivalent"),
        ("a:s2", "b:s3", "equivalent"),
    ]


@pytest.mark.models
def test_a_lone_pair_has_neutral_context_features(parser: TextParser, embedder: Embedder) -> None:
    # no story around it: its rank and z-score among other pairs are unknown, so they take the
    # model's means (standardized to 0) instead of "the best match of its row"
    model = load_pair_model()
    ((p, _, features),) = score_sentence_pairs(
        [(STORY_A[0], STORY_B[0])], parser, embedder, model, THRESHOLDS
    )
    for name in ("best_rank", "cosine_z"):
        k = FEATURE_NAMES.index(name)
        assert features[k] == model.mean[k]
    assert p == pytest.approx(model.probability(features))
