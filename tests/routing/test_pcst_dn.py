"""Tests for the key-vertex search of the prize-collecting solver on the distance network.

The fast move evaluations (Kruskal on tree plus star, the bottleneck bound of an insertion, the
piece-rejoining elimination) are checked against recomputing the minimum spanning tree from
scratch on small random distance matrices; the search is checked against brute force.
"""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import networkx as nx
import numpy as np
import pytest

from heatmap.routing._pcst_dn import (
    DistanceNetwork,
    _insert_cost,
    _prim,
    _State,
    key_vertex_search,
)
from heatmap.routing._pcst_local import solution
from heatmap.routing._pcst_reduce import make_instance


def _random_metric(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    pts = rng.uniform(0, 10, (n, 2))
    D = np.sqrt(((pts[:, None] - pts[None]) ** 2).sum(-1)) * rng.uniform(1, 1.3, (n, n))
    D = np.minimum(D, D.T)
    return np.round(D) if seed % 2 else D


@pytest.mark.parametrize("seed", range(12))
def test_move_evaluations_equal_recomputed_mst(seed: int) -> None:
    n = 6 + seed
    D = _random_metric(n, seed)
    rng = np.random.default_rng(100 + seed)
    dn = SimpleNamespace(D=D, fixed=np.zeros(n, dtype=bool))
    X = sorted(rng.choice(n, n // 2, replace=False).tolist())
    st = _State(dn, rng.uniform(0, 5, n), X)  # type: ignore[arg-type]
    k = len(st.X)
    assert st.cost == pytest.approx(_prim(D[np.ix_(st.X, st.X)])[0])
    for pos in range(k):
        rest = np.delete(st.X, pos)
        assert st._remove_cost(pos) == pytest.approx(_prim(D[np.ix_(rest, rest)])[0])
    for v in sorted(set(range(n)) - set(X)):
        Y = np.append(st.X, v)
        change = _prim(D[np.ix_(Y, Y)])[0] - st.cost
        assert _insert_cost(st.tw, st.ta, st.tb, D[v, st.X], k) - st.cost == pytest.approx(change)
        row = D[v, st.X][None]
        idx = np.argsort(row, axis=1, kind="stable")
        S = np.take_along_axis(row, idx, axis=1)
        run = np.maximum.accumulate(st.B[idx[:, :1], idx[:, 1:]], axis=1)
        extra = np.minimum(0.0, S[:, 1:] - run)
        bound = float(S[0, 0] + extra.sum())
        assert bound <= change + 1e-9
        if (extra < 0).sum() <= 1:
            assert bound == pytest.approx(change)


def _brute_force(n: int, edges: list[tuple[int, int, float]], p: np.ndarray) -> float:
    G = nx.Graph()
    G.add_nodes_from(range(n))
    G.add_weighted_edges_from(edges)
    best = float(p.sum() - p.max())
    for r in range(2, n + 1):
        for S in itertools.combinations(range(n), r):
            H = G.subgraph(S)
            if nx.is_connected(H):
                T = nx.minimum_spanning_tree(H)
                cost = T.size(weight="weight") + p.sum() - p[list(S)].sum()
                best = min(best, float(cost))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_search_never_worse_nor_below_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 9
    G = nx.connected_watts_strogatz_graph(n, 4, 0.4, seed=seed)
    edges = sorted((min(a, b), max(a, b), float(rng.integers(1, 10))) for a, b in G.edges)
    u = np.array([e[0] for e in edges], dtype=np.int64)
    v = np.array([e[1] for e in edges], dtype=np.int64)
    w = np.array([e[2] for e in edges])
    p = np.where(rng.random(n) < 0.6, rng.integers(1, 15, n), 0).astype(float)
    inst = make_instance(n, u, v, w, p, None, np.zeros(n, dtype=bool))
    dn = DistanceNetwork(inst)
    start = solution(inst, np.array([int(np.argmax(p))], dtype=np.int64))
    assert start is not None
    best, _ = key_vertex_search(dn, start, 10_000)
    assert best.value <= start.value + 1e-9
    opt = _brute_force(n, edges, p)
    assert best.value >= opt - 1e-9
    # restarts from every vertex of prize: their best is no worse than the first
    found = min(
        key_vertex_search(dn, s, 10_000)[0].value
        for x in np.flatnonzero(p > 0).tolist()
        if (s := solution(inst, np.array([x], dtype=np.int64))) is not None
    )
    assert found <= best.value + 1e-9
    assert found >= opt - 1e-9


@pytest.mark.parametrize("seed", range(8))
def test_elimination_saves_at_most_the_shortest_tree_edge_at_the_vertex(seed: int) -> None:
    # the bound the elimination screen relies on: MST(X) - MST(X - x) <= shortest MST edge at x
    n = 8 + seed
    D = _random_metric(n, seed)
    dn = SimpleNamespace(D=D, fixed=np.zeros(n, dtype=bool))
    st = _State(dn, np.zeros(n), list(range(n)))  # type: ignore[arg-type]
    for pos in range(1, n):
        at = [st.pw[c] for c in range(1, n) if st.par[c] == pos] + [st.pw[pos]]
        rest = np.delete(st.X, pos)
        saving = st.cost - _prim(D[np.ix_(rest, rest)])[0]
        assert saving <= min(at) + 1e-9


def test_perturbed_network_raises_prizes_within_the_width_and_keeps_the_instance() -> None:
    n = 7
    u = np.arange(n - 1, dtype=np.int64)
    v = u + 1
    p = np.arange(n, dtype=float)
    inst = make_instance(n, u, v, np.ones(n - 1), p.copy(), None, np.zeros(n, dtype=bool))
    dn = DistanceNetwork(inst)
    pdn = dn.perturbed(3, 0.2, 0.5)
    assert np.all(pdn.p >= p) and np.all(pdn.p <= 1.5 * p + 1e-12)
    assert np.any(pdn.p > p)
    assert np.array_equal(inst.p, p) and dn.p is inst.p
    ratio = pdn.D[~np.eye(n, dtype=bool)] / dn.D[~np.eye(n, dtype=bool)]
    assert ratio.min() >= 0.8 - 1e-12 and ratio.max() <= 1.2 + 1e-12
    assert np.allclose(pdn.D, pdn.D.T)
    again = dn.perturbed(3, 0.2, 0.5)
    assert np.array_equal(again.D, pdn.D) and np.array_equal(again.p, pdn.p)
