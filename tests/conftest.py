"""Shared fixtures: the real models, loaded once per test session."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from rashomon.backends import NO_MODELS_ENV

if TYPE_CHECKING:
    from playwright.sync_api import Browser

    from rashomon.backends import SentenceEmbedder, SpacyParser
    from rashomon.models import Comparison

os.environ.setdefault("HF_HUB_OFFLINE", "1")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "harbor-fire"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RASHOMON = Path(sys.executable).parent / "rashomon"
# Debian's Chromium, headless, as the browser tests drive it
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
# Environment that would change how rich prints to stderr, or which settings are used.
_DROPPED = {"COLUMNS", "LINES", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"}


# Fixtures that load a real model: a test that uses one is marked `models` here.
_MODEL_FIXTURES = frozenset({"parser", "embedder", "harbor_comparison"})


def pytest_configure(config: pytest.Config) -> None:
    if "not models" in (config.getoption("markexpr") or ""):
        os.environ[NO_MODELS_ENV] = "1"  # a model loaded in the fast lane is an error


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _MODEL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.models)


def run_rashomon(
    *args: str | Path, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """The console script as a user runs it, offline, without RASHOMON_* settings."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in _DROPPED and (not k.startswith("RASHOMON_") or k == NO_MODELS_ENV)
    }
    env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run(
        [str(RASHOMON), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium through Playwright, one per test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def parser() -> SpacyParser:
    from rashomon.backends import SpacyParser

    return SpacyParser()


@pytest.fixture(scope="session")
def embedder() -> SentenceEmbedder:
    from rashomon.backends import SentenceEmbedder

    return SentenceEmbedder()


@pytest.fixture(scope="session")
def harbor_comparison() -> Comparison:
    """The bundled demo story compared with the real models (the demo's code path)."""
    from rashomon.pipeline import compare

    return compare(sorted(EXAMPLES.iterdir()))
