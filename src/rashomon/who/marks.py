"""Quotation marks -> quoted spans: straight, curly, guillemets, doubled apostrophes, and single
marks where they cannot be apostrophes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“«„"
_DOUBLE_CLOSE = "”»"
_MARK = re.compile(r"''|``|[\"“”«»„]|[‘’`']")
_OPENING_CONTEXT = " \t\n([{—–-/"
_CLOSING_CONTEXT = " \t\n)]}.,;:!?—–-/"
_FINAL = ".?!…"
_WORD = re.compile(r"[\w’']+")


@dataclass(frozen=True, slots=True)
class QuotedSpan:
    """The text between a pair of quotation marks (offsets exclude the marks)."""

    start: int
    end: int
    single: bool  # single marks ('...')
    opened: int  # offset of the opening mark
    closed: int  # offset just past the closing mark (or the line end when left open)


def _side(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether a mark at text[start:end] has space-like context on its left and right."""
    left = start == 0 or text[start - 1].isspace() or text[start - 1] in _OPENING_CONTEXT
    right = (
        end >= len(text)
        or text[end].isspace()
        or text[end] in _CLOSING_CONTEXT
        or text[end] in "\"”’'"
    )
    return left, right


def _direction(text: str, start: int, end: int) -> str:
    mark = text[start:end]
    if mark in _DOUBLE_OPEN or mark == "``":
        return "open"
    if mark in _DOUBLE_CLOSE:
        left, right = _side(text, start, end)
        # a closing curly mark used as an opening one ("”Yes”): space before, word after
        return "open" if left and not right else "close"
    left, right = _side(text, start, end)
    if left and not right:
        return "open"
    if right and not left:
        return "close"
    return "toggle"


def _line_end(text: str, pos: int) -> int:
    newline = text.find("\n", pos)
    return len(text) if newline < 0 else newline


def find_double_quotes(text: str) -> list[QuotedSpan]:
    """Pairs of double quotation marks, an unclosed one ending where its paragraph ends.

    A quotation left open at a line end continues on the next lines when a closing mark comes
    later (one sentence per line, as in tokenized corpora). When the next mark opens a new
    quotation on a later line instead, an open quotation that opened its line runs on to the
    line before (each paragraph re-opens the mark: the multi-paragraph convention), and one
    that opened inside a sentence ends with its own line (its closing mark was lost). A
    different opening mark inside an open quotation on the same line nests (« ... “ ... ” ... »).
    """
    marks = [
        m for m in _MARK.finditer(text) if m.group() not in "‘’`'" or m.group() in ("''", "``")
    ]
    spans: list[QuotedSpan] = []
    stack: list[tuple[int, int]] = []
    for m in marks:
        kind = _direction(text, m.start(), m.end())
        if not stack:
            if kind != "close":
                stack.append((m.start(), m.end()))
            continue
        top = stack[-1]
        if kind == "open" and "\n" in text[top[1] : m.start()]:
            # No closing mark came before this new quotation on a later line. A quotation
            # that opens its line (or follows a colon) runs on to the line before: a paragraph
            # of several lines, re-opened by the next (the multi-paragraph convention). One
            # that opened inside the writer's sentence ends with that line: its closing mark
            # was lost, and the lines after it are the writer's, not the speaker's.
            before = text.rfind("\n", 0, m.start())
            for o in reversed(stack):
                end = before if _opens_its_line(text, o[0]) else _line_end(text, o[1])
                spans.append(QuotedSpan(o[1], end, False, o[0], end))
            stack = [(m.start(), m.end())]
            continue
        if kind == "open" and _nests(text[top[0] : top[1]], m.group()):
            stack.append((m.start(), m.end()))
            continue
        stack.pop()
        spans.append(QuotedSpan(top[1], m.start(), False, top[0], m.end()))
    for o in reversed(stack):
        end = _line_end(text, o[1])
        spans.append(QuotedSpan(o[1], end, False, o[0], end))
    return sorted(spans, key=lambda s: s.opened)


def _opens_its_line(text: str, mark: int) -> bool:
    """Whether a mark opens its line, or follows a colon (a quotation introduced as a block)."""
    before = text[text.rfind("\n", 0, mark) + 1 : mark].rstrip()
    return not before or before.endswith(":")


def _nests(outer: str, inner: str) -> bool:
    """Whether an opening mark starts a quotation inside one opened by another kind of mark."""
    family = {"«": "guillemet", "»": "guillemet", "„": "low"}
    return family.get(outer, "english") != family.get(inner, "english")


def find_single_quotes(text: str) -> list[QuotedSpan]:
    """Pairs of single quotation marks on one line, skipping apostrophes (don't, Jones')."""
    spans: list[QuotedSpan] = []
    for line in re.finditer(r"[^\n]+", text):
        open_at: tuple[int, int] | None = None
        for m in re.finditer(r"(?<!')[‘’`'](?!')", line.group()):
            start, end = line.start() + m.start(), line.start() + m.end()
            mark = text[start:end]
            left, right = _side(text, start, end)
            if mark in "‘`" or (left and not right):
                if left or mark in "‘`":
                    open_at = (start, end)
                continue
            if open_at is not None and right and start - open_at[1] > 0:
                spans.append(QuotedSpan(open_at[1], start, True, open_at[0], end))
                open_at = None
    return spans


def _segments(text: str, span: QuotedSpan) -> list[tuple[int, int]]:
    """The per-line pieces of a quoted span, trimmed of spaces and a trailing framing comma."""
    pieces: list[tuple[int, int]] = []
    for line in re.finditer(r"[^\n]+", text[span.start : span.end]):
        start, end = span.start + line.start(), span.start + line.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
            end -= 1
        if end > start and any(ch.isalnum() for ch in text[start:end]):
            pieces.append((start, end))
    return pieces
