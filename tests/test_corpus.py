"""Corpus mode as a user runs it: ingest, resume after a kill, list stories, compare one."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES, FIXTURES

pytestmark = pytest.mark.models

RASHOMON = str(Path(sys.executable).parent / "rashomon")
# the demo story, 35 single-article stories, and a syndicated copy of the agency story
INPUTS = [
    str(EXAMPLES),
    str(FIXTURES / "quotes" / "articles.jsonl"),
    str(FIXTURES / "corpus" / "syndicated.jsonl"),
]
TABLES = {
    "articles": "SELECT id, url, outlet, title, date, text FROM articles ORDER BY id",
    "sentences": "SELECT article_id, idx, start, end FROM sentences ORDER BY article_id, idx",
    "cluster_features": "SELECT seq, article_id, entities, date, title, dedupe_group "
    "FROM cluster_features ORDER BY seq",
    "stories": "SELECT id, title, first_date, last_date FROM stories ORDER BY id",
    "members": "SELECT story_id, article_id FROM story_members ORDER BY story_id, article_id",
    "groups": "SELECT article_id, group_id FROM dup_groups ORDER BY article_id",
    "copies": "SELECT article_id, origin_id FROM copies ORDER BY article_id, origin_id",
}


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}


def _ingest(db: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [RASHOMON, "ingest", *INPUTS, "--db", str(db), "--batch-size", "4", *extra],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
        check=False,
    )


def _dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as conn:
        return {name: conn.execute(sql).fetchall() for name, sql in TABLES.items()}


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("clean") / "corpus.db"
    result = _ingest(db)
    assert result.returncode == 0, result.stderr
    assert "ingested 40 (" in result.stderr
    assert "already stored 0, id conflicts 0, rejected 0, skipped 0;" in result.stderr
    return db


def test_ingesting_again_adds_nothing(clean_run: Path, tmp_path: Path) -> None:
    before = _dump(clean_run)
    result = _ingest(clean_run)
    assert result.returncode == 0, result.stderr
    assert "ingested 0 (0 near-duplicate wire copies), already stored 40, id conflicts 0, " in (
        result.stderr
    )
    assert _dump(clean_run) == before


def test_a_killed_ingest_resumes_to_the_same_corpus(clean_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    proc = subprocess.Popen(
        [RASHOMON, "ingest", *INPUTS, "--db", str(db), "--batch-size", "4"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=_env(),
    )
    deadline = time.monotonic() + 300
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                with sqlite3.connect(db, timeout=1) as conn:
                    stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.OperationalError:
                stored = 0
        if stored >= 6:
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert 6 <= stored < 40, f"the kill came too late to test anything ({stored} stored)"
    result = _ingest(db)
    assert result.returncode == 0, result.stderr
    assert _dump(db) == _dump(clean_run)


def test_forgetting_old_stories_and_groups_builds_the_same_corpus(
    clean_run: Path, tmp_path: Path
) -> None:
    # The inputs' dates jump back and forth over a year, so with the default 14-day horizon
    # ingest forgets often, and the late articles (the syndicated copy) take their days back.
    db = tmp_path / "corpus.db"
    result = _ingest(db, "--horizon-days", "none")
    assert result.returncode == 0, result.stderr
    assert _dump(db) == _dump(clean_run)


def test_stories_lists_the_demo_story_with_its_outlets(clean_run: Path) -> None:
    result = subprocess.run(
        [RASHOMON, "stories", "--db", str(clean_run), "--format", "json"],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stories = json.loads(result.stdout)
    assert sum(s["articles"] for s in stories) == 40
    harbor = [s for s in stories if "Port Venner" in (s["title"] or "")]
    outlets = {o for s in harbor for o in s["outlets"]}
    assert {"Coastline Post", "The Daily Courier", "Meridian Wire"} <= outlets


def test_a_stored_story_is_compared_and_cached(clean_run: Path) -> None:
    stories = json.loads(
        subprocess.run(
            [RASHOMON, "stories", "--db", str(clean_run), "--format", "json"],
            capture_output=True,
            text=True,
            env=_env(),
            check=True,
        ).stdout
    )
    story = max(stories, key=lambda s: s["articles"])
    args = [RASHOMON, "story", story["id"], "--db", str(clean_run), "--format", "json"]
    first = subprocess.run(args, capture_output=True, text=True, env=_env(), check=False)
    assert first.returncode == 0, first.stderr
    data = json.loads(first.stdout)
    assert data["schema"] == "rashomon/comparison@1"
    assert len(data["articles"]) == story["articles"]
    with sqlite3.connect(clean_run) as conn:
        assert conn.execute("SELECT count(*) FROM comparisons").fetchone()[0] == 1
    again = subprocess.run(args, capture_output=True, text=True, env=_env(), check=False)
    assert again.stdout == first.stdout


def test_an_unknown_story_is_a_clear_error(clean_run: Path) -> None:
    result = subprocess.run(
        [RASHOMON, "story", "nosuchstory", "--db", str(clean_run)],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("error [R100] nosuchstory: no story with this id")


def test_outlets_profiles_every_outlet(clean_run: Path) -> None:
    result = subprocess.run(
        [RASHOMON, "outlets", "--db", str(clean_run), "--format", "json"],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    profiles = {p["outlet"]: p for p in json.loads(result.stdout)}
    with sqlite3.connect(clean_run) as conn:
        outlets = {o for (o,) in conn.execute("SELECT DISTINCT outlet FROM articles")}
    assert set(profiles) == outlets
    assert sum(p["articles"] for p in profiles.values()) == 40


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_export_writes_every_story(clean_run: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"stories.{fmt}"
    result = subprocess.run(
        [
            RASHOMON,
            "export",
            "--db",
            str(clean_run),
            "--what",
            "stories",
            "-f",
            fmt,
            "-o",
            str(out),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(clean_run) as conn:
        ids = sorted(i for (i,) in conn.execute("SELECT id FROM stories"))
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    elif fmt == "csv":
        import csv

        with out.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
    assert sorted(r["id"] for r in rows) == ids


def test_export_of_facts_compares_the_stories_never_opened(clean_run: Path, tmp_path: Path) -> None:
    db = tmp_path / "corpus.db"
    with sqlite3.connect(clean_run) as source, sqlite3.connect(db) as copy:
        source.backup(copy)  # a corpus no `story` has opened yet
        copy.execute("DELETE FROM comparisons")
    out = tmp_path / "facts.jsonl"
    result = subprocess.run(
        [RASHOMON, "export", "--db", str(db), "--what", "facts", "-o", str(out)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    with sqlite3.connect(db) as conn:
        members: dict[str, set[str]] = {}
        for story, article in conn.execute("SELECT story_id, article_id FROM story_members"):
            members.setdefault(story, set()).add(article)
        compared = conn.execute("SELECT COUNT(*) FROM comparisons").fetchone()[0]
    assert compared >= 1
    told = f"compared {compared} {'story' if compared == 1 else 'stories'} not compared before"
    assert told in " ".join(result.stderr.split())
    assert "comparing stories" not in result.stderr  # progress only on a terminal
    assert rows
    for row in rows:
        assert set(row["story_articles"].split(",")) == members[row["story"]]


def test_export_and_stories_csv_write_one_row_shape(clean_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "stories.csv"
    env = _env()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [RASHOMON, *args], capture_output=True, text=True, env=env, check=False
        )

    exported = run("export", "--db", str(clean_run), "--what", "stories", "-o", str(out))
    listed = run("stories", "--db", str(clean_run), "--format", "csv")
    assert exported.returncode == listed.returncode == 0, exported.stderr + listed.stderr
    header = out.read_text("utf-8").splitlines()[0]
    assert header == listed.stdout.splitlines()[0]
    assert header == "id,title,first_date,last_date,articles,distinct,outlets"


def test_the_dask_engine_builds_the_same_corpus(clean_run: Path, tmp_path: Path) -> None:
    """A real LocalCluster with two worker processes does the per-article work."""
    db = tmp_path / "corpus.db"
    result = _ingest(db, "--engine", "dask", "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "ingested 40 (" in result.stderr
    assert "already stored 0, id conflicts 0, rejected 0, skipped 0;" in result.stderr
    assert _dump(db) == _dump(clean_run)


def test_the_syndicated_copy_points_to_the_agency_and_shares_its_story(clean_run: Path) -> None:
    with sqlite3.connect(clean_run) as conn:
        (origin,) = conn.execute(
            "SELECT a.outlet FROM copies c JOIN articles a ON a.id = c.origin_id "
            "WHERE c.article_id = 'lakeside-ledger-harbor-fire'"
        ).fetchone()
        stories = {
            s
            for (s,) in conn.execute(
                "SELECT m.story_id FROM story_members m JOIN articles a ON a.id = m.article_id "
                "WHERE a.outlet IN ('Meridian Wire', 'Lakeside Ledger')"
            )
        }
    assert origin == "Meridian Wire"
    assert len(stories) == 1


def _two_reports_five_days_apart(folder: Path) -> Path:
    """The demo story told by two outlets, the second report five days after the first."""
    wire = (EXAMPLES / "meridian-wire.txt").read_text(encoding="utf-8").split("\n", 3)[3]
    post = (EXAMPLES / "coastline-post.txt").read_text(encoding="utf-8").split("---\n", 2)[2]
    path = folder / "two.jsonl"
    records = [
        {"outlet": "Meridian Wire", "date": "2025-03-14", "title": "Port fire", "text": wire},
        {"outlet": "Coastline Post", "date": "2025-03-19", "title": "Port fire", "text": post},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _stories_of_the_two(db: Path) -> int:
    """In how many stories the two reports ended up."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT DISTINCT m.story_id FROM story_members m JOIN articles a "
            "ON a.id = m.article_id WHERE a.outlet IN ('Meridian Wire', 'Coastline Post')"
        ).fetchall()
    return len(rows)


