"""Degree-2 chain contraction of the prize-collecting solver: hand-worked cases."""

from __future__ import annotations

import networkx as nx
import numpy as np

from heatmap.routing._pcst_chains import contract_chains
from heatmap.routing._pcst_reduce import make_instance
from heatmap.routing.steiner import prize_collecting_steiner_tree


def _instance(edges: list[tuple[int, int, float]], p: list[float], root: int | None = None):
    edges = sorted((min(a, b), max(a, b), w) for a, b, w in edges)
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges], dtype=float)
    n = len(p)
    req = np.zeros(n, dtype=bool)
    return make_instance(n, u, v, w, np.array(p, dtype=float), root, req)


def test_chain_becomes_one_edge_the_shorter_parallel_one_kept_and_loops_dropped() -> None:
    # 0 -1- 1 -2- 2 -3- 3 (1, 2 no prize: one chain of 6) and a direct edge 0-3 of 7;
    # 3 -1- 4 -1- 5 -1- 3 is a loop of no-prize vertices back to 3; 6 hangs on 3 (prize)
    edges = [(0, 1, 1), (1, 2, 2), (2, 3, 3), (0, 3, 7), (3, 4, 1), (4, 5, 1), (5, 3, 1)]
    edges.append((3, 6, 2))
    inst = _instance(edges, [5, 0, 0, 5, 0, 0, 4])
    ch = contract_chains(inst)
    assert ch is not None
    assert ch.keep.tolist() == [0, 3, 6]
    assert ch.inst.u.tolist() == [0, 1] and ch.inst.v.tolist() == [1, 2]
    assert ch.inst.w.tolist() == [6.0, 2.0]
    assert ch.paths[0] == [0, 1, 2, 3]
    (i, j), nodes = ch.expand((np.array([0, 1]), np.array([1, 2])), np.array([0, 1, 2]))
    assert sorted(zip(i.tolist(), j.tolist(), strict=True)) == [(0, 1), (1, 2), (2, 3), (3, 6)]
    assert nodes.tolist() == [0, 1, 2, 3, 6]


def test_nothing_to_contract_and_a_required_vertex_stays() -> None:
    inst = _instance([(0, 1, 1), (1, 2, 1)], [1, 0, 1])
    assert contract_chains(inst) is not None
    inst = _instance([(0, 1, 1), (1, 2, 1)], [1, 0, 1], root=1)
    assert contract_chains(inst) is None


def test_solver_on_a_street_like_graph_returns_the_path_through_the_bends() -> None:
    # two buildings at the ends of a street of 20 bends (length 1 each), worth 25 each:
    # joined for 21, or one alone and 25 lost
    G = nx.path_graph(22)
    nx.set_edge_attributes(G, 1.0, "weight")
    G.add_edge(0, 21, weight=40.0)  # a long way round: never used
    res = prize_collecting_steiner_tree(G, {0: 25.0, 21: 25.0})
    assert res.objective == 21.0
    assert res.nodes == frozenset(range(22))
    res = prize_collecting_steiner_tree(G, {0: 10.0, 21: 10.0})
    assert res.objective == 10.0
