"""Aligned facts -> typed conflicts: numbers and dates that disagree for the same fact."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from rashomon.analyze.quantities import (
    TIME_UNITS,
    DateMention,
    Quantity,
    dateline_end,
    find_dates,
    find_durations,
    find_quantities,
)
from rashomon.inputs.dates import weekday_line
from rashomon.lexicon import DATELINE
from rashomon.models import (
    SAME_FACT,
    Alignment,
    Article,
    Conflict,
    ConflictValue,
    Fact,
    Sentence,
    iso_day,
)
from rashomon.nlp import ParsedText, Token
from rashomon.text import fold, is_content, tokens_in

DateFrame = tuple[str, frozenset[str]]  # the verb a date hangs on, the people in its clause
_NO_FRAME: DateFrame = ("", frozenset())
_MANY_SHARED = 4  # shared clause words that tell one happening whatever its verbs


@dataclass(frozen=True, slots=True, kw_only=True)
class SentenceFacts:
    sentence: Sentence
    outlet: str
    quantities: tuple[Quantity, ...]
    dates: tuple[DateMention, ...]
    date_contexts: tuple[frozenset[str], ...] = ()  # per date: lemmas of the clause it dates
    date_frames: tuple[DateFrame, ...] = ()  # per date: see _date_facts
    # per quantity: what happened to what it counts (lemmas and event classes, see figure_context)
    contexts: tuple[frozenset[str], ...] = ()
    lists: tuple[tuple[int, ...], ...] = ()  # coordinated figures ("7.6 and 7.4"), by index
    scopes: tuple[frozenset[str], ...] = ()  # per quantity: where and whose (figure_scope)

    def context(self, n: int) -> frozenset[str]:
        return self.contexts[n] if n < len(self.contexts) else frozenset()

    def scope(self, n: int) -> frozenset[str]:
        return self.scopes[n] if n < len(self.scopes) else frozenset()


_DATE_ENTS = {"DATE", "TIME"}


def read_sentence_facts(
    articles: Sequence[Article], parsed: Sequence[ParsedText]
) -> dict[str, SentenceFacts]:
    """Quantities, durations and dates of every sentence, keyed by sentence id."""
    out: dict[str, SentenceFacts] = {}
    for article, doc in zip(articles, parsed, strict=True):
        day = iso_day(article.date)
        weekday = dateline_weekday(article) if day is None else None
        for sent in article.sentences:
            after_dateline = sent.start + dateline_end(sent.text)
            found = find_dates(article.text, sent.start, sent.end, day, article_weekday=weekday)
            dates = merge_adjacent_dates(article.text, [d for d in found if d.end > after_dateline])
            tokens = tokens_in(doc, sent.start, sent.end)
            date_facts = [_date_facts(tokens, d.start) for d in dates]
            quantities = _figures(doc, tokens, sent.start, sent.end)
            out[sent.id] = SentenceFacts(
                sentence=sent,
                outlet=article.outlet,
                quantities=quantities,
                dates=dates,
                date_contexts=tuple(c for c, _ in date_facts),
                date_frames=tuple(f for _, f in date_facts),
                contexts=tuple(figure_context(tokens, q) for q in quantities),
                scopes=tuple(figure_scope(tokens, q) for q in quantities),
                lists=_coordinated(tokens, quantities),
            )
    return out


def dateline_weekday(article: Article) -> int | None:
    """The weekday of writing an undated article's dateline gives ("MONDAY —", kept in its
    boilerplate when the text was read), or None."""
    for piece in article.boilerplate:
        if piece.reason == DATELINE:
            weekday = weekday_line(piece.text)
            if weekday is not None:
                return weekday
    return None


def merge_adjacent_dates(text: str, dates: Sequence[DateMention]) -> tuple[DateMention, ...]:
    """One mention for a weekday and a date written together ("Thursday, March 13"), when
    they agree, so a sentence that gives one day in two ways still gives one day."""
    merged: list[DateMention] = []
    for d in dates:
        prev = merged[-1] if merged else None
        if prev is not None and text[prev.end : d.start].strip(" ,") == "" and _agree(prev, d):
            merged[-1] = DateMention(
                text=text[prev.start : d.end],
                start=prev.start,
                end=d.end,
                day=prev.day or d.day,
                weekday=prev.weekday if prev.weekday is not None else d.weekday,
            )
        else:
            merged.append(d)
    return tuple(merged)


def _agree(x: DateMention, y: DateMention) -> bool:
    if x.day is not None and y.day is not None:
        return x.day == y.day
    return x.weekday is None or y.weekday is None or x.weekday == y.weekday


# "the final two games", "the first three victims": a selection, not a total to compare.
_SELECTION_WORDS = frozenset({"last", "final", "first", "next", "past", "previous", "top"})


def _figures(doc: ParsedText, words: Sequence[Token], start: int, end: int) -> tuple[Quantity, ...]:
    """Counts and durations of a sentence in text order (a span read as both counts once),
    without selections."""
    counts = find_quantities(doc, start, end)
    durations = [
        d
        for d in find_durations(doc, start, end)
        if not any(c.start < d.end and d.start < c.end for c in counts)
    ]
    return tuple(
        q
        for q in sorted([*counts, *durations], key=lambda q: q.start)
        if not _after_selection_word(words, q)
    )


def _after_selection_word(words: Sequence[Token], q: Quantity) -> bool:
    before = [t for t in words if t.end <= q.start]
    return bool(before) and fold(before[-1].text) in _SELECTION_WORDS


def _number_token(tokens: Sequence[Token], q: Quantity) -> Token | None:
    """The last token of a figure's number ("40" of "about 40")."""
    return next((t for t in reversed(tokens) if q.start <= t.start < q.end), None)


