"""Tests for rashomon.inputs.files: decoding, files, URLs, URLs (local server), overrides."""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from rashomon._version import __version__
from rashomon.errors import FetchError, InputError
from rashomon.inputs.decode import decode_bytes
from rashomon.inputs.fetch import fetch_url
from rashomon.inputs.files import read_inputs, read_path, read_path_lenient, unique_ids
from rashomon.inputs.outlets import article_id
from rashomon.inputs.overrides import apply_overrides
from rashomon.models import Article
from rashomon.settings import Settings

SETTINGS = Settings()
BODY = "The harbour bridge reopened on Tuesday after three weeks of repairs, the council said."
BODY2 = "Engineers replaced forty-two cables and resurfaced the deck."
# smart quotes, an accented letter and a euro sign: all in Windows-1252
FANCY = "“Café owners are glad,” said Zoé. The repairs cost €2m."


def noise(seed: int, size: int) -> bytes:
    """Random bytes from 0x80 to 0xFF: no NUL, and no encoding reads them as text."""
    rng = random.Random(seed)
    return bytes(rng.randrange(128, 256) for _ in range(size))


# --- decode_bytes ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252"]
)
def test_decode_bytes_encodings(encoding: str) -> None:
    text = f"Harbour bridge reopens\n\n{FANCY}\n"
    assert decode_bytes(text.encode(encoding), "a.txt") == text


def test_decode_bytes_other_code_page_via_charset_normalizer() -> None:
    text = "Мост снова открыт, сообщил городской совет во вторник вечером."
    assert decode_bytes(text.encode("cp1251"), "a.txt") == text


@pytest.mark.parametrize("data", [b"", b"  \n\t\r\n", "  \n".encode("utf-16")])
def test_decode_bytes_empty(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.txt")
    assert str(info.value) == "[R100] a.txt: file is empty. Give a file that holds an article"


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",  # NUL bytes, not UTF-16
        bytes(range(256)),
        noise(0, 300),
        b"text with a bell \x07 and escape \x1b characters",
    ],
)
def test_decode_bytes_binary(data: bytes) -> None:
    with pytest.raises(InputError) as info:
        decode_bytes(data, "a.bin")
    assert info.value.where == "a.bin"
    assert info.value.problem == "looks like a binary file, not text"


# --- read_path: formats ----------------------------------------------------------------------


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("name", ["courier.txt", "courier.text", "courier.md", "courier"])
def test_read_text_files(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, f"Harbour bridge reopens\n5 March 2024\n\n{BODY}\n")
    [article] = read_path(path, settings=SETTINGS)
    assert article.text == BODY
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.outlet == "courier"
    assert article.source == str(path)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1252"])
def test_read_text_file_encodings(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "a.txt", f"Harbour bridge reopens\r\n\r\n{FANCY}\r\n", encoding)
    [article] = read_path(path, settings=SETTINGS)
    assert article.title == "Harbour bridge reopens"
    assert article.text == FANCY


