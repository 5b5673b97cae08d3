"""An HTML page -> Article: trafilatura finds the main text, title, date and author."""

from __future__ import annotations

from rashomon.errors import InputError
from rashomon.inputs.clean import _read_body, _same_words
from rashomon.inputs.dates import parse_date
from rashomon.inputs.meta import (
    clean_author,
    is_placeholder_title,
    outlet_host,
    outlet_name,
    strip_site_suffix,
)
from rashomon.inputs.outlets import UNKNOWN_OUTLET, _outlet_from_source, article_id
from rashomon.models import Article, Boilerplate


def parse_html(
    html: str, *, source: str | None = None, url: str | None = None, day_first: bool = True
) -> Article:
    """Read an HTML page: trafilatura finds the main text, title, date and author.

    Navigation, header and footer that trafilatura discards are summarized in one
    ``html-furniture`` Boilerplate entry (their size); furniture left inside the main text is
    listed line by line as for plain text.

    Raises:
        InputError: the page has no main text.
    """
    import trafilatura  # imported here: it pulls in lxml and friends, ~0.3 s at start-up

    where = source or url or "<html>"
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        # Only dates the page states in its metadata: the extensive search turns a footer's
        # "© 2024" into 2024-01-01.
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    main = getattr(doc, "text", None) if doc is not None else None
    if not isinstance(main, str) or not main.strip():
        raise InputError(
            where,
            "no main text found in the HTML page",
            "Check that the page is an article, or save its text as a .txt file",
        )
    page_url = url or _meta_str(doc, "url")
    site_name = _meta_str(doc, "sitename")
    outlet = (
        outlet_name(site_name, page_url)
        or outlet_host(_meta_str(doc, "hostname") or "")
        or _outlet_from_source(source)
        or UNKNOWN_OUTLET
    )
    title = _page_title(_meta_str(doc, "title"), html, site_name, outlet)
    lines = [line.strip() for line in main.split("\n")]
    if title is not None and lines and _same_words(lines[0], title):
        lines = lines[1:]
    # trafilatura writes one paragraph per line.
    body = _read_body(
        "\n\n".join(lines),
        where=where,
        title=title,
        date=parse_date(_meta_str(doc, "date") or "", day_first=False),
        author=clean_author(_html_author(_meta_str(doc, "author"))),
        day_first=day_first,
    )
    page_chars = len(" ".join(trafilatura.html2txt(html, clean=False).split()))
    dropped = page_chars - len(" ".join(main.split()))
    boilerplate = body.boilerplate
    if dropped > 0:
        note = Boilerplate(
            text=f"navigation, header and footer removed by trafilatura ({dropped} characters)",
            reason="html-furniture",
        )
        boilerplate = (note, *boilerplate)
    return Article(
        id=article_id(body.text),
        text=body.text,
        outlet=outlet,
        title=body.title,
        date=body.date,
        source=source,
        url=page_url,
        author=body.author,
        boilerplate=boilerplate,
    )


def _page_title(title: str | None, html: str, site_name: str | None, outlet: str) -> str | None:
    """The headline: a placeholder (a CMS name) gives way to og:title, <h1> or <title>, and the
    site's own name is cut off its end ("... | The Daily Courier")."""
    if title is None or is_placeholder_title(title):
        title = _fallback_title(html) or (None if title and is_placeholder_title(title) else title)
    if title is None:
        return None
    return strip_site_suffix(title, site_name, outlet) or None


def _fallback_title(html: str) -> str | None:
    from trafilatura.utils import load_html  # trafilatura's own lxml parsing

    tree = load_html(html)
    if tree is None:
        return None
    for path in ('//meta[@property="og:title"]/@content', "//h1", "//head/title"):
        for found in tree.xpath(path):
            text = " ".join(str(getattr(found, "text_content", lambda f=found: f)()).split())
            if text and not is_placeholder_title(text):
                return text
    return None


def _meta_str(doc: object, name: str) -> str | None:
    value = getattr(doc, name, None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _html_author(author: str | None) -> str | None:
    """trafilatura joins several authors with '; '; we use ', ' as for JSON records."""
    if author is None:
        return None
    return ", ".join(part.strip() for part in author.split(";") if part.strip()) or None
