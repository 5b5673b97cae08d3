"""Article + parse -> sentences with stable ids and exact character offsets.

spaCy's sentence boundaries are refined: a sentence never crosses a line break, a quotation
that runs over several sentences stays in one piece (within its paragraph), and a piece that
starts in lower case, follows a title such as "Sgt.", or starts with a month name after a day
written as an ordinal ("am 31. Oktober"), joins the sentence before it.
"""

from __future__ import annotations

import dataclasses
import re

from rashomon.models import Article, Sentence
from rashomon.nlp import ParsedText, check_parse_of
from rashomon.text import is_month_name

OPEN_QUOTES = "“«‘"
CLOSE_QUOTES = "”»’"
_NEWLINE = re.compile(r"\n")
_STRAIGHT_QUOTE = re.compile(r'(?<!\d)"')  # 12" is an inch mark, not a quotation
_SINGLE_QUOTE = re.compile("[‘’]")
# A sentence that ends otherwise (a dateline "PORT X, May 2 (Agency) —") runs on into the next.
_FINAL = (".", "!", "?", '"', "”", "’", "'", ")", "»", "…")


def _single_quote_depth(text: str) -> int:
    """Single curly quotations (British style) still open at the end of ``text``.

    ’ is also the apostrophe (didn’t, workers’), so a mark counts only by its place: ‘ opens
    unless a space or a digit follows it (‘90s), ’ closes where a word ends and only while a
    quotation is open, so an apostrophe can never open one.
    """
    depth = 0
    for match in _SINGLE_QUOTE.finditer(text):
        start = match.start()
        before = text[start - 1] if start > 0 else " "
        after = text[start + 1] if start + 1 < len(text) else " "
        if match.group() == "‘":
            if not after.isspace() and not after.isdigit():
                depth += 1
        elif depth > 0 and not before.isspace() and not after.isalnum():
            depth -= 1
    return depth


def _quote_balance(text: str) -> int:
    """Positive while a quotation opened in ``text`` is still open at its end."""
    curly = sum(text.count(c) for c in "“«") - sum(text.count(c) for c in "”»")
    straight = len(_STRAIGHT_QUOTE.findall(text)) % 2
    return max(curly, 0) + straight + _single_quote_depth(text)


def _split_at_newlines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _NEWLINE.finditer(text, start, end):
        spans.append((cursor, match.start()))
        cursor = match.end()
    spans.append((cursor, end))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


# Titles written before a name never end a sentence: "... and Sheriff's Deputy Sgt. | Hoyt ..."
_TITLE_ABBREVIATIONS = frozenset(
    [
        "mr", "mrs", "ms", "dr", "prof", "sgt", "lt", "gen", "col", "capt", "cpl", "pvt", "maj",
        "adm", "cmdr", "gov", "sen", "rep", "rev", "supt", "insp", "det",
    ]
)  # fmt: skip
_LAST_WORD = re.compile(r"(\w+)\.$")


def _ends_in_title(sentence: str) -> bool:
    match = _LAST_WORD.search(sentence.rstrip())
    return match is not None and match.group(1).lower() in _TITLE_ABBREVIATIONS


# A day of the month written as an ordinal, as German and other European languages do:
# "am 31. | Oktober", "le 1. | janvier" is one sentence.
_DAY_ORDINAL = re.compile(r"(?:^|[\s(])(?:[12]\d|3[01]|0?[1-9])\.$")


def _ends_in_day_ordinal(sentence: str, following: str) -> bool:
    """``sentence`` ends in "31." and ``following`` starts with a month name (in any language
    dateparser knows): the period marks an ordinal, not the end of a sentence."""
    if _DAY_ORDINAL.search(sentence.rstrip()) is None:
        return False
    first = following.split(maxsplit=1)[0].strip("\"'“‘([,;:")
    return is_month_name(first)


def _continues(sentence: str) -> bool:
    """A "sentence" that starts in lower case is the rest of the one before, cut after an
    abbreviation's period: "at 7:48 a.m. | local time, 75 kilometers west"."""
    word = sentence.split(maxsplit=1)[0].strip("\"'“‘([")
    # "eBay", "iPhone": a name written in lower case first
    return word[:1].islower() and not any(ch.isupper() for ch in word)


def sentence_spans(parsed: ParsedText) -> list[tuple[int, int]]:
    """Character spans of the sentences of a parsed text, in order."""
    text = parsed.text
    raw: list[tuple[int, int]] = []
    for tok_start, tok_end in parsed.sentences:
        if tok_end <= tok_start:
            continue
        start = parsed.tokens[tok_start].start
        end = parsed.tokens[tok_end - 1].end
        for piece in _split_at_newlines(text, start, end):
            trimmed = _trim(text, *piece)
            if trimmed is not None:
                raw.append(trimmed)
    merged: list[tuple[int, int]] = []
    for span in raw:
        if merged:
            prev_start, prev_end = merged[-1]
            gap = text[prev_end : span[0]]
            prev_text = text[prev_start:prev_end]
            if "\n" not in gap and (
                _quote_balance(prev_text) > 0
                or not prev_text.rstrip().endswith(_FINAL)
                or not any(ch.isalnum() for ch in text[slice(*span)])
                or _continues(text[slice(*span)])
                or _ends_in_title(prev_text)
                or _ends_in_day_ordinal(prev_text, text[slice(*span)])
            ):
                merged[-1] = (prev_start, span[1])
                continue
        merged.append(span)
    return merged


def segment_article(article: Article, parsed: ParsedText) -> Article:
    """Return the article with its sentences (ids ``<article>:s<n>``, n from 1)."""
    check_parse_of(article.text, parsed, article.id)
    sentences = tuple(
        Sentence(
            id=f"{article.id}:s{n}",
            index=n - 1,
            text=article.text[start:end],
            start=start,
            end=end,
        )
        for n, (start, end) in enumerate(sentence_spans(parsed), start=1)
    )
    return dataclasses.replace(article, sentences=sentences)
