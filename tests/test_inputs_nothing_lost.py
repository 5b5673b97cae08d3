"""Inputs that used to go wrong without a word: mixed encodings, skipped folder files."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from rashomon.inputs.decode import decode_bytes
from rashomon.inputs.files import read_path
from rashomon.settings import Settings

# --- 6. UTF-8 with a few Latin-1 / Windows-1252 lines ----------------------------------------

UTF8_LINES = [
    "Café owners in Kelm reopened on Monday.\n",
    "The mayor, José Ruiz, cut the ribbon.\n",
]
LATIN_LINE = "Señor Ruiz said the façade cost 2,000 euros.\n"


def test_utf8_with_one_latin1_line_keeps_the_utf8_lines_and_warns(
    caplog: pytest.LogCaptureFixture,
) -> None:
    data = (
        UTF8_LINES[0].encode("utf-8") + LATIN_LINE.encode("latin-1") + UTF8_LINES[1].encode("utf-8")
    )
    with caplog.at_level(logging.WARNING, logger="rashomon.inputs.decode"):
        text = decode_bytes(data, "mixed.txt")
    assert text == UTF8_LINES[0] + LATIN_LINE + UTF8_LINES[1]
    assert "Ã" not in text
    (record,) = caplog.records
    assert "mixed.txt" in record.getMessage()
    assert "(2)" in record.getMessage()


def test_utf8_with_a_windows_1252_line_of_curly_quotes(tmp_path: Path) -> None:
    quoted = "“It is done,” she said – at last.\n"
    path = tmp_path / "a.txt"
    path.write_bytes(b"Kelm fire\n\n" + UTF8_LINES[0].encode("utf-8") + quoted.encode("cp1252"))
    (article,) = read_path(path, settings=Settings())
    assert "Café owners" in article.text
    assert "“It is done,” she said – at last." in article.text


def test_a_file_all_in_windows_1252_is_still_read_whole() -> None:
    data = (UTF8_LINES[0] + LATIN_LINE).encode("cp1252")
    assert decode_bytes(data, "old.txt") == UTF8_LINES[0] + LATIN_LINE