# Lemmas that name the same kind of happening to what a figure counts, so "five firefighters
# were hurt" and "three firefighters were injured" give two figures for one thing.
EVENT_CLASSES: dict[str, str] = {
    word: name
    for name, words in {
        "death": "kill die dead death perish fatality slay drown",
        "injury": "injure hurt wound injury injured wounded hospitalize hospitalise",
        "damage": "destroy damage gut burn consume affect raze level flatten ruin",
        "evacuation": "evacuate flee displace evacuee",
        "arrest": "arrest detain",
        "rescue": "rescue save",
        "deployment": "deploy dispatch send",
    }.items()
    for word in words.split()
}
# Verbs that tell who reported a figure, not what happened.
_REPORTING_VERBS = frozenset({"say", "tell", "report", "add", "accord", "announce", "confirm"})
# A figure of "there were" or "has" states how things are, which is no event: "has 2,302
# points" is not "finished with 20 points".
_STATIVE_VERBS = frozenset({"be", "have"})
_STATE = "(state)"
_COMPLEMENTS = frozenset({"acomp", "oprd", "xcomp", "ccomp"})
_PARTICIPLES = frozenset({"acl", "amod"})


def figure_context(tokens: Sequence[Token], q: Quantity) -> frozenset[str]:
    """What happened to what a figure counts.

    The content words from the number up to its verb ("were killed", "a 2-1/2 year
    sentence"), the adjectives that verb takes ("left dead"), participles of the counted noun
    ("people injured") and their event classes. A coordinated word is a sibling, not a
    governor, so "404 yards and two touchdowns" gives the touchdowns no yards. An age is about
    the one it describes ("36-year-old Duncan Rait"). Empty when nothing tells.
    """
    by_index = {t.i: t for t in tokens}
    tok = _number_token(tokens, q)
    if q.unit == "age":
        return _described(tokens, by_index, tok)
    lemmas: set[str] = set()
    if tok is not None:  # "dozens of people injured", "two injured firefighters"
        for noun in tokens:
            if noun.i == tok.i or (tok.i < noun.i <= tok.i + 4 and fold(noun.lemma) == q.unit):
                lemmas.update(_children(tokens, noun, {"VERB", "ADJ"}, _PARTICIPLES))
    steps = 0
    while tok is not None and tok.head != tok.i and tok.head in by_index and steps < 8:
        sibling = tok.dep == "conj"
        tok = by_index[tok.head]
        steps += 1
        lemma = fold(tok.lemma)
        if tok.pos in {"VERB", "AUX"}:
            if lemma in _STATIVE_VERBS:
                lemmas.add(_STATE)
            elif lemma not in _REPORTING_VERBS:
                lemmas.add(lemma)
            lemmas.update(_children(tokens, tok, {"ADJ"}, _COMPLEMENTS))
            break
        if tok.pos in {"NOUN", "ADJ"} and not sibling and lemma != q.unit:
            lemmas.add(lemma)
            lemmas.update(_children(tokens, tok, {"VERB", "ADJ"}, _PARTICIPLES))
    return frozenset(lemmas | {EVENT_CLASSES[w] for w in lemmas if w in EVENT_CLASSES})


