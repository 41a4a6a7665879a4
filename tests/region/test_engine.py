"""Where the region's tasks run: results in order, memory read from the processes that ran them."""

from __future__ import annotations

import os

import dask
import pytest

from heatmap.region.engine import Engine, compute_with


def _pid(i: int) -> tuple[int, int]:
    return i, os.getpid()


@pytest.mark.slow
def test_a_local_cluster_runs_tasks_in_worker_processes_and_reports_their_memory() -> None:
    task = dask.delayed(_pid, pure=True)
    with compute_with(Engine(workers=1, progress=False)) as compute:
        out = compute([task(i) for i in range(5)], "pids")
        peaks = compute.peak_memory_mb()
    assert [i for i, _ in out] == list(range(5))  # results in the order given
    assert len({pid for _, pid in out}) == 1 and out[0][1] != os.getpid()
    assert len(peaks) == 1 and next(iter(peaks.values())) > 50


def test_the_synchronous_engine_runs_here() -> None:
    task = dask.delayed(_pid, pure=True)
    with compute_with(Engine(synchronous=True, progress=False)) as compute:
        out = compute([task(i) for i in range(3)], "pids")
        assert set(compute.peak_memory_mb()) == {"this process"}
    assert out == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]
