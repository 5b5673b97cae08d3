"""The ingest edge: files and URLs -> Articles.

Everything that touches the disk or the network lives here; the parsing itself is the pure code
in ``ingest.py``. Bad inputs come back as ``InputError`` values next to the good articles, so one
broken file or JSON line never sinks the rest of a run and is never skipped silently.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import json
import logging
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

import charset_normalizer
import httpx

from rashomon._version import USER_AGENT
from rashomon.errors import FetchError, InputError
from rashomon.inputs.text import (
    AUTHOR_FIELDS,
    DATE_FIELDS,
    FALLBACK_TEXT_FIELD,
    OUTLET_FIELDS,
    TEXT_FIELDS,
    is_url,
    parse_html,
    parse_record,
    parse_text,
)
from rashomon.models import Article
from rashomon.settings import Settings

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

log = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv"})
PARQUET_SUFFIXES = frozenset({".parquet"})
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")  # whole endings: ".warc.gz"
SUPPORTED = (
    ".txt .text .md .markdown .html .htm .xhtml .json .jsonl .ndjson .csv .tsv .parquet"
    " .warc .warc.gz .arc .arc.gz, or no extension"
)

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
    record: object,
    *,
    where: str,
    line: int | None,
    label: str,
    settings: Settings,
    column_map: Mapping[str, str] | None = None,
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
    if column_map:
        fields = _remap(fields, column_map, where=where, line=line)
    return parse_record(fields, source=where, line=line, day_first=settings.day_first)


def _parse_records(
    records: Iterable[tuple[object, int | None, str] | InputError],
    *,
    where: str,
    settings: Settings,
    column_map: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    for item in records:
        if isinstance(item, InputError):
            yield item
            continue
        record, line, label = item
        try:
            yield _article_of_record(
                record,
                where=where,
                line=line,
                label=label,
                settings=settings,
                column_map=column_map,
            )
        except InputError as err:
            yield err


# --- column maps (CSV, Parquet, JSON records) ------------------------------------------------

# Our field -> every record key parse_record reads it from. A mapped field hides all of them, so
# `--map text=body` never falls back to a 'content' column when 'body' is empty.
_FIELD_KEYS: Mapping[str, tuple[str, ...]] = {
    "text": (*TEXT_FIELDS, FALLBACK_TEXT_FIELD),
    "title": ("title",),
    "date": DATE_FIELDS,
    "outlet": OUTLET_FIELDS,
    "url": ("url",),
    "author": AUTHOR_FIELDS,
    "id": ("id",),
}
MAP_FIELDS = tuple(_FIELD_KEYS)


def parse_column_map(specs: Sequence[str]) -> dict[str, str]:
    """Read ``--map`` values such as ``text=body,date=published`` into {our field: column}.

    Each value holds one or more comma-separated ``FIELD=COLUMN`` pairs; the flag may repeat.

    Raises:
        InputError: a pair without '=', an empty column, an unknown field, or one field mapped
            to two different columns.
    """
    mapping: dict[str, str] = {}
    fields = ", ".join(MAP_FIELDS)
    for spec in specs:
        for pair in spec.split(","):
            field, equals, column = (part.strip() for part in pair.partition("="))
            where = f"--map {spec}"
            if not equals or not field or not column:
                raise InputError(
                    where,
                    f"'{pair.strip()}' is not FIELD=COLUMN",
                    "Write e.g. --map text=body,date=published",
                )
            if field not in _FIELD_KEYS:
                raise InputError(
                    where, f"unknown field '{field}'", f"Map one of these fields: {fields}"
                )
            if mapping.get(field, column) != column:
                raise InputError(
                    where,
                    f"field '{field}' is mapped to both '{mapping[field]}' and '{column}'",
                    "Map each field once",
                )
            mapping[field] = column
    return mapping


def _remap(
    record: Mapping[str, object], column_map: Mapping[str, str], *, where: str, line: int | None
) -> dict[str, object]:
    """Rename the mapped columns of a record to our field names.

    Raises:
        InputError: the column mapped to text is missing or empty in this record.
    """
    hidden = {key for field in column_map for key in _FIELD_KEYS[field]}
    result = {key: value for key, value in record.items() if key not in hidden}
    for field, column in column_map.items():
        result[field] = record.get(column)
    text = result.get("text", "") if "text" in column_map else ""
    if text is None or (isinstance(text, str) and not text.strip()):
        raise InputError(
            where,
            f"column '{column_map['text']}' (mapped to text) is empty",
            "Fill it, or map text to another column with --map text=COLUMN",
            line=line,
        )
    return result


def _check_columns(columns: Sequence[str], column_map: Mapping[str, str], where: str) -> None:
    missing = [f"'{col}' (for {field})" for field, col in column_map.items() if col not in columns]
    if missing:
        raise InputError(
            where,
            f"column {', '.join(missing)} not in the file",
            f"Its columns are: {', '.join(columns) or '(none)'}",
            line=1,
        )


# --- CSV and TSV -----------------------------------------------------------------------------


def _records_of_table(
    text: str, *, where: str, delimiter: str, column_map: Mapping[str, str]
) -> Iterator[tuple[object, int, str] | InputError]:
    """Yield (record, line, label) per row, the line being where the row starts."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [name.strip() for name in next(reader, [])]
    except csv.Error as err:
        raise InputError(where, f"not valid CSV: {err}", "Fix the header row", line=1) from err
    if not any(header):
        raise InputError(where, "the first row holds no column names", "Add a header row", line=1)
    _check_columns(header, column_map, where)
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader, None)
        except csv.Error as err:
            # the csv module cannot resynchronise after a broken quote: the rest is lost
            yield InputError(
                where, f"not valid CSV: {err}", "Fix the quoting of this row", line=start
            )
            return
        if row is None:
            return
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            yield InputError(
                where,
                f"row has {len(row)} fields, the header {len(header)}",
                "Quote fields that hold the delimiter",
                line=line,
            )
            continue
        yield dict(zip(header, row, strict=True)), line, f"line {line}"


