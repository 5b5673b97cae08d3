"""Header and furniture: the title, date and byline lines at the top, and the site furniture
(share links, copyright lines, "Advertisement") removed from the body but listed in
``Article.boilerplate`` with a reason, so nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rashomon.errors import InputError
from rashomon.inputs.dates import _date_stamps, _pick_date, split_dateline, weekday_line
from rashomon.inputs.meta import clean_author
from rashomon.inputs.outlets import UNKNOWN_OUTLET, _outlet_from_source, outlet_from_url
from rashomon.lexicon import CREDIT_LINE, DATELINE, REPORTING_BY
from rashomon.models import Article, Boilerplate

TITLE_MAX_WORDS = 20
TITLE_MAX_CHARS = 200
HEADER_MAX_LINES = 6  # how many leading lines may hold title, date, byline and furniture
TRAILING_SHORT_MAX_WORDS = 6
TRAILING_SHORT_MAX_CHARS = 60

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
            "gallery",
            r"(?:show|view|see) all(?: \d+)?(?: (?:photos|images|pictures|slides|items))?"
            r"|(?:(?:photo|image|picture|slide)s?\s+)?\d+\s*(?:of|/)\s*\d+",
            4,
        ),
        (
            "image-credit",
            r"(?:image|photo|picture|video)(?: (?:source|caption|credit))?s?\s*[:,]\s*\S.*",
            30,
        ),
    )
)

# Furniture that closes an article in a sentence of its own: matched anywhere in a line, but
# only in the run of lines that ends the text (in the body such words may be news).
# (reason, pattern searched in the line, most words such a line may have)
_TAIL_FURNITURE: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE), max_words)
    for reason, pattern, max_words in (
        (
            "standards",
            r"\b(?:our|editorial) (?:editorial )?(?:standards|principles|guidelines|code\b)"
            r"|\btrust principles\b|\b(?:corrections?|ethics|editorial) policy\b",
            20,
        ),
        (
            "feedback",
            r"\bwe(?:'d| would)? (?:want|like|love) to hear\b|\b(?:tell|let) us what you think\b"
            r"|\b(?:submit|send|write) (?:us )?a letter to the editor\b|\bhave your say\b"
            r"|\bsend us your (?:feedback|thoughts|views|tips)\b",
            40,
        ),
        (CREDIT_LINE, rf"^\s*{REPORTING_BY.pattern}\s*$", 40),
        (
            "newsletter",
            r"\bnewsletters?\b.*\b(?:sign(?:ing)? up|subscrib\w*)\b"
            r"|\b(?:sign(?:ing)? up|subscrib\w*)\b.*\bnewsletters?\b"
            r"|\bnever miss\b.*\b(?:news|stories|updates|story)\b",
            40,
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


def _tail_furniture_reason(line: str) -> str | None:
    """Name the kind of closing furniture this line is ("we want to hear what you think")."""
    words = len(line.split())
    for reason, pattern, max_words in _TAIL_FURNITURE:
        if words <= max_words and pattern.search(line):
            return reason
    return None


CROSSHEAD_MAX_WORDS = 6
_QUOTES_OPEN = "\"'“‘«"
_QUOTES_CLOSE = "\"'”’»"


def _crosshead_reason(line: str) -> str | None:
    """A line in the body that is no sentence: a crosshead or an empty quote.

    Crossheads are short unpunctuated lines in capitals ("VOLATILE BORDER") or in quotes
    ("'We panicked'"), set between paragraphs; a line with no word at all (``''``) is left
    over from markup.
    """
    stripped = line.strip()
    if not any(ch.isalnum() for ch in stripped):
        return "no-words"
    if len(stripped.split()) > CROSSHEAD_MAX_WORDS or _ends_sentence(stripped):
        return None
    letters = [ch for ch in stripped if ch.isalpha()]
    if len(letters) >= 3 and all(ch.isupper() for ch in letters):
        return "crosshead"
    if stripped[0] in _QUOTES_OPEN and stripped[-1] in _QUOTES_CLOSE and len(stripped) > 2:
        return "crosshead"
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
        elif weekday_line(line) is not None:  # "Tuesday:": kept, its weekday dates the text
            removed.append((here, Boilerplate(text=line, reason=DATELINE)))
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
            late = _date_below_subheads(lines, here, HEADER_MAX_LINES - seen, day_first=day_first)
            if headline_seen and late is not None:
                for sub in range(here, late[0]):
                    if lines[sub]:
                        removed.append((sub, Boilerplate(text=lines[sub], reason="subhead")))
                        consumed.add(sub)
                consumed.add(late[0])
                stamps.extend(late[1])
                index = late[0] + 1
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


def _date_below_subheads(
    lines: list[str], start: int, budget: int, *, day_first: bool
) -> tuple[int, list[tuple[str, bool]]] | None:
    """A date line below the subheads under a headline: (its index, its stamps), or None.

    Subheads (standfirst lines) are short lines that read as headlines; with the date line
    below them they are header furniture, not facts of the story.
    """
    for index in range(start, len(lines)):
        line = lines[index]
        if not line:
            continue
        if budget <= 0:
            return None
        budget -= 1
        stamps = _date_stamps(line, day_first=day_first)
        if stamps is not None:
            return index, stamps
        if not _looks_like_title(line, ""):
            return None
    return None


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
        or weekday_line(line) is not None
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
    """Blank out furniture lines anywhere, then the closing run of furniture and short lines."""
    kept = list(lines)
    removed: list[tuple[int, Boilerplate]] = []
    has_text = False  # a line that is neither furniture nor short
    for index, line in enumerate(lines):
        if not line:
            continue
        reason = _furniture_reason(line) or _crosshead_reason(line)
        if reason is not None:
            removed.append((index, Boilerplate(text=line, reason=reason)))
            kept[index] = ""
        elif not _is_short_trailing_line(line):
            has_text = True
    if not has_text:
        return kept, removed  # only short lines: nothing to tell text from furniture
    for index in range(len(lines) - 1, -1, -1):
        line = kept[index]
        if not line:
            continue
        reason = _tail_furniture_reason(line) or (
            "trailing-short-line" if _is_short_trailing_line(line) else None
        )
        if reason is None:
            break
        removed.append((index, Boilerplate(text=line, reason=reason)))
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
    author = clean_author(author)
    header = _read_header(lines, title=title, date=date, author=author, day_first=day_first)
    body = ["" if index in header.consumed else line for index, line in enumerate(lines)]
    found_date = header.date
    first = next((i for i in range(header.end, len(body)) if body[i]), None)
    opening: list[Boilerplate] = []
    if first is not None:
        dateline = split_dateline(body[first], day_first=day_first)
        if dateline is not None:
            body[first] = dateline.rest
            found_date = found_date if found_date is not None else dateline.date
            opening.append(Boilerplate(text=dateline.written, reason=DATELINE))
    kept, removed = _remove_furniture(body)
    boilerplate = [item for _, item in header.removed] + opening
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


# "© 2025 Meridian Wire. All rights reserved.", "Copyright (c) 2019-2024 The Harbor Gazette";
# the year is required: "© Getty Images" credits a photo, not the page
_COPYRIGHT_HOLDER = re.compile(
    r"(?i:©|\(c\)|copyright\b)(?:\s*(?:©|\(c\)))?\s*\d{4}(?:\s*[-–]\s*\d{4})?\s*,?\s*"
    r"(?P<name>[A-Z][\w&'’-]*(?:\s+(?:[A-Z&][\w&'’-]*|of|for|and|the))*)"
)


def with_credit_lines(article: Article) -> str:
    """The article's text with the closing credit lines taken off it put back at its end:
    what tells a wire copy ("(Reporting by ...)") is furniture, not a fact of the story."""
    credits = [b.text for b in article.boilerplate if b.reason == CREDIT_LINE]
    return "\n".join([article.text, *credits]) if credits else article.text


def copyright_holder(boilerplate: Sequence[Boilerplate]) -> str | None:
    """The name the last dated copyright line of the removed furniture credits, or None."""
    for piece in reversed(boilerplate):
        if piece.reason != "copyright":
            continue
        found = _COPYRIGHT_HOLDER.match(piece.text.strip())
        words = found.group("name").split() if found else []
        while words and words[-1].lower() in ("of", "for", "and", "the", "all"):
            words.pop()  # "© 2025 Meridian Wire All rights reserved": the name ends before
        if 0 < len(words) <= 6:
            return " ".join(words)
    return None


def _article_of_body(
    body: _Body, article_id_: str, outlet: str | None, *, source: str | None, url: str | None
) -> Article:
    """The article of a read body; outlet from metadata, else the URL, else the holder of its
    copyright line, else the file name."""
    return Article(
        id=article_id_,
        text=body.text,
        outlet=outlet
        or (outlet_from_url(url) if url else None)
        or copyright_holder(body.boilerplate)
        or _outlet_from_source(source)
        or UNKNOWN_OUTLET,
        title=body.title,
        date=body.date,
        source=source,
        url=url,
        author=body.author,
        boilerplate=body.boilerplate,
    )
