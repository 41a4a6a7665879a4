"""Where the tile tasks run: dask's synchronous scheduler, a local cluster, or a remote one."""

from __future__ import annotations

import contextlib
import logging
import os
import resource
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import dask

from heatmap.errors import InputError

__all__ = ["RECYCLE_TASKS", "Compute", "Engine", "compute_with", "process_peak_memory_mb"]

logger = logging.getLogger(__name__)


RECYCLE_TASKS = 100
"""Tasks per worker after which the embedded cluster's workers are started afresh."""
RESTART_TIMEOUT_S = 300.0
"""How long a restart of the embedded cluster's workers may take."""
LOST_WORKER_TIMEOUT = "1h"
"""How long the embedded cluster waits for a worker it lost to come back."""


class Compute(Protocol):
    """Runs ``dask.delayed`` tasks where the engine says."""

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        """Run ``tasks``; results in the same order, with a progress bar named ``what``."""

    def peak_memory_mb(self) -> dict[str, float]:
        """The largest resident memory of each process that ran tasks since the last call, MB."""

    def fresh(self) -> None:
        """Run the next tasks on freshly started workers (where the engine owns them)."""


def process_peak_memory_mb(reset: bool = False) -> float:
    """The largest resident memory of this process, MB; ``reset`` starts the count again.

    Linux keeps the high-water mark in ``/proc/self/status`` (``VmHWM``) and resets it on
    request; elsewhere the process's lifetime peak (``ru_maxrss``) is given.
    """
    try:
        status = Path("/proc/self/status").read_text()
        kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    except (OSError, StopIteration, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    if reset:
        with contextlib.suppress(OSError):
            Path("/proc/self/clear_refs").write_text("5")
    return kb / 1024.0


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
        return {"this process": process_peak_memory_mb(reset=True)}

    def fresh(self) -> None:
        """Nothing to restart: the tasks run in this process."""


class _OnCluster:
    """Tasks on a dask.distributed cluster, through ``client``.

    With ``recycle`` (the embedded cluster only: a shared cluster is never restarted) the
    workers are started afresh on :meth:`fresh` and after every ``RECYCLE_TASKS`` tasks each
    within a call: the native allocators of long-lived processes keep memory a fresh process
    does not need. Every result is gathered before a restart; nothing else lives on workers.
    """

    def __init__(self, client: Any, progress: bool, *, recycle: bool = False) -> None:
        self.client = client
        self.progress = progress
        self.recycle = recycle
        self._peaks: dict[str, float] = {}

    def __call__(self, tasks: Sequence[Any], what: str) -> list[Any]:
        from distributed import as_completed
        from tqdm import tqdm

        n_workers = max(1, len(self.client.scheduler_info()["workers"]))
        step = RECYCLE_TASKS * n_workers if self.recycle else max(1, len(tasks))
        out: list[Any] = []
        with tqdm(total=len(tasks), desc=what, unit="task", disable=not self.progress) as bar:
            for start in range(0, len(tasks), step):
                if start:
                    self._restart()
                futures = self.client.compute(list(tasks[start : start + step]))
                for _ in as_completed(futures):
                    bar.update(1)
                out.extend(self.client.gather(futures))
                del futures
        return out

    def _note_peaks(self) -> None:
        info = self.client.scheduler_info()["workers"]
        for addr, mb in self.client.run(process_peak_memory_mb, reset=True).items():
            name = str(info.get(addr, {}).get("name", addr))
            self._peaks[name] = max(self._peaks.get(name, 0.0), float(mb))

    def fresh(self) -> None:
        """Restart the workers (only the embedded cluster's)."""
        self._restart(note_peaks=False)

    def _restart(self, *, note_peaks: bool = True) -> None:
        if not self.recycle:
            return
        if note_peaks:
            self._note_peaks()
        self.client.restart(wait_for_workers=True, timeout=RESTART_TIMEOUT_S)

    def peak_memory_mb(self) -> dict[str, float]:
        self._note_peaks()
        peaks, self._peaks = self._peaks, {}
        return peaks


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

    ``compute.peak_memory_mb()`` gives each worker's memory high-water mark since the last
    call; ``compute.fresh()`` restarts the embedded cluster's workers.

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
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,  # the planned restarts are not news
            )
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        msg = f"cannot reach the dask scheduler {scheduler!r} ({exc}); check the address"
        raise InputError(msg) from None
    logger.info("dask: %s", client)

    try:
        # a restarted worker is not lost: without this the cluster closes a worker's nanny
        # when an earlier restart's timer runs out while a later restart is under way
        with dask.config.set({"distributed.deploy.lost-worker-timeout": LOST_WORKER_TIMEOUT}):
            yield _OnCluster(client, progress, recycle=cluster is not None)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
