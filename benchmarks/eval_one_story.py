"""How often compare's input checks warn on ECB+ document pairs (one sub-topic = one story).

    python benchmarks/eval_one_story.py [--data DOCS] [--part tune|check|all] [--json]

Every pair of documents of ``--part`` (ECB+ topics split by ``benchmarks/splits.py``; default
``check``, the headline) is scored with ``analyze.checks.content_similarity`` (term-frequency
cosine). Pairs are *same story* (same sub-topic), *sibling* (same topic, the other sub-topic: a
similar but different event) or *other topic*. Printed, for the shipped thresholds:

- ``same_warned_min`` / ``same_warned_apart``: share of same-story pairs below
  ``STORY_SIMILARITY_MIN`` (no dates) / ``STORY_SIMILARITY_APART`` (dated far apart): false
  warnings;
- ``other_warned_*`` and ``sibling_warned_*``: share of other-topic / sibling pairs warned about;
- ``same_near_duplicates``: same-story pairs the duplicate check flags (MinHash Jaccard);
- ``not_english_documents``: documents (all English) that the language check flags.

The baseline, in the same run, is no check at all: it warns about no pair (0 caught, 0 false).
``tune_p01`` / ``tune_p05`` are the 1st / 5th percentiles of same-story similarity on the tune
topics, the rule that chose the two shipped thresholds (rounded to 2 decimals). ECB+ documents
carry no dates, so the date rule's effect on real date gaps is not measured here.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from common import EVAL, emit, read_jsonl
from rashomon.analyze.checks import (
    STORY_SIMILARITY_APART,
    STORY_SIMILARITY_MIN,
    check_inputs,
    content_similarity,
    language_warnings,
)
from rashomon.backends import identify_language
from rashomon.corpus.dedupe import JACCARD_THRESHOLD, estimate_jaccard, sign
from rashomon.models import Article
from splits import Part, ecb_part, in_part

DOCS = EVAL / "ecbplus" / "documents.jsonl.gz"


def read_docs(path: Path, part: Part) -> list[dict[str, str]]:
    docs = [
        {k: str(v) for k, v in d.items() if k in ("id", "topic", "subtopic", "text")}
        for d in read_jsonl(path)
    ]
    return [d for d in docs if in_part(ecb_part(d["id"]), part)]


def pair_kinds(docs: Sequence[dict[str, str]]) -> dict[str, list[tuple[int, int]]]:
    kinds: dict[str, list[tuple[int, int]]] = {"same": [], "sibling": [], "other": []}
    for i in range(len(docs)):
        for j in range(i + 1, len(docs)):
            a, b = docs[i], docs[j]
            kind = (
                "same"
                if a["subtopic"] == b["subtopic"]
                else "sibling"
                if a["topic"] == b["topic"]
                else "other"
            )
            kinds[kind].append((i, j))
    return kinds


def figures(docs: Sequence[dict[str, str]]) -> dict[str, object]:
    similarity = content_similarity([d["text"] for d in docs])
    kinds = pair_kinds(docs)
    values = {k: np.array([similarity[i, j] for i, j in pairs]) for k, pairs in kinds.items()}
    out: dict[str, object] = {f"{k}_pairs": len(v) for k, v in values.items()}
    for name, threshold in (("min", STORY_SIMILARITY_MIN), ("apart", STORY_SIMILARITY_APART)):
        for kind, v in values.items():
            out[f"{kind}_warned_{name}"] = float(np.mean(v < threshold))
    out["baseline_warned_any"] = 0.0
    out["p01_same"] = float(np.quantile(values["same"], 0.01))
    out["p05_same"] = float(np.quantile(values["same"], 0.05))
    signatures = [sign(d["text"]) for d in docs]
    out["same_near_duplicates"] = sum(
        estimate_jaccard(signatures[i], signatures[j]) >= JACCARD_THRESHOLD
        for i, j in kinds["same"]
    )
    articles = [Article(id=d["id"], text=d["text"], outlet="ECB+", source=d["id"]) for d in docs]
    out["not_english_documents"] = len(language_warnings(articles, identify_language))
    out["documents"] = len(docs)
    # the whole check as compare runs it, on one same-story pair, as a smoke test
    same = kinds["same"][0]
    out["first_same_pair_warnings"] = len(
        check_inputs(
            [articles[same[0]], articles[same[1]]],
            identify_language=identify_language,
            window_days=None,
        )
    )
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DOCS)
    parser.add_argument("--part", choices=["tune", "check", "all"], default="check")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    found = figures(read_docs(args.data, args.part))
    if args.part != "tune":
        tune = figures(read_docs(args.data, "tune"))
        found["tune_p01"] = tune["p01_same"]
        found["tune_p05"] = tune["p05_same"]
    found["part"] = args.part
    emit(found, as_json=args.json)


if __name__ == "__main__":
    main()
