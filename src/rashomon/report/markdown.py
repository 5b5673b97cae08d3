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

from rashomon.analyze.timeline import comparison_timeline, describe_timeline
from rashomon.models import (
    Article,
    Comparison,
    Conflict,
    Difference,
    Entity,
    Fact,
    Quote,
    QuoteVariant,
)
from rashomon.report.index import (
    ReportIndex,
    entity_type,
    group_speakers,
    index_comparison,
    is_named,
    labels_used,
    left_out_note,
    names_to_show,
    names_used,
    speaker_name,
    story_title,
    variant_quotes,
)

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
        _timeline(c),
        _entities(c, ix),
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
        both = (alignment.source, alignment.target)
        fact = next((f for f in shared if all(s in f.sentences for s in both)), None)
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
        if conflict.kind == "attribution":
            # the value is the speaker's mention; ``normalized`` is the name it resolves to
            shown = f"credited to **{escape_markdown(value.normalized or value.text)}**"
        else:
            shown = escape_markdown(value.text)
            if value.normalized and value.normalized != value.text:
                shown += f" (= {escape_markdown(value.normalized)})"
            shown = f"**{shown}**"
        lines.append(f"   - {escape_markdown(ix.ref(value.sentence))}: {shown} in “{said}”")
    return lines


def _quotes(c: Comparison, ix: ReportIndex) -> str:
    if not c.quotes:
        return ""
    blocks = [
        "## Who said what",
        "Statements grouped by speaker, then by outlet: “…” marks a direct quote, "
        "*reported* marks reported speech.",
    ]
    for group in group_speakers(c):
        lines = [f"### {escape_markdown(group.name)}", ""]
        for article_id, quotes in group.by_article:
            lines.append(f"- **{escape_markdown(ix.labels.get(article_id, article_id))}**")
            lines.extend(f"  - {_statement(q, ix, group.is_unnamed)}" for q in quotes)
        blocks.append("\n".join(lines))
    variants = _variants(c, ix)
    if variants:
        blocks.append(f"### Same statement, different wording\n\n{variants}")
    return "\n\n".join(blocks)


def _statement(quote: Quote, ix: ReportIndex, is_unnamed: bool) -> str:
    text = escape_markdown(quote.text)
    shown = f"“{text}”" if quote.kind == "direct" else f"*reported*: {text}"
    if quote.negation:
        # a denial is shown as one: "(denied): they carried out the strike"
        shown = f"**({escape_markdown(quote.negation)})**: {shown}"
    if is_unnamed and quote.speaker.mention:
        shown += f" (said by “{escape_markdown(quote.speaker.mention)}”)"
    return f"{shown} {_cite(ix, [quote.sentence])}"


def _variants(c: Comparison, ix: ReportIndex) -> str:
    lines = []
    for n, variant in enumerate(c.quote_variants, start=1):
        pair = variant_quotes(c, variant)
        lines.append(f"{n}. {_variant_head(c, ix, variant, pair)}")
        for quote, spans, marker in (
            (pair[0], [d.source_span for d in variant.differences if d.kind != "insert"], "~~"),
            (pair[1], [d.target_span for d in variant.differences if d.kind != "delete"], "**"),
        ):
            if quote is None:
                continue
            text = _marked(quote.text, [s for s in spans if s], marker)
            shown = f"“{text}”" if quote.kind == "direct" else f"*reported*: {text}"
            if quote.negation:
                shown = f"**({escape_markdown(quote.negation)})**: {shown}"
            who = "" if variant.same_speaker else f" ({_who(c, quote)})"
            lines.append(f"   - {_cite(ix, [quote.sentence])}{who} {shown}")
    return "\n".join(lines)


def _variant_head(
    c: Comparison, ix: ReportIndex, variant: QuoteVariant, pair: tuple[Quote | None, Quote | None]
) -> str:
    similarity = f"similarity {variant.score:.2f}"
    source, target = pair
    if source is None or target is None:
        missing = variant.source if source is None else variant.target
        return f"quote {escape_markdown(missing)} not found ({similarity})"
    if variant.same_speaker:
        return f"**same speaker**: {escape_markdown(speaker_name(c, source))} ({similarity})"
    credits = [
        f"{escape_markdown(ix.labels.get(q.article, q.article))} {_credited(c, q)}"
        for q in (source, target)
    ]
    kind = "attribution conflict" if variant.same_speaker is False else "speaker unclear"
    return f"**{kind}**: {', '.join(credits)} ({similarity})"


