"""``compare`` shows its steps on a terminal's stderr, and nothing when stderr is piped.

Runs the command in-process with the fake models (fast lane) on the bundled example story.
"""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from typer.testing import CliRunner

from conftest import EXAMPLES
from fake_models import FakeEmbedder, FakeParser
from rashomon import cli, pipeline
from rashomon.analyze.compose import COMPARE_STEPS
from rashomon.settings import Settings

INPUTS = [str(p) for p in sorted(EXAMPLES.iterdir())]
STEPS = [
    "reading 4 inputs",
    "checking the inputs",
    "loading the language models",
    "parsing 4 articles",
    "embedding",  # "embedding N sentences": N is the segmenter's
    "aligning 6 article pairs",
    "finding facts and conflicts",
    "finding who said what",
]


@pytest.fixture(autouse=True)
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "SpacyParser", lambda _name: FakeParser())
    monkeypatch.setattr(pipeline, "SentenceEmbedder", lambda _path, **_kw: FakeEmbedder())
    monkeypatch.setattr(pipeline, "load_models", lambda *_names, **_kw: None)


def run_compare(monkeypatch: pytest.MonkeyPatch, *, terminal: bool) -> tuple[str, str]:
    """stdout of ``rashomon compare`` and what it drew on its stderr console."""
    drawn = io.StringIO()
    console = Console(file=drawn, force_terminal=terminal, width=100, soft_wrap=True)
    monkeypatch.setattr(cli, "err_console", console)
    result = CliRunner().invoke(cli.app, ["compare", *INPUTS, "--format", "json"])
    assert result.exit_code == 0, result.output
    return result.stdout, drawn.getvalue()


def test_progress_is_shown_on_a_terminal_only() -> None:
    assert cli.shows_progress(Console(file=io.StringIO(), force_terminal=True)) is True
    assert cli.shows_progress(Console(file=io.StringIO())) is False  # a pipe or a file


def test_a_terminal_sees_every_step(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout, drawn = run_compare(monkeypatch, terminal=True)
    assert [step in drawn for step in STEPS] == [True] * len(STEPS)
    assert f"/{pipeline.RUN_COMPARE_STEPS}" in drawn  # the bar counts steps done of all
    assert json.loads(stdout)["schema"] == "rashomon/comparison@1"  # nothing leaks into stdout


def test_a_pipe_sees_no_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    stdout, drawn = run_compare(monkeypatch, terminal=False)
    assert drawn == ""
    assert json.loads(stdout)["schema"] == "rashomon/comparison@1"


def test_the_step_count_is_the_bar_length() -> None:
    heard: list[str] = []
    pipeline.run_compare(INPUTS, settings=Settings(), on_progress=heard.append)
    assert len(heard) == pipeline.RUN_COMPARE_STEPS == 3 + COMPARE_STEPS
    assert [any(h.startswith(s) for h in heard) for s in STEPS] == [True] * len(STEPS)
