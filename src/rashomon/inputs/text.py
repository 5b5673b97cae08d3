"""Raw article text, HTML or a JSON record -> Article.

Pure: data in, data out. No files, network or clock here (``readers.py`` is the edge that reads
them). Metadata comes, in order of trust, from YAML front matter or record fields, then from what
the text itself shows: a title line, a date line, a byline. Site furniture (share links, copyright
lines, "Advertisement") is removed from the body but listed in ``Article.boilerplate`` with a
reason, so nothing is dropped silently.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

import yaml
from dateutil import parser as date_parser

from rashomon.errors import InputError
from rashomon.models import Article, Boilerplate

UNKNOWN_OUTLET = "unknown"

# Fields a JSON record may use, in order of preference (news-please writes maintext,
# date_publish, source_domain and authors).
TEXT_FIELDS = ("text", "body", "content", "maintext")
FALLBACK_TEXT_FIELD = "description"
DATE_FIELDS = ("date", "date_publish", "published", "published_at")
OUTLET_FIELDS = ("outlet", "source", "source_domain", "site_name")
AUTHOR_FIELDS = ("author", "authors")

TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 200
HEADER_MAX_LINES = 6  # how many leading lines may hold title, date, byline and furniture
TRAILING_SHORT_MAX_WORDS = 6
TRAILING_SHORT_MAX_CHARS = 60

# --- dates -----------------------------------------------------------------------------------

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sept", "sep", "oct", "nov", "dec",
)  # fmt: skip
DAY_OF_MONTH = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
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
_TIME_STAMP = re.compile(rf"(?:{_LABEL})?{_CLOCK}(?:\s*{_ZONE})?", re.IGNORECASE)
# "March 5, 2024 — The council said ..." : a dateline opening the text.
_DATE_PREFIX = re.compile(rf"{_DATE_EXPR}\s*(?:[—\u2013|:]|--?)\s+(?=\S)", re.IGNORECASE)
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
    """All (ISO date, is an update) stamps of a line made only of dates, else None."""
    stamps: list[tuple[str, bool]] = []
    for piece in _DATE_SEPARATOR.split(value.strip()):
        if _TIME_STAMP.fullmatch(piece):
            continue  # "Updated 9:01 AM EDT": a time of the day already given
        stamp = _match_date(piece, day_first=day_first)
        if stamp is None:
            return None
        stamps.append(stamp)
    return stamps or None


def _pick_date(stamps: list[tuple[str, bool]]) -> str:
    """The publication date: the first stamp not labelled as an update, else the first."""
    published = [iso for iso, is_update in stamps if not is_update]
    return published[0] if published else stamps[0][0]


def _split_date_prefix(line: str, *, day_first: bool) -> tuple[str, str] | None:
    """Split ``"March 5, 2024 — text"`` into (ISO date, text)."""
    match = _DATE_PREFIX.match(line)
    if match is None:
        return None
    iso = _core_to_iso(match.group("date"), day_first=day_first)
    if iso is None:
        return None
    return iso, line[match.end() :]


# --- site furniture ------------------------------------------------------------------------

# (reason, pattern matching the whole line, most words such a line may have)
_FURNITURE: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE), max_words)
    for reason, pattern, max_words in (
        (
            "advertisement",
            r"(?:advertisement|advert|ad|sponsored(?: content)?"
            r"|scroll to continue(?: with content)?"
            r"|story continues (?:below|after)(?: (?:this )?(?:advertisement|advert|ad))?"
            r"|continue reading(?: below| the main story)?)",
            8,
        ),
        (
            "read-more",
            r"(?:read more|read also|also read|see also|more on this|related|recommended|watch"
            r"|listen|more)\s*(?:[:|»\u203a>]|--?|\u2013|—)\s*\S.*",
            25,
        ),
        (
            "related-links",
            r"(?:(?:related|more|most|top|latest|recommended|popular|trending|editor'?s'?)"
            r"(?: \w+)? (?:stories|articles|news|coverage|reading|read|viewed|shared|popular"
            r"|links|topics|videos|posts|headlines|picks)"
            r"|related|you (?:may|might) (?:also )?(?:like|enjoy|be interested in|have missed)"
            r"|more (?:on|about) this (?:story|topic)|more from \S.*|read (?:more|next)"
            r"|up next|what to read next)\s*:?",
            8,
        ),
        (
            "share",
            r"(?:share(?: (?:this|the))?(?: (?:article|story|page|post))?"
            r"(?: (?:on|via) \w+)?|tweet(?: this)?|e-?mail(?: this)?(?: (?:article|story))?"
            r"|print(?: this)?(?: (?:article|story|page))?|copy link|save(?: (?:article|story))?"
            r"|(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|print|reddit|pinterest)"
            r"(?:\s*[|·•,/]?\s*(?:facebook|twitter|x|linkedin|whatsapp|e-?mail|print|reddit"
            r"|pinterest))+)\s*:?",
            8,
        ),
        (
            "newsletter",
            r"(?:sign up|subscribe|subscribers? only|register|get (?:our|the) .*newsletters?"
            r"|newsletters?)\b.*",
            20,
        ),
        (
            "follow-us",
            r"(?:follow us|follow \S+(?: \S+)? on|like us on|join us on|find us on)\b.*",
            15,
        ),
        ("copyright", r"(?:©|\(c\)|copyright\b).*|.*\ball rights reserved\b.*", 40),
        (
            "comments",
            r"(?:\d+\s+)?comments?|leave a (?:comment|reply)|(?:show|view|hide) comments"
            r"|join the (?:conversation|discussion)",
            5,
        ),
        (
            "navigation",
            r"skip to (?:main )?content|back to top|home|menu|search|sign in|log in|close"
            r"|(?:next|previous) (?:article|story)|tags?\s*:.*|topics?\s*:.*",
            12,
        ),
        (
            "image-credit",
            r"(?:image|photo|picture|video)(?: (?:source|caption|credit))?s?\s*[:,]\s*\S.*",
            30,
        ),
    )
)

_CLOSERS = "\"'”\u2019»)]*_ "
_SENTENCE_END = (".", "!", "?", "…")


def _furniture_reason(line: str) -> str | None:
    """Name the kind of site furniture this whole line is, or None if it is text."""
    words = len(line.split())
    for reason, pattern, max_words in _FURNITURE:
        if words <= max_words and pattern.fullmatch(line.strip()):
            return reason
    return None


def _ends_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(_SENTENCE_END)


def _is_short_trailing_line(line: str) -> bool:
    """A short line without final punctuation, like a section link under an article.

    List items are exempt: a list closing an article is text.
    """
    return (
        _BULLET.match(line) is None
        and len(line.split()) <= TRAILING_SHORT_MAX_WORDS
        and len(line) <= TRAILING_SHORT_MAX_CHARS
        and not _ends_sentence(line)
    )


# --- header: title, date, byline -----------------------------------------------------------

_BYLINE = re.compile(
    r"(?i:by)\s+(?P<name>[A-Z][\w'\u2019.-]*(?:(?:\s+|\s*,\s*|\s+(?:and|&)\s+)"
    r"(?:[A-Z][\w'\u2019.-]*|de|van|von|der|den|la|le|da|di|bin|al))*)\s*"
)
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_BULLET = re.compile(r"(?:[-*•]|\d+[.)])\s+")


def _looks_like_title(line: str, next_line: str) -> bool:
    """Judge whether the first line of a text is its headline.

    A headline is short, starts like a sentence but does not end like one (no final period, '?'
    or '!'), does not end in ':' or ',' (that introduces what follows) and is not the first line
    of a hard-wrapped paragraph (the next line would then start in lower case).
    """
    text = _MARKDOWN_HEADING.sub("", line, count=1)
    words = text.split()
    if not 1 <= len(words) <= TITLE_MAX_WORDS or len(text) > TITLE_MAX_CHARS:
        return False
    if _ends_sentence(text) or text.rstrip(_CLOSERS).endswith((":", ";", ",", "-", "\u2013", "—")):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    first = text[0]
    if not (first.isupper() or first.isdigit() or first in "\"'“\u2018«("):
        return False
    return not (next_line and next_line[0].islower())


@dataclass(frozen=True, slots=True)
class _Header:
    end: int  # index of the first line after the header
    consumed: frozenset[int]  # header lines taken out of the text
    title: str | None
    date: str | None
    author: str | None
    removed: tuple[tuple[int, Boilerplate], ...]


def _read_header(
    lines: list[str],
    *,
    title: str | None,
    date: str | None,
    author: str | None,
    day_first: bool,
) -> _Header:
    """Take the leading headline, date lines, byline and furniture out of the text.

    Known metadata wins: a title is only guessed when none was given (a first line repeating the
    given title is removed, a differently worded headline stays in the text), and a date line is
    removed even when the date came from elsewhere.
    """
    headline: str | None = None
    headline_seen = False
    stamps: list[tuple[str, bool]] = []
    removed: list[tuple[int, Boilerplate]] = []
    consumed: set[int] = set()
    seen = 0
    index = 0
    while index < len(lines) and seen < HEADER_MAX_LINES:
        here, line = index, lines[index]
        index += 1
        if not line:
            continue
        seen += 1
        reason = _furniture_reason(line)
        byline = _BYLINE.fullmatch(line)
        line_stamps = _date_stamps(line, day_first=day_first)
        if reason is not None:
            removed.append((here, Boilerplate(text=line, reason=reason)))
        elif line_stamps is not None:
            stamps.extend(line_stamps)
        elif byline is not None and (author is None or byline.group("name") == author):
            author = byline.group("name")
        elif not headline_seen and (
            (title is not None and _same_words(line, title))
            or _is_headline(lines, here, day_first=day_first)
        ):
            headline_seen = True
            if title is not None and not _same_words(line, title):
                continue  # a headline worded unlike the given title stays in the text
            headline = _MARKDOWN_HEADING.sub("", line, count=1)
        else:
            index = here
            break
        consumed.add(here)
    return _Header(
        end=index,
        consumed=frozenset(consumed),
        title=title if title is not None else headline,
        date=date if date is not None else (_pick_date(stamps) if stamps else None),
        author=author,
        removed=tuple(removed),
    )


def _is_headline(lines: list[str], index: int, *, day_first: bool) -> bool:
    """Whether ``lines[index]`` reads as a headline with article text after it."""
    if not any(lines[index + 1 :]):
        return False
    next_line = lines[index + 1] if index + 1 < len(lines) else ""
    if _is_header_line(next_line, day_first=day_first):
        next_line = ""  # a date line or byline right below does not continue the headline
    return _looks_like_title(lines[index], next_line)


def _is_header_line(line: str, *, day_first: bool) -> bool:
    return (
        _date_stamps(line, day_first=day_first) is not None
        or _BYLINE.fullmatch(line) is not None
        or _furniture_reason(line) is not None
    )


def _same_words(left: str, right: str) -> bool:
    def norm(text: str) -> str:
        return " ".join(_MARKDOWN_HEADING.sub("", text, count=1).split()).casefold()

    return norm(left) == norm(right)


# --- body -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Body:
    text: str
    title: str | None
    date: str | None
    author: str | None
    boilerplate: tuple[Boilerplate, ...]


def _remove_furniture(lines: list[str]) -> tuple[list[str], list[tuple[int, Boilerplate]]]:
    """Blank out furniture lines anywhere, and short unpunctuated lines after the last text line."""
    kept = list(lines)
    removed: list[tuple[int, Boilerplate]] = []
    last_text = -1  # the last line that is neither furniture nor short
    for index, line in enumerate(lines):
        if not line:
            continue
        reason = _furniture_reason(line)
        if reason is not None:
            removed.append((index, Boilerplate(text=line, reason=reason)))
            kept[index] = ""
        elif not _is_short_trailing_line(line):
            last_text = index
    if last_text < 0:
        return kept, removed  # only short lines: nothing to tell text from furniture
    for index in range(last_text + 1, len(lines)):
        if kept[index]:
            removed.append((index, Boilerplate(text=kept[index], reason="trailing-short-line")))
            kept[index] = ""
    return kept, removed


def _starts_block(line: str) -> bool:
    return line.startswith("#") or _BULLET.match(line) is not None


def _one_paragraph_per_line(block: Sequence[str]) -> bool:
    """Whether a block of lines holds a paragraph a line rather than a hard-wrapped text.

    Hard-wrapped lines end mid-sentence more often than not; when most lines of a block of
    three or more end a sentence, a line that does not is a heading or a caption of its own
    ("Advice if you are upset by the news"), not the start of the next line's sentence.
    """
    if len(block) < 3:
        return False
    return sum(_ends_sentence(line) for line in block[:-1]) * 2 > len(block) - 1


def _join_paragraphs(lines: list[str]) -> str:
    """Join lines into paragraphs separated by a blank line.

    Blank lines separate paragraphs. Inside a block, a line continues the paragraph before it
    (a hard-wrapped text) unless that one ended a sentence and this one starts a new one, or
    either is a heading or a list item. In a block written a paragraph a line, every line
    that does not start in lower case starts a paragraph.
    """
    paragraphs: list[list[str]] = []
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    for block in blocks:
        per_line = _one_paragraph_per_line(block)
        current: list[str] = []
        for line in block:
            if current and (
                _starts_block(line)
                or current[-1].startswith("#")
                or ((per_line or _ends_sentence(current[-1])) and not line[0].islower())
            ):
                paragraphs.append(current)
                current = []
            current.append(line)
        if current:
            paragraphs.append(current)
    return "\n\n".join(" ".join(paragraph) for paragraph in paragraphs)


def _read_body(
    text: str,
    *,
    where: str,
    line: int | None = None,
    title: str | None,
    date: str | None,
    author: str | None,
    day_first: bool,
) -> _Body:
    lines = [line.strip() for line in _normalize_newlines(text).split("\n")]
    header = _read_header(lines, title=title, date=date, author=author, day_first=day_first)
    body = ["" if index in header.consumed else line for index, line in enumerate(lines)]
    found_date = header.date
    first = next((i for i in range(header.end, len(body)) if body[i]), None)
    if first is not None:
        dateline = _split_date_prefix(body[first], day_first=day_first)
        if dateline is not None:
            body[first] = dateline[1]
            found_date = found_date if found_date is not None else dateline[0]
    kept, removed = _remove_furniture(body)
    boilerplate = [item for _, item in header.removed]
    boilerplate += [item for _, item in sorted(removed, key=lambda pair: pair[0])]
    joined = _join_paragraphs(kept)
    if not joined:
        raise InputError(
            where,
            "no article text left after removing the title, date and site furniture",
            "Check that the input holds the article body",
            line=line,
        )
    return _Body(
        text=joined,
        title=header.title,
        date=found_date,
        author=header.author,
        boilerplate=tuple(boilerplate),
    )


def _normalize_newlines(text: str) -> str:
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# --- ids and outlets -------------------------------------------------------------------------


def article_id(text: str) -> str:
    """Return the 12-hex content id of a text: blake2b of its whitespace-normalized form."""
    normalized = " ".join(text.split())
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=6).hexdigest()


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def outlet_from_url(url: str) -> str | None:
    """``https://www.daily-courier.example/x`` -> ``daily-courier.example``; None if no host."""
    host = urlsplit(url.strip()).hostname
    if not host:
        return None
    return host.removeprefix("www.")


