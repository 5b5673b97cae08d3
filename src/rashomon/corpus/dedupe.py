"""Articles -> near-duplicate groups and directed wire-copy edges.

Each article is reduced to a MinHash signature of its word shingles (fixed seed, so the same
text always gives the same signature, in any process). A :class:`DedupeIndex` takes articles
one at a time, finds each one's near-duplicates with an LSH index (never all pairs), and keeps:

- duplicate groups: connected components of the near-duplicate graph; the group id is the
  smallest article id of the component, so it does not depend on the order of arrival;
- ``copy_of`` edges: each article points at the most original of its direct near-duplicates.
  An article by a wire agency outranks one that credits an agency, which outranks the rest;
  then the earlier date wins, then the smaller id. Each edge carries the estimated Jaccard
  similarity and the share of the copy's shingles that are found in its origin.

Near-duplicates stay in the corpus; the group id lets story statistics count them once.

With a ``horizon_days``, the index forgets a duplicate group once every member is dated more
than that many days before the newest date added, so its memory follows the last days of news,
not the corpus. Two articles dated more than ``horizon_days`` apart are never near-duplicates
of each other, whether or not the index still holds the older one: a reprint a year later is a
new article, not a copy (it can still join a group through members dated nearer to it). An
article that is itself older than the horizon (it arrived late) can have its days back:
``forgotten_days`` names the days within ``horizon_days`` of it, for the caller to take back
from its store. Every other result is the one a never-forgetting index gives, since a group is
dropped whole. Groups with an undated member have no age and are kept for good.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH

from rashomon.inputs.clean import with_credit_lines
from rashomon.lexicon import AGENCY_CREDITS, REPORTING_BY
from rashomon.models import Article, iso_day
from rashomon.settings import check_days

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"  # datasketch >= 2.0 permutation scheme; the stored signatures depend on it
SHINGLE_WORDS = 5
# Chosen with benchmarks/bench_dedupe.py (figures in its docstring): with 5-word shingles, 0.3
# had the best pair F1 (0.997) on synthetic copies; 3-word shingles merged templated articles.
JACCARD_THRESHOLD = 0.3
LSH_WEIGHTS = (0.1, 0.9)  # (false positive, false negative) weights of datasketch's band choice

_WORD = re.compile(r"\w+")

_RANK_AGENCY_OUTLET = 0
_RANK_CREDITS_AGENCY = 1
_RANK_OTHER = 2


@dataclass(frozen=True, slots=True, kw_only=True)
class Signature:
    """A MinHash signature: ``num_perm`` uint32 hash values (little-endian bytes)."""

    hashvalues: bytes
    n_shingles: int  # how many distinct shingles the text has (for copied shares)

    @property
    def num_perm(self) -> int:
        return len(self.hashvalues) // 4

    def array(self) -> np.ndarray[tuple[int], np.dtype[np.uint32]]:
        return np.frombuffer(self.hashvalues, dtype="<u4")


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeEntry:
    """What the index needs of an article: its signature and what decides copy direction."""

    article_id: str
    signature: Signature
    outlet: str
    date: str | None = None
    agency: str | None = None  # the wire agency the article is by or credits, if any
    is_agency: bool = False  # the outlet itself is that agency


@dataclass(frozen=True, slots=True, kw_only=True)
class Neighbor:
    article_id: str
    jaccard: float  # estimated from the signatures


@dataclass(frozen=True, slots=True, kw_only=True)
class CopyEdge:
    """``article_id`` is a copy of ``origin_id``."""

    article_id: str
    origin_id: str
    jaccard: float
    copied_share: float  # share of the copy's shingles found in the origin
    agency: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeUpdate:
    """The result of adding one article.

    ``members`` is the article's whole duplicate group (sorted) and ``copies`` the copy edges of
    every member: a new article can merge groups or become the origin of older ones, so a caller
    replaces the stored group and edges of all ``members`` with these.
    """

    article_id: str
    neighbors: tuple[Neighbor, ...]
    group_id: str
    members: tuple[str, ...]
    copies: tuple[CopyEdge, ...]
    is_new: bool  # False when the id was already in the index (nothing changed)


def normalize_words(text: str) -> list[str]:
    """Casefolded NFKC words of ``text``; punctuation and spacing do not count."""
    return _WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def shingles(text: str, *, shingle_words: int = SHINGLE_WORDS) -> set[str]:
    """The distinct runs of ``shingle_words`` words; a shorter text is one shingle."""
    words = normalize_words(text)
    if len(words) <= shingle_words:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + shingle_words]) for i in range(len(words) - shingle_words + 1)}


def sign(text: str, *, num_perm: int = NUM_PERM, shingle_words: int = SHINGLE_WORDS) -> Signature:
    """Return the MinHash signature of ``text`` (same text, same signature, every time)."""
    grams = shingles(text, shingle_words=shingle_words)
    minhash = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
    values = np.asarray(minhash.hashvalues, dtype="<u4")
    return Signature(hashvalues=values.tobytes(), n_shingles=len(grams))


def estimate_jaccard(left: Signature, right: Signature) -> float:
    """The share of equal hash values: an unbiased estimate of the shingle Jaccard similarity."""
    if left.num_perm != right.num_perm:
        raise ValueError(
            f"signatures of {left.num_perm} and {right.num_perm} permutations cannot be compared; "
            "sign both texts with the same num_perm"
        )
    if left.n_shingles == 0 or right.n_shingles == 0:
        return 0.0
    return float(np.count_nonzero(left.array() == right.array())) / left.num_perm


def estimate_copied_share(copy: Signature, origin: Signature, jaccard: float) -> float:
    """Share of ``copy``'s shingles found in ``origin``, from Jaccard and the two set sizes.

    |A ∩ B| = J (|A| + |B|) / (1 + J), so the share is that over |A|, capped at 1.
    """
    if copy.n_shingles == 0:
        return 0.0
    common = jaccard * (copy.n_shingles + origin.n_shingles) / (1.0 + jaccard)
    return round(min(1.0, common / copy.n_shingles), 4)


def copied_share(text: str, origin_text: str, *, shingle_words: int = SHINGLE_WORDS) -> float:
    """The exact share of ``text``'s shingles that are also in ``origin_text``."""
    own = shingles(text, shingle_words=shingle_words)
    if not own:
        return 0.0
    return round(len(own & shingles(origin_text, shingle_words=shingle_words)) / len(own), 4)


