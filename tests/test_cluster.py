"""Story clustering: real models on invented mini-articles, properties with a hash embedder."""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import pickle
import re
from collections.abc import Sequence
from datetime import date, timedelta
from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.corpus.cluster import (
    STORY_FEATURES,
    ArticleFeatures,
    ClusterParams,
    Story,
    StoryIndex,
    cluster_stories,
    describe_articles,
    load_story_model,
    neutral_title,
    normalize_entity,
    parse_date,
    shipped_story_model,
    story_id,
    story_pair_features,
    title_and_lead,
)
from rashomon.errors import ConfigError
from rashomon.models import Article
from rashomon.nlp import Embedder, FloatArray, TextParser

# Three invented stories, and a fourth event that resembles the third (another earthquake).
TEXTS = {
    "ferry-1": (
        "Fire breaks out on Marlow ferry in Port Alden harbor",
        "A fire broke out on the Marlow Ferries vessel Northern Gull in Port Alden harbor on "
        "Tuesday. Captain Ines Duarte said all 212 passengers were brought ashore. The harbor "
        "master closed the east pier while firefighters worked.",
    ),
    "ferry-2": (
        "Passengers evacuated as ferry burns at Port Alden",
        "Firefighters fought a blaze aboard the Northern Gull, a Marlow Ferries ship, in Port "
        "Alden on Tuesday. Captain Ines Duarte led the evacuation of 212 passengers. The east "
        "pier stayed closed for hours.",
    ),
    "ferry-3": (
        "Port Alden ferry fire: Marlow Ferries suspends Northern Gull sailings",
        "Marlow Ferries suspended sailings of the Northern Gull after Tuesday's fire in Port "
        "Alden harbor. Captain Ines Duarte praised the crew, who evacuated 212 passengers.",
    ),
    "tram-1": (
        "Brenton council approves tram line budget",
        "The Brenton city council voted 9 to 4 on Monday to approve 48 million euros for the "
        "Riverside tram line. Mayor Tomas Ekberg said construction would start in spring.",
    ),
    "tram-2": (
        "Riverside tram line wins council vote in Brenton",
        "Brenton councillors backed the Riverside tram line by 9 votes to 4 on Monday, "
        "releasing 48 million euros. Mayor Tomas Ekberg called the vote a turning point.",
    ),
    "tram-3": (
        "Mayor Ekberg hails Brenton tram decision",
        "Mayor Tomas Ekberg welcomed Monday's council decision to fund the Riverside tram line "
        "in Brenton with 48 million euros after a 9 to 4 vote.",
    ),
    "quake-varn-1": (
        "Earthquake of magnitude 6.1 hits island of Varn",
        "An earthquake of magnitude 6.1 struck the island of Varn on Sunday, damaging houses in "
        "the port town of Kessa. Governor Alma Ruiz said seven people were injured.",
    ),
    "quake-varn-2": (
        "Seven hurt as 6.1 quake shakes Varn island",
        "A magnitude 6.1 earthquake shook Varn island on Sunday and cracked walls in Kessa. "
        "Seven people were hurt, Governor Alma Ruiz said.",
    ),
    "quake-tellmar-1": (
        "Earthquake of magnitude 5.4 hits Tellmar Valley",
        "An earthquake of magnitude 5.4 struck the Tellmar Valley on Thursday, damaging a bridge "
        "near the town of Orvik. Mayor Piet Lanner said two people were injured.",
    ),
    "quake-tellmar-2": (
        "Two injured as 5.4 quake shakes Tellmar Valley",
        "A magnitude 5.4 earthquake shook the Tellmar Valley on Thursday and damaged a bridge at "
        "Orvik. Two people were injured, Mayor Piet Lanner said.",
    ),
}
EXPECTED = {
    frozenset({"ferry-1", "ferry-2", "ferry-3"}),
    frozenset({"tram-1", "tram-2", "tram-3"}),
    frozenset({"quake-varn-1", "quake-varn-2"}),
    frozenset({"quake-tellmar-1", "quake-tellmar-2"}),
}
# a fixed interleaved arrival order
ORDER = [
    "quake-varn-1",
    "ferry-1",
    "tram-1",
    "quake-tellmar-1",
    "ferry-2",
    "quake-varn-2",
    "tram-2",
    "quake-tellmar-2",
    "tram-3",
    "ferry-3",
]


