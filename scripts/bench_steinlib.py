"""Benchmark the Steiner solvers on SteinLib B/C and on a 20,000-node road-like graph.

Prints, per set, the mean/max gap to the known optimum and the mean/max time of each solver
beside networkx's mehlhorn ``steiner_tree`` run in the same process; the exact solver's proven
count; and, on a synthetic road-like graph (jittered grid, 20,000 nodes, 1,000 terminals), the
speed ratio fast vs networkx and the default solver's time and cost vs networkx. The last line
counts the runs the safety time limit cut short (it should be none: the searches are bounded by
work).

Rerun:
    PYTHONPATH=. .venv/bin/python scripts/bench_steinlib.py    # B and C, default/fast/nx
    PYTHONPATH=. .venv/bin/python scripts/bench_steinlib.py --exact  # also exact, 60 s each
    PYTHONPATH=. .venv/bin/python scripts/bench_steinlib.py --road-only  # only the 20k-node test
"""

from __future__ import annotations

import argparse
import csv
import logging
import time
from pathlib import Path

import networkx as nx
import numpy as np
from networkx.algorithms.approximation import steiner_tree as nx_steiner

from heatmap.routing.steiner import steiner_tree, validate_tree
from heatmap.routing.steinlib import read_stp

ROOT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "steinlib"


class CapCounter(logging.Handler):
    """Counts the solvers' warnings that the safety time limit stopped a search."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.hits: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if "time limit" in record.getMessage():
            self.hits.append(record.getMessage())


def road_like_graph(n_side: int = 142, seed: int = 0) -> nx.Graph:
    """Jittered grid, 10 % of edges removed, lengths × dig-class factors (about 20k nodes)."""
    rng = np.random.default_rng(seed)
    xy = {
        (i, j): (i * 50.0 + rng.normal(0, 8), j * 50.0 + rng.normal(0, 8))
        for i in range(n_side)
        for j in range(n_side)
    }
    G = nx.Graph()
    for (i, j), (x, y) in xy.items():
        for di, dj in ((1, 0), (0, 1)):
            k = (i + di, j + dj)
            if k in xy and rng.random() > 0.1:
                x2, y2 = xy[k]
                length = float(np.hypot(x2 - x, y2 - y))
                G.add_edge((i, j), k, weight=length * float(rng.choice([1.0, 1.0, 1.6])))
    big = max(nx.connected_components(G), key=len)
    return G.subgraph(big).copy()


def bench_road(n_terminals: int = 1000, seed: int = 0) -> None:
    G = road_like_graph(seed=seed)
    rng = np.random.default_rng(seed)
    nodes = list(G.nodes)
    terms = [nodes[k] for k in rng.choice(len(nodes), n_terminals, replace=False)]
    # median of 3 runs each, interleaved, so machine load hits both alike
    t_nxs, t_fasts = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        T = nx_steiner(G, terms, method="mehlhorn")
        t_nxs.append(time.perf_counter() - t0)
        fast = steiner_tree(G, terms, method="fast")
        t_fasts.append(fast.seconds)
    t_nx, t_fast = float(np.median(t_nxs)), float(np.median(t_fasts))
    c_nx = validate_tree(G, list(T.edges), terms)
    default = steiner_tree(G, terms, method="default")
    print(
        f"\nroad-like graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} edges, "
        f"{n_terminals} terminals"
    )
    print(f"  networkx mehlhorn: cost {c_nx:,.1f}  {t_nx:.2f} s")
    print(
        f"  fast (Mehlhorn):   cost {fast.cost:,.1f}  {t_fast:.2f} s  "
        f"speed-up x{t_nx / t_fast:.1f}  cost ratio {fast.cost / c_nx:.4f}"
    )
    print(
        f"  default:           cost {default.cost:,.1f}  {default.seconds:.2f} s  "
        f"cost ratio {default.cost / c_nx:.4f}"
    )


def bench_sets(sets: list[str], exact: bool, time_limit_s: float) -> None:
    optima = {
        r["instance"]: float(r["optimum"]) for r in csv.DictReader((ROOT / "optima.csv").open())
    }
    methods = ["default", "fast", "networkx"] + (["exact"] if exact else [])
    print(
        f"{'set':<4}{'method':<10}{'mean gap %':>11}{'max gap %':>11}{'mean s':>9}{'max s':>9}"
        f"{'proven':>8}"
    )
    for s in sets:
        rows: dict[str, list[tuple[float, float, bool, bool]]] = {m: [] for m in methods}
        for f in sorted((ROOT / s).glob("*.stp")):
            inst = read_stp(f)
            opt = optima[f.stem]
            for m in methods:
                if m == "networkx":
                    t0 = time.perf_counter()
                    T = nx_steiner(nx.Graph(inst.graph), list(inst.terminals), method="mehlhorn")
                    sec = time.perf_counter() - t0
                    cost = validate_tree(inst.graph, list(T.edges), inst.terminals)
                    proven, lb_ok = False, True
                else:
                    r = steiner_tree(
                        inst.graph,
                        inst.terminals,
                        method=m,  # type: ignore[arg-type]
                        time_limit_s=time_limit_s if m == "exact" else None,
                    )
                    cost, sec = r.cost, r.seconds
                    proven = r.optimal
                    lb_ok = r.lower_bound is None or r.lower_bound <= opt + 1e-6
                    if m == "exact":
                        print(
                            f"    {f.stem} exact: cost {cost:g} lb {r.lower_bound} "
                            f"optimal {r.optimal} {sec:.1f} s",
                            flush=True,
                        )
                rows[m].append(((cost - opt) / opt * 100, sec, proven, lb_ok))
        for m in methods:
            g = np.array([r[0] for r in rows[m]])
            t = np.array([r[1] for r in rows[m]])
            proven = sum(r[2] for r in rows[m])
            bad_lb = sum(not r[3] for r in rows[m])
            extra = f"{proven:>5}/{len(g)}" if m == "exact" else ""
            if bad_lb:
                extra += f"  LOWER BOUND ABOVE OPTIMUM x{bad_lb}"
            print(
                f"{s:<4}{m:<10}{g.mean():>11.3f}{g.max():>11.3f}{t.mean():>9.3f}{t.max():>9.3f}"
                f"{extra:>8}",
                flush=True,
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="*", default=["B", "C"])
    ap.add_argument("--exact", action="store_true", help="also run the exact solver")
    ap.add_argument("--time-limit", type=float, default=60.0, help="exact time limit, s")
    ap.add_argument("--road-only", action="store_true")
    ap.add_argument("--no-road", action="store_true")
    args = ap.parse_args()
    caps = CapCounter()
    logging.getLogger("heatmap.routing").addHandler(caps)
    if not args.road_only:
        bench_sets(args.sets, args.exact, args.time_limit)
    if not args.no_road:
        bench_road()
    print(f"\nsafety time limit reached: {len(caps.hits)} run(s)")
    print(
        "\nrerun: PYTHONPATH=. .venv/bin/python scripts/bench_steinlib.py"
        + (" --exact" if args.exact else "")
    )


if __name__ == "__main__":
    main()
