"""The web app under load and faults, without the models: comparisons are computed outside the
requests (a stand-in compute function), caches are bounded by bytes, odd requests are refused."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from factories import make_article, make_comparison
from rashomon.corpus.store import Store, open_store
from rashomon.models import Comparison

NOW = "2025-06-01T00:00:00Z"


def _fill(path: Path) -> None:
    """Two stories of two articles (fire, newer; ferry, older) and one of a single article."""
    with open_store(path) as store:
        for story_id, day, members in (
            ("s-fire", "2025-03-15", [("a1", "Harbor Times"), ("a2", "Evening Ledger")]),
            ("s-ferry", "2025-02-03", [("c1", "Harbor Times"), ("c2", "Coast Radio")]),
            ("s-vote", "2025-04-02", [("b1", "Coast Radio")]),
        ):
            for aid, outlet in members:
                article = make_article(aid, outlet, [f"Text of {aid}."], title=story_id, date=day)
                store.add_article(article, ingested_at=NOW)
            store.upsert_story(story_id, title=story_id, first_date=day, last_date=day)
            store.set_story_members(story_id, [aid for aid, _ in members])


class Gate:
    """A stand-in for the models: compares a story only when the test lets it."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.done: list[str] = []

    def compute(self, store: Store, story_id: str) -> Comparison:
        assert self.open.wait(30), "the test never let the comparison run"
        comparison = make_comparison()
        store.put_comparison(story_id, comparison)
        self.done.append(story_id)
        return comparison


@pytest.fixture
def gate() -> Gate:
    return Gate()