def make_articles() -> list[Article]:
    return [
        Article(id=key, title=TEXTS[key][0], text=TEXTS[key][1], outlet=key.split("-")[0])
        for key in ORDER
    ]


def partition(stories: Sequence[Story]) -> set[frozenset[str]]:
    return {frozenset(s.members) for s in stories}


@pytest.mark.models
def test_real_models_separate_three_stories_and_two_similar_quakes(
    parser: TextParser, embedder: Embedder
) -> None:
    features = describe_articles(make_articles(), embedder=embedder, parser=parser)
    stories = cluster_stories(features, params=ClusterParams(window_days=None))
    assert partition(stories) == EXPECTED
    assert [s.id for s in stories] == [story_id(k) for k in ORDER[:4]]


@pytest.mark.models
def test_real_models_entities_and_vectors(parser: TextParser, embedder: Embedder) -> None:
    (features,) = describe_articles(make_articles()[:1], embedder=embedder, parser=parser)
    assert features.id == "quake-varn-1"
    assert features.title == "Earthquake of magnitude 6.1 hits island of Varn"
    assert {"varn", "kessa", "alma ruiz", "sunday", "seven"} <= features.entities
    assert features.vector.shape == (384,)
    assert float(np.linalg.norm(features.vector)) == pytest.approx(1.0, abs=1e-4)


# --- a hash-based fake embedder for the pure properties ------------------------------------

_WORD = re.compile(r"\w+")
_CAPITALIZED = re.compile(r"\b[A-Z][a-z]+\b")


def fake_vector(text: str, *, dim: int = 64) -> FloatArray:
    """Bag of words hashed into ``dim`` buckets, unit length."""
    vector = np.zeros(dim, dtype=np.float32)
    for word in _WORD.findall(text.lower()):
        bucket = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
        vector[bucket % dim] += 1.0
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def fake_names(text: str) -> frozenset[str]:
    """What NER would find, roughly: capitalized words that do not start a sentence or title."""
    names: set[str] = set()
    for chunk in re.split(r"(?<=[.!?])\s+|\n", text):
        words = _WORD.findall(chunk)
        names.update(w.lower() for w in words[1:] if _CAPITALIZED.fullmatch(w))
    return frozenset(names)


def features(
    key: str, text: str, *, when: date | None = None, group: str | None = None
) -> ArticleFeatures:
    return ArticleFeatures(
        id=key,
        vector=fake_vector(text),
        entities=fake_names(text),
        date=when,
        dedupe_group=group,
    )


def fake_corpus() -> list[ArticleFeatures]:
    return [features(k, "\n".join(TEXTS[k])) for k in ORDER]


def test_fake_embedder_clusters_the_invented_corpus() -> None:
    # the rare long words (place and person names) the two quakes do not share keep them apart
    stories = cluster_stories(fake_corpus(), params=ClusterParams(window_days=None))
    assert partition(stories) == EXPECTED


def test_different_entities_keep_close_vectors_apart() -> None:
    # cosine 0.9 and not one name in common: two similar events, not one
    first = np.array([1.0, 0.0], dtype=np.float32)
    second = np.array([0.9, np.sqrt(1 - 0.81)], dtype=np.float32)
    batch = [
        ArticleFeatures(id="varn", vector=first, entities=frozenset({"varn", "kessa"})),
        ArticleFeatures(id="tellmar", vector=second, entities=frozenset({"tellmar", "orvik"})),
    ]
    params = ClusterParams(window_days=None)
    assert partition(cluster_stories(batch, params=params)) == {
        frozenset({"varn"}),
        frozenset({"tellmar"}),
    }
    # the same vectors with the same names are one story
    named = [dataclasses.replace(a, entities=frozenset({"varn", "kessa"})) for a in batch]
    assert partition(cluster_stories(named, params=params)) == {frozenset({"varn", "tellmar"})}


