"""The ingest edge: files and URLs -> Articles.

Everything that touches the disk or the network lives here; the parsing itself is the pure code
in ``ingest.py``. Bad inputs come back as ``InputError`` values next to the good articles, so one
broken file or JSON line never sinks the rest of a run and is never skipped silently.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath

import charset_normalizer
import httpx

from rashomon.errors import FetchError, InputError
from rashomon.ingest import is_url, parse_html, parse_record, parse_text
from rashomon.models import Article
from rashomon.settings import Settings

log = logging.getLogger(__name__)

USER_AGENT = "rashomon/0.1"
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUPPORTED = ".txt .text .md .markdown .html .htm .xhtml .json .jsonl .ndjson, or no extension"

_BINARY_FIX = "Give a text, HTML or JSON file (save documents such as PDF or Word as .txt first)"

# --- decoding ------------------------------------------------------------------------------------


def _utf16_by_nuls(data: bytes) -> str | None:
    """Name the UTF-16 byte order of BOM-less data whose NUL bytes sit on one side, else None.

    Mostly-ASCII UTF-16 has a NUL in (nearly) every other byte: odd positions for
    little-endian, even ones for big-endian. Binary files have NULs scattered on both sides.
    """
    if len(data) < 2 or len(data) % 2:
        return None
    pairs = len(data) // 2
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    if odd_nuls >= 0.4 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.4 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


# What Windows-1252 puts at 0x80-0x9F: curly quotes, dashes, the euro sign and a few letters.
_WESTERN_EXTRA = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore"))


def _looks_like_cp1252(text: str) -> bool:
    """True when text decoded as Windows-1252 reads as Western European text.

    Its letters are mostly ASCII, and the other characters are accented Latin letters or
    typographic punctuation. Text in another single-byte code page (Cyrillic, Greek) decodes as a
    run of accented letters instead, and goes to charset-normalizer.
    """
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return True
    foreign = [ch for ch in text if ord(ch) > 127]
    if any(not ("\u00a0" <= ch <= "\u00ff" or ch in _WESTERN_EXTRA) for ch in foreign):
        return False
    return sum(1 for ch in letters if ord(ch) > 127) <= 0.3 * len(letters)


def _has_control_chars(text: str) -> bool:
    """Binary data that happens to decode shows C0 control characters other than whitespace."""
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > 0


def _decode(data: bytes) -> str | None:
    """Decode by BOM, UTF-16 NUL pattern, UTF-8, Windows-1252, then charset-normalizer."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if b"\x00" in data:
        utf16 = _utf16_by_nuls(data)
        if utf16 is None:
            return None
        try:
            return data.decode(utf16)
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass  # not UTF-8: try the next candidate
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _looks_like_cp1252(text):
        return text
    best = charset_normalizer.from_bytes(data).best()
    return None if best is None else str(best)


def decode_bytes(data: bytes, where: str) -> str:
    """Decode the bytes of a text file.

    Handles UTF-8 (with or without BOM), UTF-16 and UTF-32 (with a BOM, or UTF-16 recognised
    by its NUL bytes), Windows-1252, and whatever charset-normalizer can identify.

    Raises:
        InputError: the file is empty, or looks like a binary file.
    """
    if not data.strip():
        raise InputError(where, "file is empty", "Give a file that holds an article")
    text = _decode(data)
    if text is None or "\x00" in text or _has_control_chars(text):
        raise InputError(where, "looks like a binary file, not text", _BINARY_FIX)
    if not text.strip():
        raise InputError(where, "file is empty", "Give a file that holds an article")
    return text


# --- files ------------------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    where = str(path)
    try:
        if path.is_dir():
            raise InputError(
                where,
                "is a directory, not a file",
                f"Pass the files inside it, e.g. {path}/*.txt",
            )
        return path.read_bytes()
    except FileNotFoundError as err:
        raise InputError(where, "file not found", "Check the path and its spelling") from err
    except PermissionError as err:
        raise InputError(
            where, "permission denied", "Make the file readable, e.g. chmod +r"
        ) from err
    except OSError as err:
        raise InputError(where, f"cannot read file: {err.strerror or err}") from err


