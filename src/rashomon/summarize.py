"""Facts -> a neutral, extractive summary where every sentence cites its support.

Facts reported by the most outlets come first; among a fact's variants the wording with the
fewest loaded or intensity words is chosen; the chosen facts are put in story order (their mean
relative position in the articles). A fact with a conflict is marked contested, never silently
settled.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import mean

from rashomon.models import Article, Conflict, Fact, Sentence, SummarySentence
from rashomon.quantities import dateline_end
from rashomon.wording import similarity

# General intensity and evaluative words that signal framing rather than fact.
LOADED_WORDS = frozenset(
    [
        "absolutely",
        "alarming",
        "appalling",
        "astonishing",
        "atrocious",
        "awful",
        "bizarre",
        "blasted",
        "blistering",
        "bloody",
        "brazen",
        "brutal",
        "catastrophic",
        "chaos",
        "chaotic",
        "clearly",
        "controversial",
        "crushing",
        "dangerous",
        "deadly",
        "decimated",
        "desperate",
        "devastating",
        "disastrous",
        "disgraceful",
        "dramatic",
        "dramatically",
        "egregious",
        "embattled",
        "enormous",
        "epic",
        "explosive",
        "extreme",
        "extremely",
        "fierce",
        "fiercely",
        "furious",
        "hailed",
        "heroic",
        "horrific",
        "horrifying",
        "huge",
        "incredible",
        "infamous",
        "insane",
        "lambasted",
        "landmark",
        "massive",
        "merely",
        "miraculous",
        "notorious",
        "obviously",
        "outrageous",
        "overwhelming",
        "praised",
        "promptly",
        "radical",
        "ruthless",
        "scandal",
        "scathing",
        "shameful",
        "shocking",
        "slammed",
        "so-called",
        "staggering",
        "stunning",
        "terrible",
        "terrifying",
        "thug",
        "thugs",
        "tragic",
        "tremendous",
        "unprecedented",
        "very",
        "vicious",
        "wildly",
        "slams",
        "blasts",
    ]
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_QUOTE_MARKS = re.compile(r"[\"“”«»]")


def loadedness(text: str) -> float:
    """How much a sentence leans on loaded words, exclamations, quotes and first person."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words:
        return 0.0
    score = sum(1.0 for w in words if w in LOADED_WORDS)
    score += 1.0 * text.count("!")
    score += 0.5 * bool(_QUOTE_MARKS.search(text))
    score += 0.5 * sum(1 for w in words if w in {"i", "we", "our", "us", "my"})
    return score


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
    """A sentence that leans on the one before it ("It comes as ...") or was cut off ("...")."""
    words = _WORD.findall(text)
    if not words:
        return True
    return words[0].lower() in _CONTEXT_OPENERS or text.rstrip().endswith(("...", "…"))


def _positions(articles: Sequence[Article]) -> dict[str, tuple[Sentence, float, int]]:
    out: dict[str, tuple[Sentence, float, int]] = {}
    for a_index, article in enumerate(articles):
        count = max(len(article.sentences) - 1, 1)
        for sent in article.sentences:
            out[sent.id] = (sent, sent.index / count, a_index)
    return out


def _choose_wording(fact: Fact, where: dict[str, tuple[Sentence, float, int]]) -> Sentence:
    variants = [where[s][0] for s in fact.sentences]
    return min(
        variants,
        key=lambda v: (
            # a wire dateline ("PORT VENNER, March 14 (Agency) —") is furniture, not wording
            loadedness(v.text) + needs_context(v.text) + 0.5 * bool(dateline_end(v.text)),
            -len(v.text),
            where[v.id][2],
            v.index,
        ),
    )


def _lead_fill(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    chosen: Sequence[Fact],
    where: dict[str, tuple[Sentence, float, int]],
    max_sentences: int,
) -> list[Fact]:
    """When outlets share too few facts, add each outlet's lead fact (marked ``single``).

    The summary is filled up to one sentence more than there are articles (never past
    ``max_sentences``), one added sentence per outlet at most; each added sentence is visibly
    one outlet's account. Sentences that need the one before them, or were cut off, are
    passed over.
    """
    target = min(max_sentences, len(articles) + 1)
    picked: list[Fact] = []
    texts = [where[f.sentences[0]][0].text for f in chosen]
    singles = sorted(
        (f for f in facts if f.status == "single"),
        key=lambda f: (where[f.sentences[0]][1], where[f.sentences[0]][2]),
    )
    used_outlets: set[str] = set()
    for fact in singles:
        if len(chosen) + len(picked) >= target:
            break
        text = where[fact.sentences[0]][0].text
        if fact.outlets[0] in used_outlets or len(_WORD.findall(text)) < 6 or needs_context(text):
            continue
        if any(similarity(text, other) >= 0.5 for other in texts):
            continue
        picked.append(fact)
        texts.append(text)
        used_outlets.add(fact.outlets[0])
    return picked


def summarize(
    articles: Sequence[Article],
    facts: Sequence[Fact],
    conflicts: Sequence[Conflict],
    *,
    max_sentences: int = 6,
) -> list[SummarySentence]:
    """Pick up to ``max_sentences`` shared facts and word each one neutrally."""
    where = _positions(articles)
    shared = [f for f in facts if f.status == "shared"]

    def position(fact: Fact) -> float:
        return mean(where[s][1] for s in fact.sentences)

    ranked = sorted(shared, key=lambda f: (-len(f.outlets), position(f), f.id))
    chosen = ranked[:max_sentences]
    chosen += _lead_fill(articles, facts, chosen, where, max_sentences)
    chosen = sorted(chosen, key=lambda f: (position(f), f.id))
    contested: dict[str, list[str]] = {}
    for conflict in conflicts:
        if conflict.fact is not None:
            contested.setdefault(conflict.fact, []).append(conflict.note)
    summary = []
    for fact in chosen:
        sentence = _choose_wording(fact, where)
        notes = contested.get(fact.id)
        summary.append(
            SummarySentence(
                text=sentence.text,
                sentence=sentence.id,
                support=fact.sentences,
                outlets=fact.outlets,
                status="contested" if notes else fact.status,
                fact=fact.id,
                note="; ".join(notes) if notes else None,
            )
        )
    return summary
