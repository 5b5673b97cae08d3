"""Score rashomon's entity grouping on the ECB+ gold entity mentions.

For each sub-topic (one story), the gold mentions with ``kind == "entity"`` (and a known
offset) are grouped with ``rashomon.who.entities.group_mentions``, the same logic ``compare`` runs
on spaCy's names, and scored against the gold ``chain_id`` clusters. The exact-string baseline
puts mentions with identical text (case-sensitive) of one story in one cluster.

Each mention's label is its gold ECB+ type (HUMAN_PART_PER, LOC_GEO, TIME_DATE ...), which plays
the part spaCy's label plays in ``compare``.

Metrics (gold mentions, so key and response hold the same mentions; singletons count):
- B³ (Bagga & Baldwin 1998): per mention m, precision |K(m) ∩ R(m)| / |R(m)| and recall
  |K(m) ∩ R(m)| / |K(m)|, averaged over all mentions of all stories.
- MUC (Vilain et al. 1995): recall = Σ_K (|K| - p(K)) / Σ_K (|K| - 1), where p(K) is the number
  of response clusters K is split into; precision swaps key and response.
- CEAF-e (Luo 2005): clusters aligned one-to-one by the Hungarian algorithm maximising
  Σ φ4(K, R) = 2|K ∩ R| / (|K| + |R|); precision = Σφ4 / #response clusters, recall
  = Σφ4 / #key clusters. Stories never share clusters, so the sums are taken per story.
- CoNLL F1 = mean of the MUC, B³ and CEAF-e F1 (Pradhan et al. 2012).
All sums are pooled over the stories (micro-average). The figures agree with scorch 0.2.0
(the CoNLL-2012 scorer reimplementation) to 1e-12 on this data.

By default only mentions in the sentences whose coreference ECB+ validated are scored, as in
the literature: elsewhere the annotators left most mentions as unlinked singletons, which
would count every right merge there as an error (``--all-sentences`` scores them too).

Stories are split by ECB+ topic (``benchmarks/splits.py``): ``--part check`` (the default, the
headline) scores the check topics only, ``tune`` the others, ``all`` both. Nothing is fitted
here; the grouping rules were written on the whole public part before the split, so the check
figure is only as unseen as that history allows.

Usage: python benchmarks/eval_entities.py [--data DIR] [--part tune|check|all] [--json]
       [--errors N] [--pairs]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

from common import EVAL, emit, read_jsonl
from rashomon.who.entities import group_mentions
from rashomon.who.names import MentionText, looks_like_name, name_key
from splits import Part, ecb_part, in_part

Clusters = Sequence[Sequence[int]]
PERSON_LABELS = ("HUMAN_PART_PER",)  # the ECB+ type that plays spaCy's PERSON


@dataclass
class Sums:
    """Pooled numerators and denominators of the three metrics."""

    b3_p: float = 0.0
    b3_r: float = 0.0
    mentions: int = 0
    muc_p_num: float = 0.0
    muc_p_den: float = 0.0
    muc_r_num: float = 0.0
    muc_r_den: float = 0.0
    ceaf: float = 0.0
    key_clusters: int = 0
    response_clusters: int = 0
    by_story: dict[str, float] = field(default_factory=dict)

    def add(self, key: Clusters, response: Clusters) -> None:
        key_of = {m: n for n, c in enumerate(key) for m in c}
        resp_of = {m: n for n, c in enumerate(response) for m in c}
        overlap: Counter[tuple[int, int]] = Counter((key_of[m], resp_of[m]) for m in key_of)
        for m in key_of:
            shared = overlap[(key_of[m], resp_of[m])]
            self.b3_p += shared / len(response[resp_of[m]])
            self.b3_r += shared / len(key[key_of[m]])
        self.mentions += len(key_of)
        self.muc_r_num += sum(len(c) - len({resp_of[m] for m in c}) for c in key)
        self.muc_r_den += sum(len(c) - 1 for c in key)
        self.muc_p_num += sum(len(c) - len({key_of[m] for m in c}) for c in response)
        self.muc_p_den += sum(len(c) - 1 for c in response)
        phi = np.zeros((len(key), len(response)))
        for (k, r), shared in overlap.items():
            phi[k, r] = 2 * shared / (len(key[k]) + len(response[r]))
        rows, cols = linear_sum_assignment(phi, maximize=True)
        self.ceaf += float(phi[rows, cols].sum())
        self.key_clusters += len(key)
        self.response_clusters += len(response)

    def figures(self) -> dict[str, float]:
        b3_p, b3_r = self.b3_p / self.mentions, self.b3_r / self.mentions
        muc_p = self.muc_p_num / self.muc_p_den if self.muc_p_den else 1.0
        muc_r = self.muc_r_num / self.muc_r_den if self.muc_r_den else 1.0
        ceaf_p, ceaf_r = self.ceaf / self.response_clusters, self.ceaf / self.key_clusters
        b3_f1, muc_f1, ceaf_f1 = f1(b3_p, b3_r), f1(muc_p, muc_r), f1(ceaf_p, ceaf_r)
        return {
            "b3_precision": b3_p,
            "b3_recall": b3_r,
            "b3_f1": b3_f1,
            "muc_f1": muc_f1,
            "ceafe_f1": ceaf_f1,
            "conll_f1": (b3_f1 + muc_f1 + ceaf_f1) / 3,
        }


def _ratio_at(threshold: float) -> Callable[[str, str], bool]:
    from rapidfuzz.fuzz import ratio

    return lambda a, b: bool(ratio(a, b) >= threshold)


def _jaro_winkler_at(threshold: float) -> Callable[[str, str], bool]:
    from rapidfuzz.distance import JaroWinkler

    return lambda a, b: bool(JaroWinkler.similarity(a, b) >= threshold)


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def read_stories(
    data: Path, *, validated_only: bool, part: Part = "all"
) -> dict[str, list[dict[str, object]]]:
    """Gold entity mentions by sub-topic (of the topics of ``part``), by document and offset."""
    validated = {
        str(d["id"]): set(d["coref_validated_sentences"])  # type: ignore[call-overload]
        for d in read_jsonl(data / "documents.jsonl.gz")
    }
    stories: dict[str, list[dict[str, object]]] = defaultdict(list)
    for m in read_jsonl(data / "mentions.jsonl.gz"):
        if m["kind"] != "entity" or m["start"] is None:
            continue
        if not in_part(ecb_part(str(m["subtopic"])), part):
            continue
        if validated_only and m["sentence"] not in validated[str(m["doc_id"])]:
            continue
        stories[str(m["subtopic"])].append(m)
    for mentions in stories.values():
        mentions.sort(key=lambda m: (str(m["doc_id"]), int(str(m["start"]))))
    return dict(sorted(stories.items()))


def gold_clusters(mentions: Sequence[dict[str, object]]) -> list[list[int]]:
    chains: dict[object, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        chains[m["chain_id"]].append(i)
    return list(chains.values())


def exact_clusters(mentions: Sequence[dict[str, object]]) -> list[list[int]]:
    same: dict[object, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        same[m["text"]].append(i)
    return list(same.values())


def to_mention_texts(mentions: Sequence[dict[str, object]]) -> list[MentionText]:
    return [
        MentionText(
            text=str(m["text"]),
            label=str(m["type"]),
            doc=str(m["doc_id"]),
            position=int(str(m["start"])),
        )
        for m in mentions
    ]


def score_story(mentions: Sequence[dict[str, object]], sums: dict[str, Sums]) -> None:
    """Add one story to the running sums: all mentions, and the names alone.

    The names alone (people, organizations and places written as proper names) are what
    ``compare`` groups, since it sees spaCy's named entities only.
    """
    gold = gold_clusters(mentions)
    texts = to_mention_texts(mentions)
    sums[""].add(gold, group_mentions(texts, person_labels=PERSON_LABELS))
    no_pronouns = group_mentions(texts, person_labels=PERSON_LABELS, resolve_pronouns=False)
    sums["no_pronouns_"].add(gold, no_pronouns)
    sums["baseline_"].add(gold, exact_clusters(mentions))
    names = [m for m in mentions if is_name_mention(m)]
    if names:
        gold = gold_clusters(names)
        sums["names_"].add(
            gold, group_mentions(to_mention_texts(names), person_labels=PERSON_LABELS)
        )
        sums["names_baseline_"].add(gold, exact_clusters(names))


def is_name_mention(mention: dict[str, object]) -> bool:
    kind = str(mention["type"])
    return kind.startswith(("HUMAN_PART", "LOC")) and looks_like_name(str(mention["text"]))


def show_errors(stories: dict[str, list[dict[str, object]]], limit: int) -> None:
    """Print the largest wrong merges and missed links, for reading."""
    for story, mentions in stories.items():
        response = group_mentions(to_mention_texts(mentions), person_labels=PERSON_LABELS)
        for cluster in response:
            chains = Counter(str(mentions[i]["chain_id"])[:14] for i in cluster)
            if len(chains) > 1 and limit > 0:
                texts = Counter(str(mentions[i]["text"]) for i in cluster)
                print(
                    f"{story} MERGED {dict(chains)} {dict(texts.most_common(8))}", file=sys.stderr
                )
                limit -= 1
        resp_of = {i: n for n, c in enumerate(response) for i in c}
        for chain in gold_clusters(mentions):
            parts = defaultdict(list)
            for i in chain:
                parts[resp_of[i]].append(str(mentions[i]["text"]))
            if len(parts) > 1 and limit > 0:
                shown = [sorted(set(p))[:4] for p in parts.values()][:6]
                print(f"{story} SPLIT {shown}", file=sys.stderr)
                limit -= 1


def show_pairs(stories: dict[str, list[dict[str, object]]]) -> None:
    """How the spelling-variant tests do on pairs of distinct name words of one story.

    Words of capitalised people, organization and place mentions only; a pair is "same" when
    the two words' mentions share a gold chain. Prints, for the sound-key
    rule and for rapidfuzz ratio / Jaro-Winkler thresholds, how many same and different pairs
    pass: the thresholds in rashomon.who.entities were set where different pairs stop passing.
    """

    from rashomon.who.names import is_variant_word

    pairs: list[tuple[str, str, bool]] = []
    for mentions in stories.values():
        chains: dict[str, set[object]] = defaultdict(set)
        for m in mentions:
            text = str(m["text"])
            if text[:1].isupper() and str(m["type"]).startswith(("HUMAN", "LOC")):
                for word in name_key(text, person=False):
                    if len(word) >= 4 and word.isalpha():
                        chains[word].add(m["chain_id"])
        words = sorted(chains)
        for n, a in enumerate(words):
            pairs.extend((a, b, bool(chains[a] & chains[b])) for b in words[n + 1 :])
    tests: dict[str, Callable[[str, str], bool]] = {
        "is_variant_word": lambda a, b: is_variant_word(a, b),
        **{f"ratio>={t}": _ratio_at(t) for t in (80, 85, 90, 95)},
        **{f"jaro_winkler>={t}": _jaro_winkler_at(t) for t in (0.85, 0.9, 0.95)},
    }
    for name, test in tests.items():
        passed = [(a, b, same) for a, b, same in pairs if test(a, b)]
        wrong = [f"{a}/{b}" for a, b, same in passed if not same]
        print(
            f"{name:<20} same {len(passed) - len(wrong):>3}  different {len(wrong):>3}  "
            f"e.g. {', '.join(wrong[:4])}",
            file=sys.stderr,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=EVAL / "ecbplus")
    ap.add_argument("--part", choices=("tune", "check", "all"), default="check")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    ap.add_argument("--errors", type=int, default=0, help="print up to N grouping errors")
    ap.add_argument("--pairs", action="store_true", help="check the spelling-variant test")
    ap.add_argument(
        "--all-sentences",
        action="store_true",
        help="also score mentions outside the sentences whose coreference ECB+ validated",
    )
    args = ap.parse_args()
    stories = read_stories(args.data, validated_only=not args.all_sentences, part=args.part)
    figures: dict[str, object] = {
        "part": args.part,
        "sentences": "all" if args.all_sentences else "validated",
        "stories": len(stories),
    }
    sums = {name: Sums() for name in ("", "baseline_", "no_pronouns_", "names_", "names_baseline_")}
    for mentions in stories.values():
        score_story(mentions, sums)
    figures["mentions"] = sums[""].mentions
    figures["name_mentions"] = sums["names_"].mentions
    for prefix, total in sums.items():
        figures.update({prefix + k: v for k, v in total.figures().items()})
    # the headline keys shared by every evaluation script (the same figures as b3_f1 ...)
    figures["bcubed_f1"] = figures["b3_f1"]
    figures["baseline_bcubed_f1"] = figures["baseline_b3_f1"]
    figures["names_bcubed_f1"] = figures["names_b3_f1"]
    figures["baseline_names_bcubed_f1"] = figures["names_baseline_b3_f1"]
    if args.errors:
        show_errors(stories, args.errors)
    if args.pairs:
        show_pairs(stories)
    emit(figures, as_json=args.json)


if __name__ == "__main__":
    main()
