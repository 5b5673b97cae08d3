"""Score quote extraction and speaker attribution against a quote gold file.

    python benchmarks/eval_quotes.py [--data QUOTES.jsonl] [--docs DOCS.jsonl[.gz]]
        [--part tune|check|all] [--json] [--errors]

The headline figures are those of ``--part`` (default ``check``): ECB+ documents are split by
topic (``benchmarks/splits.py``), any other document (the invented fixtures) by a stable hash
of its id. The same figures of every part follow with a ``check_``, ``tune_`` and ``all_``
prefix (``all`` is the public dev set on which the quote rules were first written), so the
held-out figure always stands next to the others. Nothing is fitted here; rules are chosen
on the tune part only.

Documents are read as they are (``id`` and ``text``), parsed with the real spaCy model,
segmented, and their quotes extracted. Gold records (``doc_id``, ``kind`` direct | reported |
not_a_statement, ``quote_text``, ``sentence_index``, ``char_start``/``char_end``, ``speaker``)
are placed in the text: ECB+ gold gives offsets within the line ``sentence_index``, the
invented fixtures give offsets in the whole text; each record is placed by whichever reading
gives back its ``quote_text`` (falling back to a search of the line, then of the text).

Quote detection: a system quote matches a gold quote of the same kind in the same document
when their spans overlap (one to one, largest overlap first). Unmatched system quotes are false
positives; ``not_a_statement_fp`` counts those that overlap a gold not-a-statement record.
Speaker attribution, among matched pairs: the names match case-insensitively, by containment
of whole words (surname, short company name) or by initials (an acronym). Precision is over
matched pairs where the system names a speaker (a name where the gold has none is wrong),
recall over matched pairs where the gold names one. ``speaker_recall_all`` divides the correct
speakers by every gold quote with a named speaker, matched or not.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from common import EVAL, emit, read_jsonl
from rashomon.analyze.segment import segment_article
from rashomon.backends import SpacyParser
from rashomon.models import Article, Quote
from rashomon.who.quotes import extract_quotes
from splits import Part, ecb_part, hashed_part, in_part

KINDS = ("direct", "reported")


@dataclass(frozen=True)
class Gold:
    doc: str
    kind: str
    text: str
    start: int
    end: int
    speaker: str | None


def place(record: dict[str, object], text: str) -> tuple[int, int]:
    """Offsets of a gold quote in the whole text (see the module docstring)."""
    quote = str(record["quote_text"])
    start, end = int(record["char_start"]), int(record["char_end"])  # type: ignore[call-overload]
    index = int(record["sentence_index"])  # type: ignore[call-overload]
    lines = text.split("\n")
    if index < len(lines):
        line_start = sum(len(line) + 1 for line in lines[:index])
        if lines[index][start:end] == quote:
            return line_start + start, line_start + end
    if text[start:end] == quote:
        return start, end
    if index < len(lines) and quote in lines[index]:
        at = sum(len(line) + 1 for line in lines[:index]) + lines[index].index(quote)
        return at, at + len(quote)
    if quote in text:
        return text.index(quote), text.index(quote) + len(quote)
    raise SystemExit(f"gold quote not found in {record['doc_id']}: {quote!r}")


def split_name(name: str) -> list[str]:
    name = re.sub(r"[’']s\b", "", name.lower())
    words = re.findall(r"[\w-]+", name.replace(".", " "))
    return [w for w in words if w not in ("the", "a", "an")]


def normalize(name: str) -> list[str]:
    """Lower-case words, with dotted initials joined: "U. S. Survey" -> ["us", "survey"]."""
    out: list[str] = []
    for word in split_name(name):
        if len(word) == 1 and out and len(out[-1]) < 4 and out[-1].isalpha() and out[-1].isascii():
            out[-1] += word
        else:
            out.append(word)
    return out


def initials(name: str) -> str:
    return "".join(w[0] for w in split_name(name) if w not in ("of", "and"))


def same_speaker(system: str, gold: str) -> bool:
    a, b = normalize(system), normalize(gold)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    if any(long_[k : k + n] == short for k in range(len(long_) - n + 1)):
        return True
    # an acronym of the other name: USGS / U.S. Geological Survey
    longer = gold if short is a else system
    return len(short) == 1 and short[0] == initials(longer)


def match(system: list[Quote], gold: list[Gold]) -> list[tuple[Quote, Gold]]:
    """One-to-one pairs of overlapping spans, largest overlap first."""
    options = []
    for i, q in enumerate(system):
        for j, g in enumerate(gold):
            overlap = min(q.end, g.end) - max(q.start, g.start)
            if overlap > 0:
                options.append((overlap, i, j))
    used_s: set[int] = set()
    used_g: set[int] = set()
    pairs = []
    for _, i, j in sorted(options, reverse=True):
        if i not in used_s and j not in used_g:
            used_s.add(i)
            used_g.add(j)
            pairs.append((system[i], gold[j]))
    return pairs


def part_of(doc_id: str) -> str:
    """The split part of a document: by ECB+ topic, else by a hash of its id."""
    try:
        return ecb_part(doc_id)
    except ValueError:
        return hashed_part(doc_id)


def ratio(num: int, den: int) -> float:
    return num / den if den else 0.0


def score(
    docs: dict[str, str], golds: list[Gold], quotes: dict[str, list[Quote]], errors: bool
) -> dict[str, object]:
    counts: dict[str, int] = defaultdict(int)
    for doc_id in docs:
        doc_gold = [g for g in golds if g.doc == doc_id]
        negatives = [g for g in doc_gold if g.kind == "not_a_statement"]
        for kind in KINDS:
            system = [q for q in quotes[doc_id] if q.kind == kind]
            gold = [g for g in doc_gold if g.kind == kind]
            pairs = match(system, gold)
            matched = {id(q) for q, _ in pairs}
            counts[f"{kind}_tp"] += len(pairs)
            counts[f"{kind}_sys"] += len(system)
            counts[f"{kind}_gold"] += len(gold)
            for q in system:
                if id(q) not in matched:
                    hit = any(min(q.end, g.end) > max(q.start, g.start) for g in negatives)
                    counts["not_a_statement_fp"] += hit
                    if errors:
                        print(
                            f"FP {doc_id} {kind}: {q.text[:80]!r} ({q.cue}: {q.speaker.name})",
                            file=sys.stderr,
                        )
            if errors:
                found = {id(g) for _, g in pairs}
                for g in gold:
                    if id(g) not in found:
                        print(f"FN {doc_id} {kind}: {g.text[:80]!r}", file=sys.stderr)
            for q, g in pairs:
                said = q.speaker.name
                counts["speaker_sys"] += said is not None
                counts["speaker_gold"] += g.speaker is not None
                right = said is not None and g.speaker is not None and same_speaker(said, g.speaker)
                counts["speaker_tp"] += right
                if errors and not right and (said or g.speaker):
                    print(
                        f"SPK {doc_id} {kind}: {g.text[:60]!r} system={said!r} "
                        f"({q.speaker.mention!r}) gold={g.speaker!r}",
                        file=sys.stderr,
                    )
        counts["speaker_gold_all"] += sum(
            1 for g in doc_gold if g.kind in KINDS and g.speaker is not None
        )
    return figures(counts)


def figures(c: dict[str, int]) -> dict[str, object]:
    tp = sum(c[f"{k}_tp"] for k in KINDS)
    out: dict[str, object] = {
        "quote_precision": ratio(tp, sum(c[f"{k}_sys"] for k in KINDS)),
        "quote_recall": ratio(tp, sum(c[f"{k}_gold"] for k in KINDS)),
    }
    for k in KINDS:
        out[f"{k}_precision"] = ratio(c[f"{k}_tp"], c[f"{k}_sys"])
        out[f"{k}_recall"] = ratio(c[f"{k}_tp"], c[f"{k}_gold"])
    out["speaker_precision"] = ratio(c["speaker_tp"], c["speaker_sys"])
    out["speaker_recall"] = ratio(c["speaker_tp"], c["speaker_gold"])
    out["speaker_recall_all"] = ratio(c["speaker_tp"], c["speaker_gold_all"])
    out["not_a_statement_fp"] = c["not_a_statement_fp"]
    out["n_gold"] = sum(c[f"{k}_gold"] for k in KINDS)
    out["n_system"] = sum(c[f"{k}_sys"] for k in KINDS)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus_quotes" / "quotes.jsonl")
    ap.add_argument("--docs", type=Path, default=EVAL / "ecbplus" / "documents.jsonl.gz")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--errors", action="store_true", help="list misses and mistakes on stderr")
    ap.add_argument(
        "--doc-ids",
        help="comma-separated documents to score (default: those the gold names); a document "
        "without gold records counts every quote found in it as a false positive",
    )
    args = ap.parse_args()
    records = list(read_jsonl(args.data))
    wanted = {str(r["doc_id"]) for r in records}
    if args.doc_ids:
        wanted |= {x.strip() for x in args.doc_ids.split(",") if x.strip()}
    docs = {str(d["id"]): str(d["text"]) for d in read_jsonl(args.docs) if str(d["id"]) in wanted}
    missing = wanted - set(docs)
    if missing:
        raise SystemExit(f"{args.docs}: no document for doc_id {sorted(missing)[:5]}")
    golds = []
    for r in records:
        doc_id = str(r["doc_id"])
        start, end = place(r, docs[doc_id])
        speaker = r.get("speaker")
        golds.append(
            Gold(
                doc_id,
                str(r["kind"]),
                str(r["quote_text"]),
                start,
                end,
                str(speaker) if speaker else None,
            )
        )
    ids = sorted(docs)
    parsed = SpacyParser().parse([docs[i] for i in ids])
    quotes = {}
    for doc_id, p in zip(ids, parsed, strict=True):
        article = segment_article(Article(id=doc_id, text=docs[doc_id], outlet="eval"), p)
        quotes[doc_id] = extract_quotes(article, p)
    figures: dict[str, object] = {"part": args.part}
    parts: list[Part] = ["check", "tune", "all"]
    parts.sort(key=lambda p: p != args.part)  # the chosen part first, unprefixed
    for part in parts:
        chosen = {d: t for d, t in docs.items() if in_part(part_of(d), part)}
        scored = score(chosen, golds, quotes, args.errors and part == args.part)
        scored["n_documents"] = len(chosen)
        if part == args.part:
            figures.update(scored)
        else:
            figures.update({f"{part}_{k}": v for k, v in scored.items()})
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
