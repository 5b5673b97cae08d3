"""``--outlet ID=NAME`` and ``--date ID=DATE``: metadata a user sets over what was read."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import PurePath
from typing import TYPE_CHECKING

from rashomon.errors import InputError
from rashomon.models import Article

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


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
