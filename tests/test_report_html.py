from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from playwright.sync_api import Browser, Dialog, Page

from factories import make_article, make_comparison
from rashomon.models import Comparison
from rashomon.report.html import render_html

PAYLOADS = (
    "<script>window.__pwned=1</script>",
    '<img src=x onerror="window.__pwned=1">',
    '"><svg onload=window.__pwned=1>',
    "javascript:window.__pwned=1",
)
ALL_PAYLOADS = "".join(PAYLOADS)
# every element the renderer writes; anything else in the page came from the data
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "a", "header", "p", "h1", "h2", "h3", "ul",
    "ol", "li", "span", "time", "nav", "main", "section", "div", "strong", "q", "mark", "del",
    "ins", "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "footer", "script",
    "br",
}  # fmt: skip


class Tags(HTMLParser):
    """Collects start tags with their attributes, and the text inside each element with an id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "br"):
            self._open.append((tag, dict(attrs).get("id")))
            if self._open[-1][1] is not None:
                self.text_by_id[str(self._open[-1][1])] = ""

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        for _, element_id in self._open:
            if element_id is not None:
                self.text_by_id[element_id] += data


def cite(sentence_id: str) -> str:
    """A short citation link ("s4") of the factory comparison, titled with its full reference."""
    outlet = {"ht": "Harbor Times", "el": "Evening Ledger", "cr": "Coast Radio"}
    ref = f"{outlet[sentence_id.split(':')[0]]} {sentence_id.split(':')[1]}"
    return (
        f'<a class="cite" href="#s-{sentence_id}" title="{ref}" aria-label="{ref}">'
        f"{sentence_id.split(':')[1]}</a>"
    )


def is_chart(tag: str, attrs: dict[str, str | None]) -> bool:
    """The timeline chart: an <img> whose only source is an SVG data URI (see test_charts.py)."""
    return (
        tag == "img"
        and set(attrs) == {"class", "src", "alt"}
        and attrs["class"] == "chart"
        and (attrs["src"] or "").startswith("data:image/svg+xml;base64,")
    )


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    tags.close()
    return tags


def test_sentences_are_spans_with_fact_and_status() -> None:
    page = render_html(make_comparison())
    assert (
        '<span id="s-el:s1" class="sent shared" data-n="s1" tabindex="0" data-fact="f1">'
        "Rioters marched on city hall on Friday.</span>"
    ) in page
    assert (
        '<span id="s-cr:s2" class="sent single" data-n="s2" tabindex="0" data-fact="f5" '
        'title="Only in Coast Radio">Traffic was diverted for two hours.</span>'
    ) in page


def test_summary_cites_sentences_and_marks_contested() -> None:
    page = render_html(make_comparison())
    assert (
        '<li class="contested"><strong class="tag contested">contested</strong> '
        '<span class="stext">About 200 people took part, police said.</span> '
        '<span class="cites"><a class="cite" href="#s-ht:s2">Harbor Times s2</a> '
        '<a class="cite" href="#s-el:s2">Evening Ledger s2</a></span>'
        '<span class="note">Evening Ledger says 500.</span></li>'
    ) in page


def test_conflict_shows_each_value_in_its_sentence() -> None:
    page = render_html(make_comparison())
    assert (
        '<li><a class="cite" href="#s-ht:s2">Harbor Times s2</a>: <mark>200</mark> '
        '<q class="context">About <mark>200</mark> people took part, police said.</q></li>'
    ) in page
    assert '<span class="kind">number</span> <span class="factref">F2</span>' in page


def test_wording_differences_strike_and_insert() -> None:
    page = render_html(make_comparison())
    assert (
        '<p class="diffline"><span class="who">Harbor Times</span> '
        "<del>Protesters</del> marched on city hall on Friday.</p>"
        '<p class="diffline"><span class="who">Evening Ledger</span> '
        "<ins>Rioters</ins> marched on city hall on Friday.</p>"
    ) in page
    assert "About <del>200</del> people took part, <del>police</del> said." in page
    assert "About <ins>500</ins> people took part, <ins>organizers</ins> said." in page


def test_who_said_what_is_a_speaker_by_outlet_table() -> None:
    page = render_html(make_comparison())
    table = page.split('<table class="saidby">')[1].split("</table>")[0]
    rows = re.findall(r"<tr><th scope=row>.*?</tr>", table)
    speakers = re.findall(r"<tr><th scope=row>([^<]*)", table)
    assert speakers == ["Lena Moss", "police", "Tom Reyes", "Unnamed speaker"]
    assert rows[0] == (
        '<tr><th scope=row>Lena Moss<span class="etype">person · 2 of 3 outlets · 3 statements'
        '</span></th><td class="o0" data-outlet="Harbor Times"><ul>'
        '<li class="stmt direct"><span class="gutter"><span class="qicon" role="img" '
        'aria-label="direct quote" title="direct quote">“</span></span><span>'
        f"<q>We will not back down,</q> {cite('ht:s3')} "
        '<a class="vlink" href="#variant-1">≈ other wording</a></span></li>'
        '<li class="stmt direct"><span class="gutter"><span class="qicon" role="img" '
        'aria-label="direct quote" title="direct quote">“</span></span><span>'
        f"<q>The square belongs to everyone,</q> {cite('ht:s4')} "
        '<a class="vlink" href="#variant-2">≈ other wording</a></span></li></ul></td>'
        '<td class="o1" data-outlet="Evening Ledger"><ul><li class="stmt reported">'
        '<span class="gutter"></span><span><span class="qkind">reported</span> '
        f"they would never back down {cite('el:s4')} "
        '<a class="vlink" href="#variant-1">≈ other wording</a></span></li></ul></td>'
        '<td class="empty" data-outlet="Coast Radio">—</td></tr>'
    )
    assert (
        '<span class="qkind">reported</span> About 500 people took part '
        f'{cite("el:s2")} <span class="mention">said by “organizers”</span>'
    ) in rows[3]


def test_quote_variants_side_by_side_with_the_attribution_conflict_marked() -> None:
    page = render_html(make_comparison())
    assert (
        '<li class="variant" id="variant-1"><p class="vhead"><span class="tag same">same speaker'
        '</span> <strong>Lena Moss</strong> <span class="rel">similarity 0.83</span></p>'
        '<div class="vcols"><div class="vcol o0"><p class="vwho"><span class="outlet">Harbor Times'
        f"</span> · Lena Moss · direct {cite('ht:s3')}</p>"
        '<p class="vtext"><q><del>We will not</del> back down,</q></p></div>'
        '<div class="vcol o1"><p class="vwho"><span class="outlet">Evening Ledger</span> · '
        f"Lena Moss · reported {cite('el:s4')}</p>"
        '<p class="vtext"><ins>they would never</ins> back down</p></div></div></li>'
    ) in page
    assert (
        '<li class="variant conflict" id="variant-2"><p class="vhead"><strong class="tag '
        'attribution">attribution conflict</strong> Harbor Times credits <strong>Lena Moss'
        "</strong>, Evening Ledger credits <strong>Tom Reyes</strong> "
        '<span class="rel">similarity 0.90</span></p>'
    ) in page
    assert '<p class="vtext"><q>The square belongs to <ins>all of us</ins>,</q></p>' in page


def test_attribution_conflict_names_the_credited_speakers() -> None:
    page = render_html(make_comparison())
    assert (
        '<li class="conflict"><p><span class="kind">attribution</span> <span class="note">the '
        "same statement is credited to different speakers: Harbor Times: Lena Moss; Evening "
        'Ledger: Tom Reyes</span> <a class="vlink" href="#variant-2">both wordings</a></p><ul>'
        '<li><a class="cite" href="#s-ht:s4">Harbor Times s4</a>: credited to '
        '<strong class="credited">Lena Moss</strong> <q class="context noq">&quot;The square '
        "belongs to everyone,&quot; <mark>Moss</mark> said.</q></li>"
    ) in page


def test_sources_per_outlet_with_kind_and_wire_copy() -> None:
    page = render_html(make_comparison())
    assert (
        '<div class="srcgrid"><div class="srcs o0"><h3>Harbor Times</h3><ul><li>'
        '<span class="skind official">official</span> police <span class="cites">'
        f"{cite('ht:s2')}</span></li></ul></div>"
        '<div class="srcs o1"><h3>Evening Ledger</h3><ul><li><span class="skind agency">agency'
        '</span> Bay Wire <span class="tag wire">wire copy</span> <span class="cites">'
        f"{cite('el:s3')}</span></li></ul></div>"
        '<div class="srcs o2"><h3>Coast Radio</h3><p class="none">No source named.</p></div></div>'
    ) in page


def test_names_and_labels_side_by_side_leaving_out_single_mentions() -> None:
    page = render_html(make_comparison())
    assert (
        '<tbody><tr><th scope=row>Lena Moss<span class="etype">person · 3 mentions</span></th>'
        '<td><span class="nm">Lena Moss</span>, <span class="nm">Moss</span><span class="lbls">'
        '<span class="lbl">organizer</span></span></td><td><span class="nm">Lena Moss</span>'
        '<span class="lbls"><span class="lbl">March leader</span></span></td>'
        '<td class="empty">—</td></tr><tr><th scope=row>city hall'
    ) in page
    assert "Tom Reyes" not in parse(page).text_by_id["entities"]
    assert '<p class="note">Left out: 1 more name (1 mentioned only once).</p>' in page


def test_boilerplate_is_collapsed_and_only_http_urls_are_links() -> None:
    page = render_html(make_comparison())
    assert (
        "<details><summary>Harbor Times: 1 piece</summary><ul><li>"
        '<span class="reason">promo</span> Subscribe for $1 a week</li></ul></details>'
    ) in page
    hrefs = [a.get("href") or "" for tag, a in parse(page).tags if tag == "a"]
    assert "https://harbor-times.example/march" in hrefs
    assert all(h.startswith(("#", "https://harbor-times.example/")) for h in hrefs)
    assert "javascript:window.__ledger=1" in page  # shown as text


def test_page_is_self_contained_with_a_strict_csp() -> None:
    page = render_html(make_comparison())
    tags = parse(page).tags
    assert not [
        (t, a)
        for t, a in tags
        if ("src" in a or "srcset" in a or t in ("link", "img")) and not is_chart(t, a)
    ]
    csp = next(a["content"] for t, a in tags if a.get("http-equiv") == "Content-Security-Policy")
    script = re.findall(r"<script>(.*?)</script>", page, flags=re.DOTALL)
    assert len(script) == 1
    digest = base64.b64encode(hashlib.sha256(script[0].encode()).digest()).decode()
    assert csp == (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
    assert '<html lang="en">' in page
    assert render_html(make_comparison()) == page


def test_script_data_lists_the_sentences_of_each_fact() -> None:
    page = render_html(make_comparison())
    block = re.search(r'<script type="application/json" id="rashomon-data">(.*?)</script>', page)
    assert block is not None
    assert json.loads(block.group(1))["facts"]["f1"] == {
        "label": "F1",
        "status": "shared",
        "outlets": ["Harbor Times", "Evening Ledger", "Coast Radio"],
        "sentences": ["s-ht:s1", "s-el:s1", "s-cr:s1"],
    }


def test_payloads_in_every_field_stay_text() -> None:
    c = make_comparison(payload=ALL_PAYLOADS)
    page = render_html(c)
    parsed = parse(page)
    assert {t for t, a in parsed.tags if not is_chart(t, a)} <= OUR_TAGS
    assert not [(t, a) for t, a in parsed.tags if any(k.startswith("on") for k in a)]
    assert [a.get("type") for t, a in parsed.tags if t == "script"] == ["application/json", None]
    block = re.search(r'id="rashomon-data">(.*?)</script>', page, flags=re.DOTALL)
    assert block is not None
    assert "<" not in block.group(1)
    assert set(json.loads(block.group(1))["facts"]) == {f.id for f in c.facts}
    sentence = c.articles[1].sentences[0]
    assert parsed.text_by_id[f"s-{sentence.id}"] == sentence.text
    p = ALL_PAYLOADS
    variant = parsed.text_by_id["variant-2"]
    assert (
        f"Harbor Times{p} credits Lena Moss{p}, Evening Ledger{p} credits Tom Reyes{p}" in variant
    )
    assert f"The square belongs to everyone,{p}" in variant
    assert f"The square belongs to all of us,{p}" in variant
    assert f"they would never back down{p}" in parsed.text_by_id["variant-1"]
    assert f"Lena Moss{p}person · 2 of 3 outlets" in parsed.text_by_id["quotes"]
    assert f"police{p}" in parsed.text_by_id["quotes"]
    assert f"said by “organizers{p}”" in parsed.text_by_id["quotes"]
    sources = parsed.text_by_id["sources"]
    assert f"agency Bay Wire{p} wire copy" in sources
    names = parsed.text_by_id["entities"]
    assert f"Lena Moss{p}person · 3 mentions" in names
    assert f"Lena Moss{p}person · 3 mentionsLena Moss{p}, Moss{p}organizer{p}" in names
    assert f"organizer{p}" in names
    assert f"March leader{p}" in names
    outlets = [a.get("data-outlet") for t, a in parsed.tags if t == "td" and "data-outlet" in a]
    assert set(outlets) == {
        f"{name}{p}" for name in ("Harbor Times", "Evening Ledger", "Coast Radio")
    }


@given(st.text())
def test_any_sentence_text_comes_back_unchanged(text: str) -> None:
    c = make_comparison()
    radio = c.articles[2]
    sentence = dataclasses.replace(radio.sentences[1], text=text)
    radio = dataclasses.replace(radio, sentences=(radio.sentences[0], sentence))
    page = render_html(dataclasses.replace(c, articles=(*c.articles[:2], radio)))
    assert parse(page).text_by_id["s-cr:s2"] == text


def test_minimal_comparison_renders() -> None:
    page = render_html(Comparison(articles=(make_article("a", "Daily", ["One."]),)))
    assert "<h1>Comparison of 1 articles</h1>" in page
    assert '<nav aria-label="Report sections"><ul><li><a href="#side-by-side">' in page


# --- in a real browser -------------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(5_000)  # a local file needs no more; a broken page fails fast
    yield page
    context.close()


def open_report(page: Page, path: Path, html_text: str) -> dict[str, list[str]]:
    """Open the page; return lists that keep filling with requests, dialogs and script errors."""
    seen: dict[str, list[str]] = {"requests": [], "dialogs": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))

    def on_dialog(dialog: Dialog) -> None:
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    path.write_text(html_text, encoding="utf-8")
    page.goto(path.as_uri())
    return seen


def without_csp(html_text: str) -> str:
    """The page with its CSP removed, to show that escaping alone already stops the payloads."""
    stripped = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html_text)
    assert stripped != html_text
    return stripped


@pytest.mark.browser
@pytest.mark.parametrize("payload", [*PAYLOADS, ALL_PAYLOADS])
@pytest.mark.parametrize("with_csp", [True, False], ids=["csp", "no-csp"])
def test_payloads_do_not_run_in_chromium(
    page: Page, tmp_path: Path, payload: str, with_csp: bool
) -> None:
    html_text = render_html(make_comparison(payload=payload))
    seen = open_report(
        page, tmp_path / "report.html", html_text if with_csp else without_csp(html_text)
    )
    for summary in page.locator("details > summary").all():
        summary.click()
    cites = page.locator("a.cite")
    for n in range(cites.count()):
        href = cites.nth(n).get_attribute("href") or ""
        cites.nth(n).click()
        cited = page.evaluate("Array.from(document.querySelectorAll('.cited'), e => e.id)")
        assert cited == [unquote(href[1:])]
    for sentence in page.locator(".columns .sent").all():
        sentence.hover()
        sentence.click()
    page.keyboard.press("Escape")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("typeof window.__ledger") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 1
    assert page.evaluate("document.querySelectorAll('img.chart').length") == 1
    assert page.evaluate("document.scripts.length") == 2
    assert seen == {"requests": [(tmp_path / "report.html").as_uri()], "dialogs": [], "errors": []}
    visible = page.locator("body").inner_text()
    assert payload in visible
    assert f"Harbor Times{payload}" in visible


@pytest.mark.browser
def test_citation_click_highlights_the_cited_sentence(page: Page, tmp_path: Path) -> None:
    seen = open_report(page, tmp_path / "report.html", render_html(make_comparison()))
    cited = "Array.from(document.querySelectorAll('.cited'), e => e.id)"
    assert page.evaluate(cited) == []
    page.locator("#summary a.cite", has_text="Evening Ledger s2").click()
    assert page.evaluate(cited) == ["s-el:s2"]
    assert page.evaluate("document.activeElement.id") == "s-el:s2"
    assert page.evaluate("location.hash") == "#s-el:s2"
    # the cited sentence takes focus, which also lights up its fact in the other columns
    linked = page.evaluate("Array.from(document.querySelectorAll('.linked'), e => e.id)")
    assert linked == ["s-ht:s2", "s-el:s2"]
    page.locator("#summary a.cite", has_text="Harbor Times s1").click()
    assert page.evaluate(cited) == ["s-ht:s1"]
    assert seen["errors"] == []


@pytest.mark.browser
def test_hover_highlights_the_same_fact_in_other_columns(page: Page, tmp_path: Path) -> None:
    open_report(page, tmp_path / "report.html", render_html(make_comparison()))
    page.locator("[id='s-el:s1']").hover()
    linked = page.evaluate("Array.from(document.querySelectorAll('.linked'), e => e.id)")
    assert linked == ["s-ht:s1", "s-el:s1", "s-cr:s1"]
    status = page.locator("#fact-status").inner_text()
    assert status == "F1: reported by Harbor Times, Evening Ledger, Coast Radio"
    page.locator("[id='s-cr:s2']").click()
    pinned = page.evaluate("Array.from(document.querySelectorAll('.pinned'), e => e.id)")
    assert pinned == ["s-cr:s2"]
    assert page.locator("#fact-status").inner_text() == "F5: only in Coast Radio"


@pytest.mark.browser
def test_page_makes_no_network_request(page: Page, tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    seen = open_report(page, path, render_html(make_comparison()))
    page.locator("a[href='#conflicts']").click()
    page.locator("details > summary").first.click()
    page.wait_for_load_state("networkidle")
    assert seen["requests"] == [path.as_uri()]


@pytest.mark.browser
def test_columns_stack_on_a_narrow_screen(page: Page, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    open_report(page, tmp_path / "report.html", render_html(make_comparison()))
    boxes = [page.locator(f"#col-{n}").bounding_box() for n in range(3)]
    assert all(b is not None for b in boxes)
    lefts = {round(b["x"]) for b in boxes if b}
    assert len(lefts) == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_who_said_what_links_jump_to_the_sentence_and_the_variant(
    page: Page, tmp_path: Path
) -> None:
    seen = open_report(page, tmp_path / "report.html", render_html(make_comparison()))
    row = page.locator("table.saidby tbody tr").first
    row.get_by_role("link", name="Evening Ledger s4").click()
    assert page.evaluate("Array.from(document.querySelectorAll('.cited'), e => e.id)") == [
        "s-el:s4"
    ]
    assert page.evaluate("document.activeElement.id") == "s-el:s4"
    row.locator("a.vlink").first.click()
    assert page.evaluate("location.hash") == "#variant-1"
    assert page.evaluate("document.querySelector(':target').id") == "variant-1"
    page.locator("#conflicts a.vlink").click()
    assert page.evaluate("document.querySelector(':target').className") == "variant conflict"
    assert seen["errors"] == []


@pytest.mark.browser
def test_who_said_what_stacks_by_speaker_on_a_narrow_screen(page: Page, tmp_path: Path) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    open_report(page, tmp_path / "report.html", render_html(make_comparison()))
    cells = page.locator("table.saidby tbody tr").first.locator("td")
    assert [cells.nth(n).is_visible() for n in range(3)] == [True, True, False]
    boxes = [cells.nth(n).bounding_box() for n in range(2)]
    assert boxes[0] is not None
    assert boxes[1] is not None
    assert boxes[0]["x"] == boxes[1]["x"]
    assert boxes[1]["y"] > boxes[0]["y"] + boxes[0]["height"] - 1
    assert page.locator("table.saidby thead").is_visible() is False
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


@pytest.mark.browser
def test_the_timeline_chart_shows_under_the_csp(page: Page, tmp_path: Path) -> None:
    html_text = render_html(make_comparison(payload=ALL_PAYLOADS))
    seen = open_report(page, tmp_path / "report.html", html_text)
    chart = page.locator("#timeline img.chart")
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert seen == {"requests": [(tmp_path / "report.html").as_uri()], "dialogs": [], "errors": []}
