"""Articles about to be compared -> warnings: duplicates, not one story, not English.

A comparison of the same file twice, of two unrelated stories or of a German text still runs;
these checks say what makes its report doubtful. Pure: the language identifier is an argument.

- Duplicates: the near-duplicate machinery of ingest (``corpus.dedupe``: MinHash of 5-word
  shingles, Jaccard at least ``JACCARD_THRESHOLD``).
- Not one story: the content similarity of two texts is the cosine of their term-frequency
  vectors (sublinear tf, English stop words out, no idf, so a pair's figure does not depend on
  the other articles). Two articles share little when it is below ``STORY_SIMILARITY_MIN``;
  when both are dated more than ``window_days`` apart, below ``STORY_SIMILARITY_APART``. Both
  thresholds were chosen on the ECB+ *tune* topics (``benchmarks/eval_one_story.py``): the
  1st and 5th percentiles of same-story pairs' similarity, so about 1 in 100 (dates unknown)
  and 1 in 20 (dated far apart) same-story pairs is warned about.
- Not English: the language identifier (py3langid in production) names another language
  with probability at least ``LANGUAGE_MIN_PROBABILITY`` for a text of at least
  ``LANGUAGE_MIN_WORDS`` words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from rashomon.corpus.dedupe import find_duplicates, make_entry
from rashomon.models import Article, iso_day

# (ECB+ tune, eval_one_story.py): 1st and 5th percentiles of same-story pairs
STORY_SIMILARITY_MIN = 0.15
STORY_SIMILARITY_APART = 0.20
LANGUAGE_MIN_PROBABILITY = 0.9
LANGUAGE_MIN_WORDS = 20
SUPPORTED_LANGUAGE = "en"

LanguageId = Callable[[str], tuple[str, float]]  # text -> (ISO 639-1 code, probability)


def check_inputs(
    articles: Sequence[Article],
    *,
    identify_language: LanguageId,
    window_days: float | None,
) -> tuple[str, ...]:
    """The warnings a comparison of ``articles`` deserves, in a fixed order."""
    return (
        *duplicate_warnings(articles),
        *story_warnings(articles, window_days=window_days),
        *language_warnings(articles, identify_language),
    )


def _name(article: Article) -> str:
    return article.source or article.id


def duplicate_warnings(articles: Sequence[Article]) -> list[str]:
    """One warning per group of inputs that hold the same or near-identical text."""
    states = find_duplicates(make_entry(a) for a in articles)
    by_id = {a.id: a for a in articles}
    warnings = []
    for group in dict.fromkeys(s.members for s in states.values() if len(s.members) > 1):
        members = [by_id[m] for m in group]
        unique = list(dict.fromkeys(_name(a) for a in members))
        names = ", ".join(unique)
        if len(unique) == 1:
            what = f"is given {len(members)} times"
        elif len({a.text for a in members}) == 1:
            what = "hold the same text"
        else:
            jaccard = max(n.jaccard for m in group for n in states[m].neighbors)
            what = f"are near-duplicates ({jaccard:.0%} of their word runs shared)"
        warnings.append(
            f"{names} {what}: their comparison shows little but that; compare each outlet's "
            "own report"
        )
    return warnings


def content_similarity(texts: Sequence[str]) -> npt.NDArray[np.float64]:
    """The pairwise cosine of the texts' term-frequency vectors (see the module docstring)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(use_idf=False, sublinear_tf=True, stop_words="english")
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # no word but stop words in any text
        return np.zeros((len(texts), len(texts)))
    return np.asarray((matrix @ matrix.T).toarray(), dtype=np.float64)


def days_apart(left: Article, right: Article) -> int | None:
    a, b = iso_day(left.date), iso_day(right.date)
    return abs((a - b).days) if a is not None and b is not None else None


def story_warnings(articles: Sequence[Article], *, window_days: float | None) -> list[str]:
    """A warning for each article that shares little with every other one."""
    if len(articles) < 2:
        return []
    similarity = content_similarity([a.text for a in articles])

    def least(i: int, j: int) -> float:
        gap = days_apart(articles[i], articles[j])
        apart = window_days is not None and gap is not None and gap > window_days
        return STORY_SIMILARITY_APART if apart else STORY_SIMILARITY_MIN

    alone = [
        i
        for i in range(len(articles))
        if all(similarity[i, j] < least(i, j) for j in range(len(articles)) if j != i)
    ]
    if len(articles) == 2:
        return [_unlike(articles[0], articles[1], similarity[0, 1])] if alone else []
    warnings = []
    for i in alone:
        j = max((j for j in range(len(articles)) if j != i), key=lambda j: similarity[i, j])
        warnings.append(_unlike(articles[i], articles[j], similarity[i, j], others=True))
    return warnings


def _unlike(left: Article, right: Article, similarity: float, *, others: bool = False) -> str:
    gap = days_apart(left, right)
    dated = f", and are dated {gap} days apart" if gap else ""
    subject = (
        f"{_name(left)} shares little with the other articles (closest: {_name(right)}, "
        if others
        else f"{_name(left)} and {_name(right)} share little content ("
    )
    return (
        f"{subject}similarity {similarity:.2f}){dated}: they do not look like one story, so "
        "most of their facts will show as reported by one outlet only"
    )


def language_warnings(articles: Sequence[Article], identify_language: LanguageId) -> list[str]:
    """A warning for each article whose text reads as another language than English."""
    warnings = []
    for article in articles:
        if len(article.text.split()) < LANGUAGE_MIN_WORDS:
            continue
        language, probability = identify_language(article.text)
        if language != SUPPORTED_LANGUAGE and probability >= LANGUAGE_MIN_PROBABILITY:
            warnings.append(
                f"{_name(article)} reads as language '{language}' (probability "
                f"{probability:.2f}), not English: rashomon's models read English only, so its "
                "sentences, names, quotes and links may be wrong"
            )
    return warnings
