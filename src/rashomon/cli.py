"""The command line: parse flags, call the pipeline, render. The only place that exits.

Exit codes: 0 success; 1 output written but some inputs were rejected (listed on stderr);
2 bad input or usage; 3 configuration or model problem.
"""

from __future__ import annotations

import logging
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from rashomon.errors import InputError, RashomonError
from rashomon.models import Comparison
from rashomon.settings import Settings, load_settings

app = typer.Typer(
    name="rashomon",
    help="See how different news outlets tell the same story.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
# soft_wrap: an error stays one line (whole paths) even when stderr is not a terminal
err_console = Console(stderr=True, soft_wrap=True)


@app.callback()
def _root() -> None:
    """See how different news outlets tell the same story."""


ALIASES_OPTION = typer.Option(help="CSV or YAML file of name variants: variant -> canonical name.")


class Format(StrEnum):
    json = "json"
    md = "md"
    html = "html"


def _pairs(values: list[str] | None, option: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values or []:
        key, sep, name = value.partition("=")
        if not sep or not key or not name:
            raise InputError(
                option, f"'{value}' is not of the form ID=VALUE", "Example: a.txt=Daily Courier"
            )
        out[key] = name
    return out


def render(comparison: Comparison, fmt: Format) -> str:
    if fmt is Format.json:
        return comparison.to_json() + "\n"
    if fmt is Format.md:
        from rashomon.report.markdown import render_markdown

        return render_markdown(comparison)
    from rashomon.report.html import render_html

    return render_html(comparison)


def _settings(config: Path | None, **overrides: object) -> Settings:
    return load_settings(config, overrides=overrides)


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError(str(output), f"cannot write the output: {err.strerror}") from err
    err_console.print(f"wrote {output}")


@app.command()
def compare(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files or http(s) URLs (two or more).")
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    outlet: Annotated[
        list[str] | None,
        typer.Option(help="Override an outlet: ID=NAME (ID: article id, file name or stem)."),
    ] = None,
    date: Annotated[list[str] | None, typer.Option(help="Override a date: ID=YYYY-MM-DD.")] = None,
    summary_sentences: Annotated[
        int | None, typer.Option(help="Sentences in the neutral summary.")
    ] = None,
    day_first: Annotated[
        bool | None, typer.Option("--day-first/--month-first", help="How to read 05/03/2024.")
    ] = None,
    link_threshold: Annotated[
        float | None, typer.Option(help="Same-fact probability needed for a link.")
    ] = None,
    aliases_file: Annotated[str | None, ALIASES_OPTION] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging on stderr.")
    ] = 0,
) -> None:
    """Compare two or more articles about the same story."""
    _logging(verbose)
    settings = _settings(
        config,
        summary_sentences=summary_sentences,
        day_first=day_first,
        link_threshold=link_threshold,
        aliases_file=aliases_file,
    )
    from rashomon.pipeline import run_compare

    with err_console.status("loading articles", spinner="dots") as status:
        comparison, rejected = run_compare(
            inputs,
            settings=settings,
            outlets=_pairs(outlet, "--outlet"),
            dates=_pairs(date, "--date"),
            on_progress=lambda msg: status.update(msg),
        )
    for error in rejected:
        err_console.print(f"[yellow]skipped[/yellow] {escape(str(error))}", highlight=False)
    _write(render(comparison, fmt), output)
    if rejected:
        raise typer.Exit(1)


class QuotesFormat(StrEnum):
    json = "json"
    csv = "csv"
    md = "md"


@app.command()
def quotes(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files or http(s) URLs (one or more).")
    ],
    fmt: Annotated[
        QuotesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = QuotesFormat.json,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    outlet: Annotated[list[str] | None, typer.Option(help="Override an outlet: ID=NAME.")] = None,
    date: Annotated[list[str] | None, typer.Option(help="Override a date: ID=YYYY-MM-DD.")] = None,
    aliases_file: Annotated[str | None, ALIASES_OPTION] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging on stderr.")
    ] = 0,
) -> None:
    """List who said what: direct and reported quotes with their resolved speakers."""
    _logging(verbose)
    settings = _settings(config, aliases_file=aliases_file)
    from rashomon.pipeline import run_quotes
    from rashomon.report import quotes as table

    with err_console.status("reading quotes", spinner="dots"):
        result, rejected = run_quotes(
            inputs,
            settings=settings,
            outlets=_pairs(outlet, "--outlet"),
            dates=_pairs(date, "--date"),
        )
    for error in rejected:
        err_console.print(f"[yellow]skipped[/yellow] {escape(str(error))}", highlight=False)
    render_table = {
        QuotesFormat.json: table.render_quotes_json,
        QuotesFormat.csv: table.render_quotes_csv,
        QuotesFormat.md: table.render_quotes_markdown,
    }[fmt]
    _write(render_table(result), output)
    if rejected:
        raise typer.Exit(1)


def _logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(
        stream=sys.stderr, level=level, format="%(levelname)s %(name)s: %(message)s"
    )


def main() -> None:
    """Console entry point: one handler turns rashomon errors into a message and an exit code."""
    try:
        app()
    except RashomonError as err:
        err_console.print(f"[red]error[/red] {escape(str(err))}", highlight=False)
        sys.exit(err.exit_code)


if __name__ == "__main__":
    main()
