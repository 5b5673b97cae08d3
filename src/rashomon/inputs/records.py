"""A JSON record (news-please and the like) -> Article, field by field."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from rashomon.errors import InputError
from rashomon.inputs.clean import _article_of_body, _Body, _read_body
from rashomon.inputs.meta import is_host_like, outlet_host
from rashomon.inputs.outlets import article_id
from rashomon.inputs.text import _author_field, _date_field, _text_field, check_unicode
from rashomon.models import Article, iso_day

# Fields a JSON record may use, in order of preference (news-please writes maintext,
# date_publish, source_domain and authors).
TEXT_FIELDS = ("text", "body", "content", "maintext")
FALLBACK_TEXT_FIELD = "description"
DATE_FIELDS = ("date", "date_publish", "published", "published_at")
OUTLET_FIELDS = ("outlet", "source", "source_domain", "site_name")
AUTHOR_FIELDS = ("author", "authors")
# The rows of `rashomon export --what articles`: the text as stored, read back verbatim.
ARTICLE_SCHEMA_ID = "rashomon/article@1"
_ARTICLE_SCHEMA_PREFIX = "rashomon/article@"


def _first_field(record: Mapping[str, object], names: tuple[str, ...]) -> tuple[str, object] | None:
    for name in names:
        value = record.get(name)
        if value is not None and value != "" and value != []:
            return name, value
    return None


def _record_text(
    record: Mapping[str, object], *, where: str, line: int | None
) -> tuple[str, str | None]:
    """The record's text, and the name of the field it came from."""
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
    return text, name


def _fallback_warning(
    record: Mapping[str, object], text: str, *, where: str, line: int | None, label: str | None
) -> str:
    """Say that a record's description stands in for its missing body text."""
    location = f"{where}:{line}" if line is not None else f"{where} ({label})" if label else where
    empty = [
        f"'{n}' is {'null' if record[n] is None else 'empty'}" for n in TEXT_FIELDS if n in record
    ]
    why = ", ".join(empty) if empty else f"no text field ({', '.join(TEXT_FIELDS)})"
    return (
        f"{location}: {why}, so its '{FALLBACK_TEXT_FIELD}' ({len(text.split())} words) is "
        "used as the article text; the crawler kept no body for this page"
    )


def _record_outlet(record: Mapping[str, object], *, where: str, line: int | None) -> str | None:
    found = _first_field(record, OUTLET_FIELDS)
    if found is None:
        return None
    name, value = found
    if isinstance(value, Mapping):  # NewsAPI: "source": {"id": ..., "name": "Daily Courier"}
        value = value.get("name")
    text = _text_field(value, name=name, where=where, line=line)
    if text is not None and is_host_like(text):  # news-please: "www.daily-courier.example"
        return outlet_host(text)
    return text


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
    return check_unicode(str(value), name="id", where=where, line=line).strip() or None


def parse_record(
    record: Mapping[str, object],
    *,
    source: str,
    line: int | None = None,
    label: str | None = None,
    day_first: bool = True,
) -> Article:
    """Read one JSON object (our own fields or news-please's) as an Article.

    Fields: text (or body/content/maintext; description as a last resort), title,
    date (date/date_publish/published/published_at), outlet (outlet/source/source_domain/
    site_name), url, author (author/authors, a list is joined with ', ') and id. The text goes
    through the same date-line and furniture trimming as plain text; a title is guessed from it
    only when the record has none. A record with ``"schema": "rashomon/article@1"`` (a row of
    ``rashomon export --what articles``) holds an article as stored: its fields are taken as
    they are, nothing trimmed or guessed. A record whose text is its description only (news-please
    writes ``"maintext": null`` when it kept no body) gets a warning naming the file and the
    record (``line``, else ``label`` such as "item 3").

    Raises:
        InputError: no text field, or a field of the wrong type or an unreadable date.
    """
    if _is_stored_article(record, where=source, line=line):
        return _stored_article(record, source=source, line=line)
    text, text_field = _record_text(record, where=source, line=line)
    warnings: tuple[str, ...] = ()
    if text_field == FALLBACK_TEXT_FIELD:
        warnings = (_fallback_warning(record, text, where=source, line=line, label=label),)
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
    article = _article_of_body(
        body,
        _record_id(record, where=source, line=line) or article_id(body.text),
        _record_outlet(record, where=source, line=line),
        source=source,
        url=url,
    )
    return dataclasses.replace(article, warnings=warnings) if warnings else article


def _is_stored_article(record: Mapping[str, object], *, where: str, line: int | None) -> bool:
    schema = record.get("schema")
    if not isinstance(schema, str) or not schema.startswith(_ARTICLE_SCHEMA_PREFIX):
        return False  # no schema, or someone else's field of that name
    if schema != ARTICLE_SCHEMA_ID:
        raise InputError(
            where,
            f"record of schema '{schema}'; this rashomon reads '{ARTICLE_SCHEMA_ID}'",
            "Upgrade rashomon to read it",
            line=line,
        )
    return True


def _stored_article(record: Mapping[str, object], *, source: str, line: int | None) -> Article:
    """An exported article: text, title, date and author exactly as the corpus stored them."""
    text, _ = _record_text(record, where=source, line=line)
    date = _text_field(record.get("date"), name="date", where=source, line=line)
    if date is not None and iso_day(date) is None:
        raise InputError(
            where=source,
            problem=f"field 'date' = {date!r} is not an ISO date",
            fix="Write it as YYYY-MM-DD, as rashomon export does",
            line=line,
        )
    body = _Body(
        text=text,
        title=_text_field(record.get("title"), name="title", where=source, line=line),
        date=date,
        author=_text_field(record.get("author"), name="author", where=source, line=line),
        boilerplate=(),
    )
    return _article_of_body(
        body,
        _record_id(record, where=source, line=line) or article_id(text),
        _record_outlet(record, where=source, line=line),
        source=source,
        url=_text_field(record.get("url"), name="url", where=source, line=line),
    )
