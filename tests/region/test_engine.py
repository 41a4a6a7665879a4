"""Where the region's tasks run: results in order, workers restarted after a number of tasks."""

from __future__ import annotations

import os

import dask
import pytest

from heatmap.region.engine import Engine, compute_with


def _pid(i: int) -> tuple[int, int]:
    return i, os.getpid()


@pytest.mark.slow
@pytest.mark.parametrize(("recycle", "n_processes"), [(2, 3), (0, 1)])
def test_workers_restart_after_the_given_number_of_tasks(recycle: int, n_processes: int) -> None:
    engine = Engine(workers=1, progress=False, recycle_after_tasks=recycle)
    task = dask.delayed(_pid, pure=True)
    with compute_with(engine) as compute:
        out = compute([task(i) for i in range(5)], "pids")
        peaks = compute.peak_memory_mb()
    assert [i for i, _ in out] == list(range(5))  # results in the order given
    # one worker: batches of 2, 2 and 1 tasks each run in a fresh process when recycling
    assert len({pid for _, pid in out}) == n_processes
    assert len(peaks) == 1 and next(iter(peaks.values())) > 50


def test_the_synchronous_engine_runs_here() -> None:
    task = dask.delayed(_pid, pure=True)
    with compute_with(Engine(synchronous=True, progress=False)) as compute:
        out = compute([task(i) for i in range(3)], "pids")
        assert set(compute.peak_memory_mb()) == {"this process"}
    assert out == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]
