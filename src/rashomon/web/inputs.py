"""Articles from a "compare now" request: pasted texts, uploaded files and URLs, with limits.

Everything here is untrusted. URLs must be http(s) and, unless the app allows it, must not
resolve to a private, loopback, link-local or otherwise internal address. The check runs where
the connection is made: the fetch client's network backend resolves each host name once, refuses
it when any of its addresses is internal, and connects to exactly the address it checked, so a
DNS answer that changes between the check and the connection (DNS rebinding) cannot slip
through. A hook on every request the client sends (redirects included) refuses internal URLs
before they are sent.
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from urllib.parse import urlsplit

import httpcore
import httpx

from rashomon.errors import (
    FetchError,
    InputError,
    NotEnoughArticlesError,
    TooLargeError,
    TooManyInputsError,
)
from rashomon.inputs.decode import decode_bytes
from rashomon.inputs.fetch import fetch_url
from rashomon.inputs.files import BYTES_SUFFIXES, iter_file_bytes, unique_ids
from rashomon.inputs.html import parse_html
from rashomon.inputs.overrides import apply_overrides
from rashomon.inputs.text import parse_text
from rashomon.models import Article
from rashomon.settings import Settings

log = logging.getLogger(__name__)

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_OUTLET_CHARS = 200  # an outlet name given with a pasted text


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
    outlets: Sequence[str] = (),
) -> ReadInputs:
    """Read what a "compare now" request sent; blank texts and lines are ignored.

    ``outlets[n]``, when given and not blank, names the outlet of ``texts[n]``. Uploads are
    read as the CLI reads files (text, Markdown, HTML, JSON and JSON Lines records such as
    news-please's); each record that cannot be read is rejected, the others are kept.

    Raises:
        TooManyInputsError: more than ``max_inputs`` texts, files and URLs together, or more
            than ``max_inputs`` articles once the files' records are read.
        TooLargeError: a text or file above ``max_file_bytes``.
        InputError: an outlet name longer than ``MAX_OUTLET_CHARS`` or not valid Unicode.
        NotEnoughArticlesError: fewer than two usable articles (the message lists why).
    """
    named = [(t, outlets[n] if n < len(outlets) else "") for n, t in enumerate(texts)]
    named = [(t, " ".join(o.split())) for t, o in named if t.strip()]
    texts = [t for t, _ in named]
    urls = [u.strip() for u in urls if u.strip()]
    for n, (_, outlet) in enumerate(named, start=1):
        _check_outlet_name(outlet, n)
    for kind, values in (("text", texts), ("URL", urls)):
        for n, value in enumerate(values, start=1):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(
                    f"{kind} {n}", "holds a lone surrogate, which is not text", "Send valid Unicode"
                ) from None
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
                found, failed = _read_upload(item, settings=settings)
                articles += found
                rejected += failed
            elif kind == "url":
                articles.append(
                    fetch_article(item, settings=settings, allow_private=allow_private_urls)
                )
            else:
                article = parse_text(item, source=f"<text {n}>", day_first=settings.day_first)
                outlet = named[n - 1][1]
                if outlet:  # as `compare --outlet "<text 1>=NAME"` would set it
                    (article,) = apply_overrides(
                        [article], outlets={f"<text {n}>": outlet}, dates={}
                    )
                articles.append(article)
        except InputError as err:
            rejected.append(err)
        if len(articles) > max_inputs:
            raise TooManyInputsError(
                "compare",
                f"more than {max_inputs} articles sent (files count each record they hold)",
                "Send fewer, or split the file",
            )
    if len(articles) < 2:
        raise NotEnoughArticlesError(
            len(articles),
            rejected=rejected,
            fix="Paste two texts, upload two files or give two URLs",
        )
    return ReadInputs(articles=tuple(unique_ids(articles)), rejected=tuple(rejected))


def _display_name(name: str) -> str:
    """The file name without any folder a browser may send."""
    return PurePath(name.replace("\\", "/")).name or "<upload>"


def _check_outlet_name(outlet: str, n: int) -> None:
    try:
        outlet.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError(
            f"outlet of text {n}", "holds a lone surrogate, which is not text", "Send valid Unicode"
        ) from None
    if len(outlet) > MAX_OUTLET_CHARS:
        raise InputError(
            f"outlet of text {n}",
            f"{len(outlet)} characters long, at most {MAX_OUTLET_CHARS} are allowed",
            "Give the outlet's name only",
        )


def _read_upload(upload: Upload, *, settings: Settings) -> tuple[list[Article], list[InputError]]:
    """The articles of an uploaded file, read as the CLI reads a file of its suffix (a file
    without one is HTML when it starts with '<'), and an error for each bad record."""
    name = _display_name(upload.name)
    suffix = PurePath(name).suffix.lower()
    if suffix not in BYTES_SUFFIXES:
        raise InputError(
            name,
            f"unsupported file type '{suffix}'",
            "Upload a text (.txt, .md), HTML (.html), JSON or JSON Lines (.json, .jsonl) file, "
            "or paste the text",
        )
    if suffix == "":
        text = decode_bytes(upload.data, name)
        if text.lstrip()[:1] == "<":
            return [parse_html(text, source=name, day_first=settings.day_first)], []
    articles: list[Article] = []
    errors: list[InputError] = []
    try:
        for item in iter_file_bytes(upload.data, name, suffix=suffix, settings=settings):
            if isinstance(item, InputError):
                errors.append(item)
            else:
                articles.append(item)
    except InputError as err:
        errors.append(err)
    except Exception as err:  # as the CLI's reader: one broken file never sinks the request
        log.debug("%s: reading the upload failed", name, exc_info=True)
        errors.append(InputError.unexpected(err, name))
    return articles, errors


def fetch_article(
    url: str, *, settings: Settings, allow_private: bool, client: httpx.Client | None = None
) -> Article:
    """Fetch one article URL (``readers.fetch_url``), refusing internal hosts unless allowed.

    Args:
        client: the HTTP client to use. None: a new client whose connections are checked where
            they are made (see the module docstring). A client given keeps its own transport;
            the address check is added to its request hooks, so it runs on every redirect.

    Raises:
        FetchError: not http(s), an internal host, or the fetch failed.
    """
    check_url(url, allow_private=allow_private)
    with contextlib.ExitStack() as stack:
        if client is not None:
            http = client
        elif allow_private:
            http = stack.enter_context(httpx.Client())
        else:
            http = stack.enter_context(httpx.Client(transport=PublicOnlyTransport()))
        if not allow_private and _check_request not in http.event_hooks["request"]:
            http.event_hooks["request"].append(_check_request)
        try:
            return fetch_url(url, settings=settings, client=http)
        except FetchError as err:
            # the refusal of a connection, raised inside httpx, comes back wrapped
            refused = _refusal_in(err)
            if refused is not None:
                _refuse_internal(url, refused.host, refused.address)
            raise
    raise AssertionError("unreachable: the block returns or raises")


def _refusal_in(err: BaseException) -> InternalAddressError | None:
    """The ``InternalAddressError`` among the causes of ``err``."""
    seen: BaseException | None = err
    while seen is not None:
        if isinstance(seen, InternalAddressError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


class InternalAddressError(httpcore.ConnectError):
    """A connection refused because the host resolves to an internal address."""

    def __init__(self, host: str, address: Address) -> None:
        super().__init__(f"refused: {host} resolves to the internal address {address}")
        self.host = host
        self.address = address


class PublicOnlyBackend(httpcore.SyncBackend):
    """Connects only to global addresses: resolves the host once, checks every address it
    resolves to, then connects to exactly those addresses (TLS still names the host)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            addresses = _addresses(f"{host}:{port}", host, port)
        except FetchError as err:
            raise httpcore.ConnectError(str(err)) from None
        for address in addresses:
            if is_internal(address):
                raise InternalAddressError(host, address)
        last: Exception | None = None
        for address in dict.fromkeys(addresses):  # in resolver order, each once
            try:
                return super().connect_tcp(
                    str(address),
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                last = err
        if last is not None:
            raise last
        raise httpcore.ConnectError(f"{host} resolves to no address")


class PublicOnlyTransport(httpx.HTTPTransport):
    """``httpx.HTTPTransport`` (no proxy) over :class:`PublicOnlyBackend`."""

    def __init__(self) -> None:
        super().__init__(trust_env=False)
        limits = httpx.Limits()
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=PublicOnlyBackend(),
        )


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
        raise FetchError.not_http(url)
    if allow_private:
        return
    for address in _addresses(url, host, port):
        _refuse_internal(url, host, address)


NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: IPv4 in the last 32 bits
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # RFC 8215: local use
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d
# IETF protocol assignments that older Pythons count as global; only .9 and .10 are
IETF_PROTOCOL = ipaddress.IPv4Network("192.0.0.0/24")
IETF_GLOBAL = frozenset(ipaddress.IPv4Address(f"192.0.0.{n}") for n in (9, 10))


def is_internal(address: Address) -> bool:
    """Whether ``address`` is not a public unicast address, or wraps an IPv4 one that is not."""
    if not address.is_global or address.is_multicast:
        return True
    if isinstance(address, ipaddress.IPv4Address):
        return address in IETF_PROTOCOL and address not in IETF_GLOBAL
    embedded: list[ipaddress.IPv4Address] = []
    if address.ipv4_mapped is not None:
        embedded.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        embedded.append(address.sixtofour)
    if address.teredo is not None:
        embedded.extend(address.teredo)
    if address in LOCAL_NAT64:
        return True  # the IPv4 address may sit anywhere in it, and it is a local network
    if address in NAT64 or address in IPV4_COMPATIBLE:
        embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return any(is_internal(inner) for inner in embedded)


def _refuse_internal(url: str, host: str, address: Address) -> None:
    if is_internal(address):
        raise FetchError(
            url,
            f"refused: {host} resolves to the internal address {address}",
            "Only public web addresses can be fetched (start the server with "
            "--allow-private-urls to fetch from this network)",
        )


def _addresses(url: str, host: str, port: int | None) -> list[Address]:
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
