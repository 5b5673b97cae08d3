"""Fit the same-fact pair model on ECB+ pairs of the tune topics; score it on --part.

    python benchmarks/fit_link_model.py [--part tune|check|all] [--head features|...]
        [--c C] [--ecb-weight W] [--gold-weight W] [--write] [--json]

Training data (tune topics only): ``ecb_pairs.build("tune")``, 8,740 cross-document sentence
pairs labelled by ECB+ event coreference, and every sentence pair of the hand-aligned pairs of
the tune topics (``--gold-weight``, 3 by default). The shipped model (``--head features``, the
default) is a logistic regression over the 18 ``rashomon.analyze.features`` pair features. The other
heads were measured and not shipped: ``embedding`` adds the two MiniLM vectors' element-wise
product and absolute difference, ``centred`` the cosine of the vectors less their document
pair's mean, ``centred_embedding`` both (all worse or no better on the tune part).

Thresholds are chosen on the tune part only: for each tune topic that has a hand-aligned pair,
a model fitted without that topic scores that pair (grouped cross-validation), and the link
threshold is the one with the best pooled link F1 among those keeping >= 0.95 of the gold unique
lines unlinked. The ``equivalent`` threshold is the one that best separates the hand-aligned
``equivalent`` links from the ``partial`` ones on the same held-out predictions (balanced
accuracy: equivalent links are few); ``related`` is the highest cut under the link threshold
that reaches 0.9 of the gold links. The figures printed for ``--part`` (default check) come from
the model fitted on all tune data, scored on that part's hand-aligned pairs (sentence rows as
``compare`` builds them; ``eval_alignment.py`` gives the figure through ``compare`` itself).
With --write (features head only), the model goes to src/rashomon/data/pair_model.json.
"""

from __future__ import annotations

import argparse
import json
from typing import cast

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from common import EVAL, ROOT, emit, read_jsonl
from ecb_pairs import Doc, PairSet, build, pair_context_features, parse_docs, story_mean
from rashomon.analyze.features import FEATURE_NAMES
from splits import Part, ecb_part, in_part

MODEL_PATH = ROOT / "src" / "rashomon" / "data" / "pair_model.json"
THRESHOLDS = np.round(np.arange(0.10, 0.95, 0.025), 3)
EQUIVALENT = np.round(np.arange(0.50, 0.995, 0.01), 3)
MIN_UNIQUE_KEPT = 0.95


def centred(u: npt.NDArray[np.float32], m: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    c = u - m
    return np.asarray(c / (np.linalg.norm(c, axis=1, keepdims=True) + 1e-6), dtype=np.float32)


def design(
    x: npt.NDArray[np.float64],
    u: npt.NDArray[np.float32],
    v: npt.NDArray[np.float32],
    m: npt.NDArray[np.float32],
    head: str,
) -> npt.NDArray[np.float64]:
    if head == "features":
        return x
    if head == "centred":
        cu, cv = centred(u, m), centred(v, m)
        return np.hstack([x, np.sum(cu * cv, axis=1, keepdims=True)]).astype(np.float64)
    if head == "centred_embedding":
        cu, cv = centred(u, m), centred(v, m)
        return np.hstack([x, np.sum(cu * cv, axis=1, keepdims=True), cu * cv, np.abs(cu - cv)])
    return np.hstack([x, u * v, np.abs(u - v)]).astype(np.float64)


class Gold:
    """The rows of one hand-aligned pair: every sentence pair of its two documents."""

    def __init__(self, rec: dict[str, object], a: Doc, b: Doc) -> None:
        self.rec = rec
        cells = [(i, j) for i in range(len(a.profiles)) for j in range(len(b.profiles))]
        self.x = np.asarray(pair_context_features(a, b, cells), dtype=np.float64)
        self.u = np.asarray([a.vectors[i] for i, _ in cells], dtype=np.float32)
        self.v = np.asarray([b.vectors[j] for _, j in cells], dtype=np.float32)
        self.m = np.tile(story_mean(a, b), (len(cells), 1))
        # compare never links a time stamp, so the figures do not either
        self.metadata = np.asarray(
            [a.profiles[i].is_metadata or b.profiles[j].is_metadata for i, j in cells]
        )
        links = {(lk["a"], lk["b"]): lk["relation"] for lk in rec["links"]}  # type: ignore[attr-defined]
        self.doubt = {tuple(p) for p in rec["doubtful"]}  # type: ignore[attr-defined]
        self.gold = set(links) - self.doubt
        self.line_pairs = [{(p, q) for p in a.lines[i] for q in b.lines[j]} for i, j in cells]
        self.y = np.asarray([int(bool(lp & self.gold)) for lp in self.line_pairs])
        self.equivalent = np.asarray(
            [any(links.get(p) == "equivalent" for p in lp) for lp in self.line_pairs]
        )
        self.keep = np.asarray(
            [not (lp & self.doubt) or bool(lp & self.gold) for lp in self.line_pairs]
        )
        self.unique_a = set(rec["unique_a"])  # type: ignore[call-overload]
        self.unique_b = set(rec["unique_b"])  # type: ignore[call-overload]

    def counts(self, probs: npt.NDArray[np.float64], t: float) -> tuple[int, int, int, int, int]:
        """tp, system links, gold links, unique lines kept, unique lines, at threshold t."""
        chosen = (probs >= t) & ~self.metadata
        predicted: set[tuple[int, int]] = set().union(
            *[lp for lp, c in zip(self.line_pairs, chosen, strict=True) if c]
        )
        predicted -= self.doubt
        kept = sum(1 for i in self.unique_a if all(p != i for p, _ in predicted))
        kept += sum(1 for j in self.unique_b if all(q != j for _, q in predicted))
        return (
            len(predicted & self.gold),
            len(predicted),
            len(self.gold),
            kept,
            len(self.unique_a) + len(self.unique_b),
        )


def pooled(golds: list[Gold], probs: list[npt.NDArray[np.float64]], t: float) -> dict[str, float]:
    tp = n_sys = n_gold = kept = n_unique = 0
    for g, p in zip(golds, probs, strict=True):
        a, b, c, d, e = g.counts(p, t)
        tp, n_sys, n_gold, kept, n_unique = tp + a, n_sys + b, n_gold + c, kept + d, n_unique + e
    precision = tp / n_sys if n_sys else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "unique_kept": kept / n_unique if n_unique else 0.0,
    }


