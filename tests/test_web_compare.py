""" "Compare now" in the web app: pasted texts, uploads and URLs, limits, and refused URLs."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar, Protocol

import jsonschema
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from conftest import EXAMPLES
from web_helpers import Markup, assert_inert

COURIER = (EXAMPLES / "daily-courier.json").read_text(encoding="utf-8")
MERIDIAN = (EXAMPLES / "meridian-wire.txt").read_text(encoding="utf-8")
COASTLINE = (EXAMPLES / "coastline-post.txt").read_text(encoding="utf-8")
BULLETIN = (EXAMPLES / "state-bulletin.html").read_bytes()
SMALL_LIMITS = {"max_inputs": 5, "max_file_bytes": 50_000, "max_request_bytes": 200_000}


def _app(tmp_path: Path, *, allow_private_urls: bool = False) -> FastAPI:
    from rashomon.settings import Settings
    from rashomon.web.app import create_app
    from rashomon.web.state import Limits

    return create_app(
        tmp_path / "corpus.db",
        settings=Settings(),
        limits=Limits(**SMALL_LIMITS),
        allow_private_urls=allow_private_urls,
    )


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(_app(tmp_path_factory.mktemp("compare"))) as test_client:
        yield test_client


class _Response(Protocol):
    """What _message reads of a test client's response."""

    @property
    def text(self) -> str: ...


def _message(response: _Response) -> str:
    page = response.text
    start = page.index('<p class="message">') + len('<p class="message">')
    return str(page[start : page.index("</p>", start)])


def test_the_form_follows_the_dom_contract(client: TestClient) -> None:
    page = assert_inert(client.get("/compare").text)
    (form,) = page.find("form", id="compare-form")
    assert (form["method"], form["action"], form["enctype"]) == (
        "post",
        "/compare",
        "multipart/form-data",
    )
    texts = page.find("textarea", name="text")
    assert len(texts) == 2
    labelled = {a["for"] for a in page.find("label")}
    assert {t["id"] for t in texts} <= labelled
    assert len(page.find("button", id="add-text", type="button")) == 1
    (files,) = page.find("input", type="file", name="files")
    assert "multiple" in files
    assert len(page.find("textarea", name="urls")) == 1
    assert len(page.find("button", id="compare-submit", type="submit")) == 1


@pytest.mark.models
def test_pasted_text_and_an_upload_are_compared_and_downloadable(client: TestClient) -> None:
    from rashomon.schema import from_json, json_schema

    response = client.post(
        "/compare",
        data={"text": [MERIDIAN, "", COASTLINE], "urls": "\n  \n"},
        files=[("files", ("state-bulletin.html", BULLETIN, "text/html"))],
    )
    assert response.status_code == 200, _message(response)
    page = assert_inert(response.text)
    assert len(page.find("section", class_="col")) == 3
    assert len(page.find("input", name="column", type="checkbox")) == 3
    href = page.find("a", id="download-json")[0]["href"]
    assert href.startswith("/compare/")
    assert href.endswith("/comparison.json")
    download = client.get(href)
    jsonschema.validate(json.loads(download.text), json_schema())
    comparison = from_json(download.text)
    assert len(comparison.articles) == 3
    assert "state-bulletin.html" in {a.source for a in comparison.articles}
    assert client.get(page.find("a", id="download-md")[0]["href"]).text.startswith("# ")
    assert client.get("/compare/0000/comparison.json").status_code == 404


@pytest.mark.models
def test_pasted_payloads_stay_inert(client: TestClient) -> None:
    payload = "Ferry <img src=x onerror=alert(1)> returns\n\n" + MERIDIAN.split("\n", 1)[1]
    response = client.post("/api/compare", json={"texts": [payload, COASTLINE], "urls": []})
    assert response.status_code == 200
    page = client.post(
        "/compare",
        data={"text": [payload, COASTLINE]},
        files=[("files", ('"><svg onload=alert(1)>.txt', b"", "text/plain"))],
    )
    assert page.status_code == 200, _message(page)
    assert_inert(page.text)
    assert "<img src=x" not in page.text


