"""Tests for rashomon.inputs.text: plain text, HTML and JSON records -> Article (invented texts)."""

from __future__ import annotations

import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.corpus.dedupe import make_entry
from rashomon.errors import InputError
from rashomon.inputs.dates import parse_date
from rashomon.inputs.html import parse_html
from rashomon.inputs.outlets import article_id, outlet_from_url
from rashomon.inputs.records import parse_record
from rashomon.inputs.text import parse_text
from rashomon.models import Boilerplate

BODY = "The harbour bridge reopened on Tuesday after three weeks of repairs, the council said."
BODY2 = "Engineers replaced forty-two cables and resurfaced the deck."


# --- article_id ------------------------------------------------------------------------------


def test_article_id_is_blake2b_of_whitespace_normalized_text() -> None:
    expected = hashlib.blake2b(b"one two three", digest_size=6).hexdigest()
    assert article_id("one two three") == expected
    assert article_id("  one\ttwo\n\nthree ") == expected
    assert re.fullmatch(r"[0-9a-f]{12}", expected)


def test_article_id_differs_for_different_text() -> None:
    assert article_id("one two three") != article_id("one two four")


# --- title -----------------------------------------------------------------------------------


def test_first_short_line_is_the_title() -> None:
    article = parse_text(f"Harbour bridge reopens after repairs\n\n{BODY}\n\n{BODY2}")
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert article.boilerplate == ()


def test_title_directly_followed_by_body_line() -> None:
    article = parse_text(f"Harbour bridge reopens\n{BODY}")
    assert article.title == "Harbour bridge reopens"
    assert article.text == BODY


def test_markdown_heading_title_loses_its_hashes() -> None:
    article = parse_text(f"# Harbour bridge reopens\n\n{BODY}")
    assert article.title == "Harbour bridge reopens"
    assert article.text == BODY


@pytest.mark.parametrize(
    "first",
    [
        "The bridge reopened on Tuesday.",  # ends like a sentence
        "The council said on Tuesday:",  # introduces what follows
        "Is the harbour bridge safe again?",
        "What a day for the harbour!",
        " ".join(["word"] * 21).capitalize(),  # too long
        "the bridge reopened on Tuesday",  # starts in lower case
    ],
)
def test_first_line_that_is_not_a_title(first: str) -> None:
    article = parse_text(f"{first}\n\n{BODY}")
    assert article.title is None
    assert article.text == f"{first}\n\n{BODY}"


def test_first_line_of_a_wrapped_paragraph_is_not_a_title() -> None:
    text = "The harbour bridge reopened on Tuesday after\nthree weeks of repairs, officials said."
    article = parse_text(text)
    assert article.title is None
    assert article.text == (
        "The harbour bridge reopened on Tuesday after three weeks of repairs, officials said."
    )


def test_a_single_line_text_has_no_title() -> None:
    article = parse_text("Harbour bridge reopens")
    assert article.title is None
    assert article.text == "Harbour bridge reopens"


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "2024-03-05",
        "2024/03/05",
        "March 5, 2024",
        "March 5th, 2024",
        "5 March 2024",
        "5th of March 2024",
        "Mar. 5, 2024",
        "Mar 5 2024",
        "5 Mar. 2024",
        "Tuesday, March 5, 2024",
        "Tue 5 March 2024",
        "05/03/2024",
        "05.03.2024",
        "05-03-2024",
        "05/03/24",
        "2024-03-05T10:30:00Z",
        "2024-03-05 10:30",
        "March 5, 2024 10:30 am",
        "5 March 2024, 14:05 GMT",
        "Tuesday 5 March 2024 at 9.15am",
        "Tue, 05 Mar 2024 10:00:00 GMT",
        "14:05 GMT, 5 March 2024",
    ],
)
def test_date_line_after_title(line: str) -> None:
    article = parse_text(f"Harbour bridge reopens\n{line}\n\n{BODY}")
    assert article.date == "2024-03-05"
    assert article.title == "Harbour bridge reopens"
    assert article.text == BODY


