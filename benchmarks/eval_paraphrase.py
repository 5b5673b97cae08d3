"""Score the same-fact decision of `compare` on sentence pairs labelled paraphrase yes/no (MRPC).

    python benchmarks/eval_paraphrase.py [--data TSV] [--json]

Each pair goes through `rashomon.analyze.align.score_sentence_pairs` (the decisions of `compare`),
with the thresholds from Settings; a pair counts as positive when its relation is "equivalent"
or "partial". Prints accuracy, F1/precision/recall of the positive class, and a MiniLM-cosine
baseline measured in the same run: its threshold is chosen by 5-fold cross-validation (best
accuracy on four folds, applied to the fifth), so it is not tuned on the pairs it is scored on.
Also shown: ROC AUC of the system probability and of the cosine, and `cv_tuned_accuracy`, the
system probability cut by the same cross-validation (what a threshold fitted to MRPC would give).
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

FOLDS = 5
SEED = 20240613


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


def cross_validated(
    cosines: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_]
) -> tuple[npt.NDArray[np.bool_], list[float]]:
    """Held-out predictions of a cosine threshold chosen on the other folds."""
    fold_of = np.random.default_rng(SEED).permutation(len(gold)) % FOLDS
    predicted = np.zeros(len(gold), dtype=bool)
    cuts = []
    for fold in range(FOLDS):
        test = fold_of == fold
        cut = best_threshold(cosines[~test], gold[~test])
        predicted[test] = cosines[test] >= cut
        cuts.append(cut)
    return predicted, cuts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "mrpc" / "train.tsv")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows = read_mrpc(args.data)
    pairs = [(s1, s2) for _, s1, s2 in rows]
    gold = np.array([label == 1 for label, _, _ in rows], dtype=bool)
    s = Settings()
    thresholds = Thresholds(
        link=s.link_threshold, equivalent=s.equivalent_threshold, related=s.related_threshold
    )
    scored = score_sentence_pairs(
        pairs, SpacyParser(), SentenceEmbedder(), load_pair_model(), thresholds
    )
    system = np.array([rel in ("equivalent", "partial") for _, rel, _ in scored], dtype=bool)

    # The MiniLM cosine of each pair is the model's first input, so it is read back rather
    # than encoding every sentence a second time.
    cosines = np.array([f[FEATURE_NAMES.index("cosine")] for _, _, f in scored])
    probabilities = np.array([p for p, _, _ in scored])
    base_predicted, cuts = cross_validated(cosines, gold)
    base = prf(base_predicted, gold)
    tuned, prob_cuts = cross_validated(probabilities, gold)

    figures: dict[str, object] = dict(prf(system, gold))
    figures.update(
        {
            "n": len(rows),
            "n_positive": int(gold.sum()),
            "majority_accuracy": float(max(gold.mean(), 1 - gold.mean())),
            "system_positive_rate": float(system.mean()),
            "n_equivalent": sum(1 for _, rel, _ in scored if rel == "equivalent"),
            "n_partial": sum(1 for _, rel, _ in scored if rel == "partial"),
            "baseline_accuracy": base["accuracy"],
            "baseline_f1": base["f1"],
            "baseline_precision": base["precision"],
            "baseline_recall": base["recall"],
            "baseline_threshold_mean": float(np.mean(cuts)),
            "baseline_threshold_range": f"{min(cuts):.4f}-{max(cuts):.4f}",
            "auc": float(roc_auc_score(gold, probabilities)),
            "baseline_auc": float(roc_auc_score(gold, cosines)),
            "probability_median": float(np.median(probabilities)),
            "cv_tuned_accuracy": prf(tuned, gold)["accuracy"],
            "cv_tuned_threshold_mean": float(np.mean(prob_cuts)),
        }
    )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
