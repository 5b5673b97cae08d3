"""Score the conflicts `compare` flags against hand annotation (same-event ECB+ pairs).

    python benchmarks/eval_conflicts.py [--part check|tune|all] [--data PAIRS] [--docs DOCS]
        [--json] [--misses] [--subtopics 41_ecbplus,20_ecbplus]

The gold (benchmarks/data/conflicts/pairs.jsonl, guide in its README) lists every true conflict of
each pair, the doubtful cases and the near-misses that are not conflicts, each by kind and by the
lines of both articles. A flagged conflict (``Comparison.conflicts``) covers the lines of the
sentences holding its values in article A and in article B; it matches a gold item of the same kind
when it shares a line with it on both sides. A flagged conflict that matches a true conflict is
right; one that matches only a doubtful item is ignored; any other is a false conflict (whether or
not the gold lists it as a near-miss). Prints per kind and overall precision and recall and the
false conflicts per pair, on the check part by default, and the same figures for a naive baseline
measured in the same run: every sentence link (at the link threshold) whose two sentences carry
different sets of numbers is a number conflict.
``--misses`` prints, on stderr, the gold conflicts not flagged and the false conflicts flagged.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    EVAL,
    ROOT,
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
from rashomon.models import Comparison
from rashomon.settings import Settings
from splits import Part, in_part

KINDS = ("date", "number", "attribution")
GOLD = ROOT / "benchmarks" / "data" / "conflicts" / "pairs.jsonl"
_NUMBER = re.compile(
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Flag:
    """One flagged conflict reduced to what the gold can judge: its kind and lines of A and B."""

    kind: str
    lines_a: frozenset[int]
    lines_b: frozenset[int]
    note: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """Per kind: flags judged right, false and ignored; gold conflicts found and missed."""

    right: int = 0
    false: int = 0
    ignored: int = 0
    found: int = 0
    gold: int = 0


def flags_of(c: Comparison) -> list[Flag]:
    """The flagged conflicts of a two-article comparison as kinds and line sets."""
    a, b = c.articles
    starts = {a.id: line_starts(a.text), b.id: line_starts(b.text)}
    out = []
    for conflict in c.conflicts:
        lines: dict[str, set[int]] = {a.id: set(), b.id: set()}
        for value in conflict.values:
            art = a.id if value.sentence.startswith(a.id + ":") else b.id
            sentence = c.sentence(value.sentence)
            lines[art].update(lines_of(starts[art], value.start, value.end))
            lines[art].update(lines_of(starts[art], sentence.start, sentence.end))
        out.append(
            Flag(
                kind=conflict.kind,
                lines_a=frozenset(lines[a.id]),
                lines_b=frozenset(lines[b.id]),
                note=conflict.note,
            )
        )
    return out


def baseline_flags(c: Comparison, min_score: float) -> list[Flag]:
    """Naive baseline: a link whose two sentences hold different sets of numbers."""
    a, b = c.articles
    starts = {a.id: line_starts(a.text), b.id: line_starts(b.text)}
    out = []
    for x, y, _ in linked_sentences(c, min_score):
        nx = {m.lower() for m in _NUMBER.findall(x.text)}
        ny = {m.lower() for m in _NUMBER.findall(y.text)}
        if nx and ny and nx != ny:
            out.append(
                Flag(
                    kind="number",
                    lines_a=frozenset(lines_of(starts[a.id], x.start, x.end)),
                    lines_b=frozenset(lines_of(starts[b.id], y.start, y.end)),
                    note=f"numbers {sorted(nx)} vs {sorted(ny)}",
                )
            )
    return out


def _gold_lines(item: Mapping[str, Any], side: str) -> set[int]:
    return {int(m["line"]) for m in item[side]}


def matches(flag: Flag, item: Mapping[str, Any]) -> bool:
    return (
        flag.kind == item["kind"]
        and bool(flag.lines_a & _gold_lines(item, "a"))
        and bool(flag.lines_b & _gold_lines(item, "b"))
    )


def judge(
    flags: Sequence[Flag], rec: Mapping[str, Any]
) -> tuple[dict[str, Verdict], list[Flag], list[dict[str, Any]]]:
    """Verdicts per kind for one pair, the false flags and the gold conflicts not found."""
    counts = {k: dict.fromkeys(("right", "false", "ignored", "found", "gold"), 0) for k in KINDS}
    false_flags = []
    for flag in flags:
        counts.setdefault(flag.kind, dict.fromkeys(counts["number"], 0))
        if any(matches(flag, g) for g in rec["conflicts"]):
            counts[flag.kind]["right"] += 1
        elif any(matches(flag, g) for g in rec["doubtful"]):
            counts[flag.kind]["ignored"] += 1
        else:
            counts[flag.kind]["false"] += 1
            false_flags.append(flag)
    missed = []
    for g in rec["conflicts"]:
        counts[g["kind"]]["gold"] += 1
        if any(matches(flag, g) for flag in flags):
            counts[g["kind"]]["found"] += 1
        else:
            missed.append(g)
    return {k: Verdict(**v) for k, v in counts.items()}, false_flags, missed


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


def figures(
    verdicts: Iterable[dict[str, Verdict]], n_pairs: int, prefix: str = ""
) -> dict[str, Any]:
    total: dict[str, dict[str, int]] = {}
    for per_pair in verdicts:
        for kind, v in per_pair.items():
            t = total.setdefault(
                kind, dict.fromkeys(("right", "false", "ignored", "found", "gold"), 0)
            )
            for field in t:
                t[field] += getattr(v, field)
    out: dict[str, Any] = {}
    for kind in sorted(total):
        t = total[kind]
        out[f"{prefix}precision_{kind}"] = _ratio(t["right"], t["right"] + t["false"])
        out[f"{prefix}recall_{kind}"] = _ratio(t["found"], t["gold"])
        out[f"{prefix}flagged_{kind}"] = t["right"] + t["false"] + t["ignored"]
        out[f"{prefix}false_{kind}"] = t["false"]
        out[f"{prefix}gold_{kind}"] = t["gold"]
    right = sum(t["right"] for t in total.values())
    false = sum(t["false"] for t in total.values())
    out[f"{prefix}precision"] = _ratio(right, right + false)
    out[f"{prefix}recall"] = _ratio(
        sum(t["found"] for t in total.values()), sum(t["gold"] for t in total.values())
    )
    out[f"{prefix}false_per_pair"] = false / n_pairs if n_pairs else None
    out[f"{prefix}ignored_doubtful"] = sum(t["ignored"] for t in total.values())
    return out


def print_misses(
    c: Comparison, rec: Mapping[str, Any], false_flags: list[Flag], missed: list[dict[str, Any]]
) -> None:
    a, b = c.articles
    la, lb = a.text.split("\n"), b.text.split("\n")
    tag = f"[{rec['subtopic']} {rec['a']}/{rec['b']}]"
    for flag in false_flags:
        known = any(matches(flag, g) for g in rec["not_conflicts"])
        print(
            f"{tag} FALSE {flag.kind} ({'listed near-miss' if known else 'unlisted'}): {flag.note}",
            file=sys.stderr,
        )
        for i in sorted(flag.lines_a):
            print(f"    A{i}: {la[i]}", file=sys.stderr)
        for j in sorted(flag.lines_b):
            print(f"    B{j}: {lb[j]}", file=sys.stderr)
    for g in missed:
        tokens = (" / ".join(m["token"] for m in g["a"]), " / ".join(m["token"] for m in g["b"]))
        print(
            f"{tag} MISSED {g['kind']} {tokens[0]!r} vs {tokens[1]!r}: {g['happening']}",
            file=sys.stderr,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--data", type=Path, default=GOLD)
    ap.add_argument("--docs", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--subtopics", help="comma-separated sub-topics only (a quick look)")
    ap.add_argument("--misses", action="store_true", help="print misses and false flags on stderr")
    args = ap.parse_args()
    part: Part = args.part
    records: list[dict[str, Any]] = [
        r for r in read_jsonl(args.data) if in_part(str(r["part"]), part)
    ]
    if args.subtopics:
        chosen = set(args.subtopics.split(","))
        records = [r for r in records if r["subtopic"] in chosen]
    wanted = {r["a"] for r in records} | {r["b"] for r in records}
    docs = {d["id"]: d for d in read_jsonl(args.docs) if d["id"] in wanted}
    settings = Settings()
    parser, embedder, model = SpacyParser(), SentenceEmbedder(), load_pair_model()
    verdicts, base_verdicts = [], []
    for rec in records:
        arts = ecb_pair_articles(docs, rec)
        c = compare_articles(
            arts, parser=parser, embedder=embedder, pair_model=model, settings=settings
        )
        per_pair, false_flags, missed = judge(flags_of(c), rec)
        verdicts.append(per_pair)
        base_verdicts.append(judge(baseline_flags(c, settings.link_threshold), rec)[0])
        if args.misses:
            print_misses(c, rec, false_flags, missed)
    out: dict[str, Any] = {"part": part, "n_pairs": len(records)}
    out |= figures(verdicts, len(records))
    out |= figures(base_verdicts, len(records), prefix="baseline_")
    shown = {k: ("n/a" if v is None else v) for k, v in out.items()}
    emit(out if args.json else shown, as_json=args.json)


if __name__ == "__main__":
    main()
