"""Frozen records of the rashomon data model.

Every record that comes from a text keeps ``start``/``end`` character offsets into its
article's kept ``text``, so each line of a report points back to the exact source span.
Collections inside records are tuples; stages return new records instead of editing old ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["equivalent", "partial", "related"]
# the relations that make two sentences report one fact (``related`` only shares a topic)
SAME_FACT: frozenset[Relation] = frozenset(("equivalent", "partial"))
FactStatus = Literal["shared", "single"]
ConflictKind = Literal["date", "number", "attribution"]
SummaryStatus = Literal["shared", "contested", "single"]
DiffKind = Literal["replace", "insert", "delete"]
QuoteKind = Literal["direct", "reported"]
SourceKind = Literal["agency", "outlet", "official", "document"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Boilerplate:
    """A piece of site furniture removed from an article's text, kept so nothing is lost."""

    text: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Sentence:
    """One sentence of an article; ``text == article.text[start:end]``."""

    id: str
    index: int
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Article:
    """One news article as ingested: metadata, the kept body text and what was removed."""

    id: str
    text: str
    outlet: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date (YYYY-MM-DD) or date-time
    source: str | None = None  # path or URL it was read from
    url: str | None = None
    author: str | None = None
    boilerplate: tuple[Boilerplate, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    # what reading it noticed and a reader should know, naming file and record ("its
    # 'maintext' is null: the description is used as the text")
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Difference:
    """A token-level wording difference between two aligned sentences.

    ``source``/``target`` hold the words as written; spans are offsets into each sentence's text.
    """

    kind: DiffKind
    source: str
    target: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Alignment:
    """A link between two sentences of different articles that report the same fact.

    ``differences`` are given when the two wordings are close enough for a word diff to mean
    something (at least 40% of the words shared in order); otherwise they are empty.
    """

    source: str  # sentence id
    target: str  # sentence id
    relation: Relation
    score: float
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact:
    """A group of linked sentences across articles that report one fact."""

    id: str
    sentences: tuple[str, ...]
    outlets: tuple[str, ...]
    status: FactStatus


@dataclass(frozen=True, slots=True, kw_only=True)
class ConflictValue:
    """One side of a conflict: the value as written in one sentence, and its span there."""

    sentence: str
    text: str
    start: int  # offsets into the article text
    end: int
    normalized: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Conflict:
    kind: ConflictKind
    sentences: tuple[str, ...]
    values: tuple[ConflictValue, ...]
    note: str
    fact: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySentence:
    text: str
    sentence: str  # the sentence id whose wording was chosen
    support: tuple[str, ...]  # every sentence id that reports this fact
    outlets: tuple[str, ...]
    status: SummaryStatus
    fact: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Speaker:
    name: str | None  # canonical name; None when the text never names the speaker
    entity: str | None  # entity id
    mention: str | None  # the words at the attribution


@dataclass(frozen=True, slots=True, kw_only=True)
class Quote:
    id: str
    article: str
    kind: QuoteKind
    text: str
    sentence: str
    start: int
    end: int
    cue: str | None
    speaker: Speaker
    # the words that deny or negate the statement ("denied", "isn't saying", "did not say");
    # None when the speaker asserts it. Negated content is never the speaker's claim.
    negation: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteVariant:
    """The same statement as worded in two articles (quote ids), with its word differences."""

    source: str
    target: str
    score: float
    same_speaker: bool | None  # None when either outlet names no speaker
    differences: tuple[Difference, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    article: str
    sentence: str
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Entity:
    id: str
    name: str
    label: str
    variants: tuple[str, ...]
    mentions: tuple[Mention, ...]
    labels_by_outlet: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceCited:
    article: str
    name: str
    kind: SourceKind
    sentences: tuple[str, ...]
    wire_copy: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """The result of comparing the articles of one story (``rashomon/comparison@1``)."""

    articles: tuple[Article, ...]
    alignments: tuple[Alignment, ...] = ()
    facts: tuple[Fact, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    summary: tuple[SummarySentence, ...] = ()
    quotes: tuple[Quote, ...] = ()
    entities: tuple[Entity, ...] = ()
    sources_cited: tuple[SourceCited, ...] = ()
    quote_variants: tuple[QuoteVariant, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def sentence(self, sentence_id: str) -> Sentence:
        """Return the sentence with this id (``<article>:s<n>``)."""
        article_id, _, _ = sentence_id.rpartition(":")
        for article in self.articles:
            if article.id == article_id:
                for sent in article.sentences:
                    if sent.id == sentence_id:
                        return sent
        raise KeyError(sentence_id)

    def article_of(self, sentence_id: str) -> Article:
        article_id, _, _ = sentence_id.rpartition(":")
        for article in self.articles:
            if article.id == article_id:
                return article
        raise KeyError(sentence_id)

    def to_dict(self) -> dict[str, object]:
        from rashomon.schema import to_dict

        return to_dict(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        from rashomon.schema import to_json

        return to_json(self, indent=indent)


def iso_day(value: str | None) -> dt.date | None:
    """The calendar day of an ISO 8601 date or date-time; None when absent or unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
