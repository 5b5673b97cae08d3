"""An HTML page -> Article: trafilatura finds the main text, title, date and author."""

from __future__ import annotations

from rashomon.errors import InputError
from rashomon.inputs.clean import _read_body, _same_words
from rashomon.inputs.dates import parse_date
from rashomon.inputs.outlets import UNKNOWN_OUTLET, _outlet_from_source, article_id, outlet_from_url
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
    title = _meta_str(doc, "title")
    lines = [line.strip() for line in main.split("\n")]
    if title is not None and lines and _same_words(lines[0], title):
        lines = lines[1:]
    # trafilatura writes one paragraph per line.
    body = _read_body(
        "\n\n".join(lines),
        where=where,
        title=title,
        date=parse_date(_meta_str(doc, "date") or "", day_first=False),
        author=_html_author(_meta_str(doc, "author")),
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
    page_url = url or _meta_str(doc, "url")
    return Article(
        id=article_id(body.text),
        text=body.text,
        outlet=(outlet_from_url(page_url) if page_url else None)
        or _meta_str(doc, "sitename")
        or _meta_str(doc, "hostname")
        or _outlet_from_source(source)
        or UNKNOWN_OUTLET,
        title=body.title,
        date=body.date,
        source=source,
        url=page_url,
        author=body.author,
        boilerplate=boilerplate,
    )


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
