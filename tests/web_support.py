"""A real corpus and a real `rashomon serve` process for the web tests.

The corpus is built from the project's own invented fixture articles with `rashomon ingest`, and
the server is the command a user runs, on a free port of 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

from conftest import EXAMPLES, FIXTURES, RASHOMON, run_rashomon

# the demo story (4 outlets), 35 single-article stories, a syndicated copy of the agency story,
# and a story of two articles whose every field carries script and markup
CORPUS_INPUTS = (
    str(EXAMPLES),
    str(FIXTURES / "quotes" / "articles.jsonl"),
    str(FIXTURES / "corpus" / "syndicated.jsonl"),
    str(FIXTURES / "web" / "hostile.jsonl"),
)


def env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "200"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_corpus(
    db: Path, inputs: Sequence[str] = CORPUS_INPUTS, *, compare: bool = True
) -> list[dict[str, object]]:
    """Ingest ``inputs`` into ``db``, compare (and so cache) every story of two or more outlets
    unless ``compare`` is False (the server then compares them in the background), and return
    the stories as `rashomon stories --format json` lists them."""
    result = run_rashomon("ingest", *inputs, "--db", str(db))
    assert result.returncode == 0, result.stderr
    listed = run_rashomon("stories", "--db", str(db), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    stories: list[dict[str, object]] = json.loads(listed.stdout)
    for story in stories:
        outlets = story["outlets"]
        assert isinstance(outlets, list)
        if compare and len(outlets) >= 2:
            compared = run_rashomon("story", str(story["id"]), "--db", str(db), "-o", os.devnull)
            assert compared.returncode == 0, compared.stderr
    return stories


def wait_until_compared(
    base: str, stories: Sequence[dict[str, object]], *, timeout_s: float = 600
) -> None:
    """Poll the API until the server has compared every story of two or more outlets (202
    until then: it compares them in the background, never in a request)."""
    deadline = time.monotonic() + timeout_s
    for story in stories:
        outlets = story["outlets"]
        assert isinstance(outlets, list)
        if len(outlets) < 2:
            continue
        url = f"{base}/api/stories/{story['id']}/comparison"
        while (status := httpx.get(url, timeout=30).status_code) == 202:
            if time.monotonic() > deadline:
                raise AssertionError(f"story {story['id']} not compared in {timeout_s} s")
            time.sleep(0.5)
        assert status == 200, (url, status)


@contextmanager
def serve(db: Path, *extra: str, timeout_s: float = 90) -> Iterator[str]:
    """Run `rashomon serve` on a free port until the block ends; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen(
        [str(RASHOMON), "serve", "--db", str(db), "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env(),
    )
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            if proc.poll() is not None:
                output = proc.stdout.read() if proc.stdout else ""
                raise AssertionError(f"rashomon serve exited with {proc.returncode}:\n{output}")
            try:
                if httpx.get(base + "/stories", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"rashomon serve did not answer on {base} in {timeout_s} s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
