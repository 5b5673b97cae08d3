"""What a compare argument is: on the command line a path or a URL, never text; in the Python
API a string is text only when it holds a line break and names no existing file."""

from __future__ import annotations

from pathlib import Path

from conftest import run_rashomon
from rashomon.pipeline import load_articles
from rashomon.settings import Settings

SETTINGS = Settings()
TEXT = "Fire in Kelm\n\nA fire broke out in the port of Kelm on Monday night. Crews fought it."


def test_cli_compare_of_two_missing_paths_fails_naming_both(tmp_path: Path) -> None:
    result = run_rashomon("compare", "nosuchfile", "othermissing", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    message = " ".join(result.stderr.split())
    assert "nosuchfile: file not found" in message
    assert "othermissing: file not found" in message


def test_cli_compare_reads_an_existing_file_name_with_a_newline_as_a_path(tmp_path: Path) -> None:
    odd = tmp_path / "kelm\nfire.txt"
    odd.write_text(TEXT, encoding="utf-8")
    result = run_rashomon("compare", odd, tmp_path / "missing\nfile.txt", cwd=tmp_path)
    # the existing one is read; the missing one, newline and all, is a missing file
    assert result.returncode == 2, result.stderr
    assert "file not found" in result.stderr
    assert "needs at least" not in result.stderr


def test_cli_quotes_of_a_missing_path_fails(tmp_path: Path) -> None:
    result = run_rashomon("quotes", "nosuchfile", cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "nosuchfile: file not found" in result.stderr


def test_python_api_reads_a_one_line_string_as_a_path_and_says_how_to_pass_text() -> None:
    articles, errors = load_articles(["nosuchfile"], settings=SETTINGS, texts=True)
    assert articles == []
    (error,) = errors
    assert error.where == "nosuchfile"
    assert error.problem == "file not found"
    assert "line breaks" in str(error)


def test_python_api_reads_a_string_with_a_newline_as_text() -> None:
    (article,), errors = load_articles([TEXT], settings=SETTINGS, texts=True)
    assert errors == []
    assert article.source == "<text 1>"
    assert article.title == "Fire in Kelm"


def test_python_api_reads_an_existing_file_name_with_a_newline_as_a_path(tmp_path: Path) -> None:
    odd = tmp_path / "kelm\nfire.txt"
    odd.write_text(TEXT, encoding="utf-8")
    (article,), errors = load_articles([str(odd)], settings=SETTINGS, texts=True)
    assert errors == []
    assert article.source == str(odd)


def test_without_texts_every_string_is_a_path() -> None:
    articles, errors = load_articles([TEXT], settings=SETTINGS)
    assert articles == []
    assert errors[0].problem == "file not found"