_SCOPE_KINDS = {
    "GPE": "place", "LOC": "place", "FAC": "place", "ORG": "organization", "PERSON": "person",
    "DATE": "time",
}  # fmt: skip
_YEAR = re.compile(r"(?:1[89]|20)\d\d")
# A name under these words says who gave the figure, not what it is about.
_SOURCE_LEMMAS = frozenset({"accord", "say", "tell", "report", "cite"})


def figure_scope(tokens: Sequence[Token], q: Quantity) -> frozenset[str]:
    """Where, when and whose a figure is: names and dates hanging on the words from its number
    up to its verb ("killed 168,000 people in Aceh province", "the $19 billion purchase of
    Compaq", "the final four games of the 2007 season"). Not its source ("according to the
    UN"), nor what a clause below says ("hurt when fire swept through it on Friday")."""
    by_index = {t.i: t for t in tokens}
    path: set[int] = set()
    tok = _number_token(tokens, q)
    while tok is not None:
        path.add(tok.i)
        if tok.pos in {"VERB", "AUX"} or tok.head == tok.i or tok.head not in by_index:
            break
        tok = by_index[tok.head]
    names = set()
    for t in tokens:
        if t.ent_type not in _SCOPE_KINDS or t.i in path or t.is_stop or t.is_punct:
            continue
        if (
            t.ent_type == "DATE"
            and not _YEAR.fullmatch(t.text)
            and (t.like_num or fold(t.lemma) in TIME_UNITS)
        ):
            continue  # a length of time ("9 months") is a figure, not a scope
        kind = _SCOPE_KINDS[t.ent_type]
        up, steps, aside = t, 0, False
        while up.i not in path and up.head != up.i and up.head in by_index and steps < 6:
            # a place in the subject tells where the doer was ("the quake near Dargahan")
            aside = aside or (kind == "place" and up.dep in {"nsubj", "nsubjpass"})
            up, steps = by_index[up.head], steps + 1
            if up.i not in path:
                aside = aside or up.pos in {"VERB", "AUX"} or fold(up.lemma) in _SOURCE_LEMMAS
        if up.i in path and not aside:
            names.add(f"{kind}:{fold(t.text)}")
    return frozenset(names)


def _other_scope(x: frozenset[str], y: frozenset[str]) -> bool:
    """Whether two scopes differ in some kind both name: places, organizations, people or
    times, neither within the other ("Manokwari" is within "Manokwari, Indonesia")."""
    for kind in set(_SCOPE_KINDS.values()):
        kx = {w for w in x if w.startswith(kind + ":")}
        ky = {w for w in y if w.startswith(kind + ":")}
        if kx and ky and not (kx <= ky or ky <= kx):
            return True
    return False


def _children(
    tokens: Sequence[Token], head: Token, pos: set[str], deps: frozenset[str]
) -> set[str]:
    return {fold(t.lemma) for t in tokens if t.head == head.i and t.pos in pos and t.dep in deps}


def _described(
    tokens: Sequence[Token], by_index: Mapping[int, Token], tok: Token | None
) -> frozenset[str]:
    """The words naming whom an age describes: "36-year-old Duncan Rait" gives duncan, rait."""
    steps = 0
    while tok is not None and tok.head != tok.i and tok.head in by_index and steps < 4:
        tok = by_index[tok.head]
        steps += 1
        if tok.pos in {"NOUN", "PROPN"} and fold(tok.lemma) not in TIME_UNITS:
            names = {fold(tok.text)}
            names.update(
                fold(t.text) for t in tokens if t.head == tok.i and t.dep in {"compound", "flat"}
            )
            return frozenset(names)
    return frozenset()


