"""Comparison -> one self-contained HTML page (inline CSS and JS, no network access).

Article text is untrusted. Three layers keep it inert:

1. every string from the Comparison goes through :func:`html.escape` (attributes included), and
   only ``http(s)`` URLs ever become links;
2. the data the script needs sits in a ``<script type="application/json">`` block with ``<``, ``>``
   and ``&`` written as ``\\u003c`` etc., and the script only sets ``textContent`` and classes;
3. a Content-Security-Policy allows no network at all and runs only the one inline script whose
   SHA-256 it names, so even a missed escape could not load or execute anything.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from urllib.parse import quote, urlsplit

from rashomon._version import __version__
from rashomon.analyze.timeline import comparison_timeline, describe_timeline
from rashomon.models import (
    Alignment,
    Article,
    Comparison,
    Conflict,
    Difference,
    Entity,
    Quote,
    QuoteVariant,
    SourceCited,
    SummarySentence,
)
from rashomon.report.charts import timeline_data_uri
from rashomon.report.index import (
    Located,
    ReportIndex,
    SpeakerGroup,
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
from rashomon.schema import SCHEMA_ID

log = logging.getLogger(__name__)

_OUTLET_COLOURS = 6  # CSS defines .o0 ... .o5


@dataclass(frozen=True, slots=True, kw_only=True)
class ReportParts:
    """The pieces of a report page, for pages that embed a report (the web app's story page).

    All are HTML (or, for ``data``, script-safe JSON) with every untrusted string escaped.
    """

    title: str  # the story title, escaped
    header: str  # the <header> with the outlets
    nav: str  # the <nav> of the sections present
    body: str  # the sections
    data: str  # JSON for <script type="application/json" id="rashomon-data">


def render_html(c: Comparison) -> str:
    """Render a comparison as a standalone HTML document."""
    parts = report_parts(c)
    title = parts.title
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src '{_script_hash(_SCRIPT)}'; base-uri 'none'; form-action 'none'"
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="rashomon {escape(__version__)}">
<title>{title} · rashomon</title>
<style>{_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the report</a>
{parts.header}
{parts.nav}
<main id="main">
{parts.body}
</main>
<footer><p>Made by rashomon {escape(__version__)} from a {SCHEMA_ID} comparison.
Every sentence links back to its outlet; check the sources before you quote them.</p></footer>
<script type="application/json" id="rashomon-data">{parts.data}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


def report_parts(c: Comparison) -> ReportParts:
    """The header, section navigation, sections and script data of the report of ``c``."""
    ix = index_comparison(c)
    sections = {
        "summary": _summary(c, ix),
        "side-by-side": _side_by_side(c, ix),
        "conflicts": _conflicts(c, ix),
        "wording": _wording(c, ix),
        "quotes": _quotes(c, ix),
        "sources": _sources(c, ix),
        "timeline": _timeline(c),
        "entities": _entities(c, ix),
        "boilerplate": _boilerplate(c, ix),
        "warnings": _warnings(c),
    }
    present = [key for key, html in sections.items() if html]
    title = escape(story_title(c))
    return ReportParts(
        title=title,
        header=_header(c, ix, title),
        nav=_nav(present),
        body="\n".join(sections[key] for key in present),
        data=_script_data(c, ix),
    )


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _script_data(c: Comparison, ix: ReportIndex) -> str:
    facts = {}
    for fact in c.facts:
        located = [ix.sentences[s] for s in fact.sentences if s in ix.sentences]
        outlets = list(dict.fromkeys(ix.labels[x.article.id] for x in located))
        facts[fact.id] = {
            "label": ix.fact_label(fact.id),
            "status": fact.status,
            "outlets": outlets,
            "sentences": [_dom_id(x.sentence.id) for x in located],
        }
    text = json.dumps({"facts": facts}, ensure_ascii=False, separators=(",", ":"))
    # JSON inside <script> ends at the first "</script"; escaped, the text parses the same
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _dom_id(sentence_id: str) -> str:
    return f"s-{sentence_id}"


def _cite(ix: ReportIndex, sentence_id: str, text: str | None = None) -> str:
    href = "#" + quote(_dom_id(sentence_id), safe=":")
    ref = ix.ref(sentence_id)
    if text is None or text == ref:
        return f'<a class="cite" href="{escape(href)}">{escape(ref)}</a>'
    # a short label ("s4") gets the full reference as its tooltip and accessible name
    return (
        f'<a class="cite" href="{escape(href)}" title="{escape(ref)}" aria-label="{escape(ref)}">'
        f"{escape(text)}</a>"
    )


def _link(url: str | None, text: str) -> str:
    """``text`` as a link to ``url`` if that is an http(s) URL; anything else stays plain text."""
    if url and urlsplit(url.strip()).scheme.lower() in ("http", "https"):
        return f'<a href="{escape(url.strip())}" rel="noopener noreferrer">{escape(text)}</a>'
    return escape(text)


def _outlet_class(c: Comparison, article_id: str) -> str:
    index = next((n for n, a in enumerate(c.articles) if a.id == article_id), 0)
    return f"o{index % _OUTLET_COLOURS}"


def _header(c: Comparison, ix: ReportIndex, title: str) -> str:
    items = []
    for article in c.articles:
        parts = [f'<span class="outlet">{escape(ix.labels[article.id])}</span>']
        if article.date:
            parts.append(f"<time>{escape(article.date)}</time>")
        if article.title:
            parts.append(f"“{_link(article.url, article.title)}”")
        if article.author:
            parts.append(f"by {escape(article.author)}")
        cls = _outlet_class(c, article.id)
        items.append(f'<li class="{cls}"><span class="swatch"></span>{" · ".join(parts)}</li>')
    count = f"{len(c.articles)} articles, {len(c.facts)} facts, {len(c.conflicts)} conflicts"
    return f"""<header>
<p class="kicker">How the outlets tell it · {count}</p>
<h1>{title}</h1>
<ul class="outlets">{"".join(items)}</ul>
</header>"""


_NAV_NAMES = {
    "summary": "Summary",
    "side-by-side": "Side by side",
    "conflicts": "Conflicts",
    "wording": "Wording",
    "quotes": "Who said what",
    "sources": "Sources",
    "timeline": "Timeline",
    "entities": "Names",
    "boilerplate": "Removed",
    "warnings": "Warnings",
}


def _nav(present: list[str]) -> str:
    links = [f'<li><a href="#{key}">{_NAV_NAMES[key]}</a></li>' for key in present]
    return f'<nav aria-label="Report sections"><ul>{"".join(links)}</ul></nav>'


def _section(key: str, heading: str, content: str, intro: str = "") -> str:
    """A landmark section; ``intro`` is trusted HTML written in this module."""
    intro_html = f'<p class="intro">{intro}</p>' if intro else ""
    return (
        f'<section id="{key}" aria-labelledby="{key}-h">'
        f'<h2 id="{key}-h">{heading}</h2>{intro_html}\n{content}\n</section>'
    )


def _summary(c: Comparison, ix: ReportIndex) -> str:
    if not c.summary:
        return ""
    items = "\n".join(_summary_item(item, ix) for item in c.summary)
    intro = "Neutral wording chosen from the outlets. Each link jumps to the sentence it rests on."
    return _section("summary", "Summary", f'<ol class="summary">\n{items}\n</ol>', intro)


def _summary_item(item: SummarySentence, ix: ReportIndex) -> str:
    cites = " ".join(_cite(ix, s) for s in dict.fromkeys((item.sentence, *item.support)))
    tag = '<strong class="tag contested">contested</strong> ' if item.status == "contested" else ""
    note = f'<span class="note">{escape(item.note)}</span>' if item.note else ""
    return (
        f'<li class="{escape(item.status)}">{tag}<span class="stext">{escape(item.text)}</span> '
        f'<span class="cites">{cites}</span>{note}</li>'
    )


def _side_by_side(c: Comparison, ix: ReportIndex) -> str:
    if not c.articles:
        return ""
    columns = "\n".join(_column(c, ix, n, a) for n, a in enumerate(c.articles))
    legend = (
        '<p class="legend"><span class="sent shared demo">shared with another outlet</span> '
        '<span class="sent single demo">only in this outlet</span> '
        '<span class="sent demo">not matched</span></p>'
        '<p class="fact-status" id="fact-status" aria-live="polite">'
        "Point at or select a sentence to see the same fact in the other outlets.</p>"
    )
    content = f'{legend}\n<div class="columns">\n{columns}\n</div>'
    return _section("side-by-side", "Side by side", content)


def _column(c: Comparison, ix: ReportIndex, n: int, article: Article) -> str:
    meta = [escape(article.date)] if article.date else []
    if article.url:
        meta.append(_link(article.url, article.url))
    if article.source and article.source != article.url:
        meta.append(f"from {escape(article.source)}")
    spans = []
    previous_end = 0
    for sentence in article.sentences:
        gap = article.text[previous_end : sentence.start]
        spans.append(_sentence_span(ix.sentences[sentence.id], ix, new_paragraph="\n\n" in gap))
        previous_end = sentence.end
    title = f'<p class="atitle">{escape(article.title)}</p>' if article.title else ""
    return f"""<section class="col {_outlet_class(c, article.id)}" aria-labelledby="col-{n}">
<h3 id="col-{n}">{escape(ix.labels[article.id])}</h3>{title}
<p class="meta">{" · ".join(meta)}</p>
<div class="body">{"".join(spans)}</div>
</section>"""


def _sentence_span(found: Located, ix: ReportIndex, *, new_paragraph: bool) -> str:
    sentence, fact = found.sentence, found.fact
    classes = ["sent"] + ([fact.status] if fact else []) + (["para"] if new_paragraph else [])
    attrs = [
        f'id="{escape(_dom_id(sentence.id))}"',
        f'class="{" ".join(classes)}"',
        f'data-n="{escape(sentence.id.rpartition(":")[2])}"',
        'tabindex="0"',
    ]
    if fact is not None:
        attrs.append(f'data-fact="{escape(fact.id)}"')
        if fact.status == "single":
            attrs.append(f'title="Only in {escape(ix.labels[found.article.id])}"')
    return f"<span {' '.join(attrs)}>{escape(sentence.text)}</span> "


def _marked(text: str, spans: Iterable[tuple[int, int]], tag: str) -> str:
    """Escape ``text`` and wrap each valid, non-overlapping ``(start, end)`` span in ``<tag>``."""
    out, position = [], 0
    for start, end in sorted(set(spans)):
        if start < position or not 0 <= start < end <= len(text):
            continue  # overlapping or out of range: show the text unmarked rather than guess
        out += [escape(text[position:start]), f"<{tag}>{escape(text[start:end])}</{tag}>"]
        position = end
    out.append(escape(text[position:]))
    return "".join(out)


def _conflicts(c: Comparison, ix: ReportIndex) -> str:
    if not c.conflicts:
        return ""
    items = "\n".join(
        _conflict(conflict, ix, _variant_number(c, conflict)) for conflict in c.conflicts
    )
    intro = (
        "Places where the outlets give different dates or numbers, or credit a statement to "
        "different speakers."
    )
    return _section("conflicts", "Conflicts", f'<ol class="conflicts">\n{items}\n</ol>', intro)


def _variant_number(c: Comparison, conflict: Conflict) -> int | None:
    """The number of the quote variant an attribution conflict is about, if it can be told."""
    if conflict.kind != "attribution":
        return None
    for n, variant in enumerate(c.quote_variants, start=1):
        quotes = [q for q in variant_quotes(c, variant) if q is not None]
        if variant.same_speaker is False and {q.sentence for q in quotes} == set(
            conflict.sentences
        ):
            return n
    return None


def _conflict(conflict: Conflict, ix: ReportIndex, variant: int | None = None) -> str:
    values = []
    for value in conflict.values:
        found = ix.sentences.get(value.sentence)
        if conflict.kind == "attribution":
            # the value is the speaker's mention; ``normalized`` is the name it resolves to
            name = escape(value.normalized or value.text)
            shown = f'credited to <strong class="credited">{name}</strong>'
        else:
            shown = f"<mark>{escape(value.text)}</mark>"
            if value.normalized and value.normalized != value.text:
                shown += f' <span class="norm">(= {escape(value.normalized)})</span>'
        context = ""
        if found is not None:
            start = value.start - found.sentence.start
            span = (start, start + len(value.text))
            # mark the value only where the offsets really point at it
            is_there = found.sentence.text[span[0] : span[1]] == value.text and start >= 0
            marked = _marked(found.sentence.text, [span] if is_there else [], "mark")
            # a sentence that opens with its own quotation mark gets no second one around it
            first = found.sentence.text.lstrip()[:1]
            opens_quoted = bool(first) and first in "\"“„«'‘"
            cls = "context noq" if opens_quoted else "context"
            context = f'<q class="{cls}">{marked}</q>'
        values.append(f"<li>{_cite(ix, value.sentence)}: {shown} {context}</li>")
    fact = ix.fact_label(conflict.fact)
    fact_html = f' <span class="factref">{escape(fact)}</span>' if fact else ""
    link = f' <a class="vlink" href="#variant-{variant}">both wordings</a>' if variant else ""
    return (
        f'<li class="conflict"><p><span class="kind">{escape(conflict.kind)}</span>{fact_html} '
        f'<span class="note">{escape(conflict.note)}</span>{link}</p>'
        f"<ul>{''.join(values)}</ul></li>"
    )


def _wording(c: Comparison, ix: ReportIndex) -> str:
    items = [_pair(a, ix) for a in c.alignments if a.differences]
    if not items:
        return ""
    intro = (
        "How aligned sentences differ: <del>struck red</del> words are gone in the second outlet, "
        "<ins>green</ins> words are new."
    )
    content = f'<ul class="pairs">\n{"".join(items)}\n</ul>'
    return _section("wording", "Wording differences", content, intro)


def _pair(alignment: Alignment, ix: ReportIndex) -> str:
    source, target = ix.sentences.get(alignment.source), ix.sentences.get(alignment.target)
    fact = ix.fact_label(source.fact.id) if source and source.fact else None
    head = (f'<span class="factref">{escape(fact)}</span> ' if fact else "") + (
        f"{_cite(ix, alignment.source)} → {_cite(ix, alignment.target)} "
        f'<span class="rel">{escape(alignment.relation)}, similarity {alignment.score:.2f}</span>'
    )
    diffs = alignment.differences
    lines = []
    if source is not None:
        spans = [d.source_span for d in diffs if d.kind != "insert" and d.source_span]
        lines.append(_diff_line(ix, source, _marked(source.sentence.text, spans, "del")))
    if target is not None:
        spans = [d.target_span for d in diffs if d.kind != "delete" and d.target_span]
        lines.append(_diff_line(ix, target, _marked(target.sentence.text, spans, "ins")))
    unplaced = [_change(d) for d in diffs if d.source_span is None and d.target_span is None]
    changes = f'<p class="changes">{"; ".join(unplaced)}</p>' if unplaced else ""
    return f'<li class="pair"><p class="pairhead">{head}</p>{"".join(lines)}{changes}</li>'


def _diff_line(ix: ReportIndex, found: Located, marked: str) -> str:
    label = escape(ix.labels[found.article.id])
    return f'<p class="diffline"><span class="who">{label}</span> {marked}</p>'


def _change(d: Difference) -> str:
    if d.kind == "replace":
        return f"<del>{escape(d.source)}</del> → <ins>{escape(d.target)}</ins>"
    if d.kind == "insert":
        return f"added <ins>{escape(d.target)}</ins>"
    return f"dropped <del>{escape(d.source)}</del>"


def _quotes(c: Comparison, ix: ReportIndex) -> str:
    if not c.quotes:
        return ""
    variant_of: dict[str, int] = {}  # quote id -> number of the first variant it belongs to
    for n, variant in enumerate(c.quote_variants, start=1):
        variant_of.setdefault(variant.source, n)
        variant_of.setdefault(variant.target, n)
    groups = group_speakers(c)
    # quotes of an article the comparison lacks still get a column, named by the article id
    known = {a.id for a in c.articles}
    extra = [a for g in groups for a, _ in g.by_article if a not in known]
    columns = [(a.id, ix.labels[a.id]) for a in c.articles]
    columns += [(a, a) for a in dict.fromkeys(extra)]
    head = "".join(
        f'<th scope=col class="{_outlet_class(c, a)}"><span class="swatch"></span>'
        f"{escape(label)}</th>"
        for a, label in columns
    )
    rows = "".join(_speaker_row(c, ix, g, columns, variant_of) for g in groups)
    table = (
        f'<table class="saidby">\n<thead><tr><th scope=col>Speaker</th>{head}</tr></thead>\n'
        f"<tbody>{rows}</tbody></table>"
    )
    intro = (
        "Statements grouped by speaker, one column per outlet. "
        '<span class="qicon" aria-hidden="true">“</span> marks a direct quote, '
        '<span class="qkind">reported</span> reported speech. '
        "Each link jumps to the sentence in its outlet."
    )
    return _section("quotes", "Who said what", table + _variants(c, ix), intro)


def _speaker_row(
    c: Comparison,
    ix: ReportIndex,
    group: SpeakerGroup,
    columns: list[tuple[str, str]],
    variant_of: dict[str, int],
) -> str:
    quoted = dict(group.by_article)
    cells = []
    for article_id, label in columns:
        attrs = f'class="{_outlet_class(c, article_id)}" data-outlet="{escape(label)}"'
        quotes = quoted.get(article_id, ())
        if not quotes:
            cells.append(f'<td class="empty" data-outlet="{escape(label)}">—</td>')
            continue
        items = "".join(_statement(ix, q, group.is_unnamed, variant_of.get(q.id)) for q in quotes)
        cells.append(f"<td {attrs}><ul>{items}</ul></td>")
    count = len(group.quotes)
    meta = [entity_type(group.entity.label)] if group.entity else []
    meta.append(f"{len(group.by_article)} of {len(columns)} outlets")
    meta.append(f"{count} statement{'s' if count != 1 else ''}")
    return (
        f'<tr><th scope=row>{escape(group.name)}<span class="etype">{escape(" · ".join(meta))}'
        f"</span></th>{''.join(cells)}</tr>"
    )


def _statement(ix: ReportIndex, quote_: Quote, is_unnamed: bool, variant: int | None) -> str:
    """One statement: a quote-mark icon in the gutter for a direct quote, a badge for reported."""
    if quote_.kind == "direct":
        marker = (
            '<span class="qicon" role="img" aria-label="direct quote" title="direct quote">“</span>'
        )
        text = f"<q>{escape(quote_.text)}</q>"
    else:
        marker = ""
        text = f'<span class="qkind">reported</span> {escape(quote_.text)}'
    extra = ""
    if is_unnamed and quote_.speaker.mention:
        extra += f' <span class="mention">said by “{escape(quote_.speaker.mention)}”</span>'
    cite = _cite(ix, quote_.sentence, quote_.sentence.rpartition(":")[2])
    if variant is not None:
        extra += f' <a class="vlink" href="#variant-{variant}">≈ other wording</a>'
    return (
        f'<li class="stmt {escape(quote_.kind)}"><span class="gutter">{marker}</span>'
        f"<span>{text} {cite}{extra}</span></li>"
    )


def _variants(c: Comparison, ix: ReportIndex) -> str:
    items = [_variant(c, ix, n, v) for n, v in enumerate(c.quote_variants, start=1)]
    if not items:
        return ""
    intro = (
        "The same statement as each outlet words it: <del>struck red</del> words are not in the "
        "second outlet's wording, <ins>green</ins> words are new there."
    )
    return (
        '\n<h3 class="subhead" id="variants-h">Same statement, different wording</h3>'
        f'<p class="intro">{intro}</p>\n<ol class="variants">\n{"".join(items)}\n</ol>'
    )


def _variant(c: Comparison, ix: ReportIndex, n: int, variant: QuoteVariant) -> str:
    source, target = variant_quotes(c, variant)
    similarity = f'<span class="rel">similarity {variant.score:.2f}</span>'
    either = source or target
    if variant.same_speaker and either is not None:
        name = escape(speaker_name(c, either))
        head = f'<span class="tag same">same speaker</span> <strong>{name}</strong>'
    else:
        tag = "attribution conflict" if variant.same_speaker is False else "speaker unclear"
        cls = "attribution" if variant.same_speaker is False else "unclear"
        credits = ", ".join(_credit(c, ix, q) for q in (source, target) if q is not None)
        head = f'<strong class="tag {cls}">{tag}</strong> {credits}'
    cols = []
    for quote_, spans, tag_ in (
        (source, [d.source_span for d in variant.differences if d.kind != "insert"], "del"),
        (target, [d.target_span for d in variant.differences if d.kind != "delete"], "ins"),
    ):
        if quote_ is None:
            missing = variant.source if tag_ == "del" else variant.target
            cols.append(f'<div class="vcol"><p>Quote {escape(missing)} not found.</p></div>')
            continue
        cols.append(
            _variant_column(c, ix, quote_, _marked(quote_.text, [s for s in spans if s], tag_))
        )
    cls = "variant conflict" if variant.same_speaker is False else "variant"
    return (
        f'<li class="{cls}" id="variant-{n}"><p class="vhead">{head} {similarity}</p>'
        f'<div class="vcols">{"".join(cols)}</div></li>'
    )


def _credit(c: Comparison, ix: ReportIndex, quote_: Quote) -> str:
    outlet = escape(ix.labels.get(quote_.article, quote_.article))
    if is_named(quote_):
        return f"{outlet} credits <strong>{escape(speaker_name(c, quote_))}</strong>"
    if quote_.speaker.mention:
        return f"{outlet} names no speaker (“{escape(quote_.speaker.mention)}”)"
    return f"{outlet} names no speaker"


def _who(c: Comparison, quote_: Quote) -> str:
    if not is_named(quote_) and quote_.speaker.mention:
        return f"unnamed: “{escape(quote_.speaker.mention)}”"
    return escape(speaker_name(c, quote_))


def _variant_column(c: Comparison, ix: ReportIndex, quote_: Quote, marked: str) -> str:
    label = escape(ix.labels.get(quote_.article, quote_.article))
    cite = _cite(ix, quote_.sentence, quote_.sentence.rpartition(":")[2])
    text = f"<q>{marked}</q>" if quote_.kind == "direct" else marked
    return (
        f'<div class="vcol {_outlet_class(c, quote_.article)}"><p class="vwho">'
        f'<span class="outlet">{label}</span> · {_who(c, quote_)} · '
        f"{escape(quote_.kind)} {cite}</p>"
        f'<p class="vtext">{text}</p></div>'
    )


def _sources(c: Comparison, ix: ReportIndex) -> str:
    if not c.sources_cited:
        return ""
    cards = []
    for article in c.articles:
        items = "".join(_source(ix, s) for s in c.sources_cited if s.article == article.id)
        body = f"<ul>{items}</ul>" if items else '<p class="none">No source named.</p>'
        cards.append(
            f'<div class="srcs {_outlet_class(c, article.id)}">'
            f"<h3>{escape(ix.labels[article.id])}</h3>{body}</div>"
        )
    intro = "Whom each outlet relies on: news agencies, other outlets, officials and documents."
    return _section(
        "sources", "Sources cited", f'<div class="srcgrid">{"".join(cards)}</div>', intro
    )


def _source(ix: ReportIndex, source: SourceCited) -> str:
    cites = " ".join(_cite(ix, s, s.rpartition(":")[2]) for s in source.sentences)
    wire = ' <span class="tag wire">wire copy</span>' if source.wire_copy else ""
    kind = escape(source.kind)
    return (
        f'<li><span class="skind {kind}">{kind}</span> {escape(source.name)}{wire} '
        f'<span class="cites">{cites}</span></li>'
    )


def _entities(c: Comparison, ix: ReportIndex) -> str:
    shown = names_to_show(c)
    if not shown.entities:
        return ""
    outlets = "".join(
        f'<th scope=col class="{_outlet_class(c, a.id)}"><span class="swatch"></span>'
        f"{escape(ix.labels[a.id])}</th>"
        for a in c.articles
    )
    rows = "".join(_entity_row(c, e) for e in shown.entities)
    table = (
        f'<div class="scroll"><table class="names">\n<thead><tr><th scope=col>Name</th>{outlets}'
        f"</tr></thead>\n<tbody>{rows}</tbody></table></div>"
    )
    note = left_out_note(shown)
    intro = (
        "The words each outlet uses for the names mentioned more than once, and the "
        '<span class="lbl">labels</span> it attaches to them; the most mentioned first.'
    )
    return _section(
        "entities",
        "Names and labels",
        table + (f'<p class="note">{escape(note)}</p>' if note else ""),
        intro,
    )


def _entity_row(c: Comparison, entity: Entity) -> str:
    cells = []
    for article in c.articles:
        names = ", ".join(
            f'<span class="nm">{escape(text)}</span>'
            + (f'<span class="cnt"> ×{count}</span>' if count > 1 else "")
            for text, count in names_used(entity, article.id)
        )
        labels = "".join(
            f'<span class="lbl">{escape(x)}</span>' for x in labels_used(entity, article)
        )
        if not names and not labels:
            cells.append('<td class="empty">—</td>')
            continue
        labels_html = f'<span class="lbls">{labels}</span>' if labels else ""
        cells.append(f"<td>{names}{labels_html}</td>")
    count = len(entity.mentions)
    meta = f"{entity_type(entity.label)} · {count} mention{'s' if count != 1 else ''}"
    return (
        f'<tr><th scope=row>{escape(entity.name)}<span class="etype">{escape(meta)}</span></th>'
        f"{''.join(cells)}</tr>"
    )


def _boilerplate(c: Comparison, ix: ReportIndex) -> str:
    blocks = []
    for article in c.articles:
        if not article.boilerplate:
            continue
        items = "".join(
            f'<li><span class="reason">{escape(b.reason)}</span> {escape(b.text)}</li>'
            for b in article.boilerplate
        )
        count = len(article.boilerplate)
        summary = f"{escape(ix.labels[article.id])}: {count} piece{'s' if count != 1 else ''}"
        blocks.append(f"<details><summary>{summary}</summary><ul>{items}</ul></details>")
    if not blocks:
        return ""
    intro = "Site furniture removed before comparing (menus, promotions, bylines...)."
    return _section("boilerplate", "Removed boilerplate", "\n".join(blocks), intro)


def _timeline(c: Comparison) -> str:
    """Who reported first and when the others followed: a chart and the same as a list."""
    timeline = comparison_timeline(c)
    if len(timeline.reports) < 2:
        return ""
    items = "".join(f"<li>{escape(line)}</li>" for line in describe_timeline(timeline))
    # an SVG in <img> runs no script, and the CSP allows images from data: URIs only
    try:
        chart = (
            f'<img class="chart" src="{timeline_data_uri(timeline)}" '
            'alt="Chart: each outlet\'s articles over time; the list below says the same">'
        )
    except (ValueError, OverflowError) as err:  # a span matplotlib cannot draw: the list stays
        log.warning("no timeline chart for this report: %s", err)
        chart = ""
    intro = "When each outlet carried the story, by the dates the articles give."
    return _section("timeline", "Timeline", f'{chart}\n<ol class="timeline">{items}</ol>', intro)


def _warnings(c: Comparison) -> str:
    if not c.warnings:
        return ""
    items = "".join(f"<li>{escape(w)}</li>" for w in c.warnings)
    return _section("warnings", "Warnings", f"<ul>{items}</ul>")


_CSS = """
:root{color-scheme:light;--fg:#1f2328;--muted:#59636e;--bg:#fff;--panel:#f6f8fa;
--line:#d1d9e0;--link:#0550ae;--focus:#0969da;--hl:#ffe2b8;--hl-line:#bc4c00;
--single:#fff8c5;--single-line:#9a6700;--del-bg:#ffebe9;--del:#a40e26;--ins-bg:#dafbe1;
--ins:#116329}
*{box-sizing:border-box}
html{scroll-padding-top:4rem}
body{margin:0;background:var(--bg);color:var(--fg);overflow-wrap:anywhere;
font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-9999px}
.skip:focus{left:1rem;top:1rem;z-index:9;background:#fff;padding:.5rem 1rem}
header,nav,main,footer{max-width:84rem;margin:0 auto;padding:0 1.25rem}
header{padding-top:1.5rem}
.kicker{margin:0;color:var(--muted);font-size:.85rem;text-transform:uppercase;letter-spacing:.04em}
h1{font-size:1.9rem;line-height:1.2;margin:.25rem 0 .75rem}
h2{font-size:1.35rem;margin:2.25rem 0 .5rem;padding-bottom:.3rem;
border-bottom:1px solid var(--line)}
h3{font-size:1.05rem;margin:.2rem 0}
.intro,.meta,.atitle{color:var(--muted)}
.intro{margin:.25rem 0 .75rem}
.outlets{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.35rem 1.5rem}
.outlet{font-weight:600}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.4rem;
background:var(--accent);vertical-align:-.05rem}
.o0{--accent:#0969da}.o1{--accent:#bf3989}.o2{--accent:#1a7f37}.o3{--accent:#9a6700}
.o4{--accent:#8250df}.o5{--accent:#cf222e}
nav{position:sticky;top:0;z-index:5;background:rgba(255,255,255,.96);
border-bottom:1px solid var(--line)}
nav ul{list-style:none;margin:0;padding:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
.summary li{margin:.4rem 0}
.cites a.cite{font-size:.8rem;margin-left:.3rem}
.tag{display:inline-block;font-size:.75rem;font-weight:600;padding:0 .4rem;border-radius:1rem;
background:var(--panel);border:1px solid var(--line)}
.tag.contested{background:var(--del-bg);color:var(--del);border-color:#ff8182}
.note{display:block;color:var(--muted);font-size:.9rem}
.legend{margin:.25rem 0}
.legend .sent{display:inline-block;margin-right:.75rem;cursor:default}
.fact-status{margin:.25rem 0 .75rem;padding:.35rem .6rem;background:var(--panel);
border-radius:4px;font-size:.9rem;min-height:2.1rem}
.columns{display:grid;grid-template-columns:repeat(auto-fit,minmax(17rem,1fr));gap:1rem;
align-items:start}
.col{border:1px solid var(--line);border-top:5px solid var(--accent);border-radius:6px;
padding:.6rem .9rem;min-width:0}
.col h3{font-size:1.1rem}
.atitle{margin:.1rem 0;font-style:italic}
.meta{margin:.1rem 0 .5rem;font-size:.85rem;overflow-wrap:anywhere}
.sent{display:block;padding:.2rem .45rem;margin:.2rem 0;border-radius:4px;cursor:pointer;
border-left:4px solid transparent;overflow-wrap:anywhere}
.sent::before{content:attr(data-n);color:var(--muted);font-size:.75rem;margin-right:.45rem;
font-variant-numeric:tabular-nums}
.sent.para{margin-top:.9rem}
.sent.shared{border-left-color:#54aeff}
.sent.single{background:var(--single);border-left:4px dashed var(--single-line)}
.sent.single::after{content:"only here";margin-left:.4rem;font-size:.7rem;font-weight:600;
white-space:nowrap;
color:#7d4e00;text-transform:uppercase;letter-spacing:.03em}
.sent.demo::before,.sent.demo::after{content:none}
.sent.linked,.sent.pinned{background:var(--hl);border-left-color:var(--hl-line)}
.sent.pinned{box-shadow:inset 0 0 0 2px var(--hl-line)}
.sent.cited{box-shadow:0 0 0 3px var(--focus);animation:flash 1.6s ease-out}
@keyframes flash{from{background:#b6e3ff}}
@media (prefers-reduced-motion:reduce){.sent.cited{animation:none}}
.conflicts>li{margin:.6rem 0}
.conflicts p{margin:.1rem 0}
.kind{font-weight:700;text-transform:capitalize}
.factref{font-size:.8rem;color:var(--muted);border:1px solid var(--line);border-radius:3px;
padding:0 .3rem}
.conflicts .note{display:inline}
mark{background:#fff1a8;color:inherit;font-weight:600;padding:0 .1rem}
.context{color:var(--muted)}
.noq{quotes:none}
.pairs{list-style:none;padding:0}
.pair{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}
.pairhead{margin:0 0 .3rem}
.rel{color:var(--muted);font-size:.85rem}
.diffline{margin:.15rem 0}
.who{display:inline-block;min-width:8rem;font-weight:600;font-size:.9rem}
del{background:var(--del-bg);color:var(--del);text-decoration:line-through}
ins{background:var(--ins-bg);color:var(--ins);text-decoration:underline}
.subhead{font-size:1.15rem;margin:1.75rem 0 .25rem}
.saidby,.names{table-layout:fixed}
.names thead th{border-top:4px solid var(--accent,var(--line))}
.saidby thead th:first-child,.names thead th:first-child{width:12rem}
.saidby thead th{position:sticky;top:2.55rem;z-index:1;border-top:0;
box-shadow:inset 0 4px 0 var(--accent,var(--line)),inset 0 -1px 0 var(--line)}
.saidby th[scope=row]{background:var(--bg)}
.saidby td ul{list-style:none;margin:0;padding:0}
.saidby td.empty{color:var(--muted);text-align:center;vertical-align:middle}
.stmt{display:grid;grid-template-columns:1.5rem minmax(0,1fr);align-items:baseline;
margin:.3rem 0}
.qicon{font:700 1.7rem/0 Georgia,"Times New Roman",serif;color:#0969da;position:relative;
top:.45rem}
.intro .qicon{font-size:1.3rem;top:.35rem}
.qkind{white-space:nowrap;font-size:.7rem;font-weight:600;border-radius:3px;padding:0 .3rem;
background:var(--panel);border:1px solid var(--line);color:var(--muted);text-transform:uppercase;
letter-spacing:.03em}
.stmt .cite,.vwho .cite{font-size:.8rem;margin-left:.15rem}
.mention{color:var(--muted);font-size:.85rem}
.vlink{font-size:.75rem;margin-left:.3rem;white-space:nowrap}
.variants{list-style:none;padding:0;margin:.4rem 0}
.variant{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}
.variant.conflict{border-color:#ff8182;border-left:5px solid var(--del);background:#fffafa}
.variant:target{box-shadow:0 0 0 3px var(--focus)}
.vhead{margin:0 0 .4rem}
.vcols{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.6rem 1rem}
.vcol{border-left:4px solid var(--accent,var(--line));padding:.05rem .6rem;min-width:0}
.vwho{margin:0;font-size:.85rem;color:var(--muted)}
.vwho .outlet{color:var(--fg)}
.vtext{margin:.15rem 0}
.tag.attribution{background:var(--del-bg);color:var(--del);border-color:#ff8182}
.tag.same{background:#ddf4ff;color:#0a3069;border-color:#54aeff}
.tag.wire{background:#fff8c5;color:#7d4e00;border-color:#d4a72c}
.credited{font-weight:700}
.srcgrid{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:.75rem}
.srcs{border:1px solid var(--line);border-top:5px solid var(--accent);border-radius:6px;
padding:.4rem .8rem;min-width:0}
.srcs ul{list-style:none;padding:0;margin:.2rem 0}
.srcs li{margin:.3rem 0}
.srcs .cites a.cite{font-size:.8rem;margin-left:.15rem}
.skind{display:inline-block;min-width:4.6rem;text-align:center;font-size:.7rem;font-weight:600;
text-transform:uppercase;letter-spacing:.03em;border-radius:3px;padding:0 .3rem;
background:var(--panel);color:var(--muted)}
.skind.agency{background:#ddf4ff;color:#0a3069}
.skind.outlet{background:#fbefff;color:#6639ba}
.skind.official{background:#dafbe1;color:#116329}
.skind.document{background:#fff1e5;color:#953800}
.none{color:var(--muted);font-style:italic;margin:.2rem 0}
.scroll{overflow-x:auto}
.names th[scope=row]{background:var(--bg)}
.etype{display:block;font-weight:400;font-size:.8rem;color:var(--muted)}
.cnt{color:var(--muted);font-size:.85rem}
.lbls{display:block;margin-top:.15rem}
.lbl{display:inline-block;font-size:.8rem;line-height:1.4;background:#fbefff;color:#6639ba;
border:1px solid #d8b9ff;border-radius:.6rem;padding:0 .45rem;margin:.1rem .25rem .1rem 0}
td.empty{color:var(--muted);text-align:center}
.intro .lbl{margin:0}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:var(--panel)}
details{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;margin:.4rem 0}
summary{cursor:pointer;font-weight:600}
.reason{font-size:.8rem;color:var(--muted);border:1px solid var(--line);border-radius:3px;
padding:0 .3rem;margin-right:.3rem}
footer{margin-top:3rem;padding-bottom:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){h1{font-size:1.5rem}.who{display:block}
table.saidby,.saidby tbody,.saidby tr,.saidby th,.saidby td{display:block;width:auto}
.saidby thead,.saidby td.empty{display:none}
.saidby tr{margin:.6rem 0;border:1px solid var(--line);border-radius:6px}
.saidby th,.saidby td{border:0}
.saidby td{border-left:4px solid var(--accent);margin:.2rem .5rem .5rem}
.saidby td::before{content:attr(data-outlet);display:block;font-size:.75rem;font-weight:600;
text-transform:uppercase;letter-spacing:.03em;color:var(--muted)}}
@media print{nav,.saidby thead th{position:static}.sent,.saidby tr{break-inside:avoid}}
img.chart{display:block;max-width:100%;height:auto}
"""

# The script reads its data with JSON.parse and only ever changes classes and textContent.
_SCRIPT = """
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("rashomon-data").textContent);
  var facts = data.facts;
  var status = document.getElementById("fact-status");
  var initial = status ? status.textContent : "";
  function factOf(el) {
    var id = el.getAttribute("data-fact");
    return id !== null && Object.prototype.hasOwnProperty.call(facts, id) ? facts[id] : null;
  }
  function members(el) {
    var fact = factOf(el);
    if (!fact) { return [el]; }
    return fact.sentences.map(function (id) { return document.getElementById(id); })
      .filter(function (m) { return m !== null; });
  }
  function clear(cls) {
    Array.prototype.forEach.call(document.querySelectorAll("." + cls), function (m) {
      m.classList.remove(cls);
    });
  }
  function light(el, cls) {
    clear(cls);
    members(el).forEach(function (m) { m.classList.add(cls); });
    var fact = factOf(el);
    if (status) {
      status.textContent = fact ? fact.label + ": " + (fact.status === "single" ?
        "only in " : "reported by ") + fact.outlets.join(", ") : "Not matched to a fact.";
    }
  }
  function sentenceAt(target) {
    return target && target.closest ? target.closest(".columns .sent") : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var el = sentenceAt(ev.target);
    if (el) { light(el, "linked"); }
  });
  document.addEventListener("mouseout", function (ev) {
    var el = sentenceAt(ev.target);
    if (el && !el.contains(ev.relatedTarget)) {
      clear("linked");
      if (status && !document.querySelector(".pinned")) { status.textContent = initial; }
    }
  });
  document.addEventListener("focusin", function (ev) {
    var el = sentenceAt(ev.target);
    if (el) { light(el, "linked"); }
  });
  function pin(el) {
    if (el.classList.contains("pinned")) { clear("pinned"); return; }
    light(el, "pinned");
  }
  function showCited(domId) {
    var el = document.getElementById(domId);
    if (!el) { return; }
    clear("cited");
    el.classList.add("cited");
    el.scrollIntoView({block: "center"});
    el.focus({preventScroll: true});
  }
  function fromHash(hash) {
    try { return decodeURIComponent(hash.slice(1)); } catch (e) { return hash.slice(1); }
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[href^='#s-']") : null;
    if (link) {
      ev.preventDefault();
      var href = link.getAttribute("href");
      try { history.pushState(null, "", href); } catch (e) { /* file: URLs may refuse */ }
      showCited(fromHash(href));
      return;
    }
    var el = sentenceAt(ev.target);
    if (el) { pin(el); }
  });
  document.addEventListener("keydown", function (ev) {
    var el = sentenceAt(ev.target);
    if (el && (ev.key === "Enter" || ev.key === " ")) { ev.preventDefault(); pin(el); }
    if (ev.key === "Escape") { clear("pinned"); }
  });
  function onHash() {
    if (location.hash.indexOf("#s-") === 0) { showCited(fromHash(location.hash)); }
  }
  window.addEventListener("hashchange", onHash);
  onHash();
})();
"""

# The web app serves these two as static files (/static/report.css, /static/report.js).
REPORT_CSS = _CSS
REPORT_SCRIPT = _SCRIPT