def _iter_table(
    path: Path, *, settings: Settings, column_map: Mapping[str, str]
) -> Iterator[Article | InputError]:
    where = str(path)
    text = decode_bytes(_read_bytes(path), where)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    records = _records_of_table(text, where=where, delimiter=delimiter, column_map=column_map)
    yield from _parse_records(records, where=where, settings=settings, column_map=column_map)


# --- Parquet ---------------------------------------------------------------------------------

PARQUET_BATCH_ROWS = 1024


def _iter_parquet(
    path: Path, *, settings: Settings, column_map: Mapping[str, str]
) -> Iterator[Article | InputError]:
    """Read a Parquet file batch by batch; errors name the row index (counting from 0)."""
    import pyarrow as pa  # imported here: pyarrow takes ~0.2 s to load
    import pyarrow.parquet as pq

    where = str(path)
    try:
        parquet = pq.ParquetFile(path)
        columns = list(parquet.schema_arrow.names)
        _check_columns(columns, column_map, where)
        index = 0
        for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
            for record in batch.to_pylist():
                yield _article_of_row(
                    record, index=index, where=where, settings=settings, column_map=column_map
                )
                index += 1
    except FileNotFoundError as err:
        raise InputError(where, "file not found", "Check the path and its spelling") from err
    except (pa.ArrowException, OSError) as err:
        raise InputError(
            where, f"cannot read Parquet: {err}", "Check that it is a Parquet file"
        ) from err


def _article_of_row(
    record: Mapping[str, object],
    *,
    index: int,
    where: str,
    settings: Settings,
    column_map: Mapping[str, str],
) -> Article | InputError:
    try:
        return _article_of_record(
            record,
            where=where,
            line=None,
            label=f"row {index}",
            settings=settings,
            column_map=column_map,
        )
    except InputError as err:
        return InputError(where, f"row index {index}: {err.problem}", _fix_of(err))


def _fix_of(err: InputError) -> str:
    """The fix sentence of an error's message (the text after its problem)."""
    _, _, rest = str(err).partition(f"{err.problem}. ")
    return rest


# --- WARC and ARC ----------------------------------------------------------------------------

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


def is_archive(path: Path) -> bool:
    """Whether the file name ends like a WARC or ARC archive (optionally gzipped)."""
    return path.name.lower().endswith(ARCHIVE_SUFFIXES)


