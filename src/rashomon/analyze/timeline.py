"""Who reported a story first, and when each other outlet followed.

A story's articles arrive as ``(article id, outlet, date)`` rows, the date as written (an ISO
date or date-time, or None). The lag of every article is counted from the story's first report:

- in hours when every dated article carries a time and all of them agree on having a time zone
  (or all lack one), so the instants can be compared;
- otherwise in whole calendar days of the dates as written (a date without a time cannot be
  placed within its day).

Articles without a date, or with one that is not ISO 8601, are listed apart, never dropped.
Everything here is pure: the same rows always give the same timeline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Literal

from rashomon.models import Comparison

Precision = Literal["day", "time"]
Row = tuple[str, str, str | None]  # (article id, outlet, date as written)


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """One dated article on the timeline."""

    article: str
    outlet: str
    date: str  # as written
    at: datetime  # where it sits on the time axis: naive (UTC when the date had a zone)
    lag_days: float  # after the story's first report: whole days, or hours / 24 (2 decimals)
    lag_hours: float | None  # only when the story's precision is "time" (2 decimals)

    @property
    def is_first(self) -> bool:
        """Whether this is (one of) the story's first report(s)."""
        return self.lag_days == 0 and not self.lag_hours


@dataclass(frozen=True, slots=True, kw_only=True)
class Undated:
    article: str
    outlet: str
    date: str | None  # what was written, when it could not be read as a date


@dataclass(frozen=True, slots=True, kw_only=True)
class Timeline:
    """A story's reports in time order, and the first report of each outlet."""

    precision: Precision
    reports: tuple[Report, ...]  # every dated article, earliest first
    appearances: tuple[Report, ...]  # each outlet's first report, earliest first
    undated: tuple[Undated, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        """Outlets in the order they first reported; outlets with only undated articles last."""
        dated = [r.outlet for r in self.appearances]
        rest = sorted({u.outlet for u in self.undated} - set(dated))
        return (*dated, *rest)


FIRST_YEAR, LAST_YEAR = 1800, 2999  # outside: not a publication date


def parse_when(text: str | None) -> datetime | date | None:
    """An ISO 8601 date or date-time (``Z`` allowed), or None when there is none to read."""
    if not text or not text.strip():
        return None
    value = text.strip()
    when: datetime | date
    try:
        if len(value) == len("YYYY-MM-DD"):
            when = date.fromisoformat(value)
        else:
            when = datetime.fromisoformat(value)
    except ValueError:
        return None
    # Placeholder dates ("0001-01-01", a feed's zero time) are no publication date, and at
    # the ends of the calendar a time-zone shift overflows: both count as undated.
    return when if FIRST_YEAR <= when.year <= LAST_YEAR else None


def story_timeline(rows: Iterable[Row]) -> Timeline:
    """The timeline of a story's articles, given as ``(article id, outlet, date)`` rows."""
    parsed: list[tuple[str, str, str, datetime | date]] = []
    undated: list[Undated] = []
    for article, outlet, written in rows:
        when = parse_when(written)
        if when is None:
            undated.append(Undated(article=article, outlet=outlet, date=written or None))
        else:
            parsed.append((article, outlet, str(written).strip(), when))
    precision = _precision([when for *_, when in parsed])
    placed = sorted(
        (
            (_position(when, precision), outlet, article, written)
            for article, outlet, written, when in parsed
        )
    )
    reports = tuple(
        _report(article, outlet, written, at, placed[0][0], precision)
        for at, outlet, article, written in placed
    )
    firsts: dict[str, Report] = {}
    for report in reports:
        firsts.setdefault(report.outlet, report)
    return Timeline(
        precision=precision,
        reports=reports,
        appearances=tuple(firsts.values()),
        undated=tuple(sorted(undated, key=lambda u: (u.outlet, u.article))),
    )


def comparison_timeline(comparison: Comparison) -> Timeline:
    """The timeline of a compared story's articles."""
    return story_timeline((a.id, a.outlet, a.date) for a in comparison.articles)


def _precision(values: Sequence[datetime | date]) -> Precision:
    if not values or not all(isinstance(v, datetime) for v in values):
        return "day"
    zoned = {v.tzinfo is not None for v in values if isinstance(v, datetime)}
    return "time" if len(zoned) == 1 else "day"


def _position(when: datetime | date, precision: Precision) -> datetime:
    if precision == "day" or not isinstance(when, datetime):
        day = when.date() if isinstance(when, datetime) else when
        return datetime(day.year, day.month, day.day)
    if when.tzinfo is not None:
        return when.astimezone(UTC).replace(tzinfo=None)
    return when


def _report(
    article: str, outlet: str, written: str, at: datetime, start: datetime, precision: Precision
) -> Report:
    if precision == "day":
        return Report(
            article=article,
            outlet=outlet,
            date=written,
            at=at,
            lag_days=float((at - start).days),
            lag_hours=None,
        )
    seconds = (at - start).total_seconds()
    return Report(
        article=article,
        outlet=outlet,
        date=written,
        at=at,
        lag_days=round(seconds / 86_400, 2),
        lag_hours=round(seconds / 3_600, 2),
    )


def compact_timeline(timeline: Timeline) -> list[dict[str, object]]:
    """Each outlet's first report as a JSON-ready row, then outlets with only undated articles.

    Rows: ``{"outlet", "first", "lag_days", "lag_hours"}``; ``first`` is the date as written,
    ``lag_hours`` is None unless every date carries a time, and both lags are None for an
    outlet none of whose articles is dated.
    """
    rows: list[dict[str, object]] = [
        {"outlet": r.outlet, "first": r.date, "lag_days": r.lag_days, "lag_hours": r.lag_hours}
        for r in timeline.appearances
    ]
    seen = {r.outlet for r in timeline.appearances}
    for outlet in timeline.outlets:
        if outlet not in seen:
            rows.append({"outlet": outlet, "first": None, "lag_days": None, "lag_hours": None})
    return rows


def describe_timeline(timeline: Timeline) -> list[str]:
    """Plain sentences for readers: "X first on DATE", "Y followed 2 days later", ..."""
    if not timeline.appearances:
        return []
    first, *rest = timeline.appearances
    lines = [f"{first.outlet} first, on {first.date}"]
    for report in rest:
        if report.is_first:
            same = "the same day" if timeline.precision == "day" else "at the same time"
            lines.append(f"{report.outlet} {same}, on {report.date}")
        else:
            lines.append(f"{report.outlet} followed {_lag_words(report)} later, on {report.date}")
    undated = sorted(
        {u.outlet for u in timeline.undated} - {r.outlet for r in timeline.appearances}
    )
    if undated:
        lines.append(f"No date for: {', '.join(undated)}")
    return lines


def _lag_words(report: Report) -> str:
    if report.lag_hours is None or report.lag_hours >= 48:
        return _count(report.lag_days, "day")
    if report.lag_hours < 1:
        return _count(round(report.lag_hours * 60), "minute")
    return _count(report.lag_hours, "hour")


def _count(value: float, unit: str) -> str:
    number = f"{value:.1f}".removesuffix(".0")
    return f"{number} {unit}{'' if number == '1' else 's'}"