def balanced_accuracy(predicted: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> float:
    """Mean of the recalls of both classes (equivalent links are a small minority)."""
    pos = float(np.mean(predicted[gold])) if gold.any() else 0.0
    neg = float(np.mean(~predicted[~gold])) if (~gold).any() else 0.0
    return (pos + neg) / 2


def load_gold(part: str) -> list[Gold]:
    records = [
        r
        for r in read_jsonl(EVAL / "ecbplus_align" / "pairs.jsonl")
        if in_part(ecb_part(str(r["subtopic"])), cast(Part, part))
    ]
    wanted = {r["a"] for r in records} | {r["b"] for r in records}
    raw = [d for d in read_jsonl(EVAL / "ecbplus" / "documents.jsonl.gz") if d["id"] in wanted]
    docs = parse_docs(raw, f"align_{part}")
    return [Gold(r, docs[str(r["a"])], docs[str(r["b"])]) for r in records]


def fit(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.int8], w: npt.NDArray[np.float64], c: float
) -> tuple[LogisticRegression, npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y, sample_weight=w)
    return model, mean, scale


def predict(
    fitted: tuple[LogisticRegression, npt.NDArray[np.float64], npt.NDArray[np.float64]],
    x: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    model, mean, scale = fitted
    return np.asarray(model.predict_proba((x - mean) / scale)[:, 1], dtype=np.float64)


def training_rows(
    ecb: PairSet,
    ex: npt.NDArray[np.float64],
    ew: npt.NDArray[np.float64],
    golds: list[Gold],
    gx: list[npt.NDArray[np.float64]],
    gold_weight: float,
    leave_out: str | None,
) -> tuple[npt.NDArray[np.float64], ...]:
    """Training rows, labels and weights: ECB+ pairs and hand-aligned rows, without a topic."""
    rows = (ecb.topic != leave_out) & (ew > 0)
    parts_x, parts_y, parts_w = [ex[rows]], [ecb.y[rows].astype(np.float64)], [ew[rows]]
    for g, x in zip(golds, gx, strict=True):
        if gold_weight > 0 and str(g.rec["subtopic"]).split("_")[0] != leave_out:
            parts_x.append(x[g.keep])
            parts_y.append(g.y[g.keep].astype(np.float64))
            parts_w.append(np.full(int(g.keep.sum()), gold_weight))
    return np.vstack(parts_x), np.concatenate(parts_y), np.concatenate(parts_w)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument(
        "--head",
        choices=("features", "embedding", "centred", "centred_embedding"),
        default="features",
    )
    ap.add_argument("--c", type=float, default=0.05)
    ap.add_argument(
        "--gold-weight",
        type=float,
        default=3.0,
        help="weight of a hand-aligned tune row against an ECB coreference row",
    )
    ap.add_argument("--other-story-weight", type=float, default=0.5)
    ap.add_argument("--ecb-weight", type=float, default=1.0)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if args.write and args.head != "features":
        raise SystemExit("only the features head is written (align.PairModel reads 18 features)")
    ecb = build("tune")
    tune_gold = load_gold("tune")
    ex = design(ecb.x, ecb.u, ecb.v, ecb.m, args.head)
    ew = args.ecb_weight * np.where(ecb.same_story, 1.0, args.other_story_weight)
    gx = [design(g.x, g.u, g.v, g.m, args.head) for g in tune_gold]

    def training(leave_out: str | None) -> tuple[npt.NDArray[np.float64], ...]:
        return training_rows(ecb, ex, ew, tune_gold, gx, args.gold_weight, leave_out)

    held_out = []
    for g, x in zip(tune_gold, gx, strict=True):
        tx, ty, tw = training(str(g.rec["subtopic"]).split("_")[0])
        held_out.append(predict(fit(tx, ty.astype(np.int8), tw, args.c), x))
    figures: dict[str, object] = {
        "head": args.head,
        "c": args.c,
        "part": args.part,
        "ecb_pairs": len(ecb.y),
        "ecb_positive": int(ecb.y.sum()),
    }
    best = (-1.0, 0.5)
    for t in THRESHOLDS:
        f = pooled(tune_gold, held_out, float(t))
        if f["unique_kept"] >= MIN_UNIQUE_KEPT:
            best = max(best, (f["f1"], float(t)))
    link = best[1]
    tune_f = pooled(tune_gold, held_out, link)
    figures.update({f"tune_cv_{k}": v for k, v in tune_f.items()})
    figures["link_threshold"] = link
    # equivalent: the cut that best separates hand-labelled equivalent links among the links
    linked = np.concatenate([p[g.y == 1] for g, p in zip(tune_gold, held_out, strict=True)])
    equiv = np.concatenate([g.equivalent[g.y == 1] for g in tune_gold])
    cuts = [(balanced_accuracy(linked >= t, equiv), float(t)) for t in EQUIVALENT if t >= link]
    figures["equivalent_threshold"] = max(cuts)[1] if cuts else link
    figures["tune_cv_equivalent_separation"] = max(cuts)[0] if cuts else 0.0
    # related: a hint for a sentence's best match, not a claim; the highest cut under the link
    # threshold at which the held-out pairs reach 0.9 of the gold links
    figures["related_threshold"] = max(
        [
            float(t)
            for t in THRESHOLDS
            if t <= link and pooled(tune_gold, held_out, float(t))["recall"] >= 0.9
        ]
        or [float(THRESHOLDS[0])]
    )

    tx, ty, tw = training(None)
    final = fit(tx, ty.astype(np.int8), tw, args.c)
    scored = load_gold(args.part) if args.part != "tune" else tune_gold
    probs = [predict(final, design(g.x, g.u, g.v, g.m, args.head)) for g in scored]
    figures.update(pooled(scored, probs, link))
    for t in THRESHOLDS[::2]:
        f = pooled(scored, probs, float(t))
        figures[f"sweep_{t:.3f}"] = (
            f"P={f['precision']:.3f} R={f['recall']:.3f} F1={f['f1']:.3f} U={f['unique_kept']:.3f}"
        )
    if args.write:
        write_model(final)
    emit(figures, as_json=args.json)


def write_model(
    fitted: tuple[LogisticRegression, npt.NDArray[np.float64], npt.NDArray[np.float64]],
) -> None:
    model, mean, scale = fitted
    coef = model.coef_[0]
    data: dict[str, object] = {
        "fitted_on": "ECB+ cross-document coreference pairs and hand-aligned pairs of the tune "
        "topics (benchmarks/fit_link_model.py, benchmarks/ecb_pairs.py); ECB+ is CC BY 3.0",
        "names": list(FEATURE_NAMES),
        "mean": [round(float(v), 6) for v in mean],
        "scale": [round(float(v), 6) for v in scale],
        "weights": [round(float(v), 6) for v in coef],
        "bias": round(float(model.intercept_[0]), 6),
    }
    MODEL_PATH.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
