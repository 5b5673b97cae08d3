"""Dates as news pages write them -> ISO dates: date lines, datelines, time stamps.

Pure: no clock. ``parse_date`` reads one value; the header reader uses the line forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dateutil import parser as date_parser

from rashomon.lexicon import DAY_OF_MONTH, MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAYS

# full names first: "march" must not stop at "mar"
_MONTH = rf"(?:{'|'.join((*MONTH_NAMES, *MONTH_ABBREVIATIONS))})\.?"
_WEEKDAY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\.?"
)
_DAY = DAY_OF_MONTH
_YEAR = r"\d{4}"
_YMD = r"\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}"
_NUMERIC = (
    r"\d{1,2} ?/ ?\d{1,2} ?/ ?(?:\d{4}|\d{2})"  # "9 / 10 / 2010" as some sites write it
    r"|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})|\d{1,2}-\d{1,2}-\d{4}"
)
_MDY = rf"{_MONTH}\s*{_DAY},?\s+{_YEAR}"
_DMY = rf"{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}"
_DATE_CORE = rf"(?:{_YMD}|{_MDY}|{_DMY}|{_NUMERIC})"
_CLOCK = (
    r"(?:(?:[01]?\d|2[0-3])[:.][0-5]\d(?:[:.][0-5]\d(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?"
    r"|(?:1[0-2]|0?[1-9])\s*[ap]\.?m\.?)"
)
_ZONE = (
    r"(?:z|[+-]\d{2}:?\d{2}|\(?(?:utc|gmt|bst|cet|cest|eet|eest|est|edt|cst|cdt|mst|mdt|pst|pdt"
    r"|ist|jst|aest|aedt|et|pt|ct)\)?(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)"
)
_TIME_AFTER = rf"(?:\s*(?:,|at|[-\u2013—|@]|t)?\s*{_CLOCK}(?:\s*{_ZONE})?)"
_TIME_BEFORE = rf"(?:{_CLOCK}(?:\s*{_ZONE})?\s*[,|\u2013—-]?\s*)"
_LABEL = (
    r"(?:(?:first|last|originally)\s+)?"
    r"(?:published|updated|posted|modified|released|dated|date)"
    r"(?:\s+(?:on|at))?\s*[:|\u2013—-]?\s*"
)
_DATE_EXPR = (
    rf"(?P<label>{_LABEL})?{_TIME_BEFORE}?(?:{_WEEKDAY},?\s+)?(?:the\s+)?"
    rf"(?P<date>{_DATE_CORE}){_TIME_AFTER}?"
)
_DATE_PIECE = re.compile(_DATE_EXPR, re.IGNORECASE)
_DATE_SEPARATOR = re.compile(r"\s*[|·•;]\s*")
# "11 November 2011 Last updated at 12:41 GMT": a second stamp starts at its label.
_LABEL_START = re.compile(
    r"(?<!first)(?<!last)(?<!originally)\s+"
    r"(?=(?:(?:first|last|originally)\s+)?(?:published|updated|posted|modified)\b)",
    re.IGNORECASE,
)
_TIME_STAMP = re.compile(rf"(?:{_LABEL})?{_CLOCK}(?:\s*{_ZONE})?", re.IGNORECASE)
# "March 5, 2024 — The council said ..." : a dateline opening the text.
_MARK = r"\s*(?:[—\u2013|:]|--?)"
_DATE_PREFIX = re.compile(rf"{_DATE_EXPR}{_MARK}\s+(?=\S)", re.IGNORECASE)
# "published 2024-03-05 The ministry said ...": a date opening the text with no mark after it,
# then a sentence. Every core form holds a year, so a capital after it starts the text.
_OPENS_SENTENCE = r"(?=(?-i:[A-Z\"\u201c'\u2018]))"
_BARE_DATE_PREFIX = re.compile(rf"{_DATE_EXPR}\s+{_OPENS_SENTENCE}", re.IGNORECASE)
# A dateline of a weekday only: "MONDAY — The council said", "Tuesday: ...", "Published
# Tuesday The council said", or a line of its own ("Tuesday:"). Without a label the weekday
# needs a mark after it inline, so "Monday night the council said" stays a sentence.
_WEEKDAY_NAME = "|".join(WEEKDAYS)
_WEEKDAY_PREFIX = re.compile(
    rf"(?:{_LABEL}(?P<weekday>{_WEEKDAY_NAME})(?:{_MARK})?\s+{_OPENS_SENTENCE}"
    rf"|(?P<bare>{_WEEKDAY_NAME}){_MARK}\s+(?=\S))",
    re.IGNORECASE,
)
_WEEKDAY_LINE = re.compile(rf"(?:{_LABEL})?(?P<weekday>{_WEEKDAY_NAME})(?:{_MARK})?", re.IGNORECASE)
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)\b", re.IGNORECASE)


def _core_to_iso(core: str, *, day_first: bool) -> str | None:
    """Read the date part matched by ``_DATE_CORE`` with dateutil; None if it is no real date."""
    year_first = re.match(r"\d{4}[-/]", core) is not None
    cleaned = _ORDINAL.sub("", core)
    cleaned = re.sub(r"\bof\b", " ", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r" ?/ ?", "/", cleaned)  # "9 / 10 / 2010"
    if re.search(r"[a-z]", cleaned, re.IGNORECASE):
        cleaned = cleaned.replace(".", " ")  # "Mar. 5" -> "Mar  5"
    try:
        # dateutil reads 2024-03-05 as 3 May when dayfirst is set, so year-first forms never
        # get it.
        parsed = date_parser.parse(
            cleaned, dayfirst=day_first and not year_first, yearfirst=year_first
        )
    except (ValueError, OverflowError):
        return None
    return parsed.date().isoformat()


def _match_date(text: str, *, day_first: bool) -> tuple[str, bool] | None:
    """Return (ISO date, is an update stamp) if the whole of ``text`` is a date expression."""
    match = _DATE_PIECE.fullmatch(text.strip())
    if match is None:
        return None
    iso = _core_to_iso(match.group("date"), day_first=day_first)
    if iso is None:
        return None
    label = (match.group("label") or "").lower()
    return iso, "updated" in label or "modified" in label


def parse_date(value: str, *, day_first: bool = True) -> str | None:
    """Read a date written in one of the usual forms, with an optional label, weekday and time.

    Accepts ``2024-03-05``, ``March 5, 2024``, ``5 March 2024``, ``Mar. 5, 2024``,
    ``Tuesday, March 5, 2024``, ``05/03/2024`` (read with ``day_first``), each optionally after
    ``Published``/``Updated``/``Date``... and with a time; several stamps may be separated by
    ``|``. Anything else (free text around the date, a lone year) is refused rather than guessed.

    Returns:
        The date as ``YYYY-MM-DD`` (the first non-update stamp), or None.
    """
    stamps = _date_stamps(value, day_first=day_first)
    return _pick_date(stamps) if stamps else None


def _date_stamps(value: str, *, day_first: bool) -> list[tuple[str, bool]] | None:
    """All (ISO date, is an update) stamps of a line made only of dates and times, else None.

    A line of time stamps only ("Last updated at 22:46 GMT") is a stamp line without a date
    (an empty list): header furniture, not a headline.
    """
    stamps: list[tuple[str, bool]] = []
    pieces = [
        piece
        for chunk in _DATE_SEPARATOR.split(value.strip())
        for piece in _LABEL_START.split(chunk)
    ]
    if not any(pieces):
        return None
    for piece in pieces:
        if _TIME_STAMP.fullmatch(piece):
            continue  # "Updated 9:01 AM EDT": a time of the day already given
        stamp = _match_date(piece, day_first=day_first)
        if stamp is None:
            return None
        stamps.append(stamp)
    return stamps


def _pick_date(stamps: list[tuple[str, bool]]) -> str:
    """The publication date: the first stamp not labelled as an update, else the first."""
    published = [iso for iso, is_update in stamps if not is_update]
    return published[0] if published else stamps[0][0]


@dataclass(frozen=True, slots=True)
class Dateline:
    """A dateline opening a text: its date (ISO; None for a weekday only, which
    ``weekday_line(written)`` reads), the dateline as written, and the text after it."""

    date: str | None
    written: str
    rest: str


def weekday_line(line: str) -> int | None:
    """The weekday of a line that is only a weekday dateline ("Tuesday:", "Published
    MONDAY"), else None."""
    match = _WEEKDAY_LINE.fullmatch(line.strip())
    return WEEKDAYS.index(match.group("weekday").lower()) if match else None


def split_dateline(line: str, *, day_first: bool) -> Dateline | None:
    """Split a dateline off the start of a line: ``"March 5, 2024 — text"``, ``"published
    2024-03-05 The ministry said"``, ``"MONDAY — text"``; None when the line opens with none."""
    match = _DATE_PREFIX.match(line) or _BARE_DATE_PREFIX.match(line)
    if match is not None:
        iso = _core_to_iso(match.group("date"), day_first=day_first)
        if iso is None:
            return None
        return Dateline(iso, line[: match.end()].strip(), line[match.end() :])
    match = _WEEKDAY_PREFIX.match(line)
    if match is None:
        return None
    return Dateline(None, line[: match.end()].strip(), line[match.end() :])
