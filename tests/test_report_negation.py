"""A denied statement is shown as denied in every rendering (issue 14)."""

from __future__ import annotations

import csv
import dataclasses
import io

from factories import make_comparison
from rashomon.models import Comparison
from rashomon.report.html import render_html
from rashomon.report.markdown import render_markdown
from rashomon.report.quotes import render_quotes_csv, render_quotes_markdown


def _denied() -> tuple[Comparison, str]:
    c = make_comparison()
    first = dataclasses.replace(c.quotes[0], cue="denied", negation="denied")
    return dataclasses.replace(c, quotes=(first, *c.quotes[1:])), first.text


def test_markdown_shows_the_denial_with_the_statement() -> None:
    c, text = _denied()
    out = render_markdown(c)
    line = next(x for x in out.splitlines() if text[:20] in x and "(denied)" in x)
    assert line.index("(denied)") < line.index(text[:20])
    assert "(denied)" not in render_markdown(make_comparison())


def test_html_shows_the_denial_with_the_statement() -> None:
    c, _ = _denied()
    out = render_html(c)
    assert '<strong class="negation">(denied):</strong>' in out
    assert '<strong class="negation">' not in render_html(make_comparison())


def test_quotes_csv_and_table_carry_the_negation() -> None:
    c, _ = _denied()
    rows = list(csv.DictReader(io.StringIO(render_quotes_csv(c))))
    assert [r["negation"] for r in rows].count("denied") == 1
    assert "denied (denial)" in render_quotes_markdown(c)