def _credited(c: Comparison, quote: Quote) -> str:
    if is_named(quote):
        return f"credits **{escape_markdown(speaker_name(c, quote))}**"
    if quote.speaker.mention:
        return f"names no speaker (“{escape_markdown(quote.speaker.mention)}”)"
    return "names no speaker"


def _who(c: Comparison, quote: Quote) -> str:
    if not is_named(quote) and quote.speaker.mention:
        return f"unnamed: “{escape_markdown(quote.speaker.mention)}”"
    return escape_markdown(speaker_name(c, quote))


def _marked(text: str, spans: Iterable[tuple[int, int]], marker: str) -> str:
    """Escape ``text`` and wrap each valid, non-overlapping span in ``marker`` (``~~``/``**``)."""
    out, position = [], 0
    for start, end in sorted(set(spans)):
        if start < position or not 0 <= start < end <= len(text) or not text[start:end].strip():
            continue  # overlapping, out of range or blank: leave the text unmarked
        out += [_escape_part(text[position:start]), f"{marker}{escape_markdown(text[start:end])}"]
        out[-1] += marker
        position = end
    out.append(_escape_part(text[position:]))
    return " ".join("".join(out).split())


def _escape_part(text: str) -> str:
    """Like :func:`escape_markdown`, but keep one space where ``text`` starts or ends with one."""
    escaped = escape_markdown(text)
    if not escaped:
        return " " if text else ""
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    return f"{lead}{escaped}{trail}"


def _sources(c: Comparison, ix: ReportIndex) -> str:
    if not c.sources_cited:
        return ""
    lines = ["## Sources cited", ""]
    for article in c.articles:
        cited = [s for s in c.sources_cited if s.article == article.id]
        parts = []
        for source in cited:
            part = f"{escape_markdown(source.name)} `{source.kind}`"
            if source.wire_copy:
                part += " **wire copy**"
            parts.append(f"{part} {_cite(ix, source.sentences)}".rstrip())
        shown = "; ".join(parts) or "none named"
        lines.append(f"- **{escape_markdown(ix.labels[article.id])}**: {shown}")
    return "\n".join(lines)


def _timeline(c: Comparison) -> str:
    """Who reported first and when the others followed (as in the HTML report)."""
    timeline = comparison_timeline(c)
    if len(timeline.reports) < 2:
        return ""
    lines = ["## Timeline", ""]
    lines += [
        f"{n}. {escape_markdown(line)}" for n, line in enumerate(describe_timeline(timeline), 1)
    ]
    return "\n".join(lines)


def _entities(c: Comparison, ix: ReportIndex) -> str:
    shown = names_to_show(c)
    if not shown.entities:
        return ""
    header = ["Name", *(escape_markdown(ix.labels[a.id]) for a in c.articles)]
    lines = [
        "## Names and labels",
        "",
        "The words each outlet uses for the names mentioned more than once, and the labels it "
        "attaches to them; the most mentioned first.",
        "",
        _row(header),
        _row(["---"] * len(header)),
    ]
    for entity in shown.entities:
        kind = f"{escape_markdown(entity_type(entity.label))}, {len(entity.mentions)} mentions"
        cells = [f"**{escape_markdown(entity.name)}** ({kind})"]
        cells += [_names_cell(entity, a) for a in c.articles]
        lines.append(_row(cells))
    note = left_out_note(shown)
    return "\n".join(lines) + (f"\n\n{note}" if note else "")


def _names_cell(entity: Entity, article: Article) -> str:
    names = ", ".join(
        escape_markdown(text) + (f" ×{count}" if count > 1 else "")
        for text, count in names_used(entity, article.id)
    )
    labels = ", ".join(f"“{escape_markdown(label)}”" for label in labels_used(entity, article))
    parts = [names] if names else []
    if labels:
        parts.append(f"labels: {labels}")
    return "<br>".join(parts) or _NO_CELL


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
