"""Tiny stand-ins for spaCy and MiniLM, so corpus tests run in the fast lane.

``FakeParser`` splits on whitespace and full stops (every capitalised word is a proper noun);
``FakeEmbedder`` hashes words into a unit bag-of-words vector, so texts that share words are
near each other. Deterministic in every process.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rashomon.corpus.build import IngestSummary, LocalPreparer, ingest
from rashomon.corpus.store import Store
from rashomon.nlp import FloatArray, ParsedText, Token
from rashomon.settings import Settings

_WORD = re.compile(r"\S+")
DIM = 64


class FakeParser:
    def parse(self, texts: Sequence[str]) -> list[ParsedText]:
        return [self._parse(text) for text in texts]

    def _parse(self, text: str) -> ParsedText:
        tokens: list[Token] = []
        sentences: list[tuple[int, int]] = []
        first = 0
        for match in _WORD.finditer(text):
            word = match.group()
            i = len(tokens)
            tokens.append(
                Token(
                    i=i,
                    text=word,
                    start=match.start(),
                    end=match.end(),
                    lemma=word.strip(".,").lower(),
                    pos="PROPN" if word[:1].isupper() else "NOUN",
                    tag="",
                    dep="",
                    head=i,
                    ent_type="",
                    is_stop=False,
                    is_punct=False,
                    like_num=word.isdigit(),
                    whitespace=True,
                )
            )
            if word.endswith("."):
                sentences.append((first, i + 1))
                first = i + 1
        if first < len(tokens):
            sentences.append((first, len(tokens)))
        return ParsedText(text=text, tokens=tuple(tokens), sentences=tuple(sentences), entities=())


class FakeEmbedder:
    def encode(self, texts: Sequence[str]) -> FloatArray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                digest = hashlib.blake2b(word.encode("utf-8", "replace"), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % DIM] += 1.0
            norm = float(np.linalg.norm(out[row]))
            if norm:
                out[row] /= norm
        return out


def fake_preparer() -> LocalPreparer:
    return LocalPreparer(FakeParser(), FakeEmbedder())


def fake_ingest(
    store: Store, paths: Iterable[Path], *, ingested_at: str, **options: Any
) -> IngestSummary:
    """``ingest`` of these files with the default settings and the fake models."""
    return ingest(
        store,
        list(paths),
        settings=Settings(),
        preparer=fake_preparer(),
        ingested_at=ingested_at,
        **options,
    )