@pytest.mark.parametrize(
    "label",
    [
        "Date: ",
        "Date ",
        "DATE:",
        "Published ",
        "Published: ",
        "published on ",
        "Updated: ",
        "UPDATED ",
        "Posted on ",
        "posted on: ",
        "Last updated: ",
        "First published ",
        "Published - ",
    ],
)
def test_labelled_date_line(label: str) -> None:
    article = parse_text(f"Harbour bridge reopens\n{label}5 March 2024\n\n{BODY}")
    assert article.date == "2024-03-05"
    assert article.text == BODY


def test_published_stamp_wins_over_updated_stamp() -> None:
    text = f"Harbour bridge reopens\nUpdated 6 March 2024 | Published 5 March 2024\n\n{BODY}"
    article = parse_text(text)
    assert article.date == "2024-03-05"
    assert article.text == BODY


def test_published_line_wins_over_an_earlier_updated_line() -> None:
    text = f"Harbour bridge reopens\nUpdated: 6 March 2024\nPublished: 5 March 2024\n\n{BODY}"
    assert parse_text(text).date == "2024-03-05"


def test_date_line_before_title() -> None:
    article = parse_text(f"5 March 2024\nHarbour bridge reopens\n\n{BODY}")
    assert article.date == "2024-03-05"
    assert article.title == "Harbour bridge reopens"
    assert article.text == BODY


def test_date_line_without_title() -> None:
    article = parse_text(f"Published: 5 March 2024\n\n{BODY}\n\n{BODY2}")
    assert article.date == "2024-03-05"
    assert article.title is None
    assert article.text == f"{BODY}\n\n{BODY2}"


@pytest.mark.parametrize("separator", [" — ", " \u2013 ", " - ", " -- ", ": ", " | "])
def test_dateline_at_the_very_start_of_the_text(separator: str) -> None:
    article = parse_text(f"March 5, 2024{separator}{BODY}\n\n{BODY2}")
    assert article.date == "2024-03-05"
    assert article.text == f"{BODY}\n\n{BODY2}"


def test_dateline_after_the_title() -> None:
    article = parse_text(f"Harbour bridge reopens\n\n5 March 2024 — {BODY}")
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.text == BODY


@pytest.mark.parametrize(
    ("day_first", "expected"),
    [(True, "2024-03-05"), (False, "2024-05-03")],
)
def test_numeric_date_follows_day_first(day_first: bool, expected: str) -> None:
    article = parse_text(f"Harbour bridge reopens\n05/03/2024\n\n{BODY}", day_first=day_first)
    assert article.date == expected


def test_unambiguous_numeric_date_ignores_day_first() -> None:
    assert parse_date("13/03/2024", day_first=False) == "2024-03-13"
    assert parse_date("2024-03-05", day_first=True) == "2024-03-05"


def test_a_date_line_with_spaced_slashes_is_the_date_not_the_title() -> None:
    article = parse_text(f"9 / 10 / 2024 @ 1:19PM\n\n{BODY}")
    assert (article.title, article.date, article.text) == (None, "2024-10-09", BODY)


@pytest.mark.parametrize(
    "line",
    [
        "March 2024",  # no day
        "2024",
        "31/02/2024",  # no such day
        "The bridge reopened on 5 March 2024.",  # a sentence that contains a date
        "Date night at the harbour",
        "5 March 2024 was a busy day",
    ],
)
def test_lines_that_only_mention_dates_stay_in_the_text(line: str) -> None:
    article = parse_text(f"{line}\n\n{BODY}")
    assert article.date is None
    assert article.text.endswith(BODY)
    assert line in (article.title, article.text.split("\n\n")[0])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Sept. 5, 2024", "2024-09-05"),
        ("posted on March 5th, 2024 at 9:15 am", "2024-03-05"),
        ("UPDATED: 2024-03-05T10:00:00+01:00", "2024-03-05"),
        ("  5 March 2024  ", "2024-03-05"),
        ("next week", None),
        ("", None),
        ("2024-13-01", None),
        ("9 / 10 / 2024 @ 1:19PM", "2024-10-09"),
        ("Monday, Sep 9, 2024 | Updated 9:01 AM EDT", "2024-09-09"),
        ("Updated 9:01 AM EDT", None),  # a time alone is no date
    ],
)
def test_parse_date(value: str, expected: str | None) -> None:
    assert parse_date(value) == expected