def test_fewer_than_two_usable_articles_is_a_422_page(client: TestClient) -> None:
    response = client.post(
        "/compare",
        data={"text": [MERIDIAN]},
        files=[("files", ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"))],
    )
    assert response.status_code == 422
    assert _message(response).startswith(
        "[R120] compare needs at least two usable articles, got 1; rejected: [R100] photo.png: "
        "unsupported file type &#39;.png&#39;"
    )


def test_a_binary_file_is_refused_as_not_text(client: TestClient) -> None:
    response = client.post(
        "/compare",
        data={"text": [MERIDIAN]},
        files=[("files", ("notes.txt", bytes(range(256)) * 4, "text/plain"))],
    )
    assert response.status_code == 422
    assert "notes.txt: looks like a binary file, not text" in _message(response)


def test_too_many_inputs_is_422(client: TestClient) -> None:
    response = client.post("/compare", data={"text": ["some text"] * 6})
    assert response.status_code == 422
    assert _message(response) == (
        "[R140] compare: 6 inputs sent, at most 5 are allowed. Send fewer"
    )
    api = client.post(
        "/api/compare", json={"texts": ["a text"] * 4, "urls": ["https://a.example/x"] * 2}
    )
    assert api.status_code == 422
    assert (
        api.json()["detail"] == "[R140] compare: 6 inputs sent, at most 5 are allowed. Send fewer"
    )


def test_a_file_over_the_limit_is_413(client: TestClient) -> None:
    response = client.post(
        "/compare",
        data={"text": [MERIDIAN]},
        files=[("files", ("big.txt", b"word " * 12_000, "text/plain"))],
    )
    assert response.status_code == 413
    assert _message(response) == "[R141] big.txt: larger than 50000 bytes. Shorten it"
    pasted = client.post("/compare", data={"text": ["word " * 12_000, MERIDIAN]})
    assert pasted.status_code == 413


def test_a_request_over_the_limit_is_413_before_it_is_read(client: TestClient) -> None:
    declared = client.post(
        "/compare",
        content=b"x" * 250_000,
        headers={"content-type": "multipart/form-data; boundary=b"},
    )
    assert declared.status_code == 413
    assert _message(declared).startswith("the request is larger than 200000 bytes")
    api = client.post(
        "/api/compare", content=b"[" * 250_000, headers={"content-type": "application/json"}
    )
    assert api.status_code == 413
    assert api.json()["detail"].startswith("the request is larger than 200000 bytes")

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(30):
            yield b"y" * 10_000

    streamed = client.post(
        "/compare", content=chunks(), headers={"content-type": "multipart/form-data; boundary=b"}
    )
    assert streamed.status_code == 413


@pytest.mark.models
def test_the_api_compares_texts_and_refuses_bad_bodies(client: TestClient) -> None:
    from rashomon.schema import from_json

    response = client.post("/api/compare", json={"texts": [MERIDIAN, COASTLINE]})
    assert response.status_code == 200
    assert len(from_json(response.text).articles) == 2
    one = client.post("/api/compare", json={"texts": [MERIDIAN]})
    assert one.status_code == 422
    assert one.json()["detail"].startswith("[R120] compare needs at least two usable articles")
    extra = client.post("/api/compare", json={"texts": [], "files": []})
    assert extra.status_code == 422
    assert extra.json()["detail"].startswith("[body -> files] Extra inputs are not permitted")
    assert (
        client.post(
            "/api/compare", content=b"{", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/a",
        "http://localhost/a",
        "http://10.1.2.3/a",
        "http://192.168.0.10/a",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/a",
        "http://[::ffff:127.0.0.1]/a",
        "http://0.0.0.0/a",
        "http://2130706433/a",  # 127.0.0.1 as one number
        "http://0x7f.1/a",
        "http://user@127.0.0.1/a",
    ],
)
def test_urls_of_internal_addresses_are_refused(client: TestClient, url: str) -> None:
    response = client.post("/api/compare", json={"texts": [MERIDIAN], "urls": [url]})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert f"[R110] {url}: refused: " in detail
    assert "resolves to the internal address" in detail


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "javascript:alert(1)", "ftp://example.org/a", "http://"]
)
def test_non_http_urls_are_refused(url: str) -> None:
    from rashomon.errors import FetchError
    from rashomon.web.inputs import check_url

    with pytest.raises(FetchError, match="not an http\\(s\\) URL"):
        check_url(url, allow_private=True)


