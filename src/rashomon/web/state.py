"""What every request of the web app shares: the corpus path, settings, limits and caches.

SQLite connections are never shared between threads: each request opens the store it needs
(WAL lets it read while an ingest writes) and closes it before it returns.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from rashomon.errors import CorpusUnavailableError, InputError
from rashomon.models import Article, Comparison
from rashomon.profiles import OutletProfile, outlet_profiles
from rashomon.report.html import ReportParts, report_parts
from rashomon.settings import Settings
from rashomon.store import Store, open_store

CHARTS_KEPT = 64  # outlets whose coverage chart is kept
ADHOC_KEPT = 32  # ad-hoc comparisons kept in memory for their download links
STORIES_KEPT = 128  # decoded story comparisons kept in memory (decoding one takes ~50 ms)


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one "compare now" request may send."""

    max_inputs: int = 20  # texts + files + URLs
    max_file_bytes: int = 2_000_000  # one uploaded file or pasted text
    max_request_bytes: int = 10_000_000  # the whole request body


@dataclass(slots=True)
class AdhocCache:
    """The last few ad-hoc comparisons, by key, so their download links keep working."""

    size: int = ADHOC_KEPT
    _items: OrderedDict[str, Comparison] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def put(self, comparison: Comparison) -> str:
        key = hashlib.blake2b(comparison.to_json(indent=None).encode(), digest_size=10).hexdigest()
        with self._lock:
            self._items[key] = comparison
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return key

    def get(self, key: str) -> Comparison | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found


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
    # Outlet profiles read every membership and cached comparison: computed once per state of
    # the corpus (see ``profiles``), not once per request.
    _profiles: tuple[tuple[int, ...], list[OutletProfile]] | None = None
    _profiles_lock: threading.Lock = field(default_factory=threading.Lock)
    _charts: dict[str, str] = field(default_factory=dict)  # outlet -> coverage chart data URI
    # (story id, members hash) -> the stored comparison, decoded: valid while the members are
    _decoded: OrderedDict[tuple[str, str], Comparison] = field(default_factory=OrderedDict)
    _decoded_lock: threading.Lock = field(default_factory=threading.Lock)
    # id(comparison) -> (that comparison, its rendered report parts); holding the comparison
    # keeps its id from being reused while the entry lives
    _parts: OrderedDict[int, tuple[Comparison, ReportParts]] = field(default_factory=OrderedDict)
    _outlets: tuple[int, list[str]] | None = None  # (newest article rowid, outlet names)

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
            with self._decoded_lock:
                kept = self._decoded.get((story_id, key))
                if kept is not None:
                    self._decoded.move_to_end((story_id, key))
                    return kept
            cached = store.get_comparison(story_id)
            if cached is not None:
                with self._decoded_lock:
                    self._decoded[(story_id, key)] = cached
                    while len(self._decoded) > STORIES_KEPT:
                        self._decoded.popitem(last=False)
                return cached
        with self.compare_lock:
            return compare_story(store, story_id, settings=self.settings)

    def report_parts(self, comparison: Comparison) -> ReportParts:
        """The report sections of ``comparison``, rendered once per comparison kept."""
        with self._decoded_lock:
            entry = self._parts.get(id(comparison))
            if entry is not None and entry[0] is comparison:
                self._parts.move_to_end(id(comparison))
                return entry[1]
        parts = report_parts(comparison)
        with self._decoded_lock:
            self._parts[id(comparison)] = (comparison, parts)
            while len(self._parts) > STORIES_KEPT:
                self._parts.popitem(last=False)
        return parts

    def outlet_names(self, store: Store) -> list[str]:
        """Every outlet of the corpus, read again only when an article was added since."""
        newest = int(store.conn.execute("SELECT MAX(rowid) FROM articles").fetchone()[0] or 0)
        with self._decoded_lock:
            if self._outlets is not None and self._outlets[0] == newest:
                return self._outlets[1]
        names = store.outlet_names()
        with self._decoded_lock:
            self._outlets = (newest, names)
        return names

    def profiles(self, store: Store) -> list[OutletProfile]:
        """Every outlet's profile, recomputed only when the corpus has changed.

        The corpus is an ingest's append-only log of articles, members, copies and comparisons,
        so their counts and the last article's rowid tell whether anything was added.
        """
        key = tuple(
            int(n or 0)
            for n in store.conn.execute(
                "SELECT (SELECT MAX(rowid) FROM articles), (SELECT COUNT(*) FROM story_members), "
                "(SELECT COUNT(*) FROM copies), (SELECT COUNT(*) FROM comparisons)"
            ).fetchone()
        )
        with self._profiles_lock:
            if self._profiles is not None and self._profiles[0] == key:
                return self._profiles[1]
            self._charts.clear()  # the corpus changed: so may every outlet's chart
        found = outlet_profiles(
            store.memberships(),
            [edge.article_id for edge in store.copy_edges()],
            store.cached_comparisons(),
        )
        with self._profiles_lock:
            self._profiles = (key, found)
        return found

    def coverage_chart(self, store: Store, outlet: str) -> str:
        """The stories x outlets chart of the stories ``outlet`` carried, as an SVG data URI.

        Call after :meth:`profiles`, which empties this cache when the corpus changes.
        """
        with self._profiles_lock:
            cached = self._charts.get(outlet)
        if cached is not None:
            return cached
        from rashomon.charts import coverage_chart, data_uri, render

        memberships, titles = store.outlet_memberships(outlet)
        uri = data_uri(render(coverage_chart(memberships, titles), "svg"))
        with self._profiles_lock:
            if len(self._charts) >= CHARTS_KEPT:
                self._charts.pop(next(iter(self._charts)))
            self._charts[outlet] = uri
        return uri

    def compare_articles(self, articles: Sequence[Article]) -> Comparison:
        """Compare articles read from a "compare now" request (nothing is stored)."""
        from rashomon.pipeline import run_compare

        with self.compare_lock:
            comparison, _ = run_compare(list(articles), settings=self.settings)
        return comparison
