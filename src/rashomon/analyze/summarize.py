"""Facts -> a neutral, extractive summary where every sentence cites its support.

Facts reported by the most outlets come first, then the most central ones (their words are
the ones the other outlets use too); facts only one outlet reports fill the rest, two per
outlet at most, until the summary holds about a hundred words. Among a fact's variants the
wording with the fewest loaded or intensity words is chosen, then the most central one. The
chosen facts are put in story order (their mean relative position in the articles). A fact
with a conflict is marked contested, never silently settled.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from statistics import mean

from rashomon.analyze.quantities import dateline_end
from rashomon.analyze.wording import similarity
from rashomon.models import (
    SAME_FACT,
    Alignment,
    Article,
    Conflict,
    Fact,
    Sentence,
    SummarySentence,
)
from rashomon.text import is_headline, loadedness

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")

_CONTEXT_OPENERS = frozenset(
    [
        "it",
        "they",
        "he",
        "she",
        "this",
        "that",
        "these",
        "those",
        "but",
        "and",
        "however",
        "also",
        "his",
        "her",
        "their",
        "its",
        "so",
        "yet",
    ]
)


def needs_context(text: str) -> bool:
    """A sentence that leans on the one before it ("It comes as ...", "local time, ..."),
    or was cut off ("...")."""
    words = _WORD.findall(text)
    if not words:
        return True
    return (
        words[0].lower() in _CONTEXT_OPENERS
        or words[0].islower()  # the rest of a sentence cut short before it
        or text.rstrip().endswith(("...", "…"))
    )


def _positions(articles: Sequence[Article]) -> dict[str, tuple[Sentence, float, int]]:
    out: dict[str, tuple[Sentence, float, int]] = {}
    for a_index, article in enumerate(articles):
        count = max(len(article.sentences) - 1, 1)
        for sent in article.sentences:
            out[sent.id] = (sent, sent.index / count, a_index)
    return out


def centrality(
    articles: Sequence[Article], content: Mapping[str, frozenset[str]]
) -> dict[str, float]:
    """How much of each sentence the other articles also talk about.

    A sentence's content words each count the share of the other articles that use them;
    the sum is divided by the square root of the number of content words, so a long sentence
    full of shared words ranks above a short one and above a long one of words no other
    outlet uses. ``content`` maps a sentence id to its content lemmas.
    """
    vocab = [frozenset().union(*(content[s.id] for s in a.sentences)) for a in articles]
    out: dict[str, float] = {}
    for i, article in enumerate(articles):
        others = vocab[:i] + vocab[i + 1 :]
        for sent in article.sentences:
            words = content[sent.id]
            shared = sum(sum(w in o for o in others) for w in words) / max(len(others), 1)
            out[sent.id] = shared / math.sqrt(len(words)) if words else 0.0
    return out


def _furniture(text: str) -> float:
    """Loaded words, a lean on the sentence before, a wire dateline, a headline: never the
    best wording."""
    return (
        loadedness(text)
        + needs_context(text)
        + 0.5 * bool(dateline_end(text))
        + 0.5 * is_headline(text)
    )


def _choose_wording(
    fact: Fact,
    where: dict[str, tuple[Sentence, float, int]],
    central: Mapping[str, float],
    support: Callable[[Fact, str], tuple[str, ...]],
    strength: Mapping[str, float],
) -> Sentence:
    """The variant that the most articles state (see ``_supporter``), then one of the fact's
    core (its strongest link, the pair the link model is surest of), then the cleanest."""
    variants = [where[s][0] for s in fact.sentences]
    return min(
        variants,
        key=lambda v: (
            -len({where[s][2] for s in support(fact, v.id)}),
            -strength.get(v.id, 0.0),
            _furniture(v.text),
            -central[v.id],
            where[v.id][2],
            v.index,
        ),
    )


def _supporter(links: Sequence[Alignment] | None) -> Callable[[Fact, str], tuple[str, ...]]:
    """The sentences of a fact that state what one of its sentences says.

    A fact's sentences are all linked to its core, not each to each: a sentence of the fact
    may be linked to the other core sentence only, and so say more or less than this one.
    Only the sentence itself and those linked to it (``equivalent`` or ``partial``) state it.
    Without links every sentence of the fact counts.
    """
    if links is None:
        return lambda fact, _sentence: fact.sentences
    linked = {frozenset((link.source, link.target)) for link in links if link.relation in SAME_FACT}

    def support(fact: Fact, sentence: str) -> tuple[str, ...]:
        return tuple(
            s for s in fact.sentences if s == sentence or frozenset((s, sentence)) in linked
        )

    return support


def _pick(
    facts: Sequence[Fact],
    wording: Mapping[str, Sentence],
    central: Mapping[str, float],
    *,
    max_sentences: int,
    max_words: int,
) -> list[Fact]:
    """Shared facts by outlet count, then the most central; one outlet's facts fill the rest.

    Facts are taken in that order until ``max_sentences`` or ``max_words`` is reached,
    passing over a wording that repeats one already taken, needs the sentence before it or
    was cut off. An outlet fills at most two sentences alone, of six words or more.
    """
    ranked = sorted(
        facts,
        key=lambda f: (
            -len(f.outlets) if f.status == "shared" else 0,
            -central[wording[f.id].id],
            f.id,
        ),
    )
    picked: list[Fact] = []
    texts: list[str] = []
    alone: dict[str, int] = {}
    words = 0
    for fact in ranked:
        if len(picked) >= max_sentences or words >= max_words:
            break
        text = wording[fact.id].text
        if needs_context(text):
            continue
        if fact.status == "single" and (
            alone.get(fact.outlets[0], 0) >= 2 or len(_WORD.findall(text)) < 6
        ):
            continue
        if any(similarity(text, other) >= 0.5 for other in texts):
            continue
        picked.append(fact)
        texts.append(text)
        words += len(text.split())
        if fact.status == "single":
            alone[fact.outlets[0]] = alone.get(fact.outlets[0], 0) + 1
    return picked


def summarize(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    content: Mapping[str, frozenset[str]],
    *,
    max_sentences: int = 6,
    max_words: int = 95,
    links: Sequence[Alignment] | None = None,
) -> list[SummarySentence]:
    """Pick facts, shared ones first, word each one neutrally and put them in story order.

    ``content`` maps each sentence id to its content lemmas (see `centrality`). The summary
    stops at ``max_sentences`` sentences or once it holds ``max_words`` words. With the
    comparison's ``links``, a summary sentence cites only the sentences that state it: the
    chosen one and those linked to it (see ``_supporter``); without them, every sentence of
    its fact.
    """
    where = _positions(articles)
    central = centrality(articles, content)
    support = _supporter(links)
    strength: dict[str, float] = {}  # sentence -> the score of its strongest link
    for link in links or ():
        if link.relation in SAME_FACT:
            for end in (link.source, link.target):
                strength[end] = max(strength.get(end, 0.0), link.score)
    wording = {f.id: _choose_wording(f, where, central, support, strength) for f in facts}
    outlet_of = {s.id: a.outlet for a in articles for s in a.sentences}

    def position(fact: Fact) -> float:
        return mean(where[s][1] for s in fact.sentences)

    chosen = _pick(facts, wording, central, max_sentences=max_sentences, max_words=max_words)
    chosen.sort(key=lambda f: (position(f), f.id))
    contested: dict[str, list[str]] = {}
    for conflict in conflicts:
        if conflict.fact is not None:
            contested.setdefault(conflict.fact, []).append(conflict.note)
    summary = []
    for fact in chosen:
        sentence = wording[fact.id]
        notes = contested.get(fact.id)
        cited = support(fact, sentence.id)
        outlets = tuple(o for o in fact.outlets if any(outlet_of[s] == o for s in cited))
        summary.append(
            SummarySentence(
                text=sentence.text,
                sentence=sentence.id,
                support=cited,
                outlets=outlets,
                status="contested" if notes else "shared" if len(outlets) > 1 else "single",
                fact=fact.id,
                note="; ".join(notes) if notes else None,
            )
        )
    return summary
