"""Tests for the ``rashomon`` console script, run in subprocesses as a user would run it.

A full compare costs several seconds (loading the models), so the two runs that compare are
module-scoped fixtures shared by the tests that look at their output; the error cases stop
before any model is loaded.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_rashomon
from rashomon.schema import from_json, to_json

GOOD = sorted(EXAMPLES.iterdir())
MERIDIAN = EXAMPLES / "meridian-wire.txt"
COASTLINE = EXAMPLES / "coastline-post.txt"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_rashomon(*args, cwd=cwd)


def one_line(text: str) -> str:
    """Stderr with rich's line wrapping undone (a wrap replaces one space by a line break)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def json_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    cwd = tmp_path_factory.mktemp("json_run")
    return run(
        "compare", *GOOD, "--format", "json", "--outlet", "meridian-wire=Meridian Wire", cwd=cwd
    )


@pytest.fixture(scope="module")
def md_run(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Two good articles and a missing file, Markdown written to out.md."""
    cwd = tmp_path_factory.mktemp("md_run")
    result = run(
        "compare", MERIDIAN, COASTLINE, "missing.txt", "--format", "md", "-o", "out.md", cwd=cwd
    )
    return result, cwd


# --- a full compare ---------------------------------------------------------------------------


@pytest.mark.models
def test_json_compare_succeeds_quietly(json_run: subprocess.CompletedProcess[str]) -> None:
    assert json_run.returncode == 0, json_run.stderr
    assert json_run.stderr == ""


@pytest.mark.models
def test_json_output_is_a_comparison(json_run: subprocess.CompletedProcess[str]) -> None:
    data = json.loads(json_run.stdout)
    assert data["schema"] == "rashomon/comparison@1"
    comparison = from_json(json_run.stdout)
    assert to_json(comparison) + "\n" == json_run.stdout
    assert [a.source for a in comparison.articles] == [str(p) for p in GOOD]
    assert comparison.warnings == ()
    assert comparison.facts
    assert comparison.summary


@pytest.mark.models
def test_outlet_override_renames_the_outlet(json_run: subprocess.CompletedProcess[str]) -> None:
    outlets = [a["outlet"] for a in json.loads(json_run.stdout)["articles"]]
    assert outlets == [
        "Coastline Post",
        "The Daily Courier",
        "Meridian Wire",
        "Venner State Bulletin",
    ]


@pytest.mark.models
def test_missing_file_among_good_ones_exits_1_and_still_writes(
    md_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, cwd = md_run
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "skipped [R100] missing.txt: file not found. Check the path and its spelling",
        "wrote out.md",
    ]
    assert (cwd / "out.md").is_file()


@pytest.mark.models
def test_markdown_is_written_to_the_output_file(
    md_run: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    _, cwd = md_run
    lines = (cwd / "out.md").read_text(encoding="utf-8").splitlines()
    assert lines[:4] == [
        "# Fire destroys warehouse at Port Venner container terminal",
        "",
        "- **Meridian Wire**, 2025-03-14: Fire destroys warehouse at Port Venner container "
        "terminal",
        "- **Coastline Post**, 2025-03-15: Five firefighters hurt, guard killed in Port Venner "
        "warehouse fire (by Ruben Achterberg)",
    ]
    assert "## Summary" in lines
    assert "Traceback" not in "\n".join(lines)


# --- errors that stop before any model loads --------------------------------------------------


def test_one_article_is_not_enough(tmp_path: Path) -> None:
    result = run("compare", MERIDIAN, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == "error [R120] compare needs at least two usable articles, got 1\n"


def test_an_empty_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = run("compare", MERIDIAN, "empty.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error [R100] empty.txt: file is empty. Give a file that holds an article\n"
    )


def _binary(folder: Path) -> Path:
    path = folder / "binary.txt"
    path.write_bytes(bytes(range(256)) * 4)
    return path


def test_a_binary_file_is_named(tmp_path: Path) -> None:
    _binary(tmp_path)
    result = run("compare", MERIDIAN, "binary.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert one_line(result.stderr) == (
        "error [R100] binary.txt: looks like a binary file, not text. Give a text, HTML or "
        "JSON file (save documents such as PDF or Word as .txt first)"
    )


def test_a_bad_outlet_override_is_a_usage_error(tmp_path: Path) -> None:
    result = run("compare", MERIDIAN, COASTLINE, "--outlet", "foo", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert one_line(result.stderr) == (
        "error [R100] --outlet: 'foo' is not of the form ID=VALUE. Example: a.txt=Daily Courier"
    )


def test_an_error_is_one_line_with_the_whole_path(tmp_path: Path) -> None:
    missing = tmp_path / "a-rather-long-file-name-for-the-harbour-fire-story.txt"
    result = run("compare", MERIDIAN, missing, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (
        f"error [R100] {missing}: file not found. Check the path and its spelling\n"
    )


def test_every_rejected_input_is_named(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    _binary(tmp_path)
    result = run("compare", MERIDIAN, "empty.txt", "binary.txt", cwd=tmp_path)
    assert result.returncode == 2
    assert "empty.txt: file is empty" in one_line(result.stderr)
    assert "binary.txt: looks like a binary file" in one_line(result.stderr)


# --- import cost ------------------------------------------------------------------------------


def test_help_loads_no_heavy_library(tmp_path: Path) -> None:
    """``rashomon --help`` imports no models, scipy, FastAPI or matplotlib (a lazy __init__)."""
    code = (
        "import json, sys\n"
        "import rashomon.cli\n"
        "try:\n"
        "    rashomon.cli.app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = {'torch', 'spacy', 'sentence_transformers', 'transformers', 'thinc', 'scipy',\n"
        "         'fastapi', 'matplotlib', 'sklearn', 'pyarrow', 'trafilatura'}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1]) == []
