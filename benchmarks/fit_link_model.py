"""Fit the same-fact link model on the ECB+ cross-article alignment gold.

A logistic regression over ``rashomon.analyze.features.FEATURE_NAMES`` (18 weights, no neural
weights; the gold is CC BY 3.0). Prints leave-one-pair-out cross-validated link F1 at each threshold
(time stamps left unlinked, as ``compare`` does), so the threshold in Settings is chosen on
held-out pairs, then fits on all pairs and, with --write,
writes src/rashomon/data/pair_model.json.

    python benchmarks/fit_link_model.py [--data PAIRS] [--docs DOCS] [--write]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from common import EVAL, ROOT, emit, read_jsonl
from eval_alignment import line_starts, lines_of
from rashomon.analyze.align import feature_matrix
from rashomon.analyze.features import FEATURE_NAMES, profiles_for
from rashomon.analyze.segment import segment_article
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.models import Article

MODEL_PATH = ROOT / "src" / "rashomon" / "data" / "pair_model.json"


def pair_rows(rec: dict, docs: dict, parser: SpacyParser, embedder: SentenceEmbedder):
    arts = [Article(id=d, text=str(docs[d]["text"]), outlet=d) for d in (rec["a"], rec["b"])]
    parsed = parser.parse([a.text for a in arts])
    arts = [segment_article(a, p) for a, p in zip(arts, parsed, strict=True)]
    profiles = [
        profiles_for(p, [(s.start, s.end) for s in a.sentences])
        for a, p in zip(arts, parsed, strict=True)
    ]
    va = embedder.encode([s.text for s in arts[0].sentences])
    vb = embedder.encode([s.text for s in arts[1].sentences])
    x = feature_matrix(profiles[0], profiles[1], va @ vb.T)
    gold = {(lk["a"], lk["b"]) for lk in rec["links"]}
    doubt = {tuple(p) for p in rec["doubtful"]}
    sa, sb = line_starts(arts[0].text), line_starts(arts[1].text)
    labels, keep, line_pairs, metadata = [], [], [], []
    for n, sx in enumerate(arts[0].sentences):
        for m, sy in enumerate(arts[1].sentences):
            # compare never links a time stamp (align_pair), so the figures do not either
            metadata.append(profiles[0][n].is_metadata or profiles[1][m].is_metadata)
            pairs = {
                (i, j)
                for i in lines_of(sa, sx.start, sx.end)
                for j in lines_of(sb, sy.start, sy.end)
            }
            labels.append(int(bool(pairs & gold)))
            keep.append(not (pairs & doubt) or bool(pairs & gold))
            line_pairs.append(pairs)
    return (
        x,
        np.asarray(labels),
        np.asarray(keep),
        line_pairs,
        gold - doubt,
        doubt,
        np.asarray(metadata),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus_align" / "pairs.jsonl")
    ap.add_argument("--docs", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--c", type=float, default=0.3)
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    records = list(read_jsonl(args.data))
    wanted = {r["a"] for r in records} | {r["b"] for r in records}
    docs = {d["id"]: d for d in read_jsonl(args.docs) if d["id"] in wanted}
    parser, embedder = SpacyParser(), SentenceEmbedder()
    data = [pair_rows(r, docs, parser, embedder) for r in records]
    thresholds = np.arange(0.2, 0.8, 0.05)
    tp = np.zeros(len(thresholds))
    n_sys = np.zeros(len(thresholds))
    n_gold = 0
    for k in range(len(data)):
        train = [d for m, d in enumerate(data) if m != k]
        x = np.vstack([d[0][d[2]] for d in train])
        y = np.concatenate([d[1][d[2]] for d in train])
        mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
        model = LogisticRegression(C=args.c, max_iter=3000, class_weight=None).fit(
            (x - mean) / scale, y
        )
        xt, _, _, line_pairs, gold, doubt, metadata = data[k]
        probs = np.where(metadata, 0.0, model.predict_proba((xt - mean) / scale)[:, 1])
        n_gold += len(gold)
        for ti, t in enumerate(thresholds):
            predicted = (
                set().union(*[lp for lp, p in zip(line_pairs, probs, strict=True) if p >= t])
                - doubt
            )
            tp[ti] += len(predicted & gold)
            n_sys[ti] += len(predicted)
    figures: dict[str, object] = {}
    best = (0.0, 0.0)
    for ti, t in enumerate(thresholds):
        p = tp[ti] / n_sys[ti] if n_sys[ti] else 0.0
        r = tp[ti] / n_gold
        f = 2 * p * r / (p + r) if p + r else 0.0
        figures[f"cv_{t:.2f}"] = f"P={p:.3f} R={r:.3f} F1={f:.3f}"
        best = max(best, (f, float(t)))
    figures["cv_best_f1"], figures["cv_best_threshold"] = best
    x = np.vstack([d[0][d[2]] for d in data])
    y = np.concatenate([d[1][d[2]] for d in data])
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    model = LogisticRegression(C=args.c, max_iter=3000).fit((x - mean) / scale, y)
    for name, w in zip(FEATURE_NAMES, model.coef_[0], strict=True):
        figures[f"w_{name}"] = round(float(w), 3)
    if args.write:
        MODEL_PATH.write_text(
            json.dumps(
                {
                    "fitted_on": "ECB+ cross-article alignment gold (benchmarks/fit_link_model.py)",
                    "names": list(FEATURE_NAMES),
                    "mean": [round(float(v), 6) for v in mean],
                    "scale": [round(float(v), 6) for v in scale],
                    "weights": [round(float(v), 6) for v in model.coef_[0]],
                    "bias": round(float(model.intercept_[0]), 6),
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
