"""``-o``: checked before any work, and the format taken from its suffix (no model is loaded)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, run_rashomon
from rashomon.cli import Format, QuotesFormat
from rashomon.errors import InputError

GOOD = sorted(EXAMPLES.iterdir())


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_a_missing_output_folder_fails_at_once(tmp_path: Path) -> None:
    out = tmp_path / "no-such-folder" / "report.json"
    result = run_rashomon("compare", *GOOD, "-o", out, cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"error [R100] {out}: no folder {out.parent}. Create the folder first, or write elsewhere"
    )


def test_an_output_that_is_a_folder_fails_at_once(tmp_path: Path) -> None:
    result = run_rashomon("compare", *GOOD, "-o", tmp_path, cwd=tmp_path)
    assert result.returncode == 2
    assert (
        one_line(result.stderr)
        == f"error [R100] {tmp_path}: is a folder, not a file. Give a file name"
    )


def test_a_format_unlike_the_suffix_is_refused(tmp_path: Path) -> None:
    result = run_rashomon("compare", *GOOD, "-o", "report.html", "--format", "md", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        "error [R100] report.html: the file name says html but --format is md. "
        "Name the file *.md, or drop --format"
    )
    assert not (tmp_path / "report.html").exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("report.html", Format.html),
        ("REPORT.HTM", Format.html),
        ("report.md", Format.md),
        ("report.json", Format.json),
        ("report.txt", Format.json),
    ],
)
def test_the_format_comes_from_the_suffix(name: str, expected: Format) -> None:
    from rashomon.cli import _output_format

    assert _output_format(None, Path(name), Format) is expected


def test_format_given_and_suffix_agreeing_or_unknown() -> None:
    from rashomon.cli import _output_format

    assert _output_format(Format.md, Path("r.md"), Format) is Format.md
    assert _output_format(Format.html, Path("r.out"), Format) is Format.html
    assert _output_format(None, None, Format) is Format.json
    assert _output_format(None, Path("q.csv"), QuotesFormat) is QuotesFormat.csv
    with pytest.raises(InputError):
        _output_format(QuotesFormat.json, Path("q.csv"), QuotesFormat)