# --- byline ----------------------------------------------------------------------------------


def test_byline_becomes_author() -> None:
    article = parse_text(
        f"Harbour bridge reopens\nBy Jane Roe and John Doe\n5 March 2024\n\n{BODY}"
    )
    assert article.author == "Jane Roe and John Doe"
    assert article.date == "2024-03-05"
    assert article.text == BODY


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    article = parse_text(f"Harbour bridge reopens\n\nBy Tuesday the bridge was open again.\n{BODY}")
    assert article.author is None
    assert article.text == f"By Tuesday the bridge was open again.\n\n{BODY}"


# --- front matter ----------------------------------------------------------------------------


def test_front_matter_wins_over_guesses() -> None:
    text = (
        "---\n"
        "title: Bridge back in service\n"
        "date: 2024-03-05\n"
        "outlet: Daily Courier\n"
        "url: https://www.daily-courier.example/news/bridge\n"
        "author: Jane Roe\n"
        "---\n"
        "Harbour bridge reopens\n"
        "Published: 6 March 2024\n"
        "\n"
        f"{BODY}\n"
    )
    article = parse_text(text, source="notes/meridian-wire.txt")
    assert article.title == "Bridge back in service"
    assert article.date == "2024-03-05"
    assert article.outlet == "Daily Courier"
    assert article.url == "https://www.daily-courier.example/news/bridge"
    assert article.author == "Jane Roe"
    # the guessed title line is not a title now, so it stays; the date line goes
    assert article.text == f"Harbour bridge reopens\n\n{BODY}"
    assert article.source == "notes/meridian-wire.txt"


def test_front_matter_title_repeated_as_first_line_is_removed() -> None:
    text = f"---\ntitle: Harbour bridge reopens\n---\n\nHarbour bridge reopens\n\n{BODY}"
    article = parse_text(text)
    assert article.title == "Harbour bridge reopens"
    assert article.text == BODY


def test_front_matter_dates_and_author_lists() -> None:
    text = f"---\ndate: 'Tuesday, March 5, 2024'\nauthors: [Jane Roe, John Doe]\n---\n{BODY}"
    article = parse_text(text)
    assert article.date == "2024-03-05"
    assert article.author == "Jane Roe, John Doe"
    assert article.text == BODY


def test_front_matter_yaml_datetime() -> None:
    article = parse_text(f"---\ndate: 2024-03-05 10:30:00\n---\n{BODY}")
    assert article.date == "2024-03-05"


def test_invalid_front_matter_is_an_error_with_line() -> None:
    text = f"---\ntitle: Harbour bridge\ndate: [2024\n---\n{BODY}"
    with pytest.raises(InputError) as info:
        parse_text(text, source="a.txt")
    assert info.value.where == "a.txt"
    assert info.value.line == 3  # the line where the YAML parser gave up
    assert info.value.problem.startswith("front matter is not valid YAML")


def test_front_matter_with_unreadable_date_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_text(f"---\ndate: next week\n---\n{BODY}", source="a.txt")
    assert str(info.value) == (
        "[R100] a.txt: field 'date' = 'next week' is not a date I can read. Write it as YYYY-MM-DD"
    )


def test_dashes_around_prose_are_not_front_matter() -> None:
    text = f"---\n{BODY}\n---\n{BODY2}"
    article = parse_text(text)
    # the prose is kept; the rules, lines without a word, are listed as furniture
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert [(b.text, b.reason) for b in article.boilerplate] == [
        ("---", "no-words"),
        ("---", "no-words"),
    ]


# --- outlet ----------------------------------------------------------------------------------


def test_outlet_from_file_stem() -> None:
    assert parse_text(BODY, source="in/meridian-wire.txt").outlet == "meridian-wire"


