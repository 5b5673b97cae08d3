"""Aligned facts -> typed conflicts: numbers and dates that disagree for the same fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from rashomon.models import Alignment, Article, Conflict, ConflictValue, Fact, Sentence
from rashomon.nlp import ParsedText
from rashomon.quantities import DateMention, Quantity, find_dates, find_quantities


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceFacts:
    sentence: Sentence
    outlet: str
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]


def article_day(article: Article) -> dt.date | None:
    if not article.date:
        return None
    try:
        return dt.date.fromisoformat(article.date[:10])
    except ValueError:
        return None


def read_sentence_facts(
    articles: Sequence[Article], parsed: Sequence[ParsedText]
) -> dict[str, SentenceFacts]:
    """Quantities and dates of every sentence, keyed by sentence id."""
    out: dict[str, SentenceFacts] = {}
    for article, doc in zip(articles, parsed, strict=True):
        day = article_day(article)
        for sent in article.sentences:
            out[sent.id] = SentenceFacts(
                sentence=sent,
                outlet=article.outlet,
                quantities=tuple(find_quantities(doc, sent.start, sent.end)),
                dates=tuple(find_dates(article.text, sent.start, sent.end, day)),
            )
    return out


def _same_unit(a: str, b: str) -> bool:
    if not a or not b:
        return False
    return a == b or fuzz.ratio(a, b) >= 90


def _number_clashes(a: SentenceFacts, b: SentenceFacts) -> list[tuple[str, Quantity, Quantity]]:
    clashes: list[tuple[str, Quantity, Quantity]] = []
    for x in a.quantities:
        partners = [y for y in b.quantities if _same_unit(x.unit, y.unit)]
        if not partners or any(x.compatible(y) for y in partners):
            continue
        # a partner that agrees with another figure of the first sentence is accounted for
        for y in partners:
            if not any(_same_unit(y.unit, z.unit) and y.compatible(z) for z in a.quantities):
                clashes.append((x.unit, x, y))
                break
    return clashes


def _date_clash(a: SentenceFacts, b: SentenceFacts) -> tuple[DateMention, DateMention] | None:
    if len(a.dates) != 1 or len(b.dates) != 1:
        return None
    x, y = a.dates[0], b.dates[0]
    if x.day is not None and y.day is not None:
        return (x, y) if x.day != y.day else None
    if x.day is None and y.day is None and x.weekday is not None and y.weekday is not None:
        return (x, y) if x.weekday != y.weekday else None
    return None


def find_conflicts(
    facts: Sequence[Fact],
    alignments: Sequence[Alignment],
    sentence_facts: Mapping[str, SentenceFacts],
) -> list[Conflict]:
    """One conflict per fact and disagreement (a counted noun, or the date of the event)."""
    fact_of = {sid: fact.id for fact in facts for sid in fact.sentences}
    groups: dict[tuple[str, str, str], dict[tuple[str, int], ConflictValue]] = {}
    for link in alignments:
        if link.relation not in ("equivalent", "partial"):
            continue
        a, b = sentence_facts[link.source], sentence_facts[link.target]
        fact = fact_of[link.source]
        for unit, x, y in _number_clashes(a, b):
            group = groups.setdefault((fact, "number", unit), {})
            for side, q in ((a, x), (b, y)):
                group[(side.sentence.id, q.start)] = _value(side, q.text, q.start, q.end, None)
        clash = _date_clash(a, b)
        if clash is not None:
            group = groups.setdefault((fact, "date", ""), {})
            for side, d in zip((a, b), clash, strict=True):
                norm = d.day.isoformat() if d.day else None
                group[(side.sentence.id, d.start)] = _value(side, d.text, d.start, d.end, norm)
    conflicts = []
    for (fact, kind, unit), values in groups.items():
        ordered = tuple(sorted(values.values(), key=lambda v: (v.sentence, v.start)))
        conflicts.append(
            Conflict(
                kind="number" if kind == "number" else "date",
                sentences=tuple(dict.fromkeys(v.sentence for v in ordered)),
                values=ordered,
                note=_note(kind, unit, ordered, sentence_facts),
                fact=fact,
            )
        )
    return sorted(conflicts, key=lambda c: (int(c.fact[1:]) if c.fact else 0, c.kind))


def _value(side: SentenceFacts, text: str, start: int, end: int, norm: str | None) -> ConflictValue:
    return ConflictValue(
        sentence=side.sentence.id, text=text, start=start, end=end, normalized=norm
    )


def _note(
    kind: str,
    unit: str,
    values: Sequence[ConflictValue],
    sentence_facts: Mapping[str, SentenceFacts],
) -> str:
    parts = [
        f"{sentence_facts[v.sentence].outlet}: {v.text}"
        + (f" ({v.normalized})" if v.normalized and v.normalized != v.text else "")
        for v in values
    ]
    if kind == "number":
        return f"different figures for '{unit}': " + "; ".join(parts)
    note = "different days for the same event: " + "; ".join(parts)
    days = sorted({dt.date.fromisoformat(v.normalized) for v in values if v.normalized})
    if len(days) == 2 and (days[1] - days[0]).days == 1:
        note += (
            ". The days are one apart: a time-zone difference, or an event that ran past "
            "midnight, may explain it"
        )
    return note
