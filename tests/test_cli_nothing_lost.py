"""The command line never crashes on, nor silently ignores, a bad value or a file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import run_rashomon
from rashomon.corpus.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "c.db"
    open_store(path).close()
    return path


def one_line(text: str) -> str:
    return " ".join(text.replace("│", " ").split())


# --- 7. dates of stories --since / --until --------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [("--until", "2024-02-30"), ("--since", "notadate"), ("--since", "2024-13-01")],
)
def test_stories_refuses_a_date_that_is_not_one(db: Path, option: str, value: str) -> None:
    result = run_rashomon("stories", "--db", db, option, value, cwd=db.parent)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    message = one_line(result.stderr)
    assert f"Invalid value for '{option}'" in message
    assert f"'{value}' is not a date" in message


def test_stories_takes_a_real_date(db: Path) -> None:
    result = run_rashomon(
        "stories", "--db", db, "--since", "2024-02-29", "--format", "json", cwd=db.parent
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --- 8. file names are text, not rich markup --------------------------------------------------


@pytest.fixture
def odd_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "a[" / "x]b"  # the path holds "[/x]", a closing tag to rich
    folder.mkdir(parents=True)
    return folder


def test_ingest_prints_a_db_path_with_brackets_as_written(odd_dir: Path) -> None:
    (odd_dir / "empty.txt").write_text("", encoding="utf-8")
    db = odd_dir / "c[bold].db"
    result = run_rashomon("ingest", odd_dir / "empty.txt", "--db", db, cwd=odd_dir)
    assert "Traceback" not in result.stderr
    assert result.returncode == 1, result.stderr  # the empty file is rejected
    assert f"stories in {db}" in one_line(result.stderr)


def test_export_prints_an_output_path_with_brackets_as_written(db: Path, odd_dir: Path) -> None:
    out = odd_dir / "out.csv"
    result = run_rashomon("export", "--db", db, "-o", out, cwd=odd_dir)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert f"rows to {out}" in one_line(result.stderr)
