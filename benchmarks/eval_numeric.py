"""The sentence encoder in fp32 and in bf16: the same quality? (the ``numeric`` setting)

    python benchmarks/eval_numeric.py [--cache DIR] [--repeats N] [--speed-sentences N]
        [--threads N] [--json]

In one run, for each format (``SentenceEmbedder(numeric=...)``), on the check parts:
- the sentence-link P/R/F1 of ``compare`` on the check hand-aligned ECB+ pairs, scored as
  ``eval_alignment.py`` scores them (shipped settings, doubtful pairs left out);
- the MRPC check accuracy of the ``equivalent`` decision, as ``eval_paraphrase.py`` scores it;
- sentences/s encoding the first ``--speed-sentences`` MRPC check sentences (batches of 16, as in
  production), the formats interleaved, best of ``--repeats``; the machine is shared, so read
  the ratio.
Beside them, how far the formats agree: the cosine between the two vectors of each sentence
(min and mean), the largest distance of a vector's length from 1 (``SentenceEmbedder`` gives
unit vectors in both formats), the MRPC pairs whose decision differs, the link pairs found by
one format only.

Nothing is fitted or chosen here: both formats use the shipped model and thresholds. Vectors are
cached per format in ``--cache`` (npz), so a re-run only re-times; the spaCy parses are shared by
the two formats. The first run embeds the about 4,000 MRPC check sentences and the check pairs'
sentences once per format, all of them (no subset): about 4 min in fp32 and 7 min in bf16 on one
thread of a 2-core AMD EPYC without AMX. ``--json`` prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from common import EVAL, ecb_pair_articles, emit, read_jsonl, read_mrpc
from eval_alignment import prf, score, system_pairs
from rashomon.analyze.align import Thresholds, load_pair_model, score_sentence_pairs
from rashomon.analyze.compose import compare_articles
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.nlp import FloatArray, ParsedText
from rashomon.settings import Settings
from splits import ecb_part, hashed_part

FORMATS = ("fp32", "bf16")


class SharedParser:
    """SpacyParser that parses each text once per run (the parse does not depend on the format)."""

    def __init__(self) -> None:
        self.inner = SpacyParser()
        self.seen: dict[str, ParsedText] = {}

    def parse(self, texts: Sequence[str]) -> list[ParsedText]:
        new = list(dict.fromkeys(t for t in texts if t not in self.seen))
        self.seen.update(zip(new, self.inner.parse(new), strict=True))
        return [self.seen[t] for t in texts]


class CachedEmbedder:
    """SentenceEmbedder in one format, its vectors kept by text in ``path`` (npz)."""

    def __init__(self, numeric: str, path: Path) -> None:
        self.inner = SentenceEmbedder(numeric=numeric)
        self.path = path
        self.vectors: dict[str, FloatArray] = {}
        if path.is_file():
            stored = np.load(path)
            self.vectors = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()

    def encode(self, texts: Sequence[str]) -> FloatArray:
        missing = list(dict.fromkeys(t for t in texts if self.key(t) not in self.vectors))
        if missing:
            for text, vector in zip(missing, self.inner.encode(missing), strict=True):
                self.vectors[self.key(text)] = vector
            self.save()
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self.vectors[self.key(t)] for t in texts])

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = list(self.vectors)
        np.savez(self.path, keys=np.array(keys), vectors=np.stack([self.vectors[k] for k in keys]))


def sentences_per_second(
    embedders: dict[str, SentenceEmbedder], texts: list[str], repeats: int
) -> dict[str, float]:
    """Best-of-``repeats`` encoding rate of each format, the formats interleaved."""
    for embedder in embedders.values():
        embedder.encode(texts[:16])  # load and warm
    best = dict.fromkeys(embedders, float("inf"))
    for _ in range(repeats):
        for name, embedder in embedders.items():
            start = time.perf_counter()
            embedder.encode(texts)
            best[name] = min(best[name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cache", type=Path, default=Path("/tmp/rashomon_numeric"))
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--speed-sentences", type=int, default=256)
    ap.add_argument("--threads", type=int, default=1, help="torch threads (the CPU is shared)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)

    records = [
        r
        for r in read_jsonl(EVAL / "ecbplus_align" / "pairs.jsonl")
        if ecb_part(str(r["subtopic"])) == "check"
    ]
    wanted = {r["a"] for r in records} | {r["b"] for r in records}
    docs = {
        d["id"]: d for d in read_jsonl(EVAL / "ecbplus" / "documents.jsonl.gz") if d["id"] in wanted
    }
    mrpc = [r for r in read_mrpc(EVAL / "mrpc" / "train.tsv") if hashed_part(r[0]) == "check"]
    mrpc_pairs = [(s1, s2) for _, _, s1, s2 in mrpc]
    mrpc_gold = np.array([label == 1 for _, label, _, _ in mrpc], dtype=bool)
    settings = Settings()
    thresholds = Thresholds(
        link=settings.link_threshold,
        equivalent=settings.equivalent_threshold,
        related=settings.related_threshold,
    )
    parser, model = SharedParser(), load_pair_model()
    embedders = {f: CachedEmbedder(f, args.cache / f"{f}.npz") for f in FORMATS}
    figures: dict[str, object] = {}
    links: dict[str, list[set[tuple[int, int]]]] = {}
    decisions: dict[str, np.ndarray] = {}
    for fmt, embedder in embedders.items():
        comparisons = [
            compare_articles(
                ecb_pair_articles(docs, rec),
                parser=parser,
                embedder=embedder,
                pair_model=model,
                settings=settings,
            )
            for rec in records
        ]
        links[fmt] = [set(system_pairs(c, settings.link_threshold)) for c in comparisons]
        tp, n_sys, n_gold = score(records, links[fmt])
        precision, recall, f1 = prf(tp, n_sys, n_gold)
        scored = score_sentence_pairs(mrpc_pairs, parser, embedder, model, thresholds)
        decisions[fmt] = np.array([rel == "equivalent" for _, rel, _ in scored], dtype=bool)
        figures.update(
            {
                f"{fmt}_f1": f1,
                f"{fmt}_precision": precision,
                f"{fmt}_recall": recall,
                f"{fmt}_mrpc_accuracy": float(np.mean(decisions[fmt] == mrpc_gold)),
            }
        )
    shared = sorted(set(embedders["fp32"].vectors) & set(embedders["bf16"].vectors))
    fp32 = np.stack([embedders["fp32"].vectors[k] for k in shared])
    bf16 = np.stack([embedders["bf16"].vectors[k] for k in shared])
    lengths = np.linalg.norm(np.concatenate([fp32, bf16]), axis=1)
    cosines = np.sum(fp32 * bf16, axis=1) / np.linalg.norm(fp32, axis=1)
    cosines /= np.linalg.norm(bf16, axis=1)
    speed_texts = list(dict.fromkeys(t for pair in mrpc_pairs for t in pair))
    speed = sentences_per_second(
        {f: e.inner for f, e in embedders.items()},
        speed_texts[: args.speed_sentences],
        args.repeats,
    )
    one_only = sum(len(a ^ b) for a, b in zip(links["fp32"], links["bf16"], strict=True))
    figures.update(
        {
            "fp32_sentences_per_s": speed["fp32"],
            "bf16_sentences_per_s": speed["bf16"],
            "bf16_speed_ratio": speed["bf16"] / speed["fp32"],
            "vector_cosine_min": float(cosines.min()),
            "vector_cosine_mean": float(cosines.mean()),
            "vector_length_max_error": float(np.abs(lengths - 1.0).max()),
            "n_sentences_compared": len(shared),
            "mrpc_decisions_differing": int(np.sum(decisions["fp32"] != decisions["bf16"])),
            "link_pairs_in_one_format_only": one_only,
            "n_gold_links": score(records, links["fp32"])[2],
            "n_pairs": len(records),
            "n_mrpc": len(mrpc),
            "threads": args.threads,
            "part": "check",
        }
    )
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
