"""The command line: parse flags, call the pipeline, render. The only place that exits.

Exit codes: 0 success; 1 output written but some inputs were rejected (listed on stderr);
2 bad input or usage; 3 configuration or model problem.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperCommand, TyperGroup, TyperOption
from typer.models import CommandFunctionType

from rashomon.errors import ConfigError, InputError, RashomonError
from rashomon.models import Comparison
from rashomon.settings import Settings, load_settings, parse_days

if TYPE_CHECKING:
    from typer import _click as click  # typer 0.29 vendors click; its types, for hints only

    from rashomon.corpus.store import Store


def _untyped_flags(params: list[click.Parameter]) -> list[click.Parameter]:
    """Flags with no type in the help: a flag takes no value, yet typer 0.29 prints ``<bool>``
    beside ``--help`` and every on/off switch (and ``<int>`` beside ``-v``)."""
    for param in params:
        is_flag = isinstance(param, TyperOption) and (param.is_flag or param.count)
        if is_flag and param.metavar is None:
            param.metavar = ""  # what the help's type column shows; flags use no other
    return params


class _Command(TyperCommand):
    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return _untyped_flags(super().get_params(ctx))


class _Group(TyperGroup):
    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        return _untyped_flags(super().get_params(ctx))


class _Typer(typer.Typer):
    """``typer.Typer`` whose commands are ``_Command``s."""

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        return super().command(name, cls=cls or _Command, **kwargs)


app = _Typer(
    cls=_Group,
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


class Numeric(StrEnum):
    """The sentence encoder's numeric format (``settings.NUMERIC_FORMATS``)."""

    auto = "auto"
    fp32 = "fp32"
    bf16 = "bf16"


NUMERIC_OPTION = typer.Option(
    metavar="FORMAT",
    help="The sentence encoder's numeric format: auto, fp32 or bf16 (auto: bf16 with AMX).",
)


F = TypeVar("F", bound=StrEnum)


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


def _output_format(fmt: F | None, output: Path | None, formats: type[F]) -> F:
    """The format asked for, else the one the output file's suffix names, else the first.

    Raises:
        InputError: ``--format`` and the suffix disagree.
    """
    by_suffix = {f".{f.value}": f for f in formats}
    if formats is Format:
        by_suffix[".htm"] = by_suffix[".html"]
        by_suffix[".markdown"] = by_suffix[".md"]
    named = by_suffix.get(output.suffix.lower()) if output is not None else None
    if fmt is not None and named is not None and fmt is not named:
        raise InputError(
            str(output),
            f"the file name says {named.value} but --format is {fmt.value}",
            f"Name the file *.{fmt.value}, or drop --format",
        )
    return fmt or named or next(iter(formats))


def _check_output(output: Path | None) -> None:
    """Refuse an output path that cannot be written, before any work is done."""
    if output is None:
        return
    parent = output.parent if str(output.parent) else Path(".")
    if output.is_dir():
        raise InputError(str(output), "is a folder, not a file", "Give a file name")
    if not parent.is_dir():
        raise InputError(
            str(output), f"no folder {parent}", "Create the folder first, or write elsewhere"
        )
    if not os.access(parent, os.W_OK) or (output.exists() and not os.access(output, os.W_OK)):
        raise InputError(str(output), "cannot write here (permission denied)", "Write elsewhere")


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as err:
        raise InputError(str(output), f"cannot write the output: {err.strerror}") from err
    err_console.print(f"wrote {escape(str(output))}", highlight=False)


def shows_progress(console: Console) -> bool:
    """Progress is drawn on a terminal only: piped or redirected stderr gets none of it."""
    return console.is_terminal and not console.is_dumb_terminal


@contextlib.contextmanager
def _step_progress(console: Console, *, total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar of ``total`` named steps on ``console`` (as ``ingest`` draws its own):
    the callback it yields starts the step it names."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        SpinnerColumn(),
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not shows_progress(console),
    )
    with progress:
        task = progress.add_task("starting", total=total)
        started = False

        def step(message: str) -> None:
            nonlocal started
            progress.update(task, description=message, advance=1 if started else 0)
            progress.refresh()  # drawn now: the step that follows may hold the CPU for seconds
            started = True

        yield step