def _coordinated(
    tokens: Sequence[Token], quantities: Sequence[Quantity]
) -> tuple[tuple[int, ...], ...]:
    """Groups of two or more figures joined by "and"/"or" ("7.6 and 7.4"), by index."""
    by_index = {t.i: t for t in tokens}
    figure_at: dict[int, int] = {}
    for n, q in enumerate(quantities):
        tok = _number_token(tokens, q)
        if tok is not None:
            figure_at[tok.i] = n
    groups: dict[int, list[int]] = {}
    for i, n in figure_at.items():
        tok = by_index[i]
        while tok.dep == "conj" and tok.head in figure_at and tok.head != tok.i:
            tok = by_index[tok.head]
        groups.setdefault(tok.i, []).append(n)
    return tuple(tuple(sorted(g)) for g in groups.values() if len(g) >= 2)


def _dated_verb(tokens: Sequence[Token], start: int) -> Token | None:
    """The verb a date expression hangs on (what happened that day)."""
    by_index = {t.i: t for t in tokens}
    verb = next((t for t in tokens if t.start <= start < t.end), None)
    while (
        verb is not None
        and verb.pos not in {"VERB", "AUX"}
        and verb.head != verb.i
        and verb.head in by_index
    ):
        verb = by_index[verb.head]
    return verb


def _under(tokens: Sequence[Token], verb: Token) -> list[Token]:
    """The tokens of the clause a verb heads."""
    by_index = {t.i: t for t in tokens}

    def is_under(t: Token) -> bool:
        seen = 0
        while t.i != verb.i and t.head != t.i and t.head in by_index and seen < 50:
            t = by_index[t.head]
            seen += 1
        return t.i == verb.i

    return [t for t in tokens if is_under(t)]


def _date_facts(tokens: Sequence[Token], start: int) -> tuple[frozenset[str], DateFrame]:
    """What a date expression tells, from the clause it belongs to (found once): the content
    lemmas of that clause (what happened that day), and its frame, the lemma of the verb the
    date hangs on and the words of the people in the clause."""
    verb = _dated_verb(tokens, start)
    if verb is None:
        return frozenset(), ("", frozenset())
    clause = _under(tokens, verb)
    lemmas = frozenset(
        fold(t.lemma) for t in clause if is_content(t) and t.ent_type not in _DATE_ENTS
    )
    people = frozenset(fold(t.text) for t in clause if t.ent_type == "PERSON")
    return lemmas, (fold(verb.lemma), people)


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


Clash = tuple[str, int, int]  # the counted noun, a figure of one sentence, one of the other


def _number_clashes(a: SentenceFacts, b: SentenceFacts) -> list[Clash]:
    """Figures of the same kind that disagree.

    Figures are paired only when both sentences give the same number of them for that noun,
    in order; with one sentence giving more, which figure answers which is a guess.
    """
    clashes: list[Clash] = []
    done: set[str] = set()
    for x in a.quantities:
        if x.unit in done or not x.unit:
            continue
        done.add(x.unit)
        mine = [n for n, q in enumerate(a.quantities) if _same_unit(x.unit, q.unit)]
        theirs = [n for n, q in enumerate(b.quantities) if _same_unit(x.unit, q.unit)]
        if len(mine) != len(theirs):
            continue
        clashes.extend(
            (x.unit, m, t) for m, t in zip(mine, theirs, strict=True) if _disagree(a, m, b, t)
        )
    return clashes


def _disagree(a: SentenceFacts, m: int, b: SentenceFacts, t: int) -> bool:
    """Whether two figures for one noun disagree about one thing.

    Not when they count different happenings ("killing seven people" against "five people
    were treated"), the ages of different people or figures for different places or
    organizations, nor when one is the other rounded ("$13 billion" for "$13.2 billion") or a
    sentence also gives the other's value without its noun ("20 points, and now has 2,302 for
    his career").
    """
    p, q = a.quantities[m], b.quantities[t]
    if p.compatible(q):
        return False
    cp, cq = a.context(m), b.context(t)
    if ((cp and cq) or p.unit == "age") and not cp & cq:
        return False
    if _other_scope(a.scope(m), b.scope(t)):
        return False  # deaths in four countries against those in one; two purchases
    return not (_rounded(p, q) or _states_value(a, q) or _states_value(b, p))


_ROUND_FIGURE = re.compile(r"(\d+)(?:\.(\d+))?\s*(?:million|billion|trillion|mn|bn|tn|m\.?|k)$")


