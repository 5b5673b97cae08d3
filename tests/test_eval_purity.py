"""Fact purity as benchmarks/eval_alignment.py scores it, on invented articles."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from factories import make_article
from rashomon.models import Comparison, Fact

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
try:
    import eval_alignment  # a benchmarks/ script, put on sys.path just here
finally:
    sys.path.remove(str(BENCHMARKS))


def one_sentence_a_line(article_id: str, sentences: list[str]):  # type: ignore[no-untyped-def]
    article = make_article(article_id, article_id, sentences)
    return dataclasses.replace(article, text="\n".join(sentences))  # same offsets


def comparison() -> Comparison:
    a = one_sentence_a_line(
        "a",
        [
            "The Pellworth ferry sank on Monday.",
            "All forty passengers of the Pellworth ferry were rescued.",
            "The harbour master of Tolvik resigned.",
        ],
    )
    b = one_sentence_a_line(
        "b",
        ["A ferry went down off Pellworth on Monday.", "Tolvik's mayor opened a new school."],
    )
    facts = (
        Fact(id="f1", sentences=("a:s1", "a:s2", "b:s1"), outlets=("a", "b"), status="shared"),
        Fact(id="f2", sentences=("a:s3", "b:s2"), outlets=("a", "b"), status="shared"),
        Fact(id="f3", sentences=("a:s3",), outlets=("a",), status="single"),
    )
    return Comparison(articles=(a, b), facts=facts)


GOLD = {"links": [{"a": 0, "b": 0, "relation": "equivalent"}], "doubtful": [[1, 0]]}


def test_a_fact_is_pure_when_every_cross_pair_is_gold_or_doubtful() -> None:
    c = comparison()
    good = eval_alignment.gold_or_doubtful(GOLD)
    facts = eval_alignment.fact_lines(c)
    assert [fact_id for fact_id, _, _ in facts] == ["f1", "f2"]  # single-outlet facts left out
    impure = {
        fact_id: eval_alignment.impure_pairs(side_a, side_b, good)
        for fact_id, side_a, side_b in facts
    }
    assert impure == {"f1": [], "f2": [(2, 1)]}


def test_the_baseline_facts_are_connected_components_of_its_links() -> None:
    good = eval_alignment.gold_or_doubtful(GOLD)
    parts = eval_alignment.components({(0, 0), (1, 0), (1, 1), (2, 2)})
    shapes = sorted(([r[0] for r in side_a], [r[0] for r in side_b]) for side_a, side_b in parts)
    assert shapes == [([0, 1], [0, 1]), ([2], [2])]
    # (0, 1) is not linked but joins through the chain 0-0-1-1: the component is impure
    impure = [eval_alignment.impure_pairs(side_a, side_b, good) for side_a, side_b in parts]
    assert sorted(impure) == [[(0, 1), (1, 1)], [(2, 2)]]