def _records_of_json(text: str, where: str) -> list[tuple[object, int | None, str]]:
    """Return (record, line, label) for each object in a JSON document (an object or a list)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        fix = "Fix the JSON"
        if err.msg == "Extra data":
            fix = "If the file holds one JSON object per line, name it .jsonl"
        raise InputError(
            where, f"invalid JSON: {err.msg} (column {err.colno})", fix, line=err.lineno
        ) from err
    if isinstance(data, list):
        return [(item, None, f"item {index}") for index, item in enumerate(data)]
    return [(data, None, "document")]


def _records_of_jsonl(text: str, where: str) -> Iterator[tuple[object, int, str] | InputError]:
    """Yield (record, line, label) per non-blank line, or an InputError for a broken line."""
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            yield json.loads(raw), number, f"line {number}"
        except json.JSONDecodeError as err:
            yield InputError(
                where,
                f"invalid JSON: {err.msg} (column {err.colno})",
                "Fix this line; every line must be one JSON object",
                line=number,
            )


def _article_of_record(
    record: object, *, where: str, line: int | None, label: str, settings: Settings
) -> Article:
    if not isinstance(record, Mapping):
        raise InputError(
            where,
            f"{label} is a JSON {type(record).__name__}, not an object",
            'Write each article as an object such as {"title": ..., "text": ...}',
            line=line,
        )
    # JSON objects always have string keys.
    fields: Mapping[str, object] = record
    return parse_record(fields, source=where, line=line, day_first=settings.day_first)


def _parse_records(
    records: Sequence[tuple[object, int | None, str] | InputError],
    *,
    where: str,
    settings: Settings,
) -> tuple[list[Article], list[InputError]]:
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in records:
        if isinstance(item, InputError):
            errors.append(item)
            continue
        record, line, label = item
        try:
            articles.append(
                _article_of_record(record, where=where, line=line, label=label, settings=settings)
            )
        except InputError as err:
            errors.append(err)
    return articles, errors


def read_path_lenient(path: Path, *, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """Read one file; return its articles and an error for each part that could not be read.

    A JSON Lines file gives its good records and one error per bad line; any other file gives
    one article or one error.
    """
    where = str(path)
    suffix = path.suffix.lower()
    try:
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES:
            raise InputError(
                where, f"unsupported file type '{path.suffix}'", f"Use one of: {SUPPORTED}"
            )
        text = decode_bytes(_read_bytes(path), where)
        if suffix in HTML_SUFFIXES:
            return [parse_html(text, source=where, day_first=settings.day_first)], []
        if suffix in JSON_SUFFIXES:
            return _parse_records(_records_of_json(text, where), where=where, settings=settings)
        if suffix in JSONL_SUFFIXES:
            records = list(_records_of_jsonl(text, where))
            if not records:
                raise InputError(where, "file has no JSON lines", "Give one JSON object per line")
            return _parse_records(records, where=where, settings=settings)
        return [parse_text(text, source=where, day_first=settings.day_first)], []
    except InputError as err:
        return [], [err]


def read_path(path: Path, *, settings: Settings) -> list[Article]:
    """Read one file (text, Markdown, HTML, JSON or JSON Lines) into articles.

    Raises:
        InputError: the first problem found; use ``read_path_lenient`` to get the good
            records of a JSON Lines file together with the errors of its bad lines.
    """
    articles, errors = read_path_lenient(path, settings=settings)
    if errors:
        raise errors[0]
    return articles


# --- URLs -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _download(url: str, *, settings: Settings, client: httpx.Client) -> httpx.Response:
    """GET a URL, reading at most ``settings.fetch_max_bytes`` of its body."""
    limit = settings.fetch_max_bytes
    too_big = FetchError(
        url,
        f"response is larger than {limit} bytes",
        "Raise fetch_max_bytes, or save the article as a file",
    )
    with client.stream(
        "GET",
        url,
        headers={"User-Agent": USER_AGENT},
        timeout=settings.fetch_timeout_s,
        follow_redirects=True,
    ) as response:
        if not response.is_success:
            raise FetchError(
                url,
                f"server answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
                "Check the URL, or save the page and pass the file",
            )
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:
                raise too_big
            chunks.append(chunk)
    # A complete, detached response: the body has been read within the limit.
    return httpx.Response(
        response.status_code,
        headers=response.headers,
        content=b"".join(chunks),
        request=response.request,
    )


def _response_text(response: httpx.Response, data: bytes, *, url: str, is_html: bool) -> str:
    """Decode with the declared charset (header, then HTML meta), else by detection."""
    declared = response.charset_encoding
    if declared is None and is_html:
        meta = _META_CHARSET.search(data[:4096])
        declared = meta.group(1).decode("ascii") if meta else None
    if declared is not None:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not fit; detecting", url, declared)
    return decode_bytes(data, url)


def fetch_url(url: str, *, settings: Settings, client: httpx.Client | None = None) -> Article:
    """Download one article: HTML, plain text or a JSON record.

    Follows redirects, sends ``User-Agent: rashomon/0.1``, gives up after
    ``settings.fetch_timeout_s`` and refuses bodies over ``settings.fetch_max_bytes``.

    Raises:
        FetchError: network failure, timeout, non-2xx status, oversize or unsupported content.
        InputError: the content holds no article.
    """
    if not is_url(url):
        raise FetchError(url, "not an http(s) URL", "Give a URL starting with http:// or https://")
    own_client = client is None
    http = client if client is not None else httpx.Client()
    try:
        response = _download(url, settings=settings, client=http)
    except httpx.TimeoutException as err:
        raise FetchError(
            url,
            f"timed out after {settings.fetch_timeout_s:g} s",
            "Try again later, or raise fetch_timeout_s",
        ) from err
    except httpx.TooManyRedirects as err:
        raise FetchError(url, "too many redirects", "Check the URL in a browser") from err
    except (httpx.HTTPError, httpx.InvalidURL) as err:
        raise FetchError(
            url, f"cannot fetch: {err}", "Check the URL and your network connection"
        ) from err
    finally:
        if own_client:
            http.close()
    return _article_of_response(response, url=url, settings=settings)


def _article_of_response(response: httpx.Response, *, url: str, settings: Settings) -> Article:
    data = response.content
    if not data.strip():
        raise FetchError(url, "response is empty", "Check the URL in a browser")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    final_url = str(response.url)
    if not content_type:  # no header: sniff
        content_type = "text/html" if data.lstrip()[:1] == b"<" else "text/plain"
    if content_type in ("text/html", "application/xhtml+xml"):
        text = _response_text(response, data, url=url, is_html=True)
        return parse_html(text, source=url, url=final_url, day_first=settings.day_first)
    if content_type in ("text/plain", "text/markdown"):
        text = _response_text(response, data, url=url, is_html=False)
        return parse_text(text, source=url, day_first=settings.day_first)
    if content_type == "application/json" or content_type.endswith("+json"):
        text = _response_text(response, data, url=url, is_html=False)
        articles, errors = _parse_records(_records_of_json(text, url), where=url, settings=settings)
        if errors:
            raise errors[0]
        if len(articles) != 1:
            raise FetchError(
                url,
                f"JSON holds {len(articles)} articles, expected one object",
                "Save it as a .json file and pass the file",
            )
        return articles[0]
    raise FetchError(
        url,
        f"unsupported content type '{content_type}'",
        "Give a URL of an HTML page, plain text or JSON",
    )


# --- several inputs ---------------------------------------------------------------------------


def unique_ids(articles: Sequence[Article]) -> list[Article]:
    """Suffix repeated ids with -2, -3 ... so ids are unique within a run.

    ``read_inputs`` does this for the inputs it reads; a caller that combines articles from
    several calls should call it once more on the whole list.
    """
    taken = {article.id for article in articles}
    seen: set[str] = set()
    result: list[Article] = []
    for article in articles:
        if article.id not in seen:
            seen.add(article.id)
            result.append(article)
            continue
        number = 2
        while f"{article.id}-{number}" in taken:
            number += 1
        new_id = f"{article.id}-{number}"
        taken.add(new_id)
        seen.add(new_id)
        result.append(dataclasses.replace(article, id=new_id))
    return result


def read_inputs(
    specs: Sequence[str | Path], *, settings: Settings
) -> tuple[list[Article], list[InputError]]:
    """Read every path or http(s) URL; return the articles in input order and the errors.

    One bad input never sinks the others. Articles with the same id (the same text) are all
    kept; the second gets the suffix ``-2``, the third ``-3``.
    """
    articles: list[Article] = []
    errors: list[InputError] = []
    for spec in specs:
        if isinstance(spec, str) and is_url(spec):
            try:
                articles.append(fetch_url(spec, settings=settings))
            except InputError as err:
                errors.append(err)
            continue
        found, failed = read_path_lenient(Path(spec), settings=settings)
        articles.extend(found)
        errors.extend(failed)
    return unique_ids(articles), errors


# --- overrides --------------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _matching(articles: Sequence[Article], key: str) -> list[int]:
    """Indexes of the articles a key names, by the most specific kind of name that matches.

    In order: article id, full source, source file name (``a.txt``), source stem (``a``).
    """
    namers: tuple[Callable[[Article], str | None], ...] = (
        lambda a: a.id,
        lambda a: a.source,
        lambda a: PurePath(a.source).name if a.source else None,
        lambda a: PurePath(a.source).stem if a.source else None,
    )
    for name_of in namers:
        found = [index for index, article in enumerate(articles) if name_of(article) == key]
        if found:
            return found
    return []


def _check_date(key: str, value: str) -> str:
    iso = value.strip()
    if _ISO_DATE.fullmatch(iso):
        try:
            return dt.date.fromisoformat(iso).isoformat()
        except ValueError:
            pass  # a well-formed but impossible date, such as 2024-02-30: reported below
    raise InputError(
        f"--date {key}={value}",
        f"'{value}' is not a date",
        "Write it as YYYY-MM-DD, e.g. --date a.txt=2024-03-05",
    )


def apply_overrides(
    articles: Sequence[Article],
    *,
    outlets: Mapping[str, str],
    dates: Mapping[str, str],
) -> list[Article]:
    """Apply ``--outlet ID=NAME`` and ``--date ID=YYYY-MM-DD`` to the articles they name.

    ID may be the article id, the full source, the source file name (``a.txt``) or its stem
    (``a``); a name shared by several articles (all records of one JSON Lines file) sets all.

    Raises:
        InputError: a key that names no article (the message lists the valid ids), an empty
            outlet, or a value that is not a YYYY-MM-DD date.
    """
    result = list(articles)
    for key, value in outlets.items():
        name = value.strip()
        if not name:
            raise InputError(
                f"--outlet {key}=", "the outlet name is empty", "Give a name after '='"
            )
        for index in _named_by(result, key, option=f"--outlet {key}={value}"):
            result[index] = dataclasses.replace(result[index], outlet=name)
    for key, value in dates.items():
        iso = _check_date(key, value)
        for index in _named_by(result, key, option=f"--date {key}={value}"):
            result[index] = dataclasses.replace(result[index], date=iso)
    return result


def _named_by(articles: Sequence[Article], key: str, *, option: str) -> list[int]:
    found = _matching(articles, key)
    if not found:
        ids = ", ".join(article.id for article in articles) or "(none)"
        raise InputError(
            option,
            f"'{key}' names no article",
            f"Use an article id or file name; the ids are: {ids}",
        )
    return found
