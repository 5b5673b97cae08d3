"""The one version string: the package metadata, the JSON generator field, the store's cache
and the HTTP User-Agent all read it from here."""

from __future__ import annotations

__version__ = "0.1.0"
USER_AGENT = f"rashomon/{__version__}"
