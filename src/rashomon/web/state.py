"""What every request of the web app shares: the corpus path, settings, limits and caches.

SQLite connections are never shared between threads: each request opens the store it needs
(WAL lets it read while an ingest writes) and closes it before it returns.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from rashomon.corpus.profiles import OutletProfile, outlet_profiles
from rashomon.corpus.store import Store, open_store
from rashomon.errors import CorpusUnavailableError, InputError, NotEnoughArticlesError
from rashomon.models import Article, Comparison
from rashomon.report.html import ReportParts, report_parts
from rashomon.settings import Settings

CorpusVersion = tuple[int, int]
K = TypeVar("K")
V = TypeVar("V")
CHARTS_KEPT = 64  # outlets whose coverage chart is kept
ADHOC_KEPT = 32  # ad-hoc comparisons kept in memory for their download links
STORIES_KEPT = 128  # decoded story comparisons kept in memory (decoding one takes ~50 ms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one "compare now" request may send."""

    max_inputs: int = 20  # texts + files + URLs
    max_file_bytes: int = 2_000_000  # one uploaded file or pasted text
    max_request_bytes: int = 10_000_000  # the whole request body
    # "compare now" requests served at once (each may wait on URL fetches and on the models);
    # more are answered 503 at once instead of filling the server's worker threads
    max_compares: int = 4


