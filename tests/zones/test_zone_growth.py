"""Zone growth against brute force on random street graphs; splitting keeps parts contiguous."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from heatmap.zones._growth import grow_zones, split_large_zones


def random_streets(seed: int) -> tuple[list[int], list[int], np.ndarray, np.ndarray]:
    """A random connected street graph (a spanning tree plus extra links) of 6-25 junctions."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(6, 26))
    u, v = [], []
    for k in range(1, n):
        u.append(int(rng.integers(0, k)))
        v.append(k)
    for _ in range(int(rng.integers(0, n))):
        a, b = (int(x) for x in rng.choice(n, 2, replace=False))
        if {a, b} not in [{x, y} for x, y in zip(u, v, strict=True)]:
            u.append(a)
            v.append(b)
    length = rng.uniform(20.0, 300.0, len(u)).round(1)
    qualifying = rng.random(len(u)) < 0.35
    return u, v, length, qualifying


def brute_force_zones(u, v, length, qualifying, gap: float) -> set[frozenset[int]]:
    """Qualifying segments grouped by single linkage: two groups join when a path between them
    is at most ``gap`` long counting only non-qualifying street (every pair of groups, by
    Dijkstra with qualifying segments at zero length)."""
    G = nx.Graph()
    for k, (a, b) in enumerate(zip(u, v, strict=True)):
        G.add_edge(a, b, w=0.0 if qualifying[k] else float(length[k]))
    Q = nx.Graph()
    Q.add_edges_from((u[k], v[k]) for k in np.flatnonzero(qualifying))
    groups = [frozenset(c) for c in nx.connected_components(Q)]
    dist = dict(nx.all_pairs_dijkstra_path_length(G, weight="w"))
    link = nx.Graph()
    link.add_nodes_from(range(len(groups)))
    for i, j in itertools.combinations(range(len(groups)), 2):
        d = min(dist[a].get(b, np.inf) for a in groups[i] for b in groups[j])
        if d <= gap + 1e-9:
            link.add_edge(i, j)
    node_group = {n: i for i, g in enumerate(groups) for n in g}
    out = []
    for comp in nx.connected_components(link):
        out.append(
            frozenset(k for k in np.flatnonzero(qualifying).tolist() if node_group[u[k]] in comp)
        )
    return set(out)


@pytest.mark.parametrize("seed", range(60))
def test_grow_zones_matches_brute_force(seed: int) -> None:
    u, v, length, qualifying = random_streets(seed)
    gap = 250.0
    zone = grow_zones(u, v, length, qualifying, gap).zone_of_segment
    assert (zone[qualifying] >= 0).all()
    got = {
        frozenset(k for k in np.flatnonzero(zone == z).tolist() if qualifying[k])
        for z in np.unique(zone[zone >= 0])
    }
    assert got == brute_force_zones(u, v, length, qualifying, gap)
    # every zone is contiguous along the streets; each join adds at most ``gap`` of street
    for z in np.unique(zone[zone >= 0]):
        members = np.flatnonzero(zone == z)
        assert nx.is_connected(nx.Graph([(u[k], v[k]) for k in members]))
        q = members[qualifying[members]]
        n_groups = nx.number_connected_components(nx.Graph([(u[k], v[k]) for k in q]))
        assert length[members[~qualifying[members]]].sum() <= gap * (n_groups - 1) + 1e-9


@pytest.mark.parametrize("seed", range(40))
def test_split_parts_are_contiguous_and_within_the_limit(seed: int) -> None:
    u, v, length, _ = random_streets(seed)
    rng = np.random.default_rng(1000 + seed)
    heat = rng.uniform(0.0, 500.0, len(u))
    whole = np.zeros(len(u), dtype=int)  # one zone of every segment
    limit = float(heat.sum()) / rng.uniform(1.5, 4.0)
    parts = split_large_zones(whole, u, v, length, heat, limit)
    assert (parts >= 0).all()
    for p in np.unique(parts):
        members = np.flatnonzero(parts == p)
        assert p == members.min()
        assert heat[members].sum() <= limit or len(members) == 1
        assert nx.is_connected(nx.Graph([(u[k], v[k]) for k in members]))
    assert len(np.unique(parts)) >= np.ceil(heat.sum() / limit)
