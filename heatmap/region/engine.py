"""Where the tile tasks run: dask's synchronous scheduler, a local cluster, or a remote one."""

from __future__ import annotations

import logging
import os
import resource
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import dask

from heatmap.errors import InputError

__all__ = ["Compute", "Engine", "compute_with", "process_peak_memory_mb"]

logger = logging.getLogger(__name__)


class Compute(Protocol):
    """Runs ``dask.delayed`` tasks where the engine says."""

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        """Run ``tasks``; results in the same order, with a progress bar named ``what``."""

    def peak_memory_mb(self) -> dict[str, float]:
        """The largest resident memory so far of each process that ran tasks, MB."""


def process_peak_memory_mb() -> float:
    """The largest resident memory of this process so far, MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class _Here:
    """Every task in this process, one after another."""

    def __init__(self, progress: bool) -> None:
        self.progress = progress

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        from tqdm import tqdm

        return [
            dask.compute(t, scheduler="synchronous")[0]
            for t in tqdm(tasks, desc=what, unit="task", disable=not self.progress)
        ]

    def peak_memory_mb(self) -> dict[str, float]:
        return {"this process": process_peak_memory_mb()}


class _OnCluster:
    """Tasks on a dask.distributed cluster, through ``client``."""

    def __init__(self, client: Any, progress: bool) -> None:
        self.client = client
        self.progress = progress

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        from distributed import as_completed
        from tqdm import tqdm

        futures = self.client.compute(list(tasks))
        with tqdm(total=len(futures), desc=what, unit="task", disable=not self.progress) as bar:
            for _ in as_completed(futures):
                bar.update(1)
        return list(self.client.gather(futures))

    def peak_memory_mb(self) -> dict[str, float]:
        return {str(k): float(v) for k, v in self.client.run(process_peak_memory_mb).items()}


@dataclass(frozen=True)
class Engine:
    """Where a region run's tasks run.

    Attributes
    ----------
    workers
        Worker processes of the embedded ``LocalCluster`` (one thread each); default: the
        machine's cores.
    scheduler
        Address of an existing dask scheduler (``tcp://host:8786``): the same tasks run there.
    synchronous
        Run every task in this process, one after another (for tests and debugging).
    progress
        Show a progress bar over the tasks.
    """

    workers: int | None = None
    scheduler: str | None = None
    synchronous: bool = False
    progress: bool = True

    @property
    def name(self) -> str:
        """``synchronous``, the scheduler's address, or ``local cluster``."""
        if self.synchronous:
            return "synchronous"
        return self.scheduler or "local cluster"


@contextmanager
def compute_with(engine: Engine) -> Iterator[Compute]:
    """Yield ``compute(tasks, what)``, running ``dask.delayed`` tasks on the engine's scheduler.

    ``compute.peak_memory_mb()`` gives each worker process's memory high-water mark so far.

    The embedded local cluster (worker processes of one thread each) is started here and closed
    on leaving; a remote scheduler is only connected to.
    """
    workers, scheduler, progress = engine.workers, engine.scheduler, engine.progress
    if engine.synchronous:
        yield _Here(progress)
        return
    from distributed import Client, LocalCluster

    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            n = workers or os.cpu_count() or 1
            cluster = LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        msg = f"cannot reach the dask scheduler {scheduler!r} ({exc}); check the address"
        raise InputError(msg) from None
    logger.info("dask: %s", client)

    try:
        yield _OnCluster(client, progress)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
