"""Aligned facts -> typed conflicts: numbers and dates that disagree for the same fact."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from rashomon.features import fold, is_content, tokens_in
from rashomon.models import Alignment, Article, Conflict, ConflictValue, Fact, Sentence
from rashomon.nlp import ParsedText, Token
from rashomon.quantities import DateMention, Quantity, find_dates, find_quantities


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceFacts:
    sentence: Sentence
    outlet: str
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    date_contexts: tuple[frozenset[str], ...] = ()  # per date: lemmas of the clause it dates


_DATE_ENTS = {"DATE", "TIME"}


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
            dates = tuple(find_dates(article.text, sent.start, sent.end, day))
            tokens = tokens_in(doc, sent.start, sent.end)
            out[sent.id] = SentenceFacts(
                sentence=sent,
                outlet=article.outlet,
                quantities=tuple(find_quantities(doc, sent.start, sent.end)),
                dates=dates,
                date_contexts=tuple(_dated_clause(tokens, d.start) for d in dates),
            )
    return out


def _dated_clause(tokens: Sequence[Token], start: int) -> frozenset[str]:
    """Content lemmas of the clause a date expression belongs to (what happened that day)."""
    by_index = {t.i: t for t in tokens}
    at = next((t for t in tokens if t.start <= start < t.end), None)
    if at is None:
        return frozenset()
    verb = at
    while verb.pos not in {"VERB", "AUX"} and verb.head != verb.i and verb.head in by_index:
        verb = by_index[verb.head]

    def under(t: Token) -> bool:
        seen = 0
        while t.i != verb.i and t.head != t.i and t.head in by_index and seen < 50:
            t = by_index[t.head]
            seen += 1
        return t.i == verb.i

    return frozenset(
        fold(t.lemma) for t in tokens if is_content(t) and t.ent_type not in _DATE_ENTS and under(t)
    )


_UNIT_ALIASES = {"people": "person", "persons": "person"}


def _unit_key(unit: str) -> str:
    """The counted noun without a hyphenated prefix ("co-worker" counts workers)."""
    last = unit.rsplit("-", 1)[-1]
    return _UNIT_ALIASES.get(last, last)


def _same_unit(a: str, b: str) -> bool:
    if not a or not b:
        return False
    a, b = _unit_key(a), _unit_key(b)
    return a == b or fuzz.ratio(a, b) >= 90


def _number_clashes(a: SentenceFacts, b: SentenceFacts) -> list[tuple[str, Quantity, Quantity]]:
    """Figures of the same kind that disagree.

    Figures are paired only when both sentences give the same number of them for that noun,
    in order; with one sentence giving more, which figure answers which is a guess.
    """
    clashes: list[tuple[str, Quantity, Quantity]] = []
    done: set[str] = set()
    for x in a.quantities:
        if x.unit in done or not x.unit:
            continue
        done.add(x.unit)
        mine = [q for q in a.quantities if _same_unit(x.unit, q.unit)]
        theirs = [q for q in b.quantities if _same_unit(x.unit, q.unit)]
        if len(mine) != len(theirs):
            continue
        clashes.extend(
            (x.unit, p, q) for p, q in zip(mine, theirs, strict=True) if not p.compatible(q)
        )
    return clashes


def _date_clash(a: SentenceFacts, b: SentenceFacts) -> tuple[DateMention, DateMention] | None:
    """Two days given for the same happening: one date each, in clauses that share words."""
    if len(a.dates) != 1 or len(b.dates) != 1:
        return None
    x, y = a.dates[0], b.dates[0]
    cx, cy = a.date_contexts[0], b.date_contexts[0]
    if cx and cy and len(cx & cy) / min(len(cx), len(cy)) < 0.25:
        return None
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
