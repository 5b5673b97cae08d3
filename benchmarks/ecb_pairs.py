"""Same-fact sentence pairs from ECB+ cross-document coreference (training data of the pair model).

    python benchmarks/ecb_pairs.py [--part tune|check] [--json]     # prints counts only

ECB+ annotates event and entity mentions with cross-document chains (same chain id = the same
real-world event or entity instance). A pair of sentences of two different documents is labelled:

- **positive** when both lie in one sub-topic and share a cross-document *event* chain; its
  ``grade`` is the Jaccard overlap of all their cross-document chains (events, participants,
  times, places), so a pair that agrees on everything grades near 1 and a pair that shares only
  the event and adds other facts grades lower (our ``partial``);
- **negative** when both lie in one sub-topic and share no event chain (hard negatives: same
  story, other facts), or lie in the two different sub-topics of one topic (the same kind of
  event, another instance: "an earthquake" against another earthquake).

Only the sentences whose coreference the ECB+ authors validated (``coref_validated_sentences``)
are labelled. Every feature is computed as ``compare`` computes it: the articles are parsed and
segmented by the production models, and a document pair's 18 pair features see the whole
document pair (ranks, z-scores, story idf). Parsed documents are cached under /tmp.

Only tune topics may feed a shipped model; check topics hold the hand-aligned check pairs.
"""

from __future__ import annotations

import argparse
import itertools
import pickle
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from common import EVAL, emit, line_starts, lines_of, read_jsonl
from rashomon.analyze.align import feature_matrix
from rashomon.analyze.features import (
    SentenceProfile,
    profiles_for,
)
from rashomon.analyze.segment import segment_article
from rashomon.backends import SentenceEmbedder, SpacyParser
from rashomon.models import Article
from splits import ecb_part

CACHE = Path("/tmp/rashomon_ecb_docs")


@dataclass(frozen=True, slots=True)
class Doc:
    """One parsed, segmented ECB+ document as ``compare`` sees it."""

    id: str
    subtopic: str
    profiles: list[SentenceProfile]
    vectors: npt.NDArray[np.float32]
    lines: list[tuple[int, ...]]  # the text lines each segmented sentence covers


@dataclass(slots=True)
class PairSet:
    """Labelled sentence pairs: features, the two sentence vectors, label, grade, group."""

    x: npt.NDArray[np.float64]  # (n, 18) pair features in document-pair context
    u: npt.NDArray[np.float32]  # (n, 384) embedding of the left sentence
    v: npt.NDArray[np.float32]
    y: npt.NDArray[np.int8]  # 1 = same fact
    grade: npt.NDArray[np.float32]  # chain overlap of positives, 0 for negatives
    m: npt.NDArray[np.float32]  # (n, 384) mean sentence vector of the row's document pair
    topic: npt.NDArray[np.str_]  # for grouped cross-validation
    same_story: npt.NDArray[np.bool_]  # False for a cross-sub-topic negative


def parse_docs(records: Sequence[dict[str, object]], tag: str) -> dict[str, Doc]:
    """Parse, segment, profile and embed documents (cached in /tmp by ``tag``)."""
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{tag}.pkl"
    if path.exists():
        # plain tuples in the cache: a pickled class would be bound to the module that wrote it
        cached = {k: Doc(*fields) for k, fields in pickle.loads(path.read_bytes()).items()}
        if set(cached) >= {str(r["id"]) for r in records}:
            return cached
    parser, embedder = SpacyParser(), SentenceEmbedder()
    out: dict[str, Doc] = {}
    for rec in records:
        art = Article(id=str(rec["id"]), text=str(rec["text"]), outlet=str(rec["id"]))
        parsed = parser.parse([art.text])[0]
        art = segment_article(art, parsed)
        spans = [(s.start, s.end) for s in art.sentences]
        starts = line_starts(art.text)
        out[art.id] = Doc(
            id=art.id,
            subtopic=str(rec["subtopic"]),
            profiles=profiles_for(parsed, spans),
            vectors=embedder.encode([s.text for s in art.sentences]),
            lines=[tuple(lines_of(starts, a, b)) for a, b in spans],
        )
    fields = {k: (d.id, d.subtopic, d.profiles, d.vectors, d.lines) for k, d in out.items()}
    path.write_bytes(pickle.dumps(fields))
    return out


