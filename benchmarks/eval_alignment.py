"""Score cross-article sentence links of `compare` against hand annotation (ECB+ pairs).

    python benchmarks/eval_alignment.py [--data PAIRS] [--docs DOCS] [--part tune|check|all]
        [--json] [--sweep] [--subtopics 22_ecbplus,37_ecb] [--misses] [--verbose]

Prints link precision/recall/F1 over gold line pairs (doubtful pairs ignored), the share of
gold unique lines left unlinked, conflict recall, the flagged conflicts that match no recorded
one, and a MiniLM-cosine baseline measured in the same run on the same pairs. The pairs are split
by topic (``splits.ecb_part``); ``--part`` (default check) chooses which are scored. The
baseline's threshold is the best one on the *tune* pairs, applied to the scored part.
``--subtopics`` scores only those pairs (a quick look, not a figure to report); ``--misses``
prints, on stderr, the gold conflicts not flagged and the flagged conflicts not in the gold.

``fact_purity``: the share of the facts that ``compare`` outputs with sentences of both articles
whose every cross-article sentence pair is a gold link or a doubtful pair (a sentence pair counts
as gold when any of the line pairs it covers does). ``baseline_fact_purity``: the same share for
the connected components of the cosine baseline's line links (its tune-chosen threshold), the
facts that linking alone gives. ``--verbose`` prints, on stderr, each impure fact with the pairs
the gold does not link.

``citation_precision``: of the summary's citations of a sentence of the other article, the share
that cover a gold or doubtful line pair with the summary sentence (the cited sentence states it).
``baseline_citation_precision``: the same share when a summary sentence cites every sentence of
its fact.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import cast

import numpy as np
from scipy.cluster.hierarchy import DisjointSet

from common import (
    EVAL,
    ecb_pair_articles,
    emit,
    line_starts,
    lines_of,
    linked_sentences,
    read_jsonl,
)
from rashomon.analyze.align import load_pair_model
from rashomon.analyze.compose import compare_articles
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.models import Comparison, Conflict
from rashomon.settings import Settings
from splits import ecb_part, in_part


def system_pairs(c: Comparison, min_score: float) -> dict[tuple[int, int], float]:
    a, b = c.articles
    sa, sb = line_starts(a.text), line_starts(b.text)
    out: dict[tuple[int, int], float] = {}
    for x, y, link in linked_sentences(c, min_score):
        for i in lines_of(sa, x.start, x.end):
            for j in lines_of(sb, y.start, y.end):
                out[(i, j)] = max(out.get((i, j), 0.0), link.score)
    return out


def prf(tp: int, n_sys: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_sys if n_sys else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(
    records: list[dict[str, object]], predicted: list[set[tuple[int, int]]]
) -> tuple[int, int, int]:
    tp = n_sys = n_gold = 0
    for rec, pairs in zip(records, predicted, strict=True):
        doubt = {tuple(p) for p in rec["doubtful"]}  # type: ignore[attr-defined]
        gold = {(lk["a"], lk["b"]) for lk in rec["links"]} - doubt  # type: ignore[attr-defined]
        sys_pairs = pairs - doubt
        tp += len(gold & sys_pairs)
        n_sys += len(sys_pairs)
        n_gold += len(gold)
    return tp, n_sys, n_gold


def conflict_hits(c: Comparison, rec: dict[str, object]) -> tuple[int, int]:
    a, b = c.articles
    sa, sb = line_starts(a.text), line_starts(b.text)
    flagged: set[tuple[int, int]] = set()
    for conflict in c.conflicts:
        lines_a = {
            i
            for s in conflict.sentences
            if s.startswith(a.id + ":")
            for i in lines_of(sa, c.sentence(s).start, c.sentence(s).end)
        }
        lines_b = {
            j
            for s in conflict.sentences
            if s.startswith(b.id + ":")
            for j in lines_of(sb, c.sentence(s).start, c.sentence(s).end)
        }
        flagged.update((i, j) for i in lines_a for j in lines_b)
    gold = [(g["a"], g["b"]) for g in rec["conflicts"]]  # type: ignore[attr-defined]
    return sum(1 for g in gold if g in flagged), len(gold)


def conflict_lines(c: Comparison, conflict: Conflict) -> set[tuple[int, int]]:
    """The gold line pairs (line of A, line of B) a conflict covers."""
    a, b = c.articles
    sa, sb = line_starts(a.text), line_starts(b.text)
    lines: dict[str, set[int]] = {a.id: set(), b.id: set()}
    for s in conflict.sentences:
        art, starts = (a, sa) if s.startswith(a.id + ":") else (b, sb)
        lines[art.id].update(lines_of(starts, c.sentence(s).start, c.sentence(s).end))
    return {(i, j) for i in lines[a.id] for j in lines[b.id]}


def conflicts_not_in_gold(c: Comparison, rec: dict[str, object]) -> list[Conflict]:
    """Flagged conflicts that cover no recorded conflict (doubtful pairs included)."""
    gold = {(g["a"], g["b"]) for g in rec["conflicts"]}  # type: ignore[attr-defined]
    return [conflict for conflict in c.conflicts if not conflict_lines(c, conflict) & gold]


def print_misses(c: Comparison, rec: dict[str, object]) -> None:
    """Gold conflicts the comparison misses and conflicts it flags that the gold does not list."""
    a, b = c.articles
    la, lb = a.text.split("\n"), b.text.split("\n")
    gold = {(g["a"], g["b"]): g for g in rec["conflicts"]}  # type: ignore[attr-defined]
    flagged: set[tuple[int, int]] = set()
    for conflict in c.conflicts:
        pairs = conflict_lines(c, conflict)
        flagged |= pairs
        if not pairs & set(gold):
            doubt = {tuple(p) for p in rec["doubtful"]}  # type: ignore[attr-defined]
            tag = "doubtful" if pairs & doubt else "not in gold"
            print(f"[{rec['subtopic']}] FLAGGED ({tag}): {conflict.note}", file=sys.stderr)
            for sid in conflict.sentences:
                print(f"    {sid}: {c.sentence(sid).text}", file=sys.stderr)
    for (i, j), g in gold.items():
        if (i, j) not in flagged:
            print(f"[{rec['subtopic']}] MISSED {g['kind']} {g['values']}", file=sys.stderr)
            print(f"    A{i}: {la[i]}\n    B{j}: {lb[j]}", file=sys.stderr)


def gold_or_doubtful(rec: dict[str, object]) -> set[tuple[int, int]]:
    links = {(int(lk["a"]), int(lk["b"])) for lk in rec["links"]}  # type: ignore[attr-defined]
    return links | {(int(p[0]), int(p[1])) for p in rec["doubtful"]}  # type: ignore[attr-defined]


def fact_lines(c: Comparison) -> list[tuple[str, list[range], list[range]]]:
    """Each fact with sentences of both articles: (id, lines of each A sentence, of each B one)."""
    a, b = c.articles
    sa, sb = line_starts(a.text), line_starts(b.text)
    out = []
    for fact in c.facts:
        in_a, in_b = [], []
        for sid in fact.sentences:
            x = c.sentence(sid)
            if sid.startswith(a.id + ":"):
                in_a.append(lines_of(sa, x.start, x.end))
            else:
                in_b.append(lines_of(sb, x.start, x.end))
        if in_a and in_b:
            out.append((fact.id, in_a, in_b))
    return out


def impure_pairs(
    side_a: list[range], side_b: list[range], good: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The cross pairs (first line of each) of a fact that cover no gold or doubtful line pair."""
    return [
        (la[0], lb[0])
        for la in side_a
        for lb in side_b
        if not any((i, j) in good for i in la for j in lb)
    ]