@app.command()
def compare(
    inputs: Annotated[
        list[str], typer.Argument(help="Article files or http(s) URLs (two or more).")
    ],
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Output format (default: from the -o suffix, else json)."
        ),
    ] = None,
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
    summary_words: Annotated[
        int | None, typer.Option(help="The neutral summary stops once it holds this many words.")
    ] = None,
    day_first: Annotated[
        bool | None, typer.Option("--day-first/--month-first", help="How to read 05/03/2024.")
    ] = None,
    link_threshold: Annotated[
        float | None, typer.Option(help="Same-fact probability needed for a link.")
    ] = None,
    aliases_file: Annotated[str | None, ALIASES_OPTION] = None,
    numeric: Annotated[Numeric | None, NUMERIC_OPTION] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging on stderr.")
    ] = 0,
) -> None:
    """Compare two or more articles about the same story."""
    _logging(verbose)
    chosen = _output_format(fmt, output, Format)
    _check_output(output)
    settings = _settings(
        config,
        summary_sentences=summary_sentences,
        summary_words=summary_words,
        day_first=day_first,
        link_threshold=link_threshold,
        aliases_file=aliases_file,
        numeric=numeric and numeric.value,
    )
    from rashomon.pipeline import RUN_COMPARE_STEPS, run_compare

    with _step_progress(err_console, total=RUN_COMPARE_STEPS) as step:
        comparison, rejected = run_compare(
            inputs,
            settings=settings,
            outlets=_pairs(outlet, "--outlet"),
            dates=_pairs(date, "--date"),
            on_progress=step,
        )
    _report_skipped(rejected)
    _report_warnings(comparison, rejected)
    _write(render(comparison, chosen), output)
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
        QuotesFormat | None,
        typer.Option(
            "--format", "-f", help="Output format (default: from the -o suffix, else json)."
        ),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")
    ] = None,
    outlet: Annotated[list[str] | None, typer.Option(help="Override an outlet: ID=NAME.")] = None,
    date: Annotated[list[str] | None, typer.Option(help="Override a date: ID=YYYY-MM-DD.")] = None,
    aliases_file: Annotated[str | None, ALIASES_OPTION] = None,
    numeric: Annotated[Numeric | None, NUMERIC_OPTION] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[
        int, typer.Option("--verbose", "-v", count=True, help="More logging on stderr.")
    ] = 0,
) -> None:
    """List who said what: direct and reported quotes with their resolved speakers."""
    _logging(verbose)
    chosen = _output_format(fmt, output, QuotesFormat)
    _check_output(output)
    settings = _settings(config, aliases_file=aliases_file, numeric=numeric and numeric.value)
    from rashomon.pipeline import run_quotes
    from rashomon.report import quotes as table

    with err_console.status("reading quotes", spinner="dots"):
        result, rejected = run_quotes(
            inputs,
            settings=settings,
            outlets=_pairs(outlet, "--outlet"),
            dates=_pairs(date, "--date"),
        )
    _report_skipped(rejected)
    render_table = {
        QuotesFormat.json: table.render_quotes_json,
        QuotesFormat.csv: table.render_quotes_csv,
        QuotesFormat.md: table.render_quotes_markdown,
    }[chosen]
    _write(render_table(result), output)
    if rejected:
        raise typer.Exit(1)


DB_OPTION = typer.Option("--db", help="The corpus file (SQLite).")


def _parse_days(value: str) -> float:
    """``--window-days``, ``--horizon-days`` by the one rule of ``settings.parse_days``
    (0.0: no limit, which ``load_settings`` reads as None)."""
    try:
        days = parse_days(value)
    except ConfigError as err:
        raise typer.BadParameter(err.message) from err
    return 0.0 if days is None else days


def _parse_day(value: str) -> str:
    """``--since``, ``--until``: a calendar date that exists, YYYY-MM-DD (or an ISO date-time)."""
    import datetime as dt
    import re

    text = value.strip()
    if re.match(r"\d{4}-\d{2}-\d{2}", text):
        try:
            if len(text) == len("YYYY-MM-DD"):
                return dt.date.fromisoformat(text).isoformat()
            dt.datetime.fromisoformat(text)
            return text
        except ValueError as err:
            raise typer.BadParameter(f"'{value}' is not a date ({err}); use YYYY-MM-DD") from err
    raise typer.BadParameter(f"'{value}' is not a date; use YYYY-MM-DD")


class Engine(StrEnum):
    local = "local"
    dask = "dask"


