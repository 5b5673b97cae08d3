"""Tests for bulk inputs: CSV/TSV/Parquet with column maps, WARC/ARC archives, RSS/Atom feeds."""

from __future__ import annotations

import contextlib
import gzip
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from rashomon._version import __version__
from rashomon.errors import FetchError, InputError
from rashomon.inputs.feeds import fetch_feed_articles, read_feed_list, read_url_list
from rashomon.inputs.fetch import download
from rashomon.inputs.files import read_path, read_path_lenient
from rashomon.inputs.tables import parse_column_map
from rashomon.settings import Settings

SETTINGS = Settings()
FIXTURES = Path(__file__).parent / "fixtures" / "inputs"
BODY = "The harbour bridge reopened on Tuesday after three weeks of repairs, the council said."
BODY2 = "Engineers replaced forty-two cables and resurfaced the deck."
MARKET = "The night market will move from Station Square to the old quay in April."
FERRY = "Ferries to the islands will run until midnight from the first of May, the operator said."


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- parse_column_map ------------------------------------------------------------------------


def test_parse_column_map_comma_separated_and_repeated() -> None:
    assert parse_column_map(["text=body, date=published", "outlet=site"]) == {
        "text": "body",
        "date": "published",
        "outlet": "site",
    }


def test_parse_column_map_same_pair_twice_is_fine() -> None:
    assert parse_column_map(["text=body", "text=body"]) == {"text": "body"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            "text",
            "[R100] --map text: 'text' is not FIELD=COLUMN. "
            "Write e.g. --map text=body,date=published",
        ),
        (
            "text=",
            "[R100] --map text=: 'text=' is not FIELD=COLUMN. "
            "Write e.g. --map text=body,date=published",
        ),
        (
            "=body",
            "[R100] --map =body: '=body' is not FIELD=COLUMN. "
            "Write e.g. --map text=body,date=published",
        ),
        (
            "body=text",
            "[R100] --map body=text: unknown field 'body'. "
            "Map one of these fields: text, title, date, outlet, url, author, id",
        ),
        (
            "text=body,text=content",
            "[R100] --map text=body,text=content: field 'text' is mapped to both 'body' and "
            "'content'. Map each field once",
        ),
    ],
)
def test_parse_column_map_errors(spec: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_column_map([spec])
    assert str(info.value) == message


# --- CSV and TSV -----------------------------------------------------------------------------

CSV_MAPPED = (
    "headline,body,published,site,link\n"
    f'Harbour bridge reopens,"{BODY}",2024-03-05,Daily Courier,https://courier.example/a\n'
    f'Night market moves,"{MARKET}",06/03/2024,Harbour Post,https://post.example/b\n'
)


def test_csv_with_column_map(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.csv", CSV_MAPPED)
    column_map = parse_column_map(
        ["text=body,title=headline", "date=published,outlet=site,url=link"]
    )
    articles = read_path(path, settings=SETTINGS, column_map=column_map)
    assert [(a.title, a.text, a.date, a.outlet, a.url, a.source) for a in articles] == [
        (
            "Harbour bridge reopens",
            BODY,
            "2024-03-05",
            "Daily Courier",
            "https://courier.example/a",
            str(path),
        ),
        (
            "Night market moves",
            MARKET,
            "2024-03-06",
            "Harbour Post",
            "https://post.example/b",
            str(path),
        ),
    ]


def test_csv_without_map_uses_the_usual_names(tmp_path: Path) -> None:
    path = write(
        tmp_path / "wire.csv",
        "title,maintext,date_publish,source_domain\n"
        f'Harbour bridge reopens,"{BODY}",2024-03-05,courier.example\n',
    )
    [article] = read_path(path, settings=SETTINGS)
    assert (article.title, article.text, article.date, article.outlet) == (
        "Harbour bridge reopens",
        BODY,
        "2024-03-05",
        "courier.example",
    )


def test_csv_map_hides_the_other_text_columns(tmp_path: Path) -> None:
    # 'content' would be read without a map; with text=body an empty body is an error
    path = write(tmp_path / "wire.csv", f'body,content\n"{BODY}",teaser\n,"{BODY2}"\n')
    articles, errors = read_path_lenient(path, settings=SETTINGS, column_map={"text": "body"})
    assert [a.text for a in articles] == [BODY]
    assert [str(e) for e in errors] == [
        f"[R100] {path}:3: column 'body' (mapped to text) is empty. "
        "Fill it, or map text to another column with --map text=COLUMN"
    ]


def test_csv_bad_rows_are_reported_with_their_line_and_the_rest_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path / "wire.csv",
        "title,text,date\n"
        f'One,"{BODY}",2024-03-05\n'
        "\n"  # blank: skipped, but counted in the line numbers
        "Two,,2024-03-06\n"  # no text
        f'Three,"{BODY2}\n\n{MARKET}",2024-03-07\n'  # a quoted text over three lines
        f'Four,"{FERRY}",someday\n'  # unreadable date
        "Five,too,many,fields\n"
        f'Six,"{FERRY}",2024-03-09\n',
    )
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert [(a.title, a.text, a.date) for a in articles] == [
        ("One", BODY, "2024-03-05"),
        ("Three", f"{BODY2}\n\n{MARKET}", "2024-03-07"),
        ("Six", FERRY, "2024-03-09"),
    ]
    assert [(e.where, e.line, e.problem) for e in errors] == [
        (
            str(path),
            4,
            "record has no text field (looked for text, body, content, maintext, description)",
        ),
        (str(path), 8, "field 'date' = 'someday' is not a date I can read"),
        (str(path), 9, "row has 4 fields, the header 3"),
    ]


def test_tsv(tmp_path: Path) -> None:
    path = write(
        tmp_path / "wire.tsv",
        f"title\tstory\tauthor\nHarbour bridge reopens\t{BODY}, officials said\tJane Roe\n",
    )
    [article] = read_path(path, settings=SETTINGS, column_map={"text": "story"})
    assert (article.title, article.text, article.author, article.outlet) == (
        "Harbour bridge reopens",
        f"{BODY}, officials said",
        "Jane Roe",
        "wire",
    )


def test_csv_mapped_column_missing_is_one_error_for_the_file(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.csv", f'title,text\nOne,"{BODY}"\n')
    articles, errors = read_path_lenient(
        path, settings=SETTINGS, column_map={"text": "body", "date": "when"}
    )
    assert articles == []
    assert [str(e) for e in errors] == [
        f"[R100] {path}:1: column 'body' (for text), 'when' (for date) not in the file. "
        "Its columns are: title, text"
    ]


def test_csv_stray_quote_is_read_as_the_csv_module_does(tmp_path: Path) -> None:
    path = write(tmp_path / "wire.csv", f'title,text\nOne,"{BODY}"\nTwo,"x"y\n')
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    # the csv module reads "x"y as the value 'xy': a one-word text, kept as written
    assert [a.text for a in articles] == [BODY, "xy"]
    assert errors == []


# --- Parquet ---------------------------------------------------------------------------------


def test_parquet_with_map_and_bad_row(tmp_path: Path) -> None:
    path = tmp_path / "wire.parquet"
    table = pa.table(
        {
            "body": [BODY, None, MARKET],
            "headline": ["Harbour bridge reopens", "Empty", "Night market moves"],
            "published": pa.array(
                [
                    pa.scalar(1709625600, pa.timestamp("s")).as_py(),  # 2024-03-05 08:00
                    None,
                    None,
                ],
                type=pa.timestamp("s"),
            ),
            "writers": [["Jane Roe", "Ana Lind"], [], None],
        }
    )
    pq.write_table(table, path, row_group_size=2)
    column_map = {"text": "body", "title": "headline", "date": "published", "author": "writers"}
    articles, errors = read_path_lenient(path, settings=SETTINGS, column_map=column_map)
    assert [(a.title, a.text, a.date, a.author, a.outlet) for a in articles] == [
        ("Harbour bridge reopens", BODY, "2024-03-05", "Jane Roe, Ana Lind", "wire"),
        ("Night market moves", MARKET, None, None, "wire"),
    ]
    assert [str(e) for e in errors] == [
        f"[R100] {path}: row index 1: column 'body' (mapped to text) is empty. "
        "Fill it, or map text to another column with --map text=COLUMN"
    ]


def test_parquet_without_map(tmp_path: Path) -> None:
    path = tmp_path / "np.parquet"
    pq.write_table(pa.table({"maintext": [BODY], "source_domain": ["courier.example"]}), path)
    [article] = read_path(path, settings=SETTINGS)
    assert (article.text, article.outlet) == (BODY, "courier.example")


def test_parquet_not_parquet(tmp_path: Path) -> None:
    path = write(tmp_path / "fake.parquet", "title,text\n")
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert articles == []
    assert [(e.where, e.problem.split(":")[0]) for e in errors] == [
        (str(path), "cannot read Parquet")
    ]


# --- WARC and ARC ----------------------------------------------------------------------------

PAGE = (FIXTURES / "bridge.html").read_text(encoding="utf-8")
EMPTY_PAGE = "<html><head><title>Menu</title></head><body></body></html>"


def _response(
    writer: WARCWriter, uri: str, body: bytes, *, status: str = "200 OK", ctype: str = "text/html"
) -> ArcWarcRecord:
    http = StatusAndHeaders(status, [("Content-Type", ctype)], protocol="HTTP/1.1")
    return writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http)


def _write_warc(path: Path, *, gzip_records: bool) -> dict[str, int]:
    """Write the test archive; return the offset of each record by a short name."""
    offsets: dict[str, int] = {}
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=gzip_records)
        records = {
            "info": writer.create_warcinfo_record(path.name, {"software": "rashomon tests"}),
            "request": writer.create_warc_record(
                "https://courier.example/bridge",
                "request",
                payload=io.BytesIO(b"GET /bridge HTTP/1.1\r\nHost: courier.example\r\n\r\n"),
            ),
            "page": _response(writer, "https://courier.example/bridge", PAGE.encode()),
            "image": _response(
                writer, "https://courier.example/logo.png", b"\x89PNG\r\n", ctype="image/png"
            ),
            "missing": _response(
                writer, "https://courier.example/gone", PAGE.encode(), status="404 Not Found"
            ),
            "empty": _response(writer, "https://courier.example/menu", EMPTY_PAGE.encode()),
            "latin": _response(
                writer,
                "https://post.example/cafe",
                PAGE.replace("the council said", "said Zoé").encode("cp1252"),
                ctype="text/html; charset=windows-1252",
            ),
        }
        for name, record in records.items():
            offsets[name] = out.tell()
            _write(writer, record)
    return offsets


