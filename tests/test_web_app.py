"""The web app against a real corpus of our fixture articles, with the real models."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from fastapi.testclient import TestClient

from web_helpers import (
    XSS_OUTLETS,
    XSS_TITLE,
    Markup,
    assert_inert,
    build_corpus,
    wait_until_compared,
)

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
PAGE_SIZE = 10


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, parser, embedder) -> Path:  # type: ignore[no-untyped-def]
    return build_corpus(
        tmp_path_factory.mktemp("web") / "corpus.db", parser=parser, embedder=embedder
    )


@pytest.fixture(scope="module")
def client(corpus: Path) -> Iterator[TestClient]:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    app = create_app(corpus, settings=Settings(), page_size=PAGE_SIZE)
    with TestClient(app) as test_client:
        # the server compares the stories in the background: wait until it has
        stories = test_client.get("/api/stories", params={"per_page": 200}).json()["items"]
        wait_until_compared(test_client.get, [s["id"] for s in stories if len(s["outlets"]) >= 2])
        yield test_client


def _all_stories(client: TestClient) -> list[dict[str, object]]:
    body = client.get("/api/stories", params={"per_page": 200}).json()
    assert body["total"] == len(body["items"])
    return body["items"]  # type: ignore[no-any-return]


def _story_with(client: TestClient, outlet: str) -> dict[str, object]:
    found = [s for s in _all_stories(client) if outlet in s["outlets"]]  # type: ignore[operator]
    assert len(found) == 1
    return found[0]


def _message(html: str) -> str:
    match = re.search(r'<p class="message">(.*?)</p>', html, re.S)
    assert match, html[:500]
    return match.group(1)


# --- headers and error pages ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/stories", "/api/stories", "/static/app.css", "/static/report.js", "/nope", "/docs"]
)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["content-security-policy"] == CSP
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_home_redirects_to_the_stories(client: TestClient) -> None:
    response = client.get("/", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (302, "/stories")


def test_an_unknown_story_is_a_404_page_in_html_and_json(client: TestClient) -> None:
    page = client.get("/stories/no-such-story")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert _message(page.text) == "no story with id &#39;no-such-story&#39;"
    api = client.get("/api/stories/no-such-story")
    assert (api.status_code, api.json()) == (404, {"detail": "no story with id 'no-such-story'"})
    assert client.get("/api/stories/no-such-story/comparison").status_code == 404
    assert client.get("/stories/no-such-story/comparison.json").status_code == 404


def test_an_unknown_outlet_is_a_404_page(client: TestClient) -> None:
    assert client.get("/outlets/Nobody%20Weekly").status_code == 404
    assert client.get("/api/outlets/Nobody%20Weekly").json() == {
        "detail": "no outlet named 'Nobody Weekly' in this corpus"
    }


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ("page=0", "[query -> page] Input should be greater than or equal to 1"),
        ("per_page=100000", "[query -> per_page] Input should be less than or equal to 200"),
        ("since=2025-13-01", "[query -> since] Input should be a valid date"),
        ("page=x", "[query -> page] Input should be a valid integer"),
        ("until=0", "[query -> until] Value error, use a date written YYYY-MM-DD"),
    ],
)
def test_bad_api_parameters_are_422_with_a_message(
    client: TestClient, query: str, problem: str
) -> None:
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 422
    assert response.json()["detail"].startswith(problem)


def test_bad_page_parameters_are_a_422_page(client: TestClient) -> None:
    bad_date = client.get("/stories?since=2025-02-30")
    assert bad_date.status_code == 422
    assert _message(bad_date.text) == "since: &#39;2025-02-30&#39; is not a date; use YYYY-MM-DD"
    bad_page = client.get("/stories?page=0")
    assert bad_page.status_code == 422
    assert "Traceback" not in bad_page.text


def test_a_server_error_is_a_page_without_traceback(corpus: Path, tmp_path: Path) -> None:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    db = tmp_path / "gone.db"
    db.write_bytes(corpus.read_bytes())
    app = create_app(db, settings=Settings())
    db.write_bytes(b"this is no longer a SQLite file" * 100)
    with TestClient(app, raise_server_exceptions=False) as broken:
        page = broken.get("/stories")
        api = broken.get("/api/stories")
    assert page.status_code == 500
    assert "cannot be opened as a SQLite database" in _message(page.text)
    assert "Traceback" not in page.text
    assert api.status_code == 500
    assert "cannot be opened as a SQLite database" in api.json()["detail"]


# --- stories ----------------------------------------------------------------------------------


def test_the_stories_page_follows_the_dom_contract(client: TestClient, corpus: Path) -> None:
    from rashomon.corpus.store import open_store

    with open_store(corpus) as store:
        outlets = sorted({o for _, _, o in store.memberships()})
        newest = [s.id for s in store.list_stories()[:PAGE_SIZE]]
    page = assert_inert(client.get("/stories").text)
    assert len(page.find("form", id="story-filters")) == 1
    assert {a["name"] for a in page.find("input") if "name" in a} == {"q", "since", "until"}
    assert [a["type"] for a in page.find("input") if a.get("name") in ("since", "until")] == [
        "date",
        "date",
    ]
    assert len(page.find("select", name="outlet")) == 1
    options = [a["value"] for a in page.find("option")]
    assert options == ["", *outlets]
    assert len(page.find("button", type="submit")) == 1
    assert [a["data-story-id"] for a in page.find("li", class_="story")] == newest
    links = [a["href"] for a in page.find("a", class_="story-link")]
    assert links == [f"/stories/{s}" for s in newest]
    assert page.find("a", rel="next") == [{"rel": "next", "href": "/stories?page=2"}]
    assert page.find("a", rel="prev") == []


def test_the_pages_of_the_list_cover_every_story_once(client: TestClient) -> None:
    everything = [s["id"] for s in _all_stories(client)]
    seen: list[str] = []
    url: str | None = "/stories"
    while url:
        page = Markup(client.get(url).text)
        seen += [a["data-story-id"] for a in page.find("li", class_="story")]
        nexts = page.find("a", rel="next")
        url = nexts[0]["href"].replace("&amp;", "&") if nexts else None
    assert seen == everything
    last = Markup(client.get(f"/stories?page={len(everything) // PAGE_SIZE + 1}").text)
    assert last.find("a", rel="next") == []
    assert len(last.find("a", rel="prev")) == 1


def test_api_pagination_totals(client: TestClient, corpus: Path) -> None:
    from rashomon.corpus.store import open_store

    with open_store(corpus) as store:
        everything = [s.id for s in store.list_stories()]
        assert sum(s.n_articles for s in store.list_stories()) == 42
    assert [s["id"] for s in _all_stories(client)] == everything
    n_pages = -(-len(everything) // 7)
    pages = [
        client.get("/api/stories", params={"per_page": 7, "page": n}).json()
        for n in range(1, n_pages + 2)
    ]
    assert {p["total"] for p in pages} == {len(everything)}
    assert [len(p["items"]) for p in pages[:-2]] == [7] * (n_pages - 1)
    assert len(pages[-2]["items"]) == len(everything) - 7 * (n_pages - 1)
    assert pages[-1]["items"] == []  # past the end: empty, not an error
    assert [s["id"] for p in pages for s in p["items"]] == everything


def test_search_matches_titles_outlets_and_names(client: TestClient) -> None:
    def ids(**params: str) -> set[str]:
        body = client.get("/api/stories", params={**params, "per_page": 200}).json()
        assert body["total"] == len(body["items"])
        return {s["id"] for s in body["items"]}

    stories = _all_stories(client)
    venner = {s["id"] for s in stories if "Venner" in (s["title"] or "")}
    assert venner
    assert ids(q="venner") >= venner  # any case, part of a word
    courier = {s["id"] for s in stories if "The Daily Courier" in s["outlets"]}
    assert ids(q="daily courier") == courier
    assert ids(outlet="The Daily Courier") == courier
    # "Tamsin Quorrel" is named only in the text of the XSS pair, never in a title or outlet
    assert ids(q="Tamsin Quorrel") == {_story_with(client, XSS_OUTLETS[0])["id"]}
    assert ids(q="zzzz-nothing") == set()
    assert ids(q="venner", since="2030-01-01") == set()


def test_date_filters_keep_stories_active_in_the_range(client: TestClient) -> None:
    stories = _all_stories(client)
    body = client.get(
        "/api/stories", params={"since": "2025-09-01", "until": "2025-10-31", "per_page": 200}
    ).json()
    expected = [
        s["id"]
        for s in stories
        if s["last_date"]
        and s["first_date"]
        and s["last_date"] >= "2025-09-01"
        and s["first_date"] <= "2025-10-31"
    ]
    assert expected
    assert [s["id"] for s in body["items"]] == expected


def test_an_empty_result_shows_the_empty_message(client: TestClient) -> None:
    page = Markup(client.get("/stories", params={"q": "no story says this"}).text)
    assert page.find("li", class_="story") == []
    assert len(page.find("p", class_="empty")) == 1


# --- one story --------------------------------------------------------------------------------


def test_a_story_page_shows_the_comparison_side_by_side(client: TestClient) -> None:
    story = _story_with(client, "Lakeside Ledger")
    response = client.get(f"/stories/{story['id']}")
    assert response.status_code == 200
    page = assert_inert(response.text)
    columns = page.find("section", class_="col")
    assert len(columns) == story["articles"]
    boxes = page.find("input", name="column")
    assert [(b["type"], b["value"]) for b in boxes] == [
        ("checkbox", str(n)) for n in range(len(columns))
    ]
    base = f"/stories/{story['id']}/comparison"
    assert page.find("a", id="download-json")[0]["href"] == base + ".json"
    assert page.find("a", id="download-md")[0]["href"] == base + ".md"
    assert page.find("a", id="download-html")[0]["href"] == base + ".html"
    cites = page.find("a", class_="cite")
    assert cites
    targets = {a["id"] for a in page.find("span", class_="sent") if "id" in a}
    assert {c["href"].removeprefix("#") for c in cites} <= targets
    data = [json.loads(t) for a, t in page.scripts if a.get("id") == "rashomon-data"]
    assert len(data) == 1
    assert data[0]["facts"]
    assert [a["src"] for a, _ in page.scripts if "src" in a] == [
        "/static/report.js",
        "/static/app.js",
    ]


def test_a_story_with_one_article_has_nothing_to_compare(client: TestClient) -> None:
    single = next(s for s in _all_stories(client) if s["articles"] == 1)
    response = client.get(f"/stories/{single['id']}")
    assert response.status_code == 200
    assert "Nothing to compare yet" in response.text
    api = client.get(f"/api/stories/{single['id']}/comparison")
    assert api.status_code == 409
    assert "nothing to compare yet" in api.json()["detail"]


def test_the_comparison_json_validates_against_the_schema(client: TestClient) -> None:
    from rashomon.schema import SCHEMA_ID, from_json, json_schema

    story = _story_with(client, "Lakeside Ledger")
    response = client.get(f"/api/stories/{story['id']}/comparison")
    assert response.status_code == 200
    data = response.json()
    jsonschema.validate(data, json_schema())
    comparison = from_json(response.text)
    assert data["schema"] == SCHEMA_ID
    assert {a.outlet for a in comparison.articles} == set(story["outlets"])  # type: ignore[arg-type]
    download = client.get(f"/stories/{story['id']}/comparison.json")
    assert from_json(download.text) == comparison
    assert download.headers["content-disposition"] == (
        f'attachment; filename="story-{story["id"]}.json"'
    )


def test_the_story_api_lists_the_members(client: TestClient) -> None:
    story = _story_with(client, "Lakeside Ledger")
    detail = client.get(f"/api/stories/{story['id']}").json()
    assert {k: detail[k] for k in story} == story
    assert {m["outlet"] for m in detail["members"]} == set(story["outlets"])  # type: ignore[arg-type]
    assert len(detail["members"]) == story["articles"]
    assert set(detail["members"][0]) == {"id", "outlet", "title", "date", "url"}


def test_markdown_and_html_downloads(client: TestClient) -> None:
    story = _story_with(client, "Lakeside Ledger")
    md = client.get(f"/stories/{story['id']}/comparison.md")
    assert md.headers["content-type"].startswith("text/markdown")
    assert md.text.startswith("# ")
    html = client.get(f"/stories/{story['id']}/comparison.html")
    assert html.text.startswith("<!doctype html>")
    assert html.headers["content-disposition"].startswith("attachment;")
    assert client.get(f"/stories/{story['id']}/comparison.pdf").status_code == 404


# --- untrusted text ---------------------------------------------------------------------------


def test_payloads_in_titles_outlets_urls_and_text_stay_inert(client: TestClient) -> None:
    story = _story_with(client, XSS_OUTLETS[0])
    pages = {
        "list": client.get("/stories", params={"q": "Caddon"}),
        "story": client.get(f"/stories/{story['id']}"),
        "outlets": client.get("/outlets"),
        "outlet": client.get("/outlets/" + XSS_OUTLETS[1].replace('"', "%22")),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        assert_inert(response.text)
        assert "<script>alert" not in response.text, name
        assert "<img src=x" not in response.text, name
    story_html = pages["story"].text
    assert "&lt;img src=x onerror=alert(1)&gt;" in story_html  # shown as text
    assert "&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in story_html
    assert 'href="javascript:' not in story_html
    # the https URL is a link, its quotes escaped inside the attribute
    assert "https://ok.example/f?a=&#34;&gt;&lt;script&gt;" in story_html or (
        "https://ok.example/f?a=&quot;&gt;&lt;script&gt;" in story_html
    )
    listed = Markup(pages["list"].text).find("li", class_="story")
    assert [li["data-story-id"] for li in listed] == [story["id"]]
    assert XSS_TITLE.replace("<", "&lt;").replace(">", "&gt;") in pages["list"].text


# --- outlets ----------------------------------------------------------------------------------


def test_outlet_pages_and_api(client: TestClient, corpus: Path) -> None:
    from rashomon.corpus.store import open_store

    with open_store(corpus) as store:
        outlets = sorted({o for _, _, o in store.memberships()})
    profiles = client.get("/api/outlets").json()
    assert [p["outlet"] for p in profiles] == outlets
    page = assert_inert(client.get("/outlets").text)
    assert [row["data-outlet"] for row in page.find("tr", class_="profile")] == outlets
    one = client.get("/api/outlets/Lakeside%20Ledger").json()
    assert one["profile"]["outlet"] == "Lakeside Ledger"
    assert one["profile"]["wire_copies"] == 1
    assert [s["id"] for s in one["stories"]["items"]] == [
        _story_with(client, "Lakeside Ledger")["id"]
    ]
    html = Markup(client.get("/outlets/Lakeside%20Ledger").text)
    assert len(html.find("li", class_="story")) == 1


# --- API description --------------------------------------------------------------------------


def test_openapi_documents_the_api_and_the_comparison(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/comparison",
        "/api/outlets",
        "/api/outlets/{name}",
        "/api/compare",
    }
    comparison = schema["components"]["schemas"]["Comparison"]
    assert comparison["properties"]["articles"]["items"] == {
        "$ref": "#/components/schemas/ComparisonArticle"
    }
    refs = re.findall(r'"\$ref": "([^"]+)"', json.dumps(schema))
    assert all(
        r.removeprefix("#/components/schemas/") in schema["components"]["schemas"] for r in refs
    )
    docs = assert_inert(client.get("/docs").text)
    assert all(not a.get("src", "/").startswith("http") for _, a in docs.tags)
    assert client.get("/redoc").status_code == 404


def test_pages_are_read_while_an_ingest_holds_the_write_lock(
    client: TestClient, corpus: Path
) -> None:
    import sqlite3

    before = client.get("/api/stories").json()["total"]
    writer = sqlite3.connect(corpus, isolation_level=None, timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute(
            "INSERT INTO stories (id, title, first_date, last_date) "
            "VALUES ('uncommitted', 'Not yet', '2025-01-01', '2025-01-01')"
        )
        during = client.get("/api/stories").json()["total"]
        assert client.get("/stories").status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert during == before


def test_an_unexpected_error_is_a_500_page_with_the_headers(
    client: TestClient, corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rashomon.settings import Settings
    from rashomon.web import pages
    from rashomon.web.app import create_app

    def broken(*args: object) -> str:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(pages, "render_markdown", broken)
    story = _story_with(client, "Lakeside Ledger")["id"]
    with TestClient(create_app(corpus, settings=Settings()), raise_server_exceptions=False) as c:
        response = c.get(f"/stories/{story}/comparison.md")
    assert response.status_code == 500
    assert _message(response.text) == "the server failed to answer this request; it has been logged"
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["content-security-policy"] == CSP


def test_a_deleted_corpus_is_a_500_page_and_is_not_recreated(corpus: Path, tmp_path: Path) -> None:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    db = tmp_path / "moved.db"
    db.write_bytes(corpus.read_bytes())
    app = create_app(db, settings=Settings())
    db.unlink()
    with TestClient(app) as moved:
        response = moved.get("/api/stories")
    assert response.status_code == 500
    assert response.json() == {"detail": f"[R400] {db}: the corpus file is gone"}
    assert not db.exists()