def test_read_path_uses_day_first_setting(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", f"Harbour bridge reopens\n05/03/2024\n\n{BODY}")
    assert read_path(path, settings=Settings(day_first=False))[0].date == "2024-05-03"
    assert read_path(path, settings=Settings(day_first=True))[0].date == "2024-03-05"


HTML = f"""<html><head><title>Harbour bridge reopens</title>
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05"></head>
<body><nav><a href="/">Home</a> <a href="/world">World news</a></nav>
<article><h1>Harbour bridge reopens</h1><p>{BODY}</p><p>{BODY2}</p><p>{FANCY}</p></article>
<footer>© 2024 Daily Courier. All rights reserved.</footer></body></html>"""


@pytest.mark.parametrize("name", ["page.html", "page.HTM"])
def test_read_html_file(tmp_path: Path, name: str) -> None:
    path = write(tmp_path / name, HTML)
    [article] = read_path(path, settings=SETTINGS)
    assert article.text == f"{BODY}\n\n{BODY2}\n\n{FANCY}"
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.author == "Jane Roe"
    assert article.outlet == "page"
    assert [item.reason for item in article.boilerplate] == ["html-furniture"]


def test_read_json_object(tmp_path: Path) -> None:
    record = {"title": "Harbour bridge reopens", "text": BODY, "outlet": "Daily Courier"}
    path = write(tmp_path / "one.json", json.dumps(record))
    [article] = read_path(path, settings=SETTINGS)
    assert (article.title, article.text, article.outlet) == (
        "Harbour bridge reopens",
        BODY,
        "Daily Courier",
    )


def test_read_json_list(tmp_path: Path) -> None:
    records = [{"body": BODY, "id": "a1"}, {"content": BODY2, "id": "a2"}]
    path = write(tmp_path / "many.json", json.dumps(records))
    articles = read_path(path, settings=SETTINGS)
    assert [(a.id, a.text) for a in articles] == [("a1", BODY), ("a2", BODY2)]


def test_read_json_list_with_a_bad_item(tmp_path: Path) -> None:
    path = write(tmp_path / "many.json", json.dumps([{"text": BODY}, "oops", {"title": "x"}]))
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert [a.text for a in articles] == [BODY]
    assert [e.problem for e in errors] == [
        "item 1 is a JSON str, not an object",
        "record has no text field (looked for text, body, content, maintext, description)",
    ]


def test_read_broken_json_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", '{\n  "text": "a",\n  "title": \n}\n')
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.line == 4
    assert info.value.problem == "invalid JSON: Expecting value (column 1)"


def test_read_json_lines_in_a_json_file_suggests_jsonl(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.json", '{"text": "a"}\n{"text": "b"}\n')
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert str(info.value) == (
        f"[R100] {path}:2: invalid JSON: Extra data (column 1). "
        "If the file holds one JSON object per line, name it .jsonl"
    )


NEWS_PLEASE = {
    "authors": ["Jane Roe", "John Doe"],
    "date_publish": "2024-03-05 10:00:00",
    "maintext": f"{BODY}\n{BODY2}",
    "source_domain": "daily-courier.example",
    "title": "Harbour bridge reopens",
    "url": "https://www.daily-courier.example/n/1",
}


@pytest.mark.parametrize("suffix", [".jsonl", ".ndjson"])
def test_read_json_lines(tmp_path: Path, suffix: str) -> None:
    lines = [
        json.dumps(NEWS_PLEASE),
        "",
        json.dumps({"text": FANCY, "published_at": "March 6, 2024", "site_name": "Meridian"}),
    ]
    path = write(tmp_path / f"feed{suffix}", "\n".join(lines) + "\n")
    first, second = read_path(path, settings=SETTINGS)
    assert first.text == f"{BODY}\n\n{BODY2}"
    assert first.author == "Jane Roe, John Doe"
    assert first.date == "2024-03-05"
    assert first.outlet == "daily-courier.example"
    assert first.title == "Harbour bridge reopens"
    assert (second.text, second.date, second.outlet) == (FANCY, "2024-03-06", "Meridian")


def test_broken_json_line_gives_good_records_and_errors(tmp_path: Path) -> None:
    lines = [
        json.dumps({"text": BODY}),
        '{"text": "unterminated',
        json.dumps({"title": "no text here"}),
        json.dumps([1, 2]),
        json.dumps({"text": BODY2}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines))
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert [a.text for a in articles] == [BODY, BODY2]
    assert [(e.where, e.line) for e in errors] == [(str(path), 2), (str(path), 3), (str(path), 4)]
    assert errors[0].problem.startswith("invalid JSON: Unterminated string")
    assert errors[1].problem.startswith("record has no text field")
    assert errors[2].problem == "line 4 is a JSON list, not an object"
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.line == 2
    assert str(info.value).startswith(f"[R100] {path}:2: invalid JSON")


# --- read_path: bad inputs -------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.txt"
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert str(info.value) == f"[R100] {path}: file not found. Check the path and its spelling"


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_path(tmp_path, settings=SETTINGS)
    assert info.value.problem == "is a directory, not a file"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "locked.txt", BODY)

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    # tests may run as root, which chmod cannot lock out
    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "permission denied"


def test_empty_file(tmp_path: Path) -> None:
    path = write(tmp_path / "empty.txt", "\n\n")
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "file is empty"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "looks like a binary file, not text"


def test_undecodable_file(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(noise(1, 400))
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "looks like a binary file, not text"


def test_unsupported_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", BODY)
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "unsupported file type '.pdf'"


def test_jsonl_with_no_lines(tmp_path: Path) -> None:
    path = write(tmp_path / "feed.jsonl", "   \n")
    with pytest.raises(InputError) as info:
        read_path(path, settings=SETTINGS)
    assert info.value.problem == "file is empty"


# --- fetch_url against a local server --------------------------------------------------------

PLAIN = f"Harbour bridge reopens\nPublished: 5 March 2024\n\n{BODY}\n"


class _Handler(BaseHTTPRequestHandler):
    user_agents: list[str] = []  # noqa: RUF012 -- shared with the tests on purpose

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean

    def _send(self, status: int, content_type: str, body: bytes, *, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self.user_agents.append(self.headers.get("User-Agent", ""))
        # the client may give up (timeout and size tests): nothing left to answer then
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route()

    def _route(self) -> None:
        if self.path == "/article.html":
            self._send(200, "text/html; charset=utf-8", HTML.encode())
        elif self.path == "/latin.html":
            self._send(200, "text/html; charset=windows-1252", HTML.encode("cp1252"))
        elif self.path == "/plain.txt":
            self._send(200, "text/plain; charset=utf-8", PLAIN.encode())
        elif self.path == "/record.json":
            self._send(200, "application/json", json.dumps(NEWS_PLEASE).encode())
        elif self.path == "/old":
            self.send_response(301)
            self.send_header("Location", "/plain.txt")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif self.path == "/big-declared":
            self._send(200, "text/plain", b"x " * 4000)
        elif self.path == "/big-streamed":
            self._send(200, "text/plain", b"x " * 4000, length=False)
        elif self.path == "/big-header":  # declares a large body: refused before reading it
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "999999")
            self.end_headers()
            self.wfile.write(b"short")
        elif self.path == "/slow":
            time.sleep(0.5)
            self._send(200, "text/plain", PLAIN.encode())
        elif self.path == "/image.png":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")
        elif self.path == "/trickle":  # one byte every 0.1 s: no single read waits long
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for byte in PLAIN.encode()[:40]:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.1)
        else:
            self._send(404, "text/plain", b"not found")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def test_fetch_html(server: str) -> None:
    _Handler.user_agents.clear()
    article = fetch_url(f"{server}/article.html", settings=SETTINGS)
    assert article.text == f"{BODY}\n\n{BODY2}\n\n{FANCY}"
    assert article.title == "Harbour bridge reopens"
    assert article.date == "2024-03-05"
    assert article.outlet == "unknown"  # an address names no outlet
    assert article.source == f"{server}/article.html"
    assert article.url == f"{server}/article.html"
    assert _Handler.user_agents == [f"rashomon/{__version__}"]


def test_fetch_html_in_declared_charset(server: str) -> None:
    article = fetch_url(f"{server}/latin.html", settings=SETTINGS)
    assert article.text == f"{BODY}\n\n{BODY2}\n\n{FANCY}"


def test_fetch_text(server: str) -> None:
    article = fetch_url(f"{server}/plain.txt", settings=SETTINGS)
    assert (article.title, article.date, article.text) == (
        "Harbour bridge reopens",
        "2024-03-05",
        BODY,
    )
    assert article.outlet == "unknown"
    assert article.url == f"{server}/plain.txt"


def test_fetch_json_record(server: str) -> None:
    article = fetch_url(f"{server}/record.json", settings=SETTINGS)
    assert article.text == f"{BODY}\n\n{BODY2}"
    assert article.outlet == "daily-courier.example"
    assert article.source == f"{server}/record.json"


def test_fetch_follows_redirects(server: str) -> None:
    article = fetch_url(f"{server}/old", settings=SETTINGS)
    assert article.text == BODY
    assert article.source == f"{server}/old"


def test_fetch_404(server: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}/missing", settings=SETTINGS)
    assert str(info.value) == (
        f"[R110] {server}/missing: server answered HTTP 404 Not Found. "
        "Check the URL, or save the page and pass the file"
    )


@pytest.mark.parametrize("path", ["/big-declared", "/big-streamed", "/big-header"])
def test_fetch_oversize(server: str, path: str) -> None:
    settings = Settings(fetch_max_bytes=1024)
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}{path}", settings=settings)
    assert info.value.problem == "response is larger than 1024 bytes"


