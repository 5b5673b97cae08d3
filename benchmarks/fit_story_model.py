"""Fit the same-story model of clustering on the ECB+ tune topics; choose its two settings there.

    python benchmarks/fit_story_model.py [--cache PICKLE] [--write] [--json]

Training pairs (tune topics only, one ECB+ sub-topic = one story): every pair of documents of
one topic (the hard cases: the two sub-topics of a topic are two similar events, e.g. two
earthquakes) and a seeded tenth of the pairs of different topics. Each pair is described by
``cluster.story_pair_features`` with the names weighted as the index weighs them (squared
smoothed idf, here over the tune documents), and a logistic regression (standardized inputs,
C=1) is fitted to "same sub-topic".

``top_members`` and ``threshold`` are chosen by grouped cross-validation over the tune topics:
the topics are split into three seeded folds, a model fitted on two folds clusters the third
(a ``StoryIndex`` fed in batches, in the order ``eval_clustering.py`` uses, window off), and the
setting with the best mean held-out BCubed F1 wins; the check topics are never read. With
``--write`` the model fitted on all tune topics goes to ``src/rashomon/data/story_model.json``
with the chosen settings recorded beside it (``ClusterParams``' defaults must equal them; a test
holds them together).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import random
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from common import EVAL, ROOT, emit, read_jsonl
from eval_clustering import BATCH, bcubed, described
from rashomon.corpus.cluster import (
    STORY_FEATURES,
    ArticleFeatures,
    ClusterParams,
    StoryIndex,
    squared_idf,
    story_pair_features,
)
from rashomon.logistic import Logistic
from rashomon.models import Article
from splits import ecb_part, ecb_topic

MODEL_PATH = ROOT / "src" / "rashomon" / "data" / "story_model.json"
TOP_MEMBERS = (1, 2, 3, 5)
THRESHOLDS = [round(float(t), 3) for t in np.arange(0.25, 0.75, 0.05)]
FOLDS = 3
OTHER_TOPIC_SHARE = 0.1


def pair_rows(
    features: Sequence[ArticleFeatures], gold: dict[str, str]
) -> tuple[np.ndarray, np.ndarray]:
    """Features and labels of the training pairs of these documents."""
    prior = ClusterParams().idf_prior
    df: Counter[str] = Counter()
    for article in features:
        df.update(article.entities)
    seen = len(features) + prior

    def profile(article: ArticleFeatures) -> dict[str, float]:
        return {e: squared_idf(df[e], seen) for e in sorted(article.entities)}

    profiles = {a.id: profile(a) for a in features}
    rng = random.Random(1)
    rows, labels = [], []
    for a, b in itertools.combinations(features, 2):
        same_topic = ecb_topic(gold[a.id]) == ecb_topic(gold[b.id])
        if not same_topic and rng.random() > OTHER_TOPIC_SHARE:
            continue
        cosine = float(a.vector @ b.vector)
        rows.append(story_pair_features(cosine, profiles[a.id], profiles[b.id]))
        labels.append(gold[a.id] == gold[b.id])
    return np.asarray(rows, dtype=np.float64), np.asarray(labels, dtype=bool)


def fit(features: Sequence[ArticleFeatures], gold: dict[str, str]) -> tuple[Logistic, int]:
    """The logistic model over these documents' pairs, and how many pairs it saw."""
    x, y = pair_rows(features, gold)
    scaler = StandardScaler().fit(x)
    regression = LogisticRegression(C=1.0, max_iter=1000).fit(scaler.transform(x), y)
    model = Logistic(
        names=STORY_FEATURES,
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scaler.scale_),
        weights=tuple(float(v) for v in regression.coef_[0]),
        bias=float(regression.intercept_[0]),
    )
    return model, len(y)


def clustered_f1(
    features: Sequence[ArticleFeatures],
    gold: dict[str, str],
    params: ClusterParams,
    model: Logistic,
) -> float:
    index = StoryIndex(params, model=model)
    for start in range(0, len(features), BATCH):
        index.add(features[start : start + BATCH])
    return bcubed([index.story_of(a.id) for a in features], [gold[a.id] for a in features])[2]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--cache", type=Path, help="the described documents (eval_clustering's)")
    ap.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    docs = list(read_jsonl(args.data))
    random.Random(0).shuffle(docs)  # the order eval_clustering.py feeds the index
    docs = [d for d in docs if ecb_part(str(d["id"])) == "tune"]
    articles = [
        Article(id=str(d["id"]), text=str(d["text"]), outlet=str(d["id"]), title=d.get("title"))  # type: ignore[arg-type]
        for d in docs
    ]
    gold = {str(d["id"]): str(d["subtopic"]) for d in docs}
    features = described(articles, args.cache)
    topics = sorted({ecb_topic(gold[a.id]) for a in features}, key=int)
    random.Random(0).shuffle(topics)
    fold_of = {t: n % FOLDS for n, t in enumerate(topics)}
    base = ClusterParams(window_days=None)
    grid = [(k, t) for k in TOP_MEMBERS for t in THRESHOLDS]
    held_out: dict[tuple[int, float], list[float]] = {g: [] for g in grid}
    for fold in range(FOLDS):
        train = [a for a in features if fold_of[ecb_topic(gold[a.id])] != fold]
        test = [a for a in features if fold_of[ecb_topic(gold[a.id])] == fold]
        model, _ = fit(train, gold)
        for k, t in grid:
            params = dataclasses.replace(base, top_members=k, threshold=t)
            held_out[(k, t)].append(clustered_f1(test, gold, params, model))
    mean_f1 = {g: float(np.mean(v)) for g, v in held_out.items()}
    top_members, threshold = max(grid, key=lambda g: (round(mean_f1[g], 4), -g[0]))
    model, n_pairs = fit(features, gold)
    chosen = dataclasses.replace(base, top_members=top_members, threshold=threshold)
    figures: dict[str, object] = {
        "top_members": top_members,
        "threshold": threshold,
        "cv_bcubed_f1": mean_f1[(top_members, threshold)],
        "tune_bcubed_f1": clustered_f1(features, gold, chosen, model),
        "n_pairs": n_pairs,
        "n_documents": len(features),
        "cv_grid": {f"{k}@{t}": round(v, 4) for (k, t), v in mean_f1.items()},
    }
    if args.write:
        MODEL_PATH.write_text(
            json.dumps(
                {
                    "names": list(model.names),
                    "mean": list(model.mean),
                    "scale": list(model.scale),
                    "weights": list(model.weights),
                    "bias": model.bias,
                    "chosen": {"top_members": top_members, "threshold": threshold},
                    "fitted_on": (
                        f"ECB+ tune topics only (benchmarks/splits.py): {n_pairs} document "
                        f"pairs of {len(features)} documents, labelled same sub-topic or not"
                    ),
                    "made_by": "benchmarks/fit_story_model.py --write",
                },
                indent=1,
            )
            + "\n",
            encoding="utf-8",
        )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
