"""Score the same-fact decision of `compare` on sentence pairs labelled paraphrase yes/no (MRPC).

    python benchmarks/eval_paraphrase.py [--data TSV] [--part tune|check|all] [--json]

Each pair goes through `rashomon.analyze.align.score_sentence_pairs`, the decision code `compare`
uses, with the thresholds from Settings. MRPC's positives are "the same fact"; its negatives are
often pairs where one sentence says more, which is our ``partial``. So ``accuracy`` scores the
``equivalent`` decision (positive only when the relation is "equivalent"), and
``equivalent_or_partial_accuracy`` shows the looser decision beside it.

The pairs are split by ``splits.hashed_part`` of their first id; ``--part`` (default check)
chooses which part is scored. The MiniLM-cosine baseline is scored on the same part in the same
run, with its threshold chosen on the *tune* part (best accuracy there), never on the part it is
scored on (except under ``--part tune``, where it flatters the baseline). Also shown: ROC AUC of
the system probability and of the cosine, and ``tune_cut_accuracy``, the system probability cut
at the threshold best on the tune part (what a threshold fitted to MRPC would give; the shipped
thresholds are not fitted to MRPC, whose licence is non-commercial).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.metrics import roc_auc_score

from common import EVAL, emit, read_mrpc
from rashomon.analyze.align import Thresholds, load_pair_model, score_sentence_pairs
from rashomon.analyze.features import FEATURE_NAMES
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.settings import Settings
from splits import hashed_part, in_part


def prf(predicted: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> dict[str, float]:
    tp = int(np.sum(predicted & gold))
    p = tp / int(predicted.sum()) if predicted.any() else 0.0
    r = tp / int(gold.sum()) if gold.any() else 0.0
    return {
        "accuracy": float(np.mean(predicted == gold)),
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def best_threshold(cosines: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_]) -> float:
    """The cosine cut (positive when >= it) with the best accuracy on these pairs."""
    order = np.argsort(cosines, kind="stable")
    c, y = cosines[order], gold[order]
    # Cutting before position k calls the first k pairs negative and the rest positive.
    neg_below = np.concatenate([[0], np.cumsum(~y)])
    pos_from = int(y.sum()) - np.concatenate([[0], np.cumsum(y)])
    correct = (neg_below + pos_from).astype(np.float64)
    # A cut can only fall between two different cosines, or before the first / after the last.
    valid = np.ones(len(c) + 1, dtype=bool)
    valid[1:-1] = c[1:] > c[:-1]
    correct[~valid] = -1.0
    k = int(np.argmax(correct))
    if k == 0:
        return float(c[0]) - 1e-6
    if k == len(c):
        return float(c[-1]) + 1e-6
    return float((c[k - 1] + c[k]) / 2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "mrpc" / "train.tsv")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = read_mrpc(args.data)
    chosen = [r for r in rows if in_part(hashed_part(r[0]), args.part)]
    tune = [r for r in rows if hashed_part(r[0]) == "tune"]
    pairs = [(s1, s2) for _, _, s1, s2 in chosen]
    gold = np.array([label == 1 for _, label, _, _ in chosen], dtype=bool)
    s = Settings()
    thresholds = Thresholds(
        link=s.link_threshold, equivalent=s.equivalent_threshold, related=s.related_threshold
    )
    parser, embedder, model = SpacyParser(), SentenceEmbedder(), load_pair_model()
    scored = score_sentence_pairs(pairs, parser, embedder, model, thresholds)
    relations = [rel for _, rel, _ in scored]
    system = np.array([rel == "equivalent" for rel in relations], dtype=bool)
    loose = np.array([rel in ("equivalent", "partial") for rel in relations], dtype=bool)

    # The MiniLM cosine of each pair is the model's first input, so it is read back rather
    # than encoding every sentence a second time.
    cosines = np.array([f[FEATURE_NAMES.index("cosine")] for _, _, f in scored])
    probabilities = np.array([p for p, _, _ in scored])
    tune_gold = np.array([label == 1 for _, label, _, _ in tune], dtype=bool)
    if args.part == "tune":
        tune_cos, tune_prob = cosines, probabilities
    else:
        tune_scored = score_sentence_pairs(
            [(s1, s2) for _, _, s1, s2 in tune], parser, embedder, model, thresholds
        )
        tune_cos = np.array([f[FEATURE_NAMES.index("cosine")] for _, _, f in tune_scored])
        tune_prob = np.array([p for p, _, _ in tune_scored])
    cut = best_threshold(tune_cos, tune_gold)
    base = prf(cosines >= cut, gold)
    prob_cut = best_threshold(tune_prob, tune_gold)

    figures: dict[str, object] = dict(prf(system, gold))
    loose_figures = prf(loose, gold)
    figures.update(
        {
            "part": args.part,
            "equivalent_or_partial_accuracy": loose_figures["accuracy"],
            "equivalent_or_partial_f1": loose_figures["f1"],
            "n": len(chosen),
            "n_positive": int(gold.sum()),
            "majority_accuracy": float(max(gold.mean(), 1 - gold.mean())),
            "system_positive_rate": float(system.mean()),
            "n_equivalent": sum(1 for rel in relations if rel == "equivalent"),
            "n_partial": sum(1 for rel in relations if rel == "partial"),
            "baseline_accuracy": base["accuracy"],
            "baseline_f1": base["f1"],
            "baseline_precision": base["precision"],
            "baseline_recall": base["recall"],
            "baseline_threshold": cut,
            "auc": float(roc_auc_score(gold, probabilities)),
            "baseline_auc": float(roc_auc_score(gold, cosines)),
            "probability_median": float(np.median(probabilities)),
            "tune_cut_accuracy": prf(probabilities >= prob_cut, gold)["accuracy"],
            "tune_cut_threshold": prob_cut,
        }
    )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
