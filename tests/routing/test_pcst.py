"""Prize-collecting Steiner solver: known optima, required vertices, reductions, determinism."""

from __future__ import annotations

import csv
import itertools
import multiprocessing as mp
import time

import networkx as nx
import numpy as np
import pytest
from click.testing import CliRunner
from conftest import shared_path

from heatmap.cli.main import cli
from heatmap.errors import DisconnectedNetworkError
from heatmap.routing._pcst_reduce import make_instance, reduce_instance
from heatmap.routing.steiner import prize_collecting_steiner_tree
from heatmap.routing.steinlib import read_stp


def _random_instance(n: int, extra: int, seed: int) -> tuple[nx.Graph, dict[int, float]]:
    """Connected random graph: a random spanning tree plus ``extra`` edges, integer weights."""
    rng = np.random.default_rng(seed)
    G = nx.Graph()
    for v in range(1, n):
        G.add_edge(v, int(rng.integers(0, v)), weight=float(rng.integers(1, 20)))
    while G.number_of_edges() < n - 1 + extra:
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a != b and not G.has_edge(a, b):
            G.add_edge(a, b, weight=float(rng.integers(1, 20)))
    prizes = {v: float(rng.integers(0, 25)) if rng.random() < 0.5 else 0.0 for v in G}
    return G, prizes


def _brute_force(
    G: nx.Graph,
    prizes: dict[int, float],
    must: set[int] = frozenset(),  # type: ignore[assignment]
) -> float:
    """Optimum by enumeration: every connected vertex set holding ``must``, at its MST."""
    total = sum(prizes.values())
    best = np.inf
    nodes = list(G)
    for r in range(1, len(nodes) + 1):
        for S in itertools.combinations(nodes, r):
            if not must <= set(S):
                continue
            H = G.subgraph(S)
            if not nx.is_connected(H):
                continue
            cost = sum(d["weight"] for _, _, d in nx.minimum_spanning_edges(H, data=True))
            best = min(best, cost + total - sum(prizes[v] for v in S))
    return float(best)


@pytest.mark.parametrize("seed", range(8))
def test_default_and_exact_reach_the_brute_force_optimum(seed: int) -> None:
    G, prizes = _random_instance(10, 6, seed)
    opt = _brute_force(G, prizes)
    res = prize_collecting_steiner_tree(G, prizes)
    assert res.objective == pytest.approx(opt)
    ex = prize_collecting_steiner_tree(G, prizes, method="exact")
    assert ex.objective == pytest.approx(opt)
    assert ex.optimal
    assert ex.lower_bound == pytest.approx(opt)


@pytest.mark.parametrize("seed", range(4))
def test_required_vertices_join_at_the_brute_force_optimum(seed: int) -> None:
    G, prizes = _random_instance(10, 5, 100 + seed)
    # the two vertices of least prize must join (as anchors a route must serve)
    must = set(sorted(G, key=lambda v: (prizes[v], v))[:2])
    opt = _brute_force(G, prizes, must)
    res = prize_collecting_steiner_tree(G, prizes, required=sorted(must))
    assert must <= res.nodes
    assert res.objective == pytest.approx(opt)
    root = min(must)
    rooted = prize_collecting_steiner_tree(G, prizes, root=root, required=sorted(must))
    assert rooted.objective == pytest.approx(opt)


def test_required_vertex_far_away_is_connected() -> None:
    # a path ec - a - b - far: 'far' has no prize but is required, so the whole path is built
    G = nx.Graph()
    G.add_weighted_edges_from([("ec", "a", 1.0), ("a", "b", 10.0), ("b", "far", 10.0)])
    res = prize_collecting_steiner_tree(G, {"a": 5.0}, root="ec", required=["far"])
    assert res.nodes == frozenset({"ec", "a", "b", "far"})
    assert res.edge_cost == 21.0
    assert res.prize_lost == 0.0


def test_required_vertices_in_two_components_raise() -> None:
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "b", 1.0), ("c", "d", 1.0)])
    with pytest.raises(DisconnectedNetworkError, match="components"):
        prize_collecting_steiner_tree(G, {"a": 1.0}, required=["a", "c"])


