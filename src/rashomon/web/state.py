"""What every request of the web app shares: the corpus path, settings, limits and caches.

SQLite connections are never shared between threads: each request opens the store it needs
(WAL lets it read while an ingest writes) and closes it before it returns.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from rashomon.bounded import Kept, deep_size
from rashomon.corpus.profiles import OutletProfile, outlet_profiles
from rashomon.corpus.store import Store, members_hash, open_store
from rashomon.errors import CorpusUnavailableError, InputError, NotEnoughArticlesError
from rashomon.models import Article, Comparison
from rashomon.report.html import ReportParts, report_parts
from rashomon.settings import Settings
from rashomon.web.comparer import Comparer, Compute
from rashomon.web.worker import ModelWorker

CorpusVersion = tuple[int, int]
MB = 1 << 20
# What each cache may hold, in bytes (as ``bounded.deep_size`` weighs its values)
CHARTS_BYTES = 8 * MB  # outlets' coverage charts (SVG data URIs)
ADHOC_BYTES = 64 * MB  # "compare now" results, kept for their download links
STORIES_BYTES = 128 * MB  # decoded story comparisons (decoding one takes ~50 ms)
PARTS_BYTES = 64 * MB  # rendered report sections of story comparisons
PROFILES_BYTES = 16 * MB  # outlet profiles and names, per version of the corpus
# the state of a story's comparison as a page or the API shows it
ComparisonStatus = Literal["ready", "updating", "pending", "failed"]


@dataclass(frozen=True, slots=True)
class StoryComparison:
    """What a story page shows: the comparison (None when there is none yet) and its state.

    ``ready``: valid for the story's members; ``updating``: the last complete comparison,
    made before members joined or left (the new one is being computed); ``pending``: never
    compared yet (being computed); ``failed``: it could not be compared (``error`` says why).
    """

    comparison: Comparison | None
    status: ComparisonStatus
    error: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """What one "compare now" request may send."""

    max_inputs: int = 20  # texts + files + URLs
    max_file_bytes: int = 2_000_000  # one uploaded file or pasted text
    max_request_bytes: int = 10_000_000  # the whole request body
    # "compare now" requests served at once (each may wait on URL fetches and on the models);
    # more are answered 503 at once instead of filling the server's worker threads
    max_compares: int = 4


class AdhocCache(Kept[str, Comparison]):
    """The last few ad-hoc comparisons, by key, so their download links keep working."""

    def __init__(self, max_bytes: int = ADHOC_BYTES) -> None:
        super().__init__(max_bytes)

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
    # the one child process that runs the models (the comparer's and "compare now"'s)
    models: ModelWorker = field(init=False)
    # the "compare now" requests being served; see ``Limits.max_compares``
    compare_slots: threading.BoundedSemaphore = field(init=False)
    # Outlet profiles read every membership and cached comparison: computed once per version
    # of the corpus (see ``corpus_version``), not once per request; so are the outlet names.
    _profiles: Kept[CorpusVersion, list[OutletProfile]] = field(
        default_factory=lambda: Kept(PROFILES_BYTES)
    )
    _profiling: threading.Lock = field(default_factory=threading.Lock)
    _last_profiles: list[OutletProfile] | None = None
    _outlets: Kept[CorpusVersion, list[str]] = field(default_factory=lambda: Kept(PROFILES_BYTES))
    # (corpus version, outlet) -> coverage chart data URI
    _charts: Kept[tuple[CorpusVersion, str], str] = field(
        default_factory=lambda: Kept(CHARTS_BYTES, weigh=len)
    )
    # a connection that only watches the corpus file for commits (PRAGMA data_version)
    _watch: sqlite3.Connection | None = None
    _watched: tuple[int, int] = (0, 0)  # (device, inode) of the file it watches
    _watches: int = 0  # connections opened so far: a new one starts a new series of versions
    _watch_lock: threading.Lock = field(default_factory=threading.Lock)
    # story id -> (members hash, the stored comparison of those members, decoded): valid
    # while the members are; the last complete one ("being updated") once they changed
    _decoded: Kept[str, tuple[str, Comparison]] = field(default_factory=lambda: Kept(STORIES_BYTES))
    # id(comparison) -> (that comparison, its rendered report parts); holding the comparison
    # keeps its id from being reused while the entry lives. Weighed without the comparison,
    # which ``_decoded`` counts already.
    _parts: Kept[int, tuple[Comparison, ReportParts]] = field(
        default_factory=lambda: Kept(PARTS_BYTES, weigh=lambda entry: deep_size(entry[1]))
    )
    # compares the stories that need it, outside the requests (None: nothing computes them)
    comparer: Comparer | None = None
    # how the comparer compares a story (default: in the model worker; tests replace it)
    compute: Compute | None = None
    background: bool = True

    def __post_init__(self) -> None:
        self.compare_slots = threading.BoundedSemaphore(self.limits.max_compares)
        self.models = ModelWorker(self.db_path, self.settings)
        if self.background:
            self.comparer = Comparer(
                self.db_path,
                settings=self.settings,
                lock=self.compare_lock,
                compute=self.compute or self._compare_in_worker,
            )

    def _compare_in_worker(self, store: Store, story_id: str) -> None:
        self.models.compare_story(story_id)  # the child writes it to the corpus

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

    def story_comparison(self, store: Store, story_id: str) -> StoryComparison:
        """A story's comparison as it is now, never computed here: the one cached in the
        corpus, else the last complete one while the comparer computes the new one.

        Raises:
            NotEnoughArticlesError: the story has one article: nothing to compare.
        """
        key = store.comparison_key(story_id)
        kept = self._decoded.get(story_id)
        if key is not None:
            if kept is not None and kept[0] == key:
                return StoryComparison(kept[1], "ready")
            cached = store.get_comparison(story_id)
            if cached is not None:
                self._decoded.put(story_id, (key, cached))
                return StoryComparison(cached, "ready")
        members = store.story_member_ids(story_id)
        # a story of one article has nothing to compare: say so without waiting for the models
        if len(members) < 2:
            raise NotEnoughArticlesError(len(members), story=story_id)
        error = self.comparer.failure(story_id, members_hash(members)) if self.comparer else None
        if isinstance(error, NotEnoughArticlesError):  # one distinct article (duplicates)
            raise error
        if error is not None:
            return StoryComparison(kept[1] if kept else None, "failed", str(error))
        if self.comparer is not None:
            self.comparer.request(story_id)
        if kept is not None:
            return StoryComparison(kept[1], "updating")
        return StoryComparison(None, "pending")

    def start(self) -> None:
        """Start the comparer (the app calls this at start-up)."""
        if self.comparer is not None:
            self.comparer.start()

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
        """Stop the comparer and the model worker, and close the connection that watches the
        corpus (the app calls this at shutdown)."""
        if self.comparer is not None:
            self.comparer.stop(timeout_s=0)  # takes no more work
        self.models.close()  # ends the comparison running, if any
        if self.comparer is not None:
            self.comparer.stop()
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
        """Every outlet's profile, recomputed only when the corpus has changed.

        One request at a time recomputes them; meanwhile the others get the last profiles
        computed (an ingest commits every few seconds: without this, every request in
        between would recompute). Only the comparisons not decoded before are read.
        """
        version = self.corpus_version()  # before reading: the data is at least this new
        found = self._profiles.get(version)
        if found is not None:
            return found
        if not self._profiling.acquire(blocking=self._last_profiles is None):
            assert self._last_profiles is not None
            return self._last_profiles  # another request is computing the new ones
        try:
            found = self._profiles.get(version)  # computed while this one waited
            if found is None:
                found = outlet_profiles(
                    store.memberships(),
                    [edge.article_id for edge in store.copy_edges()],
                    self._valid_comparisons(store),
                )
                self._profiles.put(version, found)
            self._last_profiles = found
            return found
        finally:
            self._profiling.release()

    def _valid_comparisons(self, store: Store) -> Iterator[Comparison]:
        """Every cached comparison valid for its story's members, decoded once per members."""
        for story_id, key in sorted(store.comparison_keys().items()):
            kept = self._decoded.get(story_id)
            if kept is not None and kept[0] == key:
                yield kept[1]
                continue
            cached = store.get_comparison(story_id)
            if cached is not None:
                self._decoded.put(story_id, (key, cached))
                yield cached

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
        with self.compare_lock:
            return self.models.compare(articles)
