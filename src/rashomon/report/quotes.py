"""The quotes table of ``rashomon quotes``: JSON, CSV or Markdown, from a Comparison."""

from __future__ import annotations

import csv
import io
import json

from rashomon.models import Comparison, Quote
from rashomon.report.markdown import escape_markdown

QUOTES_SCHEMA_ID = "rashomon/quotes@1"
COLUMNS = (
    "article",
    "outlet",
    "id",
    "kind",
    "speaker",
    "speaker_entity",
    "speaker_mention",
    "cue",
    "negation",
    "text",
    "sentence",
    "start",
    "end",
)


def quote_rows(c: Comparison) -> list[dict[str, object]]:
    """One flat row per quote, in article order then text order."""
    outlet_of = {a.id: a.outlet for a in c.articles}
    order = {a.id: n for n, a in enumerate(c.articles)}
    rows = []
    for q in sorted(c.quotes, key=lambda q: (order.get(q.article, len(order)), q.start)):
        rows.append(quote_row(q, outlet_of.get(q.article, "")))
    return rows


def quote_row(q: Quote, outlet: str) -> dict[str, object]:
    """A quote as one flat row: the one shape of ``quotes --format csv`` and ``export``."""
    return {
        "article": q.article,
        "outlet": outlet,
        "id": q.id,
        "kind": q.kind,
        "speaker": q.speaker.name,
        "speaker_entity": q.speaker.entity,
        "speaker_mention": q.speaker.mention,
        "cue": q.cue,
        "negation": q.negation,
        "text": q.text,
        "sentence": q.sentence,
        "start": q.start,
        "end": q.end,
    }


def render_quotes_json(c: Comparison) -> str:
    articles = [
        {"id": a.id, "outlet": a.outlet, "title": a.title, "date": a.date, "source": a.source}
        for a in c.articles
    ]
    data = {"schema": QUOTES_SCHEMA_ID, "articles": articles, "quotes": quote_rows(c)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render_quotes_csv(c: Comparison) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in quote_rows(c):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return out.getvalue()


def render_quotes_markdown(c: Comparison) -> str:
    lines = [
        "| Outlet | Speaker | Kind | Cue | Quote | Sentence |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in quote_rows(c):
        cells = [
            row["outlet"],
            row["speaker"] or "(unnamed)",
            row["kind"],
            f"{row['negation']} (denial)" if row["negation"] else row["cue"] or "",
            row["text"],
            row["sentence"],
        ]
        lines.append("| " + " | ".join(escape_markdown(str(v)) for v in cells) + " |")
    return "\n".join(lines) + "\n"
