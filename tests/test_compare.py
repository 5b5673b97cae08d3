"""The compare core on the bundled demo story, scored against our own annotation."""

from __future__ import annotations

import json

import jsonschema

from conftest import EXAMPLES, FIXTURES
from rashomon.models import Comparison
from rashomon.schema import json_schema, to_json

GOLD = json.loads((FIXTURES / "harbor_fire_gold.json").read_text(encoding="utf-8"))


def _source_name(c: Comparison, sentence_id: str) -> str:
    source = c.article_of(sentence_id).source or ""
    return source.rsplit("/", 1)[-1]


def _find(c: Comparison, file_name: str, text: str) -> str:
    """The id of the sentence of that file that contains (or is contained in) the gold text."""
    for article in c.articles:
        if (article.source or "").endswith(file_name):
            for sent in article.sentences:
                if text in sent.text or sent.text in text:
                    return sent.id
    raise AssertionError(f"{file_name}: no sentence for {text!r}")


def test_every_article_is_read_with_its_metadata(harbor_comparison: Comparison) -> None:
    outlets = sorted(a.outlet for a in harbor_comparison.articles)
    assert outlets == [
        "Coastline Post",
        "Meridian Wire",  # the holder of its copyright line: the file has no outlet field
        "The Daily Courier",
        "Venner State Bulletin",
    ]
    dates = {a.outlet: a.date for a in harbor_comparison.articles}
    assert dates["Coastline Post"] == "2025-03-15"
    assert dates["Meridian Wire"] == "2025-03-14"


def test_sentences_point_back_to_their_exact_span(harbor_comparison: Comparison) -> None:
    for article in harbor_comparison.articles:
        assert article.sentences
        for n, sent in enumerate(article.sentences, start=1):
            assert sent.id == f"{article.id}:s{n}"
            assert article.text[sent.start : sent.end] == sent.text


def test_gold_shared_facts_are_linked(harbor_comparison: Comparison) -> None:
    c = harbor_comparison
    fact_of = {s: f for f in c.facts for s in f.sentences}
    linked_pairs = {
        frozenset((a.source, a.target))
        for a in c.alignments
        if a.relation in ("equivalent", "partial")
    }
    found = total = 0
    for fact in GOLD["facts"]:
        ids = [_find(c, name, text) for name, texts in fact["sentences"].items() for text in texts]
        for i, x in enumerate(ids):
            for y in ids[i + 1 :]:
                if c.article_of(x).id == c.article_of(y).id:
                    continue
                total += 1
                found += frozenset((x, y)) in linked_pairs or fact_of[x] == fact_of[y]
    assert total > 20
    # 0.6 with the model fitted on all 14 hand-aligned ECB+ pairs (link threshold 0.4); the model
    # fitted on the tune topics only, at its tune-chosen link threshold 0.725 (unique lines kept
    # >= 0.95), links 28 of 56 here: a recall loss the held-out figures show too. A fact grows
    # only from its core (no chains through a third sentence): 27 of 56.
    assert found / total >= 0.48, f"only {found}/{total} gold fact pairs linked"


def test_gold_unique_sentences_stay_single(harbor_comparison: Comparison) -> None:
    c = harbor_comparison
    fact_of = {s: f for f in c.facts for s in f.sentences}
    ids = [_find(c, name, text) for name, texts in GOLD["unique"].items() for text in texts]
    single = [s for s in ids if fact_of[s].status == "single"]
    assert len(single) / len(ids) >= 0.8, [s for s in ids if s not in single]


def test_injury_count_and_day_conflicts_are_flagged(harbor_comparison: Comparison) -> None:
    c = harbor_comparison
    numbers = [cf for cf in c.conflicts if cf.kind == "number"]
    values = {(c.article_of(v.sentence).outlet, v.text) for cf in numbers for v in cf.values}
    assert ("Coastline Post", "Five") in values
    assert any(text.lower() == "three" for _, text in values)
    dates = [cf for cf in c.conflicts if cf.kind == "date"]
    assert dates
    day_values = {v.normalized for cf in dates for v in cf.values}
    assert {"2025-03-13", "2025-03-14"} <= day_values
    for cf in c.conflicts:
        for v in cf.values:
            assert c.article_of(v.sentence).text[v.start : v.end] == v.text


def test_summary_cites_real_sentences_and_marks_contested(harbor_comparison: Comparison) -> None:
    c = harbor_comparison
    assert 1 <= len(c.summary) <= 6
    for item in c.summary:
        assert item.sentence in item.support
        assert c.sentence(item.sentence).text == item.text
        assert len({c.article_of(s).outlet for s in item.support}) >= 2
    contested_facts = {cf.fact for cf in c.conflicts}
    for item in c.summary:
        assert (item.status == "contested") == (item.fact in contested_facts)


def test_wording_differences_of_a_linked_pair(harbor_comparison: Comparison) -> None:
    c = harbor_comparison
    replaced = {
        (d.source.lower(), d.target.lower())
        for a in c.alignments
        for d in a.differences
        if d.kind == "replace"
    }
    assert ("fire", "blaze") in replaced or ("blaze", "fire") in replaced


def test_output_validates_against_the_published_schema(harbor_comparison: Comparison) -> None:
    data = json.loads(to_json(harbor_comparison))
    assert data["schema"] == "rashomon/comparison@1"
    jsonschema.validate(data, json_schema())


def test_same_input_gives_the_same_bytes(harbor_comparison: Comparison) -> None:
    from rashomon.pipeline import compare

    again = compare(sorted(EXAMPLES.iterdir()))
    assert to_json(again) == to_json(harbor_comparison)


def _conclusions(c: Comparison) -> tuple[object, ...]:
    """What a comparison concludes, without the presentation order that follows the input."""
    facts = {(frozenset(f.sentences), f.status) for f in c.facts}
    conflicts = {(k.kind, frozenset((v.sentence, v.text) for v in k.values)) for k in c.conflicts}
    summary = {(s.text, frozenset(s.support), s.status) for s in c.summary}
    return facts, conflicts, summary


def test_the_same_articles_give_the_same_conclusions_in_any_order(
    harbor_comparison: Comparison,
) -> None:
    from rashomon.pipeline import compare

    reordered = compare(sorted(EXAMPLES.iterdir(), reverse=True))
    assert [a.id for a in reordered.articles] == [a.id for a in harbor_comparison.articles][::-1]
    assert _conclusions(reordered) == _conclusions(harbor_comparison)