@pytest.mark.parametrize(
    ("footer", "expected"),
    [
        ("© 2025 Orlin Harbour Times. All rights reserved.", "Orlin Harbour Times"),
        ("Copyright (c) 2019-2024 The Kestle Gazette", "The Kestle Gazette"),
        ("© 2025 Orlin Harbour Times All rights reserved", "Orlin Harbour Times"),
        ("© Getty Images", "notes-7"),  # no year: a photo credit, not the page's notice
        ("All rights reserved.", "notes-7"),
    ],
)
def test_outlet_from_the_copyright_line_beats_the_file_stem(footer: str, expected: str) -> None:
    article = parse_text(f"{BODY}\n\n{footer}\n", source="in/notes-7.txt")
    assert article.outlet == expected
    assert footer not in article.text  # the line is furniture, kept apart


def test_outlet_from_url_source() -> None:
    article = parse_text(BODY, source="https://www.daily-courier.example/a.txt")
    assert article.outlet == "daily-courier.example"
    assert article.url == "https://www.daily-courier.example/a.txt"


def test_outlet_from_front_matter_url_beats_file_stem() -> None:
    text = f"---\nurl: https://www.daily-courier.example/x\n---\n{BODY}"
    assert parse_text(text, source="meridian-wire.txt").outlet == "daily-courier.example"


def test_outlet_unknown_without_any_hint() -> None:
    assert parse_text(BODY).outlet == "unknown"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.daily-courier.example/news/1", "daily-courier.example"),
        ("http://Harbor-Times.example:8080/x", "harbor-times.example"),
        ("meridian-wire.txt", None),
    ],
)
def test_outlet_from_url(url: str, expected: str | None) -> None:
    assert outlet_from_url(url) == expected


# --- boilerplate -----------------------------------------------------------------------------


def test_trailing_site_furniture_is_removed_and_listed() -> None:
    text = (
        f"Harbour bridge reopens\n\n{BODY}\n\n{BODY2}\n\n"
        "World\nBusiness\nMost read\nRelated stories\nCouncil votes on ferry budget\n"
        "Share this article\nSubscribe to the Daily Courier\nSign up for our newsletter\n"
        "Follow us on Twitter\n© 2025 Daily Courier Ltd\nCopyright 2025 Daily Courier\n"
        "All rights reserved.\n"
    )
    article = parse_text(text)
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert article.boilerplate == (
        Boilerplate(text="World", reason="trailing-short-line"),
        Boilerplate(text="Business", reason="trailing-short-line"),
        Boilerplate(text="Most read", reason="related-links"),
        Boilerplate(text="Related stories", reason="related-links"),
        Boilerplate(text="Council votes on ferry budget", reason="trailing-short-line"),
        Boilerplate(text="Share this article", reason="share"),
        Boilerplate(text="Subscribe to the Daily Courier", reason="newsletter"),
        Boilerplate(text="Sign up for our newsletter", reason="newsletter"),
        Boilerplate(text="Follow us on Twitter", reason="follow-us"),
        Boilerplate(text="© 2025 Daily Courier Ltd", reason="copyright"),
        Boilerplate(text="Copyright 2025 Daily Courier", reason="copyright"),
        Boilerplate(text="All rights reserved.", reason="copyright"),
    )


def test_mid_text_furniture_is_removed_and_listed() -> None:
    text = (
        f"{BODY}\n\nAdvertisement\n\n{BODY2}\nRead more: Council votes on ferry budget\n"
        "The deck will be inspected again in June."
    )
    article = parse_text(text)
    assert article.text == f"{BODY}\n\n{BODY2}\n\nThe deck will be inspected again in June."
    assert article.boilerplate == (
        Boilerplate(text="Advertisement", reason="advertisement"),
        Boilerplate(text="Read more: Council votes on ferry budget", reason="read-more"),
    )


def test_short_heading_inside_the_text_is_kept() -> None:
    text = f"{BODY}\n\nWhat happens next\n\n{BODY2}"
    article = parse_text(text)
    assert article.text == text
    assert article.boilerplate == ()


def test_real_sentences_that_mention_furniture_words_are_kept() -> None:
    text = (
        f"{BODY}\n\nThe council's newsletter said the bridge would stay open all year.\n\n"
        "Subscribers to the ferry pass will get a refund for the three weeks, it said."
    )
    article = parse_text(text)
    assert article.text == text
    assert article.boilerplate == ()


def test_text_that_is_only_furniture_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_text("Share this article\n© 2025 Daily Courier", source="a.txt")
    assert info.value.where == "a.txt"
    assert info.value.problem == (
        "no article text left after removing the title, date and site furniture"
    )


