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


def _grow(i: int) -> int:
    block = bytearray(40 * 2**20)  # 40 MB held while the task runs
    return len(block) + i


@pytest.mark.slow
def test_the_local_cluster_reports_each_stage_s_peak_and_restarts_between_stages() -> None:
    task = dask.delayed(_pid, pure=True)
    with compute_with(Engine(workers=1, progress=False)) as compute:
        first = compute([task(0)], "pids")[0][1]
        quiet = max(compute.peak_memory_mb().values())
        compute([dask.delayed(_grow, pure=True)(1)], "grow")
        busy = max(compute.peak_memory_mb().values())
        compute.fresh()
        second = compute([task(1)], "pids")[0][1]
        after = max(compute.peak_memory_mb().values())
    assert busy > quiet + 35  # the 40 MB task shows in its stage's figure ...
    assert after < busy - 35  # ... and not in the next stage's
    assert second != first  # a fresh worker process


def test_a_process_peak_can_be_counted_again() -> None:
    from heatmap.region.engine import process_peak_memory_mb

    block = bytearray(80 * 2**20)  # well above malloc's mmap threshold: freed at once
    block[::4096] = b"x" * len(block[::4096])  # touch every page
    del block
    high = process_peak_memory_mb(reset=True)  # the block counted, then the count starts again
    low = process_peak_memory_mb()
    assert low < high - 60


@pytest.mark.slow
def test_restarts_in_quick_succession_keep_the_workers() -> None:
    from dask.utils import parse_timedelta

    from heatmap.region.engine import RESTART_TIMEOUT_S

    task = dask.delayed(_pid, pure=True)
    with compute_with(Engine(workers=1, progress=False)) as compute:
        # the cluster waits for a restarting worker longer than a restart may take (dask's
        # default, 15 s, let an earlier restart's timer close a worker during a later restart)
        lost = dask.config.get("distributed.deploy.lost-worker-timeout")
        assert parse_timedelta(lost) >= RESTART_TIMEOUT_S
        pids = []
        for i in range(4):  # restarts closer together than the lost-worker timer
            pids.append(compute([task(i)], "pids")[0][1])
            compute.fresh()
        last = compute([task(9)], "pids")[0]
    assert len(set(pids)) == 4 and last[0] == 9
