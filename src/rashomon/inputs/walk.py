"""Folders -> the article files under them, and an error for every file that is not read.

A folder is read recursively, in sorted path order. Symlinked folders are followed, except a
link back to a folder that is being read already (a symlink loop); version-control folders
(``.git``, ``.hg``, ``.svn``) are not entered. Each file left out (an unsupported type, a
symlink loop, a broken link, a file that is not a regular file) comes back as an
``InputError`` naming it and why, so an ingest records it instead of skipping it silently.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from pathlib import Path

from rashomon.errors import InputError
from rashomon.inputs.files import (
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    PARQUET_SUFFIXES,
    SUPPORTED,
    TABLE_SUFFIXES,
    TEXT_SUFFIXES,
)
from rashomon.inputs.warc import is_archive

# Files of a folder that are read: a file named on its own may also have no extension.
FOLDER_SUFFIXES = (
    TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES | TABLE_SUFFIXES
) - {""} | PARQUET_SUFFIXES
VCS_FOLDERS = frozenset({".git", ".hg", ".svn"})


def is_article_file(path: Path) -> bool:
    """Whether a file found in a folder is read as articles (by its name)."""
    return path.suffix.lower() in FOLDER_SUFFIXES or is_archive(path)


def walk_folder(folder: Path) -> Iterator[Path | InputError]:
    """The article files under ``folder`` and an error for each file left out, sorted by path."""
    found: list[tuple[Path, InputError | None]] = []
    _walk(folder, found, chain=set())
    for path, error in sorted(found, key=lambda pair: pair[0]):
        yield path if error is None else error


def _walk(
    folder: Path, found: list[tuple[Path, InputError | None]], *, chain: set[tuple[int, int]]
) -> None:
    try:
        info = folder.stat()
        entries = list(os.scandir(folder))
    except OSError as err:
        found.append((folder, InputError(str(folder), f"cannot list folder: {err.strerror}")))
        return
    key = (info.st_dev, info.st_ino)
    chain = chain | {key}  # the folders being read, from the top one down to this one
    for entry in entries:
        path = Path(entry.path)
        problem = _problem(entry, path, chain)
        if problem == "":
            _walk(path, found, chain=chain)
        elif problem is not None:
            found.append((path, InputError(str(path), problem)))
        else:
            found.append((path, None))


def _problem(entry: os.DirEntry[str], path: Path, chain: set[tuple[int, int]]) -> str | None:
    """Why a folder entry is not read (None: read it as a file; "": walk it as a folder)."""
    try:
        info = entry.stat()  # follows a symlink
    except OSError as err:
        if err.errno == errno.ELOOP:
            return "skipped: symlink loop (the link points back to itself)"
        if entry.is_symlink():
            return "skipped: broken symlink (its target does not exist)"
        return f"skipped: cannot read ({err.strerror})"
    if entry.is_dir():
        if (info.st_dev, info.st_ino) in chain:
            return "skipped: symlink loop (the link points to a folder that holds it)"
        if entry.name in VCS_FOLDERS:
            return "skipped: version-control folder, not read"
        return ""
    if not entry.is_file():
        return "skipped: not a regular file"
    if is_article_file(path):
        return None
    kind = f"file type '{path.suffix}'" if path.suffix else "file without an extension"
    return f"skipped: unsupported {kind} (read: {SUPPORTED})"