def test_empty_text_is_an_error() -> None:
    with pytest.raises(InputError):
        parse_text("   \n\n")


# --- body text as written ----------------------------------------------------------------------


def test_smart_quotes_and_dashes_are_kept() -> None:
    # en dash and single curly quotes written as escapes to keep the linter quiet
    quote = "“We are glad to have it back,” said a commuter — who crosses it daily \u2013 at 7am…"
    other = "\u2018Fine\u2019, said another."
    article = parse_text(f"Harbour bridge reopens\n\n{quote}\n\n{other}")
    assert article.text == f"{quote}\n\n{other}"


def test_crlf_and_bom_are_normalized() -> None:
    article = parse_text(f"\ufeffHarbour bridge reopens\r\n\r\n{BODY}\r\n{BODY2}\r\n")
    assert article.title == "Harbour bridge reopens"
    assert article.text == f"{BODY}\n\n{BODY2}"


def test_one_paragraph_per_line_and_list_items() -> None:
    text = f"{BODY}\n{BODY2}\n- first item\n- second item"
    article = parse_text(text)
    assert article.text == f"{BODY}\n\n{BODY2}\n\n- first item\n\n- second item"


def test_a_line_without_a_full_stop_stands_alone_in_a_text_written_a_paragraph_a_line() -> None:
    widget = "Advice if you are worried about the bridge"
    article = parse_text(f"Harbour bridge reopens\n\n{BODY}\n{BODY2}\n{widget}\n{BODY}")
    assert article.text == f"{BODY}\n\n{BODY2}\n\n{widget}\n\n{BODY}"


def test_hard_wrapped_lines_are_joined_into_their_paragraph() -> None:
    lines = [
        "The harbour bridge reopened on Tuesday after three",
        "weeks of repairs. Engineers replaced forty-two cables",
        "and resurfaced the deck, the transport office said in",
        "A statement issued on Monday.",
    ]
    article = parse_text("Harbour bridge reopens\n\n" + "\n".join(lines))
    assert article.text == " ".join(lines)


def test_id_is_the_hash_of_the_kept_text() -> None:
    article = parse_text(f"Harbour bridge reopens\n\n{BODY}\n\nShare this article")
    assert article.id == article_id(BODY)


# --- HTML ------------------------------------------------------------------------------------

_PARAGRAPHS = [
    "The harbour bridge reopened on Tuesday after three weeks of repairs, the council said.",
    "Engineers replaced forty-two cables and resurfaced the deck, the transport office said.",
    "“We are glad to have it back,” said a commuter who crosses it every morning.",
    "The council said the repairs cost less than planned and finished two days early.",
]
HTML_PAGE = f"""<!DOCTYPE html>
<html><head>
<title>Harbour bridge reopens | Daily Courier</title>
<meta property="og:site_name" content="Daily Courier">
<meta name="author" content="Jane Roe; John Doe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World news</a></li></ul></nav>
<header><p>Daily Courier, your city every day</p></header>
<main><article>
<h1>Harbour bridge reopens</h1>
<p>{_PARAGRAPHS[0]}</p>
<p>{_PARAGRAPHS[1]}</p>
<p>Advertisement</p>
<p>{_PARAGRAPHS[2]}</p>
<p>{_PARAGRAPHS[3]}</p>
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/b">Council votes on ferry budget</a></li></ul></aside>
<footer><p>© 2024 Daily Courier. All rights reserved.</p></footer>
</body></html>"""


def test_html_main_text_title_date_author() -> None:
    article = parse_html(
        HTML_PAGE, source="pages/courier.html", url="https://www.daily-courier.example/n/1"
    )
    assert article.text == "\n\n".join(_PARAGRAPHS)
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.author == "Jane Roe, John Doe"
    assert article.outlet == "Daily Courier"  # og:site_name: the page names itself
    assert article.url == "https://www.daily-courier.example/n/1"
    assert article.source == "pages/courier.html"
    assert article.id == article_id("\n\n".join(_PARAGRAPHS))