def components(pairs: set[tuple[int, int]]) -> list[tuple[list[range], list[range]]]:
    """Connected components of line links (i of A, j of B), each as (A lines, B lines)."""
    groups = DisjointSet([("a", i) for i, _ in pairs] + [("b", j) for _, j in pairs])
    for i, j in pairs:
        groups.merge(("a", i), ("b", j))
    out = []
    for members in groups.subsets():
        side_a = [range(n, n + 1) for side, n in sorted(members) if side == "a"]
        side_b = [range(n, n + 1) for side, n in sorted(members) if side == "b"]
        out.append((side_a, side_b))
    return out


def print_impure(
    rec: dict[str, object], name: str, pairs: list[tuple[int, int]], c: Comparison
) -> None:
    a, b = c.articles
    la, lb = a.text.split("\n"), b.text.split("\n")
    print(
        f"[{rec['subtopic']}] IMPURE {name}: {len(pairs)} pair(s) not in the gold", file=sys.stderr
    )
    for i, j in pairs:
        print(f"    A{i}: {la[i]}\n    B{j}: {lb[j]}", file=sys.stderr)


def citation_hits(c: Comparison, good: set[tuple[int, int]]) -> tuple[int, int, int, int]:
    """Cross-article citations of the summary that state its sentence, of all of them; and
    the same for citing every sentence of the sentence's fact (what grouping alone gives).

    A citation of a sentence of the other article states the summary sentence when the two
    cover a gold or doubtful line pair.
    """
    a, b = c.articles
    starts = {a.id: line_starts(a.text), b.id: line_starts(b.text)}
    facts = {f.id: f for f in c.facts}

    def lines(sid: str) -> range:
        x = c.sentence(sid)
        return lines_of(starts[sid.rpartition(":")[0]], x.start, x.end)

    def states(chosen: str, cited: str) -> bool:
        la, lb = (lines(chosen), lines(cited))
        if not chosen.startswith(a.id + ":"):
            la, lb = lb, la
        return any((i, j) in good for i in la for j in lb)

    hits = n = fact_hits = fact_n = 0
    for item in c.summary:
        side = item.sentence.rpartition(":")[0]
        cited = [x for x in item.support if x.rpartition(":")[0] != side]
        hits, n = hits + sum(states(item.sentence, x) for x in cited), n + len(cited)
        fact = facts.get(item.fact) if item.fact else None
        members = [x for x in (fact.sentences if fact else ()) if x.rpartition(":")[0] != side]
        fact_hits += sum(states(item.sentence, x) for x in members)
        fact_n += len(members)
    return hits, n, fact_hits, fact_n


