"""The web app as a person uses it: headless Chromium against a real `rashomon serve`.

Set ``RASHOMON_SCREENSHOTS=DIR`` to keep screenshots of the main pages in DIR
(`make screenshots` writes them to docs/screenshots/).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import Browser, Dialog, Page, ViewportSize

from conftest import run_rashomon
from web_support import build_corpus, serve, wait_until_compared

pytestmark = [pytest.mark.models, pytest.mark.browser]

DEMO_OUTLET = "Coastline Post"
PHONE: ViewportSize = {"width": 390, "height": 844}
LAPTOP: ViewportSize = {"width": 1366, "height": 900}
PASTED = (
    "Glass Lantern Theatre reopens\n\n"
    "The Glass Lantern Theatre in Orsk reopened on Saturday after a two-year restoration that "
    "cost 4 million crowns, the city council said. About 600 people attended the first show. "
    "Director Ilse Vand said the new stage was the best in the region.",
    "Orsk theatre back after restoration\n\n"
    "Orsk's Glass Lantern Theatre opened its doors again on Saturday following a restoration "
    "that took two years and cost 5 million crowns, according to the council. Some 600 people "
    "came to the opening night.",
)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    db = tmp_path_factory.mktemp("web") / "corpus.db"
    # not compared here: the server compares the stories in the background
    return db, build_corpus(db, compare=False)


@pytest.fixture(scope="module")
def base_url(corpus: tuple[Path, list[dict[str, Any]]]) -> Iterator[str]:
    with serve(corpus[0]) as url:
        # the story pages show "not compared yet" until the server has compared them
        wait_until_compared(url, corpus[1])
        yield url


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=LAPTOP, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(120_000)
    yield page
    context.close()


def _story(stories: list[dict[str, Any]], outlet: str) -> dict[str, Any]:
    return next(s for s in stories if outlet in s["outlets"] and len(s["outlets"]) >= 2)


def _shot(page: Page, name: str, tmp_path: Path) -> None:
    """Screenshot the page; keep it in RASHOMON_SCREENSHOTS when that is set."""
    target = Path(os.environ.get("RASHOMON_SCREENSHOTS") or tmp_path)
    target.mkdir(parents=True, exist_ok=True)
    path = target / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_the_story_list_filters_by_outlet_like_the_cli(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    db, stories = corpus
    page.goto(base_url + "/stories")
    assert page.locator("li.story").count() >= 2
    _shot(page, "stories", tmp_path)
    page.select_option("form#story-filters select[name=outlet]", label=DEMO_OUTLET)
    page.click("form#story-filters button[type=submit]")
    page.wait_for_url("**outlet=*")
    shown = {li.get_attribute("data-story-id") for li in page.locator("li.story").all()}
    listed = run_rashomon("stories", "--db", str(db), "--outlet", DEMO_OUTLET, "--format", "json")
    assert shown == {s["id"] for s in json.loads(listed.stdout)}
    assert _story(stories, DEMO_OUTLET)["id"] in shown


def test_searching_a_title_word_finds_that_story_only(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]]
) -> None:
    _, stories = corpus
    wanted = [s for s in stories if "Glassworks" in (s["title"] or "")]
    assert len(wanted) == 1
    page.goto(base_url + "/stories")
    page.fill("form#story-filters input[name=q]", "glassworks")
    page.click("form#story-filters button[type=submit]")
    page.wait_for_url("**q=glassworks*")
    shown = [li.get_attribute("data-story-id") for li in page.locator("li.story").all()]
    assert shown == [wanted[0]["id"]]
    page.fill("form#story-filters input[name=q]", "zzzq-no-such-story")
    page.click("form#story-filters button[type=submit]")
    page.wait_for_url("**q=zzzq*")
    assert page.locator("li.story").count() == 0
    assert page.locator("p.empty").is_visible()


def test_a_summary_citation_highlights_its_sentence(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    _, stories = corpus
    page.goto(base_url + "/stories")
    story = _story(stories, DEMO_OUTLET)
    page.click(f'li.story[data-story-id="{story["id"]}"] a.story-link')
    page.wait_for_url(f"**/stories/{story['id']}")
    assert page.locator(".col").count() == len(story["outlets"])
    _shot(page, "story", tmp_path)
    cite = page.locator("#summary a.cite").first
    target = cite.get_attribute("href")
    assert target is not None
    assert target.startswith("#s-")
    cite.click()
    sentence = page.locator(f'[id="{target[1:]}"]')
    assert "cited" in (sentence.get_attribute("class") or "").split()
    assert sentence.is_visible()
    assert sentence.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return r.top >= 0 && r.bottom <= window.innerHeight; }"
    )


def test_the_column_chooser_hides_an_outlet(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]]
) -> None:
    _, stories = corpus
    story = _story(stories, DEMO_OUTLET)
    page.goto(f"{base_url}/stories/{story['id']}")
    boxes = page.locator("input[name=column]")
    assert boxes.count() == len(story["outlets"])
    visible_before = sum(1 for col in page.locator(".col").all() if col.is_visible())
    boxes.first.uncheck()
    visible_after = sum(1 for col in page.locator(".col").all() if col.is_visible())
    assert visible_after == visible_before - 1


def test_the_story_json_download_is_the_comparison(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]]
) -> None:
    from rashomon.schema import SCHEMA_ID, from_json

    _, stories = corpus
    story = _story(stories, DEMO_OUTLET)
    page.goto(f"{base_url}/stories/{story['id']}")
    with page.expect_download() as info:
        page.click("a#download-json")
    comparison = from_json(Path(info.value.path()).read_text(encoding="utf-8"), where="download")
    assert {a.outlet for a in comparison.articles} == set(story["outlets"])
    assert json.loads(Path(info.value.path()).read_text(encoding="utf-8"))["schema"] == SCHEMA_ID


def test_compare_now_compares_two_pasted_texts(page: Page, base_url: str, tmp_path: Path) -> None:
    from rashomon.schema import from_json

    page.goto(base_url + "/compare")
    areas = page.locator("form#compare-form textarea[name=text]")
    assert areas.count() >= 2
    areas.nth(0).fill(PASTED[0])
    areas.nth(1).fill(PASTED[1])
    _shot(page, "compare-form", tmp_path)
    page.click("button#compare-submit")
    page.wait_for_selector(".col")
    assert page.locator(".col").count() == 2
    # the two texts disagree on the cost: 4 vs 5 million crowns
    conflicts = page.locator("#conflicts").inner_text()
    assert "4 million" in conflicts
    assert "5 million" in conflicts
    _shot(page, "compare-result", tmp_path)
    with page.expect_download() as info:
        page.click("a#download-json")
    comparison = from_json(Path(info.value.path()).read_text(encoding="utf-8"), where="download")
    assert len(comparison.articles) == 2
    assert any("4 million crowns" in a.text for a in comparison.articles)


def test_compare_now_names_the_outlet_of_each_pasted_text(page: Page, base_url: str) -> None:
    from rashomon.schema import from_json

    page.goto(base_url + "/compare")
    page.click("button#add-text")  # a third text, with its own outlet field
    areas = page.locator("form#compare-form textarea[name=text]")
    outlets = page.locator("form#compare-form input[name=outlet]")
    assert (areas.count(), outlets.count()) == (3, 3)
    assert page.locator("label[for=outlet-3]").inner_text() == "Outlet of article 3 (optional)"
    areas.nth(0).fill(PASTED[0])
    outlets.nth(0).fill("Orsk <b>Evening</b> & Star")
    areas.nth(2).fill(PASTED[1])
    outlets.nth(2).fill("Vand Valley Post")
    page.click("button#compare-submit")
    page.wait_for_selector(".col")
    chooser = page.locator("fieldset.column-chooser").inner_text()
    assert "Orsk <b>Evening</b> & Star" in chooser  # shown as text, not markup
    assert "Vand Valley Post" in chooser
    assert page.locator(".col b").count() == 0
    with page.expect_download() as info:
        page.click("a#download-json")
    comparison = from_json(Path(info.value.path()).read_text(encoding="utf-8"), where="download")
    assert [a.outlet for a in comparison.articles] == [
        "Orsk <b>Evening</b> & Star",
        "Vand Valley Post",
    ]


def test_the_outlet_page_shows_its_profile(
    page: Page, base_url: str, corpus: tuple[Path, list[dict[str, Any]]], tmp_path: Path
) -> None:
    page.goto(base_url + "/outlets")
    assert DEMO_OUTLET in page.locator("main").inner_text()
    page.goto(f"{base_url}/outlets/{quote(DEMO_OUTLET, safe='')}")
    assert page.locator("h1").inner_text().strip().endswith(DEMO_OUTLET)
    _shot(page, "outlet", tmp_path)


def test_a_bad_story_id_is_a_404_page(page: Page, base_url: str) -> None:
    response = page.goto(base_url + "/stories/no-such-story")
    assert response is not None
    assert response.status == 404
    assert page.locator("h1").count() == 1
    assert "Traceback" not in page.content()


@pytest.mark.parametrize("path", ["/stories", "STORY", "/compare"])
def test_pages_fit_a_phone_screen(
    browser: Browser, base_url: str, corpus: tuple[Path, list[dict[str, Any]]], path: str
) -> None:
    _, stories = corpus
    if path == "STORY":
        path = f"/stories/{_story(stories, DEMO_OUTLET)['id']}"
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    context.close()
    assert overflow <= 1


def test_keyboard_focus_is_visible(page: Page, base_url: str) -> None:
    page.goto(base_url + "/stories")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    style = page.evaluate(
        "() => { const el = document.activeElement; const s = getComputedStyle(el);"
        " return [el.tagName, s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    tag, outline, width, shadow = style
    assert tag != "BODY"
    assert (outline != "none" and width != "0px") or shadow != "none"


def test_hostile_text_never_runs(
    browser: Browser, base_url: str, corpus: tuple[Path, list[dict[str, Any]]]
) -> None:
    """Script, event handlers and javascript: URLs sit in every field of two stored articles."""
    _, stories = corpus
    hostile = next(s for s in stories if any("Islander" in o for o in s["outlets"]))
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(120_000)
    dialogs: list[str] = []
    csp_reports: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda m: csp_reports.append(m.text) if "Content Security Policy" in m.text else None,
    )
    paths = [
        "/stories",
        "/stories?q=" + quote("<script>"),
        f"/stories/{hostile['id']}",
        "/outlets",
        *(f"/outlets/{quote(o, safe='')}" for o in hostile["outlets"]),
    ]
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None
        assert response.status == 200, path
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'none'" in csp or "default-src 'self'" in csp
        assert "unsafe-inline" not in csp.split("script-src")[-1].split(";")[0]
        for link in page.locator("a[href^='javascript:' i]").all():
            pytest.fail(f"{path}: a javascript: link made it into the page: {link}")
        for el in page.locator(".sent, a.cite, li.story a").all()[:20]:
            el.hover()
        assert page.evaluate("typeof window.__pwned") == "undefined", path
    context.close()
    assert dialogs == []
    # escaped text never reaches the parser as markup, so the policy had nothing to block
    assert csp_reports == []


def test_the_compare_button_shows_that_it_is_busy(page: Page, tmp_path: Path) -> None:
    from rashomon.corpus.store import open_store

    db = tmp_path / "empty.db"
    open_store(db).close()
    with serve(db) as url:
        page.goto(url + "/compare")
        page.fill("form#compare-form textarea[name=text] >> nth=0", PASTED[0])
        # a listener added after the app's own sees the button as the form is sent
        page.evaluate(
            """document.getElementById("compare-form").addEventListener("submit", () => {
                const button = document.getElementById("compare-submit");
                sessionStorage.setItem("seen", JSON.stringify(
                    [button.disabled, button.textContent, button.getAttribute("aria-busy")]));
            })"""
        )
        page.click("button#compare-submit")  # one text: a quick 422 page, no model runs
        page.wait_for_url("**/compare")
        seen = json.loads(page.evaluate("sessionStorage.getItem('seen')"))
    assert seen == [True, "Comparing…", "true"]
