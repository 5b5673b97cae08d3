"""``--help`` of every command, as an 80-column terminal shows it (Typer's CliRunner)."""

from __future__ import annotations

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from rashomon.cli import app

COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
# rich's box-drawing border of the options panel
_BORDER = re.compile(r"[│╭╮╰╯─]")


def help_text(*args: str) -> str:
    result = CliRunner().invoke(app, [*args, "--help"], env={"COLUMNS": "80", "NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    return result.output


def option_names(*args: str) -> list[str]:
    command = get_command(app)
    for name in args:
        command = command.commands[name]  # type: ignore[attr-defined]
    return [
        name
        for p in command.params
        if p.param_type_name == "option"
        for name in (*p.opts, *p.secondary_opts)
    ]


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_a_flag_shows_no_type(command: str) -> None:
    text = help_text(*filter(None, [command]))
    assert "<bool>" not in text
    help_line = next(line for line in text.splitlines() if "--help  " in line)
    assert re.search(r"--help +Show this", help_line) is not None, help_line


@pytest.mark.parametrize("command", COMMANDS)
def test_every_option_name_is_whole_at_80_columns(command: str) -> None:
    text = help_text(command)
    assert max(len(line) for line in text.splitlines()) <= 80
    words = set(_BORDER.sub(" ", text).replace(",", " ").split())
    missing = [name for name in option_names(command) if name not in words]
    assert missing == []
    assert "…" not in text


def test_serve_allows_private_urls_by_one_flag() -> None:
    assert "--allow-private-urls" in option_names("serve")
    assert "--no-allow-private-urls" not in option_names("serve")
