"""Per-story timelines: who reported first, when the others followed, in reports and the CLI."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from conftest import run_rashomon
from factories import make_article, make_comparison
from rashomon.analyze.timeline import (
    compact_timeline,
    comparison_timeline,
    describe_timeline,
    parse_when,
    story_timeline,
)
from rashomon.corpus.store import Store, open_store
from rashomon.models import Comparison
from rashomon.report.html import render_html

NOW = "2025-05-10T00:00:00Z"


def test_days_order_outlets_by_first_report_with_same_day_and_undated() -> None:
    timeline = story_timeline(
        [
            ("l2", "Ledger", "2025-05-06"),
            ("t1", "Times", "2025-05-03"),
            ("r1", "Radio", "2025-05-03"),
            ("l1", "Ledger", "2025-05-05"),
            ("x1", "Blog", None),
            ("x2", "Post", "last Tuesday"),
            ("x3", "Times", ""),
        ]
    )
    assert timeline.precision == "day"
    assert [(r.article, r.lag_days, r.lag_hours) for r in timeline.reports] == [
        ("r1", 0.0, None),
        ("t1", 0.0, None),
        ("l1", 2.0, None),
        ("l2", 3.0, None),
    ]
    assert [(r.outlet, r.date, r.is_first) for r in timeline.appearances] == [
        ("Radio", "2025-05-03", True),
        ("Times", "2025-05-03", True),
        ("Ledger", "2025-05-05", False),
    ]
    assert [(u.outlet, u.article, u.date) for u in timeline.undated] == [
        ("Blog", "x1", None),
        ("Post", "x2", "last Tuesday"),
        ("Times", "x3", None),
    ]
    assert timeline.outlets == ("Radio", "Times", "Ledger", "Blog", "Post")
    assert compact_timeline(timeline) == [
        {"outlet": "Radio", "first": "2025-05-03", "lag_days": 0.0, "lag_hours": None},
        {"outlet": "Times", "first": "2025-05-03", "lag_days": 0.0, "lag_hours": None},
        {"outlet": "Ledger", "first": "2025-05-05", "lag_days": 2.0, "lag_hours": None},
        {"outlet": "Blog", "first": None, "lag_days": None, "lag_hours": None},
        {"outlet": "Post", "first": None, "lag_days": None, "lag_hours": None},
    ]
    assert describe_timeline(timeline) == [
        "Radio first, on 2025-05-03",
        "Times the same day, on 2025-05-03",
        "Ledger followed 2 days later, on 2025-05-05",
        "No date for: Blog, Post",
    ]


def test_times_with_zones_give_lags_in_hours() -> None:
    timeline = story_timeline(
        [
            ("b", "Bay", "2025-05-03T14:30:00+02:00"),  # 12:30 UTC
            ("a", "Wire", "2025-05-03T09:00:00Z"),
            ("c", "Coast", "2025-05-03T09:20:00+00:00"),
            ("d", "Daily", "2025-05-06T09:00:00Z"),
        ]
    )
    assert timeline.precision == "time"
    assert [(r.outlet, r.lag_hours, r.lag_days) for r in timeline.appearances] == [
        ("Wire", 0.0, 0.0),
        ("Coast", 0.33, 0.01),
        ("Bay", 3.5, 0.15),
        ("Daily", 72.0, 3.0),
    ]
    assert timeline.reports[2].at == datetime(2025, 5, 3, 12, 30)  # placed in UTC
    assert describe_timeline(timeline) == [
        "Wire first, on 2025-05-03T09:00:00Z",
        "Coast followed 20 minutes later, on 2025-05-03T09:20:00+00:00",
        "Bay followed 3.5 hours later, on 2025-05-03T14:30:00+02:00",
        "Daily followed 3 days later, on 2025-05-06T09:00:00Z",
    ]


@pytest.mark.parametrize(
    "rows",
    [
        # one date without a time: the day is all that can be compared
        [("a", "Wire", "2025-05-03T23:00:00Z"), ("b", "Bay", "2025-05-04")],
        # a zone on one side only: the instants cannot be compared
        [("a", "Wire", "2025-05-03T23:00:00Z"), ("b", "Bay", "2025-05-04T01:00:00")],
    ],
)
def test_mixed_precision_falls_back_to_calendar_days(rows: list[tuple[str, str, str]]) -> None:
    timeline = story_timeline(rows)
    assert timeline.precision == "day"
    assert [(r.outlet, r.lag_days, r.lag_hours) for r in timeline.appearances] == [
        ("Wire", 0.0, None),
        ("Bay", 1.0, None),
    ]


def test_no_dates_and_no_rows() -> None:
    empty = story_timeline([])
    assert (empty.reports, empty.appearances, empty.undated) == ((), (), ())
    assert describe_timeline(empty) == []
    assert compact_timeline(empty) == []
    undated = story_timeline([("a", "Wire", None)])
    assert compact_timeline(undated) == [
        {"outlet": "Wire", "first": None, "lag_days": None, "lag_hours": None}
    ]


@pytest.mark.parametrize("text", [None, "", "  ", "2025-13-01", "March 5", "2025-05-03T25:00"])
def test_unreadable_dates_are_none(text: str | None) -> None:
    assert parse_when(text) is None


@pytest.mark.parametrize(
    "text", ["0001-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:00-14:00", "1000-01-01"]
)
def test_placeholder_dates_at_the_ends_of_the_calendar_are_none(text: str) -> None:
    assert parse_when(text) is None


def test_a_placeholder_date_leaves_the_report_and_its_chart_intact() -> None:
    # a feed's zero time next to a real date once made every report of the story fail
    c = make_comparison()
    first = dataclasses.replace(c.articles[0], date="0001-01-01T00:00:00+14:00")
    page = render_html(dataclasses.replace(c, articles=(first, *c.articles[1:])))
    section = _section(page, "timeline")
    assert section is not None
    assert f"No date for: {first.outlet}" in section
    assert '<img class="chart" src="data:image/svg+xml;base64,' in section


def test_timeline_of_a_comparison() -> None:
    timeline = comparison_timeline(make_comparison())
    assert [(r.outlet, r.lag_days) for r in timeline.appearances] == [
        ("Coast Radio", 0.0),
        ("Harbor Times", 0.0),
        ("Evening Ledger", 1.0),
    ]


# --- the HTML report ---------------------------------------------------------------------------


def _section(page: str, key: str) -> str | None:
    found = re.search(rf'<section id="{key}".*?</section>', page, flags=re.DOTALL)
    return found.group(0) if found else None


def test_the_report_has_a_timeline_section_when_two_articles_are_dated() -> None:
    page = render_html(make_comparison())
    section = _section(page, "timeline")
    assert section is not None
    assert '<li><a href="#timeline">Timeline</a></li>' in page
    items = re.search(r'<ol class="timeline">(.*?)</ol>', section)
    assert items is not None
    assert items.group(1) == (
        "<li>Coast Radio first, on 2025-05-03</li>"
        "<li>Harbor Times the same day, on 2025-05-03</li>"
        "<li>Evening Ledger followed 1 day later, on 2025-05-04</li>"
    )
    images = re.findall(r'<img class="chart" src="([^"]*)" alt="([^"]*)">', section)
    assert len(images) == 1
    assert images[0][0].startswith("data:image/svg+xml;base64,")
    assert images[0][1] == "Chart: each outlet's articles over time; the list below says the same"


def _undated(c: Comparison, keep: int) -> Comparison:
    articles = tuple(
        a if n < keep else dataclasses.replace(a, date=None) for n, a in enumerate(c.articles)
    )
    return dataclasses.replace(c, articles=articles)


@pytest.mark.parametrize("dated", [0, 1])
def test_no_timeline_section_with_fewer_than_two_dated_articles(dated: int) -> None:
    page = render_html(_undated(make_comparison(), dated))
    assert _section(page, "timeline") is None
    assert 'href="#timeline"' not in page
    assert "<img" not in page


def test_outlet_names_in_the_timeline_list_are_escaped() -> None:
    payload = '<script>alert(1)</script>&"'
    page = render_html(make_comparison(payload=payload))
    section = _section(page, "timeline")
    assert section is not None
    assert "<script>" not in section
    assert "Harbor Times&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot; the same day" in section


# --- the corpus: one query for every story, and the CLI ---------------------------------------


def _corpus(path: Path) -> Store:
    """Two stories in a real corpus file (no models: the rows are written directly)."""
    store = open_store(path)
    rows = [
        ("s-fire", make_article("a1", "Wire", ["Fire at the port."], date="2025-05-03")),
        ("s-fire", make_article("a2", "Post", ["Port fire."], date="2025-05-05")),
        ("s-fire", make_article("a3", "Blog", ["A fire."])),
        ("s-vote", make_article("b1", "Post", ["Council votes."], date="2025-05-04")),
    ]
    for story_id, article in rows:
        store.add_article(article, ingested_at=NOW)
        store.upsert_story(story_id, title=f"Title of {story_id}", first_date=None, last_date=None)
        store.add_story_members(story_id, [article.id])
    return store


def test_member_dates_reads_every_story_in_one_query(tmp_path: Path) -> None:
    store = _corpus(tmp_path / "corpus.db")
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    found = store.member_dates(["s-vote", "s-fire", "s-none"])
    store.conn.set_trace_callback(None)
    store.close()
    assert len(statements) == 1
    assert found == {
        "s-vote": [("b1", "Post", "2025-05-04")],
        "s-fire": [
            ("a1", "Wire", "2025-05-03"),
            ("a2", "Post", "2025-05-05"),
            ("a3", "Blog", None),
        ],
        "s-none": [],
    }


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_rashomon(*args, timeout=300)


def test_stories_json_carries_a_compact_timeline(tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    _corpus(db).close()
    result = _run("stories", "--db", db, "--format", "json")
    assert result.returncode == 0, result.stderr
    timelines = {row["id"]: row["timeline"] for row in json.loads(result.stdout)}
    assert timelines == {
        "s-fire": [
            {"outlet": "Wire", "first": "2025-05-03", "lag_days": 0.0, "lag_hours": None},
            {"outlet": "Post", "first": "2025-05-05", "lag_days": 2.0, "lag_hours": None},
            {"outlet": "Blog", "first": None, "lag_days": None, "lag_hours": None},
        ],
        "s-vote": [{"outlet": "Post", "first": "2025-05-04", "lag_days": 0.0, "lag_hours": None}],
    }
    table = _run("stories", "--db", db, "--format", "csv")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[0] == "id,title,first_date,last_date,articles,distinct,outlets"


def test_the_markdown_report_lists_the_timeline_escaped() -> None:
    from rashomon.report.markdown import render_markdown

    page = render_markdown(make_comparison(payload="<b>*x*</b>"))
    section = page.split("## Timeline\n\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [
        "1. Coast Radio&lt;b&gt;\\*x\\*&lt;/b&gt; first, on 2025-05-03",
        "2. Harbor Times&lt;b&gt;\\*x\\*&lt;/b&gt; the same day, on 2025-05-03",
        "3. Evening Ledger&lt;b&gt;\\*x\\*&lt;/b&gt; followed 1 day later, on 2025-05-04",
    ]
    undated = render_markdown(_undated(make_comparison(), 1))
    assert "## Timeline" not in undated
