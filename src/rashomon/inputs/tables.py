"""Files of many records: JSON arrays, JSONL, CSV/TSV and Parquet, with column maps
(``--map text=body``). A bad record comes back as an ``InputError`` beside the good ones.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.inputs.decode import _read_bytes, decode_bytes
from rashomon.inputs.records import (
    AUTHOR_FIELDS,
    DATE_FIELDS,
    FALLBACK_TEXT_FIELD,
    OUTLET_FIELDS,
    TEXT_FIELDS,
    parse_record,
)
from rashomon.models import Article
from rashomon.settings import Settings

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


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
    return parse_record(fields, source=where, line=line, label=label, day_first=settings.day_first)


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
        except Exception as err:  # one bad record never sinks the rest
            log.debug("%s: %s failed", where, label, exc_info=True)
            yield InputError.unexpected(err, where, line=line, what=label)


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
        raise InputError.file_not_found(where) from err
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
