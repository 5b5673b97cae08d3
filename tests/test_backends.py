"""The spaCy backend on texts longer than spaCy's max_length (a blank pipeline: no model)."""

from __future__ import annotations

import pytest

import rashomon.backends as backends
from rashomon.backends import SpacyParser
from rashomon.nlp import ParsedText


def _blank(max_length: int):  # type: ignore[no-untyped-def]
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = max_length
    return nlp


LONG = "\n\n".join(
    f"Paragraph {n} tells of the harbor. The crane fell at dawn, officials said." for n in range(40)
)


def test_a_text_over_max_length_is_parsed_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    whole = SpacyParser("blank").parse  # the same text in one go, under a large limit
    monkeypatch.setattr(backends, "load_spacy", lambda _name: _blank(10 * len(LONG)))
    [expected] = whole([LONG])
    monkeypatch.setattr(backends, "load_spacy", lambda _name: _blank(500))
    [parsed] = SpacyParser("blank").parse([LONG])
    assert parsed.text == LONG
    assert [(t.i, t.start, t.end, t.text) for t in parsed.tokens] == [
        (t.i, t.start, t.end, t.text) for t in expected.tokens
    ]
    assert all(LONG[t.start : t.end] == t.text for t in parsed.tokens)
    assert len(parsed.sentences) == len(expected.sentences) == 80

    def said(p: ParsedText) -> list[str]:
        return [p.text[p.tokens[a].start : p.tokens[b - 1].end].strip() for a, b in p.sentences]

    assert said(parsed) == said(expected)
    assert said(parsed)[:3] == [
        "Paragraph 0 tells of the harbor.",
        "The crane fell at dawn, officials said.",
        "Paragraph 1 tells of the harbor.",
    ]


def test_a_line_longer_than_max_length_is_cut_at_a_sentence_end(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    one_line = " ".join(["The tug pulled the barge away."] * 50)
    monkeypatch.setattr(backends, "load_spacy", lambda _name: _blank(200))
    [parsed] = SpacyParser("blank").parse([one_line])
    assert parsed.text == one_line
    assert "".join(t.text + (" " if t.whitespace else "") for t in parsed.tokens) == one_line
    assert [t.i for t in parsed.tokens] == list(range(len(parsed.tokens)))
