"""Score what rashomon reads from real saved news pages, next to plain trafilatura.

    python benchmarks/eval_pages.py [--part check|tune|all] [--pages DIR] [--json] [--misses]

The pages and their gold are trafilatura's own evaluation pages (see the README of
/work/shared/eval/realpages; read in place, never copied). Each page is read twice in the same
run: by rashomon (``inputs.html.parse_html`` with the page's URL, as a crawl or a feed gives it)
and by plain ``trafilatura.bare_extraction`` (metadata on, comments off, tables on).

Scoring follows trafilatura's ``tests/eval_common.py``: a snippet is found when its whitespace-
normalised text is a substring of the whitespace-normalised main text; title and author match
when one contains the other (case-folded); the date must be equal. A gold field that is null is
not scored; an empty gold author ('') is right only when no author is read. The outlet name is
scored on the pages whose gold gives the outlet's own name (``sitename``). ``furniture_kept`` is
the share of ``without`` snippets present (lower is better), ``with_kept`` the share of ``with``
snippets present. The part of a page is ``hashed_part(file name)`` (benchmarks/splits.py).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import EVAL, emit
from splits import Part, hashed_part, in_part

PAGES = EVAL / "realpages"
FIELDS = ("title", "date", "author", "outlet")


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """What one extractor read from one page."""

    text: str
    title: str | None
    date: str | None
    author: str | None
    outlet: str | None


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def read_rashomon(html: str, *, name: str, url: str) -> Reading:
    from rashomon.errors import InputError
    from rashomon.inputs.html import parse_html

    try:
        article = parse_html(html, source=name, url=url)
    except InputError:
        return Reading(text="", title=None, date=None, author=None, outlet=None)
    return Reading(
        text=article.text,
        title=article.title,
        date=article.date,
        author=article.author,
        outlet=article.outlet,
    )


def read_trafilatura(html: str, *, name: str, url: str) -> Reading:
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    if doc is None:
        return Reading(text="", title=None, date=None, author=None, outlet=None)
    assert not isinstance(doc, dict)  # as_dict is False: a Document
    return Reading(
        text=doc.text or "",
        title=doc.title,
        date=doc.date,
        author=doc.author,
        outlet=doc.sitename,
    )


def field_right(field: str, gold: Mapping[str, Any], got: Reading) -> bool | None:
    """Whether a field was read right; None when the gold does not score it."""
    if field == "outlet":
        expected = gold.get("sitename")
        value = got.outlet
    else:
        expected = gold.get(field)
        value = getattr(got, field)
    if expected is None:
        return None
    want, have = _norm(expected), _norm(value)
    if field == "author" and not want:
        return not have
    if field == "date":
        return have[:10] == want
    if not have:
        return False
    return want in have or have in want


def share_found(snippets: list[str], text: str) -> tuple[int, int]:
    haystack = _norm(text)
    return sum(_norm(s) in haystack for s in snippets), len(snippets)


def score(
    reader: Callable[..., Reading],
    pages: list[tuple[str, str, Mapping[str, Any]]],
    *,
    label: str,
    misses: bool,
) -> dict[str, float | int]:
    right = dict.fromkeys(FIELDS, 0)
    scored = dict.fromkeys(FIELDS, 0)
    furniture = [0, 0]
    kept = [0, 0]
    for name, html, gold in pages:
        got = reader(html, name=name, url=gold["url"])
        for field in FIELDS:
            verdict = field_right(field, gold, got)
            if verdict is None:
                continue
            scored[field] += 1
            right[field] += verdict
            if misses and not verdict:
                want = gold.get("sitename" if field == "outlet" else field)
                print(
                    f"{label} {name} {field}: {getattr(got, field)!r} (gold {want!r})",
                    file=sys.stderr,
                )
        for total, key in ((furniture, "without"), (kept, "with")):
            found, n = share_found(gold[key], got.text)
            total[0] += found
            total[1] += n
            if misses and key == "without" and found:
                print(f"{label} {name} furniture kept: {found}/{n}", file=sys.stderr)
    figures: dict[str, float | int] = {}
    for field in FIELDS:
        figures[f"{field}_accuracy"] = right[field] / scored[field] if scored[field] else 0.0
        figures[f"{field}_n"] = scored[field]
    figures["furniture_kept"] = furniture[0] / furniture[1] if furniture[1] else 0.0
    figures["with_kept"] = kept[0] / kept[1] if kept[1] else 0.0
    return figures


def load_pages(root: Path, part: Part) -> list[tuple[str, str, Mapping[str, Any]]]:
    gold = json.loads((root / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for name in sorted(gold):
        if not in_part(hashed_part(name), part):
            continue
        html = (root / "pages" / name).read_text(encoding="utf-8", errors="replace")
        pages.append((name, html, gold[name]))
    return pages


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--part", choices=("tune", "check", "all"), default="check")
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--json", action="store_true", help="figures as JSON on the last line")
    parser.add_argument("--misses", action="store_true", help="print wrong fields on stderr")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages, args.part)
    ours = score(read_rashomon, pages, label="rashomon", misses=args.misses)
    base = score(read_trafilatura, pages, label="trafilatura", misses=args.misses)
    figures: dict[str, object] = {"part": args.part, "pages": len(pages)}
    figures.update(ours)
    figures.update({f"baseline_{key}": value for key, value in base.items()})
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
