"""Score story clustering against ECB+ sub-topics (one sub-topic = one story).

    python benchmarks/eval_clustering.py [--data DOCS] [--json]

Documents are described exactly as ingest does (``cluster.describe_articles``: MiniLM embedding
of title + lead, spaCy entities of the text; the first line stands in for a missing title) and
fed to one ``StoryIndex`` in a fixed shuffled order (``random.Random(0)``), in batches, with the
time window off (ECB+ has no dates). Prints BCubed precision/recall/F1 and the number of
clusters, the same run with every shard searched through hnswlib, and a TF-IDF + average-link
agglomerative baseline whose distance threshold is the best one on this data (which flatters
the baseline). ``split_half_f1`` checks the default thresholds for overfitting: topics are split
in halves, (threshold, entity_weight) are chosen on one half and scored on the other, both ways,
for three splits; the figure is the mean held-out BCubed F1.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer

from common import EVAL, emit, read_jsonl
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.corpus.cluster import ArticleFeatures, ClusterParams, StoryIndex, describe_articles
from rashomon.models import Article

BATCH = 25
THRESHOLDS = [round(float(t), 3) for t in np.arange(0.15, 0.6, 0.025)]
ENTITY_WEIGHTS = [0.3, 0.4, 0.5, 0.6, 0.7]


def bcubed(predicted: Sequence[str], gold: Sequence[str]) -> tuple[float, float, float]:
    """BCubed precision, recall and F1 of a flat clustering against gold labels."""
    in_pred, in_gold = Counter(predicted), Counter(gold)
    both = Counter(zip(predicted, gold, strict=True))
    precision = sum(both[(p, g)] / in_pred[p] for p, g in zip(predicted, gold, strict=True))
    recall = sum(both[(p, g)] / in_gold[g] for p, g in zip(predicted, gold, strict=True))
    precision, recall = precision / len(gold), recall / len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def cluster(features: Sequence[ArticleFeatures], params: ClusterParams) -> dict[str, str]:
    index = StoryIndex(params)
    for start in range(0, len(features), BATCH):
        index.add(features[start : start + BATCH])
    return {a.id: index.story_of(a.id) for a in features}


def score_run(
    features: Sequence[ArticleFeatures], gold: dict[str, str], params: ClusterParams
) -> float:
    assigned = cluster(features, params)
    return bcubed([assigned[a.id] for a in features], [gold[a.id] for a in features])[2]


def best_params(
    features: Sequence[ArticleFeatures], gold: dict[str, str], base: ClusterParams
) -> ClusterParams:
    grid = [
        dataclasses.replace(base, threshold=t, entity_weight=w)
        for w in ENTITY_WEIGHTS
        for t in THRESHOLDS
    ]
    return max(grid, key=lambda p: score_run(features, gold, p))


def split_half(
    features: Sequence[ArticleFeatures], gold: dict[str, str], topic: dict[str, str]
) -> float:
    """Mean held-out F1 when thresholds are tuned on half of the topics (3 splits x 2 ways)."""
    base = ClusterParams(window_days=None)
    topics = sorted(set(topic.values()))
    scores = []
    for seed in range(3):
        random.Random(seed).shuffle(topics)
        halves = set(topics[: len(topics) // 2]), set(topics[len(topics) // 2 :])
        for tune, test in (halves, halves[::-1]):
            chosen = best_params([f for f in features if topic[f.id] in tune], gold, base)
            held_out = [f for f in features if topic[f.id] in test]
            scores.append(score_run(held_out, gold, chosen))
    return float(np.mean(scores))


def baseline(texts: Sequence[str], gold: Sequence[str]) -> tuple[float, float]:
    """Best BCubed F1 of TF-IDF + average-link agglomerative clustering, and its threshold."""
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dense = matrix.toarray()
    best = (0.0, 0.0)
    for threshold in np.arange(0.5, 1.0, 0.01):
        labels = AgglomerativeClustering(
            n_clusters=None,
            metric="cosine",
            linkage="average",
            distance_threshold=float(threshold),
        ).fit_predict(dense)
        f1 = bcubed([str(x) for x in labels], gold)[2]
        best = max(best, (f1, round(float(threshold), 3)))
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--no-split-half", action="store_true", help="skip the overfitting check")
    args = ap.parse_args()
    docs = list(read_jsonl(args.data))
    random.Random(0).shuffle(docs)
    articles = [
        Article(id=str(d["id"]), text=str(d["text"]), outlet=str(d["id"]), title=d.get("title"))  # type: ignore[arg-type]
        for d in docs
    ]
    gold = {str(d["id"]): str(d["subtopic"]) for d in docs}
    topic = {str(d["id"]): str(d["topic"]) for d in docs}
    started = time.perf_counter()
    features = describe_articles(articles, embedder=SentenceEmbedder(), parser=SpacyParser())
    describe_s = time.perf_counter() - started
    params = ClusterParams(window_days=None)
    started = time.perf_counter()
    assigned = cluster(features, params)
    cluster_s = time.perf_counter() - started
    predicted = [assigned[a.id] for a in articles]
    truth = [gold[a.id] for a in articles]
    precision, recall, f1 = bcubed(predicted, truth)
    hnsw = cluster(features, dataclasses.replace(params, exact_below=0))
    base_f1, base_threshold = baseline([a.text for a in articles], truth)
    figures: dict[str, object] = {
        "bcubed_precision": precision,
        "bcubed_recall": recall,
        "bcubed_f1": f1,
        "n_clusters": len(set(predicted)),
        "gold_clusters": len(set(truth)),
        "bcubed_f1_hnsw": bcubed([hnsw[a.id] for a in articles], truth)[2],
        "baseline_bcubed_f1": base_f1,
        "baseline_threshold": base_threshold,
        "threshold": params.threshold,
        "entity_weight": params.entity_weight,
        "n_documents": len(articles),
        "describe_s": round(describe_s, 2),
        "cluster_s": round(cluster_s, 3),
    }
    if not args.no_split_half:
        figures["split_half_f1"] = split_half(features, gold, topic)
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
