"""Quotes and speakers with the real spaCy model, on small invented sentences."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rashomon.analyze.segment import segment_article
from rashomon.models import Article, Quote
from rashomon.nlp import TextParser
from rashomon.who.marks import find_double_quotes, find_single_quotes
from rashomon.who.quotes import extract_quotes

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"
BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

Row = tuple[str, str, str | None, str | None, str | None]


def quotes_of(parser: TextParser, text: str) -> list[Quote]:
    parsed = parser.parse([text])[0]
    article = segment_article(Article(id="t", text=text, outlet="Test Outlet"), parsed)
    return extract_quotes(article, parsed)


def rows(parser: TextParser, text: str) -> list[Row]:
    """(kind, text, cue, speaker name, speaker mention) of each quote, in text order."""
    return [
        (q.kind, q.text, q.cue, q.speaker.name, q.speaker.mention) for q in quotes_of(parser, text)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            '"We will rebuild the bridge," Mayor Ana Ruiz said.',
            [("direct", "We will rebuild the bridge", "said", "Ana Ruiz", "Mayor Ana Ruiz")],
            id="straight-marks-trailing-comma-title",
        ),
        pytest.param(
            "“The plan is sound,” Ruiz said, “and it will be finished by May.”",
            [
                ("direct", "The plan is sound", "said", "Ruiz", "Ruiz"),
                ("direct", "and it will be finished by May.", "said", "Ruiz", "Ruiz"),
            ],
            id="split-by-attribution",
        ),
        pytest.param(
            "“We found rust. It surprised us,” said engineer Priya Castellane.",
            [
                (
                    "direct",
                    "We found rust. It surprised us",
                    "said",
                    "Priya Castellane",
                    "Priya Castellane",
                )
            ],
            id="spans-sentences-inverted-attribution",
        ),
        pytest.param(
            "The opposition leader, Tomas Berg, called the plan “deeply flawed”.",
            [("direct", "deeply flawed", "called", "Tomas Berg", "The opposition leader")],
            id="fragment-apposition",
        ),
        pytest.param(
            "Minister Lea Hart said: « We will stay. »",
            [("direct", "We will stay.", "said", "Lea Hart", "Minister Lea Hart")],
            id="guillemets-colon",
        ),
        pytest.param(
            "'We are ready,' coach Sam Ode said.",
            [("direct", "We are ready", "said", "Sam Ode", "coach Sam Ode")],
            id="single-marks",
        ),
        pytest.param(
            '"We are ready," Ruiz said. "The team has trained for months."',
            [
                ("direct", "We are ready", "said", "Ruiz", "Ruiz"),
                ("direct", "The team has trained for months.", None, "Ruiz", None),
            ],
            id="continuation-without-attribution",
        ),
        pytest.param(
            "Police chief Mara Lind said that the road would reopen on Monday.",
            [
                (
                    "reported",
                    "the road would reopen on Monday",
                    "said",
                    "Mara Lind",
                    "Police chief Mara Lind",
                )
            ],
            id="reported-said-that",
        ),
        pytest.param(
            "Transport Minister Ivo Kral visited the site. "
            "The damage was limited, the minister said, adding that repairs would start soon.",
            [
                ("reported", "The damage was limited", "said", "Ivo Kral", "the minister"),
                ("reported", "repairs would start soon", "adding", "Ivo Kral", "the minister"),
            ],
            id="reported-after-clause-adding-that-title-met-earlier",
        ),
        pytest.param(
            "Mirevale's health ministry confirmed the cases. "
            "The ministry urged parents to check vaccination records.",
            [
                (
                    "reported",
                    "parents to check vaccination records",
                    "urged",
                    "Mirevale health ministry",
                    "The ministry",
                )
            ],
            id="urge-and-organization-named-by-kind",
        ),
        pytest.param(
            "The fire started in the kitchen, according to the Harlow fire service.",
            [
                (
                    "reported",
                    "The fire started in the kitchen",
                    "according to",
                    "Harlow fire service",
                    "the Harlow fire service",
                )
            ],
            id="according-to",
        ),
        pytest.param(
            "The council expressed hope that the bridge would reopen in May.",
            [
                (
                    "reported",
                    "the bridge would reopen in May",
                    "expressed hope",
                    None,
                    "The council",
                )
            ],
            id="express-hope-unnamed-council",
        ),
        pytest.param(
            "Union leader Maeve Connolly criticised the sale of the depot.",
            [
                (
                    "reported",
                    "the sale of the depot",
                    "criticised",
                    "Maeve Connolly",
                    "Union leader Maeve Connolly",
                )
            ],
            id="criticise",
        ),
        pytest.param(
            "For his part, Defence Minister Karl Aas said the talks had failed.",
            [
                (
                    "reported",
                    "the talks had failed",
                    "said",
                    "Karl Aas",
                    "Defence Minister Karl Aas",
                )
            ],
            id="for-his-part",
        ),
    ],
)
def test_quote_forms(parser: TextParser, text: str, expected: list[Row]) -> None:
    assert rows(parser, text) == expected


def test_surname_resolves_to_the_full_name_seen_earlier(parser: TextParser) -> None:
    text = (
        'Prosecutor Dana Whitfield filed the case. "The evidence is overwhelming," Whitfield said.'
    )
    assert rows(parser, text) == [
        ("direct", "The evidence is overwhelming", "said", "Dana Whitfield", "Whitfield")
    ]


def test_role_resolves_to_the_person_given_that_title(parser: TextParser) -> None:
    text = (
        "Prosecutor Dana Whitfield filed the case. "
        "The city's top prosecutor said the evidence was overwhelming."
    )
    assert rows(parser, text) == [
        (
            "reported",
            "the evidence was overwhelming",
            "said",
            "Dana Whitfield",
            "The city's top prosecutor",
        )
    ]


@pytest.mark.parametrize("role", ["District Attorney", "district attorney"])
def test_a_capitalized_role_resolves_like_a_lower_case_one(parser: TextParser, role: str) -> None:
    text = (
        "District Attorney Marta Kessling filed the charges on Monday. "
        f'"No one is above the law," the {role} said.'
    )
    assert rows(parser, text) == [
        ("direct", "No one is above the law", "said", "Marta Kessling", f"the {role}")
    ]


def test_a_name_the_tagger_starts_with_a_verb_loses_the_verb(parser: TextParser) -> None:
    text = (
        "District Attorney Marta Kessling filed the charges on Monday. "
        "Joining Kessling at the news conference was Assistant Sheriff Tomas Brandt. "
        '"No one is above the law," Kessling said.'
    )
    parsed = parser.parse([text])[0]
    names = [e.text for e in parsed.entities if e.label == "PERSON"]
    assert names == ["Marta Kessling", "Kessling", "Tomas Brandt", "Kessling"]
    joining = next(t for t in parsed.tokens if t.text == "Joining")
    assert joining.ent_type == ""
    assert rows(parser, text) == [
        ("direct", "No one is above the law", "said", "Marta Kessling", "Kessling")
    ]


def test_pronoun_resolves_to_the_person_of_that_gender(parser: TextParser) -> None:
    text = "Mr Omar Feyzi met Ms Dana Whitfield on Monday. She said the talks went well."
    assert rows(parser, text) == [
        ("reported", "the talks went well", "said", "Dana Whitfield", "She")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Harcastle Estates issued the eviction notice on Monday. "
            "It said the plots must be cleared by June.",
            ("Harcastle Estates", "It"),
            id="it-is-the-organization",
        ),
        pytest.param(
            "Relations soured further on Friday. Paris said the talks were over.",
            ("Paris", "Paris"),
            id="a-capital-speaks-for-its-government",
        ),
        pytest.param(
            "Ruiz met the mayor. He said the budget was fixed.",
            ("Ruiz", "He"),
            id="he-is-the-most-recent-named-person",
        ),
    ],
)
def test_speaker_from_context(parser: TextParser, text: str, expected: tuple[str, str]) -> None:
    (quote,) = quotes_of(parser, text)
    assert (quote.speaker.name, quote.speaker.mention) == expected


def test_spokesperson_speaks_for_the_organization(parser: TextParser) -> None:
    text = "A spokeswoman for Harcastle Estates said the plots must be cleared by June."
    assert rows(parser, text) == [
        (
            "reported",
            "the plots must be cleared by June",
            "said",
            "Harcastle Estates",
            "A spokeswoman",
        )
    ]


def test_unnamed_speaker_stays_unnamed(parser: TextParser) -> None:
    assert rows(parser, "A witness said the car was speeding.") == [
        ("reported", "the car was speeding", "said", None, "A witness")
    ]


def test_reported_clause_with_fragment_gives_both(parser: TextParser) -> None:
    text = 'The union rejected the offer. Ruiz said it was "a disgrace".'
    assert rows(parser, text) == [
        ("reported", 'it was "a disgrace"', "said", "Ruiz", "Ruiz"),
        ("direct", "a disgrace", "said", "Ruiz", "Ruiz"),
    ]


def test_quote_nested_in_guillemets_is_its_own_quote(parser: TextParser) -> None:
    text = (
        "Anna Berg runs the vineyard. «My grandfather always said “never trust an early "
        "vintage”, but we have no choice», Berg added."
    )
    assert rows(parser, text) == [
        (
            "direct",
            "My grandfather always said “never trust an early vintage”, but we have no choice",
            "added",
            "Anna Berg",
            "Berg",
        ),
        ("direct", "never trust an early vintage", "said", None, "My grandfather"),
    ]


def test_thoughts_and_signs_are_not_reported_speech(parser: TextParser) -> None:
    text = (
        "“I always told myself I would stop when it stopped being fun,” Aldo Brennan said. "
        "Protesters carried a banner reading “Nine days and counting”."
    )
    assert rows(parser, text) == [
        (
            "direct",
            "I always told myself I would stop when it stopped being fun",
            "said",
            "Aldo Brennan",
            "Aldo Brennan",
        )
    ]


def test_titles_nicknames_scare_quotes_and_cited_words_are_not_quotes(parser: TextParser) -> None:
    text = (
        "She watched “The Hunger Games” twice. Fans call him “the Chin”. "
        "The word “lisking” is slang. A “yes” vote is needed. The “reform” cost jobs."
    )
    assert rows(parser, text) == []


def test_records_carry_ids_offsets_and_sentences(parser: TextParser) -> None:
    text = (
        "Transport Minister Ivo Kral visited the site.\n"
        '"The road will reopen," he said. "Repairs start Monday."'
    )
    parsed = parser.parse([text])[0]
    article = segment_article(Article(id="a1", text=text, outlet="Test Outlet"), parsed)
    quotes = extract_quotes(article, parsed)
    sentence_text = {s.id: s for s in article.sentences}
    assert [q.id for q in quotes] == ["a1:q1", "a1:q2"]
    assert [q.sentence for q in quotes] == ["a1:s2", "a1:s3"]
    assert [q.speaker.name for q in quotes] == ["Ivo Kral", "Ivo Kral"]
    for q in quotes:
        assert q.article == "a1"
        assert text[q.start : q.end] == q.text
        sent = sentence_text[q.sentence]
        assert sent.start <= q.start < sent.end
        assert q.speaker.entity is None


def test_refuses_a_parse_of_another_text(parser: TextParser) -> None:
    parsed = parser.parse(["One text."])[0]
    article = segment_article(Article(id="a", text="One text.", outlet="X"), parsed)
    other = parser.parse(["Another text."])[0]
    with pytest.raises(ValueError, match="article a"):
        extract_quotes(article, other)


_PIECES = st.sampled_from(
    [
        "Ruiz said",
        " the plan ",
        "“",
        "”",
        '"',
        "'",
        "‘",
        "’",
        "«",
        "»",
        ", ",
        ". ",
        "\n",
        "she added that ",
        "according to police",
        "It's",
        "We will stay",
    ]
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_quotes_always_point_back_to_their_text(parser: TextParser, text: str) -> None:
    parsed = parser.parse([text])[0]
    article = segment_article(Article(id="h", text=text, outlet="X"), parsed)
    quotes = extract_quotes(article, parsed)
    sentences = {s.id for s in article.sentences}
    assert [q.id for q in quotes] == [f"h:q{n}" for n in range(1, len(quotes) + 1)]
    for q in quotes:
        assert q.text
        assert text[q.start : q.end] == q.text == q.text.strip()
        assert q.sentence in sentences


def test_a_reported_span_taking_in_an_open_quotation_ends_at_its_last_word(
    parser: TextParser,
) -> None:
    # found by the property test above: the open quotation ran to the end of the line
    text = "she added that Ruiz said“ the plan "
    for q in quotes_of(parser, text):
        assert text[q.start : q.end] == q.text == q.text.strip()


def test_quotation_marks_pair_across_lines_and_skip_apostrophes() -> None:
    text = "“First line.\nSecond line,” she said. It's Jones' car, not 'mine'."
    doubles = [(text[s.start : s.end], s.single) for s in find_double_quotes(text)]
    singles = [text[s.start : s.end] for s in find_single_quotes(text)]
    assert doubles == [("First line.\nSecond line,", False)]
    assert singles == ["mine"]


def test_paragraph_reopening_the_mark_closes_the_previous_one() -> None:
    text = "“We waited all night.\n“Nobody came,” she said."
    spans = [text[s.start : s.end] for s in find_double_quotes(text)]
    assert spans == ["We waited all night.", "Nobody came,"]


def test_fixture_gold_scores_above_the_floor(parser: TextParser) -> None:
    """The invented articles of tests/fixtures/quotes, scored like benchmarks/eval_quotes.py."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import eval_quotes  # a benchmarks/ script, put on sys.path just here
    finally:
        sys.path.remove(str(BENCHMARKS))
    docs = {
        a["id"]: a["text"]
        for a in map(json.loads, (FIXTURES / "articles.jsonl").read_text("utf-8").splitlines())
    }
    records = [json.loads(x) for x in (FIXTURES / "gold.jsonl").read_text("utf-8").splitlines()]
    golds = [
        eval_quotes.Gold(
            r["doc_id"],
            r["kind"],
            r["quote_text"],
            *eval_quotes.place(r, docs[r["doc_id"]]),
            r["speaker"],
        )
        for r in records
    ]
    ids = sorted(docs)
    quotes = {}
    for doc_id, parsed in zip(ids, parser.parse([docs[i] for i in ids]), strict=True):
        article = segment_article(Article(id=doc_id, text=docs[doc_id], outlet="x"), parsed)
        quotes[doc_id] = extract_quotes(article, parsed)
    figures = eval_quotes.score(docs, golds, quotes, errors=False)
    assert figures["n_gold"] == 215
    assert cast(float, figures["quote_precision"]) >= 0.9
    assert cast(float, figures["quote_recall"]) >= 0.9
    assert cast(float, figures["speaker_precision"]) >= 0.9
    assert cast(float, figures["speaker_recall"]) >= 0.82


