"""Shared by the web tests: a real corpus built from our fixture articles, and an HTML checker.

The corpus holds the demo story, the 35 quote fixtures, the syndicated copy of the agency story
and two invented articles whose outlet, title, URL and text carry XSS payloads.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from conftest import EXAMPLES, FIXTURES

XSS_OUTLETS = ('<script>alert("outlet")</script>', 'Evil" onerror="alert(2)')
XSS_TITLE = "Ferry <img src=x onerror=alert(1)> returns to Caddon Quay"
XSS_URLS = (
    "javascript:alert(document.cookie)",
    'https://ok.example/f?a="><script>alert(3)</script>',
)
XSS_LINE = "<script>alert('text')</script> said the harbour master, Tamsin Quorrel."


def _xss_records() -> list[dict[str, str]]:
    body = (
        "The Caddon Quay ferry returned to service on Monday after three weeks of repairs, "
        "the operator said.\n\n{n} passengers took the first crossing to Velm Island.\n\n"
        '"We are glad to be back," {line}\n\n'
        "Repairs to the hull cost about {cost} euros, according to the operator."
    )
    return [
        {
            "outlet": XSS_OUTLETS[0],
            "title": XSS_TITLE,
            "date": "2025-04-07",
            "url": XSS_URLS[0],
            "text": body.format(n="About 120", line=XSS_LINE, cost="80,000"),
        },
        {
            "outlet": XSS_OUTLETS[1],
            "title": XSS_TITLE,
            "date": "2025-04-07",
            "url": XSS_URLS[1],
            "text": body.format(n="About 150", line=XSS_LINE, cost="90,000"),
        },
    ]


def build_corpus(db: Path, *, parser: object, embedder: object) -> Path:
    """Ingest the fixture articles into ``db`` with the session's real models."""
    from rashomon.corpus.build import LocalPreparer, ingest
    from rashomon.corpus.store import open_store
    from rashomon.settings import Settings

    xss = db.parent / "xss.jsonl"
    xss.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in _xss_records()),
        encoding="utf-8",
    )
    inputs = [
        EXAMPLES,
        FIXTURES / "quotes" / "articles.jsonl",
        FIXTURES / "corpus" / "syndicated.jsonl",
        xss,
    ]
    with open_store(db) as store:
        summary = ingest(
            store,
            inputs,
            settings=Settings(),
            preparer=LocalPreparer(parser, embedder),  # type: ignore[arg-type]
            ingested_at="2025-06-01T00:00:00+00:00",
            batch_size=16,
        )
    assert (summary.ingested, summary.rejected) == (42, 0)
    return db


def wait_until_compared(
    get: Callable[[str], Any], story_ids: Sequence[str], *, timeout_s: float = 600
) -> None:
    """Poll each story's comparison until the server has computed it (it answers 202 until
    then: comparisons are computed in the background, never in a request)."""
    deadline = time.monotonic() + timeout_s
    for story_id in story_ids:
        while get(f"/api/stories/{story_id}/comparison").status_code == 202:
            if time.monotonic() > deadline:
                raise AssertionError(f"story {story_id} not compared in {timeout_s} s")
            time.sleep(0.25)


class Markup(HTMLParser):
    """Every start tag with its attributes, and the text of each <script> element."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._in_script: dict[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        self.tags.append((tag, found))
        if tag == "script":
            self._in_script = found
            self.scripts.append((found, ""))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def find(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        """Tags named ``tag`` with these attribute values (``class_`` matches one class)."""
        wanted_class = attrs.pop("class_", None)
        return [
            a
            for t, a in self.tags
            if t == tag
            and all(a.get(k.replace("_", "-")) == v for k, v in attrs.items())
            and (wanted_class is None or wanted_class in a.get("class", "").split())
        ]


def assert_inert(html: str) -> Markup:
    """No script runs but our own files, no event handler attribute, no javascript: link."""
    page = Markup(html)
    for attrs, text in page.scripts:
        if attrs.get("type") == "application/json":
            json.loads(text)  # data, and it must parse as such
            continue
        assert attrs.get("src", "").startswith("/static/"), attrs
        assert not text.strip(), f"inline script: {text[:80]!r}"
    for tag, attrs in page.tags:
        handlers = [k for k in attrs if k.startswith("on")]
        assert not handlers, f"<{tag}> has event handlers {handlers}"
        for key in ("href", "src", "action", "formaction"):
            value = attrs.get(key, "").strip().lower()
            assert not value.startswith(("javascript:", "data:text", "vbscript:")), (tag, key)
        assert tag not in {"iframe", "object", "embed", "base", "style"}, tag
        assert "style" not in attrs, f"<{tag}> has an inline style, which the CSP blocks"
        if tag == "img":
            assert attrs.get("src", "").startswith(("/static/", "data:image/")), attrs
    return page