@app.command()
def ingest(
    inputs: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Article files and folders (recursive): text, HTML, JSON(L), CSV, "
            "TSV, Parquet, WARC."
        ),
    ] = None,
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    feeds: Annotated[
        Path | None, typer.Option(help="A file of RSS/Atom feed URLs, one a line.")
    ] = None,
    column_map: Annotated[
        list[str] | None,
        typer.Option(
            "--map", help="Column mapping for CSV/Parquet/JSON: text=body,date=published."
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option(min=1, max=10_000, help="Articles parsed and embedded together.")
    ] = 32,
    engine: Annotated[Engine, typer.Option(help="Where the per-article work runs.")] = Engine.local,
    scheduler: Annotated[
        str | None,
        typer.Option(help="A Dask scheduler address (tcp://host:8786) for --engine dask."),
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=256, help="LocalCluster workers when no --scheduler.")
    ] = 2,
    window_days: Annotated[
        float | None,
        typer.Option(
            parser=_parse_days,
            metavar="DAYS",
            help="An article joins a story only within this many days of its members "
            f"(0 or none: no limit; default {Settings().window_days:g}).",
        ),
    ] = None,
    horizon_days: Annotated[
        float | None,
        typer.Option(
            parser=_parse_days,
            metavar="DAYS",
            help="Forget stories and wire-copy groups whose articles are all this many days "
            "older than the newest one, so memory stays flat; later copies are not matched "
            f"(0 or none: keep all; default {Settings().horizon_days:g}).",
        ),
    ] = None,
    numeric: Annotated[Numeric | None, NUMERIC_OPTION] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
) -> None:
    """Add articles to a corpus: dedupe wire copies and group them into stories (resumable)."""
    _logging(verbose)
    settings = _settings(
        config,
        window_days=window_days,
        horizon_days=horizon_days,
        numeric=numeric and numeric.value,
    )
    import datetime as dt

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from rashomon.backends import SentenceEmbedder, SpacyParser
    from rashomon.corpus.build import LocalPreparer, Preparer
    from rashomon.corpus.build import ingest as run_ingest
    from rashomon.corpus.store import open_store
    from rashomon.inputs.feeds import read_feed_list
    from rashomon.inputs.tables import parse_column_map

    mapping = parse_column_map(column_map) if column_map else None
    feed_urls = read_feed_list(feeds) if feeds else []
    if not inputs and not feed_urls:
        raise InputError("ingest", "nothing to ingest", "Name files or folders, or --feeds FILE")
    store = open_store(db)
    _size_limit_for_tests(store)
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        "{task.fields[rate]}",
        TimeRemainingColumn(),
        console=err_console,
    )
    told = _RejectTeller(progress.console)
    with progress:
        task = progress.add_task("ingesting", total=None, rate="")

        def advance(n: int) -> None:
            progress.advance(task, n)
            elapsed = progress.tasks[0].elapsed or 0.0
            done = progress.tasks[0].completed
            progress.update(task, rate=f"{done / elapsed:.1f} articles/s" if elapsed else "")

        client = cluster = None
        if engine is Engine.dask:
            from rashomon.corpus.scale import DaskPreparer, connect

            client, cluster = connect(scheduler, n_workers=workers)
            preparer: Preparer = DaskPreparer(
                client,
                spacy_model=settings.spacy_model,
                embedding_model=settings.embedding_model,
                numeric=settings.numeric,
            )
        else:
            preparer = LocalPreparer(
                SpacyParser(settings.spacy_model),
                SentenceEmbedder(settings.embedding_model, numeric=settings.numeric),
            )
        try:
            summary = run_ingest(
                store,
                inputs or [],
                feeds=feed_urls,
                column_map=mapping,
                settings=settings,
                preparer=preparer,
                ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                on_progress=advance,
                batch_size=batch_size,
                on_reject=told.tell,
            )
        finally:
            if client is not None:
                client.close()
            if cluster is not None:
                cluster.close()
    err_console.print(
        f"ingested {summary.ingested} ({summary.wire_copies} near-duplicate wire copies), "
        f"already stored {summary.already_stored}, id conflicts {summary.id_conflicts}, "
        f"rejected {summary.rejected}, skipped {summary.skipped}; "
        f"{summary.stories} stories in {escape(str(db))}",
        highlight=False,
    )
    store.close()
    if summary.not_stored:
        told.close(db)
        raise typer.Exit(1)