def _rounded(p: Quantity, q: Quantity) -> bool:
    """Whether one amount is the other rounded: "$13 billion" for "$13.2 billion"."""
    steps = []
    for x in (p, q):
        match = _ROUND_FIGURE.search(fold(x.text))
        if match is None or not x.exact:
            return False
        decimals = match.group(2) or ""
        mantissa = float(f"{match.group(1)}.{decimals}" if decimals else match.group(1))
        if mantissa == 0:
            return False
        # one unit of the last digit written, in the amount's own terms
        steps.append(x.low / mantissa * 10.0 ** -len(decimals))
    return abs(p.low - q.low) < 0.5 * max(steps)


def _states_value(side: SentenceFacts, q: Quantity) -> bool:
    return q.exact and any(not r.unit and r.exact and r.low == q.low for r in side.quantities)


def _list_clashes(a: SentenceFacts, b: SentenceFacts) -> list[Clash]:
    """Coordinated figures that agree in one place and disagree in another ("measuring 7.6
    and 7.4" against "7.6 and 7.5 magnitude quakes"): the shared figure shows both lists
    give the same things, so a figure without its noun is compared too."""
    clashes: list[Clash] = []
    for mine in a.lists:
        for theirs in b.lists:
            if len(mine) != len(theirs):
                continue
            pairs = list(zip(mine, theirs, strict=True))
            units = {a.quantities[m].unit for m in mine} | {b.quantities[t].unit for t in theirs}
            units.discard("")
            if len({_unit_key(u) for u in units}) > 1:
                continue
            agree = any(
                a.quantities[m].exact
                and b.quantities[t].exact
                and a.quantities[m].low == b.quantities[t].low
                for m, t in pairs
            )
            if agree:
                unit = min(units, default="")
                clashes.extend(
                    (unit, m, t)
                    for m, t in pairs
                    if not a.quantities[m].compatible(b.quantities[t])
                )
    return clashes


Figure = tuple[SentenceFacts, int]  # a sentence and the index of one of its quantities


def _article_of(side: SentenceFacts) -> str:
    return side.sentence.id.rpartition(":")[0]


def _repeats(
    unit: str, group: Mapping[tuple[str, int], Figure], sentence_facts: Mapping[str, SentenceFacts]
) -> list[Figure]:
    """Other sentences that give one side's figure again for the same happening: later in
    the same article ("five people were killed" in the lead, "at least five people were
    killed" further down) or in a third outlet ("three firefighters were injured").

    Such a figure agrees with every figure of its own article in the conflict, disagrees with
    at least one other, and counts the same happening as all of them.
    """
    members = list(group.values())
    found: list[Figure] = []
    for side in sentence_facts.values():
        for n, r in enumerate(side.quantities):
            if (side.sentence.id, n) in group or not _same_unit(unit, r.unit):
                continue
            context = side.context(n)
            if not all(context & s.context(k) for s, k in members):
                continue
            agree = [(s, k) for s, k in members if r.compatible(s.quantities[k])]
            own = [(s, k) for s, k in members if _article_of(s) == _article_of(side)]
            if agree and len(agree) < len(members) and all(m in agree for m in own):
                found.append((side, n))
    return found


def _same_happening(cx: frozenset[str], cy: frozenset[str], fx: DateFrame, fy: DateFrame) -> bool:
    """Whether two dated clauses tell one happening.

    They must share words; each verb must also be found in the other clause ("placed on
    injured reserve on Wednesday" is not "sprained his knee on Thursday"), unless the clauses
    share most of their words, and several (a blaze "swept" or "tore" through the same
    warehouse at the same terminal). Clauses
    about different people ("placed Pierre Thomas", "placed Chris Ivory") are two happenings.
    """
    overlap = len(cx & cy) / min(len(cx), len(cy))
    if overlap < 0.25:
        return False
    (vx, px), (vy, py) = fx, fy
    if px and py and not px & py:
        return False
    if overlap >= 0.6 and len(cx & cy) >= _MANY_SHARED:
        return True
    return not vx or not vy or (_found(vx, cy) and _found(vy, cx))


def _found(verb: str, clause: frozenset[str]) -> bool:
    kind = EVENT_CLASSES.get(verb)
    return verb in clause or (
        kind is not None and any(EVENT_CLASSES.get(w) == kind for w in clause)
    )


