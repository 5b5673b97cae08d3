"""Loopback load test of `rashomon serve`: the story list and cached story pages.

    python benchmarks/bench_web.py [--requests 2000] [--concurrency 16] [--pad 100000] [--json]

Builds a corpus in a temp folder with `rashomon ingest` from the project's own invented
articles (the demo story, the quote fixtures and a syndicated copy), compares and caches every
story of two or more outlets with `rashomon story`, and with --pad N adds N more synthetic
articles in stories of 1-4 outlets straight through the store (no models: they only make the
list long). Then it starts `rashomon serve` on a free loopback port, requests every page once
to warm it, and sends --requests GET requests at --concurrency from one asyncio httpx client:
half the story list (its pages 1-3 where there are that many, and a search for "fire"), half
the cached story pages.
Prints requests/s, p50/p95/p99 latency in milliseconds and the error count (any status other
than 200, or a transport error), overall and per kind of page.

    python benchmarks/bench_web.py --ingest --duration 120 [--requests 100000] [--concurrency 16]

With --ingest, a `rashomon ingest` writes invented articles into the corpus while the load
runs (new stories of 2-4 outlets, so the server's background comparer has work, and articles
joining the stories already compared, so their pages are "being updated"). The load runs until
--duration seconds or --requests requests, whichever comes first, over four kinds of page: the
story list, story pages, their comparison JSON (/api/stories/{id}/comparison) and the outlet
profiles. It reports p50/p95/p99/max per kind, the answers by status (202: not compared yet,
not an error), errors, and the server's resident size (VmRSS) sampled every second: at the
start of the load (after warm-up), its maximum, at the end, and the growth end - start; and
apart from it the resident size of the processes the server started (the model worker), and
the maximum of the two together.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from common import ROOT, emit

RASHOMON = str(Path(sys.executable).parent / "rashomon")
INPUTS = [
    ROOT / "examples" / "harbor-fire",
    ROOT / "tests" / "fixtures" / "quotes" / "articles.jsonl",
    ROOT / "tests" / "fixtures" / "corpus" / "syndicated.jsonl",
]
PLACES = ["Orsk", "Tarrow", "Kell", "Vandry", "Mossholm", "Pirrel", "Ostwick", "Lune"]
EVENTS = ["flood", "strike", "fire", "election", "trial", "festival", "storm", "merger"]
OUTLETS = [f"Synthetic Outlet {n}" for n in range(12)]


def _run(*args: str) -> str:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([RASHOMON, *args], capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"rashomon {args[0]} failed ({done.returncode}):\n{done.stderr}")
    return done.stdout


def build(db: Path) -> list[str]:
    """The corpus; returns the ids of the stories with a cached comparison."""
    _run("ingest", *map(str, INPUTS), "--db", str(db))
    compared = []
    for story in json.loads(_run("stories", "--db", str(db), "--format", "json")):
        if len(story["outlets"]) >= 2:
            _run("story", story["id"], "--db", str(db), "-o", os.devnull)
            compared.append(story["id"])
    return compared


def pad(db: Path, n: int, seed: int = 7) -> None:
    """Add ``n`` synthetic articles in stories of 1-4 outlets, without the models."""
    from rashomon.corpus.store import open_store
    from rashomon.inputs.outlets import article_id
    from rashomon.models import Article

    rng = random.Random(seed)
    store = open_store(db)
    made = 0
    with store.atomic():
        while made < n:
            place, event = rng.choice(PLACES), rng.choice(EVENTS)
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            members = []
            for outlet in rng.sample(OUTLETS, rng.randint(1, 4)):
                text = (
                    f"A {event} in {place} on {day} drew {rng.randint(2, 900)} people, "
                    f"{outlet} reported. Officials said more details would follow."
                )
                article = Article(
                    id=article_id(text + str(made)),
                    outlet=outlet,
                    title=f"{place} {event}: {rng.randint(2, 900)} people",
                    date=day,
                    text=text,
                )
                store.add_article(article, ingested_at="2026-01-01T00:00:00+00:00")
                members.append(article.id)
                made += 1
            story_id = "pad-" + members[0][:12]
            store.upsert_story(story_id, title=f"{place} {event}", first_date=day, last_date=day)
            store.set_story_members(story_id, members)
    store.close()


def ingest_inputs(folder: Path, n: int, seed: int = 11) -> list[Path]:
    """``n`` invented articles in JSONL files of 8: events told by 2-4 outlets each, and
    follow-ups of the demo story (the harbour fire) from outlets it does not have yet."""
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    while len(records) < n:
        if rng.random() < 0.25:
            outlet = f"Harbour Follow-up {len(records)}"
            records.append(
                {
                    "outlet": outlet,
                    "title": "Warehouse fire at the harbour: investigators at work",
                    "date": "2024-05-15",
                    "text": (
                        "Investigators returned on Wednesday to the harbour warehouse destroyed "
                        f"by Tuesday's fire, {outlet} reported. Firefighters said about "
                        f"{rng.randint(30, 60)} workers had been evacuated and nobody was "
                        "hurt. The port authority said the cause was still unknown."
                    ),
                }
            )
            continue
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        day = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        people = rng.randint(2, 900)
        for outlet in rng.sample(OUTLETS, rng.randint(2, 4)):
            records.append(
                {
                    "outlet": outlet,
                    "title": f"{place} {event} on {day}",
                    "date": day,
                    "text": (
                        f"A {event} in {place} on {day} drew about {people} people, the "
                        f"organisers said. {outlet} counted {people + rng.randint(-20, 20)}. "
                        f"The mayor of {place} said the town would review what happened. "
                        "Police said two people were questioned and later released."
                    ),
                }
            )
    paths = []
    for start in range(0, n, 8):
        path = folder / f"incoming-{start // 8:04d}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in records[start : start + 8]))
        paths.append(path)
    return paths


def _rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (and theirs), as /proc lists them."""
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        return found
    return found + [grandchild for child in found for grandchild in _children(child)]