def test_a_story_is_scored_by_its_best_members_not_its_centroid() -> None:
    # Two unlike members (orthogonal vectors, different names) made one story by their wire
    # group: their centroid is close to neither. A third article like one of them joins,
    # because the score is the mean of the ``top_members`` best member probabilities.
    left = ArticleFeatures(
        id="left", vector=np.array([1.0, 0.0], np.float32), entities=frozenset({"quarn"})
    )
    right = ArticleFeatures(
        id="right", vector=np.array([0.0, 1.0], np.float32), entities=frozenset({"obel"})
    )
    like_left = ArticleFeatures(id="like-left", vector=left.vector, entities=left.entities)
    grouped = [dataclasses.replace(a, dedupe_group="wire-7") for a in (left, right)]
    best_one = StoryIndex(ClusterParams(window_days=None, top_members=1))
    assert best_one.add([*grouped, like_left]) == [story_id("left")] * 3
    # averaged over both members, one of them unlike the article, the score falls short
    both = StoryIndex(ClusterParams(window_days=None, top_members=2, threshold=0.9))
    assert both.add([*grouped, like_left]) == [story_id("left")] * 2 + [story_id("like-left")]


def test_the_story_model_is_read_once_and_was_chosen_on_the_tune_topics() -> None:
    assert shipped_story_model() is shipped_story_model()
    assert shipped_story_model() == load_story_model()
    text = resources.files("rashomon").joinpath("data/story_model.json").read_text("utf-8")
    data = json.loads(text)
    assert "tune topics only" in data["fitted_on"]
    # the settings the fitting script chose are the defaults: one truth, held here
    defaults = ClusterParams()
    assert data["chosen"] == {"top_members": defaults.top_members, "threshold": defaults.threshold}


def test_a_story_model_with_other_features_is_refused() -> None:
    names = list(reversed(STORY_FEATURES))
    n = len(names)
    text = json.dumps(
        {"names": names, "mean": [0.0] * n, "scale": [1.0] * n, "weights": [0.0] * n, "bias": 0}
    )
    with pytest.raises(ValueError, match=r"^story model features .* do not match the code's"):
        load_story_model(text)


def test_story_pair_features_by_hand() -> None:
    a = {"kessa": 4.0, "varn": 1.0}
    b = {"kessa": 4.0, "orvik": 3.0}
    cosine, names, most, least, rarest, product = story_pair_features(0.5, a, b)
    assert cosine == 0.5
    assert names == pytest.approx(16.0 / (np.sqrt(17.0) * 5.0))
    assert most == pytest.approx(3.0 / 7.0)  # a lacks orvik: 3 of b's 7
    assert least == pytest.approx(1.0 / 5.0)  # b lacks varn: 1 of a's 5
    assert rarest == pytest.approx(2.0)  # sqrt of the squared idf of kessa
    assert product == pytest.approx(0.5 * names)
    assert story_pair_features(0.9, {}, {})[1:5] == [0.0, 0.0, 0.0, 0.0]


def test_story_record_fields() -> None:
    day = date(2024, 5, 1)
    batch = [
        features("a", "Ferry fire in Port Alden harbor", when=day + timedelta(days=2)),
        features("b", "Ferry fire in Port Alden harbor", when=day),
    ]
    index = StoryIndex()
    assert index.add(batch) == [story_id("a"), story_id("a")]
    (story,) = index.stories()
    assert story == Story(
        id=story_id("a"), members=("a", "b"), first_date=day, last_date=day + timedelta(days=2)
    )
    assert story_id("a") == hashlib.blake2b(b"a", digest_size=6).hexdigest()
    assert index.story_of("b") == story_id("a")


def test_time_window_splits_same_topic_a_month_apart() -> None:
    text = "Ferry fire in Port Alden harbor, captain Ines Duarte"
    day = date(2024, 5, 1)
    batch = [
        features("may-1", text, when=day),
        features("may-3", text, when=day + timedelta(days=2)),
        features("june", text, when=day + timedelta(days=31)),
    ]
    windowed = cluster_stories(batch, params=ClusterParams(window_days=3))
    assert partition(windowed) == {frozenset({"may-1", "may-3"}), frozenset({"june"})}
    unlimited = cluster_stories(batch, params=ClusterParams(window_days=None))
    assert partition(unlimited) == {frozenset({"may-1", "may-3", "june"})}


def test_window_chains_through_members_and_accepts_earlier_dates() -> None:
    text = "Ferry fire in Port Alden harbor, captain Ines Duarte"
    day = date(2024, 5, 10)
    offsets = [0, 3, 6, -3, 9]  # each within 3 days of some earlier member
    batch = [features(f"d{n}", text, when=day + timedelta(days=n)) for n in offsets]
    (story,) = cluster_stories(batch, params=ClusterParams(window_days=3))
    assert (story.first_date, story.last_date) == (day - timedelta(days=3), day + timedelta(9))


