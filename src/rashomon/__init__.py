"""rashomon: see how different news outlets tell the same story."""

from __future__ import annotations

__version__ = "0.1.0"

from rashomon.models import Article, Comparison
from rashomon.pipeline import compare
from rashomon.settings import Settings, load_settings

__all__ = ["Article", "Comparison", "Settings", "__version__", "compare", "load_settings"]