def _iter_archive(path: Path, *, settings: Settings) -> Iterator[Article | InputError]:
    """Stream the HTML responses of a WARC/ARC file, one record in memory at a time.

    Other records (requests, metadata, images, redirects, errors) are not articles: skipped.
    """
    where = str(path)
    end = 0  # where the last complete record ends
    try:
        with path.open("rb") as stream:
            for offset, length, found in _scan_archive(stream, where=where, settings=settings):
                end = offset + length
                if found is not None:
                    uri, data, content_type = found
                    yield _article_of_archived(
                        data, content_type, uri=uri, offset=offset, where=where, settings=settings
                    )
        size = path.stat().st_size
    except FileNotFoundError as err:
        raise InputError(where, "file not found", "Check the path and its spelling") from err
    except OSError as err:
        raise InputError(where, f"cannot read file: {err.strerror or err}") from err
    if end < size and not _is_blank_tail(path, end, size):
        # warcio ends quietly on a cut-off last record; say so rather than lose it
        raise InputError(
            where,
            f"the last {size - end} bytes, from offset {end}, hold no complete record",
            "The archive looks truncated: copy or download it again",
        )


def _scan_archive(
    stream: io.BufferedReader, *, where: str, settings: Settings
) -> Iterator[tuple[int, int, tuple[str, bytes, str] | None]]:
    """Yield (offset, length, HTML response or None) for each record of the archive.

    Raises:
        InputError: the archive is broken at some record; the records before it were yielded.
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    records = ArchiveIterator(stream, arc2warc=True)
    iterator = iter(records)
    while True:
        try:
            record = next(iterator, None)
            if record is None:
                return
            found = _html_of_record(record, settings=settings)
            offset = records.get_record_offset()
            length = records.get_record_length()
        # warcio reports a malformed record in several ways: its own ArchiveLoadFailed, zlib
        # and gzip errors, and AttributeError/ValueError on a header block cut short.
        except (
            ArchiveLoadFailed,
            OSError,
            EOFError,
            ValueError,
            AttributeError,
            zlib.error,
        ) as err:
            detail = " ".join(str(err).split())
            if isinstance(err, AttributeError):  # warcio trips over a missing header
                detail = "a record's header block is cut short or malformed"
            raise InputError(
                where,
                f"cannot read the archive: {detail}",
                "Check that it is a complete WARC/ARC file",
            ) from err
        if _is_cut_short(record):
            raise InputError(
                where,
                f"the record at offset {offset} is incomplete",
                "The archive looks truncated: copy or download it again",
            )
        yield offset, length, found


def _is_cut_short(record: ArcWarcRecord) -> bool:
    """Whether the archive ended inside this record (warcio yields such a record quietly)."""
    declared = record.rec_headers.get_header("Content-Length")
    if not isinstance(declared, str) or not declared.strip().isdigit():
        return True  # the header block was cut before its Content-Length
    # warcio wraps the record body in a LimitReader whose limit counts the bytes still due
    remaining = getattr(record.raw_stream, "limit", 0)
    return isinstance(remaining, int) and remaining > 0


def _is_blank_tail(path: Path, end: int, size: int) -> bool:
    """Whether the bytes after the last record are only the blank lines that close it."""
    if size - end > 16:
        return False
    with path.open("rb") as stream:
        stream.seek(end)
        return not stream.read().strip()


def _html_of_record(record: ArcWarcRecord, *, settings: Settings) -> tuple[str, bytes, str] | None:
    """(target URI, body, content type) of an HTML 200 response record, else None."""
    if record.rec_type != "response":
        return None
    http = record.http_headers
    if http is None or http.get_statuscode() != "200":
        return None
    content_type = str(http.get_header("Content-Type") or "")
    if content_type.split(";")[0].strip().lower() not in _HTML_TYPES:
        return None
    uri = str(record.rec_headers.get_header("WARC-Target-URI") or "")
    # read one byte over the cap to tell a body at the limit from a larger one
    data = record.content_stream().read(settings.fetch_max_bytes + 1)
    return uri, bytes(data), content_type


def _article_of_archived(
    data: bytes, content_type: str, *, uri: str, offset: int, where: str, settings: Settings
) -> Article | InputError:
    label = f"record {uri or '(no URI)'} at offset {offset}"
    if len(data) > settings.fetch_max_bytes:
        return InputError(
            where,
            f"{label}: body is larger than {settings.fetch_max_bytes} bytes",
            "Raise fetch_max_bytes to read it",
        )
    try:
        text = _decode_declared(data, _charset_of(content_type), where=f"{where} {label}")
        return parse_html(text, source=where, url=uri or None, day_first=settings.day_first)
    except InputError as err:
        return InputError(where, f"{label}: {err.problem}", _fix_of(err))


def _charset_of(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None


# --- any file --------------------------------------------------------------------------------


def iter_path(
    path: Path, *, settings: Settings, column_map: Mapping[str, str] | None = None
) -> Iterator[Article | InputError]:
    """Yield the articles of one file, and an InputError for each part that cannot be read.

    Streams CSV rows, Parquet batches and WARC/ARC records, so a large file is never held in
    memory as a whole (CSV and JSON files are decoded whole). Never raises InputError.

    Args:
        column_map: our field (text, title, date, outlet, url, author, id) -> the column or key
            that holds it in CSV, Parquet and JSON records; see ``parse_column_map``.
    """
    try:
        yield from _iter_path(path, settings=settings, column_map=dict(column_map or {}))
    except InputError as err:
        yield err


def _iter_path(
    path: Path, *, settings: Settings, column_map: Mapping[str, str]
) -> Iterator[Article | InputError]:
    where = str(path)
    suffix = path.suffix.lower()
    if is_archive(path):
        yield from _iter_archive(path, settings=settings)
        return
    if suffix in PARQUET_SUFFIXES:
        yield from _iter_parquet(path, settings=settings, column_map=column_map)
        return
    if suffix in TABLE_SUFFIXES:
        yield from _iter_table(path, settings=settings, column_map=column_map)
        return
    if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES:
        raise InputError(
            where, f"unsupported file type '{path.suffix}'", f"Use one of: {SUPPORTED}"
        )
    text = decode_bytes(_read_bytes(path), where)
    if suffix in HTML_SUFFIXES:
        yield parse_html(text, source=where, day_first=settings.day_first)
    elif suffix in JSON_SUFFIXES:
        records = _records_of_json(text, where)
        yield from _parse_records(records, where=where, settings=settings, column_map=column_map)
    elif suffix in JSONL_SUFFIXES:
        lines = list(_records_of_jsonl(text, where))
        if not lines:
            raise InputError(where, "file has no JSON lines", "Give one JSON object per line")
        yield from _parse_records(lines, where=where, settings=settings, column_map=column_map)
    else:
        yield parse_text(text, source=where, day_first=settings.day_first)


def read_path_lenient(
    path: Path, *, settings: Settings, column_map: Mapping[str, str] | None = None
) -> tuple[list[Article], list[InputError]]:
    """Read one file; return its articles and an error for each part that could not be read.

    JSON Lines, CSV, TSV, Parquet and WARC/ARC files give their good records and one error per
    bad line, row or record; any other file gives one article or one error.
    """
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_path(path, settings=settings, column_map=column_map):
        if isinstance(item, InputError):
            errors.append(item)
        else:
            articles.append(item)
    return articles, errors


def read_path(
    path: Path, *, settings: Settings, column_map: Mapping[str, str] | None = None
) -> list[Article]:
    """Read one file (text, Markdown, HTML, JSON, JSON Lines, CSV, Parquet, WARC) into articles.

    Raises:
        InputError: the first problem found; use ``read_path_lenient`` to get the good
            records of a multi-record file together with the errors of its bad ones.
    """
    articles, errors = read_path_lenient(path, settings=settings, column_map=column_map)
    if errors:
        raise errors[0]
    return articles


# --- URLs -------------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


def _download(url: str, *, settings: Settings, client: httpx.Client) -> httpx.Response:
    """GET a URL, reading at most ``settings.fetch_max_bytes`` of its body.

    Redirects are followed one by one (at most the client's ``max_redirects``), and the whole
    download, redirects included, must end within ``settings.fetch_timeout_s``: a server that
    trickles its answer cannot hold the fetch for longer. Every single wait (connect, read) is
    bounded by the time left, so the fetch gives up at the latest after about twice that.

    A non-2xx response comes back with an empty body, for the caller to judge.
    """
    limit = settings.fetch_max_bytes
    too_big = FetchError(
        url,
        f"response is larger than {limit} bytes",
        "Raise fetch_max_bytes, or save the article as a file",
    )
    deadline = time.monotonic() + settings.fetch_timeout_s

    def time_left() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(
                url,
                f"took longer than {settings.fetch_timeout_s:g} s in all",
                "Try again later, or raise fetch_timeout_s",
            )
        return left

    request = client.build_request(
        "GET", url, headers={"User-Agent": USER_AGENT}, timeout=time_left()
    )
    for _ in range(client.max_redirects + 1):
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            if response.next_request is not None:
                request = response.next_request
                request.extensions["timeout"] = httpx.Timeout(time_left()).as_dict()
                continue
            if not response.is_success:
                return httpx.Response(
                    response.status_code,
                    headers=response.headers,
                    extensions={"reason_phrase": response.reason_phrase.encode()},
                    request=response.request,
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
                time_left()
            # A complete, detached response: the body has been read within the limit.
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                content=b"".join(chunks),
                request=response.request,
            )
        finally:
            response.close()
    raise httpx.TooManyRedirects("too many redirects", request=request)


def _response_text(response: httpx.Response, data: bytes, *, url: str, is_html: bool) -> str:
    """Decode with the declared charset (header, then HTML meta), else by detection."""
    declared = response.charset_encoding
    if declared is None and is_html:
        declared = _meta_charset(data)
    return _decode_declared(data, declared, where=url)


def _meta_charset(data: bytes) -> str | None:
    meta = _META_CHARSET.search(data[:4096])
    return meta.group(1).decode("ascii") if meta else None


def _decode_declared(data: bytes, declared: str | None, *, where: str, is_html: bool = True) -> str:
    """Decode with a declared charset when it fits, else by detection (``decode_bytes``)."""
    if declared is None and is_html:
        declared = _meta_charset(data)
    if declared is not None:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            log.debug("%s: declared charset %s does not fit; detecting", where, declared)
    return decode_bytes(data, where)


RETRY_BACKOFF_S = 0.25  # the first wait before a retry; each later one doubles it


def download(
    url: str,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    retries: int = 0,
    backoff_s: float = RETRY_BACKOFF_S,
) -> httpx.Response:
    """GET a URL the way ``fetch_url`` does, returning the complete response.

    Args:
        retries: how many times to try again after a connection failure or a 5xx answer,
            waiting ``backoff_s``, then twice as long, and so on.

    Raises:
        FetchError: network failure, timeout, non-2xx status or oversize body.
    """
    if not is_url(url):
        raise FetchError(url, "not an http(s) URL", "Give a URL starting with http:// or https://")
    own_client = client is None
    http = client if client is not None else httpx.Client()
    try:
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = _download(url, settings=settings, client=http)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                if last:
                    raise _fetch_error(url, err, settings=settings) from err
                log.info("%s: %s; retrying", url, err)
            except (httpx.HTTPError, httpx.InvalidURL) as err:
                raise _fetch_error(url, err, settings=settings) from err
            else:
                if response.is_success:
                    return response
                if last or response.status_code < 500:
                    raise _status_error(url, response)
                log.info("%s: HTTP %d; retrying", url, response.status_code)
            time.sleep(backoff_s * 2**attempt)
    finally:
        if own_client:
            http.close()
    raise AssertionError("unreachable: the last attempt returns or raises")


def _status_error(url: str, response: httpx.Response) -> FetchError:
    return FetchError(
        url,
        f"server answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
        "Check the URL, or save the page and pass the file",
    )


def _fetch_error(url: str, err: Exception, *, settings: Settings) -> FetchError:
    if isinstance(err, httpx.TimeoutException):
        return FetchError(
            url,
            f"timed out after {settings.fetch_timeout_s:g} s",
            "Try again later, or raise fetch_timeout_s",
        )
    if isinstance(err, httpx.TooManyRedirects):
        return FetchError(url, "too many redirects", "Check the URL in a browser")
    return FetchError(url, f"cannot fetch: {err}", "Check the URL and your network connection")


def fetch_url(url: str, *, settings: Settings, client: httpx.Client | None = None) -> Article:
    """Download one article: HTML, plain text or a JSON record.

    Follows redirects, sends ``User-Agent: rashomon/<version>``, gives up when the whole download
    takes longer than ``settings.fetch_timeout_s`` and refuses bodies over
    ``settings.fetch_max_bytes``.

    Raises:
        FetchError: network failure, timeout, non-2xx status, oversize or unsupported content.
        InputError: the content holds no article.
    """
    response = download(url, settings=settings, client=client)
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
        parsed = list(_parse_records(_records_of_json(text, url), where=url, settings=settings))
        errors = [item for item in parsed if isinstance(item, InputError)]
        articles = [item for item in parsed if not isinstance(item, InputError)]
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