def test_undated_article_joins_a_dated_story() -> None:
    text = "Ferry fire in Port Alden harbor, captain Ines Duarte"
    batch = [features("dated", text, when=date(2024, 5, 1)), features("undated", text)]
    assert partition(cluster_stories(batch)) == {frozenset({"dated", "undated"})}


def test_dedupe_group_joins_without_similarity() -> None:
    batch = [
        features("wire", "Ferry fire in Port Alden harbor", group="g1"),
        features("copy", "Council approves tram budget in Brenton", group="g1"),
        features("other", "Council approves tram budget in Brenton"),
    ]
    stories = cluster_stories(batch, params=ClusterParams(window_days=None))
    assert partition(stories) == {frozenset({"wire", "copy", "other"})}
    assert [s.id for s in stories] == [story_id("wire")]


def test_adding_the_same_article_twice_changes_nothing() -> None:
    index = StoryIndex()
    first = index.add(fake_corpus())
    before = index.stories()
    assert index.add(fake_corpus()[:3]) == first[:3]
    assert index.stories() == before


def test_pickled_index_continues_identically() -> None:
    corpus = fake_corpus()
    index = StoryIndex(ClusterParams(window_days=None, exact_below=0))  # hnswlib from the start
    index.add(corpus[:5])
    copy = pickle.loads(pickle.dumps(index))
    assert index.add(corpus[5:]) == copy.add(corpus[5:])
    assert index.stories() == copy.stories()


def test_hnsw_search_gives_the_exact_search_stories() -> None:
    exact = cluster_stories(fake_corpus(), params=ClusterParams(window_days=None))
    graph = cluster_stories(fake_corpus(), params=ClusterParams(window_days=None, exact_below=2))
    assert graph == exact


def test_params_refuse_bad_values_and_say_why() -> None:
    with pytest.raises(ConfigError, match=r"window_days is 0; it must be > 0, or None \(off\)"):
        ClusterParams(window_days=0)
    with pytest.raises(ConfigError, match=r"threshold is 1.5; it must be in \[0, 1\]"):
        ClusterParams(threshold=1.5)
    with pytest.raises(ConfigError, match="top_members is 0; it must be >= 1"):
        ClusterParams(top_members=0)
    with pytest.raises(ConfigError, match="candidates is 0; it must be >= 1"):
        ClusterParams(candidates=0)


def test_neutral_title_prefers_the_least_loaded_then_common_then_short() -> None:
    titles = [
        "Shocking inferno engulfs ferry!",
        "Ferry fire in Port Alden",
        "Fire on a ferry in Port Alden harbor",
        "Ferry fire in Port Alden",
    ]
    assert neutral_title(titles) == "Ferry fire in Port Alden"
    assert neutral_title(["Fire on a ferry in the harbor", "Ferry fire"]) == "Ferry fire"
    assert neutral_title(["  ", ""]) is None
    story = Story(id="x", members=("a",), first_date=None, last_date=None, titles=tuple(titles))
    assert story.title == "Ferry fire in Port Alden"


def test_normalize_entity() -> None:
    assert normalize_entity("The Marlow Ferries'") == "marlow ferries"
    assert normalize_entity("Ekberg’s") == "ekberg"
    assert normalize_entity("T-Mobile") == "t mobile"
    assert normalize_entity("...") == ""


def test_title_and_lead() -> None:
    untitled = Article(id="a", outlet="o", text="Headline here\nFirst words of the body go on")
    assert title_and_lead(untitled, lead_chars=14) == ("Headline here", "First words of")
    titled = Article(id="b", outlet="o", title=" A  title ", text="Body  text\nmore")
    assert title_and_lead(titled, lead_chars=400) == ("A title", "Body text more")


def test_parse_date() -> None:
    assert parse_date("2024-05-01T10:00:00Z") == date(2024, 5, 1)
    assert parse_date("2024-05-01") == date(2024, 5, 1)
    assert parse_date(None) is None
    assert parse_date("yesterday") is None


# --- hypothesis: random articles over a small vocabulary ---------------------------------

VOCAB = ["ferry", "fire", "harbor", "tram", "council", "budget", "quake", "island", "valley"]

