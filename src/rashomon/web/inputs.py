"""Articles from a "compare now" request: pasted texts, uploaded files and URLs, with limits.

Everything here is untrusted. URLs must be http(s) and, unless the app allows it, must not
resolve to a private, loopback, link-local or otherwise internal address; the check runs again
on every redirect, because it hooks each request the fetch client sends.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

import httpx

from rashomon.errors import (
    FetchError,
    InputError,
    NotEnoughArticlesError,
    TooLargeError,
    TooManyInputsError,
)
from rashomon.ingest import parse_html, parse_text
from rashomon.models import Article
from rashomon.readers import HTML_SUFFIXES, TEXT_SUFFIXES, decode_bytes, fetch_url, unique_ids
from rashomon.settings import Settings


@dataclass(frozen=True, slots=True, kw_only=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadInputs:
    articles: tuple[Article, ...]
    rejected: tuple[InputError, ...]


def read_compare_inputs(
    *,
    texts: Sequence[str],
    uploads: Sequence[Upload],
    urls: Sequence[str],
    settings: Settings,
    max_inputs: int,
    max_file_bytes: int,
    allow_private_urls: bool,
) -> ReadInputs:
    """Read what a "compare now" request sent; blank texts and lines are ignored.

    Raises:
        TooManyInputsError: more than ``max_inputs`` texts, files and URLs together.
        TooLargeError: a text or file above ``max_file_bytes``.
        NotEnoughArticlesError: fewer than two usable articles (the message lists why).
    """
    texts = [t for t in texts if t.strip()]
    urls = [u.strip() for u in urls if u.strip()]
    uploads = [u for u in uploads if u.name or u.data]
    count = len(texts) + len(uploads) + len(urls)
    if count > max_inputs:
        raise TooManyInputsError(
            "compare", f"{count} inputs sent, at most {max_inputs} are allowed", "Send fewer"
        )
    for n, text in enumerate(texts, start=1):
        if len(text.encode("utf-8")) > max_file_bytes:
            raise TooLargeError(f"text {n}", f"larger than {max_file_bytes} bytes", "Shorten it")
    for upload in uploads:
        if len(upload.data) > max_file_bytes:
            raise TooLargeError(
                _display_name(upload.name), f"larger than {max_file_bytes} bytes", "Shorten it"
            )
    articles: list[Article] = []
    rejected: list[InputError] = []
    items: list[tuple[str, str | Upload]] = [("text", t) for t in texts]
    items += [("file", u) for u in uploads] + [("url", u) for u in urls]
    for n, (kind, item) in enumerate(items, start=1):
        try:
            if isinstance(item, Upload):
                articles.append(_read_upload(item, settings=settings))
            elif kind == "url":
                articles.append(
                    fetch_article(item, settings=settings, allow_private=allow_private_urls)
                )
            else:
                articles.append(
                    parse_text(item, source=f"<text {n}>", day_first=settings.day_first)
                )
        except InputError as err:
            rejected.append(err)
    if len(articles) < 2:
        reasons = "; ".join(str(e) for e in rejected)
        raise NotEnoughArticlesError(
            f"compare needs at least two usable articles, got {len(articles)}"
            + (f"; rejected: {reasons}" if reasons else "")
            + ". Paste two texts, upload two files or give two URLs"
        )
    return ReadInputs(articles=tuple(unique_ids(articles)), rejected=tuple(rejected))


def _display_name(name: str) -> str:
    """The file name without any folder a browser may send."""
    return PurePath(name.replace("\\", "/")).name or "<upload>"


def _read_upload(upload: Upload, *, settings: Settings) -> Article:
    name = _display_name(upload.name)
    suffix = PurePath(name).suffix.lower()
    if suffix not in HTML_SUFFIXES | TEXT_SUFFIXES:
        raise InputError(
            name,
            f"unsupported file type '{suffix}'",
            "Upload a text (.txt, .md) or HTML (.html) file, or paste the text",
        )
    text = decode_bytes(upload.data, name)
    if suffix in HTML_SUFFIXES or (suffix == "" and text.lstrip()[:1] == "<"):
        return parse_html(text, source=name, day_first=settings.day_first)
    return parse_text(text, source=name, day_first=settings.day_first)


def fetch_article(
    url: str, *, settings: Settings, allow_private: bool, client: httpx.Client | None = None
) -> Article:
    """Fetch one article URL (``readers.fetch_url``), refusing internal hosts unless allowed.

    Args:
        client: the HTTP client to use (a new one when None); the address check is added to
            its request hooks, so it also runs on every redirect.

    Raises:
        FetchError: not http(s), an internal host, or the fetch failed.
    """
    check_url(url, allow_private=allow_private)
    with contextlib.ExitStack() as stack:
        http = client if client is not None else stack.enter_context(httpx.Client())
        if not allow_private and _check_request not in http.event_hooks["request"]:
            http.event_hooks["request"].append(_check_request)
        return fetch_url(url, settings=settings, client=http)
    raise AssertionError("unreachable: the block returns or raises")


def _check_request(request: httpx.Request) -> None:
    check_url(str(request.url), allow_private=False)


def check_url(url: str, *, allow_private: bool) -> None:
    """Refuse anything but http(s) URLs, and hosts with an internal address unless allowed.

    Raises:
        FetchError: the URL is refused; the message says why.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        port = parts.port
    except ValueError as err:
        raise FetchError(url, f"not a valid URL ({err})", "Check the URL") from err
    if parts.scheme.lower() not in ("http", "https") or not host:
        raise FetchError(url, "not an http(s) URL", "Give a URL starting with http:// or https://")
    if allow_private:
        return
    for address in _addresses(url, host, port):
        if not address.is_global or address.is_multicast:
            raise FetchError(
                url,
                f"refused: {host} resolves to the internal address {address}",
                "Only public web addresses can be fetched (start the server with "
                "--allow-private-urls to fetch from this network)",
            )


def _addresses(
    url: str, host: str, port: int | None
) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as err:
        raise FetchError(url, f"cannot resolve {host} ({err})", "Check the URL") from err
    # an IPv6 scope ("fe80::1%eth0") is not part of the address
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
