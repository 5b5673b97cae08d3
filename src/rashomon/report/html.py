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
from importlib import resources
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
    if quote_.negation:
        # a denial is shown as one: "(denied): they carried out the strike"
        text = f'<strong class="negation">({escape(quote_.negation)}):</strong> {text}'
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
    if quote_.negation:
        text = f'<strong class="negation">({escape(quote_.negation)}):</strong> {text}'
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


# The page's style and script are files beside this module; the web app serves the same two
# as /static/report.css and /static/report.js. The script reads its data with JSON.parse and only
# ever changes classes and textContent.
_CSS = resources.files(__package__).joinpath("report.css").read_text("utf-8")
_SCRIPT = resources.files(__package__).joinpath("report.js").read_text("utf-8")

REPORT_CSS = _CSS
REPORT_SCRIPT = _SCRIPT