article_texts = st.lists(
    st.lists(st.sampled_from(VOCAB), min_size=1, max_size=5).map(" ".join),
    min_size=1,
    max_size=25,
)
day_offsets = st.lists(st.one_of(st.none(), st.integers(0, 40)), min_size=25, max_size=25)


def build(texts: list[str], offsets: list[int | None]) -> list[ArticleFeatures]:
    start = date(2024, 1, 1)
    return [
        features(
            f"a{n}",
            text,
            when=None if (offset := offsets[n]) is None else start + timedelta(offset),
        )
        for n, text in enumerate(texts)
    ]


@settings(max_examples=60, deadline=None)
@given(article_texts, day_offsets)
def test_clustering_is_a_partition(texts: list[str], offsets: list[int | None]) -> None:
    batch = build(texts, offsets)
    stories = cluster_stories(batch)
    members = [m for s in stories for m in s.members]
    assert sorted(members) == sorted(a.id for a in batch)
    assert len(members) == len(set(members))
    assert [s.id for s in stories] == [story_id(s.members[0]) for s in stories]


@settings(max_examples=60, deadline=None)
@given(article_texts, day_offsets, st.integers(0, 4))
def test_one_by_one_equals_one_batch(
    texts: list[str], offsets: list[int | None], exact_below: int
) -> None:
    batch = build(texts, offsets)
    params = ClusterParams(exact_below=exact_below)
    whole = StoryIndex(params)
    whole.add(batch)
    single = StoryIndex(params)
    for article in batch:
        single.add([article])
    assert single.stories() == whole.stories()


@settings(max_examples=40, deadline=None)
@given(article_texts, day_offsets)
def test_members_of_a_story_chain_within_the_window(
    texts: list[str], offsets: list[int | None]
) -> None:
    batch = build(texts, offsets)
    by_id = {a.id: a.date for a in batch}
    for story in cluster_stories(batch, params=ClusterParams(window_days=3)):
        dates = sorted(d for m in story.members if (d := by_id[m]) is not None)
        assert all((b - a).days <= 3 for a, b in itertools.pairwise(dates))


def test_the_first_two_reports_of_an_event_join_in_a_new_corpus() -> None:
    # Cosine 0.6 and three of five names shared. In an empty corpus every name the second
    # article shares has been in every article seen so far; without the idf prior that made
    # the shared names count for almost nothing and the two reports split.
    first = np.array([1.0, 0.0], dtype=np.float32)
    second = np.array([0.6, 0.8], dtype=np.float32)
    batch = [
        ArticleFeatures(
            id="a", vector=first, entities=frozenset({"orsk", "vand", "lantern", "ilse", "crowns"})
        ),
        ArticleFeatures(
            id="b",
            vector=second,
            entities=frozenset({"orsk", "vand", "lantern", "council", "saturday"}),
        ),
    ]
    joined = {frozenset({"a", "b"})}
    assert partition(cluster_stories(batch, params=ClusterParams(window_days=None))) == joined
    no_prior = ClusterParams(window_days=None, idf_prior=0.0)
    assert partition(cluster_stories(batch, params=no_prior)) != joined


def test_a_negative_idf_prior_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="idf_prior"):
        ClusterParams(idf_prior=-1.0)


# --- forgetting what the window has closed ------------------------------------------------

SYLLABLES = ["ka", "lo", "mi", "ver", "dun", "sel", "tor", "ba", "nim", "ras"]


def invented(n: int) -> str:
    """A made-up name for a number: 307 -> 'Verkanim' (capitalized, letters only)."""
    return "".join(SYLLABLES[int(d)] for d in str(n)).capitalize()


