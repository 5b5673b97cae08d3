"""The input edge: paths (files, folders, archives) and URLs -> Articles.

Everything that touches the disk or the network lives in this package's edge modules; the
parsing itself is pure (``text``, ``html``, ``records``). Bad inputs come back as ``InputError``
values next to the good articles, so one broken file or JSON line never sinks the rest of a run
and is never skipped silently.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.inputs.decode import _read_bytes, decode_bytes
from rashomon.inputs.fetch import fetch_url
from rashomon.inputs.html import parse_html
from rashomon.inputs.outlets import is_url
from rashomon.inputs.tables import (
    _iter_parquet,
    _iter_table,
    _parse_records,
    _records_of_json,
    _records_of_jsonl,
)
from rashomon.inputs.text import parse_text
from rashomon.inputs.warc import _iter_archive, is_archive
from rashomon.models import Article
from rashomon.settings import Settings

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ""})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
TABLE_SUFFIXES = frozenset({".csv", ".tsv"})
PARQUET_SUFFIXES = frozenset({".parquet"})
# the files read whole from their bytes (``iter_file_bytes``)
BYTES_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
SUPPORTED = (
    ".txt .text .md .markdown .html .htm .xhtml .json .jsonl .ndjson .csv .tsv .parquet"
    " .warc .warc.gz .arc .arc.gz, or no extension"
)


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
    except Exception as err:  # one broken file never sinks the run
        log.debug("%s: reading failed", path, exc_info=True)
        yield InputError.unexpected(err, str(path))


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
    if suffix not in BYTES_SUFFIXES:
        raise InputError(
            where, f"unsupported file type '{path.suffix}'", f"Use one of: {SUPPORTED}"
        )
    yield from iter_file_bytes(
        _read_bytes(path), where, suffix=suffix, settings=settings, column_map=column_map
    )


def iter_file_bytes(
    data: bytes,
    where: str,
    *,
    suffix: str,
    settings: Settings,
    column_map: Mapping[str, str] | None = None,
) -> Iterator[Article | InputError]:
    """The articles of one text, Markdown, HTML, JSON or JSON Lines file held in memory (a file
    read whole, an upload), by its suffix (one of ``BYTES_SUFFIXES``, lower case), and an
    InputError for each record that cannot be read.

    Raises:
        InputError: the file as a whole cannot be read (not text, broken JSON, no records).
    """
    column_map = column_map or {}
    text = decode_bytes(data, where)
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
