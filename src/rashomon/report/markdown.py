"""Comparison -> Markdown report (GitHub-flavoured: tables and ~~strikethrough~~).

Article text is untrusted, so every piece of it goes through :func:`escape_markdown`: inline
Markdown punctuation is backslash-escaped (line-start markers such as ``-`` or ``1.`` need nothing,
because escaped text never starts a line), ``<``/``>``/``&`` become entities so no raw HTML reaches
a renderer, and line breaks are folded so a sentence cannot start a new block or break a table row.
Citations are written ``[Outlet s3]``: without a link definition (untrusted text cannot add one,
its ``[`` is escaped) a Markdown renderer shows them as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rashomon.models import Article, Comparison, Conflict, Difference, Fact
from rashomon.report import ReportIndex, index_comparison, story_title

_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_\[\]|~#])")
_NO_CELL = "—"


def render_markdown(c: Comparison) -> str:
    """Render a comparison as a Markdown document (ends with one newline)."""
    ix = index_comparison(c)
    sections = [
        _header(c),
        _summary(c, ix),
        _shared_facts(c, ix),
        _only_in(c, ix),
        _conflicts(c, ix),
        _quotes(c, ix),
        _sources(c, ix),
        _entities(c),
        _boilerplate(c, ix),
        _warnings(c),
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def escape_markdown(text: str) -> str:
    """Make untrusted text literal inline Markdown on one line (safe in table cells too)."""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", flat)


def _header(c: Comparison) -> str:
    lines = [f"# {escape_markdown(story_title(c))}", ""]
    for article in c.articles:
        line = f"- **{escape_markdown(article.outlet)}**"
        if article.date:
            line += f", {escape_markdown(article.date)}"
        if article.title:
            line += f": {escape_markdown(article.title)}"
        if article.author:
            line += f" (by {escape_markdown(article.author)})"
        lines.append(line)
    return "\n".join(lines)


def _cite(ix: ReportIndex, sentence_ids: Iterable[str]) -> str:
    return " ".join(f"[{escape_markdown(ix.ref(s))}]" for s in dict.fromkeys(sentence_ids))


def _summary(c: Comparison, ix: ReportIndex) -> str:
    if not c.summary:
        return ""
    lines = ["## Summary", ""]
    for n, item in enumerate(c.summary, start=1):
        text = f"{escape_markdown(item.text)} {_cite(ix, (item.sentence, *item.support))}"
        if item.status == "contested":
            text = f"**contested**: {text}"
        if item.note:
            text += f" ({escape_markdown(item.note)})"
        lines.append(f"{n}. {text}")
    return "\n".join(lines)


def _cell(ix: ReportIndex, fact: Fact, article: Article) -> str:
    parts = []
    for sentence_id in fact.sentences:
        found = ix.sentences.get(sentence_id)
        if found is not None and found.article.id == article.id:
            number = sentence_id.rpartition(":")[2]
            parts.append(f"{escape_markdown(number)}: {escape_markdown(found.sentence.text)}")
    return "<br>".join(parts) or _NO_CELL


def _shared_facts(c: Comparison, ix: ReportIndex) -> str:
    shared = [f for f in c.facts if f.status == "shared"]
    if not shared:
        return ""
    header = ["Fact", *(escape_markdown(ix.labels[a.id]) for a in c.articles)]
    lines = ["## Shared facts", "", _row(header), _row(["---"] * len(header))]
    for fact in shared:
        cells = [str(ix.fact_label(fact.id)), *(_cell(ix, fact, a) for a in c.articles)]
        lines.append(_row(cells))
    wording = _wording(c, ix, shared)
    return "\n".join(lines) + (f"\n\n### Wording differences\n\n{wording}" if wording else "")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _wording(c: Comparison, ix: ReportIndex, shared: list[Fact]) -> str:
    lines = []
    for alignment in c.alignments:
        changes = "; ".join(filter(None, map(_difference, alignment.differences)))
        if not changes:
            continue
        fact = next((f for f in shared if alignment.source in f.sentences), None)
        where = f"{ix.fact_label(fact.id)}, " if fact else ""
        source = escape_markdown(ix.ref(alignment.source))
        target = escape_markdown(ix.ref(alignment.target))
        lines.append(f"- {where}{source} → {target}: {changes}")
    return "\n".join(lines)


def _difference(d: Difference) -> str:
    source, target = escape_markdown(d.source), escape_markdown(d.target)
    if d.kind == "replace" and source and target:
        return f"~~{source}~~ → **{target}**"
    if d.kind == "insert" and target:
        return f"added **{target}**"
    if d.kind == "delete" and source:
        return f"dropped ~~{source}~~"
    return ""


def _only_in(c: Comparison, ix: ReportIndex) -> str:
    blocks = []
    for article in c.articles:
        lines = []
        for fact in c.facts:
            if fact.status != "single":
                continue
            for sentence_id in fact.sentences:
                found = ix.sentences.get(sentence_id)
                if found is not None and found.article.id == article.id:
                    number = escape_markdown(sentence_id.rpartition(":")[2])
                    text = escape_markdown(found.sentence.text)
                    lines.append(f"- {ix.fact_label(fact.id)} ({number}): {text}")
        if lines:
            heading = f"## Only in {escape_markdown(ix.labels[article.id])}"
            blocks.append("\n".join([heading, "", *lines]))
    return "\n\n".join(blocks)


def _conflicts(c: Comparison, ix: ReportIndex) -> str:
    if not c.conflicts:
        return ""
    lines = ["## Conflicts", ""]
    for n, conflict in enumerate(c.conflicts, start=1):
        lines.extend(_conflict(n, conflict, ix))
    return "\n".join(lines)


def _conflict(n: int, conflict: Conflict, ix: ReportIndex) -> list[str]:
    fact = ix.fact_label(conflict.fact)
    head = f"{n}. **{conflict.kind}**" + (f" ({fact})" if fact else "")
    lines = [f"{head}: {escape_markdown(conflict.note)}"]
    for value in conflict.values:
        found = ix.sentences.get(value.sentence)
        said = escape_markdown(found.sentence.text) if found else "(sentence not found)"
        shown = escape_markdown(value.text)
        if value.normalized and value.normalized != value.text:
            shown += f" (= {escape_markdown(value.normalized)})"
        lines.append(f"   - {escape_markdown(ix.ref(value.sentence))}: **{shown}** in “{said}”")
    return lines


def _quotes(c: Comparison, ix: ReportIndex) -> str:
    if not c.quotes:
        return ""
    by_speaker: dict[str, list[str]] = {}
    order = {a.id: n for n, a in enumerate(c.articles)}
    for quote in sorted(c.quotes, key=lambda q: order.get(q.article, len(order))):
        speaker = quote.speaker.name or "Unnamed speaker"
        text = escape_markdown(quote.text)
        shown = f"“{text}”" if quote.kind == "direct" else text
        ref = escape_markdown(ix.ref(quote.sentence))
        by_speaker.setdefault(speaker, []).append(f"- {ref}, {quote.kind}: {shown}")
    blocks = ["## Who said what"]
    for speaker, lines in by_speaker.items():
        blocks.append("\n".join([f"### {escape_markdown(speaker)}", "", *lines]))
    return "\n\n".join(blocks)


def _sources(c: Comparison, ix: ReportIndex) -> str:
    if not c.sources_cited:
        return ""
    lines = ["## Sources cited", ""]
    for article in c.articles:
        cited = [s for s in c.sources_cited if s.article == article.id]
        if not cited:
            continue
        parts = []
        for source in cited:
            details = [source.kind, *(["wire copy"] if source.wire_copy else [])]
            details += [escape_markdown(s.rpartition(":")[2]) for s in source.sentences]
            parts.append(f"{escape_markdown(source.name)} ({', '.join(details)})")
        lines.append(f"- **{escape_markdown(ix.labels[article.id])}**: {'; '.join(parts)}")
    return "\n".join(lines)


def _entities(c: Comparison) -> str:
    if not c.entities:
        return ""
    lines = ["## Names and labels", ""]
    for entity in c.entities:
        line = f"- **{escape_markdown(entity.name)}** ({escape_markdown(entity.label)})"
        variants = [v for v in entity.variants if v != entity.name]
        if variants:
            line += ": also " + ", ".join(f"“{escape_markdown(v)}”" for v in variants)
        for outlet, labels in entity.labels_by_outlet:
            called = ", ".join(f"“{escape_markdown(label)}”" for label in labels)
            line += f"; {escape_markdown(outlet)} calls them {called}"
        lines.append(line)
    return "\n".join(lines)


def _boilerplate(c: Comparison, ix: ReportIndex) -> str:
    blocks = []
    for article in c.articles:
        if article.boilerplate:
            lines = [f"### {escape_markdown(ix.labels[article.id])}", ""]
            for piece in article.boilerplate:
                lines.append(f"- {escape_markdown(piece.reason)}: {escape_markdown(piece.text)}")
            blocks.append("\n".join(lines))
    return "\n\n".join(["## Removed boilerplate", *blocks]) if blocks else ""


def _warnings(c: Comparison) -> str:
    if not c.warnings:
        return ""
    return "\n".join(["## Warnings", "", *(f"- {escape_markdown(w)}" for w in c.warnings)])
