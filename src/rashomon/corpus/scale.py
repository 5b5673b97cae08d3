"""Scale-out: the per-article ingest work on a Dask cluster (LocalCluster or a scheduler).

Workers parse, segment, embed and sign batches with the same pure functions as the local
engine; the store and the dedupe and story indexes stay with the one process that writes, and
batches are applied in input order, so both engines build the same corpus.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from rashomon.corpus.build import Prepared, prepare_batch
from rashomon.models import Article

log = logging.getLogger(__name__)


def prepare_on_worker(
    batch: list[Article], spacy_model: str, embedding_model: str | None, numeric: str = "auto"
) -> Prepared:
    """Runs on a worker: its models load once per worker process (the loaders are cached)."""
    from rashomon.backends import SentenceEmbedder, SpacyParser

    return prepare_batch(
        batch,
        parser=SpacyParser(spacy_model),
        embedder=SentenceEmbedder(embedding_model, numeric=numeric),
    )


class DaskPreparer:
    """A Preparer that maps batches over a Dask client, keeping a bounded number in flight."""

    def __init__(
        self,
        client: Any,
        *,
        spacy_model: str,
        embedding_model: str | None,
        numeric: str = "auto",
        in_flight: int | None = None,
    ) -> None:
        self.client = client
        self.spacy_model = spacy_model
        self.embedding_model = embedding_model
        self.numeric = numeric
        workers = max(len(client.scheduler_info().get("workers", {})), 1)
        self.in_flight = in_flight or 2 * workers

    def map(self, batches: Iterable[list[Article]]) -> Iterator[Prepared]:
        pending: deque[Any] = deque()
        for batch in batches:
            pending.append(
                self.client.submit(
                    prepare_on_worker,
                    batch,
                    self.spacy_model,
                    self.embedding_model,
                    self.numeric,
                    pure=False,
                )
            )
            if len(pending) >= self.in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def connect(scheduler: str | None, *, n_workers: int = 2) -> tuple[Any, Any]:
    """A Dask client: to ``scheduler`` when given, else to a new LocalCluster (returned too)."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None  # type: ignore[no-untyped-call]
    cluster = LocalCluster(  # type: ignore[no-untyped-call]
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    return Client(cluster), cluster  # type: ignore[no-untyped-call]