class Kept(Generic[K, V]):
    """The ``size`` most recently used values, by key; safe to share between threads."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


class AdhocCache(Kept[str, Comparison]):
    """The last few ad-hoc comparisons, by key, so their download links keep working."""

    def __init__(self, size: int = ADHOC_KEPT) -> None:
        super().__init__(size)

    def add(self, comparison: Comparison) -> str:
        """Keep ``comparison``; returns its key (a digest of its JSON)."""
        key = hashlib.blake2b(comparison.to_json(indent=None).encode(), digest_size=10).hexdigest()
        self.put(key, comparison)
        return key


@dataclass(slots=True, kw_only=True)
class WebState:
    db_path: Path
    settings: Settings
    allow_private_urls: bool = False
    limits: Limits = field(default_factory=Limits)
    page_size: int = 50  # stories per page of the HTML lists
    adhoc: AdhocCache = field(default_factory=AdhocCache)
    # The models run one comparison at a time: two at once would only share the same cores
    # and double the peak memory.
    compare_lock: threading.Lock = field(default_factory=threading.Lock)
    # the "compare now" requests being served; see ``Limits.max_compares``
    compare_slots: threading.BoundedSemaphore = field(init=False)
    # Outlet profiles read every membership and cached comparison: computed once per version
    # of the corpus (see ``corpus_version``), not once per request; so are the outlet names.
    _profiles: Kept[CorpusVersion, list[OutletProfile]] = field(default_factory=lambda: Kept(1))
    _outlets: Kept[CorpusVersion, list[str]] = field(default_factory=lambda: Kept(1))
    # (corpus version, outlet) -> coverage chart data URI
    _charts: Kept[tuple[CorpusVersion, str], str] = field(default_factory=lambda: Kept(CHARTS_KEPT))
    # a connection that only watches the corpus file for commits (PRAGMA data_version)
    _watch: sqlite3.Connection | None = None
    _watched: tuple[int, int] = (0, 0)  # (device, inode) of the file it watches
    _watches: int = 0  # connections opened so far: a new one starts a new series of versions
    _watch_lock: threading.Lock = field(default_factory=threading.Lock)
    # (story id, members hash) -> the stored comparison, decoded: valid while the members are
    _decoded: Kept[tuple[str, str], Comparison] = field(default_factory=lambda: Kept(STORIES_KEPT))
    # id(comparison) -> (that comparison, its rendered report parts); holding the comparison
    # keeps its id from being reused while the entry lives
    _parts: Kept[int, tuple[Comparison, ReportParts]] = field(
        default_factory=lambda: Kept(STORIES_KEPT)
    )

    def __post_init__(self) -> None:
        self.compare_slots = threading.BoundedSemaphore(self.limits.max_compares)

    @contextmanager
    def store(self) -> Iterator[Store]:
        """A connection of this thread to the corpus, closed on exit (migrated at start-up).

        Raises:
            CorpusUnavailableError: the file is gone or no longer a corpus (a server problem,
                not the request's).
        """
        if not self.db_path.is_file():  # opening would create an empty file in its place
            raise CorpusUnavailableError(f"{self.db_path}: the corpus file is gone")
        try:
            store = open_store(self.db_path, migrate=False)
        except InputError as err:
            raise CorpusUnavailableError(str(err)) from err
        try:
            yield store
        finally:
            store.close()

    def compare_story(self, store: Store, story_id: str) -> Comparison:
        """A story's comparison: cached in the store, or computed now (one at a time)."""
        from rashomon.pipeline import compare_story

        key = store.comparison_key(story_id)
        if key is not None:
            kept = self._decoded.get((story_id, key))
            if kept is not None:
                return kept
            cached = store.get_comparison(story_id)
            if cached is not None:
                self._decoded.put((story_id, key), cached)
                return cached
        # a story of one article has nothing to compare: say so without waiting for the models
        members = len(store.story_member_ids(story_id))
        if members < 2:
            raise NotEnoughArticlesError(members, story=story_id)
        with self.compare_lock:
            return compare_story(store, story_id, settings=self.settings)

    def report_parts(self, comparison: Comparison) -> ReportParts:
        """The report sections of ``comparison``, rendered once per comparison kept."""
        entry = self._parts.get(id(comparison))
        if entry is not None and entry[0] is comparison:
            return entry[1]
        parts = report_parts(comparison)
        self._parts.put(id(comparison), (comparison, parts))
        return parts

    def corpus_version(self) -> CorpusVersion:
        """A value that changes whenever anything is committed to the corpus file.

        ``PRAGMA data_version`` of one connection kept open for this changes with every commit
        of any other connection (every request, an ingest running next to the server), whatever
        it wrote: a comparison replaced in place, members moved between stories. A file put in
        the corpus's place is watched by a new connection.
        """
        try:
            stat = self.db_path.stat()
        except OSError as err:
            raise CorpusUnavailableError(f"{self.db_path}: the corpus file is gone") from err
        with self._watch_lock:
            if self._watch is None or self._watched != (stat.st_dev, stat.st_ino):
                if self._watch is not None:
                    self._watch.close()
                self._watch = sqlite3.connect(self.db_path, check_same_thread=False)
                self._watched = (stat.st_dev, stat.st_ino)
                self._watches += 1
            return (self._watches, int(self._watch.execute("PRAGMA data_version").fetchone()[0]))

    def close(self) -> None:
        """Close the connection that watches the corpus (the app calls this at shutdown)."""
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None

    def outlet_names(self, store: Store) -> list[str]:
        """Every outlet of the corpus, read again only when the corpus has changed since."""
        version = self.corpus_version()
        names = self._outlets.get(version)
        if names is None:
            names = store.outlet_names()
            self._outlets.put(version, names)
        return names

    def profiles(self, store: Store) -> list[OutletProfile]:
        """Every outlet's profile, recomputed only when the corpus has changed."""
        version = self.corpus_version()  # before reading: the data is at least this new
        found = self._profiles.get(version)
        if found is None:
            found = outlet_profiles(
                store.memberships(),
                [edge.article_id for edge in store.copy_edges()],
                store.cached_comparisons(),
            )
            self._profiles.put(version, found)
        return found

    def coverage_chart(self, store: Store, outlet: str) -> str:
        """The stories x outlets chart of the stories ``outlet`` carried, as an SVG data URI,
        drawn again when the corpus has changed."""
        key = (self.corpus_version(), outlet)
        uri = self._charts.get(key)
        if uri is None:
            from rashomon.report.charts import coverage_chart, data_uri, render

            memberships, titles = store.outlet_memberships(outlet)
            uri = data_uri(render(coverage_chart(memberships, titles), "svg"))
            # charts of an older corpus are never asked for again: they age out
            self._charts.put(key, uri)
        return uri

    def compare_articles(self, articles: Sequence[Article]) -> Comparison:
        """Compare articles read from a "compare now" request (nothing is stored)."""
        from rashomon.pipeline import run_compare

        with self.compare_lock:
            comparison, _ = run_compare(list(articles), settings=self.settings)
        return comparison
