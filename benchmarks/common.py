"""Shared bits of the benchmark and evaluation scripts: data paths, reading, output."""

from __future__ import annotations

import bisect
import csv
import gzip
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.models import Article

if TYPE_CHECKING:
    from rashomon.models import Alignment, Comparison, Sentence

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def read_mrpc(path: Path) -> list[tuple[str, int, str, str]]:
    """Rows (id1, label, s1, s2) of a TSV in the MRPC layout (header line, no quoting)."""
    rows: list[tuple[str, int, str, str]] = []
    with path.open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for n, row in enumerate(reader, start=2):
            if len(row) < 5:
                raise SystemExit(f"{path}:{n}: expected 5 tab-separated columns, got {len(row)}")
            rows.append((row[1], int(row[0]), row[3], row[4]))
    return rows


def line_starts(text: str) -> list[int]:
    """Offsets where each line of a text starts (ECB+ texts hold one sentence a line)."""
    return [0] + [n + 1 for n, ch in enumerate(text) if ch == "\n"]


def lines_of(starts: list[int], start: int, end: int) -> range:
    """The lines a character span [start, end) touches."""
    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_right(starts, max(start, end - 1)) - 1
    return range(first, last + 1)


def ecb_pair_articles(
    docs: Mapping[object, Mapping[str, object]], rec: Mapping[str, object]
) -> list[Article]:
    """The two ECB+ documents of an annotated pair as Articles, each its own outlet (its id)."""
    return [
        Article(id=str(d["id"]), text=str(d["text"]), outlet=str(d["id"]))
        for d in (docs[str(rec["a"])], docs[str(rec["b"])])
    ]


def linked_sentences(
    c: Comparison, min_score: float
) -> Iterator[tuple[Sentence, Sentence, Alignment]]:
    """Each same-fact link of a two-article comparison as (sentence of a, sentence of b, link)."""
    _, b = c.articles
    for link in c.alignments:
        if link.relation == "related" or link.score < min_score:
            continue
        x, y = c.sentence(link.source), c.sentence(link.target)
        if link.source.startswith(b.id + ":"):
            x, y = y, x
        yield x, y, link


def read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def emit(figures: dict[str, object], *, as_json: bool) -> None:
    """Print figures for people, or as one JSON object on the last line."""
    if as_json:
        print(json.dumps(figures, sort_keys=True))
        return
    width = max(len(k) for k in figures)
    for key, value in figures.items():
        shown = f"{value:.4f}" if isinstance(value, float) else str(value)
        print(f"{key:<{width}}  {shown}")
