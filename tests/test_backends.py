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


def test_the_parser_never_lets_a_sentence_or_its_tree_cross_a_line_break(parser) -> None:  # type: ignore[no-untyped-def]
    # "Ltd." before a blank line reads as an abbreviation inside a sentence, and a title line
    # has no stop: without the line-break component both ran on into the next line
    text = (
        "Crane collapses at Orlin quay\n"
        "Shed 4 stored grain and timber, according to the operator, Corvane Docks Ltd.\n\n"
        "Loading at the other berths continued on Friday, Corvane Docks said."
    )
    [parsed] = parser.parse([text])
    for a, b in parsed.sentences:
        assert "\n" not in text[parsed.tokens[a].start : parsed.tokens[b - 1].end].strip()
    for tok in parsed.tokens:  # no word hangs from a word of another line
        head = parsed.tokens[tok.head]
        if not tok.text.isspace() and not head.text.isspace():
            assert text.count("\n", min(tok.start, head.start), max(tok.end, head.end)) == 0
