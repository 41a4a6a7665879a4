"""Tests for the Steiner and prize-collecting Steiner solvers.

References: SteinLib B/C known optima (../shared/benchmarks/steinlib/optima.csv), hand-computed
small cases, and brute force over vertex subsets for prize-collecting instances.
"""

from __future__ import annotations

import csv
import itertools
import json
import math
import random
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import shared_path

from heatmap.cli.main import cli
from heatmap.errors import DisconnectedNetworkError, InputError, SolverError
from heatmap.routing.steiner import (
    prize_collecting_steiner_tree,
    steiner_tree,
    validate_tree,
)
from heatmap.routing.steinlib import read_stp

DATA = Path(__file__).resolve().parents[1] / "data"
METHODS = ["default", "fast", "exact"]


def _star() -> nx.Graph:
    G = nx.Graph()
    G.add_weighted_edges_from([("a", "x", 1), ("b", "x", 1), ("c", "x", 1), ("a", "b", 3)])
    G.add_edge("b", "c", weight=3)
    return G


# ----------------------------------------------------------------------------- small analytic


@pytest.mark.parametrize("method", METHODS)
def test_star_uses_the_hub(method: str) -> None:
    res = steiner_tree(_star(), ["a", "b", "c"], method=method)  # type: ignore[arg-type]
    assert res.cost == 3.0
    assert res.nodes == frozenset("abcx")
    assert {frozenset(e) for e in res.edges} == {frozenset(("x", t)) for t in "abc"}
    assert validate_tree(_star(), res.edges, "abc") == 3.0
    assert res.n_trees == 1


def test_exact_reports_bound_and_gap() -> None:
    res = steiner_tree(_star(), ["a", "b", "c"], method="exact")
    assert res.optimal
    assert res.lower_bound == pytest.approx(3.0)
    assert res.gap == pytest.approx(0.0)
    heur = steiner_tree(_star(), ["a", "b", "c"])
    assert heur.lower_bound is None
    assert heur.gap is None
    assert not heur.optimal


def test_single_terminal_and_two_terminals() -> None:
    G = nx.path_graph(5)
    nx.set_edge_attributes(G, 2.0, "weight")
    one = steiner_tree(G, [3])
    assert one.cost == 0.0
    assert one.edges == ()
    assert one.nodes == frozenset({3})
    two = steiner_tree(G, [0, 4, 0])
    assert two.cost == 8.0
    assert len(two.edges) == 4


def test_multigraph_uses_cheapest_parallel_edge() -> None:
    G = nx.MultiGraph()
    G.add_edge(1, 2, weight=5.0)
    G.add_edge(1, 2, weight=2.0)
    G.add_edge(2, 3, weight=1.0)
    res = steiner_tree(G, [1, 3])
    assert res.cost == 3.0
    assert validate_tree(G, res.edges, [1, 3]) == 3.0


def test_zero_weight_edges_are_allowed_and_cost_zero() -> None:
    G = nx.Graph()
    G.add_weighted_edges_from([(1, 2, 0.0), (2, 3, 4.0), (1, 3, 5.0), (3, 4, 0.0)])
    for method in METHODS:
        res = steiner_tree(G, [1, 4], method=method)  # type: ignore[arg-type]
        assert res.cost == 4.0
        assert res.edges


def test_graph_is_not_modified() -> None:
    G = _star()
    before = nx.to_dict_of_dicts(G)
    steiner_tree(G, ["a", "b", "c"])
    assert nx.to_dict_of_dicts(G) == before


# ----------------------------------------------------------------------------- bad input


def test_disconnected_terminals_raise_naming_them() -> None:
    G = _star()
    G.add_edge("p", "q", weight=1.0)
    with pytest.raises(DisconnectedNetworkError, match="2 different components") as info:
        steiner_tree(G, ["a", "b", "p", "q"])
    assert "'p'" in str(info.value)
    assert "'a'" in str(info.value)
    assert "allow_forest" in str(info.value)


def test_allow_forest_returns_one_tree_per_component() -> None:
    G = _star()
    G.add_edge("p", "q", weight=2.0)
    res = steiner_tree(G, ["a", "b", "c", "p", "q"], allow_forest=True)
    assert res.n_trees == 2
    assert res.cost == 5.0
    assert len(res.edges) == 4


@pytest.mark.parametrize(
    ("weight", "words"),
    [(-1.0, "finite and >= 0"), (math.nan, "finite and >= 0"), (math.inf, "finite and >= 0")],
)
def test_bad_weights_raise_input_error(weight: float, words: str) -> None:
    G = _star()
    G["a"]["x"]["weight"] = weight
    with pytest.raises(InputError, match=words):
        steiner_tree(G, ["a", "b"])


def test_missing_weight_raises() -> None:
    G = _star()
    del G["a"]["x"]["weight"]
    with pytest.raises(InputError, match="no 'weight' attribute"):
        steiner_tree(G, ["a", "b"])