def test_fetch_timeout(server: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}/slow", settings=Settings(fetch_timeout_s=0.05))
    assert info.value.problem == "timed out after 0.05 s"


def test_fetch_gives_up_when_the_whole_download_takes_too_long(server: str) -> None:
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}/trickle", settings=Settings(fetch_timeout_s=0.5))
    assert info.value.problem == "took longer than 0.5 s in all"
    assert time.monotonic() - started < 2.0  # the body would take 4 s to arrive


def test_fetch_unsupported_content_type(server: str) -> None:
    with pytest.raises(FetchError) as info:
        fetch_url(f"{server}/image.png", settings=SETTINGS)
    assert info.value.problem == "unsupported content type 'image/png'"


def test_fetch_connection_refused() -> None:
    # port 9 (discard) on loopback: nothing listens there in a test sandbox
    with pytest.raises(FetchError) as info:
        fetch_url("http://127.0.0.1:9/x", settings=SETTINGS)
    assert info.value.problem.startswith("cannot fetch: ")


def test_fetch_rejects_non_http() -> None:
    with pytest.raises(FetchError) as info:
        fetch_url("ftp://example.invalid/a.txt", settings=SETTINGS)
    assert info.value.problem == "not an http(s) URL"


# --- read_inputs -----------------------------------------------------------------------------


