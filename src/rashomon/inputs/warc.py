"""WARC and ARC archives: every HTML response record -> Article; a cut-short archive is an
error naming the offset, not a silent end.
"""

from __future__ import annotations

import io
import logging
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.inputs.decode import _decode_declared
from rashomon.inputs.html import parse_html
from rashomon.inputs.tables import _fix_of
from rashomon.models import Article
from rashomon.settings import Settings

if TYPE_CHECKING:
    from warcio.recordloader import ArcWarcRecord

log = logging.getLogger(__name__)


ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")  # whole endings: ".warc.gz"


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
        raise InputError.file_not_found(where) from err
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
