"""Sources cited, with the real spaCy model, on small invented texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rashomon.analyze.segment import segment_article
from rashomon.models import Article, SourceCited
from rashomon.nlp import TextParser
from rashomon.who.quotes import extract_quotes
from rashomon.who.sources import find_sources

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "quotes"

Row = tuple[str, str, tuple[str, ...], bool]


def sources_of(parser: TextParser, text: str, *, outlet: str = "Test Outlet") -> list[SourceCited]:
    parsed = parser.parse([text])[0]
    article = segment_article(Article(id="t", text=text, outlet=outlet), parsed)
    return find_sources(article, parsed, extract_quotes(article, parsed))


def rows(parser: TextParser, text: str, *, outlet: str = "Test Outlet") -> list[Row]:
    return [
        (s.name, s.kind, s.sentences, s.wire_copy) for s in sources_of(parser, text, outlet=outlet)
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "The news agency Kyodo said the ship had sunk. "
            "Three crew members were rescued, according to an AFP report.",
            [("Kyodo", "agency", ("t:s1",), False), ("AFP", "agency", ("t:s2",), False)],
            id="news-agency-x-and-according-to-an-agency-report",
        ),
        pytest.param(
            "Foreign Minister Oskar Venn told Reuters that the deal was final.",
            [("Reuters", "agency", ("t:s1",), False)],
            id="told-an-agency",
        ),
        pytest.param(
            "Trade Minister Ana Vel told the Northwind Agency that talks would resume.",
            [("Northwind Agency", "agency", ("t:s1",), False)],
            id="agency-not-on-the-list",
        ),
        pytest.param(
            "Mirevale’s health ministry confirmed the cases. "
            "“All children are recovering,” the health ministry said in a statement.",
            [("health ministry", "official", ("t:s1", "t:s2"), False)],
            id="official-statement",
        ),
        pytest.param(
            "A court filing shows that Lowe received cash. Court records show two convictions.",
            [
                ("court filing", "document", ("t:s1",), False),
                ("Court records", "document", ("t:s2",), False),
            ],
            id="documents",
        ),
        pytest.param(
            "The man was arrested on Friday, the Caldmoor Times reported.",
            [("Caldmoor Times", "outlet", ("t:s1",), False)],
            id="outlet",
        ),
        pytest.param(
            "PORTVILLE, May 2 (Reuters) — The port reopened on Friday, officials said.\n"
            "(Reporting by Ann Lee; Editing by Tom Ray)",
            [("Reuters", "agency", ("t:s1", "t:s2"), True)],
            id="wire-copy-dateline",
        ),
        pytest.param(
            "PORTVILLE, May 2 — The port reopened on Friday, Reuters reported.",
            [("Reuters", "agency", ("t:s1",), False)],
            id="cited-but-not-wire-copy",
        ),
        pytest.param(
            "The Washington Post reported the deal on Monday. The Post said talks had failed.",
            [("Washington Post", "outlet", ("t:s1", "t:s2"), False)],
            id="short-name-merged-into-full-name",
        ),
        pytest.param(
            'Flooding closed the road in Millom. "We do not suspect anyone else," '
            "a police spokesman said.",
            [("police", "official", ("t:s2",), False)],
            id="spokesperson-of-an-official-body",
        ),
        pytest.param(
            "The Environment Protection Agency fined the water company on Monday.",
            [],
            id="public-agency-not-cited",
        ),
        pytest.param(
            "Workers said the plant would close. The company denied it.",
            [],
            id="nothing-cited",
        ),
    ],
)
def test_source_forms(parser: TextParser, text: str, expected: list[Row]) -> None:
    assert rows(parser, text) == expected


def test_an_outlet_does_not_cite_itself(parser: TextParser) -> None:
    text = "Farmer Luc Bertin told the Vaulne Observer that yields would fall."
    assert rows(parser, text, outlet="Vaulne Observer") == []
    assert rows(parser, text, outlet="Other Paper") == [
        ("Vaulne Observer", "outlet", ("t:s1",), False)
    ]


def test_credit_line_marks_wire_copy(parser: TextParser) -> None:
    text = (
        "The port reopened on Friday, the Associated Press reported.\n"
        "Copyright 2025 The Associated Press. All rights reserved."
    )
    assert rows(parser, text) == [("AP", "agency", ("t:s1", "t:s2"), True)]


def test_fixture_sources_above_the_floor(parser: TextParser) -> None:
    """Sources of tests/fixtures/quotes against sources_gold.jsonl (name containment + kind)."""
    articles = [
        json.loads(x) for x in (FIXTURES / "articles.jsonl").read_text("utf-8").splitlines()
    ]
    gold = [
        json.loads(x) for x in (FIXTURES / "sources_gold.jsonl").read_text("utf-8").splitlines()
    ]
    parsed_all = parser.parse([a["text"] for a in articles])
    right = wrong = 0
    found: set[tuple[str, str]] = set()
    for record, parsed in zip(articles, parsed_all, strict=True):
        article = segment_article(
            Article(id=record["id"], text=record["text"], outlet=record["outlet"]), parsed
        )
        for source in find_sources(article, parsed, extract_quotes(article, parsed)):
            name = source.name.lower()
            hits = [
                g
                for g in gold
                if g["doc_id"] == record["id"]
                and g["kind"] == source.kind
                and (g["name"].lower() in name or name in g["name"].lower())
            ]
            right += bool(hits)
            wrong += not hits
            found.update((g["doc_id"], g["name"]) for g in hits)
    assert len(gold) == 32
    assert right / (right + wrong) >= 0.9
    assert len(found) / len(gold) >= 0.9


@pytest.mark.models
def test_a_pronoun_for_a_spokesman_is_not_a_source(parser: TextParser) -> None:
    # the speaker resolves to "Port Kell police", a name the text never writes out
    text = (
        "A fire broke out at a warehouse in Port Kell on Thursday. "
        "One guard died in the fire, police said. "
        "Fishermen gathered at the quay on Friday, a police spokesman said. "
        "He said the gathering was peaceful."
    )
    assert [s.name for s in sources_of(parser, text)] == ["police"]


def test_a_determiner_before_news_agency_is_not_the_agency_name(parser: TextParser) -> None:
    text = (
        "The quake injured five people, the Brenn news agency said. "
        "Another news agency quoted the governor as saying 300 tents were ready."
    )
    names = [name for name, _, _, _ in rows(parser, text)]
    assert "Another" not in names
    assert "Brenn" in names


def test_the_end_of_the_outlets_own_name_is_the_outlet_itself(parser: TextParser) -> None:
    text = "Union steward Aldo Brisk told the Post that members would strike on Monday."
    assert [n for n, *_ in rows(parser, text, outlet="Tarnby Post")] == []
    # another outlet's paper of that name is still a source
    assert [(n, k) for n, k, *_ in rows(parser, text, outlet="Kestle Herald")] == [
        ("Post", "outlet")
    ]


def test_a_credit_line_taken_off_the_text_still_marks_the_wire_copy(parser: TextParser) -> None:
    from rashomon.inputs.text import parse_text

    raw = (
        "PORTVILLE, May 2 — The port reopened on Friday, Reuters reported.\n\n"
        "(Reporting by Ann Lee; Editing by Tom Ray)\n"
    )
    article = parse_text(raw, source="wire.txt")
    parsed = parser.parse([article.text])[0]
    article = segment_article(article, parsed)
    found = find_sources(article, parsed, extract_quotes(article, parsed))
    assert [(s.name, s.kind, s.sentences, s.wire_copy) for s in found] == [
        ("Reuters", "agency", (f"{article.id}:s1",), True)
    ]
