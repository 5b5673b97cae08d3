"""Wording differences of two aligned sentences: word replacements, additions and deletions.

Words are compared folded (case, diacritics, quote marks and dashes unified), so a change of
quote style or capitalisation is not a difference; punctuation is ignored altogether.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel, Levenshtein

from rashomon.features import fold
from rashomon.models import Difference

_WORD = re.compile(r"[\w]+(?:['’][\w]+)*(?:[.,][\d]+)*", re.UNICODE)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_differences(source: str, target: str) -> tuple[Difference, ...]:
    """Token-level differences turning ``source`` into ``target`` (spans into each text)."""
    a = _words(source)
    b = _words(target)
    ops = Levenshtein.opcodes([w for w, _, _ in a], [w for w, _, _ in b])
    diffs: list[Difference] = []
    for op in ops:
        if op.tag == "equal":
            continue
        a_span = (a[op.src_start][1], a[op.src_end - 1][2]) if op.src_end > op.src_start else None
        b_span = (
            (b[op.dest_start][1], b[op.dest_end - 1][2]) if op.dest_end > op.dest_start else None
        )
        diffs.append(
            Difference(
                kind="replace"
                if op.tag == "replace"
                else "delete"
                if op.tag == "delete"
                else "insert",
                source=source[a_span[0] : a_span[1]] if a_span else "",
                target=target[b_span[0] : b_span[1]] if b_span else "",
                source_span=a_span,
                target_span=b_span,
            )
        )
    return tuple(_merge_adjacent(diffs, source, target))


def _merge_adjacent(diffs: list[Difference], source: str, target: str) -> list[Difference]:
    """Join a delete and an insert at the same place into one replacement."""
    merged: list[Difference] = []
    for diff in diffs:
        prev = merged[-1] if merged else None
        if prev is not None and _touching(prev, diff, source, target):
            a_span = _union(prev.source_span, diff.source_span)
            b_span = _union(prev.target_span, diff.target_span)
            merged[-1] = Difference(
                kind="replace" if a_span and b_span else prev.kind,
                source=source[a_span[0] : a_span[1]] if a_span else "",
                target=target[b_span[0] : b_span[1]] if b_span else "",
                source_span=a_span,
                target_span=b_span,
            )
        else:
            merged.append(diff)
    return merged


def _union(x: tuple[int, int] | None, y: tuple[int, int] | None) -> tuple[int, int] | None:
    if x is None:
        return y
    if y is None:
        return x
    return (min(x[0], y[0]), max(x[1], y[1]))


def _touching(prev: Difference, diff: Difference, source: str, target: str) -> bool:
    def gap(a: tuple[int, int] | None, b: tuple[int, int] | None, text: str) -> bool:
        if a is None or b is None:
            return True
        return not _WORD.search(text[a[1] : b[0]])

    return gap(prev.source_span, diff.source_span, source) and gap(
        prev.target_span, diff.target_span, target
    )


def similarity(source: str, target: str) -> float:
    """Share of words two sentences have in the same order (1.0 = same words)."""
    return float(
        Indel.normalized_similarity(
            [w for w, _, _ in _words(source)], [w for w, _, _ in _words(target)]
        )
    )