def _ingest_in_process(db: Path, *extra: str) -> None:
    from typer.testing import CliRunner

    from rashomon.cli import app

    inputs = _two_reports_five_days_apart(db.parent)
    # other stories first, so the names the two share are rare (idf) as in a real corpus;
    # in-process, so the models load once for every run
    others = str(FIXTURES / "quotes" / "articles.jsonl")
    result = CliRunner().invoke(app, ["ingest", others, str(inputs), "--db", str(db), *extra])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("window", "n_stories"), [("7", 1), ("3", 2), ("none", 1), ("0", 1)])
def test_window_days_decides_whether_a_later_report_joins(
    tmp_path: Path, window: str, n_stories: int
) -> None:
    db = tmp_path / "corpus.db"
    _ingest_in_process(db, "--window-days", window)
    assert _stories_of_the_two(db) == n_stories


def test_window_days_in_rashomon_toml_is_used_by_ingest(tmp_path: Path) -> None:
    config = tmp_path / "rashomon.toml"
    config.write_text("window_days = 3\n", encoding="utf-8")
    db = tmp_path / "corpus.db"
    _ingest_in_process(db, "--config", str(config))
    assert _stories_of_the_two(db) == 2


@pytest.mark.parametrize("window", ["-1", "soon", "inf", "nan"])
def test_a_bad_window_is_a_usage_error(tmp_path: Path, window: str) -> None:
    db = tmp_path / "c.db"
    result = subprocess.run(
        [RASHOMON, "ingest", str(tmp_path), "--db", str(db), "--window-days", window],
        capture_output=True,
        text=True,
        env=_env(),
        check=False,
    )
    assert result.returncode == 2
    assert (
        f"Invalid value for '--window-days': '{window}' is not a number of days above 0, or "
        "none (0, none or off in a file, the environment or a flag) for no limit"
    ) in " ".join(result.stderr.replace("│", " ").split())
    assert not db.exists()
