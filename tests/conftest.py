"""Shared fixtures: the real models, loaded once per test session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "harbor-fire"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def parser():  # type: ignore[no-untyped-def]
    from rashomon.backends import SpacyParser

    return SpacyParser()


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    from rashomon.backends import SentenceEmbedder

    return SentenceEmbedder()


@pytest.fixture(scope="session")
def harbor_comparison():  # type: ignore[no-untyped-def]
    """The bundled demo story compared with the real models (the demo's code path)."""
    from rashomon.pipeline import compare

    return compare(sorted(EXAMPLES.iterdir()))