def test_reductions_least_cost_edge_and_unprofitable_leaf() -> None:
    # triangle 0-1 (10) longer than 0-2-1 (3 + 3): the long edge goes; leaf 3 (prize 1 on an
    # edge of 5) goes; leaf 4 (prize 9 on an edge of 2) stays
    u = np.array([0, 0, 1, 1, 2], dtype=np.int64)
    v = np.array([1, 2, 2, 4, 3], dtype=np.int64)
    w = np.array([10.0, 3.0, 3.0, 2.0, 5.0])
    p = np.array([4.0, 4.0, 0.0, 1.0, 9.0])
    inst = make_instance(5, u, v, w, p, None, np.zeros(5, dtype=bool))
    red, stats = reduce_instance(inst)
    assert sorted(red.orig.tolist()) == [0, 1, 2, 4]
    kept = {(int(red.orig[a]), int(red.orig[b])) for a, b in zip(red.u, red.v, strict=True)}
    assert kept == {(0, 2), (1, 2), (1, 4)}
    assert stats["vertices_removed"] == 1


def _solve_record(G: nx.Graph, prizes: dict[int, float]) -> tuple[float, list[tuple[int, int]]]:
    res = prize_collecting_steiner_tree(G, prizes)
    return res.objective, sorted(tuple(sorted(e)) for e in res.edges)


def _burn(seconds: float) -> None:
    end = time.perf_counter() + seconds
    x = 0
    while time.perf_counter() < end:
        x += 1


def test_same_instance_same_tree_also_under_cpu_load() -> None:
    G, prizes = _random_instance(120, 60, 7)
    first = _solve_record(G, prizes)
    second = _solve_record(G, prizes)
    assert first == second
    ctx = mp.get_context("spawn")
    burners = [ctx.Process(target=_burn, args=(30.0,)) for _ in range(2)]
    for b in burners:
        b.start()
    try:
        loaded = _solve_record(G, prizes)
    finally:
        for b in burners:
            b.terminate()
            b.join()
    assert loaded == first


def _i640_optima() -> dict[str, float]:
    path = shared_path("benchmarks", "pcstp", "optima.csv")
    with path.open() as fh:
        return {r["instance"]: float(r["optimum"]) for r in csv.DictReader(fh)}


@pytest.mark.slow
@pytest.mark.parametrize("name", ["i640-201", "i640-231"])
def test_i640_near_the_known_optimum(name: str) -> None:
    opt = _i640_optima()[name]
    inst = read_stp(shared_path("benchmarks", "pcstp", "i640", f"{name}.stp"))
    res = prize_collecting_steiner_tree(inst.graph, inst.prizes, root=inst.root)
    assert res.objective >= opt - 1e-6
    assert (res.objective - opt) / opt <= 0.03
    assert not res.capped


def test_cli_reports_work_and_bound(tmp_path) -> None:
    stp = [
        "33D32945 STP File, STP Format Version 1.0",
        "SECTION Graph",
        "Nodes 3",
        "Edges 2",
        "E 1 2 2",
        "E 2 3 2",
        "END",
        "SECTION Terminals",
        "Terminals 2",
        "TP 1 5",
        "TP 3 1",
        "END",
        "EOF",
    ]
    path = tmp_path / "pc.stp"
    path.write_text("\n".join(stp))
    import json

    out = CliRunner().invoke(cli, ["steiner", str(path), "--json"])
    rec = json.loads(out.output)
    # {1} alone: prize 1 of vertex 3 lost; reaching 3 costs 4 for a prize of 1
    assert rec["cost"] == 1.0
    assert rec["work"] > 0
    assert rec["bound_proven"] is False
    out = CliRunner().invoke(cli, ["steiner", str(path), "--method", "exact", "--json"])
    rec = json.loads(out.output)
    assert rec["bound_proven"] is True
    assert rec["lower_bound"] == pytest.approx(1.0)