def cosine_pairs(embedder: SentenceEmbedder, text_a: str, text_b: str) -> np.ndarray:
    la, lb = text_a.split("\n"), text_b.split("\n")
    va, vb = embedder.encode(la), embedder.encode(lb)
    return va @ vb.T


def thresholded(matrix: np.ndarray, t: float) -> set[tuple[int, int]]:
    return {(int(i), int(j)) for i, j in zip(*np.nonzero(matrix >= t), strict=True)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus_align" / "pairs.jsonl")
    ap.add_argument("--docs", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sweep", action="store_true", help="print F1 at other link thresholds")
    ap.add_argument("--subtopics", help="comma-separated subtopics to score (default: all)")
    ap.add_argument(
        "--misses", action="store_true", help="print missed and extra conflicts on stderr"
    )
    ap.add_argument("--verbose", action="store_true", help="print impure facts on stderr")
    args = ap.parse_args()
    every = list(read_jsonl(args.data))
    records = [r for r in every if in_part(ecb_part(str(r["subtopic"])), args.part)]
    tune_records = [r for r in every if ecb_part(str(r["subtopic"])) == "tune"]
    if args.subtopics:
        chosen = set(args.subtopics.split(","))
        records = [r for r in records if r["subtopic"] in chosen]
    wanted = {r["a"] for r in every} | {r["b"] for r in every}
    docs = {d["id"]: d for d in read_jsonl(args.docs) if d["id"] in wanted}
    settings = Settings()
    low = 0.05 if args.sweep else settings.link_threshold
    run_settings = dataclasses.replace(
        settings, link_threshold=low, related_threshold=min(low, settings.related_threshold)
    )
    parser, embedder, model = SpacyParser(), SentenceEmbedder(), load_pair_model()
    comparisons = []
    for rec in records:
        arts = ecb_pair_articles(docs, rec)
        comparisons.append(
            compare_articles(
                arts, parser=parser, embedder=embedder, pair_model=model, settings=run_settings
            )
        )
    all_pairs = [system_pairs(c, low) for c in comparisons]

    predicted = [
        {p for p, s in pairs.items() if s >= settings.link_threshold} for pairs in all_pairs
    ]
    tp, n_sys, n_gold = score(records, predicted)
    precision, recall, f1 = prf(tp, n_sys, n_gold)
    unique_total = unique_kept = 0
    for rec, pairs in zip(records, predicted, strict=True):
        linked_a = {i for i, _ in pairs}
        linked_b = {j for _, j in pairs}
        unique_a = cast(list[int], rec["unique_a"])
        unique_b = cast(list[int], rec["unique_b"])
        unique_total += len(unique_a) + len(unique_b)
        unique_kept += sum(1 for i in unique_a if i not in linked_a)
        unique_kept += sum(1 for j in unique_b if j not in linked_b)
    hits = total = extra = 0
    if not args.sweep:
        for c, rec in zip(comparisons, records, strict=True):
            h, n_conflicts = conflict_hits(c, rec)
            hits, total = hits + h, total + n_conflicts
            extra += len(conflicts_not_in_gold(c, rec))
            if args.misses:
                print_misses(c, rec)
    tune_cosines = [
        cosine_pairs(embedder, str(docs[r["a"]]["text"]), str(docs[r["b"]]["text"]))
        for r in tune_records
    ]
    best_tune = (0.0, 0.0)
    for t in np.arange(0.3, 0.95, 0.025):
        bf1 = prf(*score(tune_records, [thresholded(m, float(t)) for m in tune_cosines]))[2]
        best_tune = max(best_tune, (bf1, float(t)))
    cosines = [
        cosine_pairs(embedder, str(docs[r["a"]]["text"]), str(docs[r["b"]]["text"]))
        for r in records
    ]
    base_links = [thresholded(m, best_tune[1]) for m in cosines]
    base_p, base_r, base_f1 = prf(*score(records, base_links))
    n_facts = n_pure = n_base = n_base_pure = 0
    cited = [0, 0, 0, 0]
    for c, rec, pairs in zip(comparisons, records, base_links, strict=True):
        good = gold_or_doubtful(rec)
        if not args.sweep:
            cited = [x + y for x, y in zip(cited, citation_hits(c, good), strict=True)]
        # under --sweep the comparisons ran at a low link threshold: not the facts compare gives
        for fact_id, side_a, side_b in [] if args.sweep else fact_lines(c):
            bad = impure_pairs(side_a, side_b, good)
            n_facts, n_pure = n_facts + 1, n_pure + (not bad)
            if bad and args.verbose:
                print_impure(rec, f"fact {fact_id}", bad, c)
        for side_a, side_b in components(pairs):
            bad = impure_pairs(side_a, side_b, good)
            n_base, n_base_pure = n_base + 1, n_base_pure + (not bad)
    figures: dict[str, object] = {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "unique_kept": unique_kept / unique_total if unique_total else 0.0,
        "conflict_recall": hits / total if total else 0.0,
        "conflicts_not_in_gold": extra,
        "baseline_f1": base_f1,
        "baseline_precision": base_p,
        "baseline_recall": base_r,
        "baseline_threshold": best_tune[1],
        "fact_purity": n_pure / n_facts if n_facts else 0.0,
        "n_facts": n_facts,
        "baseline_fact_purity": n_base_pure / n_base if n_base else 0.0,
        "baseline_n_facts": n_base,
        # of the summary's citations of the other article, the share that state the sentence
        "citation_precision": cited[0] / cited[1] if cited[1] else 0.0,
        "n_citations": cited[1],
        # the same when a summary sentence cites every sentence of its fact
        "baseline_citation_precision": cited[2] / cited[3] if cited[3] else 0.0,
        "baseline_n_citations": cited[3],
        "part": args.part,
        "n_gold_links": n_gold,
        "n_pairs": len(records),
        "excluded_lines": 0,
    }
    if args.sweep:
        for t in np.arange(0.2, 0.95, 0.05):
            sweep = [{p for p, s in pairs.items() if s >= t} for pairs in all_pairs]
            p, r, f = prf(*score(records, sweep))
            figures[f"sweep_{t:.2f}"] = f"P={p:.3f} R={r:.3f} F1={f:.3f}"
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
