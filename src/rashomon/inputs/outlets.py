"""Content ids and outlet names: of a text, a URL, a file name."""

from __future__ import annotations

import hashlib
from pathlib import PurePath

UNKNOWN_OUTLET = "unknown"


def article_id(text: str) -> str:
    """Return the 12-hex content id of a text: blake2b of its whitespace-normalized form."""
    normalized = " ".join(text.split())
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=6).hexdigest()


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def outlet_from_url(url: str) -> str | None:
    """``https://news.daily-courier.example/x`` -> ``daily-courier.example``; None if no host
    or an address (``127.0.0.1``) that names no outlet."""
    from rashomon.inputs.meta import outlet_of_url

    return outlet_of_url(url)


def _outlet_from_source(source: str | None) -> str | None:
    if not source:
        return None
    if is_url(source):
        return outlet_from_url(source)
    stem = PurePath(source).stem
    return stem or None
