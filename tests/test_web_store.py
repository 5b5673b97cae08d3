"""The store's read queries for the web app: story search, pages, members, the search index."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import make_article
from rashomon.store import MIGRATIONS, Store, open_store

NOW = "2025-06-01T00:00:00Z"
# story id -> (title, [(article id, outlet, date, entities)])
STORIES = {
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
def store(tmp_path: Path) -> Store:
    with open_store(tmp_path / "corpus.db") as opened:
        _fill(opened)
        yield opened  # type: ignore[misc]


def _ids(store: Store, **filters: object) -> list[str]:
    return [s.id for s in store.search_stories(**filters, limit=100).items]  # type: ignore[arg-type]


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
    plan = " | ".join(
        row[3]
        for row in store.conn.execute(
            "EXPLAIN QUERY PLAN SELECT s.id FROM stories s "
            "ORDER BY s.last_date IS NULL, s.last_date DESC, s.id LIMIT 50"
        )
    )
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
