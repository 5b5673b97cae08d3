"""``rashomon compare`` says what makes a comparison doubtful: on stderr, in the output's
``warnings``, and in the Markdown and HTML reports. One run, in a subprocess, with the real
models; every article is invented."""

from __future__ import annotations

import json
import subprocess
from html import escape
from pathlib import Path

import pytest

from conftest import run_rashomon
from rashomon.report.html import render_html
from rashomon.report.markdown import escape_markdown, render_markdown
from rashomon.schema import from_json

FIRE = (
    "Fire at the Kelm grain depot\n\n"
    "A fire broke out in a grain depot in the port of Kelm on Monday night, the harbour "
    "authority said. Crews from three stations fought the blaze until dawn and kept it from "
    "the fuel tanks nearby. Two dock workers were treated for smoke.\n"
)
DESCRIPTION = (
    "Crews fought a fire at a grain depot in the port of Kelm until dawn on Tuesday; two "
    "dock workers were treated for smoke, the harbour authority said."
)
GERMAN = (
    "Feuer im Hafen von Kelm\n\n"
    "In der Nacht zum Montag brach im Getreidelager des Hafens von Kelm ein Feuer aus, teilte "
    "die Hafenbehörde mit. Feuerwehrleute aus drei Wachen bekämpften den Brand bis zum Morgen. "
    "Zwei Hafenarbeiter wurden wegen Rauchvergiftung behandelt.\n"
)


@pytest.fixture(scope="module")
def doubtful(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The same file twice, a news-please record without its body, and a German text."""
    cwd = tmp_path_factory.mktemp("doubtful")
    (cwd / "fire.txt").write_text(FIRE, encoding="utf-8")
    (cwd / "feuer.txt").write_text(GERMAN, encoding="utf-8")
    record = {
        "title": "Kelm depot fire put out",
        "maintext": None,
        "description": DESCRIPTION,
        "source_domain": "www.kelm-courier.example",
    }
    (cwd / "crawl.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_rashomon(
        "compare", "fire.txt", "fire.txt", "crawl.jsonl", "feuer.txt", "-f", "json", cwd=cwd
    )
    return result, cwd


@pytest.mark.models
def test_every_doubt_is_in_the_output_and_on_stderr(
    doubtful: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, _ = doubtful
    assert result.returncode == 0, result.stderr
    warnings = from_json(result.stdout).warnings
    assert [w.split(":")[0].split(" ")[0] for w in warnings] == [
        "crawl.jsonl",  # its description stands in for its text
        "fire.txt",  # given twice
        "feuer.txt",  # shares little with the others (it is German)
        "feuer.txt",  # not English
    ]
    assert warnings[0].startswith("crawl.jsonl:1: 'maintext' is null, so its 'description'")
    assert warnings[1].startswith("fire.txt is given 2 times: ")
    assert warnings[3].startswith("feuer.txt reads as language 'de'")
    assert result.stderr.splitlines() == [f"warning {w}" for w in warnings]


@pytest.mark.models
def test_the_reports_show_the_warnings(
    doubtful: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, _ = doubtful
    comparison = from_json(result.stdout)
    markdown = render_markdown(comparison)
    html = render_html(comparison)
    assert "## Warnings" in markdown
    assert 'id="warnings"' in html
    for warning in comparison.warnings:
        assert escape_markdown(warning) in markdown
        assert escape(warning) in html