def test_html_furniture_is_summarized_and_inline_furniture_listed() -> None:
    article = parse_html(HTML_PAGE, source="courier.html")
    note, advert = article.boilerplate
    assert advert == Boilerplate(text="Advertisement", reason="advertisement")
    assert note.reason == "html-furniture"
    match = re.fullmatch(
        r"navigation, header and footer removed by trafilatura \((\d+) characters\)", note.text
    )
    assert match is not None
    dropped = [
        "Home",
        "World news",
        "Daily Courier, your city every day",
        "Most read",
        "Council votes on ferry budget",
        "© 2024 Daily Courier. All rights reserved.",
    ]
    # what was dropped, joined by single spaces (plus the space before the main text)
    assert int(match.group(1)) == len(" ".join(dropped)) + 1
    for line in dropped:
        assert line not in article.text


def test_html_outlet_without_url_is_the_site_name() -> None:
    assert parse_html(HTML_PAGE, source="courier.html").outlet == "Daily Courier"


def test_html_without_main_text_is_an_error() -> None:
    page = (
        "<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    )
    with pytest.raises(InputError) as info:
        parse_html(page, source="empty.html")
    assert info.value.where == "empty.html"


def test_html_empty_document_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_html("<html><body></body></html>", source="blank.html")
    assert info.value.problem == "no main text found in the HTML page"


# --- JSON records ----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["text", "body", "content", "maintext", "description"])
def test_record_text_aliases(field: str) -> None:
    article = parse_record({field: BODY}, source="feed.jsonl", line=1)
    assert article.text == BODY
    assert article.outlet == "feed"
    assert article.source == "feed.jsonl"


def test_record_description_is_only_a_last_resort() -> None:
    article = parse_record({"description": "A short summary.", "text": BODY}, source="f.json")
    assert article.text == BODY


@pytest.mark.parametrize("field", ["date", "date_publish", "published", "published_at"])
def test_record_date_aliases(field: str) -> None:
    article = parse_record({"text": BODY, field: "2024-03-05 10:00:00"}, source="f.json")
    assert article.date == "2024-03-05"


@pytest.mark.parametrize("field", ["outlet", "source", "source_domain", "site_name"])
def test_record_outlet_aliases(field: str) -> None:
    article = parse_record({"text": BODY, field: "Daily Courier"}, source="f.json")
    assert article.outlet == "Daily Courier"


def test_record_newsapi_source_object() -> None:
    record = {"content": BODY, "source": {"id": "courier", "name": "Daily Courier"}}
    assert parse_record(record, source="f.json").outlet == "Daily Courier"


def test_record_outlet_from_url() -> None:
    record = {"text": BODY, "url": "https://www.daily-courier.example/n/1"}
    article = parse_record(record, source="f.json")
    assert article.outlet == "daily-courier.example"
    assert article.url == "https://www.daily-courier.example/n/1"


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("author", "Jane Roe", "Jane Roe"),
        ("authors", ["Jane Roe", "John Doe"], "Jane Roe, John Doe"),
        ("author", ["Jane Roe"], "Jane Roe"),
        ("authors", "Jane Roe", "Jane Roe"),
    ],
)
def test_record_author_forms(field: str, value: object, expected: str) -> None:
    assert parse_record({"text": BODY, field: value}, source="f.json").author == expected


@pytest.mark.parametrize(("value", "expected"), [("c1", "c1"), (42, "42")])
def test_record_id_is_kept(value: object, expected: str) -> None:
    assert parse_record({"text": BODY, "id": value}, source="f.json").id == expected


@pytest.mark.parametrize("value", ["", None])
def test_record_without_id_gets_a_content_hash(value: object) -> None:
    assert parse_record({"text": BODY, "id": value}, source="f.json").id == article_id(BODY)


def test_news_please_record() -> None:
    record = {
        "authors": ["Jane Roe"],
        "date_download": "2024-03-07 08:00:00",
        "date_modify": None,
        "date_publish": "2024-03-05 10:00:00",
        "description": "The bridge is open.",
        "language": "en",
        "maintext": f"{BODY}\n{BODY2}\nShare this article",
        "source_domain": "daily-courier.example",
        "title": "Harbour bridge reopens",
        "url": "https://www.daily-courier.example/n/1",
    }
    article = parse_record(record, source="crawl.jsonl", line=7)
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.outlet == "daily-courier.example"
    assert article.author == "Jane Roe"
    assert article.url == "https://www.daily-courier.example/n/1"
    assert article.boilerplate == (Boilerplate(text="Share this article", reason="share"),)