def _date_clash(a: SentenceFacts, b: SentenceFacts) -> tuple[DateMention, DateMention] | None:
    """Two days given for the same happening: one date each, in clauses that tell it."""
    if len(a.dates) != 1 or len(b.dates) != 1:
        return None
    x, y = a.dates[0], b.dates[0]
    cx, cy = a.date_contexts[0], b.date_contexts[0]
    fx = a.date_frames[0] if a.date_frames else _NO_FRAME
    fy = b.date_frames[0] if b.date_frames else _NO_FRAME
    # a date with no clause around it ("Sun, 15 Sep 2013") stamps the page, no happening
    if not cx or not cy or not _same_happening(cx, cy, fx, fy):
        return None
    if _same_weekday_words(x, y):
        # "on Saturday" in both: the texts agree; different days come from the articles'
        # dates (a page stamped when it was last updated), not from what they report
        return None
    if x.day is not None and y.day is not None:
        return (x, y) if x.day != y.day else None
    # a day of one weekday is never a day of another, whether or not its date is known
    if x.weekday is not None and y.weekday is not None:
        return (x, y) if x.weekday != y.weekday else None
    return None


_DIGIT = re.compile(r"\d")


def _same_weekday_words(x: DateMention, y: DateMention) -> bool:
    """Both mentions name a day by the same weekday only, no calendar date written."""
    return (
        x.weekday is not None
        and x.weekday == y.weekday
        and not _DIGIT.search(x.text)
        and not _DIGIT.search(y.text)
    )


def find_conflicts(
    facts: Sequence[Fact],
    alignments: Sequence[Alignment],
    sentence_facts: Mapping[str, SentenceFacts],
) -> list[Conflict]:
    """One conflict per fact and disagreement (a counted noun, or the date of the event).

    Figures are compared across linked sentences; a conflict then takes in the other
    sentences of its articles that repeat one side's figure for the same happening.
    """
    fact_of = {sid: fact.id for fact in facts for sid in fact.sentences}
    figures: dict[tuple[str, str], dict[tuple[str, int], Figure]] = {}
    groups: dict[tuple[str, str, str], dict[tuple[str, int], ConflictValue]] = {}
    for link in alignments:
        if link.relation not in SAME_FACT:
            continue
        a, b = sentence_facts[link.source], sentence_facts[link.target]
        # a link may join two facts: take the fact of the end that comes first by content id,
        # not by the link's direction, which follows the order of the inputs
        fact = fact_of[min(link.source, link.target, key=_sentence_key)]
        for unit, m, t in [*_number_clashes(a, b), *_list_clashes(a, b)]:
            group = figures.setdefault((fact, unit), {})
            group[(a.sentence.id, m)] = (a, m)
            group[(b.sentence.id, t)] = (b, t)
        clash = _date_clash(a, b)
        if clash is not None:
            dates = groups.setdefault((fact, "date", ""), {})
            for side, d in zip((a, b), clash, strict=True):
                norm = d.day.isoformat() if d.day else None
                dates[(side.sentence.id, d.start)] = _value(side, d.text, d.start, d.end, norm)
    for (fact, unit), group in figures.items():
        values = groups.setdefault((fact, "number", unit), {})
        for side, n in [*group.values(), *_repeats(unit, group, sentence_facts)]:
            q = side.quantities[n]
            values[(side.sentence.id, q.start)] = _value(side, q.text, q.start, q.end, None)
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


def _sentence_key(sentence_id: str) -> tuple[str, int]:
    """``"<article id>:s<n>"`` -> (article id, n): an order that does not follow the inputs."""
    article, _, n = sentence_id.rpartition(":s")
    return article, int(n) if n.isdigit() else 0


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
        return (f"different figures for '{unit}': " if unit else "different figures: ") + (
            "; ".join(parts)
        )
    note = "different days for the same event: " + "; ".join(parts)
    days = sorted({dt.date.fromisoformat(v.normalized) for v in values if v.normalized})
    if len(days) == 2 and (days[1] - days[0]).days == 1:
        note += (
            ". The days are one apart: a time-zone difference, or an event that ran past "
            "midnight, may explain it"
        )
    return note
