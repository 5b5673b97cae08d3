"""`rashomon serve` as a user runs it: a real process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

RASHOMON = str(Path(sys.executable).parent / "rashomon")


def _env() -> dict[str, str]:
    return {**os.environ, "HF_HUB_OFFLINE": "1"}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_refuses_a_missing_corpus(tmp_path: Path) -> None:
    result = subprocess.run(
        [RASHOMON, "serve", "--db", str(tmp_path / "none.db")],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "none.db: no such corpus file. Create it with: rashomon ingest" in result.stderr
    assert not (tmp_path / "none.db").exists()


def test_serve_answers_on_loopback_and_refuses_other_host_names(tmp_path: Path) -> None:
    from rashomon.corpus.store import open_store

    db = tmp_path / "corpus.db"
    open_store(db).close()
    port = _free_port()
    proc = subprocess.Popen(
        [RASHOMON, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                listed = httpx.get(f"{base}/api/stories", timeout=5)
                break
            except httpx.TransportError:
                assert proc.poll() is None, "rashomon serve exited"
                assert time.monotonic() < deadline, "rashomon serve did not answer in 90 s"
                time.sleep(0.3)
        rebound = httpx.get(f"{base}/stories", headers={"Host": "attacker.example"}, timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    assert listed.json() == {"items": [], "page": 1, "per_page": 50, "total": 0}
    assert listed.headers["content-security-policy"].startswith("default-src 'none'")
    assert rebound.status_code == 400


def _wait_until_up(proc: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            httpx.get(f"{base}/api/stories", timeout=5)
            return
        except httpx.TransportError:
            assert proc.poll() is None, "rashomon serve exited"
            assert time.monotonic() < deadline, "rashomon serve did not answer in 90 s"
            time.sleep(0.3)


def test_serve_on_every_interface_still_checks_the_host_name(tmp_path: Path) -> None:
    from rashomon.corpus.store import open_store

    db = tmp_path / "corpus.db"
    open_store(db).close()
    port = _free_port()
    proc = subprocess.Popen(
        [RASHOMON, "serve", "--db", str(db), "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(proc, base)
        rebound = httpx.get(f"{base}/stories", headers={"Host": "attacker.example"}, timeout=5)
        by_name = httpx.get(
            f"{base}/api/stories", headers={"Host": f"{socket.gethostname()}:{port}"}, timeout=5
        )
        local = httpx.get(f"{base}/api/stories", timeout=5)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        assert proc.stderr is not None
        proc.stderr.close()
    assert rebound.status_code == 400
    assert by_name.status_code == 200
    assert local.status_code == 200


def test_allowed_hosts_of_serve() -> None:
    from rashomon.cli import allowed_hosts

    loopback = ["127.0.0.1", "localhost", "::1", "[::1]"]
    assert allowed_hosts("127.0.0.1") == loopback
    assert allowed_hosts("127.0.0.1", ["news.example"]) == loopback
    assert allowed_hosts("10.1.2.3", ["News.Example"]) == [*loopback, "10.1.2.3", "news.example"]
    everywhere = allowed_hosts("0.0.0.0")
    assert socket.gethostname().lower() in everywhere
    assert "*" not in everywhere
    assert "0.0.0.0" not in everywhere