def _alias_pattern(aliases: Iterable[str]) -> str:
    return "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))


def agency_of_outlet(
    outlet: str, *, agencies: Mapping[str, tuple[str, ...]] = AGENCY_CREDITS
) -> str | None:
    """The agency an outlet name or domain is (``"reuters.com"`` -> ``"Reuters"``), else None."""
    key = outlet.strip().casefold().removeprefix("www.")
    for name, aliases in agencies.items():
        for alias in (name, *aliases):
            folded = alias.casefold()
            if key == folded or ("." in folded and key.endswith("." + folded)):
                return name
    return None


def credited_agency(
    text: str, *, agencies: Mapping[str, tuple[str, ...]] = AGENCY_CREDITS, lead_chars: int = 400
) -> str | None:
    """The wire agency a text credits, or None.

    A credit is a dateline "CITY, May 2 (Agency) —" near the start, or a closing credit line
    such as "(Reporting by ...)" (Reuters' house style) or "— The Associated Press".
    """
    lead = text[:lead_chars]
    tail = text[-lead_chars:]
    for name, aliases in agencies.items():
        pattern = _alias_pattern(a for a in (name, *aliases) if "." not in a)
        if re.search(rf"\((?:{pattern})\)\s*(?:[-–—:]|--)", lead):
            return name
        if re.search(rf"(?:^|\n)\s*[-–—]+\s*(?:The\s+)?(?:{pattern})\s*$", tail):
            return name
    if REPORTING_BY.search(tail):
        return "Reuters"
    return None


def make_entry(
    article: Article,
    *,
    num_perm: int = NUM_PERM,
    shingle_words: int = SHINGLE_WORDS,
    signature: Signature | None = None,
    agencies: Mapping[str, tuple[str, ...]] = AGENCY_CREDITS,
) -> DedupeEntry:
    """Sign an article (or reuse a stored ``signature``) and find its agency credit."""
    own = agency_of_outlet(article.outlet, agencies=agencies)
    return DedupeEntry(
        article_id=article.id,
        signature=signature or sign(article.text, num_perm=num_perm, shingle_words=shingle_words),
        outlet=article.outlet,
        date=article.date,
        agency=own or credited_agency(with_credit_lines(article), agencies=agencies),
        is_agency=own is not None,
    )