def news_stream(days: int) -> list[ArticleFeatures]:
    """Three events a day, three reports each over two days; the third copies the second."""
    start = date(2025, 1, 6)
    stream = []
    for day in range(days):
        for k in range(3):
            event = 3 * day + k
            a, b, c = invented(100 + event), invented(400 + event), invented(700 + event)
            for j in range(3):
                text = f"Report {j}: fire at the {a} warehouse near {b}, chief {c} said."
                stream.append(
                    features(
                        f"d{day}e{k}r{j}",
                        text,
                        when=start + timedelta(days=day + j // 2),
                        group=f"g{event}" if j else None,
                    )
                )
    return stream


def test_forgetting_keeps_the_index_bounded_and_the_stories_the_same() -> None:
    stream = news_stream(40)  # 360 articles over 41 days
    params = ClusterParams(window_days=3)
    whole, forgetful = StoryIndex(params), StoryIndex(params, horizon_days=7)
    held = []
    for article in stream:
        assert forgetful.add([article]) == whole.add([article])
        held.append(forgetful.n_live)
    assert len(whole) == len(forgetful) == 120
    assert whole.n_live == (120, 360, 360)
    # stories, articles and vectors held: at most what is dated in the last 7 days and the
    # two 3-day buckets before them (14 days, 9 articles a day), however long the stream
    assert [max(counts) for counts in zip(*held, strict=True)] == [40, 119, 113]
    assert max(held[120:]) == max(held[240:])
    assert set(forgetful.stories()) <= set(whole.stories())
    with pytest.raises(KeyError):
        forgetful.story_of("d0e0r0")
    assert forgetful.story_of("d39e2r2") == whole.story_of("d39e2r2")


def test_undated_articles_and_their_stories_are_kept() -> None:
    text = "Fire at the Kalo warehouse near Mirer, chief Dunsel said."
    stream = [features("undated", text), features("dated", text, when=date(2025, 1, 6))]
    stream += [
        features(f"later{n}", f"{invented(n)} council votes on {invented(n + 50)}", when=d)
        for n, d in enumerate(date(2025, 2, 1) + timedelta(days=k) for k in range(20))
    ]
    index = StoryIndex(ClusterParams(window_days=3), horizon_days=2)
    index.add(stream)
    assert index.story_of("dated") == index.story_of("undated") == story_id("undated")


def replay_with_a_store(stream: Sequence[ArticleFeatures], index: StoryIndex) -> list[str]:
    """Add each article as corpus ingest does: a late one first gets its days back."""
    stored: list[tuple[str, ArticleFeatures]] = []
    placed = []
    for article in stream:
        days = index.forgotten_days(article.date)
        if days is not None:
            assert article.date is not None
            dated = {a.id for _, a in stored if a.date and days[0] <= a.date <= days[1]}
            wanted = {story for story, a in stored if a.id in dated}
            index.restore(article.date, [(s, a) for s, a in stored if s in wanted])
        (story,) = index.add([article])
        stored.append((story, article))
        placed.append(story)
    return placed


def test_a_late_report_is_placed_as_if_nothing_was_forgotten() -> None:
    stream = news_stream(30)
    late = features(
        "late", "Report 9: fire at the Kalo warehouse near Verka", when=date(2025, 1, 7)
    )
    late = dataclasses.replace(late, entities=stream[3].entities, vector=stream[3].vector)
    params = ClusterParams(window_days=3)
    whole = StoryIndex(params)
    expected = whole.add([*stream, late])
    forgetful = StoryIndex(params, horizon_days=5)
    assert forgetful.forgotten_days(late.date) is None  # nothing forgotten yet
    assert replay_with_a_store([*stream, late], forgetful) == expected
    assert expected[-1] == story_id("d0e1r0")
    assert forgetful.forgotten_days(late.date) is None  # taken back until the horizon moves
    forgetful.add([features("next", "Tram vote in Brenton", when=date(2025, 2, 20))])
    assert forgetful.forgotten_days(late.date) == (date(2025, 1, 3), date(2025, 1, 11))
    # without taking its days back, the late report starts a story of its own
    alone = StoryIndex(params, horizon_days=5)
    assert alone.add([*stream, late])[-1] == story_id("late")


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30)), min_size=1, max_size=30),
    st.integers(0, 4),
)
def test_forgetting_and_taking_back_changes_no_story(
    reports: list[tuple[int, int]], exact_below: int
) -> None:
    # reports of four recurring events, dated in any order: many arrive later than the horizon
    start = date(2024, 1, 1)
    batch = [
        features(
            f"a{n}",
            f"Report {n} on the {invented(event)} fire near {invented(10 + event)} harbor",
            when=start + timedelta(days=day),
        )
        for n, (event, day) in enumerate(reports)
    ]
    params = ClusterParams(window_days=3, exact_below=exact_below)
    expected = StoryIndex(params).add(batch)
    forgetful = StoryIndex(params, horizon_days=2)
    assert replay_with_a_store(batch, forgetful) == expected


def test_a_negative_horizon_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match=r"horizon_days = -1 must be a number of days above 0"):
        StoryIndex(horizon_days=-1)
