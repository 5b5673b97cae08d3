"""The store's read queries for the web app: story search, pages, members, the search index."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict, Unpack

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_article
from rashomon.corpus.migrations import MIGRATIONS
from rashomon.corpus.store import Store, open_store

if TYPE_CHECKING:
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    from rashomon.models import Comparison

NOW = "2025-06-01T00:00:00Z"
# story id -> (title, [(article id, outlet, date, entities)])
STORIES: dict[str, tuple[str, list[tuple[str, str, str | None, list[str]]]]] = {
    "s-fire": (
        "Warehouse fire at Port Venner",
        [
            ("a1", "Harbor Times", "2025-03-14", ["Ida Marsh", "Port Venner"]),
            ("a2", "Evening Ledger", "2025-03-15", ["Port Venner"]),
            ("a3", "Evening Ledger", "2025-03-16", []),
        ],
    ),
    "s-vote": ("Council vote on the budget", [("b1", "Coast Radio", "2025-04-02", ["Tom Reyes"])]),
    "s-ferry": (
        "Ferry returns to 100% service",
        [("c1", "Harbor Times", "2025-02-01", []), ("c2", "Coast_Radio", "2025-02-03", [])],
    ),
    "s-undated": ("Undated item", [("d1", "Bay Wire", None, ["Port Venner"])]),
}


def _fill(store: Store, *, features: bool = True) -> None:
    for story_id, (title, members) in STORIES.items():
        dates = [d for _, _, d, _ in members if d]
        for aid, outlet, day, entities in members:
            article = make_article(
                aid, outlet, [f"{title} ({aid}).", f"Text {aid}."], title=f"{title} {aid}", date=day
            )
            store.add_article(article, ingested_at=NOW)
            if features:
                store.put_cluster_features(
                    aid, vector=b"", entities=entities, day=day, title=title, dedupe_group=aid
                )
        store.upsert_story(
            story_id,
            title=title,
            first_date=min(dates) if dates else None,
            last_date=max(dates) if dates else None,
        )
        store.set_story_members(story_id, [m[0] for m in members])
    store.set_duplicates(["a2", "a3"], "a2", [])


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "corpus.db") as opened:
        _fill(opened)
        yield opened


class _Filters(TypedDict, total=False):
    query: str | None
    outlet: str | None
    since: str | None
    until: str | None


def _ids(store: Store, **filters: Unpack[_Filters]) -> list[str]:
    return [s.id for s in store.search_stories(**filters, limit=100).items]


def test_without_filters_the_search_lists_what_list_stories_lists(store: Store) -> None:
    page = store.search_stories(limit=100)
    assert page.total == 4
    assert list(page.items) == store.list_stories()
    fire = page.items[1]
    assert (fire.id, fire.n_articles, fire.n_distinct) == ("s-fire", 3, 2)
    assert fire.outlets == ("Evening Ledger", "Harbor Times")
    assert page.items[-1].id == "s-undated"  # undated last


def test_pages_cover_the_list_with_a_constant_total(store: Store) -> None:
    pages = [store.search_stories(limit=3, offset=n) for n in (0, 3, 6)]
    assert [p.total for p in pages] == [4, 4, 4]
    assert [s.id for p in pages for s in p.items] == ["s-vote", "s-fire", "s-ferry", "s-undated"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("venner", ["s-fire", "s-undated"]),  # title (any case), then an entity only
        ("ida marsh", ["s-fire"]),  # an entity
        ("evening ledger", ["s-fire"]),  # an outlet
        ("reyes budget", ["s-vote"]),  # words of one article, in any field
        ("fire ledger", ["s-fire"]),
        ("fire vote", []),  # no one article has both
        ("100%", ["s-ferry"]),  # % is literal
        ("coast_radio", ["s-ferry"]),  # so is _
        ("ba", ["s-undated"]),  # a short word: LIKE, not the trigram index
        ('"venner', []),  # quotes are part of the word, never FTS syntax
    ],
)
def test_search_words(store: Store, query: str, expected: list[str]) -> None:
    assert _ids(store, query=query) == expected


def test_filters_combine(store: Store) -> None:
    assert _ids(store, outlet="Harbor Times") == ["s-fire", "s-ferry"]
    assert _ids(store, outlet="Harbor Times", query="ferry") == ["s-ferry"]
    assert _ids(store, since="2025-03-16") == ["s-vote", "s-fire"]
    assert _ids(store, until="2025-03-14") == ["s-fire", "s-ferry"]
    assert _ids(store, since="2025-03-17", until="2025-04-01") == []
    assert store.search_stories(outlet="Nobody").total == 0


def test_members_and_outlets(store: Store) -> None:
    members = store.story_members("s-fire")
    assert [(m.id, m.outlet, m.date) for m in members] == [
        ("a1", "Harbor Times", "2025-03-14"),
        ("a2", "Evening Ledger", "2025-03-15"),
        ("a3", "Evening Ledger", "2025-03-16"),
    ]
    assert store.story_members("nope") == []
    assert store.outlet_names() == [
        "Bay Wire",
        "Coast Radio",
        "Coast_Radio",
        "Evening Ledger",
        "Harbor Times",
    ]


def test_the_migration_indexes_articles_stored_before_it(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with open_store(path, migrate=False) as old:
        old.migrate(MIGRATIONS[:2])
        _fill(old)
    with open_store(path) as store:
        assert store.applied_migrations()[-1] == "0003_story_search"
        assert _ids(store, query="ida marsh") == ["s-fire"]
        assert _ids(store, query="venner") == ["s-fire", "s-undated"]


def test_the_list_is_read_in_index_order(store: Store) -> None:
    run: list[str] = []
    store.conn.set_trace_callback(run.append)  # the SQL as search_stories sends it
    try:
        store.search_stories(limit=50)
    finally:
        store.conn.set_trace_callback(None)
    listing = [sql for sql in run if "ORDER BY" in sql and "LIMIT" in sql]
    assert len(listing) == 1, run
    plan = " | ".join(row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + listing[0]))
    assert "stories_recent" in plan
    assert "TEMP B-TREE" not in plan


@settings(max_examples=150, deadline=None)
@given(query=st.text(max_size=30), outlet=st.none() | st.text(max_size=10))
def test_any_query_is_safe(query: str, outlet: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder, open_store(Path(folder) / "c.db") as store:
        _fill(store, features=False)
        page = store.search_stories(query=query, outlet=outlet, limit=10)
        assert page.total >= len(page.items)
        assert {s.id for s in page.items} <= set(STORIES)


# --- the web app's caches and locks over this corpus (no models needed) ---------------------


def _web_app(path: str | Path) -> FastAPI:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    # no background comparer: it would load the models to compare these invented stories
    return create_app(path, settings=Settings(), background_comparisons=False)


def test_outlet_profiles_follow_a_comparison_replaced_in_place(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from rashomon.models import Comparison, Fact

    path = tmp_path / "corpus.db"
    ferry = Comparison(
        articles=(
            make_article("c1", "Harbor Times", ["Ferry crews struck."]),
            make_article("c2", "Coast_Radio", ["Crews walked out."]),
        ),
        facts=(Fact(id="f1", sentences=("c1:s1",), outlets=("Harbor Times",), status="single"),),
    )
    with open_store(path) as store:
        _fill(store)
        store.put_comparison("s-ferry", ferry)
        store.conn.execute("UPDATE comparisons SET version = '0.0.0-old'")  # an older rashomon's
    with TestClient(_web_app(path)) as client:

        def alone() -> int:
            found = {p["outlet"]: p for p in client.get("/api/outlets").json()}
            return int(found["Harbor Times"]["facts_alone"])

        assert alone() == 0  # the old version's comparison does not count
        with open_store(path) as store:  # what a story page does after that cache miss
            store.put_comparison("s-ferry", ferry)  # same row, same members: only json changes
        assert alone() == 1


def _ferry() -> Comparison:
    from rashomon.models import Comparison, Fact

    return Comparison(
        articles=(
            make_article("c1", "Harbor Times", ["Ferry crews struck."]),
            make_article("c2", "Coast_Radio", ["Crews walked out."]),
        ),
        facts=(Fact(id="f1", sentences=("c1:s1",), outlets=("Harbor Times",), status="single"),),
    )


def test_outlet_profiles_decode_each_comparison_once_while_an_ingest_commits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        _fill(store)
        store.put_comparison("s-ferry", _ferry())
    reads: list[str] = []
    get_comparison = Store.get_comparison

    def counted(self: Store, story_id: str) -> Comparison | None:
        reads.append(story_id)
        return get_comparison(self, story_id)

    monkeypatch.setattr(Store, "get_comparison", counted)
    with TestClient(_web_app(path)) as client:
        first = client.get("/api/outlets").json()
        for n in range(3):  # an ingest commits articles that change no comparison
            with open_store(path) as store:
                store.add_article(make_article(f"z{n}", "Coast Radio", ["More."]), ingested_at=NOW)
            assert client.get("/api/outlets").json() == first
        assert reads == ["s-ferry"]
        with open_store(path) as store:  # a member joins: the old comparison no longer counts
            store.add_story_members("s-ferry", ["z0"])
        alone = {p["outlet"]: p["facts_alone"] for p in client.get("/api/outlets").json()}
        assert alone["Harbor Times"] == 0


def test_outlet_profiles_being_computed_do_not_hold_up_other_requests(tmp_path: Path) -> None:
    import threading

    from fastapi.testclient import TestClient

    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        _fill(store)
        store.put_comparison("s-ferry", _ferry())
    app = _web_app(path)
    state = app.state.rashomon
    with TestClient(app) as client:
        before = client.get("/api/outlets").json()
        with open_store(path) as store:
            store.add_article(make_article("z1", "Wire Desk", ["More."]), ingested_at=NOW)
            store.upsert_story("s-z1", title="z", first_date=None, last_date=None)
            store.set_story_members("s-z1", ["z1"])
        answers: list[list[dict[str, object]]] = []
        state._profiling.acquire()  # stands for a request computing the new profiles
        try:
            reader = threading.Thread(
                target=lambda: answers.append(client.get("/api/outlets").json()), daemon=True
            )
            reader.start()
            reader.join(timeout=10)
            finished = not reader.is_alive()
        finally:
            state._profiling.release()
        after = client.get("/api/outlets").json()
    assert finished
    assert answers == [before]  # the last profiles, at once
    assert "Wire Desk" in {p["outlet"] for p in after}
    assert "Wire Desk" not in {p["outlet"] for p in before}


def test_a_single_article_story_does_not_wait_for_a_running_comparison(tmp_path: Path) -> None:
    import threading

    from fastapi.testclient import TestClient

    path = tmp_path / "corpus.db"
    with open_store(path) as store:
        _fill(store)
    app = _web_app(path)
    state = app.state.rashomon
    answers: list[int] = []
    with TestClient(app) as client:
        state.compare_lock.acquire()  # stands for a comparison that is running
        try:
            reader = threading.Thread(
                target=lambda: answers.append(client.get("/stories/s-vote").status_code),
                daemon=True,
            )
            reader.start()
            reader.join(timeout=10)
            finished = not reader.is_alive()
        finally:
            state.compare_lock.release()
        reader.join(timeout=10)
    assert finished
    assert answers == [200]


def test_outlet_names_are_sorted_whatever_the_query_plan(store: Store) -> None:
    # without the outlet index, SQLite's DISTINCT comes back in its own order
    store.conn.execute("DROP INDEX articles_outlet_date")
    assert store.outlet_names() == sorted(store.outlet_names())
    assert store.outlet_names()[0] == "Bay Wire"


def _page_of(client: TestClient, url: str) -> tuple[int, str]:
    """The status of an HTML page and its error message ("" when it has none)."""
    response = client.get(url)
    text = response.text
    start = text.find('<p class="message">')
    message = text[start + 19 : text.find("</p>", start)] if start >= 0 else ""
    return response.status_code, message


def test_page_dates_must_be_written_yyyy_mm_dd(store: Store) -> None:
    from fastapi.testclient import TestClient

    with TestClient(_web_app(store.path)) as client:
        for written in ("20250316", "2025-W11-1", "2025-075"):
            status, message = _page_of(client, f"/stories?since={written}")
            assert status == 422
            assert message == f"since: &#39;{written}&#39; is not a date; use YYYY-MM-DD"
        assert client.get("/stories?since=2025-03-16").status_code == 200


def test_a_page_past_the_last_one_is_404(store: Store, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    with TestClient(_web_app(store.path)) as client:
        assert _page_of(client, "/stories?page=3") == (
            404,
            "there is no page 3: the list has 1 page",
        )
        assert _page_of(client, "/outlets/Harbor%20Times?page=2")[0] == 404
        assert client.get("/stories?page=1&q=nothing%20like%20this").status_code == 200
    empty = tmp_path / "empty.db"
    open_store(empty).close()
    with TestClient(_web_app(empty)) as client:
        assert _page_of(client, "/stories?page=2") == (
            404,
            "there is no page 2: the list has 0 pages",
        )


def test_an_empty_corpus_says_how_to_add_articles(tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from web_helpers import Markup

    empty = tmp_path / "empty.db"
    open_store(empty).close()
    with TestClient(_web_app(empty)) as client:
        bare = client.get("/stories").text
        filtered = client.get("/stories?q=ferry").text
    assert len(Markup(bare).find("p", class_="empty")) == 1
    assert "The corpus holds no story yet" in bare
    assert "rashomon ingest FILES --db CORPUS" in bare
    assert "No story matches these filters." not in bare
    assert "No story matches these filters." in filtered


def test_a_one_article_story_download_is_409_as_in_the_api(store: Store) -> None:
    from fastapi.testclient import TestClient

    with TestClient(_web_app(store.path)) as client:
        api = client.get("/api/stories/s-vote/comparison")
        status, message = _page_of(client, "/stories/s-vote/comparison.json")
    assert api.status_code == 409
    assert status == 409
    assert message == api.json()["detail"]
    assert message == "[R120] story s-vote has 1 article: nothing to compare yet"


def test_site_navigation_and_outlet_story_headings(store: Store) -> None:
    from fastapi.testclient import TestClient

    from web_helpers import Markup

    with TestClient(_web_app(store.path)) as client:
        stories = Markup(client.get("/stories").text)
        outlet = Markup(client.get("/outlets/Harbor%20Times").text)
    assert stories.find("nav", aria_label="Site") == [{"class": "sitenav", "aria-label": "Site"}]
    assert len(stories.find("h2", class_="story-title")) == 4
    assert outlet.find("h2", class_="story-title") == []
    assert len(outlet.find("h3", class_="story-title")) == 2
