"""Score story clustering against ECB+ sub-topics (one sub-topic = one story).

    python benchmarks/eval_clustering.py [--data DOCS] [--part tune|check|all] [--json]

Documents are described exactly as ingest does (``cluster.describe_articles``: MiniLM embedding
of title + lead, spaCy entities of the text; the first line stands in for a missing title).
The documents of ``--part`` (ECB+ topics split by ``benchmarks/splits.py``; default ``check``,
the headline) are fed to one ``StoryIndex`` with its shipped settings, in a fixed shuffled order
(``random.Random(0)``), in batches, with the time window off (ECB+ has no dates). Prints BCubed
precision/recall/F1, the number of clusters, and the same run with every shard searched through
hnswlib. The shipped same-story model and its settings were fitted and chosen on the tune topics
only (``fit_story_model.py``), so the check figure is a held-out one. ``bcubed_f1_lower`` and
``bcubed_f1_higher`` are the same run with the threshold 0.05 lower and higher: how sharp the
peak is.

The baseline, measured on the same part in the same run, is TF-IDF (fitted on the part's own
texts, as the index's idf is) + average-link agglomerative clustering, whose distance threshold
is the best one on the *tune* topics (``baseline_threshold``); ``baseline_oracle_bcubed_f1`` is
its best F1 over all thresholds on the scored part itself (flattering, for reference only).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import pickle
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
from splits import ecb_part, in_part

BATCH = 25
NEARBY = 0.05
BASELINE_THRESHOLDS = [round(float(t), 3) for t in np.arange(0.5, 1.0, 0.01)]


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


def baseline_labels(texts: Sequence[str], threshold: float) -> list[str]:
    """TF-IDF + average-link agglomerative clustering at one cosine-distance threshold."""
    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
    ).fit_predict(matrix.toarray())
    return [str(x) for x in labels]


def baseline_curve(texts: Sequence[str], gold: Sequence[str]) -> dict[float, float]:
    """BCubed F1 of the baseline at every threshold of the grid."""
    return {t: bcubed(baseline_labels(texts, t), gold)[2] for t in BASELINE_THRESHOLDS}


def described(articles: Sequence[Article], cache: Path | None) -> list[ArticleFeatures]:
    """``describe_articles`` with the real models, read from / kept in ``cache`` if given."""
    key = hashlib.blake2b(
        "\0".join(f"{a.id}\0{a.title}\0{a.text}" for a in articles).encode(), digest_size=16
    ).hexdigest()
    stored: dict[str, list[ArticleFeatures]] = {}
    if cache is not None and cache.exists():
        stored = pickle.loads(cache.read_bytes())
        if key in stored:
            return list(stored[key])
    features = describe_articles(articles, embedder=SentenceEmbedder(), parser=SpacyParser())
    if cache is not None:
        stored[key] = features
        cache.write_bytes(pickle.dumps(stored))
    return features


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true")
    ap.add_argument(
        "--cache", type=Path, help="keep the described documents in this pickle (re-runs are cheap)"
    )
    args = ap.parse_args()
    docs = list(read_jsonl(args.data))
    random.Random(0).shuffle(docs)
    tune_docs = [d for d in docs if ecb_part(str(d["id"])) == "tune"]
    docs = [d for d in docs if in_part(ecb_part(str(d["id"])), args.part)]
    articles = [
        Article(id=str(d["id"]), text=str(d["text"]), outlet=str(d["id"]), title=d.get("title"))  # type: ignore[arg-type]
        for d in docs
    ]
    gold = {str(d["id"]): str(d["subtopic"]) for d in docs}
    started = time.perf_counter()
    features = described(articles, args.cache)
    describe_s = time.perf_counter() - started
    params = ClusterParams(window_days=None)
    started = time.perf_counter()
    assigned = cluster(features, params)
    cluster_s = time.perf_counter() - started
    predicted = [assigned[a.id] for a in articles]
    truth = [gold[a.id] for a in articles]
    precision, recall, f1 = bcubed(predicted, truth)
    hnsw = cluster(features, dataclasses.replace(params, exact_below=0))
    tune_curve = baseline_curve(
        [str(d["text"]) for d in tune_docs], [str(d["subtopic"]) for d in tune_docs]
    )
    base_threshold = max(tune_curve, key=lambda t: (tune_curve[t], -t))
    lower, higher = (
        score_run(features, gold, dataclasses.replace(params, threshold=params.threshold + d))
        for d in (-NEARBY, NEARBY)
    )
    texts = [a.text for a in articles]
    base = bcubed(baseline_labels(texts, base_threshold), truth)
    oracle = max(baseline_curve(texts, truth).values())
    figures: dict[str, object] = {
        "part": args.part,
        "precision": precision,
        "recall": recall,
        "bcubed_f1": f1,
        "n_clusters": len(set(predicted)),
        "gold_clusters": len(set(truth)),
        "bcubed_f1_hnsw": bcubed([hnsw[a.id] for a in articles], truth)[2],
        "bcubed_f1_lower": lower,
        "bcubed_f1_higher": higher,
        "threshold": params.threshold,
        "top_members": params.top_members,
        "baseline_bcubed_f1": base[2],
        "baseline_precision": base[0],
        "baseline_recall": base[1],
        "baseline_threshold": base_threshold,
        "baseline_tune_bcubed_f1": tune_curve[base_threshold],
        "baseline_oracle_bcubed_f1": oracle,
        "n_documents": len(articles),
        "describe_s": round(describe_s, 2),
        "cluster_s": round(cluster_s, 3),
    }
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
