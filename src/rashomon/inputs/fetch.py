"""http(s) URLs -> Article: redirects, retries, a size cap and a deadline on the whole
download.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

import httpx

from rashomon._version import USER_AGENT
from rashomon.errors import FetchError, InputError
from rashomon.inputs.decode import _decode_declared, _meta_charset
from rashomon.inputs.html import parse_html
from rashomon.inputs.outlets import is_url
from rashomon.inputs.tables import _parse_records, _records_of_json
from rashomon.inputs.text import parse_text
from rashomon.models import Article
from rashomon.settings import Settings

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


def _download(url: str, *, settings: Settings, client: httpx.Client) -> httpx.Response:
    """GET a URL, reading at most ``settings.fetch_max_bytes`` of its body.

    Redirects are followed one by one (at most the client's ``max_redirects``), and the whole
    download, redirects included, must end within ``settings.fetch_timeout_s``: a server that
    trickles its answer cannot hold the fetch for longer. Every single wait (connect, read) is
    bounded by the time left, so the fetch gives up at the latest after about twice that.

    A non-2xx response comes back with an empty body, for the caller to judge.
    """
    limit = settings.fetch_max_bytes
    too_big = FetchError(
        url,
        f"response is larger than {limit} bytes",
        "Raise fetch_max_bytes, or save the article as a file",
    )
    deadline = time.monotonic() + settings.fetch_timeout_s

    def time_left() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(
                url,
                f"took longer than {settings.fetch_timeout_s:g} s in all",
                "Try again later, or raise fetch_timeout_s",
            )
        return left

    request = client.build_request(
        "GET", url, headers={"User-Agent": USER_AGENT}, timeout=time_left()
    )
    for _ in range(client.max_redirects + 1):
        response = client.send(request, stream=True, follow_redirects=False)
        try:
            if response.next_request is not None:
                request = response.next_request
                request.extensions["timeout"] = httpx.Timeout(time_left()).as_dict()
                continue
            if not response.is_success:
                return httpx.Response(
                    response.status_code,
                    headers=response.headers,
                    extensions={"reason_phrase": response.reason_phrase.encode()},
                    request=response.request,
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise too_big
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise too_big
                chunks.append(chunk)
                time_left()
            # A complete, detached response: the body has been read within the limit.
            return httpx.Response(
                response.status_code,
                headers=response.headers,
                content=b"".join(chunks),
                request=response.request,
            )
        finally:
            response.close()
    raise httpx.TooManyRedirects("too many redirects", request=request)


def _response_text(response: httpx.Response, data: bytes, *, url: str, is_html: bool) -> str:
    """Decode with the declared charset (header, then HTML meta), else by detection."""
    declared = response.charset_encoding
    if declared is None and is_html:
        declared = _meta_charset(data)
    return _decode_declared(data, declared, where=url)


RETRY_BACKOFF_S = 0.25  # the first wait before a retry; each later one doubles it


def download(
    url: str,
    *,
    settings: Settings,
    client: httpx.Client | None = None,
    retries: int = 0,
    backoff_s: float = RETRY_BACKOFF_S,
) -> httpx.Response:
    """GET a URL the way ``fetch_url`` does, returning the complete response.

    Args:
        retries: how many times to try again after a connection failure or a 5xx answer,
            waiting ``backoff_s``, then twice as long, and so on.

    Raises:
        FetchError: network failure, timeout, non-2xx status or oversize body.
    """
    if not is_url(url):
        raise FetchError.not_http(url)
    own_client = client is None
    http = client if client is not None else httpx.Client()
    try:
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = _download(url, settings=settings, client=http)
            except (httpx.ConnectError, httpx.ConnectTimeout) as err:
                if last:
                    raise _fetch_error(url, err, settings=settings) from err
                log.info("%s: %s; retrying", url, err)
            except (httpx.HTTPError, httpx.InvalidURL) as err:
                raise _fetch_error(url, err, settings=settings) from err
            else:
                if response.is_success:
                    return response
                if last or response.status_code < 500:
                    raise _status_error(url, response)
                log.info("%s: HTTP %d; retrying", url, response.status_code)
            time.sleep(backoff_s * 2**attempt)
    finally:
        if own_client:
            http.close()
    raise AssertionError("unreachable: the last attempt returns or raises")


def _status_error(url: str, response: httpx.Response) -> FetchError:
    return FetchError(
        url,
        f"server answered HTTP {response.status_code} {response.reason_phrase}".rstrip(),
        "Check the URL, or save the page and pass the file",
    )


def _fetch_error(url: str, err: Exception, *, settings: Settings) -> FetchError:
    if isinstance(err, httpx.TimeoutException):
        return FetchError(
            url,
            f"timed out after {settings.fetch_timeout_s:g} s",
            "Try again later, or raise fetch_timeout_s",
        )
    if isinstance(err, httpx.TooManyRedirects):
        return FetchError(url, "too many redirects", "Check the URL in a browser")
    return FetchError(url, f"cannot fetch: {err}", "Check the URL and your network connection")


def fetch_url(url: str, *, settings: Settings, client: httpx.Client | None = None) -> Article:
    """Download one article: HTML, plain text or a JSON record.

    Follows redirects, sends ``User-Agent: rashomon/<version>``, gives up when the whole download
    takes longer than ``settings.fetch_timeout_s`` and refuses bodies over
    ``settings.fetch_max_bytes``.

    Raises:
        FetchError: network failure, timeout, non-2xx status, oversize or unsupported content.
        InputError: the content holds no article.
    """
    response = download(url, settings=settings, client=client)
    return _article_of_response(response, url=url, settings=settings)


def _article_of_response(response: httpx.Response, *, url: str, settings: Settings) -> Article:
    data = response.content
    if not data.strip():
        raise FetchError(url, "response is empty", "Check the URL in a browser")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    final_url = str(response.url)
    if not content_type:  # no header: sniff
        content_type = "text/html" if data.lstrip()[:1] == b"<" else "text/plain"
    if content_type in ("text/html", "application/xhtml+xml"):
        text = _response_text(response, data, url=url, is_html=True)
        return parse_html(text, source=url, url=final_url, day_first=settings.day_first)
    if content_type in ("text/plain", "text/markdown"):
        text = _response_text(response, data, url=url, is_html=False)
        return parse_text(text, source=url, day_first=settings.day_first)
    if content_type == "application/json" or content_type.endswith("+json"):
        text = _response_text(response, data, url=url, is_html=False)
        parsed = list(_parse_records(_records_of_json(text, url), where=url, settings=settings))
        errors = [item for item in parsed if isinstance(item, InputError)]
        articles = [item for item in parsed if not isinstance(item, InputError)]
        if errors:
            raise errors[0]
        if len(articles) != 1:
            raise FetchError(
                url,
                f"JSON holds {len(articles)} articles, expected one object",
                "Save it as a .json file and pass the file",
            )
        return articles[0]
    raise FetchError(
        url,
        f"unsupported content type '{content_type}'",
        "Give a URL of an HTML page, plain text or JSON",
    )
