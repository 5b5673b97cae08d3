"""Header furniture, outlet names and placeholders on invented pages and texts (issue 13)."""

from __future__ import annotations

import pytest

from rashomon.inputs.html import parse_html
from rashomon.inputs.outlets import outlet_from_url
from rashomon.inputs.records import parse_record
from rashomon.inputs.text import parse_text

BODY = (
    "Workers at the island ferry company walked out at dawn on Monday, the union said. "
    "Every crossing to the mainland was cancelled until the evening."
)
BODY2 = "The company said talks would resume on Wednesday with a mediator from the port board."


def _page(*, head: str = "", body: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in (BODY, BODY2, BODY, BODY2))
    return (
        f"<html><head>{head}</head><body><article><h1>Ferry strike halts crossings</h1>"
        f"{paragraphs}{body}</article></body></html>"
    )


# --- header furniture -------------------------------------------------------------------------


def test_an_update_stamp_at_the_top_is_no_headline() -> None:
    article = parse_text(f"Last updated at 22:46 GMT\n\nFerry strike halts crossings\n\n{BODY}")
    assert (article.title, article.date, article.text) == (
        "Ferry strike halts crossings",
        None,
        BODY,
    )


def test_a_date_with_an_update_stamp_dates_the_article() -> None:
    text = f"14 May 2013 Last updated at 09:05 GMT\n\nFerry strike halts crossings\n\n{BODY}"
    article = parse_text(text)
    assert (article.title, article.date, article.text) == (
        "Ferry strike halts crossings",
        "2013-05-14",
        BODY,
    )


def test_a_date_below_subheads_is_metadata() -> None:
    text = (
        "Ferry strike halts crossings\nCrews walk out over pay\nUnion says talks failed\n"
        f"4 March 2019\n\n{BODY}\n\n{BODY2}"
    )
    article = parse_text(text)
    assert (article.title, article.date) == ("Ferry strike halts crossings", "2019-03-04")
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert [(b.text, b.reason) for b in article.boilerplate] == [
        ("Crews walk out over pay", "subhead"),
        ("Union says talks failed", "subhead"),
    ]


def test_crossheads_and_empty_quotes_are_no_text() -> None:
    text = (
        f"Ferry strike halts crossings\n\n{BODY}\n\nLONG NIGHT AT THE QUAY\n\n{BODY2}\n\n"
        f"'We waited'\n\n''\n\n{BODY}"
    )
    article = parse_text(text)
    assert article.text == f"{BODY}\n\n{BODY2}\n\n{BODY}"
    assert [(b.text, b.reason) for b in article.boilerplate] == [
        ("LONG NIGHT AT THE QUAY", "crosshead"),
        ("'We waited'", "crosshead"),
        ("''", "no-words"),
    ]


def test_a_quoted_sentence_is_text() -> None:
    article = parse_text(
        f"Ferry strike halts crossings\n\n{BODY}\n\n\u201cWe waited all night.\u201d"
    )
    assert article.text == f"{BODY}\n\n\u201cWe waited all night.\u201d"


# --- trailing furniture ---------------------------------------------------------------------------


def test_closing_furniture_is_removed_and_listed() -> None:
    text = (
        f"Ferry strike halts crossings\n\n{BODY}\n\n{BODY2}\n\n"
        "Our editorial standards: how the Harbour Gazette checks its stories.\n\n"
        "We would love to hear your thoughts on this story. Write to letters@gazette.example.\n\n"
        "Don't miss a story by signing up to our morning newsletter today!\n\n"
        "Show all 12"
    )
    article = parse_text(text)
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert [b.reason for b in article.boilerplate] == [
        "standards",
        "feedback",
        "newsletter",
        "gallery",
    ]


def test_the_same_words_inside_the_story_are_kept() -> None:
    text = (
        f"Ferry strike halts crossings\n\n{BODY}\n\n"
        "The union said it wanted to hear what the company thinks of its offer.\n\n{BODY2}"
    )
    assert "wanted to hear" in parse_text(text).text


# --- outlets ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://edition.harbourgazette.com/2024/x.html", "harbourgazette.com"),
        ("https://www.harbourgazette.com/x", "harbourgazette.com"),
        ("https://news.islandpost.co.uk/x", "islandpost.co.uk"),
        ("https://live.daily-courier.example/x", "daily-courier.example"),
        ("http://127.0.0.1:8000/news/x.html", None),
        ("http://localhost/x", None),
    ],
)
def test_one_outlet_one_domain(url: str, outlet: str | None) -> None:
    assert outlet_from_url(url) == outlet


def test_the_page_names_its_outlet() -> None:
    head = '<meta property="og:site_name" content="The Harbour Gazette">'
    article = parse_html(_page(head=head), url="https://edition.harbourgazette.com/x.html")
    assert article.outlet == "The Harbour Gazette"


def test_a_page_without_a_name_gets_its_folded_domain() -> None:
    article = parse_html(_page(), url="https://edition.harbourgazette.com/x.html")
    assert article.outlet == "harbourgazette.com"


def test_a_record_domain_is_folded() -> None:
    record = {
        "maintext": f"{BODY}\n\n{BODY2}",
        "title": "Ferry strike",
        "source_domain": "www.harbourgazette.com",
    }
    assert parse_record(record, source="r.json").outlet == "harbourgazette.com"


# --- placeholders and site suffixes ---------------------------------------------------------------


def test_a_placeholder_author_is_no_author() -> None:
    record = {"text": f"{BODY}\n\n{BODY2}", "title": "Ferry strike", "authors": ["No Author"]}
    assert parse_record(record, source="r.json").author is None
    head = '<meta name="author" content="No Author">'
    assert parse_html(_page(head=head), url="https://harbourgazette.com/x").author is None


def test_a_cms_name_is_no_title() -> None:
    from rashomon.inputs.html import _page_title

    html = _page(head='<meta property="og:title" content="Ferry strike halts crossings">')
    assert _page_title("cmsname", html, None, "harbourgazette.com") == (
        "Ferry strike halts crossings"
    )


def test_the_site_name_is_cut_off_the_title() -> None:
    from rashomon.inputs.meta import strip_site_suffix

    assert strip_site_suffix(
        "Ferry strike halts crossings | The Harbour Gazette", "The Harbour Gazette"
    ) == ("Ferry strike halts crossings")
    assert strip_site_suffix(
        "Ferry strike: crews walk out - Harbour Gazette", None, "harbourgazette.com"
    ) == ("Ferry strike: crews walk out")
    assert strip_site_suffix("Ferry strike - crews walk out", "Harbour Gazette") == (
        "Ferry strike - crews walk out"
    )