def test_read_inputs_keeps_order_and_collects_errors(tmp_path: Path, server: str) -> None:
    a = write(tmp_path / "a.txt", f"Harbour bridge reopens\n\n{BODY}")
    b = write(tmp_path / "b.jsonl", json.dumps({"text": BODY2}) + "\nnot json\n")
    specs: list[str | Path] = [
        a,
        str(tmp_path / "missing.txt"),
        f"{server}/plain.txt",
        f"{server}/missing",
        b,
    ]
    articles, errors = read_inputs(specs, settings=SETTINGS)
    assert [(x.source, x.text) for x in articles] == [
        (str(a), BODY),
        (f"{server}/plain.txt", BODY),
        (str(b), BODY2),
    ]
    assert [(e.where, e.line) for e in errors] == [
        (str(tmp_path / "missing.txt"), None),
        (f"{server}/missing", None),
        (str(b), 2),
    ]


def test_read_inputs_makes_ids_unique(tmp_path: Path) -> None:
    paths: list[str | Path] = [
        write(tmp_path / f"{name}.txt", f"Headline {name}\n\n{BODY}") for name in "abc"
    ]
    articles, errors = read_inputs(paths, settings=SETTINGS)
    base = article_id(BODY)
    assert errors == []
    assert [a.id for a in articles] == [base, f"{base}-2", f"{base}-3"]
    assert [a.title for a in articles] == ["Headline a", "Headline b", "Headline c"]


def test_read_inputs_suffix_skips_taken_ids(tmp_path: Path) -> None:
    records = [{"text": BODY, "id": "x"}, {"text": BODY2, "id": "x-2"}, {"text": FANCY, "id": "x"}]
    path = write(tmp_path / "r.json", json.dumps(records))
    articles, _ = read_inputs([path], settings=SETTINGS)
    assert [a.id for a in articles] == ["x", "x-2", "x-3"]


def test_unique_ids_across_separate_reads(tmp_path: Path) -> None:
    a = write(tmp_path / "a.txt", BODY)
    b = write(tmp_path / "b.txt", BODY)
    first, _ = read_inputs([a], settings=SETTINGS)
    second, _ = read_inputs([b], settings=SETTINGS)
    assert [x.id for x in unique_ids(first + second)] == [article_id(BODY), f"{article_id(BODY)}-2"]


# --- apply_overrides -------------------------------------------------------------------------


def _articles() -> list[Article]:
    return [
        Article(id="aaa111", text=BODY, outlet="a", source="in/a.txt"),
        Article(id="bbb222", text=BODY2, outlet="b", source="in/b.html"),
        Article(id="ccc333", text=FANCY, outlet="c", source="https://x.example/c"),
    ]


@pytest.mark.parametrize("key", ["aaa111", "in/a.txt", "a.txt", "a"])
def test_override_by_any_name(key: str) -> None:
    result = apply_overrides(_articles(), outlets={key: "Daily Courier"}, dates={key: "2024-03-05"})
    assert [(a.outlet, a.date) for a in result] == [
        ("Daily Courier", "2024-03-05"),
        ("b", None),
        ("c", None),
    ]


def test_override_by_url_source() -> None:
    result = apply_overrides(_articles(), outlets={"https://x.example/c": "X"}, dates={})
    assert [a.outlet for a in result] == ["a", "b", "X"]


def test_override_name_shared_by_records_sets_all() -> None:
    articles = [
        Article(id="r1", text=BODY, outlet="feed", source="in/feed.jsonl"),
        Article(id="r2", text=BODY2, outlet="feed", source="in/feed.jsonl"),
    ]
    result = apply_overrides(articles, outlets={"feed": "Wire"}, dates={})
    assert [a.outlet for a in result] == ["Wire", "Wire"]


def test_override_unknown_key_lists_ids() -> None:
    with pytest.raises(InputError) as info:
        apply_overrides(_articles(), outlets={"zzz": "X"}, dates={})
    assert str(info.value) == (
        "[R100] --outlet zzz=X: 'zzz' names no article. "
        "Use an article id or file name; the ids are: aaa111, bbb222, ccc333"
    )


@pytest.mark.parametrize("value", ["5 March 2024", "2024-02-30", "2024-3-5", "20240305"])
def test_override_bad_date(value: str) -> None:
    with pytest.raises(InputError) as info:
        apply_overrides(_articles(), outlets={}, dates={"a": value})
    assert info.value.problem == f"'{value}' is not a date"
    assert info.value.where == f"--date a={value}"


def test_override_empty_outlet() -> None:
    with pytest.raises(InputError) as info:
        apply_overrides(_articles(), outlets={"a": "  "}, dates={})
    assert info.value.problem == "the outlet name is empty"


def test_overrides_leave_the_input_unchanged() -> None:
    articles = _articles()
    apply_overrides(articles, outlets={"a": "X"}, dates={"b": "2024-03-05"})
    assert articles == _articles()
