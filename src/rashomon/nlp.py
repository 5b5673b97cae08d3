"""Plain, picklable records of what the language models found in a text.

The backends turn spaCy docs and sentence-transformer vectors into these records, so the pure
core never touches a model object and can run anywhere (tests with fakes, Dask workers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True, kw_only=True)
class Token:
    i: int  # index in the text's token list
    text: str
    start: int  # character offsets into the parsed text
    end: int
    lemma: str
    pos: str
    tag: str
    dep: str
    head: int  # index of the syntactic head (itself for a root)
    ent_type: str
    is_stop: bool
    is_punct: bool
    like_num: bool
    whitespace: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class EntitySpan:
    text: str
    label: str
    start: int
    end: int
    token_start: int
    token_end: int  # exclusive


@dataclass(frozen=True, slots=True, kw_only=True)
class ParsedText:
    text: str
    tokens: tuple[Token, ...]
    sentences: tuple[tuple[int, int], ...]  # (start token, end token exclusive)
    entities: tuple[EntitySpan, ...]


class TextParser(Protocol):
    """Parses texts into tokens, sentences and entities (spaCy in production)."""

    def parse(self, texts: Sequence[str]) -> list[ParsedText]: ...


class Embedder(Protocol):
    """Maps sentences to unit-length vectors (all-MiniLM-L6-v2 in production)."""

    def encode(self, texts: Sequence[str]) -> FloatArray: ...


def check_parse_of(text: str, parsed: ParsedText, article_id: str) -> None:
    """A stage given the parse of another text would misplace every span: refuse it."""
    if parsed.text != text:
        raise ValueError(f"parse of a different text given for article {article_id}")