def chains_by_sentence() -> tuple[dict[tuple[str, int], set[str]], dict[tuple[str, int], set[str]]]:
    """Cross-document event chains and entity chains of each (document, XML sentence)."""
    events: dict[tuple[str, int], set[str]] = defaultdict(set)
    entities: dict[tuple[str, int], set[str]] = defaultdict(set)
    for m in read_jsonl(EVAL / "ecbplus" / "mentions.jsonl.gz"):
        if m["chain_scope"] != "cross_doc":
            continue
        key = (str(m["doc_id"]), int(m["sentence"]))  # type: ignore[call-overload]
        (events if m["kind"] == "event" else entities)[key].add(str(m["chain_id"]))
    return events, entities


def pair_context_features(a: Doc, b: Doc, cells: Iterable[tuple[int, int]]) -> list[list[float]]:
    """The 18 pair features of chosen cells of a document pair, in that pair's context."""
    rows = feature_matrix(a.profiles, b.profiles, a.vectors @ b.vectors.T)
    width = len(b.profiles)
    return [rows[i * width + j].tolist() for i, j in cells]


def story_mean(a: Doc, b: Doc) -> npt.NDArray[np.float32]:
    """The mean sentence vector of a document pair (what its sentences share: the topic)."""
    return np.asarray(np.vstack([a.vectors, b.vectors]).mean(axis=0), dtype=np.float32)


def build(part: str, *, cross_story: bool = True) -> PairSet:
    """Every labelled pair of one part's documents."""
    every = read_jsonl(EVAL / "ecbplus" / "documents.jsonl.gz")
    records = [d for d in every if ecb_part(str(d["id"])) == part]
    docs = parse_docs(records, f"ecb_{part}")
    meta = {str(r["id"]): r for r in records}
    events, entities = chains_by_sentence()

    def sentence_chains(doc: Doc, k: int) -> tuple[set[str], set[str]] | None:
        numbers = [meta[doc.id]["sentence_numbers"][line] for line in doc.lines[k]]  # type: ignore[index]
        valid = set(meta[doc.id]["coref_validated_sentences"])  # type: ignore[call-overload]
        if doc.profiles[k].is_metadata or not numbers or not set(numbers) <= valid:
            return None
        ev = set().union(*(events.get((doc.id, n), set()) for n in numbers))
        en = set().union(*(entities.get((doc.id, n), set()) for n in numbers))
        return ev, en

    labelled = {
        d.id: {k: c for k in range(len(d.profiles)) if (c := sentence_chains(d, k))}
        for d in docs.values()
    }
    by_topic: dict[str, list[Doc]] = defaultdict(list)
    for d in sorted(docs.values(), key=lambda d: d.id):
        by_topic[d.subtopic.split("_")[0]].append(d)
    xs, us, vs, ms, ys, grades, topics, same = [], [], [], [], [], [], [], []
    for topic, members in sorted(by_topic.items()):
        for a, b in itertools.combinations(members, 2):
            story = a.subtopic == b.subtopic
            if not story and not cross_story:
                continue
            cells = [(i, j) for i in labelled[a.id] for j in labelled[b.id]]
            if not cells:
                continue
            xs.extend(pair_context_features(a, b, cells))
            mean = story_mean(a, b)
            for i, j in cells:
                (ea, na), (eb, nb) = labelled[a.id][i], labelled[b.id][j]
                positive = story and bool(ea & eb)
                union = ea | na | eb | nb
                ys.append(int(positive))
                grades.append(len((ea | na) & (eb | nb)) / len(union) if positive else 0.0)
                us.append(a.vectors[i])
                vs.append(b.vectors[j])
                ms.append(mean)
                topics.append(topic)
                same.append(story)
    return PairSet(
        x=np.asarray(xs, dtype=np.float64),
        u=np.asarray(us, dtype=np.float32),
        v=np.asarray(vs, dtype=np.float32),
        m=np.asarray(ms, dtype=np.float32),
        y=np.asarray(ys, dtype=np.int8),
        grade=np.asarray(grades, dtype=np.float32),
        topic=np.asarray(topics),
        same_story=np.asarray(same, dtype=bool),
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--part", choices=("tune", "check"), default="tune")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    pairs = build(args.part)
    positive = pairs.y == 1
    emit(
        {
            "part": args.part,
            "pairs": len(pairs.y),
            "positive": int(positive.sum()),
            "positive_grade_ge_0.5": int((pairs.grade >= 0.5).sum()),
            "negative_same_story": int((~positive & pairs.same_story).sum()),
            "negative_other_story": int((~pairs.same_story).sum()),
            "topics": len(set(pairs.topic.tolist())),
        },
        as_json=args.json,
    )


if __name__ == "__main__":
    main()
