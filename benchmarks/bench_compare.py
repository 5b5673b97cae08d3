"""Time `compare` on two synthetic ~600-word articles about one invented event.

    python benchmarks/bench_compare.py [--json] [--seed N] [--repeats N] [--profile N]

Both articles come from this file's own generator (templates filled with invented names and
numbers from random.Random(seed)); they share some facts, word them differently, disagree on
one number and each carry facts of their own. Measured in one run:
- warm_s: median `compare_articles` time with the models already loaded;
- models_s: median time of the model calls alone on the same input (spaCy parse of both texts,
  MiniLM encoding of the same sentence texts); ratio = warm_s / models_s. Warm and model-only
  runs take turns, so a slow spell of a shared machine affects both;
- cold_s: wall time of a fresh `rashomon compare a.txt b.txt -f json` process minus a fresh
  process that only loads the two models and encodes one sentence (both raw times are shown;
  each is the median of --cold-repeats runs, after the models' files are in the page cache);
- peak_rss_mb of this process, and of the cold compare and loader children (cold_peak_rss_mb,
  loader_peak_rss_mb; read with wait4, so each is that child's own).
--profile N prints cProfile tables of one warm compare to stderr: overall and rashomon's own.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import emit
from rashomon.analyze.align import load_pair_model
from rashomon.analyze.compose import compare_articles
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.models import Article, Comparison
from rashomon.settings import Settings

# fmt: off
# Word lists stay packed: one word per line would bury the templates below.
SYLLABLES = [
    "val", "mor", "tes", "ka", "lin", "dor", "bre", "an", "ost", "wick",
    "fen", "ar", "lo", "quin", "sa", "rel", "tor", "ham", "mi", "vos",
]
FIRST = [
    "Ilka", "Doran", "Mireva", "Tobin", "Saskia", "Levon",
    "Ardis", "Petra", "Jorund", "Nalia", "Casimir", "Edda",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
MONTHS = ["March", "April", "May", "June", "September", "October"]
# fmt: on

# Facts both articles report, in two wordings: (article A, article B).
SHARED = [
    (
        "Workers fled the {company} plant in {town} on {day} after a storage tank began "
        "leaking {chem} into the {river} River.",
        "A tank at the {company} site in {town} leaked {chem} into the {river} River on "
        "{day}, forcing staff to leave the plant.",
    ),
    (
        "About {workers} workers left the site within {minutes} minutes, officials said.",
        "Officials said roughly {workers} employees were evacuated in {minutes} minutes.",
    ),
    (
        "Fire chief {chief} said crews had stopped the leak by {hour} p.m.",
        "The leak was stopped by {hour} p.m., according to fire chief {chief}.",
    ),
    (
        "The tank held {volume} liters of {chem} when the seal failed.",
        "When its seal gave way, the tank contained {volume} liters of the chemical.",
    ),
    (
        "Downstream, the town of {town2} closed its water intake as a precaution.",
        "{town2}, further down the river, shut its water intake as a precaution.",
    ),
    (
        "The plant was last inspected by state regulators in {year}.",
        "State regulators last inspected the plant in {year}.",
    ),
]
# One fact with a different number in each article.
CONFLICT = (
    "{injured_a} people were taken to {hospital} Hospital with breathing problems.",
    "{hospital} Hospital treated {injured_b} people for breathing problems.",
)
ONLY_A = [
    "Mayor {mayor} praised the response and asked residents to stay away from the river "
    "for {days} days.",
    "Local schools closed early on {day} while crews pumped water out of the loading bay.",
]
ONLY_B = [
    "{company} said it would pay for water testing along {km} kilometers of the river.",
    "A union representative, {union}, said workers had reported a faulty valve in {month}.",
]
# Background, each used at most once per article; story-level values come from event().
BACKGROUND = [
    "Residents gathered at the {venue} on {street} Street to ask questions about the {topic}.",
    "Traffic on Route {route} was diverted for {hours} hours as {vehicles} moved in and out of "
    "the area.",
    "The {river} River supplies water to about {pop} people in {count} towns along its banks.",
    "In {year2}, a similar leak at a {facility} in {town3} forced {n} families from their homes.",
    "The environmental group {group} said it would {group_action}.",
    "A spokesperson for the state environment agency, {person}, said samples would be tested "
    "at a laboratory in {city}.",
    "{company} employs about {staff} people in the region and opened the {town} plant in {opened}.",
    "Farmers near {town3} were told not to draw irrigation water from the river until {weekday2}.",
    "The county board will meet on {weekday2} to discuss {topic2}.",
    "Volunteers handed out bottled water at the {venue} until late in the evening.",
]
# Witness lines: open-ended, so an article never runs out of them.
ROLES = ["nurse", "shop owner", "retired teacher", "bus driver", "farmer", "student", "welder"]
NEAR = ["lives near", "works beside", "drives past", "grew up by"]
CLAIMS = [
    "the alarm sounded twice before anyone explained what was happening",
    "the water looked cloudy by the afternoon",
    "nobody had told neighbors what the tanks held",
    "they closed their windows and waited for news on the radio",
    "the smell reached the school before the buses arrived",
    "the road was blocked for most of the morning",
    "the plant had been quiet for weeks before the leak",
    "families along the bank were still unsure whether the tap water was safe",
    "emergency crews knocked on doors within the hour",
    "the company should have warned people sooner",
    "fish had been seen floating near the old footbridge",
    "they drove to a cousin's house in the next valley until the evening",
]


CHOICES = {
    "venue": ["community hall", "public library", "fire station", "high school gym"],
    "topic": ["cleanup", "air quality", "drinking water", "compensation"],
    "vehicles": ["tanker trucks", "fire engines", "cleanup crews", "inspection vans"],
    "facility": ["paper mill", "fertilizer depot", "rail yard", "paint factory"],
    "group_action": [
        "ask for an independent review",
        "publish its own water tests",
        "press for stricter storage rules",
        "hold a meeting for affected families",
    ],
    "topic2": ["emergency alerts", "the plant's permit", "river monitoring", "evacuation routes"],
}


def invented_name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {invented_name(rng)}"


def event(rng: random.Random) -> dict[str, object]:
    """The invented facts of the story, shared by both articles."""
    injured_a = rng.randint(4, 19)
    return {
        "company": f"{invented_name(rng)} Chemicals",
        "town": f"{invented_name(rng)} Falls",
        "town2": invented_name(rng, 3),
        "river": invented_name(rng),
        "chem": rng.choice(["chlorine solution", "ammonia", "sulfuric acid", "solvent"]),
        "day": rng.choice(WEEKDAYS),
        "workers": rng.randrange(120, 900, 10),
        "minutes": rng.randint(8, 25),
        "chief": person(rng),
        "hour": rng.randint(3, 9),
        "volume": f"{rng.randrange(8_000, 60_000, 500):,}",
        "year": rng.randint(2014, 2022),
        "injured_a": injured_a,
        "injured_b": injured_a + rng.randint(2, 9),
        "hospital": f"{invented_name(rng)} General",
        "mayor": person(rng),
        "days": rng.randint(2, 6),
        "km": rng.randint(10, 60),
        "union": person(rng),
        "month": rng.choice(MONTHS),
        "staff": rng.randrange(300, 3000, 50),
        "opened": rng.randint(1970, 1999),
        "pop": f"{rng.randrange(20_000, 400_000, 1000):,}",
        "count": rng.randint(3, 14),
    }


def background(rng: random.Random, facts: dict[str, object], template: str) -> str:
    values: dict[str, object] = {
        **facts,
        **{k: rng.choice(v) for k, v in CHOICES.items()},
        "person": person(rng),
        "n": rng.randint(3, 40),
        "street": invented_name(rng),
        "route": rng.randint(2, 99),
        "hours": rng.randint(2, 12),
        "year2": rng.randint(1995, 2012),
        "town3": invented_name(rng) + rng.choice(["ton", " Creek", "ville"]),
        "group": f"{invented_name(rng)} Watch",
        "city": invented_name(rng, 3),
        "weekday2": rng.choice(WEEKDAYS),
    }
    return template.format(**values)


def witness(rng: random.Random) -> str:
    role, near, claim = rng.choice(ROLES), rng.choice(NEAR), rng.choice(CLAIMS)
    return f"{person(rng)}, a {role} who {near} the plant, said {claim}."


def write_article(
    rng: random.Random, facts: dict[str, object], side: int, *, min_words: int = 600
) -> str:
    """One article: its facts in order, background sentences between, 3 per paragraph."""
    own = [pair[side] for pair in SHARED] + [CONFLICT[side]] + (ONLY_B if side else ONLY_A)
    lead, rest = own[0], own[1:]
    rng.shuffle(rest)
    sentences = [lead.format(**facts)]
    pending = [t.format(**facts) for t in rest]
    extra = [background(rng, facts, t) for t in rng.sample(BACKGROUND, len(BACKGROUND))]
    while pending or sum(len(s.split()) for s in sentences) < min_words:
        if pending and rng.random() < 0.45:
            sentences.append(pending.pop(0))
        else:
            sentences.append(extra.pop() if extra and rng.random() < 0.75 else witness(rng))
    paragraphs = [" ".join(sentences[k : k + 3]) for k in range(0, len(sentences), 3)]
    return "\n\n".join(paragraphs) + "\n"


def make_articles(seed: int) -> list[Article]:
    rng = random.Random(seed)
    facts = event(rng)
    return [
        Article(id=f"bench-{name}", outlet=outlet, text=write_article(rng, facts, side))
        for side, (name, outlet) in enumerate([("a", "Daily Lantern"), ("b", "Evening Ledger")])
    ]


def interleaved_times(fns: list[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Seconds of each call, taking turns, so a slow spell of the machine hits all of them."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return times


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one child process; its output is discarded."""
    with tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err
        )
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN is the largest child so far.
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err.read().decode()}")
    return wall, usage.ru_maxrss / 1024


