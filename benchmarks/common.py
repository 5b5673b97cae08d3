"""Shared bits of the benchmark and evaluation scripts: data paths, reading, output."""

from __future__ import annotations

import csv
import gzip
import json
import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"


def read_mrpc(path: Path) -> list[tuple[int, str, str]]:
    """Rows (label, s1, s2) of a TSV in the MRPC layout (header line, no quoting)."""
    rows: list[tuple[int, str, str]] = []
    with path.open(encoding="utf-8-sig") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for n, row in enumerate(reader, start=2):
            if len(row) < 5:
                raise SystemExit(f"{path}:{n}: expected 5 tab-separated columns, got {len(row)}")
            rows.append((int(row[0]), row[3], row[4]))
    return rows


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
