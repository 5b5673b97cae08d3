"""Quantities and dates as written in a sentence, with their ranges and spans.

``find_quantities`` reads counts, amounts and percentages (digits, number words and vague
quantities such as "dozens"), with the noun they count; ``find_dates`` reads weekdays, calendar
dates and relative days, resolved against the article's date when there is one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from dateutil import parser as dateparser

from rashomon.lexicon import DAY_OF_MONTH, MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAYS
from rashomon.nlp import ParsedText, Token
from rashomon.text import fold, number_value, tokens_in

# Vague quantity words and the range of values they are compatible with.
VAGUE: dict[str, tuple[float, float]] = {
    "dozen": (10, 14),  # "a dozen people" is a round figure in news, not exactly twelve
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
# "at least 40", "at most 40": the span starts at "at".
_AT_BOUNDS: dict[str, tuple[float, float]] = {"least": (1.0, math.inf), "most": (0.0, 1.0)}
_MULTIPLIERS = {
    "dozen": 12,  # "two dozen"
    "hundred": 100,
    "thousand": 1_000,
    "million": 1_000_000,
    "billion": 1_000_000_000,
    "trillion": 1_000_000_000_000,
    "mn": 1_000_000,
    "bn": 1_000_000_000,
    "tn": 1_000_000_000_000,
}
# After a currency sign, short multipliers are safe: "€3m" is three million, "3m" alone may be
# three metres.
_MONEY_MULTIPLIERS = {"m": 1_000_000, "m.": 1_000_000, "k": 1_000, "b": 1_000_000_000}
_GLUED_MULTIPLIER = re.compile(r"(\d+(?:\.\d+)?)(mn|bn|tn|m|k|b)")
_ZEROS = re.compile(r"0{3}")
_CURRENCY = {"$": "usd", "€": "eur", "£": "gbp", "¥": "jpy"}
_CURRENCY_WORDS = {"dollar": "usd", "euro": "eur", "yen": "jpy", "sterling": "gbp"}
_SKIP_ENTS = {"DATE", "TIME", "ORDINAL"}
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
    """Counts, amounts and percentages in the span [start, end) of a parsed text.

    Durations are left to ``find_durations``. A number coordinated with another one ("7.6
    and 7.4 magnitude quakes") counts what that one counts.
    """
    tokens = parsed.tokens
    inside = tokens_in(parsed, start, end)
    found: list[Quantity] = []
    first_token: list[int] = []
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
            first_token.append(tok.i)
            continue
        read = read_number(tokens, tok)
        if read is None:
            continue
        value, last = read
        if _is_identifier(tokens, tok, value):
            continue
        used.update(range(tok.i, last + 1))
        low, high, exact = value, value, True
        q_start = tok.start
        qualifier = _qualifier(tokens, tok)
        if qualifier is not None:
            (lo_f, hi_f), q_start = qualifier
            low, high, exact = value * lo_f, value * hi_f, False
        unit = _unit_of(tokens, tok, last)
        if not value.is_integer() and unit not in ("", "percent") and ":" not in unit:
            unit = _measure_word(tokens, tokens[last]) or unit
        found.append(_quantity(parsed, q_start, tokens[last].end, low, high, unit, exact))
        first_token.append(tok.i)
    return _with_coordinated_units(tokens, found, first_token)


def _is_identifier(tokens: tuple[Token, ...], tok: Token, value: float) -> bool:
    """A whole number right after the capitalized name it numbers ("Route 72", "Warehouse 7",
    "Flight 370") names a thing; it counts nothing. A count stands before its noun."""
    head = tokens[tok.head]
    return (
        value.is_integer()
        and tok.dep == "nummod"
        and head.i == tok.i - 1
        and head.text[:1].isupper()
    )


def _with_coordinated_units(
    tokens: tuple[Token, ...], found: list[Quantity], first_token: list[int]
) -> list[Quantity]:
    """A number without a noun of its own, coordinated with a number that has one, shares it."""
    unit_at = {i: q.unit for i, q in zip(first_token, found, strict=True)}
    out = []
    for i, q in zip(first_token, found, strict=True):
        tok = tokens[i]
        if not q.unit and tok.dep == "conj" and unit_at.get(tok.head):
            q = dataclasses.replace(q, unit=unit_at[tok.head])
        out.append(q)
    return out


def _measure_word(tokens: tuple[Token, ...], tok: Token) -> str:
    """The measure between a fractional number and its noun: "7.5 magnitude quakes" gives a
    magnitude, not 7.5 quakes."""
    head = tokens[tok.head]
    if tok.dep != "nummod" or head.i <= tok.i:
        return ""
    between = [
        t
        for t in tokens[tok.i + 1 : head.i]
        if t.dep == "compound" and t.head == head.i and t.pos == "NOUN"
    ]
    return fold(between[-1].lemma) if between else ""


_VULGAR_FRACTIONS = "½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅛⅜⅝⅞"
_FRACTION = re.compile(r"([1-7])/([2-8])")
_MIXED = re.compile(rf"(\d+)([{_VULGAR_FRACTIONS}])")


def _fraction_value(text: str) -> float | None:
    """A proper fraction written 1/2 or ½ (denominators up to 8, so 9/11 is no fraction)."""
    if len(text) == 1 and text in _VULGAR_FRACTIONS:
        return unicodedata.numeric(text)
    match = _FRACTION.fullmatch(text)
    if match is None or int(match.group(1)) >= int(match.group(2)):
        return None
    return int(match.group(1)) / int(match.group(2))


def _plain_value(tok: Token) -> float | None:
    mixed = _MIXED.fullmatch(tok.text)
    if mixed is not None:
        return int(mixed.group(1)) + unicodedata.numeric(mixed.group(2))
    value = number_value(tok.text) if (tok.like_num or tok.pos == "NUM") else None
    return _fraction_value(tok.text) if value is None else value


def read_number(tokens: tuple[Token, ...], tok: Token) -> tuple[float, int] | None:
    """The value of the number written from ``tok`` on, and the index of its last token.

    Reads digits and number words, "twenty-five", mixed fractions ("2-1/2", "2 1/2", "2½",
    "two and a half") and multipliers ("2 million", "2.5bn", and "€3m" after a currency).
    """
    money = tok.i > 0 and _currency_code(tokens[tok.i - 1].text) is not None
    multipliers = {**_MULTIPLIERS, **_MONEY_MULTIPLIERS} if money else _MULTIPLIERS
    if _ZEROS.fullmatch(tok.text):
        return None  # the tail of "170, 000", a thousands separator followed by a space
    value = _plain_value(tok)
    glued = _GLUED_MULTIPLIER.fullmatch(fold(tok.text)) if value is None else None
    if glued is not None and glued.group(2) in multipliers:  # "2.5bn", "€3m"
        value = float(glued.group(1)) * multipliers[glued.group(2)]
    if value is None:
        return None
    last = tok.i
    # "170, 000": a thousands separator with a space after it (in copied or scraped text)
    if (
        value.is_integer()
        and value < 1000
        and last + 2 < len(tokens)
        and tokens[last + 1].text == ","
        and _ZEROS.fullmatch(tokens[last + 2].text)
    ):
        value *= 10 ** len(tokens[last + 2].text)
        last += 2
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
    if value.is_integer():
        value, last = _plus_fraction(tokens, value, last)
    while last + 1 < len(tokens) and fold(tokens[last + 1].text) in multipliers:
        last += 1
        value *= multipliers[fold(tokens[last].text)]
    return value, last


def _plus_fraction(tokens: tuple[Token, ...], value: float, last: int) -> tuple[float, int]:
    """A whole number and the fraction written after it: "2-1/2", "2 1/2", "two and a half"."""
    nxt = last + 1
    if nxt + 1 < len(tokens) and tokens[nxt].text == "-" and not tokens[last].whitespace:
        nxt += 1
    if nxt < len(tokens) and (fraction := _fraction_value(tokens[nxt].text)) is not None:
        return value + fraction, nxt
    words = [fold(t.text) for t in tokens[last + 1 : last + 4]]
    if words == ["and", "a", "half"]:
        return value + 0.5, last + 3
    return value, last


# Time units a duration is counted in, and the words around one that make it a point in time
# ("two days ago", "two days after the fire") or a window ("the past two years").
TIME_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "fortnight", "month", "year", "decade", "century"}
)
_POINT_AFTER = frozenset({"ago", "later", "earlier", "before", "after", "since", "prior", "from"})
_WINDOW_BEFORE = frozenset(
    {"last", "past", "next", "first", "previous", "coming", "recent", "few", "final",
     "following", "preceding", "every", "each", "other", "in", "then", "former"}
)  # fmt: skip


def find_durations(parsed: ParsedText, start: int, end: int) -> list[Quantity]:
    """Lengths of time in the span [start, end): "for nearly six hours", "a 2-1/2 year
    sentence", with the time unit as their unit; an age ("58 years old") has the unit "age".

    Points in time ("two days ago", "three years after", "then-15-year-old") and windows ("the
    past two years", "the second fire in three years") are not durations of the event and are
    left out.
    """
    tokens = parsed.tokens
    found: list[Quantity] = []
    used: set[int] = set()
    for tok in tokens_in(parsed, start, end):
        read = None if tok.i in used else read_number(tokens, tok)
        if read is None:
            continue
        value, last = read
        at = last + 1
        if at + 1 < len(tokens) and tokens[at].text == "-" and not tokens[last].whitespace:
            at += 1  # "six-hour"
        if (
            at >= len(tokens)
            or tokens[at].end > end
            or tokens[at].pos != "NOUN"  # "the 2006 second-overall pick"
            or fold(tokens[at].lemma) not in TIME_UNITS
        ):
            continue
        used.update(range(tok.i, at + 1))
        after = [fold(t.text) for t in tokens[at + 1 : at + 3]]
        unit = "age" if "old" in after[:2] and after[:1] != ["and"] else fold(tokens[at].lemma)
        if after[:1] and after[0] in _POINT_AFTER:
            continue
        low, high, exact, q_start = value, value, True, tok.start
        qualifier = _qualifier(tokens, tok)
        if qualifier is not None:
            (lo_f, hi_f), q_start = qualifier
            low, high, exact = value * lo_f, value * hi_f, False
        before = next((t for t in reversed(tokens[: tok.i]) if t.start < q_start), None)
        if before is not None and fold(before.text).strip("-") in _WINDOW_BEFORE:
            continue
        found.append(_quantity(parsed, q_start, tokens[last].end, low, high, unit, exact))
    return found


def _qualifier(tokens: tuple[Token, ...], tok: Token) -> tuple[tuple[float, float], int] | None:
    """The range factors of the words before a number ("about", "more than", "up to")."""
    before = [fold(t.text) for t in tokens[max(tok.i - 2, 0) : tok.i]]
    if len(before) == 2 and before[0] in QUALIFIER_PAIRS and before[1] in {"than", "to"}:
        return QUALIFIER_PAIRS[before[0]], tokens[tok.i - 2].start
    if len(before) == 2 and before[0] == "at" and before[1] in _AT_BOUNDS:
        return _AT_BOUNDS[before[1]], tokens[tok.i - 2].start
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


def _currency_code(sign: str) -> str | None:
    """The currency of a sign before an amount: $, €, £, ¥, and US$, A$, HK$ as written."""
    if sign in _CURRENCY:
        return _CURRENCY[sign]
    if len(sign) > 1 and sign.endswith("$") and sign[:-1].isalpha():
        return "usd" if fold(sign) == "us$" else fold(sign)
    return None


def _unit_of(tokens: tuple[Token, ...], first: Token, last: int) -> str:
    after = " ".join(fold(t.text) for t in tokens[last + 1 : last + 3])
    if after.startswith(("%", "percent", "per cent")):
        return "percent"
    code = _currency_code(tokens[first.i - 1].text) if first.i > 0 else None
    if code is not None:
        return "money:" + code
    noun = _counted_noun(tokens, tokens[last]) or _counted_noun(tokens, first)
    return "money:" + _CURRENCY_WORDS[noun] if noun in _CURRENCY_WORDS else noun


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


def _capitalized(words: tuple[str, ...]) -> str:
    """Alternatives for words written with a capital (March, MARCH), never lowercase: "may"
    and "march" in lowercase are a verb far more often than a month."""
    return "|".join(f"{w.title()}|{w.upper()}" for w in words)


_FULL_MONTH = _capitalized(MONTH_NAMES)
_ABBREVIATED_MONTH = _capitalized(MONTH_ABBREVIATIONS)
_DAY_OF_MONTH = DAY_OF_MONTH
_YEAR = r"(?:,?\s+\d{4})"
# An abbreviated month never stands without a day number next to it, and "3 Jan" followed by
# a capitalized word is more likely a number and a name ("No. 3 Jan Kowal") than a date.
_CALENDAR = re.compile(
    rf"\b(?:{_FULL_MONTH})\s+{_DAY_OF_MONTH}{_YEAR}?\b"
    rf"|\b(?:{_ABBREVIATED_MONTH})\b\.?\s+{_DAY_OF_MONTH}{_YEAR}?\b"
    rf"|\b{_DAY_OF_MONTH}\s+(?:of\s+)?(?:{_FULL_MONTH}){_YEAR}?\b"
    rf"|\b{_DAY_OF_MONTH}\s+(?:of\s+)?(?:{_ABBREVIATED_MONTH})\b"
    rf"(?:\.?{_YEAR}\b|(?!\.?\s+[A-Z][a-z]))"
    r"|\b\d{4}-\d{2}-\d{2}\b"
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


def find_dates(
    text: str,
    start: int,
    end: int,
    article_date: dt.date | None,
    *,
    article_weekday: int | None = None,
) -> list[DateMention]:
    """Weekdays, calendar dates and relative days in ``text[start:end]``.

    They are resolved against the article's date when there is one; with only the weekday of
    writing known (a dateline "MONDAY —"), a relative day gets its weekday ("yesterday" is a
    Sunday) and no calendar day.
    """
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
            elif article_weekday is not None:
                weekday = (article_weekday + _RELATIVE[word]) % 7
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


# A wire dateline, "PORT VENNER, March 14 (Meridian Wire) —": its date is the day of writing.
_PLACE_CAPS = r"[A-Z][A-Z .'’-]+,"
_DATELINE = re.compile(
    rf"{_PLACE_CAPS}[^—–\n]{{0,40}}?(?:\([^)\n]{{0,40}}\)\s*)?[—–]"  # em or en dash
    rf"|{_PLACE_CAPS}[^\n]{{0,40}}?\([^)\n]{{0,40}}\)\s*-\s"  # "(Reuters) - "
    r"|[A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+)* \([^)\n]{1,40}\)\s*[-—–]\s"  # "VELM (AP) - "
)


def dateline_end(sentence: str) -> int:
    """Where a dateline at the start of a sentence ends (0 when there is none)."""
    match = _DATELINE.match(sentence)
    return match.end() if match else 0
