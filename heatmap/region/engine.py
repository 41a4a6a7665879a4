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

__all__ = ["RECYCLE_AFTER_TASKS", "Compute", "Engine", "compute_with", "process_peak_memory_mb"]

logger = logging.getLogger(__name__)


RECYCLE_AFTER_TASKS = 100
"""Tasks per worker between restarts of the embedded local cluster's workers."""


class Compute(Protocol):
    """Runs ``dask.delayed`` tasks where the engine says."""

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        """Run ``tasks``; results in the same order, with a progress bar named ``what``."""

    def peak_memory_mb(self) -> dict[str, float]:
        """The largest resident memory so far of each worker (over its restarts), MB."""


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
    """Tasks on a dask.distributed cluster, through ``client``.

    With ``recycle`` > 0 the tasks go in batches of ``recycle`` per worker and the workers are
    restarted after each batch (their results already gathered): a long-lived Python process
    keeps the memory it has used, so without it a worker grows with the number of tasks it runs.
    """

    def __init__(self, client: Any, progress: bool, recycle: int) -> None:
        self.client = client
        self.progress = progress
        self.recycle = recycle
        self.peaks: dict[str, float] = {}

    def _batch(self) -> int:
        n = len(self.client.scheduler_info().get("workers", {})) or 1
        return self.recycle * n if self.recycle > 0 else 0

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        from distributed import as_completed
        from tqdm import tqdm

        todo = list(tasks)
        size = self._batch() or max(1, len(todo))
        out: list[Any] = []
        with tqdm(total=len(todo), desc=what, unit="task", disable=not self.progress) as bar:
            for i in range(0, len(todo), size):
                futures = self.client.compute(todo[i : i + size])
                for _ in as_completed(futures):
                    bar.update(1)
                out.extend(self.client.gather(futures))
                del futures
                if self.recycle > 0:
                    self._note_peaks()
                    self.client.restart()
        return out

    def _note_peaks(self) -> None:
        """Each worker's high-water mark, by worker name (its address changes on a restart)."""
        info = self.client.scheduler_info().get("workers", {})
        for addr, v in self.client.run(process_peak_memory_mb).items():
            name = str(info.get(addr, {}).get("name", addr))
            self.peaks[name] = max(self.peaks.get(name, 0.0), float(v))

    def peak_memory_mb(self) -> dict[str, float]:
        self._note_peaks()
        return dict(self.peaks)


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
    recycle_after_tasks
        Restart the worker processes after every this many tasks each (0: never), so a
        worker's memory does not grow with the number of tiles it has run. Default:
        :data:`RECYCLE_AFTER_TASKS` on the embedded local cluster, never on an existing cluster
        (a restart there would stop other clients' work).
    """

    workers: int | None = None
    scheduler: str | None = None
    synchronous: bool = False
    progress: bool = True
    recycle_after_tasks: int | None = None

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
        recycle = engine.recycle_after_tasks
        if recycle is None:
            recycle = 0 if scheduler else RECYCLE_AFTER_TASKS
        yield _OnCluster(client, progress, recycle)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