class _Articles(http.server.BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, str]] = {"/meridian.txt": MERIDIAN, "/coastline.txt": COASTLINE}

    def do_GET(self) -> None:
        body = self.pages.get(self.path, "").encode("utf-8")
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.models
def test_allow_private_urls_fetches_from_this_machine(tmp_path: Path) -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Articles)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with TestClient(_app(tmp_path, allow_private_urls=True)) as allowed:
            response = allowed.post(
                "/compare", data={"urls": f"{base}/meridian.txt\r\n{base}/coastline.txt\r\n"}
            )
    finally:
        server.shutdown()
        server.server_close()
    assert response.status_code == 200, _message(response)
    page = Markup(response.text)
    assert len(page.find("section", class_="col")) == 2
    assert f"{base}/meridian.txt" in response.text


def test_a_cross_site_post_is_refused(client: TestClient) -> None:
    evil = {"Origin": "https://evil.example"}
    page = client.post("/compare", data={"text": [MERIDIAN, COASTLINE]}, headers=evil)
    assert page.status_code == 403
    assert _message(page) == (
        "a request from https://evil.example to this server is refused (cross-site)"
    )
    api = client.post("/api/compare", json={"texts": [MERIDIAN, COASTLINE]}, headers=evil)
    assert api.status_code == 403
    other_port = client.post(
        "/api/compare", json={"texts": [MERIDIAN]}, headers={"Sec-Fetch-Site": "same-site"}
    )
    assert other_port.status_code == 403
    # our own form, as Chromium sends it under Referrer-Policy: no-referrer
    own = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    same = client.post("/api/compare", json={"texts": [MERIDIAN]}, headers=own)
    assert same.status_code == 422  # it went through, to the input check
    named = client.post(
        "/api/compare", json={"texts": [MERIDIAN]}, headers={"Origin": "http://testserver"}
    )
    assert named.status_code == 422


def test_a_redirect_to_an_internal_address_is_refused() -> None:
    import httpx

    from rashomon.errors import FetchError
    from rashomon.settings import Settings
    from rashomon.web.inputs import fetch_article

    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:  # no network: a fake public server
        asked.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://10.0.0.7/admin"})

    public = "http://93.184.216.34/story"  # an address literal: nothing to resolve
    with (
        httpx.Client(transport=httpx.MockTransport(answer)) as client,
        pytest.raises(FetchError, match=r"10\.0\.0\.7 resolves to the internal address"),
    ):
        fetch_article(public, settings=Settings(), allow_private=False, client=client)
    assert asked == [public]  # the redirect was refused before it was sent