def _article_of_body(
    body: _Body, article_id_: str, outlet: str | None, *, source: str | None, url: str | None
) -> Article:
    """The article of a read body; outlet from metadata, else the URL, else the file name."""
    return Article(
        id=article_id_,
        text=body.text,
        outlet=outlet
        or (outlet_from_url(url) if url else None)
        or _outlet_from_source(source)
        or UNKNOWN_OUTLET,
        title=body.title,
        date=body.date,
        source=source,
        url=url,
        author=body.author,
        boilerplate=body.boilerplate,
    )


def _outlet_from_source(source: str | None) -> str | None:
    if not source:
        return None
    if is_url(source):
        return outlet_from_url(source)
    stem = PurePath(source).stem
    return stem or None


# --- plain text --------------------------------------------------------------------------------

_FRONT_MATTER_KEYS = ("title", "date", "outlet", "url", "author", "authors")


def _split_front_matter(text: str, where: str) -> tuple[dict[str, object], str]:
    """Return (front matter fields, the text after it)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:
        return {}, text
    block = "\n".join(lines[1:end])
    looks_like_yaml = re.match(r"\s*[A-Za-z_][\w -]*:", block) is not None
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as err:
        if not looks_like_yaml:
            return {}, text
        mark = getattr(err, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise InputError(
            where,
            f"front matter is not valid YAML: {getattr(err, 'problem', None) or err}",
            "Fix the block between the '---' lines, or remove it",
            line=line,
        ) from err
    if data is None:
        return {}, "\n".join(lines[end + 1 :])
    if not isinstance(data, dict):
        return {}, text  # a '---' rule around prose, not front matter
    fields = {str(key).lower(): value for key, value in data.items()}
    return fields, "\n".join(lines[end + 1 :])


def _text_field(value: object, *, name: str, where: str, line: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise InputError(
            where,
            f"field '{name}' must be text, got {type(value).__name__}",
            f"Write '{name}' as a string",
            line=line,
        )
    stripped = str(value).strip()
    return stripped or None


def _author_field(value: object, *, name: str, where: str, line: int | None) -> str | None:
    if isinstance(value, list | tuple):
        names = [_text_field(item, name=name, where=where, line=line) for item in value]
        joined = ", ".join(n for n in names if n)
        return joined or None
    return _text_field(value, name=name, where=where, line=line)


def _date_field(
    value: object, *, name: str, where: str, line: int | None, day_first: bool
) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text_field(value, name=name, where=where, line=line)
    if text is None:
        return None
    iso = parse_date(text, day_first=day_first)
    if iso is None:
        raise InputError(
            where,
            f"field '{name}' = {text!r} is not a date I can read",
            "Write it as YYYY-MM-DD",
            line=line,
        )
    return iso


def parse_text(text: str, *, source: str | None = None, day_first: bool = True) -> Article:
    """Read a plain-text article.

    Args:
        text: the article, optionally opening with YAML front matter (title, date, outlet, url,
            author) that wins over anything guessed from the text.
        source: the path or URL it came from; names the outlet when nothing better does.
        day_first: read ``05/03/2024`` as 5 March (False: May 3).

    Raises:
        InputError: bad front matter, or no article text.
    """
    where = source or "<text>"
    fields, rest = _split_front_matter(_normalize_newlines(text), where)
    meta = {key: fields.get(key) for key in _FRONT_MATTER_KEYS}
    title = _text_field(meta["title"], name="title", where=where, line=None)
    date = _date_field(meta["date"], name="date", where=where, line=None, day_first=day_first)
    url = _text_field(meta["url"], name="url", where=where, line=None)
    outlet = _text_field(meta["outlet"], name="outlet", where=where, line=None)
    author = _author_field(
        meta["author"] if meta["author"] is not None else meta["authors"],
        name="author",
        where=where,
        line=None,
    )
    body = _read_body(rest, where=where, title=title, date=date, author=author, day_first=day_first)
    if url is None and source is not None and is_url(source):
        url = source
    return _article_of_body(body, article_id(body.text), outlet, source=source, url=url)


# --- HTML ------------------------------------------------------------------------------------


def parse_html(
    html: str, *, source: str | None = None, url: str | None = None, day_first: bool = True
) -> Article:
    """Read an HTML page: trafilatura finds the main text, title, date and author.

    Navigation, header and footer that trafilatura discards are summarized in one
    ``html-furniture`` Boilerplate entry (their size); furniture left inside the main text is
    listed line by line as for plain text.

    Raises:
        InputError: the page has no main text.
    """
    import trafilatura  # imported here: it pulls in lxml and friends, ~0.3 s at start-up

    where = source or url or "<html>"
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Only dates the page states in its metadata: the extensive search turns a footer's
        # "© 2024" into 2024-01-01.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    main = getattr(doc, "text", None) if doc is not None else None
    if not isinstance(main, str) or not main.strip():
        raise InputError(
            where,
            "no main text found in the HTML page",
            "Check that the page is an article, or save its text as a .txt file",
        )
    title = _meta_str(doc, "title")
    lines = [line.strip() for line in main.split("\n")]
    if title is not None and lines and _same_words(lines[0], title):
        lines = lines[1:]
    # trafilatura writes one paragraph per line.
    body = _read_body(
        "\n\n".join(lines),
        where=where,
        title=title,
        date=parse_date(_meta_str(doc, "date") or "", day_first=False),
        author=_html_author(_meta_str(doc, "author")),
        day_first=day_first,
    )
    page_chars = len(" ".join(trafilatura.html2txt(html, clean=False).split()))
    dropped = page_chars - len(" ".join(main.split()))
    boilerplate = body.boilerplate
    if dropped > 0:
        note = Boilerplate(
            text=f"navigation, header and footer removed by trafilatura ({dropped} characters)",
            reason="html-furniture",
        )
        boilerplate = (note, *boilerplate)
    page_url = url or _meta_str(doc, "url")
    return Article(
        id=article_id(body.text),
        text=body.text,
        outlet=(outlet_from_url(page_url) if page_url else None)
        or _meta_str(doc, "sitename")
        or _meta_str(doc, "hostname")
        or _outlet_from_source(source)
        or UNKNOWN_OUTLET,
        title=body.title,
        date=body.date,
        source=source,
        url=page_url,
        author=body.author,
        boilerplate=boilerplate,
    )


def _meta_str(doc: object, name: str) -> str | None:
    value = getattr(doc, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _html_author(author: str | None) -> str | None:
    """trafilatura joins several authors with '; '; we use ', ' as for JSON records."""
    if author is None:
        return None
    return ", ".join(part.strip() for part in author.split(";") if part.strip()) or None


# --- JSON records ----------------------------------------------------------------------------


def _first_field(record: Mapping[str, object], names: tuple[str, ...]) -> tuple[str, object] | None:
    for name in names:
        value = record.get(name)
        if value is not None and value != "" and value != []:
            return name, value
    return None


def _record_text(record: Mapping[str, object], *, where: str, line: int | None) -> str:
    found = _first_field(record, TEXT_FIELDS) or _first_field(record, (FALLBACK_TEXT_FIELD,))
    if found is None:
        looked = ", ".join((*TEXT_FIELDS, FALLBACK_TEXT_FIELD))
        raise InputError(
            where,
            f"record has no text field (looked for {looked})",
            "Put the article body in a 'text' field",
            line=line,
        )
    name, value = found
    text = _text_field(value, name=name, where=where, line=line)
    if text is None or isinstance(value, int | float):
        raise InputError(
            where,
            f"field '{name}' must be the article text, got {value!r}",
            "Put the article body in a 'text' field",
            line=line,
        )
    return text


def _record_outlet(record: Mapping[str, object], *, where: str, line: int | None) -> str | None:
    found = _first_field(record, OUTLET_FIELDS)
    if found is None:
        return None
    name, value = found
    if isinstance(value, Mapping):  # NewsAPI: "source": {"id": ..., "name": "Daily Courier"}
        value = value.get("name")
    return _text_field(value, name=name, where=where, line=line)


def _record_id(record: Mapping[str, object], *, where: str, line: int | None) -> str | None:
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        if value is None:
            return None
        raise InputError(
            where,
            f"field 'id' must be a string or an integer, got {type(value).__name__}",
            "Use a short string id, or leave 'id' out to get a content hash",
            line=line,
        )
    return str(value).strip() or None


def parse_record(
    record: Mapping[str, object],
    *,
    source: str,
    line: int | None = None,
    day_first: bool = True,
) -> Article:
    """Read one JSON object (our own fields or news-please's) as an Article.

    Fields: text (or body/content/maintext; description as a last resort), title,
    date (date/date_publish/published/published_at), outlet (outlet/source/source_domain/
    site_name), url, author (author/authors, a list is joined with ', ') and id. The text goes
    through the same date-line and furniture trimming as plain text; a title is guessed from it
    only when the record has none.

    Raises:
        InputError: no text field, or a field of the wrong type or an unreadable date.
    """
    text = _record_text(record, where=source, line=line)
    title = _text_field(record.get("title"), name="title", where=source, line=line)
    date_field = _first_field(record, DATE_FIELDS)
    date = (
        _date_field(date_field[1], name=date_field[0], where=source, line=line, day_first=day_first)
        if date_field is not None
        else None
    )
    author_field = _first_field(record, AUTHOR_FIELDS)
    author = (
        _author_field(author_field[1], name=author_field[0], where=source, line=line)
        if author_field is not None
        else None
    )
    url = _text_field(record.get("url"), name="url", where=source, line=line)
    body = _read_body(
        text, where=source, line=line, title=title, date=date, author=author, day_first=day_first
    )
    return _article_of_body(
        body,
        _record_id(record, where=source, line=line) or article_id(body.text),
        _record_outlet(record, where=source, line=line),
        source=source,
        url=url,
    )
