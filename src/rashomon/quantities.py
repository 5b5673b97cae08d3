"""Quantities and dates as written in a sentence, with their ranges and spans.

``find_quantities`` reads counts, amounts and percentages (digits, number words and vague
quantities such as "dozens"), with the noun they count; ``find_dates`` reads weekdays, calendar
dates and relative days, resolved against the article's date when there is one.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from dateutil import parser as dateparser

from rashomon.features import fold, number_value, tokens_in
from rashomon.nlp import ParsedText, Token

# Vague quantity words and the range of values they are compatible with.
VAGUE: dict[str, tuple[float, float]] = {
    "dozen": (12, 12),
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
    "several": (3, 9),
    "a handful": (2, 6),
    "a couple": (2, 3),
}
# Words before a number that turn it into a range: factor below and above the value.
QUALIFIERS: dict[str, tuple[float, float]] = {
    "about": (0.85, 1.15), "around": (0.85, 1.15), "approximately": (0.85, 1.15),
    "roughly": (0.85, 1.15), "some": (0.85, 1.15), "nearly": (0.85, 1.0),
    "almost": (0.85, 1.0), "over": (1.0, math.inf), "more": (1.0, math.inf),
    "least": (1.0, math.inf), "than": (1.0, math.inf), "up": (0.0, 1.0), "fewer": (0.0, 1.0),
    "less": (0.0, 1.0), "under": (0.0, 1.0), "estimated": (0.8, 1.2),
}  # fmt: skip
# Two-word qualifiers: "more than 40", "fewer than 40", "up to 40".
QUALIFIER_PAIRS: dict[str, tuple[float, float]] = {
    "more": (1.0, math.inf), "over": (1.0, math.inf), "fewer": (0.0, 1.0), "less": (0.0, 1.0),
    "up": (0.0, 1.0), "close": (0.85, 1.0),
}  # fmt: skip
_MULTIPLIERS = {
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
}
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_RELATIVE = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}


@dataclass(frozen=True, slots=True, kw_only=True)
class Quantity:
    text: str
    start: int
    end: int
    low: float
    high: float
    unit: str  # lemma of the counted noun, "percent", "money:usd", or "" when unknown
    exact: bool

    def compatible(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


def _counted_noun(tokens: tuple[Token, ...], tok: Token) -> str:
    head = tokens[tok.head]
    if tok.dep in {"nummod", "quantmod", "compound"} and head.pos in {"NOUN", "PROPN"}:
        return fold(head.lemma)
    # "dozens of containers", "40 of the workers"
    for child in tokens[tok.i + 1 : tok.i + 3]:
        if child.head == tok.i and child.dep == "prep" and fold(child.text) == "of":
            for grand in tokens[child.i + 1 : child.i + 6]:
                if grand.head == child.i and grand.dep == "pobj":
                    return fold(grand.lemma)
    return ""


def find_quantities(parsed: ParsedText, start: int, end: int) -> list[Quantity]:
    """Counts, amounts and percentages in the span [start, end) of a parsed text."""
    tokens = parsed.tokens
    inside = tokens_in(parsed, start, end)
    found: list[Quantity] = []
    used: set[int] = set()
    for tok in inside:
        if tok.i in used or tok.ent_type in _SKIP_ENTS:
            continue
        vague = _vague_at(tokens, tok)
        if vague is not None:
            _, last, (low, high) = vague
            used.update(range(tok.i, last + 1))
            unit = _counted_noun(tokens, tokens[last])
            found.append(_quantity(parsed, tok.start, tokens[last].end, low, high, unit, False))
            continue
        value = number_value(tok.text) if (tok.like_num or tok.pos == "NUM") else None
        if value is None:
            continue
        last = tok.i
        # "Twenty-five": spaCy splits it into "Twenty", "-", "five"
        if (
            last + 2 < len(tokens)
            and tokens[last + 1].text == "-"
            and not tokens[last].whitespace
            and (unit_value := number_value(tokens[last + 2].text)) is not None
            and unit_value < 10 <= value
        ):
            value += unit_value
            last += 2
        while last + 1 < len(tokens) and fold(tokens[last + 1].text) in _MULTIPLIERS:
            last += 1
            value *= _MULTIPLIERS[fold(tokens[last].text)]
        used.update(range(tok.i, last + 1))
        low, high, exact = value, value, True
        q_start = tok.start
        qualifier = _qualifier(tokens, tok)
        if qualifier is not None:
            (lo_f, hi_f), q_start = qualifier
            low, high, exact = value * lo_f, value * hi_f, False
        unit = _unit_of(tokens, tok, last)
        found.append(_quantity(parsed, q_start, tokens[last].end, low, high, unit, exact))
    return found


def _qualifier(tokens: tuple[Token, ...], tok: Token) -> tuple[tuple[float, float], int] | None:
    """The range factors of the words before a number ("about", "more than", "up to")."""
    before = [fold(t.text) for t in tokens[max(tok.i - 2, 0) : tok.i]]
    if len(before) == 2 and before[0] in QUALIFIER_PAIRS and before[1] in {"than", "to"}:
        return QUALIFIER_PAIRS[before[0]], tokens[tok.i - 2].start
    if before and before[-1] in QUALIFIERS:
        return QUALIFIERS[before[-1]], tokens[tok.i - 1].start
    return None


def _quantity(
    parsed: ParsedText, start: int, end: int, low: float, high: float, unit: str, exact: bool
) -> Quantity:
    return Quantity(
        text=parsed.text[start:end],
        start=start,
        end=end,
        low=low,
        high=high,
        unit=unit,
        exact=exact,
    )


def _unit_of(tokens: tuple[Token, ...], first: Token, last: int) -> str:
    nxt = tokens[last + 1] if last + 1 < len(tokens) else None
    prev = tokens[first.i - 1] if first.i > 0 else None
    if nxt is not None and fold(nxt.text) in {"%", "percent", "per cent"}:
        return "percent"
    if prev is not None and prev.text in _CURRENCY:
        return "money:" + _CURRENCY[prev.text]
    return _counted_noun(tokens, tokens[last]) or _counted_noun(tokens, first)


_VAGUE_LONGEST_FIRST = sorted(VAGUE, key=lambda p: -len(p.split()))
_VAGUE_FIRST_WORDS = frozenset(p.split()[0] for p in VAGUE)


def _vague_at(tokens: tuple[Token, ...], tok: Token) -> tuple[str, int, tuple[float, float]] | None:
    if fold(tok.text) not in _VAGUE_FIRST_WORDS:
        return None
    for phrase in _VAGUE_LONGEST_FIRST:
        words = phrase.split()
        span = tokens[tok.i : tok.i + len(words)]
        if len(span) == len(words) and all(
            fold(t.text) == w for t, w in zip(span, words, strict=True)
        ):
            return phrase, tok.i + len(words) - 1, VAGUE[phrase]
    return None


@dataclass(frozen=True, slots=True, kw_only=True)
class DateMention:
    text: str
    start: int
    end: int
    day: dt.date | None  # resolved calendar day, when it can be
    weekday: int | None  # 0 = Monday, when a weekday is named or the day is known


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_CALENDAR = re.compile(
    rf"\b(?:\d{{1,2}}\s+(?:{_MONTHS})|(?:{_MONTHS})\.?\s+\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"
    r"|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
_DAYWORD = re.compile(
    rf"\b(?:{'|'.join(WEEKDAYS)}|today|tonight|yesterday|tomorrow)\b", re.IGNORECASE
)


def _nearest_year(day: dt.date, article_date: dt.date) -> dt.date:
    """A month and day without a year: the occurrence nearest to the article's date."""
    candidates = []
    for year in (article_date.year - 1, article_date.year, article_date.year + 1):
        try:
            candidates.append(day.replace(year=year))
        except ValueError:  # 29 February
            continue
    return min(candidates, key=lambda d: abs((d - article_date).days))


