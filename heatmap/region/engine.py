"""Where the tile tasks run: dask's synchronous scheduler, a local cluster, or a remote one."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import dask

from heatmap.errors import InputError

__all__ = ["Compute", "compute_with"]

logger = logging.getLogger(__name__)

Compute = Callable[[Sequence[Any]], list[Any]]
"""Runs a list of ``dask.delayed`` tasks and returns their results in the same order."""


@contextmanager
def compute_with(
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    synchronous: bool = False,
    progress: bool = True,
) -> Iterator[Compute]:
    """Yield a function that runs tile tasks on the chosen dask scheduler.

    Parameters
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
    if synchronous:

        def run_here(tasks: Sequence[Any]) -> list[Any]:
            return list(dask.compute(*tasks, scheduler="synchronous"))

        yield run_here
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

    def run_on_cluster(tasks: Sequence[Any]) -> list[Any]:
        from distributed import as_completed
        from tqdm import tqdm

        futures = client.compute(list(tasks))
        with tqdm(total=len(futures), desc="tiles", unit="tile", disable=not progress) as bar:
            for _ in as_completed(futures):
                bar.update(1)
        return list(client.gather(futures))

    try:
        yield run_on_cluster
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
