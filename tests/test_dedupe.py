"""Near-duplicate groups and wire-copy edges (invented texts, real MinHash and LSH)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rashomon.corpus.dedupe import (
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
from rashomon.errors import ConfigError
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
        ("PORTVILLE (AP) - A fire broke out.", "AP"),
        ("PORTVILLE, May 2 (AFP) -- A fire broke out.", "AFP"),
        ("A fire broke out.\n(Reporting by Ana Ruiz; Editing by Tom Berg)", "Reuters"),
        ("A fire broke out at the depot.\n— The Associated Press", "AP"),
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
        ("www.apnews.com", "AP"),
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


# --- forgetting old groups ----------------------------------------------------------------


def _story_text(n: int) -> str:
    """A text of its own for each n: no shingle in common with another n."""
    return " ".join(f"w{n}v{k}" for k in range(60))


def _edited(text: str) -> str:
    return text.replace("v7 ", "v7b ", 1) + " With material from AP."


def _day(n: int) -> str:
    return (dt.date(2024, 5, 1) + dt.timedelta(days=n)).isoformat()


def test_a_copy_inside_the_horizon_is_found_and_one_after_it_is_not() -> None:
    index = DedupeIndex(horizon_days=14)
    index.add(_entry("a1", BASE, date="2024-05-01"))
    index.add(_entry("u1", _story_text(1), date="2024-05-10"))
    late = index.add(_entry("b1", EDITED, date="2024-05-14T08:30"))
    assert (late.group_id, late.members) == ("a1", ("a1", "b1"))
    index.add(_entry("u2", _story_text(2), date="2024-05-29"))  # b1 is 15 days old: a1's group
    assert ("a1" in index, "b1" in index, "u1" in index, len(index)) == (False, False, False, 1)
    after = index.add(_entry("c1", BASE + " Updated on Thursday.", date="2024-05-29"))
    assert (after.neighbors, after.members) == ((), ("c1",))


def test_a_group_is_kept_while_one_member_is_recent_or_undated() -> None:
    index = DedupeIndex(horizon_days=3)
    index.add(_entry("a1", BASE, date="2024-05-01"))
    index.add(_entry("b1", EDITED, date="2024-05-04"))
    index.add(_entry("u1", UNRELATED))  # undated
    index.add(_entry("u2", UNRELATED + " Open on Sundays.", date="2024-05-01"))
    index.add(_entry("x1", _story_text(1), date="2024-05-06"))
    ids = ["a1", "b1", "u1", "u2", "x1", "x2"]
    assert [aid for aid in ids if aid in index] == ["a1", "b1", "u1", "u2", "x1"]
    index.add(_entry("x2", _story_text(2), date="2024-05-08"))  # b1 is 4 days old: a1's group
    assert [aid for aid in ids if aid in index] == ["u1", "u2", "x1", "x2"]


def _wire_stream(days: int) -> list[DedupeEntry]:
    """Each day a new agency story and two edited copies over the next two days (date order)."""
    entries = []
    for n in range(days):
        entries.append(_entry(f"s{n}", _story_text(n), outlet="Reuters", date=_day(n)))
        entries.append(_entry(f"c{n}", _edited(_story_text(n)), date=_day(n + 1)))
        entries.append(_entry(f"d{n}", _story_text(n) + " Shared.", date=_day(n + 2)))
    return sorted(entries, key=lambda e: (e.date or "", e.article_id))


def test_forgetting_keeps_the_dedupe_index_bounded_and_its_results_the_same() -> None:
    whole, forgetful = DedupeIndex(), DedupeIndex(horizon_days=4)
    held = []
    for entry in _wire_stream(40):
        assert forgetful.add(entry) == whole.add(entry)
        held.append(len(forgetful))
    # 3 entries a day, held while the group's newest member is at most 4 days old
    assert (len(whole), max(held), max(held[:60]), held[-1]) == (120, 18, 18, 15)
    assert len(forgetful._lsh.keys) == len(forgetful._neighbors) == 15


def test_a_late_copy_finds_its_origin_when_its_days_are_taken_back() -> None:
    stream = _wire_stream(30)
    late = _entry("late", _edited(_story_text(3)) + " Late.", date=_day(4))
    whole = DedupeIndex()
    for entry in stream:
        whole.add(entry)
    forgetful = DedupeIndex(horizon_days=4)
    for entry in stream:
        forgetful.add(entry)
    assert forgetful.add(late).members == ("late",)  # s3, c3 and d3 are forgotten
    forgetful = DedupeIndex(horizon_days=4)
    for entry in stream:
        forgetful.add(entry)
    first, last = forgetful.forgotten_days(late.date) or (None, None)
    assert (first, last) == (dt.date(2024, 5, 1), dt.date(2024, 5, 9))
    # what a store gives back: the entries of those days
    stored = [e for e in stream if str(first) <= (e.date or "") <= str(last)]
    forgetful.restore(late.date, stored)
    assert forgetful.forgotten_days(late.date) is None  # taken back already
    expected = whole.add(late)
    assert expected.members == ("c3", "d3", "late", "s3")
    assert forgetful.add(late) == expected
    assert forgetful.forgotten_days(_day(29)) is None
    forgetful.add(_entry("new", _story_text(99), date=_day(33)))  # the horizon moves on
    assert forgetful.forgotten_days(late.date) == (dt.date(2024, 5, 1), dt.date(2024, 5, 9))


def test_a_negative_horizon_is_refused() -> None:
    with pytest.raises(ConfigError, match=r"horizon_days = -2 must be a number of days above 0"):
        DedupeIndex(horizon_days=-2)
