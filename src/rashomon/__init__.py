"""rashomon: see how different news outlets tell the same story.

The package imports nothing heavy until a name is used (PEP 562): ``import rashomon`` and
``rashomon --help`` load no models, no spaCy, no torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from rashomon._version import __version__

if TYPE_CHECKING:
    from rashomon.models import Article, Comparison
    from rashomon.pipeline import compare
    from rashomon.schema import to_json
    from rashomon.settings import Settings, load_settings

# public name -> the module that defines it
_EXPORTS = {
    "Article": "rashomon.models",
    "Comparison": "rashomon.models",
    "compare": "rashomon.pipeline",
    "to_json": "rashomon.schema",
    "Settings": "rashomon.settings",
    "load_settings": "rashomon.settings",
}

__all__ = [
    "Article",
    "Comparison",
    "Settings",
    "__version__",
    "compare",
    "load_settings",
    "to_json",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'rashomon' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