@pytest.fixture
def client(tmp_path: Path, gate: Gate, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rashomon import pipeline
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    def in_the_request(*args: object, **kwargs: object) -> Comparison:
        raise AssertionError("a request ran the models")

    monkeypatch.setattr(pipeline, "compare_story", in_the_request)
    path = tmp_path / "corpus.db"
    _fill(path)
    app = create_app(path, settings=Settings(), compute=gate.compute)
    app.state.rashomon.comparer.interval_s = 0.1
    with TestClient(app) as test_client:
        yield test_client


def _wait_for(client: TestClient, path: str, status: str, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        response = client.get(path)
        if response.headers.get("x-rashomon-comparison") == status:
            return
        time.sleep(0.05)
    raise AssertionError(f"{path} never became {status}")


def test_a_story_never_compared_is_pending_at_once_then_ready(
    client: TestClient, gate: Gate
) -> None:
    start = time.monotonic()
    page = client.get("/stories/s-fire")
    api = client.get("/api/stories/s-fire/comparison")
    download = client.get("/stories/s-fire/comparison.json")
    assert time.monotonic() - start < 5  # nobody waited on the (blocked) comparison
    assert page.status_code == 202
    assert "Not compared yet" in page.text
    assert 'data-status="pending"' in page.text
    assert '<meta http-equiv="refresh"' in page.text
    assert api.status_code == 202
    assert api.headers["retry-after"] == "5"
    assert api.json()["status"] == "pending"
    assert "not compared yet" in api.json()["detail"]
    assert download.status_code == 202
    gate.open.set()
    _wait_for(client, "/api/stories/s-fire/comparison", "ready")
    ready = client.get("/stories/s-fire")
    assert ready.status_code == 200
    assert 'id="rashomon-data"' in ready.text
    assert "comparison-status" not in ready.text
    assert client.get("/stories/s-fire/comparison.json").status_code == 200


def test_a_changed_story_shows_its_last_comparison_as_being_updated(
    client: TestClient, gate: Gate, tmp_path: Path
) -> None:
    gate.open.set()
    _wait_for(client, "/api/stories/s-fire/comparison", "ready")
    gate.open.clear()
    before = client.get("/api/stories/s-fire/comparison").text
    with open_store(tmp_path / "corpus.db") as store:  # an ingest adds a member
        store.add_article(
            make_article("a3", "Coast Radio", ["More."], date="2025-03-16"), ingested_at=NOW
        )
        store.add_story_members("s-fire", ["a3"])
        assert store.get_comparison("s-fire") is None  # the store's cache key is unchanged
    start = time.monotonic()
    page = client.get("/stories/s-fire")
    api = client.get("/api/stories/s-fire/comparison")
    assert time.monotonic() - start < 5
    assert page.status_code == 200
    assert 'data-status="updating"' in page.text
    assert "Being updated" in page.text
    assert 'id="rashomon-data"' in page.text
    assert api.status_code == 200
    assert api.headers["x-rashomon-comparison"] == "updating"
    assert api.text == before
    gate.open.set()
    _wait_for(client, "/api/stories/s-fire/comparison", "ready")
    assert "Being updated" not in client.get("/stories/s-fire").text


def test_the_comparer_takes_the_newest_stories_first_and_one_article_never(
    client: TestClient, gate: Gate
) -> None:
    gate.open.set()
    _wait_for(client, "/api/stories/s-ferry/comparison", "ready")
    assert gate.done == ["s-fire", "s-ferry"]
    assert client.get("/api/stories/s-vote/comparison").status_code == 409


def test_a_story_a_visitor_asks_for_goes_first(tmp_path: Path) -> None:
    from rashomon.settings import Settings
    from rashomon.web.comparer import Comparer

    path = tmp_path / "corpus.db"
    _fill(path)
    gate = Gate()
    gate.open.set()
    comparer = Comparer(path, settings=Settings(), lock=threading.Lock(), compute=gate.compute)
    comparer.stop()  # no thread: this test runs the steps itself
    comparer.request("s-ferry")
    with open_store(path) as store:
        while comparer.run_once(store):
            pass
    assert gate.done[0] == "s-ferry"
    assert sorted(gate.done) == ["s-ferry", "s-fire"]


def test_a_failed_comparison_is_a_500_page_not_a_wait(tmp_path: Path) -> None:
    from rashomon.errors import ModelMissingError
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    def broken(store: Store, story_id: str) -> Comparison:
        raise ModelMissingError("en_core_web_sm", "a-package")

    path = tmp_path / "corpus.db"
    _fill(path)
    app = create_app(path, settings=Settings(), compute=broken)
    app.state.rashomon.comparer.interval_s = 0.1
    with TestClient(app) as client:
        deadline = time.monotonic() + 20
        while client.get("/api/stories/s-fire/comparison").status_code == 202:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        api = client.get("/api/stories/s-fire/comparison")
        assert api.status_code == 500
        assert "could not be compared" in api.json()["detail"]
        assert "pip install a-package" in api.json()["detail"]


# --- caches bounded by bytes ------------------------------------------------------------------


def test_kept_is_bounded_by_bytes_not_entries() -> None:
    from rashomon.bounded import Kept, deep_size

    kept: Kept[int, str] = Kept(10_000, weigh=len)
    for n in range(100):
        kept.put(n, "x" * 1_000)
    assert kept.bytes <= 10_000
    assert len(kept) == 10
    assert kept.get(99) is not None
    assert kept.get(0) is None
    kept.put(100, "y" * 20_000)  # heavier than the whole budget: not kept
    assert kept.get(100) is None
    assert kept.bytes <= 10_000
    small, large = make_comparison(), make_comparison(payload="z" * 5_000)
    assert deep_size(large) > deep_size(small) + 5_000 * 10


def test_the_story_cache_holds_bytes_not_a_count_of_comparisons(tmp_path: Path) -> None:
    from rashomon.bounded import deep_size
    from rashomon.settings import Settings
    from rashomon.web.state import WebState

    state = WebState(db_path=tmp_path / "x.db", settings=Settings(), background=False)
    large = make_comparison(payload="w" * 20_000)
    state._decoded.max_bytes = 5 * deep_size(("k", large))
    for n in range(50):
        state._decoded.put(f"s{n}", ("k", make_comparison(payload=f"{n}" + "w" * 20_000)))
    assert len(state._decoded) <= 5
    assert state._decoded.bytes <= state._decoded.max_bytes


# --- odd requests -----------------------------------------------------------------------------


@pytest.fixture
def empty_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    from rashomon import pipeline
    from rashomon.settings import Settings
    from rashomon.web.app import create_app

    def no_models(*args: object, **kwargs: object) -> object:
        raise AssertionError("the models ran")

    monkeypatch.setattr(pipeline, "run_compare", no_models)
    path = tmp_path / "empty.db"
    open_store(path).close()
    app = create_app(path, settings=Settings(), allowed_hosts=["127.0.0.1", "localhost"])
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "hosts", [("127.0.0.1", "evil.example"), ("evil.example", "127.0.0.1"), ("localhost",) * 2]
)
def test_two_host_headers_are_a_400(empty_app: TestClient, hosts: tuple[str, str]) -> None:
    response = empty_app.get("/api/stories", headers=[("host", h) for h in hosts])
    assert response.status_code == 400
    assert response.json() == {"detail": "the request has 2 Host headers; send one"}
    page = empty_app.get("/stories", headers=[("host", h) for h in hosts])
    assert page.status_code == 400
    assert "content-security-policy" in page.headers
    assert empty_app.get("/stories", headers={"host": "127.0.0.1"}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        b"text=%ED%A0%80+said+the+mayor&text=Another+text",  # a lone surrogate, UTF-8 style
        b"text=fine&text=%ED%B2%A9",  # a low surrogate alone
        b"text=ok&te%ED%A0%80xt=x",  # in a field name
        b"text=%FF%FE+not+UTF-8&text=two",
    ],
)
def test_a_form_field_that_is_not_unicode_text_is_a_422(empty_app: TestClient, body: bytes) -> None:
    response = empty_app.post(
        "/compare", content=body, headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert response.status_code == 422
    assert "Send valid Unicode" in response.text


def test_valid_unicode_in_a_form_passes_the_check() -> None:
    from rashomon.web.pages import check_form_text

    check_form_text(b"text=caf%C3%A9+%F0%9F%98%80&text=%E4%B8%AD%E6%96%87")
    check_form_text(b"")


def _chunked_multipart(port: int, field: bytes, size: int) -> int:
    """POST a multipart body of ``size`` bytes in one field, chunked (no Content-Length)."""
    import http.client

    def body() -> Iterator[bytes]:
        yield b'--XX\r\nContent-Disposition: form-data; name="' + field + b"\r\n\r\n"
        for _ in range(size // 65_536):
            yield b"a" * 65_536
        yield b"\r\n--XX--\r\n"

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request(
            "POST",
            "/compare",
            body=body(),
            headers={"Content-Type": "multipart/form-data; boundary=XX"},
            encode_chunked=True,
        )
        return conn.getresponse().status
    except (BrokenPipeError, ConnectionResetError):  # refused before the body was sent whole
        return conn.getresponse().status
    finally:
        conn.close()


def test_a_chunked_12_mb_multipart_body_is_a_413_from_the_real_server(tmp_path: Path) -> None:
    from web_support import serve

    db = tmp_path / "empty.db"
    open_store(db).close()
    with serve(db) as base:
        port = int(base.rsplit(":", 1)[1])
        assert _chunked_multipart(port, b'text"', 12_000_000) == 413
        assert _chunked_multipart(port, b'files"; filename="a.txt', 12_000_000) == 413
        assert _chunked_multipart(port, b'urls"', 12_000_000) == 413
