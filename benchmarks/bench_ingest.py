"""Throughput, growth, memory and Dask scale-out of `ingest` on synthetic news.

    python benchmarks/bench_ingest.py [--n 100] [--json] [--skip-dask] [--profile N]

The articles come from this file's own generator (templates filled with invented places,
people and numbers from random.Random(seed); no copied text): stories of 2-6 articles from
different outlets over a few days, about one story in three carried by a wire agency whose
copies other outlets run with small edits (a new title, a dropped paragraph, a changed word,
a credit line). A new story starts every 8 hours, so the dates run at about 12 articles a day:
N = 100 covers about 8 days and 10N about 83, well past the 14 days of `horizon_days` after
which ingest forgets a story, so the memory figures show whether it does. They are written as
JSON Lines files (--per-file articles each) in a temp folder; the first N articles of a larger
run are the N articles of a smaller one. Measured in one run, each ingest into a fresh temp
store:
- peak memory at N and 10N: a fresh child process of this script (hidden --child mode) loads
  and warms the models, then ingests; peak_rss_mb_* is its ru_maxrss (read with wait4) and
  warm_rss_mb_* its peak before the ingest started. The children run first, before this
  process loads any model, since Linux starts a child's peak RSS at its parent's size;
- growth_10x = t(10N) / t(N), the ingest times of those two children;
- articles_per_s: N / median time of `rashomon.corpus.build.ingest` with a LocalPreparer (models
  loaded and warmed before timing), and models_articles_per_s: N / median time of the model
  calls alone on the same articles (SpacyParser.parse of the texts and SentenceEmbedder.encode
  of the title + lead strings, in batches of the same size); ratio = the first / the second.
  Full and model-only runs take turns, so a slow spell of a shared machine hits both;
- dask_speedup = t(1 worker) / t(2 workers): ingest of --dask-n articles through a
  DaskPreparer on a LocalCluster (rashomon.corpus.scale.connect), workers warmed before timing. The
  store is written by this process, so on a 2-core machine the workers share the cores with it.
--profile N prints cProfile tables of one local ingest to stderr: overall and rashomon's own.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from common import emit
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.corpus.build import LEAD_CHARS, LocalPreparer, Preparer, expand_inputs, ingest
from rashomon.corpus.cluster import title_and_lead
from rashomon.corpus.store import open_store
from rashomon.inputs.files import read_path_lenient
from rashomon.models import Article
from rashomon.settings import Settings

INGESTED_AT = "2026-01-01T00:00:00+00:00"
START = dt.datetime(2025, 1, 6, 6, 0, tzinfo=dt.UTC)

# fmt: off
# Word lists stay packed: one word per line would bury the templates below.
SYLLABLES = [
    "val", "mor", "tes", "ka", "lin", "dor", "bre", "an", "ost", "wick", "fen", "ar", "lo",
    "quin", "sa", "rel", "tor", "ham", "mi", "vos", "ber", "gan", "is", "thal", "ru", "del",
]
FIRST = [
    "Ilka", "Doran", "Mireva", "Tobin", "Saskia", "Levon", "Ardis", "Petra", "Jorund", "Nalia",
    "Casimir", "Edda", "Rufus", "Oona", "Teodor", "Brisa", "Hallam", "Ysolde", "Marek", "Fenna",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
OUTLETS = [
    "Daily Lantern", "Evening Ledger", "Harbor Courier", "Valley Post", "Northern Gazette",
    "Morning Sentinel", "City Tribune", "Coastal Herald", "Prairie Bulletin", "Riverside Star",
]
# (name, least, most) of the numbers in a story
NUMBERS = [
    ("evacuated", 30, 900), ("crews", 4, 30), ("amount", 50, 900), ("injured", 2, 12),
    ("money", 2, 400), ("votes_for", 12, 25), ("votes_against", 3, 11), ("months", 6, 40),
    ("count", 500, 20_000), ("jobs", 40, 1200), ("rain", 40, 160), ("rain2", 10, 60),
    ("rescued", 5, 80), ("hours", 2, 14), ("crowd", 2000, 40_000), ("minute", 50, 90),
    ("place", 2, 12), ("losses", 3, 6), ("games", 7, 10), ("percent", 4, 35),
    ("year", 1960, 2005), ("staff", 200, 4000), ("population", 8000, 300_000), ("km", 10, 140),
]
ROLES = ["nurse", "shop owner", "retired teacher", "bus driver", "farmer", "student", "welder"]
# fmt: on

# Each kind of story: title templates, then its facts in two wordings (one per "side").
KINDS: list[dict[str, Any]] = [
    {
        "titles": [
            "Fire destroys {company} warehouse in {town}",
            "{town} warehouse blaze forces {evacuated} from their homes",
            "Crews fight overnight fire at {company} site",
        ],
        "facts": [
            (
                "A fire destroyed a warehouse of {company} in {town} on {day}, and "
                "{evacuated} people living nearby were told to leave their homes.",
                "Flames tore through the {company} warehouse in {town} on {day}, forcing "
                "{evacuated} residents out of nearby streets.",
            ),
            (
                "Fire chief {official} said {crews} crews worked through the night.",
                "{crews} crews fought the blaze until dawn, fire chief {official} said.",
            ),
            (
                "The building stored {amount} tonnes of packaging and timber.",
                "About {amount} tonnes of timber and packaging were inside the building.",
            ),
            (
                "{injured} firefighters were treated for smoke inhalation at {hospital}.",
                "{hospital} treated {injured} firefighters who had breathed in smoke.",
            ),
            (
                "The company said the damage could reach {money} million crowns.",
                "Damage was estimated by {company} at {money} million crowns.",
            ),
        ],
    },
    {
        "titles": [
            "{town} council approves {money} million plan for {project}",
            "Council backs {project} after long debate",
            "Vote clears way for {project} in {town}",
        ],
        "facts": [
            (
                "The {town} council voted {votes_for} to {votes_against} on {day} to spend "
                "{money} million crowns on {project}.",
                "By {votes_for} votes to {votes_against}, councillors in {town} approved "
                "{money} million crowns for {project} on {day}.",
            ),
            (
                "Mayor {official} said work would start in {month} and take {months} months.",
                "Work is due to begin in {month}, mayor {official} said, and last {months} months.",
            ),
            (
                "Opposition councillor {person2} called the plan rushed.",
                "{person2}, who sits in the opposition, said the plan had been rushed.",
            ),
            (
                "About {count} residents signed a petition against the plan last year.",
                "A petition against the plan drew {count} signatures last year.",
            ),
            (
                "The project is expected to create {jobs} jobs.",
                "{jobs} jobs should come with the project, the council said.",
            ),
        ],
    },
    {
        "titles": [
            "Storm floods streets in {town} and {town2}",
            "Heavy rain cuts power to {count} homes around {town}",
            "{river} River bursts its banks after storm",
        ],
        "facts": [
            (
                "A storm dropped {rain} millimetres of rain on {town} on {day}, and the {river} "
                "River burst its banks near {town2}.",
                "The {river} River overflowed near {town2} after {rain} millimetres of rain fell "
                "on {town} on {day}.",
            ),
            (
                "Power was cut to about {count} homes, the grid operator said.",
                "Around {count} households lost power, according to the grid operator.",
            ),
            (
                "Emergency services official {official} said {rescued} people were rescued "
                "from cars and flooded cellars.",
                "{rescued} people had to be pulled from cars and cellars, said {official} of "
                "the emergency services.",
            ),
            (
                "Trains between {town} and {town2} were suspended for {hours} hours.",
                "Rail traffic between the two towns stopped for {hours} hours.",
            ),
            (
                "Forecasters expect another {rain2} millimetres by {day2}.",
                "Up to {rain2} more millimetres could fall by {day2}, forecasters said.",
            ),
        ],
    },
    {
        "titles": [
            "{team} beat {team2} {score} in {town}",
            "Late goal gives {team} win over {team2}",
            "{team2} fall to {team} in front of {crowd} fans",
        ],
        "facts": [
            (
                "{team} beat {team2} {score} on {day} in front of {crowd} fans in {town}.",
                "In front of {crowd} supporters in {town}, {team} won {score} against {team2} "
                "on {day}.",
            ),
            (
                "{person2} scored the winning goal in the {minute}th minute.",
                "The decisive goal came from {person2} in the {minute}th minute.",
            ),
            (
                "Coach {official} said the team had finally found its rhythm.",
                "{official}, the coach, said his side had at last found its rhythm.",
            ),
            (
                "The win lifts {team} to {place}th place in the table.",
                "{team} climb to {place}th in the standings after the result.",
            ),
            (
                "{team2} have now lost {losses} of their last {games} games.",
                "It was the {losses}th defeat in {games} games for {team2}.",
            ),
        ],
    },
    {
        "titles": [
            "{company} to cut {jobs} jobs in {town}",
            "{company} announces job cuts as sales fall",
            "Union criticises {company} plan to close {town} plant",
        ],
        "facts": [
            (
                "{company} said on {day} it would cut {jobs} jobs at its plant in {town}.",
                "The plant of {company} in {town} will lose {jobs} jobs, the company said on "
                "{day}.",
            ),
            (
                "Sales fell {percent} percent last year, chief executive {official} said.",
                "Chief executive {official} said sales had dropped by {percent} percent.",
            ),
            (
                "Union leader {person2} called the decision a betrayal of the workers.",
                "{person2}, who leads the union, said workers had been betrayed.",
            ),
            (
                "The plant opened in {year} and employs {staff} people.",
                "Some {staff} people work at the plant, which opened in {year}.",
            ),
            (
                "The cuts are to be completed by {month}.",
                "The company plans to finish the cuts by {month}.",
            ),
        ],
    },
]

# Background and quotes, at most once per article; values come from the story and the article.
BACKGROUND = [
    "Residents gathered at the {venue} on {street} Street to ask questions.",
    "Traffic on Route {route} was diverted for {hours} hours on {day}.",
    "{town} has about {population} inhabitants and lies {km} kilometres from {city}.",
    "In {year2}, a similar case in {town3} drew wide attention across the region.",
    "The regional office in {city} said it would publish a report within {weeks} weeks.",
    "Local radio in {town} interrupted its programme to carry the news.",
    "Shops on {street} Street stayed closed for most of the afternoon.",
    "The county board will meet on {day2} to discuss what happens next.",
    "Volunteers handed out tea and blankets at the {venue} until late in the evening.",
    "A spokesperson for the regional government, {person3}, declined to comment further.",
    "Neighbouring {town3} offered to help if needed, its mayor {person3} said.",
    "Photographs shared online showed crowds near the {venue} on {street} Street.",
]
CLAIMS = [
    "nobody had explained what was going on",
    "the news spread through the neighbourhood within minutes",
    "people had warned about this for years",
    "the town would need a long time to recover",
    "they were relieved that nobody had been killed",
    "the authorities had acted quickly",
    "the decision had come as a surprise to most people",
    "they hoped the lessons would be learned this time",
]


def invented_name(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {invented_name(rng)}"


def story_facts(rng: random.Random) -> dict[str, object]:
    """The invented names and numbers of one story, shared by all its articles."""
    return {
        "company": f"{invented_name(rng)} {rng.choice(['Industries', 'Logistics', 'Foods'])}",
        "town": f"{invented_name(rng)}{rng.choice(['ton', ' Falls', 'burg', 'vik'])}",
        "town2": invented_name(rng, 3),
        "city": invented_name(rng, 3),
        "river": invented_name(rng),
        "team": f"{invented_name(rng)} {rng.choice(['United', 'Rovers', 'Athletic'])}",
        "team2": f"{invented_name(rng)} {rng.choice(['City', 'Wanderers', 'Town'])}",
        "score": f"{rng.randint(1, 4)}-{rng.randint(0, 1)}",
        "project": rng.choice(
            ["a new bridge", "a tram line", "a school", "a sports hall", "a sewage plant"]
        ),
        "official": person(rng),
        "person2": person(rng),
        "day": rng.choice(WEEKDAYS),
        "day2": rng.choice(WEEKDAYS),
        "month": rng.choice(["March", "April", "May", "June", "September", "October"]),
        "hospital": f"{invented_name(rng)} General",
        **{key: rng.randint(low, high) for key, low, high in NUMBERS},
    }


def background(rng: random.Random, facts: dict[str, object], template: str) -> str:
    values = {
        **facts,
        "venue": rng.choice(["town hall", "public library", "fire station", "school gym"]),
        "street": invented_name(rng),
        "route": rng.randint(2, 99),
        "year2": rng.randint(1985, 2020),
        "town3": invented_name(rng) + rng.choice(["ton", " Creek", "ville"]),
        "weeks": rng.randint(2, 10),
        "person3": person(rng),
    }
    return template.format(**values)


def witness(rng: random.Random) -> str:
    return f"{person(rng)}, a {rng.choice(ROLES)}, said {rng.choice(CLAIMS)}."


def write_text(rng: random.Random, kind: dict[str, Any], facts: dict[str, object]) -> str:
    """One article: the lead fact, the rest among background and quotes, 2-3 per paragraph."""
    side = rng.randrange(2)
    own = [pair[side].format(**facts) for pair in kind["facts"]]
    lead, rest = own[0], own[1:]
    rng.shuffle(rest)
    extra = [background(rng, facts, t) for t in rng.sample(BACKGROUND, len(BACKGROUND))]
    sentences, min_words = [lead], rng.randint(200, 550)
    while rest or sum(len(s.split()) for s in sentences) < min_words:
        if rest and rng.random() < 0.4:
            sentences.append(rest.pop(0))
        else:
            sentences.append(extra.pop() if extra and rng.random() < 0.7 else witness(rng))
    paragraphs, k = [], 0
    while k < len(sentences):
        step = rng.randint(2, 3)
        paragraphs.append(" ".join(sentences[k : k + step]))
        k += step
    return "\n\n".join(paragraphs)


def wire_copy(rng: random.Random, text: str) -> str:
    """An outlet's edit of agency copy: a dropped paragraph, a changed word, a credit line."""
    paragraphs = text.split("\n\n")
    if len(paragraphs) > 3:
        del paragraphs[rng.randrange(1, len(paragraphs))]
    k = rng.randrange(len(paragraphs))
    paragraphs[k] = paragraphs[k].replace(" said", " told reporters", 1)
    paragraphs.append(rng.choice(["(AP)", "Reporting by AP.", "With material from AP."]))
    return "\n\n".join(paragraphs)