def test_terminal_off_graph_empty_terminals_and_bad_options() -> None:
    with pytest.raises(InputError, match="not nodes of the graph: 'zz'"):
        steiner_tree(_star(), ["a", "zz"])
    with pytest.raises(InputError, match="empty"):
        steiner_tree(_star(), [])
    with pytest.raises(InputError, match="unknown method"):
        steiner_tree(_star(), ["a", "b"], method="kou")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="directed"):
        steiner_tree(nx.DiGraph(_star()), ["a", "b"])


def test_validate_tree_rejects_bad_trees() -> None:
    G = _star()
    with pytest.raises(SolverError, match="not an edge"):
        validate_tree(G, [("a", "c")], ["a", "c"])
    with pytest.raises(SolverError, match="cycle"):
        validate_tree(G, [("a", "x"), ("b", "x"), ("a", "b")], ["a", "b"])
    with pytest.raises(SolverError, match="disconnected"):
        validate_tree(G, [("a", "x")], ["a", "c"])
    with pytest.raises(SolverError, match="twice"):
        validate_tree(G, [("a", "x"), ("x", "a")], ["a"])


# ----------------------------------------------------------------------------- SteinLib


def _optima() -> dict[str, tuple[str, float]]:
    root = shared_path("benchmarks", "steinlib")
    with (root / "optima.csv").open() as fh:
        return {r["instance"]: (r["set"], float(r["optimum"])) for r in csv.DictReader(fh)}


B = [f"b{k:02d}" for k in range(1, 19)]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", B)
def test_default_solver_on_steinlib_b(name: str) -> None:
    """Default solver within 0.5 % of the optimum on every B instance (issue target: mean)."""
    s, opt = _optima()[name]
    inst = read_stp(shared_path("benchmarks", "steinlib", s, f"{name}.stp"))
    res = steiner_tree(inst.graph, inst.terminals)
    assert validate_tree(inst.graph, res.edges, inst.terminals) == pytest.approx(res.cost)
    assert opt <= res.cost <= opt * 1.005


@pytest.mark.shared_data
@pytest.mark.parametrize("name", B[::3])
def test_fast_is_within_factor_two_and_exact_proves_b(name: str) -> None:
    s, opt = _optima()[name]
    inst = read_stp(shared_path("benchmarks", "steinlib", s, f"{name}.stp"))
    fast = steiner_tree(inst.graph, inst.terminals, method="fast")
    assert opt <= fast.cost <= 2 * opt
    ex = steiner_tree(inst.graph, inst.terminals, method="exact", time_limit_s=60)
    assert ex.optimal
    assert ex.cost == pytest.approx(opt)
    assert ex.lower_bound is not None
    assert ex.lower_bound <= opt + 1e-6


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["c01", "c06", "c11", "c16", "c02"])
def test_exact_proves_some_c(name: str) -> None:
    s, opt = _optima()[name]
    inst = read_stp(shared_path("benchmarks", "steinlib", s, f"{name}.stp"))
    ex = steiner_tree(inst.graph, inst.terminals, method="exact", time_limit_s=60)
    assert ex.optimal
    assert ex.cost == pytest.approx(opt)
    assert ex.lower_bound is not None
    assert ex.lower_bound <= opt + 1e-6


@pytest.mark.slow
@pytest.mark.shared_data
@pytest.mark.parametrize("name", ["c03", "c08", "c13", "c18"])
def test_default_solver_on_some_c(name: str) -> None:
    s, opt = _optima()[name]
    inst = read_stp(shared_path("benchmarks", "steinlib", s, f"{name}.stp"))
    res = steiner_tree(inst.graph, inst.terminals)
    assert opt <= res.cost <= opt * 1.05


# ----------------------------------------------------------------------------- prize-collecting


def _brute_pcst(G: nx.Graph, prizes: dict[int, float], root: int | None) -> float:
    """Optimum by enumerating vertex sets: MST of each connected induced subgraph."""
    total = sum(prizes.values())
    best = math.inf
    nodes = list(G)
    for k in range(1, len(nodes) + 1):
        for U in itertools.combinations(nodes, k):
            if root is not None and root not in U:
                continue
            H = G.subgraph(U)
            if not nx.is_connected(H):
                continue
            mst = sum(d["weight"] for *_, d in nx.minimum_spanning_edges(H, data=True))
            best = min(best, mst + total - sum(prizes.get(x, 0.0) for x in U))
    return best


def _random_pcst(rng: random.Random) -> tuple[nx.Graph, dict[int, float], int | None]:
    n = rng.randint(4, 9)
    G = nx.gnm_random_graph(n, rng.randint(n, 2 * n), seed=rng.randint(0, 10**6))
    for a, b in G.edges:
        G[a][b]["weight"] = float(rng.randint(1, 10))
    prizes = {v: float(rng.randint(0, 12)) for v in G if rng.random() < 0.7}
    root = rng.choice(list(G)) if rng.random() < 0.3 else None
    return G, prizes, root


