"""The feed edge: RSS/Atom feeds and URL lists -> Articles.

A feed entry links to the article page, which is fetched with ``readers.fetch_url``. When the
page cannot be read, the entry's own content or summary stands in if it holds enough text;
otherwise the entry becomes an ``InputError`` naming its link, so nothing is lost silently.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
from collections.abc import Mapping
from html.parser import HTMLParser
from pathlib import Path

import httpx

from rashomon.errors import InputError
from rashomon.inputs.decode import decode_bytes
from rashomon.inputs.fetch import download, fetch_url
from rashomon.inputs.outlets import UNKNOWN_OUTLET, is_url
from rashomon.inputs.records import parse_record
from rashomon.models import Article
from rashomon.settings import Settings

log = logging.getLogger(__name__)

FEED_RETRIES = 2
# An entry summary shorter than this is a teaser, not the article: it does not stand in.
FALLBACK_MIN_WORDS = 40


# --- lists of URLs ---------------------------------------------------------------------------


def read_url_list(path: Path) -> list[str]:
    """Read one http(s) URL per line; blank lines and lines starting with '#' are skipped.

    Raises:
        InputError: the file cannot be read, or a line is not an http(s) URL (with its line).
    """
    where = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError as err:
        raise InputError.file_not_found(where) from err
    except OSError as err:
        raise InputError(where, f"cannot read file: {err.strerror or err}") from err
    urls: list[str] = []
    for number, raw in enumerate(decode_bytes(data, where).splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not is_url(line) or any(ch.isspace() for ch in line):
            raise InputError(
                where,
                f"'{line}' is not an http(s) URL",
                "Write one URL per line, or start the line with '#' to comment it out",
                line=number,
            )
        urls.append(line)
    return urls


def read_feed_list(path: Path) -> list[str]:
    """Read one feed URL per line (``#`` starts a comment line); see ``read_url_list``."""
    return read_url_list(path)


# --- feeds -----------------------------------------------------------------------------------


def fetch_feed_articles(
    feed_url: str, *, settings: Settings, client: httpx.Client | None = None
) -> tuple[list[Article], list[InputError]]:
    """Fetch an RSS or Atom feed and the article page of each entry.

    The feed itself is retried ``FEED_RETRIES`` times on connection failures and 5xx answers.
    Missing title, date or author of a page are taken from its entry.

    Returns:
        The articles in feed order, and one error for the feed (when it cannot be read) or
        for each entry that gave no article.
    """
    own_client = client is None
    http = client if client is not None else httpx.Client()
    try:
        try:
            entries, feed_name = _fetch_entries(feed_url, settings=settings, client=http)
        except InputError as err:
            return [], [err]
        articles: list[Article] = []
        errors: list[InputError] = []
        for index, entry in enumerate(entries):
            try:
                article = _article_of_entry(
                    entry, index, feed_url=feed_url, settings=settings, client=http
                )
                if article.outlet == UNKNOWN_OUTLET and feed_name:
                    # a page served from an address names no outlet: the feed names itself
                    article = dataclasses.replace(article, outlet=feed_name)
                articles.append(article)
            except InputError as err:
                errors.append(err)
        return articles, errors
    finally:
        if own_client:
            http.close()


def _fetch_entries(
    feed_url: str, *, settings: Settings, client: httpx.Client
) -> tuple[list[Mapping[str, object]], str | None]:
    """The feed's entries and the outlet it names ("Daily Courier: city news" -> "Daily
    Courier": a feed title is the outlet, then the section)."""
    import feedparser  # imported here: only feed ingest needs it

    response = download(feed_url, settings=settings, client=client, retries=FEED_RETRIES)
    # Bytes, never the URL: given a URL, feedparser would fetch it itself, without our limits.
    parsed = feedparser.parse(
        response.content,
        response_headers={
            "content-location": str(response.url),
            "content-type": response.headers.get("content-type", "application/xml"),
        },
    )
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InputError(
            feed_url,
            "not an RSS or Atom feed" + (f" ({reason})" if reason else ""),
            "Check the feed URL; it should give RSS or Atom XML",
        )
    entries: list[Mapping[str, object]] = list(parsed.entries)
    log.info("%s: %d entries", feed_url, len(entries))
    title = parsed.get("feed", {}).get("title")
    name = _FEED_SECTION.split(title.strip(), maxsplit=1)[0] if isinstance(title, str) else ""
    return entries, name.strip() or None


_FEED_SECTION = re.compile(r"\s*(?::|\s[|\u2013—-]|\s»)\s+")


def _article_of_entry(
    entry: Mapping[str, object],
    index: int,
    *,
    feed_url: str,
    settings: Settings,
    client: httpx.Client,
) -> Article:
    link = _entry_str(entry, "link")
    if link is None or not is_url(link):
        return _article_of_summary(entry, where=feed_url, label=f"entry {index}", settings=settings)
    try:
        article = fetch_url(link, settings=settings, client=client)
    except InputError as err:
        log.info("%s: %s; using the feed entry's text", link, err.problem)
        return _article_of_summary(
            entry, where=link, label=err.problem, settings=settings, link=link
        )
    return dataclasses.replace(
        article,
        title=article.title or _entry_str(entry, "title"),
        date=article.date or _entry_date(entry),
        author=article.author or _entry_str(entry, "author"),
    )


def _article_of_summary(
    entry: Mapping[str, object],
    *,
    where: str,
    label: str,
    settings: Settings,
    link: str | None = None,
) -> Article:
    """The entry's content (or summary) as the article, when it is long enough."""
    text = _entry_text(entry)
    words = len(text.split())
    if words < FALLBACK_MIN_WORDS:
        raise InputError(
            where,
            f"{label}, and the feed entry has {words} words of text "
            f"(at least {FALLBACK_MIN_WORDS} needed to use it instead)",
            "Check the entry's link, or save the article and pass the file",
        )
    record = {
        "text": text,
        "title": _entry_str(entry, "title"),
        "date": _entry_date(entry),
        "author": _entry_str(entry, "author"),
        "url": link,
    }
    return parse_record(record, source=link or where, day_first=settings.day_first)


def _entry_str(entry: Mapping[str, object], key: str) -> str | None:
    value = entry.get(key)
    return value.strip() or None if isinstance(value, str) else None


def _entry_date(entry: Mapping[str, object]) -> str | None:
    """The entry's publication (else update) date as YYYY-MM-DD; feedparser gives UTC."""
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return dt.date(value.tm_year, value.tm_mon, value.tm_mday).isoformat()
    return None


def _entry_text(entry: Mapping[str, object]) -> str:
    """The longest of the entry's content blocks and its summary, as plain paragraphs."""
    candidates: list[str] = []
    content = entry.get("content")
    if isinstance(content, list):
        candidates += [
            str(block.get("value", "")) for block in content if isinstance(block, Mapping)
        ]
    summary = entry.get("summary")
    if isinstance(summary, str):
        candidates.append(summary)
    texts = [_html_to_text(candidate) for candidate in candidates]
    return max(texts, key=len, default="")


_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
)


class _TextCollector(HTMLParser):
    """Plain text of an HTML fragment, one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[list[str]] = [[]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.paragraphs.append([])

    def handle_data(self, data: str) -> None:
        self.paragraphs[-1].append(data)


def _html_to_text(fragment: str) -> str:
    collector = _TextCollector()
    collector.feed(fragment)
    collector.close()
    paragraphs = (" ".join("".join(parts).split()) for parts in collector.paragraphs)
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)
