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
from collections.abc import Iterable
from html import escape
from urllib.parse import quote, urlsplit

from rashomon import __version__
from rashomon.models import (
    Alignment,
    Article,
    Comparison,
    Conflict,
    Difference,
    Entity,
    SummarySentence,
)
from rashomon.report import Located, ReportIndex, index_comparison, story_title
from rashomon.schema import SCHEMA_ID

_OUTLET_COLOURS = 6  # CSS defines .o0 ... .o5


def render_html(c: Comparison) -> str:
    """Render a comparison as a standalone HTML document."""
    ix = index_comparison(c)
    sections = {
        "summary": _summary(c, ix),
        "side-by-side": _side_by_side(c, ix),
        "conflicts": _conflicts(c, ix),
        "wording": _wording(c, ix),
        "quotes": _quotes(c, ix),
        "sources": _sources(c, ix),
        "entities": _entities(c),
        "boilerplate": _boilerplate(c, ix),
        "warnings": _warnings(c),
    }
    present = [key for key, html in sections.items() if html]
    body = "\n".join(sections[key] for key in present)
    title = escape(story_title(c))
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
{_header(c, ix, title)}
{_nav(present)}
<main id="main">
{body}
</main>
<footer><p>Made by rashomon {escape(__version__)} from a {SCHEMA_ID} comparison.
Every sentence links back to its outlet; check the sources before you quote them.</p></footer>
<script type="application/json" id="rashomon-data">{_script_data(c, ix)}</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""


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
    label = ix.ref(sentence_id) if text is None else text
    return f'<a class="cite" href="{escape(href)}">{escape(label)}</a>'


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
    items = "\n".join(_conflict(conflict, ix) for conflict in c.conflicts)
    intro = "Places where the outlets give different dates, numbers or attributions."
    return _section("conflicts", "Conflicts", f'<ol class="conflicts">\n{items}\n</ol>', intro)


def _conflict(conflict: Conflict, ix: ReportIndex) -> str:
    values = []
    for value in conflict.values:
        found = ix.sentences.get(value.sentence)
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
            context = f'<q class="context">{marked}</q>'
        values.append(f"<li>{_cite(ix, value.sentence)}: {shown} {context}</li>")
    fact = ix.fact_label(conflict.fact)
    fact_html = f' <span class="factref">{escape(fact)}</span>' if fact else ""
    return (
        f'<li class="conflict"><p><span class="kind">{escape(conflict.kind)}</span>{fact_html} '
        f'<span class="note">{escape(conflict.note)}</span></p><ul>{"".join(values)}</ul></li>'
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
    by_speaker: dict[str, list[str]] = {}
    order = {a.id: n for n, a in enumerate(c.articles)}
    for quote_ in sorted(c.quotes, key=lambda q: order.get(q.article, len(order))):
        text = escape(quote_.text)
        shown = f"<q>{text}</q>" if quote_.kind == "direct" else f"<span>{text}</span>"
        kind = f'<span class="qkind {escape(quote_.kind)}">{escape(quote_.kind)}</span>'
        line = f"<li>{_cite(ix, quote_.sentence)} {kind} {shown}</li>"
        by_speaker.setdefault(quote_.speaker.name or "Unnamed speaker", []).append(line)
    groups = "\n".join(
        f'<div class="speaker"><h3>{escape(name)}</h3><ul>{"".join(lines)}</ul></div>'
        for name, lines in by_speaker.items()
    )
    intro = "Quotes grouped by speaker; direct quotes are in quotation marks."
    return _section("quotes", "Who said what", groups, intro)


def _sources(c: Comparison, ix: ReportIndex) -> str:
    rows = []
    for article in c.articles:
        for source in (s for s in c.sources_cited if s.article == article.id):
            cites = " ".join(_cite(ix, s, s.rpartition(":")[2]) for s in source.sentences)
            wire = ' <span class="tag">wire copy</span>' if source.wire_copy else ""
            rows.append(
                f"<tr><td>{escape(ix.labels[article.id])}</td><td>{escape(source.name)}{wire}</td>"
                f"<td>{escape(source.kind)}</td><td>{cites}</td></tr>"
            )
    if not rows:
        return ""
    head = (
        "<tr><th scope=col>Outlet</th><th scope=col>Source</th><th scope=col>Kind</th>"
        "<th scope=col>Where</th></tr>"
    )
    table = f"<table>\n<thead>{head}</thead>\n<tbody>{''.join(rows)}</tbody></table>"
    return _section("sources", "Sources cited", table)


def _entities(c: Comparison) -> str:
    if not c.entities:
        return ""
    rows = "".join(_entity_row(e) for e in c.entities)
    head = (
        "<tr><th scope=col>Name</th><th scope=col>Type</th><th scope=col>Also written</th>"
        "<th scope=col>Labels by outlet</th></tr>"
    )
    table = f"<table>\n<thead>{head}</thead>\n<tbody>{rows}</tbody></table>"
    return _section("entities", "Names and labels", table)


def _entity_row(entity: Entity) -> str:
    variants = ", ".join(escape(v) for v in entity.variants if v != entity.name) or "—"
    labels = "<br>".join(
        f"{escape(outlet)}: {', '.join(escape(label) for label in labels)}"
        for outlet, labels in entity.labels_by_outlet
    )
    return (
        f"<tr><td>{escape(entity.name)}</td><td>{escape(entity.label)}</td>"
        f"<td>{variants}</td><td>{labels or '—'}</td></tr>"
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
.pairs{list-style:none;padding:0}
.pair{border:1px solid var(--line);border-radius:6px;padding:.5rem .8rem;margin:.6rem 0}
.pairhead{margin:0 0 .3rem}
.rel{color:var(--muted);font-size:.85rem}
.diffline{margin:.15rem 0}
.who{display:inline-block;min-width:8rem;font-weight:600;font-size:.9rem}
del{background:var(--del-bg);color:var(--del);text-decoration:line-through}
ins{background:var(--ins-bg);color:var(--ins);text-decoration:underline}
.qkind{font-size:.75rem;font-weight:600;border-radius:3px;padding:0 .3rem;background:var(--panel)}
.qkind.direct{background:#ddf4ff;color:#0a3069}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border:1px solid var(--line);padding:.35rem .55rem;text-align:left;vertical-align:top;
overflow-wrap:anywhere}
th{background:var(--panel)}
details{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;margin:.4rem 0}
summary{cursor:pointer;font-weight:600}
.reason{font-size:.8rem;color:var(--muted);border:1px solid var(--line);border-radius:3px;
padding:0 .3rem;margin-right:.3rem}
footer{margin-top:3rem;padding-bottom:2rem;color:var(--muted);font-size:.85rem}
@media (max-width:40rem){h1{font-size:1.5rem}.who{display:block}}
@media print{nav{position:static}.sent{break-inside:avoid}}
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
