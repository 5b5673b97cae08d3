"""The comparisons of stored stories, computed outside the requests, one at a time.

A request never runs the models for a story: it reads the comparison cached in the corpus, or
asks this worker for it and answers at once ("not compared yet", or the last complete
comparison with a note that it is being updated). One thread of the server chooses the next
story and hands it to ``compute`` (in ``serve``: the model worker, a child process that loads
the models once and caches the comparison itself), one story at a time: the stories visitors
asked for first, then every other story that needs one, newest first. It looks for work
again whenever the corpus changes (an ingest added members) and every ``interval_s`` seconds.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from rashomon.corpus.store import Store, members_hash, open_store
from rashomon.errors import NotEnoughArticlesError, RashomonError
from rashomon.models import Comparison
from rashomon.settings import Settings

log = logging.getLogger(__name__)

# story -> compare it now and cache its comparison in the store (pipeline.compare_story)
Compute = Callable[[Store, str], object]
WANTED_KEPT = 1000  # stories visitors asked for, remembered until compared


class Comparer:
    """One thread that compares the stories of a corpus which need it, one at a time."""

    def __init__(
        self,
        db_path: Path,
        *,
        settings: Settings,
        lock: threading.Lock,
        compute: Compute | None = None,
        interval_s: float = 5.0,
    ) -> None:
        self.db_path = db_path
        self.settings = settings
        self.lock = lock  # shared with "compare now": the models run one comparison at a time
        self.compute = compute or self._compare_story
        self.interval_s = interval_s
        self._wanted: OrderedDict[str, None] = OrderedDict()
        # story -> (members hash, error) of a comparison that failed: not retried until the
        # members change
        self._failed: dict[str, tuple[str, RashomonError]] = {}
        self._due: list[str] = []  # the last scan's stories needing a comparison, newest first
        self._seen_version = -1
        self._current: str | None = None
        self._guard = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _compare_story(self, store: Store, story_id: str) -> Comparison:
        from rashomon.pipeline import compare_story

        return compare_story(store, story_id, settings=self.settings)

    # --- what requests call ---------------------------------------------------------------

    def start(self) -> None:
        """Start the thread (once; later calls do nothing)."""
        with self._guard:
            if self._thread is not None or self._stop.is_set():
                return
            self._thread = threading.Thread(target=self._run, name="rashomon-comparer", daemon=True)
            self._thread.start()

    def stop(self, timeout_s: float = 30.0) -> None:
        """Ask the thread to stop after the comparison it runs, and wait for it."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)

    def request(self, story_id: str) -> None:
        """Compare ``story_id`` before the other stories that need it (a visitor waits)."""
        with self._guard:
            self._wanted[story_id] = None
            self._wanted.move_to_end(story_id)
            while len(self._wanted) > WANTED_KEPT:
                self._wanted.popitem(last=False)
        self._wake.set()
        self.start()

    def failure(self, story_id: str, members: str) -> RashomonError | None:
        """Why the comparison of these members of the story failed, if it did."""
        found = self._failed.get(story_id)
        return found[1] if found is not None and found[0] == members else None

    @property
    def current(self) -> str | None:
        """The story being compared now, if any."""
        return self._current

    # --- the thread -----------------------------------------------------------------------

    def _run(self) -> None:
        store: Store | None = None
        try:
            while not self._stop.is_set():
                worked = False
                try:
                    # opening a missing file would create an empty one in the corpus's place
                    if store is None and self.db_path.is_file():
                        store = open_store(self.db_path, migrate=False)
                    if store is not None:
                        worked = self.run_once(store)
                except Exception:  # one bad story (or a corpus gone) must not end the worker
                    log.exception("comparing a story failed")
                if not worked:
                    self._wake.wait(self.interval_s)
                    self._wake.clear()
        finally:
            if store is not None:
                store.close()

    def run_once(self, store: Store) -> bool:
        """Compare the next story that needs it; False when none does."""
        story_id = self._next(store)
        if story_id is None:
            return False
        members = store.story_member_ids(story_id)
        key = members_hash(members)
        self._current = story_id
        try:
            with self.lock:
                self.compute(store, story_id)
        except NotEnoughArticlesError as err:
            self._failed[story_id] = (key, err)
        except RashomonError as err:  # a model missing, a story gone: say so on its page
            log.warning("cannot compare story %s: %s", story_id, err)
            self._failed[story_id] = (key, err)
        finally:
            self._current = None
        return True

    def _needs(self, store: Store, story_id: str) -> bool:
        if store.comparison_key(story_id) is not None:
            return False
        members = store.story_member_ids(story_id)
        return len(members) >= 2 and self.failure(story_id, members_hash(members)) is None

    def _next(self, store: Store) -> str | None:
        while True:
            with self._guard:
                wanted = next(iter(self._wanted), None)
                if wanted is not None:
                    del self._wanted[wanted]
            if wanted is None:
                break
            if self._needs(store, wanted):
                return wanted
        version = int(store.conn.execute("PRAGMA data_version").fetchone()[0])
        if version != self._seen_version:  # another connection committed: look again
            self._seen_version = version
            self._due = [s for s, k in store.comparisons_due() if self.failure(s, k) is None]
        while self._due:
            story_id = self._due.pop(0)
            if self._needs(store, story_id):
                return story_id
        return None
