"""Plain text (with optional YAML front matter) -> Article.

Pure: data in, data out (``files.py`` is the edge that reads files). Metadata comes, in order of
trust, from front matter, then from what the text itself shows: a title line, a date line, a
byline.
"""

from __future__ import annotations

import datetime as dt
import re

import yaml

from rashomon.errors import InputError
from rashomon.inputs.clean import _article_of_body, _normalize_newlines, _read_body
from rashomon.inputs.dates import parse_date
from rashomon.inputs.outlets import article_id, is_url
from rashomon.models import Article

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
    stripped = check_unicode(str(value), name=name, where=where, line=line).strip()
    return stripped or None


def check_unicode(value: str, *, name: str, where: str, line: int | None = None) -> str:
    """``value`` itself, unless it holds a lone surrogate (``"\\udc00"`` in JSON), which is
    not text: no UTF-8 encodes it, so it can be neither hashed nor stored.

    Raises:
        InputError: naming the field, the character and where it is.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as err:
        raise InputError(
            where,
            f"field '{name}' holds a lone surrogate ({value[err.start]!a}) at character "
            f"{err.start}, which is not text",
            "Fix the record: a \\uXXXX escape of a surrogate needs its pair",
            line=line,
        ) from None
    return value


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
