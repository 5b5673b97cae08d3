"""Page metadata a reader sees: the outlet's own name, a title without the site's suffix, and
placeholders (a CMS name for a title, "No Author") that are no metadata at all.

Pure: strings in, strings out.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

# A host that names no outlet: an address or a name of this machine (a page served by a local
# feed or proxy).
_LOCAL_HOSTS = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# "No Author", "Unknown", "N/A", "Anonymous", "admin": what a CMS writes when no one is named.
_PLACEHOLDER_AUTHOR = re.compile(
    r"(?:(?:no|unknown|anonymous|none|null|n/?a|not available)(?:\s+(?:author|byline|name))?"
    r"|(?:site\s+)?admin(?:istrator)?|author|byline|undefined)",
    re.IGNORECASE,
)
# A title that is one lower-case word is a template or CMS name ("escenic", "index"), not a
# headline: headlines start with a capital or a digit and have several words.
_PLACEHOLDER_TITLE = re.compile(r"[a-z][a-z0-9_-]*|untitled(?: document)?|home(?: ?page)?")
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|\u2013—·•:»]|-{1,2})\s+")


def is_host_like(name: str) -> bool:
    """Whether a name is a host or an address ("theguardian.com", "127.0.0.1"), not a name."""
    text = name.strip().lower()
    if not text or " " in text:
        return False
    return "." in text or text in _LOCAL_HOSTS


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def outlet_host(host: str) -> str | None:
    """The outlet's domain of a host: "www." and sub-domains folded (edition.cnn.com -> cnn.com).

    The registered domain comes from the public suffix list ("news.bbc.co.uk" -> "bbc.co.uk");
    a host under a suffix the list does not know keeps its last two labels. An address or a
    local name names no outlet (None).
    """
    host = host.strip().lower()
    if host.count(":") == 1:  # "127.0.0.1:8000": a port, not part of the name
        host = host.split(":")[0]
    host = host.rstrip(".")
    if not host or _is_address(host) or host in _LOCAL_HOSTS or "." not in host:
        return None
    from tld import get_fld  # imported here: it loads the public suffix list (~0.1 s)

    registered = get_fld(host, fix_protocol=True, fail_silently=True)
    if isinstance(registered, str) and registered:
        return registered
    labels = host.removeprefix("www.").split(".")
    return ".".join(labels[-2:])


def outlet_of_url(url: str) -> str | None:
    host = urlsplit(url.strip()).hostname
    return outlet_host(host) if host else None


def outlet_name(site_name: str | None, url: str | None) -> str | None:
    """The outlet's own name where the page gives one (og:site_name, JSON-LD publisher), else
    its folded domain."""
    if site_name and site_name.strip() and not is_host_like(site_name):
        return " ".join(site_name.split())
    if site_name and is_host_like(site_name):
        folded = outlet_host(site_name)
        if folded:
            return folded
    return outlet_of_url(url) if url else None


def clean_author(author: str | None) -> str | None:
    """None for a placeholder author ("No Author", "Unknown"); else the author as given."""
    if author is None or _PLACEHOLDER_AUTHOR.fullmatch(author.strip()):
        return None
    return author


def is_placeholder_title(title: str) -> bool:
    return _PLACEHOLDER_TITLE.fullmatch(title.strip()) is not None


def _squash(text: str) -> str:
    folded = re.sub(r"[^0-9a-z]+", "", text.casefold())
    return folded.removeprefix("the")


def strip_site_suffix(title: str, *names: str | None) -> str:
    """Drop a trailing (or leading) " | The Daily Courier" that names the site itself.

    The part cut off must be one of ``names`` (the site name, the outlet, the domain's first
    label) once case, spaces, punctuation and a leading "the" are ignored, so a colon or a dash
    inside a headline stays.
    """
    wanted = {_squash(n) for n in names if n} | {
        _squash(n.split(".")[0]) for n in names if n and is_host_like(n)
    }
    wanted.discard("")
    parts = _TITLE_SEPARATOR.split(title.strip())
    if len(parts) < 2 or not wanted:
        return title
    if _squash(parts[-1]) in wanted:
        kept = title[: _last_separator(title).start()].strip()
        return kept or title
    if _squash(parts[0]) in wanted:
        kept = title[_TITLE_SEPARATOR.search(title).end() :].strip()  # type: ignore[union-attr]
        return kept or title
    return title


def _last_separator(title: str) -> re.Match[str]:
    return list(_TITLE_SEPARATOR.finditer(title))[-1]
