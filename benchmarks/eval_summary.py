"""Score the neutral summary of `compare` against human roundups (NeuS / AllSides).

    python benchmarks/eval_summary.py [--data STORIES] [--part tune|check|all] [--json]
        [--limit N] [--dump PATH]

Stories are split half and half by a stable hash of their id (``benchmarks/splits.py``); the
headline is ``--part check`` (the default). Nothing is fitted here.

Each story's outlet excerpts are compared with the real models; the summary (its sentences
joined by spaces) is scored with ROUGE-1/2/L F-measure against the story's neutral `summary`.
A story whose summary is empty scores 0 and is counted in `empty_summaries`. The baseline,
measured in the same run, is the lead: the first sentence of each compared article, as
`compare` segmented it. `cited_fraction` is the share of summary sentences whose chosen
sentence is among its support, whose support ids all exist in the comparison, and whose text
is exactly the chosen sentence's text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from rouge_score.rouge_scorer import RougeScorer
from tqdm import tqdm

from common import EVAL, emit, read_jsonl
from rashomon.analyze.align import load_pair_model
from rashomon.analyze.compose import compare_articles
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.models import Article, Comparison
from rashomon.settings import Settings
from splits import hashed_part, in_part

ROUGE_KEYS = ("rouge1", "rouge2", "rougeL")


def story_articles(story: dict[str, object]) -> list[Article]:
    return [
        Article(
            id=str(a["id"]),
            outlet=str(a["outlet"]),
            title=a.get("title"),
            text=str(a["text"]),
        )
        for a in story["articles"]  # type: ignore[attr-defined]
    ]


def lead(c: Comparison) -> str:
    return " ".join(a.sentences[0].text for a in c.articles if a.sentences)


def cited(c: Comparison) -> tuple[int, int]:
    """(summary sentences whose citation checks out, summary sentences)."""
    text_of = {s.id: s.text for a in c.articles for s in a.sentences}
    good = sum(
        1
        for s in c.summary
        if s.sentence in s.support
        and all(x in text_of for x in s.support)
        and text_of.get(s.sentence) == s.text
    )
    return good, len(c.summary)


def rouge(scorer: RougeScorer, reference: str, text: str) -> dict[str, float]:
    if not text.strip():
        return dict.fromkeys(ROUGE_KEYS, 0.0)
    scores = scorer.score(reference, text)
    return {k: scores[k].fmeasure for k in ROUGE_KEYS}


def mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=EVAL / "neus_allsides" / "stories.jsonl.gz")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="score only the first N stories")
    ap.add_argument("--dump", type=Path, default=None, help="write per-story rows (JSONL) here")
    args = ap.parse_args()
    stories = [s for s in read_jsonl(args.data) if in_part(hashed_part(str(s["id"])), args.part)][
        : args.limit
    ]
    settings = Settings()
    parser, embedder, model = SpacyParser(), SentenceEmbedder(), load_pair_model()
    scorer = RougeScorer(list(ROUGE_KEYS), use_stemmer=True)
    system: dict[str, list[float]] = {k: [] for k in ROUGE_KEYS}
    baseline: dict[str, list[float]] = {k: [] for k in ROUGE_KEYS}
    empty = good = total = contested = single = 0
    words: list[float] = []
    lead_words: list[float] = []
    reference_words: list[float] = []
    started = time.perf_counter()
    dump = args.dump.open("w", encoding="utf-8") if args.dump else None
    for story in tqdm(stories, disable=None, file=sys.stderr):
        c = compare_articles(
            story_articles(story),
            parser=parser,
            embedder=embedder,
            pair_model=model,
            settings=settings,
        )
        reference = str(story["summary"])
        summary = " ".join(s.text for s in c.summary)
        ours, base = rouge(scorer, reference, summary), rouge(scorer, reference, lead(c))
        for k in ROUGE_KEYS:
            system[k].append(ours[k])
            baseline[k].append(base[k])
        empty += not c.summary
        g, t = cited(c)
        good, total = good + g, total + t
        contested += sum(1 for s in c.summary if s.status == "contested")
        single += sum(1 for s in c.summary if s.status == "single")
        words.append(len(summary.split()))
        lead_words.append(len(lead(c).split()))
        reference_words.append(len(reference.split()))
        if dump:
            row = {
                "id": story["id"],
                "reference": reference,
                "summary": summary,
                "lead": lead(c),
                "rouge": ours,
                "baseline": base,
            }
            dump.write(json.dumps(row) + "\n")
    if dump:
        dump.close()
    figures: dict[str, object] = {k: mean(v) for k, v in system.items()}
    figures.update({f"baseline_{k}": mean(v) for k, v in baseline.items()})
    figures.update(
        {
            "part": args.part,
            "cited_fraction": good / total if total else 0.0,
            "n_stories": len(stories),
            "empty_summaries": empty,
            "summary_sentences": total,
            "contested_sentences": contested,
            "single_sentences": single,
            "summary_words_mean": mean(words),
            "baseline_words_mean": mean(lead_words),
            "reference_words_mean": mean(reference_words),
            "seconds_per_story": (time.perf_counter() - started) / max(len(stories), 1),
        }
    )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