def cli_command() -> list[str]:
    """`python -m rashomon.cli` when that runs the CLI, else the venv's console script."""
    probe = subprocess.run(
        [sys.executable, "-m", "rashomon.cli", "--help"], capture_output=True, text=True
    )
    if probe.returncode == 0 and "compare" in probe.stdout:
        return [sys.executable, "-m", "rashomon.cli"]
    return [str(Path(sys.executable).parent / "rashomon")]


LOADER = (
    "from rashomon.backends import load_sentence_model, load_spacy; "
    "load_spacy({name!r}); load_sentence_model(None).encode(['One sentence to encode.'])"
)


def cold_times(articles: list[Article], settings: Settings, repeats: int) -> dict[str, object]:
    cli = cli_command()
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for article in articles:
            path = Path(tmp) / f"{article.id}.txt"
            path.write_text(article.text, encoding="utf-8")
            paths.append(str(path))
        compare_cmd = [*cli, "compare", *paths, "-f", "json", "-o", os.devnull]
        load_cmd = [sys.executable, "-c", LOADER.format(name=settings.spacy_model)]
        run_child(load_cmd)  # not timed: puts the model files in the page cache
        runs = [(run_child(compare_cmd), run_child(load_cmd)) for _ in range(repeats)]
    compare_s = statistics.median(r[0][0] for r in runs)
    load_s = statistics.median(r[1][0] for r in runs)
    return {
        "cold_s": compare_s - load_s,
        "cold_compare_s": compare_s,
        "cold_models_load_s": load_s,
        "cold_peak_rss_mb": max(r[0][1] for r in runs),
        "loader_peak_rss_mb": max(r[1][1] for r in runs),
        "cli": " ".join(Path(c).name for c in cli),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=5, help="warm runs (median)")
    ap.add_argument("--cold-repeats", type=int, default=3, help="cold process pairs (median)")
    ap.add_argument("--profile", type=int, default=0, help="print the top N functions to stderr")
    args = ap.parse_args()
    articles = make_articles(args.seed)
    settings = Settings()
    # Cold runs come first: Linux starts a child's peak RSS at its parent's size when it is
    # spawned, so children of a process holding the models would all report that size.
    cold = cold_times(articles, settings, args.cold_repeats)
    parser, embedder, model = (
        SpacyParser(settings.spacy_model),
        SentenceEmbedder(),
        load_pair_model(),
    )

    def run() -> Comparison:
        return compare_articles(
            articles, parser=parser, embedder=embedder, pair_model=model, settings=settings
        )

    c = run()  # loads both models and warms them up
    texts = [s.text for a in c.articles for s in a.sentences]

    def models_only() -> None:
        parser.parse([a.text for a in articles])
        embedder.encode(texts)

    warm, models = interleaved_times([run, models_only], args.repeats)
    warm_s, models_s = statistics.median(warm), statistics.median(models)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run)
        stats = pstats.Stats(profiler, stream=sys.stderr)
        stats.sort_stats("tottime").print_stats(args.profile)
        # Our own code only (the models' time is outside src/rashomon).
        stats.sort_stats("tottime").print_stats("/rashomon/", args.profile)
        stats.sort_stats("cumulative").print_stats("/rashomon/", args.profile)
    figures: dict[str, object] = {
        "warm_s": warm_s,
        "models_s": models_s,
        "ratio": warm_s / models_s,
        "warm_range_s": f"{min(warm):.3f}-{max(warm):.3f}",
        "models_range_s": f"{min(models):.3f}-{max(models):.3f}",
        **cold,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "words": [len(a.text.split()) for a in articles],
        "sentences": [len(a.sentences) for a in c.articles],
        "alignments": len(c.alignments),
        "facts": len(c.facts),
        "conflicts": len(c.conflicts),
        "summary_sentences": len(c.summary),
    }
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