@pytest.mark.models
def test_he_after_a_spokesman_is_the_body_he_spoke_for(parser: TextParser) -> None:
    text = (
        "Harbour master Tomas Berg closed the port on Sunday. "
        "Two boats collided off Varn Point on Monday, a spokesman for the Varn Coastguard said. "
        "He said no one was hurt."
    )
    speakers = [(q.text, q.speaker.name) for q in quotes_of(parser, text)]
    assert speakers[-1] == ("no one was hurt", speakers[-2][1])
    assert speakers[-2][1] is not None
    assert "Coastguard" in speakers[-2][1]


@pytest.mark.models
def test_she_after_a_spokesman_is_not_him(parser: TextParser) -> None:
    text = (
        "Harbour master Greta Holm closed the port on Sunday. "
        "Two boats collided off Varn Point on Monday, a spokesman for the Varn Coastguard said. "
        "She said the port would reopen on Tuesday."
    )
    speakers = [(q.text, q.speaker.name) for q in quotes_of(parser, text)]
    assert speakers[-1] == ("the port would reopen on Tuesday", "Greta Holm")


def test_a_quotation_closed_on_a_later_line_spans_the_lines_between() -> None:
    text = 'The mayor said "the pier will reopen.\nRepairs start on Monday," and left.\n'
    spans = [text[s.start : s.end] for s in find_double_quotes(text)]
    assert spans == ["the pier will reopen.\nRepairs start on Monday,"]