def _pcst_campaign(n_instances: int, *, with_milp: bool) -> tuple[int, float]:
    rng = random.Random(20240601)
    equal, gaps = 0, []
    for _ in range(n_instances):
        G, prizes, root = _random_pcst(rng)
        ref = _brute_pcst(G, prizes, root)
        res = prize_collecting_steiner_tree(G, prizes, root=root)
        assert res.objective >= ref - 1e-9
        assert res.objective == pytest.approx(res.edge_cost + res.prize_lost)
        if root is not None:
            assert root in res.nodes
        if with_milp:
            ex = prize_collecting_steiner_tree(G, prizes, root=root, method="exact")
            assert ex.objective == pytest.approx(ref)
            assert ex.optimal
        equal += abs(res.objective - ref) <= 1e-9
        gaps.append((res.objective - ref) / max(ref, 1e-9))
    return equal, sum(gaps) / len(gaps)


def test_pcst_heuristic_against_brute_force() -> None:
    equal, _ = _pcst_campaign(40, with_milp=False)
    assert equal >= 36


@pytest.mark.slow
def test_pcst_campaign_300_with_milp() -> None:
    equal, mean_gap = _pcst_campaign(300, with_milp=True)
    assert equal >= 270
    assert mean_gap < 0.01


def test_pcst_hand_case_and_root() -> None:
    inst = read_stp(DATA / "steiner_pc.stp")
    res = prize_collecting_steiner_tree(inst.graph, inst.prizes)
    assert res.objective == 4.0
    assert res.nodes == frozenset({3})
    rooted = prize_collecting_steiner_tree(inst.graph, inst.prizes, root=1)
    # with node 1 forced: {1} costs 5, {1,2} 6, all 7
    assert rooted.objective == 5.0
    ex = prize_collecting_steiner_tree(inst.graph, inst.prizes, method="exact")
    assert ex.optimal
    assert ex.objective == 4.0


def test_pcst_bad_input() -> None:
    G = _star()
    with pytest.raises(InputError, match="must be >= 0"):
        prize_collecting_steiner_tree(G, {"a": -1.0})
    with pytest.raises(InputError, match="not in the graph"):
        prize_collecting_steiner_tree(G, {"zz": 1.0})
    with pytest.raises(InputError, match="root"):
        prize_collecting_steiner_tree(G, {"a": 1.0}, root="zz")


# ----------------------------------------------------------------------------- CLI


def test_cli_json_plain_and_prize_collecting() -> None:
    runner = CliRunner()
    out = runner.invoke(cli, ["steiner", str(DATA / "steiner_star.stp"), "--json"])
    assert out.exit_code == 0, out.output
    rec = json.loads(out.output)
    assert set(rec) == {"instance", "cost", "seconds", "method", "lower_bound", "optimal"}
    assert rec["instance"] == "star"
    assert rec["cost"] == 3.0
    out = runner.invoke(
        cli, ["steiner", str(DATA / "steiner_star.stp"), "--method", "exact", "--json"]
    )
    rec = json.loads(out.output)
    assert rec["optimal"] is True
    assert rec["lower_bound"] == pytest.approx(3.0)
    out = runner.invoke(cli, ["steiner", str(DATA / "steiner_pc.stp"), "--json"])
    assert json.loads(out.output)["cost"] == 4.0
    out = runner.invoke(
        cli, ["steiner", str(DATA / "steiner_star.stp"), "--method", "networkx", "--json"]
    )
    assert json.loads(out.output)["method"] == "networkx-mehlhorn"


def test_cli_malformed_file_exits_2_with_line() -> None:
    out = CliRunner().invoke(cli, ["steiner", str(DATA / "steiner_bad_weight.stp"), "--json"])
    assert out.exit_code == 2
    assert "line 12" in out.output


# ----------------------------------------------------------------------------- large graph


def _road_like(n_side: int, seed: int) -> nx.Graph:
    """Jittered grid street graph with 10 % of links missing (same recipe as the benchmark)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    xy = {
        (i, j): (i * 50.0 + rng.normal(0, 8), j * 50.0 + rng.normal(0, 8))
        for i in range(n_side)
        for j in range(n_side)
    }
    G = nx.Graph()
    for (i, j), (x, y) in xy.items():
        for k in ((i + 1, j), (i, j + 1)):
            if k in xy and rng.random() > 0.1:
                x2, y2 = xy[k]
                G.add_edge((i, j), k, weight=float(np.hypot(x2 - x, y2 - y)))
    return G.subgraph(max(nx.connected_components(G), key=len)).copy()


@pytest.mark.slow
def test_large_road_graph_default_and_fast_beat_networkx() -> None:
    from networkx.algorithms.approximation import steiner_tree as nx_steiner

    G = _road_like(142, seed=3)
    rng = random.Random(3)
    terms = rng.sample(sorted(G.nodes), 1000)
    T = nx_steiner(G, terms, method="mehlhorn")
    c_nx = validate_tree(G, list(T.edges), terms)
    fast = steiner_tree(G, terms, method="fast")
    default = steiner_tree(G, terms)
    assert fast.cost <= c_nx
    assert default.cost <= c_nx
    assert validate_tree(G, default.edges, terms) == pytest.approx(default.cost)