class _Secret(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"Internal admin page\n\nOnly reachable on loopback. It says secret things here."
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def test_a_dns_answer_that_changes_to_an_internal_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the name resolves to a public address while it is checked, then to
    loopback; the connection is checked where it is made, so it never reaches loopback."""
    import socket

    from rashomon.errors import FetchError
    from rashomon.settings import Settings
    from rashomon.web.inputs import fetch_article

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Secret)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    real = socket.getaddrinfo
    answers: list[str] = []

    def rebinding_dns(host: object, *args: object, **kwargs: object) -> object:
        if host != "rebind.test":
            return real(host, *args, **kwargs)  # type: ignore[arg-type]
        # a TTL-0 answer: public for the first two look-ups, loopback afterwards
        answers.append("93.184.216.34" if len(answers) < 2 else "127.0.0.1")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[-1], port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_dns)
    url = f"http://rebind.test:{port}/"
    try:
        with pytest.raises(FetchError) as refused:
            fetch_article(url, settings=Settings(), allow_private=False)
    finally:
        server.shutdown()
        server.server_close()
    assert str(refused.value).startswith(
        f"[R110] {url}: refused: rebind.test resolves to the internal address 127.0.0.1."
    )
    assert answers[-1] == "127.0.0.1"


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
        "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[::a00:1]/",
        "http://[::ffff:7f00:1]/",  # IPv4-mapped
        "http://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/",  # Teredo, client 10.0.0.1
        "http://192.0.0.8/",  # IETF protocol assignment, not global
    ],
)
def test_ipv6_addresses_wrapping_internal_ipv4_are_refused(url: str) -> None:
    from rashomon.errors import FetchError
    from rashomon.web.inputs import check_url

    with pytest.raises(FetchError, match="resolves to the internal address"):
        check_url(url, allow_private=False)


@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::808:808]/", "http://[2002:808:808::]/", "http://93.184.216.34/"]
)
def test_ipv6_addresses_wrapping_public_ipv4_pass(url: str) -> None:
    from rashomon.web.inputs import check_url

    check_url(url, allow_private=False)


def test_compare_now_answers_503_when_busy_with_other_comparisons(tmp_path: Path) -> None:
    app = _app(tmp_path)
    state = app.state.rashomon
    slots = state.limits.max_compares
    for _ in range(slots):  # stands for that many "compare now" requests being served
        assert state.compare_slots.acquire(blocking=False)
    try:
        with TestClient(app) as busy:
            page = busy.post("/compare", data={"text": [MERIDIAN, COASTLINE]})
            api = busy.post("/api/compare", json={"texts": [MERIDIAN, COASTLINE]})
    finally:
        for _ in range(slots):
            state.compare_slots.release()
    message = f"the server is busy with {slots} other comparisons; try again in a minute"
    assert page.status_code == 503
    assert _message(page) == message
    assert api.status_code == 503
    assert api.json() == {"detail": message}
    assert api.headers["retry-after"] == "30"


@pytest.mark.parametrize(
    ("body", "where"),
    [
        (b'{"texts": ["\\ud800 Title\\n\\nA body."]}', "[body -> texts -> 0]"),
        (b'{"texts": [], "urls": ["http://x\\udc80/"]}', "[body -> urls -> 0]"),
    ],
)
def test_lone_surrogates_are_a_422_with_a_message(
    client: TestClient, body: bytes, where: str
) -> None:
    response = client.post(
        "/api/compare", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith(f"{where} Value error, holds a lone surrogate (")
    assert detail.endswith("which is not text; send valid Unicode")


def test_read_compare_inputs_refuses_lone_surrogates() -> None:
    from rashomon.errors import InputError
    from rashomon.settings import Settings
    from rashomon.web.inputs import read_compare_inputs

    with pytest.raises(InputError, match=r"text 2: holds a lone surrogate"):
        read_compare_inputs(
            texts=[MERIDIAN, "Title\n\nA \udc80 body."],
            uploads=[],
            urls=[],
            settings=Settings(),
            max_inputs=5,
            max_file_bytes=50_000,
            allow_private_urls=False,
        )


# --- outlet names for pasted texts; JSON and JSON Lines uploads (news-please records) ----------

# invented news-please records (its field names: maintext, source_domain, date_publish, authors)
NEWSPLEASE = [
    {
        "title": "Kelm ferry back in service",
        "maintext": "The Kelm ferry returned to service on Friday after repairs to its engine. "
        "The harbour office said 300 passengers crossed on the first day.",
        "source_domain": "www.kelm-tribune.example",
        "date_publish": "2024-05-03 09:00:00",
        "authors": ["Ansel Brey"],
        "url": "https://www.kelm-tribune.example/ferry",
    },
    {
        "title": "Ferry resumes Kelm crossings",
        "maintext": "The Kelm ferry resumed its crossings on Friday once its engine was "
        "repaired. About 280 passengers used it on the first day, the harbour office said.",
        "source_domain": "lakeside-news.example",
        "date_publish": "2024-05-03 11:30:00",
        "authors": [],
        "url": "https://lakeside-news.example/kelm-ferry",
    },
]
PASTED_FERRY = (
    "Kelm ferry sails again\n\nThe Kelm ferry sailed again on Friday after engine repairs, "
    "carrying 300 passengers on its first day back, the harbour office said."
)


def _read(**kwargs: object) -> object:
    from rashomon.settings import Settings
    from rashomon.web.inputs import read_compare_inputs

    args: dict[str, object] = {
        "texts": [],
        "uploads": [],
        "urls": [],
        "settings": Settings(),
        "max_inputs": 5,
        "max_file_bytes": 50_000,
        "allow_private_urls": False,
    }
    return read_compare_inputs(**{**args, **kwargs})  # type: ignore[arg-type]


def test_a_pasted_text_takes_the_outlet_name_given_with_it() -> None:
    from rashomon.web.inputs import ReadInputs

    read = _read(
        texts=["", MERIDIAN, PASTED_FERRY], outlets=["Ignored Gazette", " Kelm \n Observer ", ""]
    )
    assert isinstance(read, ReadInputs)
    # the blank first text drops out with its name; a blank name leaves the outlet as read
    assert [a.outlet for a in read.articles] == ["Kelm Observer", "<text 2>"]


def test_an_outlet_name_too_long_or_not_text_is_refused() -> None:
    from rashomon.errors import InputError

    with pytest.raises(InputError, match=r"outlet of text 1: 201 characters long, at most 200"):
        _read(texts=[MERIDIAN, COASTLINE], outlets=["x" * 201])
    with pytest.raises(InputError, match=r"outlet of text 2: holds a lone surrogate"):
        _read(texts=[MERIDIAN, COASTLINE], outlets=["", "Bad \udc80 Post"])


def test_json_and_jsonl_uploads_are_read_as_the_cli_reads_them(tmp_path: Path) -> None:
    from rashomon.inputs.files import read_path_lenient
    from rashomon.settings import Settings
    from rashomon.web.inputs import ReadInputs, Upload

    jsonl = "".join(json.dumps(r) + "\n" for r in NEWSPLEASE).encode()
    as_array = json.dumps(NEWSPLEASE).encode()
    (tmp_path / "crawl.jsonl").write_bytes(jsonl)
    by_cli, errors = read_path_lenient(tmp_path / "crawl.jsonl", settings=Settings())
    assert not errors
    for name, data in (("crawl.jsonl", jsonl), ("crawl.json", as_array)):
        read = _read(uploads=[Upload(name=name, data=data)])
        assert isinstance(read, ReadInputs)
        assert read.rejected == ()
        got = [(a.outlet, a.title, a.date, a.author, a.text) for a in read.articles]
        assert got == [(a.outlet, a.title, a.date, a.author, a.text) for a in by_cli]


def test_a_bad_record_of_an_upload_is_named_and_the_others_are_kept() -> None:
    from rashomon.web.inputs import ReadInputs, Upload

    lines = [json.dumps(NEWSPLEASE[0]), "{not json", json.dumps({"title": "No body here"})]
    read = _read(
        texts=[PASTED_FERRY], uploads=[Upload(name="crawl.jsonl", data="\n".join(lines).encode())]
    )
    assert isinstance(read, ReadInputs)
    assert len(read.articles) == 2
    assert [(e.where, e.line) for e in read.rejected] == [("crawl.jsonl", 2), ("crawl.jsonl", 3)]
    assert "record has no text field" in str(read.rejected[1])


def test_an_upload_that_is_not_json_is_one_clear_error() -> None:
    from rashomon.errors import NotEnoughArticlesError
    from rashomon.web.inputs import Upload

    with pytest.raises(NotEnoughArticlesError, match=r"broken.json:1: "):
        _read(texts=[PASTED_FERRY], uploads=[Upload(name="broken.json", data=b"[{")])


def test_an_upload_of_more_records_than_inputs_allowed_is_refused() -> None:
    from rashomon.errors import TooManyInputsError
    from rashomon.web.inputs import Upload

    records = [
        {**NEWSPLEASE[0], "maintext": f"{NEWSPLEASE[0]['maintext']} Day {n}."} for n in range(6)
    ]
    data = "".join(json.dumps(r) + "\n" for r in records).encode()
    with pytest.raises(TooManyInputsError, match=r"more than 5 articles sent"):
        _read(uploads=[Upload(name="crawl.jsonl", data=data)])


def test_the_form_has_an_outlet_field_per_text_and_accepts_json(client: TestClient) -> None:
    page = assert_inert(client.get("/compare").text)
    outlets = page.find("input", name="outlet", type="text")
    assert [o["id"] for o in outlets] == ["outlet-1", "outlet-2"]
    assert {o["id"] for o in outlets} <= {a["for"] for a in page.find("label")}
    assert all(o["maxlength"] == "200" for o in outlets)
    (files,) = page.find("input", type="file", name="files")
    assert {".json", ".jsonl"} <= set(files["accept"].split(","))


@pytest.mark.models
def test_outlet_names_and_a_news_please_upload_are_compared_and_escaped(
    client: TestClient,
) -> None:
    from rashomon.schema import from_json

    hostile = '</script><script>alert(1)</script><b onmouseover="x">Kelm & Co'
    response = client.post(
        "/compare",
        data={"text": [PASTED_FERRY], "outlet": [hostile]},
        files=[("files", ("crawl.jsonl", "\n".join(json.dumps(r) for r in NEWSPLEASE)))],
    )
    assert response.status_code == 200, _message(response)
    page = assert_inert(response.text)
    assert len(page.find("section", class_="col")) == 3
    assert "<b onmouseover" not in response.text
    assert "alert(1)</script>" not in response.text
    assert "Kelm &amp; Co" in response.text
    href = page.find("a", id="download-json")[0]["href"]
    comparison = from_json(client.get(href).text)
    assert [a.outlet for a in comparison.articles] == [
        " ".join(hostile.split()),
        "kelm-tribune.example",
        "lakeside-news.example",
    ]
