"""The Jinja2 environment of the web app: autoescape on for every template."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

TEMPLATES = Path(__file__).parent / "templates"


def is_web_url(url: str | None) -> bool:
    """Only http(s) URLs ever become links."""
    return bool(url) and urlsplit(str(url).strip()).scheme.lower() in ("http", "https")


def path_part(value: str) -> str:
    """``value`` quoted for one URL path segment (slashes too)."""
    return quote(value, safe="")


templates = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,  # every template, whatever its name: article text and titles are untrusted
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
templates.tests["web_url"] = is_web_url
templates.filters["path_part"] = path_part