class _RejectTeller:
    """Names each input an ingest does not store on stderr, the first ``SHOWN`` of them; the
    rest are counted, and ``rashomon errors`` lists them all."""

    SHOWN = 20

    def __init__(self, console: Console) -> None:
        self.console = console
        self.count = 0

    def tell(self, kind: str, error: InputError, record: str | None) -> None:
        self.count += 1
        if self.count > self.SHOWN:
            return
        text = str(error)
        if record and record not in text:
            text += f" (record {record})"
        self.console.print(f"[yellow]{kind}[/yellow] {escape(text)}", highlight=False)

    def close(self, db: Path) -> None:
        more = self.count - self.SHOWN
        shown = f"{more} more not shown; " if more > 0 else ""
        self.console.print(
            f"{shown}list them all with: rashomon errors --db {escape(str(db))}", highlight=False
        )


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@app.command()
def errors(
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the inputs ingest did not store: file, line or record, and why."""
    import csv as csv_module
    import dataclasses
    import io
    import json

    from rich.table import Table

    store = _existing_store(db)
    rows = [dataclasses.asdict(e) for e in store.errors()]
    store.close()
    names = ["source", "line", "record", "code", "reason"]
    rows = [{k: row[k] for k in names} for row in rows]
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TableFormat.csv:
        out = io.StringIO()
        writer = csv_module.DictWriter(out, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(out.getvalue())
    else:
        table = Table(*names)
        for row in rows:
            table.add_row(*(escape("" if row[k] is None else str(row[k])) for k in names))
        Console(soft_wrap=True).print(table)
        err_console.print(f"{len(rows)} errors in {escape(str(db))}", highlight=False)


@app.command()
def stories(
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    since: Annotated[
        str | None,
        typer.Option(parser=_parse_day, help="Stories active on or after YYYY-MM-DD."),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(parser=_parse_day, help="Stories active on or before YYYY-MM-DD."),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories this outlet covered.")] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
) -> None:
    """List the stories of a corpus, newest first."""
    import csv as csv_module
    import io
    import json

    from rich.table import Table

    store = _existing_store(db)
    rows = [s.row() for s in store.list_stories(since=since, until=until, outlet=outlet)]
    if fmt is TableFormat.json:
        from rashomon.analyze.timeline import compact_timeline, story_timeline

        members = store.member_dates([str(row["id"]) for row in rows])
        for row in rows:
            row["timeline"] = compact_timeline(story_timeline(members[str(row["id"])]))
    store.close()
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif fmt is TableFormat.csv:
        out = io.StringIO()
        writer = csv_module.DictWriter(out, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "outlets": "; ".join(row["outlets"])})
        sys.stdout.write(out.getvalue())
    else:
        table = Table("id", "title", "dates", "articles", "outlets")
        for row in rows:
            dates = f"{row['first_date'] or '?'} .. {row['last_date'] or '?'}"
            table.add_row(
                escape(str(row["id"])),
                escape(str(row["title"] or "")),
                dates,
                f"{row['articles']} ({row['distinct']} distinct)",
                escape(", ".join(row["outlets"])),
            )
        Console(soft_wrap=True).print(table)


@app.command()
def story(
    story_id: Annotated[str, typer.Argument(help="A story id from `rashomon stories`.")],
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format", "-f", help="Output format (default: from the -o suffix, else json)."
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    timeline_chart: Annotated[
        Path | None,
        typer.Option(help="Also write the story's timeline chart here (.svg or .png)."),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
) -> None:
    """The full comparison of one story of a corpus (cached until its members change)."""
    settings = _settings(config)
    chosen = _output_format(fmt, output, Format)
    _check_output(output)
    from rashomon.pipeline import compare_story
    from rashomon.report.charts import chart_format

    if timeline_chart is not None:
        chart_format(timeline_chart)  # a wrong suffix fails before the comparison
    store = _existing_store(db)
    with err_console.status("comparing", spinner="dots"):
        comparison = compare_story(store, story_id, settings=settings)
    store.close()
    _write(render(comparison, chosen), output)
    if timeline_chart is not None:
        _write_timeline_chart(comparison, timeline_chart)


def _write_timeline_chart(comparison: Comparison, path: Path) -> None:
    from rashomon.analyze.timeline import comparison_timeline
    from rashomon.report import charts
    from rashomon.report.index import story_title

    timeline = comparison_timeline(comparison)
    if not timeline.reports:
        raise InputError(
            str(path), "no article of the story has a date, so there is no timeline to draw"
        )
    charts.write_chart(charts.timeline_chart(timeline, title=story_title(comparison)), path)
    err_console.print(f"wrote {escape(str(path))}", highlight=False)


@app.command()
def outlets(
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    fmt: Annotated[TableFormat, typer.Option("--format", "-f")] = TableFormat.table,
    chart: Annotated[
        Path | None,
        typer.Option(help="Also write the stories x outlets coverage chart here (.svg or .png)."),
    ] = None,
) -> None:
    """Per-outlet profile: coverage, blindspots, wire copy, facts alone or omitted, quotes."""
    import csv as csv_module
    import dataclasses
    import io
    import json

    from rich.table import Table

    from rashomon.corpus.profiles import OutletProfile, outlet_profiles
    from rashomon.report.charts import chart_format, coverage_chart, write_chart

    if chart is not None:
        chart_format(chart)  # a wrong suffix fails before any work
    store = _existing_store(db)
    memberships = store.memberships()
    profiles = outlet_profiles(
        memberships,
        [edge.article_id for edge in store.copy_edges()],
        store.cached_comparisons(),
    )
    if chart is not None:
        write_chart(coverage_chart(memberships, store.story_titles()), chart)
        err_console.print(f"wrote {escape(str(chart))}", highlight=False)
    store.close()
    rows = [dataclasses.asdict(p) for p in profiles]
    if fmt is TableFormat.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt is TableFormat.csv:
        out = io.StringIO()
        names = [f.name for f in dataclasses.fields(OutletProfile)]
        writer = csv_module.DictWriter(out, fieldnames=names)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _cell(v) for k, v in row.items()})
        sys.stdout.write(out.getvalue())
        return
    table = Table("outlet", "articles", "stories", "blindspots", "wire copy", "alone", "omitted")
    for p in profiles:
        table.add_row(
            escape(p.outlet),
            str(p.articles),
            str(p.stories),
            f"{p.blindspots} ({p.blindspot_share:.0%})",
            f"{p.wire_copies} ({p.wire_share:.0%})",
            str(p.facts_alone),
            str(p.facts_omitted),
        )
    Console(soft_wrap=True).print(table)


class ExportWhat(StrEnum):
    stories = "stories"
    articles = "articles"
    facts = "facts"
    quotes = "quotes"


class ExportFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


@app.command()
def export(
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    what: Annotated[ExportWhat, typer.Option(help="Which rows.")] = ExportWhat.stories,
    fmt: Annotated[
        ExportFormat | None,
        typer.Option("--format", "-f", help="Row format (default: from the -o suffix, else csv)."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")] = Path(
        "export.csv"
    ),
    cached_only: Annotated[
        bool,
        typer.Option(
            "--cached-only",
            help="Facts and quotes of the stories compared before only: do not compare the "
            "others now (which loads the models and takes seconds a story).",
        ),
    ] = False,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
) -> None:
    """Export stories, articles, facts or quotes (stories not compared yet are compared first)."""
    from rashomon.corpus.export import export_rows, stories_due, write_rows

    chosen = _output_format(fmt, output, ExportFormat)
    _check_output(output)
    settings = _settings(config)
    store = _existing_store(db)
    failed: list[tuple[str, RashomonError]] = []
    try:
        if what in (ExportWhat.facts, ExportWhat.quotes):
            if cached_only:
                left_out = len(stories_due(store))
                if left_out:
                    err_console.print(
                        f"left out {_stories(left_out)} not compared yet "
                        "(run without --cached-only to compare them)",
                        highlight=False,
                    )
            else:
                failed = _compare_for_export(store, settings)
        n = write_rows(export_rows(store, what.value), output, chosen.value)
    except OSError as err:
        raise InputError(str(output), f"cannot write the export: {err.strerror}") from err
    finally:
        store.close()
    err_console.print(f"wrote {n} {what.value} rows to {escape(str(output))}", highlight=False)
    if failed:
        raise typer.Exit(1)


def _stories(n: int) -> str:
    return f"{n} story" if n == 1 else f"{n} stories"


def _compare_for_export(store: Store, settings: Settings) -> list[tuple[str, RashomonError]]:
    """Compare the stories without a cached comparison, with progress on a terminal; return
    the stories that could not be compared (each named on stderr)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from rashomon.corpus.export import compare_due
    from rashomon.pipeline import compare_story

    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    )
    with progress:
        task = progress.add_task("comparing stories", total=None)
        outcome = compare_due(
            store,
            lambda s, story_id: compare_story(s, story_id, settings=settings),
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    if outcome.compared:
        err_console.print(
            f"compared {_stories(outcome.compared)} not compared before (cached in the corpus)",
            highlight=False,
        )
    for story_id, error in outcome.failed:
        err_console.print(
            f"[yellow]not compared[/yellow] story {escape(story_id)}: {escape(str(error))}",
            highlight=False,
        )
    return outcome.failed


LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")
WILDCARD_HOSTS = ("0.0.0.0", "::", "[::]", "")


def allowed_hosts(host: str, extra: Sequence[str] = ()) -> list[str]:
    """The Host header values ``serve`` accepts when listening on ``host``.

    Always the loopback names. On another address, also that address, and the names given
    (``--allowed-host``); without any, this machine's name and its addresses. Never any name:
    a web page could otherwise reach the app through a DNS name rebound to this machine.
    """
    hosts = [*LOOPBACK_HOSTS]
    if host not in LOOPBACK_HOSTS:
        if host not in WILDCARD_HOSTS:
            hosts.append(host)
        if extra:
            hosts += extra
        else:
            hosts += _machine_names()
    return list(dict.fromkeys(h.lower() for h in hosts))


def _machine_names() -> list[str]:
    """This machine's host name, its full name and the addresses they resolve to."""
    import socket

    names = [socket.gethostname(), socket.getfqdn()]
    found = [n for n in names if n]
    for name in found[:]:
        with contextlib.suppress(OSError, UnicodeError):
            found += [str(info[4][0]) for info in socket.getaddrinfo(name, None)]
    return found


@app.command()
def serve(
    db: Annotated[Path, DB_OPTION] = Path("corpus.db"),
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0: every interface).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8000,
    allow_private_urls: Annotated[
        bool,
        typer.Option(
            # one name, no --no- twin: both names do not fit in 80 columns of --help
            "--allow-private-urls",
            help="Let 'compare now' fetch URLs on private or loopback addresses.",
        ),
    ] = False,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            metavar="NAME",
            help="A host name the server answers to when --host is not loopback (repeatable; "
            "default: this machine's name and addresses). Loopback names always work.",
        ),
    ] = None,
    config: Annotated[Path | None, typer.Option(help="A rashomon.toml settings file.")] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
) -> None:
    """Browse a corpus in a web browser: stories side by side, outlets, compare now, JSON API."""
    _logging(verbose)
    settings = _settings(config)
    try:
        import uvicorn

        from rashomon.web.app import create_app
    except ImportError as err:
        raise InputError(
            "serve", f"the web app needs {err.name}", "Install it with: pip install 'rashomon[web]'"
        ) from err
    if not db.is_file():
        raise InputError(
            str(db), "no such corpus file", "Create it with: rashomon ingest FILES --db " + str(db)
        )
    # Only known names are accepted as Host, so a web page cannot reach the app through a DNS
    # name rebound to this machine.
    hosts = allowed_hosts(host, allowed_host or ())
    web = create_app(
        db, settings=settings, allow_private_urls=allow_private_urls, allowed_hosts=hosts
    )
    err_console.print(
        f"serving {escape(str(db))} on http://{escape(host)}:{port}/ (Ctrl+C to stop)",
        highlight=False,
    )
    uvicorn.run(web, host=host, port=port, log_level="warning" if verbose == 0 else "info")