def _children_rss_mb(pid: int) -> float:
    """The resident size of every process ``pid`` started (the model worker), summed."""
    return sum(_rss_mb(child) or 0.0 for child in _children(pid))


class RssSampler(threading.Thread):
    """The resident size of process ``pid`` and, apart, of the processes it started,
    sampled every ``every_s`` seconds."""

    def __init__(self, pid: int, every_s: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every_s = pid, every_s
        self.samples: list[tuple[float, float]] = []
        self.child_samples: list[tuple[float, float]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.halt.is_set():
            rss = _rss_mb(self.pid)
            if rss is not None:
                self.samples.append((time.monotonic() - start, rss))
                self.child_samples.append((time.monotonic() - start, _children_rss_mb(self.pid)))
            self.halt.wait(self.every_s)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [RASHOMON, "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"rashomon serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/stories", timeout=5).status_code == 200:
                return proc, base
        except httpx.TransportError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("rashomon serve did not answer in 120 s")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


async def _load(
    base: str,
    paths: list[tuple[str, str]],
    concurrency: int,
    *,
    duration_s: float | None = None,
    statuses: dict[str, dict[int, int]] | None = None,
) -> tuple[float, list[tuple[str, float, bool]]]:
    """GET ``paths`` at ``concurrency``; with ``duration_s``, stop when that time is up.
    With ``statuses``, count answers by kind and status; 202 (not compared yet) is not an
    error there."""
    results: list[tuple[str, float, bool]] = []
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in paths:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    ok_statuses = (200, 202) if statuses is not None else (200,)
    deadline = time.monotonic() + duration_s if duration_s else None
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty() and (deadline is None or time.monotonic() < deadline):
                kind, path = queue.get_nowait()
                start = time.perf_counter()
                try:
                    response = await client.get(path)
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                if statuses is not None:
                    counts = statuses.setdefault(kind, {})
                    counts[status] = counts.get(status, 0) + 1
                ok = status in ok_statuses
                results.append((kind, (time.perf_counter() - start) * 1000, ok))

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    return elapsed, results


def _figures(results: list[tuple[str, float, bool]]) -> dict[str, float]:
    latencies = [ms for _, ms, _ in results]
    if not latencies:
        return {}
    return {
        "p50_ms": round(_percentile(latencies, 50), 2),
        "p95_ms": round(_percentile(latencies, 95), 2),
        "p99_ms": round(_percentile(latencies, 99), 2),
        "max_ms": round(max(latencies), 2),
        "mean_ms": round(statistics.fmean(latencies), 2),
    }


def run_with_ingest(args: argparse.Namespace) -> dict[str, Any]:
    """The load while an ingest writes to the corpus; see the module docstring."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.db"
        stories = build(db)
        if args.pad:
            pad(db, args.pad)
        incoming = ingest_inputs(Path(tmp), args.ingest_articles)
        proc, base = _start(db)
        sampler = RssSampler(proc.pid)
        sampler.start()
        ingest: subprocess.Popen[bytes] | None = None
        try:
            lists = ["/stories", "/stories?q=fire"]
            pages = [f"/stories/{s}" for s in stories]
            apis = [f"/api/stories/{s}/comparison" for s in stories]
            for path in [*lists, *pages, *apis, "/outlets"]:  # warm: every page once
                httpx.get(base + path, timeout=300).raise_for_status()
            kinds = [("list", lists), ("story", pages), ("api_comparison", apis)]
            kinds.append(("outlets", ["/outlets"]))
            plan = [
                (kinds[n % 4][0], kinds[n % 4][1][n // 4 % len(kinds[n % 4][1])])
                for n in range(args.requests)
            ]
            warm_rss = _rss_mb(proc.pid)
            warm_child_rss = _children_rss_mb(proc.pid)
            ingest = subprocess.Popen(
                [RASHOMON, "ingest", *map(str, incoming), "--db", str(db), "--batch-size", "8"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "HF_HUB_OFFLINE": "1", "OMP_NUM_THREADS": "1"},
            )
            statuses: dict[str, dict[int, int]] = {}
            elapsed, results = asyncio.run(
                _load(base, plan, args.concurrency, duration_s=args.duration, statuses=statuses)
            )
            ingest_running = ingest.poll() is None
            end_rss = _rss_mb(proc.pid)
            end_child_rss = _children_rss_mb(proc.pid)
        finally:
            if ingest is not None and ingest.poll() is None:
                ingest.terminate()
                ingest.wait(timeout=60)
            sampler.halt.set()
            proc.terminate()
            proc.wait(timeout=60)
        with open_corpus(db) as store:
            counts = store.counts()
    rss = [mb for _, mb in sampler.samples]
    pairs = zip(sampler.samples, sampler.child_samples, strict=False)  # the sampler may be mid-pair
    totals = [server + child for (_, server), (_, child) in pairs]
    figures: dict[str, Any] = {
        "mode": "ingest",
        "duration_s": round(elapsed, 1),
        "requests": len(results),
        "concurrency": args.concurrency,
        "articles_padded": args.pad,
        "ingest_articles_offered": args.ingest_articles,
        "ingest_still_running_at_end": ingest_running,
        "corpus_articles_at_end": counts.articles,
        "corpus_stories_at_end": counts.stories,
        "corpus_comparisons_at_end": counts.comparisons,
        "requests_per_s": round(len(results) / elapsed, 1),
        "errors": sum(not ok for _, _, ok in results),
        "statuses": {k: dict(sorted(v.items())) for k, v in sorted(statuses.items())},
        "rss_warm_mb": round(warm_rss or 0, 1),
        "rss_max_mb": round(max(rss), 1) if rss else None,
        "rss_end_mb": round(end_rss or 0, 1),
        "rss_growth_mb": round((end_rss or 0) - (warm_rss or 0), 1),
        # the processes the server started (the model worker): not counted above
        "child_rss_warm_mb": round(warm_child_rss, 1),
        "child_rss_max_mb": round(max(c for _, c in sampler.child_samples), 1)
        if sampler.child_samples
        else None,
        "child_rss_end_mb": round(end_child_rss, 1),
        "total_rss_max_mb": round(max(totals), 1) if totals else None,
        **_figures(results),
    }
    for kind, _ in kinds:
        part = [r for r in results if r[0] == kind]
        figures.update({f"{kind}_{k}": v for k, v in _figures(part).items()})
    return figures


def open_corpus(db: Path):  # type: ignore[no-untyped-def]
    from rashomon.corpus.store import open_store

    return open_store(db)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--pad", type=int, default=0, help="synthetic articles to add (no models)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--ingest", action="store_true", help="an ingest writes during the load")
    ap.add_argument("--duration", type=float, default=120.0, help="with --ingest: seconds")
    ap.add_argument("--ingest-articles", type=int, default=400, help="with --ingest")
    args = ap.parse_args()
    if args.ingest:
        emit(run_with_ingest(args), as_json=args.json)
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "corpus.db"
        stories = build(db)
        if not stories:
            raise SystemExit("no story of two or more outlets to request")
        if args.pad:
            pad(db, args.pad)
        pages = [f"/stories/{s}" for s in stories]
        proc, base = _start(db)
        try:
            total = httpx.get(base + "/api/stories", timeout=60).json()["total"]
            # the first pages of the list (as many of 1-3 as there are) and a text search
            lists = [f"/stories?page={n}" for n in range(2, 4) if total > (n - 1) * 50]
            lists = ["/stories", *lists, "/stories?q=fire"]
            for path in lists + pages:  # warm: every page once
                httpx.get(base + path, timeout=300).raise_for_status()
            plan = [
                ("list", lists[n // 2 % len(lists)])
                if n % 2 == 0
                else ("story", pages[n // 2 % len(pages)])
                for n in range(args.requests)
            ]
            elapsed, results = asyncio.run(_load(base, plan, args.concurrency))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    figures: dict[str, Any] = {
        "requests": len(results),
        "concurrency": args.concurrency,
        "articles_padded": args.pad,
        "requests_per_s": round(len(results) / elapsed, 1),
        **_figures(results),
        "errors": sum(not ok for _, _, ok in results),
    }
    for kind in ("list", "story"):
        part = [r for r in results if r[0] == kind]
        figures.update({f"{kind}_{k}": v for k, v in _figures(part).items()})
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