def test_a_quotation_opened_inside_a_sentence_and_never_closed_ends_with_its_line() -> None:
    # its closing mark was lost: the writer's lines after it are nobody's quote
    text = (
        'A Tarnby Post reporter saw "a hole two metres wide near the pier.\n'
        "Harbour staff counted four boats.\n"
        "The ferry left at noon.\n"
        '"We will rebuild," the mayor said.'
    )
    spans = [text[s.start : s.end] for s in find_double_quotes(text)]
    assert spans == ["a hole two metres wide near the pier.", "We will rebuild,"]


def test_a_quoted_paragraph_of_several_lines_runs_on_to_the_reopened_one() -> None:
    text = (
        "“The pier held all night.\n"
        "Nobody was hurt.\n"
        "“We open again on Monday,” the harbour master said."
    )
    spans = [text[s.start : s.end] for s in find_double_quotes(text)]
    assert spans == ["The pier held all night.\nNobody was hurt.", "We open again on Monday,"]


def test_a_scare_quote_in_a_relative_clause_is_not_the_speakers_statement(
    parser: TextParser,
) -> None:
    # the spokesman said the whole sentence; the marked word is the writer's term for a genre
    text = (
        "Lind, whose experiences as a young diving champion led to a career of Lakeshore "
        "“swim-revues” designed just for her, died yesterday in Orvale, Kestland, at the age "
        "of 88, her spokesman said."
    )
    kinds = [(q.kind, q.text) for q in quotes_of(parser, text)]
    assert ("direct", "swim-revues") not in kinds
    assert [k for k, _ in kinds] == ["reported"]


def test_according_to_a_body_before_a_paragraph_break_reports_the_main_clause(
    parser: TextParser,
) -> None:
    # the bundled demo's paragraphs: the apposition once became what the operator said
    text = (
        "Warehouse 7 stored imported textiles and packaging materials, according to the "
        "terminal operator, Venner Terminals Ltd.\n\n"
        "Shipping at the terminal's other berths continued normally on Friday, Venner "
        "Terminals said."
    )
    said = [(q.cue, q.text) for q in quotes_of(parser, text)]
    assert ("according to", "Warehouse 7 stored imported textiles and packaging materials") in said
