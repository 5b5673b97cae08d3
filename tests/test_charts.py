"""Charts: deterministic SVG/PNG bytes, text kept as text, untrusted names kept inert."""

from __future__ import annotations

import base64
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import pytest

from conftest import run_rashomon
from factories import make_comparison
from rashomon.analyze.timeline import Timeline, story_timeline
from rashomon.corpus.store import open_store
from rashomon.errors import InputError
from rashomon.report.charts import (
    chart_format,
    coverage_chart,
    data_uri,
    render,
    timeline_chart,
    timeline_data_uri,
)

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EVIL = '<script>alert("x")</script> & $x^2$ \x00\x1b'
OUTLETS = ("Harbor Times", f"Evening {EVIL}", "Coast & Radio", "Über Nachrichten")


def _timeline() -> Timeline:
    return story_timeline(
        [
            ("a", OUTLETS[0], "2025-05-03"),
            ("b", OUTLETS[1], "2025-05-04"),
            ("c", OUTLETS[2], "2025-05-06"),
            ("d", OUTLETS[0], "2025-05-06"),
            ("e", OUTLETS[3], "2025-05-03"),
            ("f", "Nowhere Gazette", None),
        ]
    )


def _texts(svg: bytes) -> list[str]:
    """Every text of the SVG, after parsing it as XML (it fails on anything malformed)."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not [e for e in root.iter() if e.tag.rpartition("}")[2].lower() == "script"]
    assert not [(e.tag, k) for e in root.iter() for k in e.attrib if k.lower().startswith("on")]
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def test_timeline_chart_svg_keeps_every_outlet_as_escaped_text() -> None:
    svg = render(timeline_chart(_timeline(), title=f"Fire {EVIL}"), "svg")
    texts = _texts(svg)
    clean = '<script>alert("x")</script> & $x^2$'  # control characters dropped, `$` kept
    assert texts.count("Harbor Times") == 1
    assert texts.count(f"Evening {clean}") == 1
    assert texts.count("Coast & Radio") == 1
    assert texts.count("Über Nachrichten") == 1
    assert f"Fire {clean}" in texts
    assert "1 undated article not shown" in texts
    assert "first report" in texts
    assert b"<script" not in svg
    assert b"&lt;script&gt;" in svg
    assert b"Nowhere Gazette" not in svg  # undated: counted, not drawn


def test_outlets_are_drawn_top_down_in_order_of_first_report() -> None:
    texts = _texts(render(timeline_chart(_timeline()), "svg"))
    ticks = [t for t in texts if t in OUTLETS or t.startswith("Evening")]
    assert ticks == ["Harbor Times", "Über Nachrichten", "Evening " + EVIL[:-3], "Coast & Radio"]


def test_charts_are_deterministic_and_leave_rcparams_alone() -> None:
    before = dict(matplotlib.rcParams)
    timeline = _timeline()
    for fmt in ("svg", "png"):
        first = render(timeline_chart(timeline, title="t"), fmt)
        assert render(timeline_chart(timeline, title="t"), fmt) == first
    assert dict(matplotlib.rcParams) == before
    svg = render(timeline_chart(timeline), "svg")
    assert b"<dc:date>" not in svg
    assert b"Matplotlib" not in svg  # no creator or version string either


def test_png_bytes() -> None:
    png = render(timeline_chart(_timeline()), "png")
    assert png.startswith(PNG_SIGNATURE)
    assert b"Software" not in png[:200]


def test_a_timeline_in_hours_and_an_empty_one_render() -> None:
    hours = story_timeline(
        [("a", "Wire", "2025-05-03T09:00:00Z"), ("b", "Bay", "2025-05-03T15:30:00+02:00")]
    )
    assert {"Wire", "Bay"} <= set(_texts(render(timeline_chart(hours), "svg")))
    empty = story_timeline([("a", "Wire", None)])
    assert "1 undated article not shown" in _texts(render(timeline_chart(empty), "svg"))


def test_data_uri_holds_the_svg() -> None:
    svg = render(timeline_chart(_timeline()), "svg")
    uri = data_uri(svg)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.partition(",")[2]) == svg
    assert timeline_data_uri(_timeline()) == uri


def _memberships() -> list[tuple[str, str, str]]:
    return [
        ("s-small", "a1", "Harbor Times"),
        ("s-big", "b1", "Harbor Times"),
        ("s-big", "b2", f"Evening {EVIL}"),
        ("s-big", "b3", "Coast & Radio"),
        ("s-big", "b4", "Coast & Radio"),
        ("s-mid", "c1", "Harbor Times"),
        ("s-mid", "c2", "Coast & Radio"),
    ]


def test_coverage_chart_sorts_stories_and_outlets_by_coverage() -> None:
    titles = {"s-big": f"Big {EVIL}", "s-mid": "Mid & <b>", "s-small": None}
    texts = _texts(render(coverage_chart(_memberships(), titles), "svg"))
    assert texts == [
        # outlets across, by stories carried: 3, 2, 1 (a long name is cut to 28 characters)
        "Harbor Times",
        "Coast & Radio",
        'Evening <script>alert("x")<…',
        # stories down, by outlets: 3, 2, 1; an untitled story shows its id
        'Big <script>alert("x")</script> & $x^2$',
        "Mid & <b>",
        "s-small",
        # articles per cell, row by row: Coast & Radio carried s-big twice
        *("1", "2", "1", "1", "1", "1"),
        "Articles per story and outlet",
    ]


def test_coverage_chart_is_capped_with_a_note() -> None:
    svg = render(coverage_chart(_memberships(), {}, max_stories=2), "svg")
    texts = _texts(svg)
    assert "the 2 most covered of 3 stories" in texts
    assert "s-small" not in texts
    assert render(coverage_chart(_memberships(), {}, max_stories=2), "svg") == svg
    assert render(coverage_chart(_memberships(), {}), "png").startswith(PNG_SIGNATURE)
    assert _texts(render(coverage_chart([], {}), "svg"))[-1] == "Articles per story and outlet"


def test_chart_formats_come_from_the_suffix() -> None:
    assert chart_format(Path("a/b.SVG")) == "svg"
    assert chart_format(Path("b.png")) == "png"
    with pytest.raises(InputError) as info:
        chart_format(Path("chart.jpg"))
    assert str(info.value) == (
        "[R100] chart.jpg: a chart is written as .svg or .png. Name the file *.svg or *.png"
    )
    with pytest.raises(ValueError, match="unknown chart format 'pdf'"):
        render(timeline_chart(_timeline()), "pdf")  # type: ignore[arg-type]


def test_charts_use_no_pyplot_and_load_matplotlib_only_to_draw() -> None:
    code = (
        "import sys\n"
        "import rashomon.cli, rashomon.report.html\n"
        "print('matplotlib' in sys.modules)\n"
        "from rashomon.report.charts import render, timeline_chart\n"
        "from rashomon.analyze.timeline import story_timeline\n"
        "t = story_timeline([('a', 'W', '2025-05-03'), ('b', 'B', '2025-05-04')])\n"
        "render(timeline_chart(t), 'svg')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout == "False\nFalse\n"


# --- the CLI ----------------------------------------------------------------------------------


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return run_rashomon(*args, timeout=300)


@pytest.fixture
def cached_story(tmp_path: Path) -> Path:
    """A corpus holding the factory story with its comparison cached (no model is needed)."""
    db = tmp_path / "corpus.db"
    comparison = make_comparison()
    with open_store(db) as store:
        for article in comparison.articles:
            store.add_article(article, ingested_at="2025-05-10T00:00:00Z")
        store.upsert_story("s1", title="March", first_date="2025-05-03", last_date="2025-05-04")
        store.add_story_members("s1", [a.id for a in comparison.articles])
        store.put_comparison("s1", comparison)
    return db


def test_outlets_chart_writes_svg_or_png(cached_story: Path, tmp_path: Path) -> None:
    svg_path, png_path = tmp_path / "coverage.svg", tmp_path / "coverage.png"
    result = _run("outlets", "--db", cached_story, "--format", "json", "--chart", svg_path)
    assert result.returncode == 0, result.stderr
    texts = _texts(svg_path.read_bytes())
    assert {"Harbor Times", "Evening Ledger", "Coast Radio", "March"} <= set(texts)
    assert _run("outlets", "--db", cached_story, "--chart", png_path).returncode == 0
    assert png_path.read_bytes().startswith(PNG_SIGNATURE)
    bad = _run("outlets", "--db", cached_story, "--chart", tmp_path / "coverage.gif")
    assert bad.returncode == 2
    assert "a chart is written as .svg or .png" in " ".join(bad.stderr.split())


def test_story_timeline_chart(cached_story: Path, tmp_path: Path) -> None:
    chart = tmp_path / "t.svg"
    result = _run(
        "story", "s1", "--db", cached_story, "--format", "md", "-o", tmp_path / "s.md",
        "--timeline-chart", chart,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    texts = _texts(chart.read_bytes())
    assert {"Harbor Times", "Evening Ledger", "Coast Radio"} <= set(texts)