def _origin_rank(entry: DedupeEntry) -> tuple[int, int, str, str]:
    if entry.is_agency:
        kind = _RANK_AGENCY_OUTLET
    elif entry.agency is not None:
        kind = _RANK_CREDITS_AGENCY
    else:
        kind = _RANK_OTHER
    # An undated article ranks after every dated one; ISO dates sort as strings.
    return (kind, 0 if entry.date else 1, entry.date or "", entry.article_id)


class DedupeIndex:
    """An incremental near-duplicate index: add articles one by one, get groups and copy edges.

    Holds one signature per article (``num_perm * 4`` bytes, and the LSH band keys) and the
    near-duplicate graph, of every article ever added, or, with ``horizon_days``, of the groups
    with a member at most that many days older than the newest date added (and of the undated).

    Args:
        jaccard_threshold: the least estimated Jaccard similarity of near-duplicates.
        num_perm: hash values per signature.
        horizon_days: forget a group once all its members are more than this many days older
            than the newest date added (None: keep everything). An id forgotten is unknown
            again: ``in`` says False and ``add`` takes it as new.
    """

    def __init__(
        self,
        *,
        jaccard_threshold: float = JACCARD_THRESHOLD,
        num_perm: int = NUM_PERM,
        horizon_days: float | None = None,
    ) -> None:
        if not 0.0 < jaccard_threshold <= 1.0:
            raise ValueError(f"jaccard_threshold must be in (0, 1], got {jaccard_threshold}")
        check_days("horizon_days", horizon_days)
        self.jaccard_threshold = jaccard_threshold
        self.num_perm = num_perm
        self.horizon_days = horizon_days
        self._newest: date | None = None
        self._by_day: dict[date, list[str]] = {}  # dated articles not yet checked for age
        self._restored: set[date] = set()  # old days taken back since the newest date
        # A false candidate costs one signature comparison, a missed one a duplicate counted
        # twice, so the bands are tuned to miss little (LSH_WEIGHTS, measured in bench_dedupe).
        self._lsh = MinHashLSH(threshold=jaccard_threshold, num_perm=num_perm, weights=LSH_WEIGHTS)
        self._entries: dict[str, DedupeEntry] = {}
        self._neighbors: dict[str, dict[str, float]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    def add(self, entry: DedupeEntry) -> DedupeUpdate:
        """Add one article; return its near-duplicates, its group and the group's copy edges."""
        if entry.signature.num_perm != self.num_perm:
            raise ValueError(
                f"article {entry.article_id}: signature has {entry.signature.num_perm} "
                f"permutations, the index {self.num_perm}; sign with the same num_perm"
            )
        is_new = entry.article_id not in self._entries
        if is_new:
            self._insert(entry)
        return self.state(entry.article_id, is_new=is_new)

    def entry(self, article_id: str) -> DedupeEntry:
        return self._entries[article_id]

    def _insert(self, entry: DedupeEntry) -> None:
        minhash = MinHash(
            num_perm=self.num_perm, seed=SEED, hashvalues=entry.signature.array(), scheme=SCHEME
        )
        found: dict[str, float] = {}
        # An empty text has the all-maximum signature; it is nobody's duplicate.
        if entry.signature.n_shingles:
            day = iso_day(entry.date)
            for other_id in self._lsh.query(minhash):
                other = self._entries[other_id]
                if self._too_far_apart(day, iso_day(other.date)):
                    continue
                score = estimate_jaccard(entry.signature, other.signature)
                if score >= self.jaccard_threshold:
                    found[other_id] = score
            self._lsh.insert(entry.article_id, minhash)
        self._entries[entry.article_id] = entry
        self._neighbors[entry.article_id] = found
        for other_id, score in found.items():
            self._neighbors[other_id][entry.article_id] = score
        if self.horizon_days is not None:
            self._age(entry)

    def _age(self, entry: DedupeEntry) -> None:
        """Note the entry's day; when it is the newest so far, forget the groups now too old."""
        day = iso_day(entry.date)
        if day is None:
            return
        self._by_day.setdefault(day, []).append(entry.article_id)
        if self._newest is not None and day <= self._newest:
            return
        self._newest = day
        self._restored.clear()
        for old_day in sorted(d for d in self._by_day if self._is_old(d)):
            for article_id in self._by_day.pop(old_day):
                # Each article is looked at once, when its day ages; a group kept then (a
                # newer or undated member) is looked at again when its newest member ages.
                if article_id in self._entries:
                    self._forget_group_if_old(article_id)

    def forgotten_days(self, when: str | None) -> tuple[date, date] | None:
        """The days to take back from the store before adding an article of this date.

        An article older than the horizon (it arrived late) should still find the copies
        dated within ``horizon_days`` of it, which the index may have forgotten: this gives
        the first and last of those days not taken back yet, or None when the article is not
        that late. Give ``restore`` what the store holds of those days.
        """
        day = iso_day(when)
        if day is None or self.horizon_days is None or not self._is_old(day):
            return None
        span = int(self.horizon_days)
        days = [day + timedelta(days=k) for k in range(-span, span + 1)]
        wanted = [d for d in days if d not in self._restored]
        return (wanted[0], wanted[-1]) if wanted else None

    def restore(self, when: str | None, stored: Iterable[DedupeEntry]) -> None:
        """Take back the entries of the days ``forgotten_days(when)`` names.

        They stay, and count as taken back, until a newer date moves the horizon.

        Args:
            when: the date of the late article about to be added.
            stored: the stored entries of those days, in arrival order.
        """
        days = self.forgotten_days(when)
        if days is None:
            return
        first, last = days
        self._restored.update(first + timedelta(days=k) for k in range((last - first).days + 1))
        for entry in stored:
            if entry.article_id not in self._entries:
                self.add(entry)

    def _too_far_apart(self, day: date | None, other: date | None) -> bool:
        """Two texts dated more than the horizon apart are no copies of each other, whether or
        not the index still holds the older one (a reprint a year on is a new article)."""
        if day is None or other is None or self.horizon_days is None:
            return False
        return abs((day - other).days) > self.horizon_days

    def _is_old(self, day: date | None) -> bool:
        if day is None or self._newest is None or self.horizon_days is None:
            return False
        return (self._newest - day).days > self.horizon_days

    def _forget_group_if_old(self, article_id: str) -> None:
        members = self.group_members(article_id)
        if not all(self._is_old(iso_day(self._entries[m].date)) for m in members):
            return
        for member in members:
            if self._entries.pop(member).signature.n_shingles:
                self._lsh.remove(member)
            del self._neighbors[member]

    def state(self, article_id: str, *, is_new: bool = False) -> DedupeUpdate:
        """The article's current neighbours, group and group copy edges."""
        members = self.group_members(article_id)
        neighbors = tuple(
            Neighbor(article_id=other, jaccard=score)
            for other, score in sorted(self._neighbors[article_id].items())
        )
        copies = tuple(edge for m in members if (edge := self.copy_edge(m)) is not None)
        return DedupeUpdate(
            article_id=article_id,
            neighbors=neighbors,
            group_id=members[0],
            members=members,
            copies=copies,
            is_new=is_new,
        )

    def group_members(self, article_id: str) -> tuple[str, ...]:
        """The sorted ids of the article's duplicate group (connected component)."""
        seen = {article_id}
        todo = [article_id]
        while todo:
            for other in self._neighbors[todo.pop()]:
                if other not in seen:
                    seen.add(other)
                    todo.append(other)
        return tuple(sorted(seen))

    def group_id(self, article_id: str) -> str:
        return self.group_members(article_id)[0]

    def copy_edge(self, article_id: str) -> CopyEdge | None:
        """The edge from an article to its most original direct near-duplicate, if it has one."""
        entry = self._entries[article_id]
        neighbors = self._neighbors[article_id]
        if not neighbors:
            return None
        best = min((self._entries[n] for n in neighbors), key=_origin_rank)
        if _origin_rank(entry) < _origin_rank(best):
            return None
        score = neighbors[best.article_id]
        return CopyEdge(
            article_id=article_id,
            origin_id=best.article_id,
            jaccard=score,
            copied_share=estimate_copied_share(entry.signature, best.signature, score),
            agency=best.agency,
        )


def find_duplicates(
    entries: Iterable[DedupeEntry], *, jaccard_threshold: float = JACCARD_THRESHOLD
) -> dict[str, DedupeUpdate]:
    """Run a stream of entries through a fresh index; return the final state of each article."""
    index = DedupeIndex(jaccard_threshold=jaccard_threshold)
    ids = [index.add(entry).article_id for entry in entries]
    return {article_id: index.state(article_id) for article_id in dict.fromkeys(ids)}
