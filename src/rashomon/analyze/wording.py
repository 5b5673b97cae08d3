"""Wording differences of two aligned sentences: word replacements, additions and deletions.

Words are compared folded (case, diacritics, quote marks and dashes unified), so a change of
quote style or capitalisation is not a difference; punctuation is ignored altogether.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import Indel, Levenshtein

from rashomon.models import Difference, DiffKind
from rashomon.text import fold

_WORD = re.compile(r"[\w]+(?:['’][\w]+)*(?:[.,][\d]+)*", re.UNICODE)


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_differences(source: str, target: str) -> tuple[Difference, ...]:
    """Token-level differences turning ``source`` into ``target`` (spans into each text).

    Edits with no unchanged word between them are one difference, so a deleted word next to
    an added one reads as a replacement.
    """
    a = _words(source)
    b = _words(target)
    runs: list[list[int]] = []  # [src_start, src_end, dest_start, dest_end] in word indices
    previous_equal = True
    for op in Levenshtein.opcodes([w for w, _, _ in a], [w for w, _, _ in b]):
        if op.tag == "equal":
            previous_equal = True
            continue
        if previous_equal or not runs:
            runs.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
        else:
            runs[-1][1], runs[-1][3] = op.src_end, op.dest_end
        previous_equal = False
    return tuple(_difference(source, target, a, b, run) for run in runs)


def _difference(
    source: str,
    target: str,
    a: list[tuple[str, int, int]],
    b: list[tuple[str, int, int]],
    run: list[int],
) -> Difference:
    src_start, src_end, dest_start, dest_end = run
    a_span = (a[src_start][1], a[src_end - 1][2]) if src_end > src_start else None
    b_span = (b[dest_start][1], b[dest_end - 1][2]) if dest_end > dest_start else None
    kind: DiffKind = "replace" if a_span and b_span else "delete" if a_span else "insert"
    return Difference(
        kind=kind,
        source=source[a_span[0] : a_span[1]] if a_span else "",
        target=target[b_span[0] : b_span[1]] if b_span else "",
        source_span=a_span,
        target_span=b_span,
    )


def similarity(source: str, target: str) -> float:
    """Share of words two sentences have in the same order (1.0 = same words)."""
    return float(
        Indel.normalized_similarity(
            [w for w, _, _ in _words(source)], [w for w, _, _ in _words(target)]
        )
    )
