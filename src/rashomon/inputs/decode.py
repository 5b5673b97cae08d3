"""Bytes -> text: BOMs, UTF-16 without a BOM, UTF-8, Windows-1252, declared charsets; and
reading a file's bytes with a clear error.
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import charset_normalizer

from rashomon.errors import InputError

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


_BINARY_FIX = "Give a text, HTML or JSON file (save documents such as PDF or Word as .txt first)"


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


def _script(ch: str) -> str:
    """A coarse script name: the first word of the character's Unicode name (CJK, LATIN,
    HANGUL, CYRILLIC...); kana count as CJK, since Japanese mixes them with ideographs."""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    return "CJK" if first in ("HIRAGANA", "KATAKANA", "IDEOGRAPHIC") else first


def _utf16_of_one_script(data: bytes) -> str | None:
    """BOM-less UTF-16 whose NULs are too few to show the byte order: text in a script beyond
    Latin (Chinese, Japanese, Korean, Cyrillic...) with some ASCII (spaces, digits, newlines).

    Kept when one byte order decodes to text: no control, unassigned or private-use
    characters, and nearly every non-ASCII letter in one script. Binary data, or text read in
    the wrong byte order, scatters over many scripts and the control characters.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if any(
            unicodedata.category(ch) in ("Cn", "Co", "Cs") or (ch < " " and ch not in "\t\n\r\f")
            for ch in text
        ):
            continue
        letters = [ch for ch in text if ch.isalpha() and not ch.isascii()]
        if len(letters) < 0.3 * len(text):
            continue
        scripts = Counter(_script(ch) for ch in letters)
        share = scripts.most_common(1)[0][1] / len(letters)
        if share >= 0.95 and (best is None or share > best[0]):
            best = (share, text)
    return None if best is None else best[1]


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
            return _utf16_of_one_script(data)
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
        raise InputError.file_not_found(where) from err
    except PermissionError as err:
        raise InputError(
            where, "permission denied", "Make the file readable, e.g. chmod +r"
        ) from err
    except OSError as err:
        raise InputError(where, f"cannot read file: {err.strerror or err}") from err


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.IGNORECASE)


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