def _size_limit_for_tests(store: Store) -> None:
    """RASHOMON_TEST_MAX_PAGE_COUNT=N caps the corpus file at N pages (SQLite's
    ``max_page_count``): the tests fill "the disk" mid-ingest with it. Not a user setting."""
    limit = os.environ.get("RASHOMON_TEST_MAX_PAGE_COUNT", "")
    if limit.isdigit():
        store.conn.execute(f"PRAGMA max_page_count = {int(limit)}")


def _cell(value: object) -> object:
    if isinstance(value, list | tuple):
        return "; ".join(f"{k} ({n})" for k, n in value)
    return value


def _existing_store(db: Path):  # type: ignore[no-untyped-def]
    from rashomon.corpus.store import open_store

    if not db.is_file():
        raise InputError(
            str(db), "no such corpus file", "Create it with: rashomon ingest FILES --db " + str(db)
        )
    return open_store(db)


def _report_skipped(rejected: list[InputError]) -> None:
    for error in rejected:
        err_console.print(f"[yellow]skipped[/yellow] {escape(str(error))}", highlight=False)


def _report_warnings(comparison: Comparison, rejected: list[InputError]) -> None:
    """The comparison's warnings on stderr, but for the rejected inputs already named."""
    skipped = {str(error) for error in rejected}
    for warning in comparison.warnings:
        if warning not in skipped:
            err_console.print(f"[yellow]warning[/yellow] {escape(warning)}", highlight=False)


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