def make_story(rng: random.Random, number: int) -> list[dict[str, object]]:
    """2-6 articles on one invented event; about one story in three runs agency copies."""
    kind = rng.choice(KINDS)
    facts = story_facts(rng)
    day = START + dt.timedelta(hours=8 * number + rng.randint(0, 6))
    outlets = rng.sample(OUTLETS, rng.randint(2, 6))
    has_wire = rng.random() < 0.35
    agency_text = write_text(rng, kind, facts)
    records = []
    for n, outlet in enumerate(outlets):
        is_copy = has_wire and n < 3
        text = wire_copy(rng, agency_text) if is_copy else write_text(rng, kind, facts)
        when = day + dt.timedelta(hours=rng.randint(0, 40), minutes=rng.randint(0, 59))
        slug = outlet.lower().replace(" ", "")
        records.append(
            {
                "title": rng.choice(kind["titles"]).format(**facts),
                "text": text,
                "date": when.isoformat(timespec="minutes"),
                "outlet": outlet,
                "url": f"https://{slug}.example/{when:%Y/%m/%d}/story-{number}-{n}",
            }
        )
    return records


def make_records(n: int, seed: int) -> list[dict[str, object]]:
    """The first n articles of the stream for this seed, in publication order per block."""
    rng = random.Random(seed)
    records: list[dict[str, object]] = []
    number = 0
    while len(records) < n:
        # Blocks of 8 stories sorted by date: outlets publish interleaved, not story by story.
        block = [r for k in range(8) for r in make_story(rng, number + k)]
        number += 8
        records += sorted(block, key=lambda r: str(r["date"]))
    return records[:n]