def _write(writer: WARCWriter, record: ArcWarcRecord) -> None:
    writer.write_record(record)
    # warcio spools each payload to a temporary file to digest it, and leaves it open
    record.raw_stream.close()


@pytest.mark.parametrize(("name", "gzip_records"), [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_warc(tmp_path: Path, name: str, gzip_records: bool) -> None:
    path = tmp_path / name
    offsets = _write_warc(path, gzip_records=gzip_records)
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert [(a.url, a.title, a.text, a.date, a.outlet, a.source) for a in articles] == [
        (
            "https://courier.example/bridge",
            "Harbour bridge reopens",
            f"{BODY}\n\n{BODY2}",
            "2024-03-05",
            "courier.example",
            str(path),
        ),
        (
            "https://post.example/cafe",
            "Harbour bridge reopens",
            f"{BODY.replace('the council said', 'said Zoé')}\n\n{BODY2}",
            "2024-03-05",
            "post.example",
            str(path),
        ),
    ]
    assert [str(e) for e in errors] == [
        f"[R100] {path}: record https://courier.example/menu at offset {offsets['empty']}: "
        "no main text found in the HTML page. "
        "Check that the page is an article, or save its text as a .txt file"
    ]


def test_warc_record_over_the_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    big = PAGE.replace("<footer>", f"<!-- {'x' * 1024} --><footer>")
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        _write(writer, _response(writer, "https://courier.example/big", big.encode()))
        offset = out.tell()
        _write(writer, _response(writer, "https://courier.example/bridge", PAGE.encode()))
    articles, errors = read_path_lenient(path, settings=Settings(fetch_max_bytes=1024))
    assert [a.url for a in articles] == ["https://courier.example/bridge"]
    assert [str(e) for e in errors] == [
        f"[R100] {path}: record https://courier.example/big at offset 0: "
        "body is larger than 1024 bytes. Raise fetch_max_bytes to read it"
    ]
    assert offset > 0


@pytest.mark.parametrize(
    ("gzip_records", "cut", "problem"),
    [
        # cut inside the header block: no record comes out at all
        (True, 40, "the last 40 bytes, from offset {latin}, hold no complete record"),
        # cut inside the body: warcio yields the record, shorter than its Content-Length
        (True, 145, "the record at offset {latin} is incomplete"),
        (False, 700, "the record at offset {latin} is incomplete"),
    ],
)
def test_truncated_warc_keeps_the_records_before(
    tmp_path: Path, gzip_records: bool, cut: int, problem: str
) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip_records else "crawl.warc")
    offsets = _write_warc(path, gzip_records=gzip_records)
    data = path.read_bytes()
    assert len(data) - offsets["latin"] > cut
    path.write_bytes(data[: offsets["latin"] + cut])  # the last record is cut short
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert [a.url for a in articles] == ["https://courier.example/bridge"]
    assert [(e.where, e.problem) for e in errors] == [
        (
            str(path),
            f"record https://courier.example/menu at offset {offsets['empty']}: "
            "no main text found in the HTML page",
        ),
        (str(path), problem.format(latin=offsets["latin"])),
    ]


def test_warc_gzipped_as_one_member(tmp_path: Path) -> None:
    plain = tmp_path / "crawl.warc"
    _write_warc(plain, gzip_records=False)
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert articles == []
    assert [(e.where, e.problem[:60]) for e in errors] == [
        (str(path), "cannot read the archive: ERROR: non-chunked gzip file detect")
    ]


def test_arc(tmp_path: Path) -> None:
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + PAGE.encode()
    head = b"1 0 Rashomon tests\nURL IP-address Archive-date Content-type Archive-length\n"
    filedesc = b"filedesc://crawl.arc 127.0.0.1 20240305000000 text/plain %d\n" % len(head)
    page = b"https://courier.example/bridge 127.0.0.1 20240305000000 text/html %d\n" % len(http)
    image = b"https://courier.example/logo.png 127.0.0.1 20240305000000 image/png 44\n"
    image_http = b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\n\r\n"
    assert len(image_http) == 44
    path = tmp_path / "crawl.arc.gz"
    # one gzip member per record, as crawlers write them
    members = [filedesc + head + b"\n", page + http + b"\n", image + image_http + b"\n"]
    path.write_bytes(b"".join(gzip.compress(member) for member in members))
    articles, errors = read_path_lenient(path, settings=SETTINGS)
    assert errors == []
    assert [(a.url, a.text) for a in articles] == [
        ("https://courier.example/bridge", f"{BODY}\n\n{BODY2}")
    ]


# --- URL and feed lists ----------------------------------------------------------------------


def test_read_url_list(tmp_path: Path) -> None:
    path = write(
        tmp_path / "urls.txt",
        "# morning run\nhttps://courier.example/a\n\n  http://post.example/b  \n#off\n",
    )
    assert read_url_list(path) == ["https://courier.example/a", "http://post.example/b"]
    assert read_feed_list(path) == ["https://courier.example/a", "http://post.example/b"]


def test_read_url_list_bad_line(tmp_path: Path) -> None:
    path = write(tmp_path / "feeds.txt", "https://courier.example/rss\ncourier.example/atom\n")
    with pytest.raises(InputError) as info:
        read_feed_list(path)
    assert str(info.value) == (
        f"[R100] {path}:2: 'courier.example/atom' is not an http(s) URL. "
        "Write one URL per line, or start the line with '#' to comment it out"
    )


def test_read_url_list_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        read_url_list(tmp_path / "nope.txt")
    assert info.value.problem == "file not found"


# --- feeds against a local server ------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: ThreadingHTTPServer

    hits: dict[str, int] = {}  # noqa: RUF012 -- shared with the tests on purpose
    user_agents: list[str] = []  # noqa: RUF012 -- shared with the tests on purpose

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output clean

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _fixture(self, name: str) -> bytes:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return (FIXTURES / name).read_text(encoding="utf-8").replace("http://BASE", base).encode()

    def do_GET(self) -> None:
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        self.user_agents.append(self.headers.get("User-Agent", ""))
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self._route(self.hits[self.path])

    def _route(self, hit: int) -> None:
        xml = "application/xml; charset=utf-8"
        if self.path in ("/rss.xml", "/atom.xml"):
            self._send(200, xml, self._fixture(self.path[1:]))
        elif self.path == "/flaky.xml" and hit > 2:  # two 503s, then the feed
            self._send(200, xml, self._fixture("rss.xml"))
        elif self.path in ("/flaky.xml", "/down.xml"):
            self._send(503, "text/plain", b"busy")
        elif self.path == "/not-a-feed.xml":
            self._send(200, "text/plain", b"nothing to see")
        elif self.path in ("/news/bridge.html", "/news/ferry.html"):
            self._send(200, "text/html; charset=utf-8", self._fixture(self.path[6:]))
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


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the retry waits instead of sleeping them."""
    waited: list[float] = []
    monkeypatch.setattr("rashomon.inputs.fetch.time.sleep", waited.append)
    return waited


MARKET_SUMMARY = (
    f"{MARKET.removesuffix('.')}, the council said on Wednesday.\n\n"
    "Traders voted for the move after two years of complaints about noise near the flats on "
    "the square. The quay has room for sixty stalls, twenty more than the square, and a new "
    "lamp line."
)


def test_rss_feed(server: str) -> None:
    _Handler.user_agents.clear()
    articles, errors = fetch_feed_articles(f"{server}/rss.xml", settings=SETTINGS)
    assert [(a.url, a.source, a.title, a.date, a.author, a.outlet, a.text) for a in articles] == [
        (
            f"{server}/news/bridge.html",
            f"{server}/news/bridge.html",
            "Harbour bridge reopens",
            "2024-03-05",
            None,
            "Daily Courier",  # the feed names the outlet; the page is on an address
            f"{BODY}\n\n{BODY2}",
        ),
        (  # the page is gone: the long entry summary stands in
            f"{server}/news/market.html",
            f"{server}/news/market.html",
            "Night market moves to the quay",
            "2024-03-06",
            "Ana Lind",
            "Daily Courier",
            MARKET_SUMMARY,
        ),
    ]
    assert [str(e) for e in errors] == [
        f"[R100] {server}/news/library.html: server answered HTTP 404 Not Found, and the feed "
        "entry has 4 words of text (at least 40 needed to use it instead). "
        "Check the entry's link, or save the article and pass the file"
    ]
    assert set(_Handler.user_agents) == {f"rashomon/{__version__}"}


def test_atom_feed(server: str) -> None:
    articles, errors = fetch_feed_articles(f"{server}/atom.xml", settings=SETTINGS)
    assert errors == []
    assert [(a.url, a.source, a.title, a.date, a.author, a.text) for a in articles] == [
        (  # the page has no date or author: both come from the entry
            f"{server}/news/ferry.html",
            f"{server}/news/ferry.html",
            "Ferry timetable extended",
            "2024-03-08",
            "Tom Berg",
            f"{FERRY.replace('the operator said', 'the operator said on Friday')}\n\n"
            "The last boat now leaves at ten in the evening; two crews will be hired for the "
            "late runs.",
        ),
        (  # no link: the entry's content is the article
            None,
            f"{server}/atom.xml",
            "Tram depot to get solar roof",
            "2024-03-07",
            None,
            "The tram depot on Mill Road will get a solar roof this summer, the transport office "
            "said.\n\nThe panels should cover a fifth of the power the depot uses at night, when "
            "the trams are cleaned and charged. Work starts in June and ends before the autumn "
            "timetable.",
        ),
    ]


def test_feed_retries_503_then_succeeds(server: str, sleeps: list[float]) -> None:
    _Handler.hits.pop("/flaky.xml", None)
    articles, errors = fetch_feed_articles(f"{server}/flaky.xml", settings=SETTINGS)
    assert _Handler.hits["/flaky.xml"] == 3
    assert sleeps == [0.25, 0.5]
    assert [a.title for a in articles] == [
        "Harbour bridge reopens",
        "Night market moves to the quay",
    ]
    assert len(errors) == 1


def test_feed_gives_up_after_two_retries(server: str, sleeps: list[float]) -> None:
    _Handler.hits.pop("/down.xml", None)
    articles, errors = fetch_feed_articles(f"{server}/down.xml", settings=SETTINGS)
    assert articles == []
    assert [str(e) for e in errors] == [
        f"[R110] {server}/down.xml: server answered HTTP 503 Service Unavailable. "
        "Check the URL, or save the page and pass the file"
    ]
    assert _Handler.hits["/down.xml"] == 3
    assert sleeps == [0.25, 0.5]


def test_feed_404_is_not_retried(server: str, sleeps: list[float]) -> None:
    _Handler.hits.pop("/nope.xml", None)
    _, errors = fetch_feed_articles(f"{server}/nope.xml", settings=SETTINGS)
    assert [e.problem for e in errors] == ["server answered HTTP 404 Not Found"]
    assert _Handler.hits["/nope.xml"] == 1
    assert sleeps == []


def test_feed_connection_refused_is_retried(sleeps: list[float]) -> None:
    # port 9 (discard) on loopback: nothing listens there in a test sandbox
    _, errors = fetch_feed_articles("http://127.0.0.1:9/rss.xml", settings=SETTINGS)
    assert len(errors) == 1
    assert isinstance(errors[0], FetchError)
    assert errors[0].problem.startswith("cannot fetch: ")
    assert sleeps == [0.25, 0.5]


def test_not_a_feed(server: str) -> None:
    articles, errors = fetch_feed_articles(f"{server}/not-a-feed.xml", settings=SETTINGS)
    assert articles == []
    assert [(e.where, e.problem.split(" (")[0]) for e in errors] == [
        (f"{server}/not-a-feed.xml", "not an RSS or Atom feed")
    ]


def test_download_uses_a_given_client(server: str) -> None:
    with httpx.Client() as client:
        response = download(f"{server}/rss.xml", settings=SETTINGS, client=client)
        assert not client.is_closed
    assert response.status_code == 200
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<rss')