def test_record_with_title_does_not_guess_one_from_text() -> None:
    record = {"title": "Bridge back", "text": f"Harbour bridge reopens\n\n{BODY}"}
    article = parse_record(record, source="f.json")
    assert article.title == "Bridge back"
    assert article.text == f"Harbour bridge reopens\n\n{BODY}"


def test_record_without_title_guesses_one_and_strips_date_line() -> None:
    record = {"text": f"Harbour bridge reopens\nPublished: 5 March 2024\n\n{BODY}"}
    article = parse_record(record, source="f.json")
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.text == BODY


def test_record_without_text_is_an_error() -> None:
    with pytest.raises(InputError) as info:
        parse_record({"title": "Harbour bridge reopens"}, source="feed.jsonl", line=3)
    assert str(info.value) == (
        "[R100] feed.jsonl:3: record has no text field (looked for text, body, content, "
        "maintext, description). Put the article body in a 'text' field"
    )


@pytest.mark.parametrize(
    ("record", "problem"),
    [
        ({"text": ["a", "b"]}, "field 'text' must be text, got list"),
        ({"text": 12}, "field 'text' must be the article text, got 12"),
        ({"text": BODY, "title": {"a": 1}}, "field 'title' must be text, got dict"),
        ({"text": BODY, "date": "soon"}, "field 'date' = 'soon' is not a date I can read"),
        ({"text": BODY, "id": 1.5}, "field 'id' must be a string or an integer, got float"),
    ],
)
def test_record_field_errors(record: dict[str, object], problem: str) -> None:
    with pytest.raises(InputError) as info:
        parse_record(record, source="feed.jsonl", line=2)
    assert info.value.problem == problem
    assert info.value.line == 2


# --- properties ------------------------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1)
_LINE = st.lists(_WORD, min_size=1, max_size=12).map(" ".join)
_PUNCT_LINE = st.tuples(_LINE, st.sampled_from(["", ".", "!", "?", ",", ":"])).map("".join)
_TEXT = st.lists(
    st.tuples(_PUNCT_LINE, st.sampled_from(["\n", "\n\n", "\n\n\n"])), min_size=1, max_size=8
).map(lambda parts: "".join(line + sep for line, sep in parts))


@given(_TEXT)
def test_parse_text_keeps_every_word_that_is_not_boilerplate(text: str) -> None:
    try:
        article = parse_text(text)
    except InputError:
        return  # only furniture: nothing was kept, and the error says so
    words = set(text.split())
    body = set(article.text.split())
    assert body <= words
    kept = body | set((article.title or "").split()) | set((article.author or "").split())
    removed = {word for item in article.boilerplate for word in item.text.split()}
    # dates need digits, which these texts lack, so every word is kept, a title, or listed
    # a byline's label ("By", "BY") is the one word neither kept nor listed
    label = {w for w in words if w.lower() == "by"} if article.author else set()
    assert words == kept | removed | label


@given(st.text())
def test_article_id_is_deterministic(text: str) -> None:
    assert article_id(text) == article_id(text)
    assert article_id(text) == article_id(" ".join(text.split()))
    assert re.fullmatch(r"[0-9a-f]{12}", article_id(text))


def test_a_closing_credit_line_is_furniture_and_still_marks_the_wire_copy() -> None:
    credit = "(Reporting by Ana Ruiz; Editing by Tom Berg)"
    article = parse_text(f"{BODY}\n\n{credit}\n", source="in/notes-7.txt")
    assert credit not in article.text  # not a sentence, so never a fact of the story
    assert Boilerplate(text=credit, reason="credit-line") in article.boilerplate
    assert make_entry(article).agency == "Reuters"  # dedupe still reads the credit
    # a credit inside the body is text, not furniture
    inside = parse_text(f"{BODY}\n\n{credit}\n\n{BODY2}\n", source="in/notes-7.txt")
    assert credit in inside.text