def write_corpus(records: Sequence[dict[str, object]], folder: Path, per_file: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(records), per_file):
        with (folder / f"feed-{k // per_file:05d}.jsonl").open("w", encoding="utf-8") as fh:
            for record in records[k : k + per_file]:
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return folder


def read_articles(folder: Path, settings: Settings) -> list[Article]:
    """The articles ingest will see: read the same way, first of each id kept."""
    seen: dict[str, Article] = {}
    for path in expand_inputs([folder]):
        if not isinstance(path, Path):
            raise SystemExit(f"generated input skipped: {path}")
        articles, errors = read_path_lenient(path, settings=settings)
        if errors:
            raise SystemExit(f"generated input rejected: {errors[0]}")
        for article in articles:
            seen.setdefault(article.id, article)
    return list(seen.values())


def run_ingest(folder: Path, preparer: Preparer, settings: Settings, batch_size: int) -> float:
    """Seconds of one ingest of the folder into a fresh store."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp) / "corpus.db")
        started = time.perf_counter()
        summary = ingest(
            store,
            [folder],
            settings=settings,
            preparer=preparer,
            ingested_at=INGESTED_AT,
            batch_size=batch_size,
        )
        seconds = time.perf_counter() - started
        store.close()
    if summary.rejected:
        raise SystemExit(f"ingest rejected {summary.rejected} generated articles")
    return seconds


def batches(articles: Sequence[Article], size: int) -> Iterator[Sequence[Article]]:
    for k in range(0, len(articles), size):
        yield articles[k : k + size]


def models_only(
    articles: Sequence[Article], parser: SpacyParser, embedder: SentenceEmbedder, size: int
) -> None:
    """The model calls of prepare_batch on the same articles, without anything around them."""
    for batch in batches(articles, size):
        parser.parse([a.text for a in batch])
        heads = [title_and_lead(a, lead_chars=LEAD_CHARS) for a in batch]
        embedder.encode([f"{t}\n{lead}".strip() for t, lead in heads])


def warm_models(settings: Settings, seed: int) -> tuple[SpacyParser, SentenceEmbedder]:
    """Load both models and run them on articles that are not part of the measured set."""
    parser, embedder = SpacyParser(settings.spacy_model), SentenceEmbedder(settings.embedding_model)
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_corpus(make_records(32, seed + 1000), Path(tmp), 32)
        models_only(read_articles(folder, settings), parser, embedder, 32)
    return parser, embedder


def child(args: argparse.Namespace) -> None:
    """Hidden --child mode: warm the models, ingest --child articles, print seconds and RSS."""
    settings = Settings()
    parser, embedder = warm_models(settings, args.seed)
    warm_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_corpus(make_records(args.child, args.seed), Path(tmp), args.per_file)
        seconds = run_ingest(folder, LocalPreparer(parser, embedder), settings, args.batch_size)
    print(json.dumps({"seconds": seconds, "warm_rss_mb": warm_rss_mb}))


def run_child(args: argparse.Namespace, n: int) -> dict[str, float]:
    """Ingest seconds, warm and peak RSS (MiB) of a fresh process ingesting n articles."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        *("--child", str(n), "--seed", str(args.seed)),
        *("--per-file", str(args.per_file), "--batch-size", str(args.batch_size)),
    ]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
        # wait4 gives this child's own rusage; RUSAGE_CHILDREN is the largest child so far.
        _, status, usage = os.wait4(proc.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{err.read().decode()}")
        out.seek(0)
        result: dict[str, float] = json.loads(out.read().decode().strip().splitlines()[-1])
    return {**result, "peak_rss_mb": usage.ru_maxrss / 1024}


def interleaved_times(fns: list[Callable[[], object]], repeats: int) -> list[list[float]]:
    """Seconds of each call, taking turns, so a slow spell of the machine hits all of them."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeats):
        for fn, out in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            out.append(time.perf_counter() - started)
    return times


def dask_seconds(folder: Path, settings: Settings, workers: int, batch_size: int) -> float:
    """Ingest time through a DaskPreparer on a new LocalCluster of this many workers."""
    from rashomon.corpus.scale import DaskPreparer, connect, prepare_on_worker

    client, cluster = connect(None, n_workers=workers)
    try:
        client.wait_for_workers(workers)
        # Load and warm the models in every worker before timing (they are cached there).
        warm = make_records(8, 12345)
        with tempfile.TemporaryDirectory() as tmp:
            warm_batch = read_articles(write_corpus(warm, Path(tmp), 8), settings)
        client.run(prepare_on_worker, warm_batch, settings.spacy_model, settings.embedding_model)
        preparer = DaskPreparer(
            client, spacy_model=settings.spacy_model, embedding_model=settings.embedding_model
        )
        return run_ingest(folder, preparer, settings, batch_size)
    finally:
        client.close()
        cluster.close()


def profile_ingest(
    folder: Path, preparer: Preparer, settings: Settings, args: argparse.Namespace
) -> None:
    profiler = cProfile.Profile()
    profiler.runcall(run_ingest, folder, preparer, settings, args.batch_size)
    stats = pstats.Stats(profiler, stream=sys.stderr)
    stats.sort_stats("tottime").print_stats(args.profile)
    # Our own code only (the models' time is outside src/rashomon).
    stats.sort_stats("tottime").print_stats("/rashomon/", args.profile)
    stats.sort_stats("cumulative").print_stats("/rashomon/", args.profile)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--n", type=int, default=100, help="articles (10x for growth and memory)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--repeats", type=int, default=3, help="full and model-only runs (median)")
    ap.add_argument("--batch-size", type=int, default=32, help="as `rashomon ingest`")
    ap.add_argument("--per-file", type=int, default=100, help="articles per JSONL file")
    ap.add_argument("--dask-n", type=int, default=0, help="articles for Dask (default: --n)")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--profile", type=int, default=0, help="print the top N functions to stderr")
    ap.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args)
        return
    settings = Settings()
    # Children first: a process that holds the models would pass its size on to them.
    small, large = run_child(args, args.n), run_child(args, 10 * args.n)
    parser, embedder = warm_models(settings, args.seed)
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = write_corpus(make_records(args.n, args.seed), Path(tmp) / "n", args.per_file)
        articles = read_articles(folder, settings)
        preparer = LocalPreparer(parser, embedder)
        full, models = interleaved_times(
            [
                lambda: run_ingest(folder, preparer, settings, args.batch_size),
                lambda: models_only(articles, parser, embedder, args.batch_size),
            ],
            args.repeats,
        )
        if args.profile:
            profile_ingest(folder, preparer, settings, args)
        if not args.skip_dask:
            dask_n = args.dask_n or args.n
            dask_folder = write_corpus(
                make_records(dask_n, args.seed), Path(tmp) / "dask", args.per_file
            )
            one, two = (dask_seconds(dask_folder, settings, k, args.batch_size) for k in (1, 2))
            figures |= {"dask_speedup": one / two, "dask_1_s": one, "dask_2_s": two}
            figures["dask_n"] = dask_n
    full_s, models_s = statistics.median(full), statistics.median(models)
    figures = {
        "articles_per_s": len(articles) / full_s,
        "models_articles_per_s": len(articles) / models_s,
        "ratio": models_s / full_s,
        "growth_10x": large["seconds"] / small["seconds"],
        "peak_rss_mb_n": small["peak_rss_mb"],
        "peak_rss_mb_10n": large["peak_rss_mb"],
        "dask_speedup": None,
        **figures,
        "n": len(articles),
        "full_s": full_s,
        "models_s": models_s,
        "full_range_s": f"{min(full):.3f}-{max(full):.3f}",
        "models_range_s": f"{min(models):.3f}-{max(models):.3f}",
        "t_n_s": small["seconds"],
        "t_10n_s": large["seconds"],
        "warm_rss_mb_n": small["warm_rss_mb"],
        "warm_rss_mb_10n": large["warm_rss_mb"],
        "cores": os.cpu_count(),
    }
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
