"""Near-duplicate groups and wire-copy edges (invented texts, real MinHash and LSH)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.dedupe import (
    NUM_PERM,
    CopyEdge,
    DedupeEntry,
    DedupeIndex,
    agency_of_outlet,
    copied_share,
    credited_agency,
    estimate_jaccard,
    find_duplicates,
    make_entry,
    shingles,
    sign,
)
from rashomon.models import Article

BASE = (
    "A fire broke out at the old grain depot on Harbor Road late on Tuesday and burned for six "
    "hours before crews from four towns brought it under control. Two warehouses were destroyed "
    "and a third was badly damaged. No one was hurt, the fire chief Lena Moss told reporters at "
    "a briefing on Wednesday morning, but about forty families were asked to leave their homes "
    "overnight because of the smoke. The cause of the fire is not yet known and an inquiry will "
    "begin next week, the town council said in a statement."
)
# the base with three words changed and a closing sentence of the outlet's own
EDITED = (
    BASE.replace("six hours", "seven hours").replace("forty families", "forty households")
    + " Harbor Road will stay closed until Friday."
)
UNRELATED = (
    "The city library will open a new reading room for children next month, the head librarian "
    "said on Monday. The room will hold about two thousand picture books and host story hours "
    "twice a week. Volunteers are still needed to help sort the donated books, and anyone who "
    "wants to take part can sign up at the front desk or on the library website."
)


def _entry(
    aid: str, text: str, *, outlet: str = "Harbor Times", date: str | None = None
) -> DedupeEntry:
    return make_entry(Article(id=aid, text=text, outlet=outlet, date=date))


def test_shingles_are_runs_of_normalized_words() -> None:
    assert shingles("The FIRE, at the depot!", shingle_words=3) == {
        "the fire at",
        "fire at the",
        "at the depot",
    }
    assert shingles("Two words", shingle_words=5) == {"two words"}
    assert shingles("  ...  ") == set()


def test_signature_ignores_case_spacing_and_punctuation() -> None:
    signature = sign(BASE)
    assert signature == sign(BASE.upper().replace(" ", "   ").replace(",", " ;"))
    assert len(signature.hashvalues) == NUM_PERM * 4
    assert signature.n_shingles == len(shingles(BASE))


def test_jaccard_estimates() -> None:
    assert estimate_jaccard(sign(BASE), sign(BASE)) == 1.0
    assert estimate_jaccard(sign(BASE), sign(UNRELATED)) == 0.0
    assert estimate_jaccard(sign(""), sign("")) == 0.0
    with pytest.raises(ValueError, match="signatures of 128 and 64 permutations"):
        estimate_jaccard(sign(BASE), sign(BASE, num_perm=64))


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=200), st.text(max_size=200))
def test_jaccard_is_symmetric(left: str, right: str) -> None:
    assert estimate_jaccard(sign(left), sign(right)) == estimate_jaccard(sign(right), sign(left))


def test_copied_share_is_the_share_of_own_shingles_in_the_origin() -> None:
    # copy shingles: "a b c d e", "b c d e f", "c d e f g"; the first two are in the origin
    assert copied_share("a b c d e f g", "a b c d e f x y") == 0.6667
    assert copied_share(BASE, BASE + " More words of the outlet's own follow here.") == 1.0
    assert copied_share("", BASE) == 0.0


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("PORTVILLE, May 2 (Reuters) — A fire broke out.", "Reuters"),
        ("PORTVILLE (AP) - A fire broke out.", "Associated Press"),
        ("PORTVILLE, May 2 (AFP) -- A fire broke out.", "AFP"),
        ("A fire broke out.\n(Reporting by Ana Ruiz; Editing by Tom Berg)", "Reuters"),
        ("A fire broke out at the depot.\n— The Associated Press", "Associated Press"),
        ("A fire broke out, AP and Reuters reported.", None),
        ("The fire chief (AP style aside) said nothing.", None),
    ],
)
def test_credited_agency(text: str, agency: str | None) -> None:
    assert credited_agency(text) == agency


@pytest.mark.parametrize(
    ("outlet", "agency"),
    [
        ("reuters.com", "Reuters"),
        ("www.apnews.com", "Associated Press"),
        ("AFP", "AFP"),
        ("uk.reuters.com", "Reuters"),
        ("notreuters.com", None),
        ("Harbor Times", None),
    ],
)
def test_agency_of_outlet(outlet: str, agency: str | None) -> None:
    assert agency_of_outlet(outlet) == agency


def test_near_duplicate_is_found_and_unrelated_is_not() -> None:
    index = DedupeIndex()
    first = index.add(_entry("a1", BASE))
    assert (first.neighbors, first.members, first.is_new) == ((), ("a1",), True)
    unrelated = index.add(_entry("u1", UNRELATED))
    assert unrelated.neighbors == ()
    copy = index.add(_entry("b1", EDITED))
    assert [n.article_id for n in copy.neighbors] == ["a1"]
    assert copy.neighbors[0].jaccard == estimate_jaccard(sign(EDITED), sign(BASE))
    assert 0.6 < copy.neighbors[0].jaccard < 0.95
    assert (copy.group_id, copy.members) == ("a1", ("a1", "b1"))
    assert index.group_id("u1") == "u1"


def test_copy_edge_points_at_the_agency() -> None:
    updates = find_duplicates(
        [
            _entry("c1", BASE, outlet="Harbor Times", date="2024-05-01"),
            _entry("c2", EDITED, outlet="reuters.com", date="2024-05-02"),
            _entry("c3", BASE, outlet="Evening Ledger", date="2024-05-03"),
        ]
    )
    assert updates["c3"].copies == updates["c1"].copies
    edges = {e.article_id: (e.origin_id, e.agency) for e in updates["c1"].copies}
    assert edges == {"c1": ("c2", "Reuters"), "c3": ("c2", "Reuters")}


def test_an_article_crediting_an_agency_outranks_an_earlier_one() -> None:
    credited = "PORTVILLE, May 2 (Reuters) — " + BASE
    updates = find_duplicates(
        [
            _entry("d1", BASE, date="2024-05-01"),
            _entry("d2", credited, outlet="Evening Ledger", date="2024-05-02"),
        ]
    )
    (edge,) = updates["d1"].copies
    assert (edge.article_id, edge.origin_id, edge.agency) == ("d1", "d2", "Reuters")


def test_without_an_agency_the_earliest_is_the_origin() -> None:
    updates = find_duplicates(
        [
            _entry("e1", EDITED, date="2024-05-03"),
            _entry("e2", BASE, date=None),
            _entry("e3", BASE + " Updated.", date="2024-05-02T08:00"),
            _entry("e4", BASE, date="2024-05-02T08:00"),
        ]
    )
    origins = {e.article_id: e.origin_id for e in updates["e1"].copies}
    # e3 and e4 tie on date; the smaller id wins; an undated article ranks last
    assert origins == {"e1": "e3", "e2": "e3", "e4": "e3"}
    assert updates["e4"].group_id == "e1"


def test_copied_share_of_a_shortened_copy() -> None:
    first_half = BASE[: BASE.index(" No one was hurt")]
    updates = find_duplicates(
        [_entry("f1", BASE, date="2024-05-01"), _entry("f2", first_half, date="2024-05-02")]
    )
    (edge,) = updates["f2"].copies
    assert edge == CopyEdge(
        article_id="f2",
        origin_id="f1",
        jaccard=edge.jaccard,
        copied_share=edge.copied_share,
        agency=None,
    )
    assert copied_share(first_half, BASE) == 1.0
    assert edge.copied_share == pytest.approx(1.0, abs=0.15)


def test_groups_and_edges_do_not_depend_on_arrival_order() -> None:
    entries = [
        _entry("g1", BASE, date="2024-05-02"),
        _entry("g2", EDITED, date="2024-05-01"),
        _entry("g3", UNRELATED, date="2024-05-01"),
        _entry("g4", "PORTVILLE (AP) — " + BASE, outlet="Coast Radio", date="2024-05-03"),
    ]
    results = [find_duplicates(order) for order in itertools.permutations(entries)]
    first = results[0]
    for other in results[1:]:
        for aid in ("g1", "g2", "g3", "g4"):
            assert other[aid].members == first[aid].members
            assert other[aid].copies == first[aid].copies
    assert first["g1"].members == ("g1", "g2", "g4")
    assert {e.article_id: e.origin_id for e in first["g1"].copies} == {"g1": "g4", "g2": "g4"}


def test_index_refuses_a_bad_threshold_and_other_signatures() -> None:
    with pytest.raises(ValueError, match=r"jaccard_threshold must be in \(0, 1\], got 0"):
        DedupeIndex(jaccard_threshold=0)
    entry = make_entry(Article(id="h1", text=BASE, outlet="x"), num_perm=64)
    with pytest.raises(ValueError, match="article h1: signature has 64 permutations"):
        DedupeIndex().add(entry)


def test_an_agency_outlet_entry() -> None:
    entry = _entry("i1", BASE, outlet="AFP")
    assert (entry.agency, entry.is_agency) == ("AFP", True)
    credited = _entry("i2", "PARIS (AFP) — " + BASE)
    assert (credited.agency, credited.is_agency) == ("AFP", False)


POOL = [BASE, EDITED, UNRELATED, BASE + " Updated on Thursday.", "PORTVILLE (AP) — " + BASE]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=1, max_size=8),
    st.data(),
)
def test_adding_again_changes_nothing(picks: list[tuple[int, int]], data: st.DataObject) -> None:
    entries = {
        f"x{n}": _entry(f"x{n}", POOL[text], date=f"2024-05-0{day + 1}")
        for n, (text, day) in enumerate(picks)
    }
    index = DedupeIndex()
    for entry in entries.values():
        index.add(entry)
    before = {aid: index.state(aid) for aid in entries}
    again = data.draw(st.lists(st.sampled_from(sorted(entries)), min_size=1))
    for aid in again:
        update = index.add(entries[aid])
        assert update.is_new is False
        assert update == before[aid]
    assert len(index) == len(entries)
    assert {aid: index.state(aid) for aid in entries} == before
