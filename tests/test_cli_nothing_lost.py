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
