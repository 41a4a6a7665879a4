"""Benchmark the prize-collecting Steiner solver on the DIMACS PCSTP instances.

Runs every ``.stp`` file under ``../shared/benchmarks/pcstp/<set>/`` with the default
prize-collecting solver and, when the ``pcst_fast`` package is installed, Goemans–Williamson with
strong pruning from ``pcst_fast`` in the same run; prints per-instance objective, gap to the
known optimum (``optima.csv``), work and time, then per-set mean/max gap and time.

Rerun:
    PYTHONPATH=. /work/main/.venv/bin/python scripts/bench_pcstp.py             # all sets
    PYTHONPATH=. /work/main/.venv/bin/python scripts/bench_pcstp.py --set i640 --only 201
"""

from __future__ import annotations

import argparse
import csv
import logging
import time
from pathlib import Path

import numpy as np

from heatmap.routing.steiner import prize_collecting_steiner_tree
from heatmap.routing.steinlib import SteinLibInstance, read_stp

ROOT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "pcstp"


def run_pcst_fast(inst: SteinLibInstance) -> tuple[float, float] | None:
    """Objective and seconds of pcst_fast (GW + strong pruning), or None if not installed."""
    try:
        import pcst_fast  # type: ignore[import-not-found]
    except ImportError:
        return None
    nodes = list(inst.graph.nodes)
    idx = {x: k for k, x in enumerate(nodes)}
    best: dict[tuple[int, int], float] = {}
    for a, b, w in inst.graph.edges(data="weight"):
        key = (min(idx[a], idx[b]), max(idx[a], idx[b]))
        best[key] = min(best.get(key, np.inf), float(w))
    edges = np.array(list(best), dtype=np.int64)
    costs = np.array(list(best.values()))
    prizes = np.array([float(inst.prizes.get(x, 0.0)) for x in nodes])
    root = -1 if inst.root is None else idx[inst.root]
    t0 = time.perf_counter()
    vs, es = pcst_fast.pcst_fast(edges, prizes, costs, root, 1, "strong", 0)
    sec = time.perf_counter() - t0
    obj = float(costs[es].sum() + prizes.sum() - prizes[vs].sum())
    return obj, sec


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=None, help="only this set (folder), e.g. i640")
    ap.add_argument(
        "--only", default=None, help="only instances whose name contains one of these (a,b,...)"
    )
    ap.add_argument("--time-limit", type=float, default=None, help="safety cap per instance, s")
    args = ap.parse_args()
    logging.basicConfig(level=logging.WARNING)
    optima = {}
    with (ROOT / "optima.csv").open() as fh:
        for row in csv.DictReader(fh):
            optima[row["instance"]] = float(row["optimum"])
    sets = sorted(d for d in ROOT.iterdir() if d.is_dir())
    if args.set:
        sets = [d for d in sets if d.name == args.set]
    for d in sets:
        gaps, secs, fgaps, fsecs = [], [], [], []
        print(f"== {d.name}")
        print(f"{'instance':<12} {'optimum':>9} {'ours':>9} {'gap%':>6} {'work':>7} {'s':>6} "
              f"{'capped':>6} {'gw':>9} {'gw gap%':>7}")  # fmt: skip
        for f in sorted(d.glob("*.stp")):
            if args.only and not any(x in f.stem for x in args.only.split(",")):
                continue
            inst = read_stp(f)
            res = prize_collecting_steiner_tree(
                inst.graph, inst.prizes, root=inst.root, time_limit_s=args.time_limit
            )
            opt = optima.get(f.stem)
            gap = 100 * (res.objective - opt) / opt if opt else float("nan")
            gaps.append(gap)
            secs.append(res.seconds)
            fast = run_pcst_fast(inst)
            ftxt = ""
            if fast is not None:
                fgap = 100 * (fast[0] - opt) / opt if opt else float("nan")
                fgaps.append(fgap)
                fsecs.append(fast[1])
                ftxt = f" {fast[0]:>9.0f} {fgap:>7.2f}"
            print(
                f"{f.stem:<12} {opt or float('nan'):>9.0f} {res.objective:>9.0f} {gap:>6.2f} "
                f"{res.work:>7d} {res.seconds:>6.2f} {res.capped!s:>6}{ftxt}",
                flush=True,
            )
        if gaps:
            print(
                f"{d.name}: {len(gaps)} instances, gap mean {np.nanmean(gaps):.3f} % max "
                f"{np.nanmax(gaps):.3f} %, time mean {np.mean(secs):.2f} s max {np.max(secs):.2f} s"
            )
        if fgaps:
            print(
                f"{d.name} pcst_fast: gap mean {np.nanmean(fgaps):.3f} % max "
                f"{np.nanmax(fgaps):.3f} %, time total {np.sum(fsecs):.2f} s"
            )
        elif gaps:
            print("pcst_fast not installed: no comparison")


if __name__ == "__main__":
    main()
