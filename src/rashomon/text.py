"""Text helpers every stage shares: folding for matching, tokens of a span, number words,
content words, headline form. Pure functions of strings and parsed tokens.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from rashomon.lexicon import LOADED_WORDS
from rashomon.nlp import ParsedText, Token

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "million": 1_000_000, "billion": 1_000_000_000,
}  # fmt: skip
_DIGITS = re.compile(r"^\d+(?:[.,]\d+)*$")

_MARKS = str.maketrans("“”„«»‘’‚`´–—", "\"\"\"\"\"'''''--")


FOLD_CACHED_CHARS = 64  # longer texts are folded each time: the cache holds < 40 MB


def fold(text: str) -> str:
    """Lower-case, strip diacritics and unify quote marks and dashes, for matching only."""
    # Words and names repeat and are cached; whole sentences rarely repeat, and 65,536 of
    # them would hold a sentence's text twice each.
    return _fold_cached(text) if len(text) <= FOLD_CACHED_CHARS else _fold(text)


def _fold(text: str) -> str:
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.translate(_MARKS).lower()


_fold_cached = functools.lru_cache(maxsize=1 << 16)(_fold)


def tokens_in(parsed: ParsedText, start: int, end: int) -> tuple[Token, ...]:
    """The tokens of a parsed text inside the character span [start, end)."""
    # bisect by key: no list of every token's start built per call
    first = bisect.bisect_left(parsed.tokens, start, key=lambda t: t.start)
    last = bisect.bisect_left(parsed.tokens, end, lo=first, key=lambda t: t.start)
    return tuple(t for t in parsed.tokens[first:last] if t.end <= end)


def number_value(token_text: str) -> float | None:
    """The value of a numeral written in digits or as a simple English number word."""
    word = fold(token_text).strip()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    if _DIGITS.match(word):
        cleaned = word.replace(",", "")
        try:
            return float(cleaned)
        except ValueError:
            return None
    return None


def is_content(token: Token) -> bool:
    return not (token.is_punct or token.is_stop or token.pos in {"SPACE", "PUNCT", "SYM"})


_SENTENCE_END = (".", "!", "?", '"', "”", "’", "'", "…", ")")


def is_headline(text: str) -> bool:
    """No final punctuation: a headline or a title-like line, not a sentence."""
    return not text.rstrip().endswith(_SENTENCE_END)


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


_MONTH_KEYS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)  # fmt: skip
MIN_MONTH_LETTERS = 3  # "Mai", "Okt"; two letters ("de", "vi") are other words too often


@functools.cache
def month_names() -> frozenset[str]:
    """Month names and abbreviations, casefolded, in every language dateparser knows.

    dateparser is the date reader under trafilatura (through htmldate); its locale data holds
    the names of about 200 languages ("oktober", "października", "ottobre", "okt").
    """
    import importlib
    import pkgutil

    from dateparser.data import date_translation_data

    names: set[str] = set()
    for module in pkgutil.iter_modules(date_translation_data.__path__):
        info = importlib.import_module(f"{date_translation_data.__name__}.{module.name}").info
        for key in _MONTH_KEYS:
            names.update(
                n.casefold()
                for n in info.get(key, ())
                if len(n) >= MIN_MONTH_LETTERS and n.isalpha()
            )
    return frozenset(names)


def is_month_name(word: str) -> bool:
    """``word`` (a trailing period allowed: "Okt.") names a month in a language dateparser
    knows."""
    return word.rstrip(".").casefold() in month_names()