def find_dates(text: str, start: int, end: int, article_date: dt.date | None) -> list[DateMention]:
    """Weekdays, calendar dates and relative days in ``text[start:end]``."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for match in _CALENDAR.finditer(text, start, end):
        default = dt.datetime.combine(article_date or dt.date(2000, 1, 1), dt.time())
        try:
            day = dateparser.parse(match.group(), default=default).date()
        except (ValueError, OverflowError):
            continue
        if article_date is not None and not re.search(r"\d{4}", match.group()):
            day = _nearest_year(day, article_date)
        if article_date is None and not re.search(r"\d{4}", match.group()):
            day_known: dt.date | None = None
        else:
            day_known = day
        found.append(
            DateMention(
                text=match.group(),
                start=match.start(),
                end=match.end(),
                day=day_known,
                weekday=day_known.weekday() if day_known else None,
            )
        )
        taken.append((match.start(), match.end()))
    for match in _DAYWORD.finditer(text, start, end):
        if any(s <= match.start() < e for s, e in taken):
            continue
        word = match.group().lower()
        resolved: dt.date | None = None
        weekday: int | None = None
        if word in _RELATIVE:
            if article_date is not None:
                resolved = article_date + dt.timedelta(days=_RELATIVE[word])
                weekday = resolved.weekday()
        else:
            weekday = WEEKDAYS.index(word)
            if article_date is not None:
                ahead = text[max(match.start() - 5, 0) : match.start()].lower().endswith("next ")
                if ahead:
                    resolved = article_date + dt.timedelta(
                        days=(weekday - article_date.weekday()) % 7 or 7
                    )
                else:
                    back = (article_date.weekday() - weekday) % 7
                    resolved = article_date - dt.timedelta(days=back)
        found.append(
            DateMention(
                text=match.group(),
                start=match.start(),
                end=match.end(),
                day=resolved,
                weekday=weekday,
            )
        )
    return sorted(found, key=lambda d: d.start)
