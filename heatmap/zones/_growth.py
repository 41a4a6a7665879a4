"""Zone growth on the segment graph: qualifying segments, contiguous groups, short-gap joins.

The street segments of the atlas form a graph on their junctions. Qualifying segments sharing a
junction form a group. Two groups join when a path through non-qualifying segments between them
is at most ``max_gap_m`` long; the segments of that path join the zone. Gaps are found with one
multi-source Dijkstra from every group at once (each junction labelled with its nearest group)
and Kruskal's rule over the paths that cross from one group's region into another's, which gives
the same joins as comparing every pair of groups (Mehlhorn 1988) in near-linear time.
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Growth", "grow_zones", "split_large_zones"]


class _DisjointSets:
    """Union-find on ``0..n-1``; the smaller root always wins, so results are deterministic."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        lo, hi = min(ra, rb), max(ra, rb)
        self.parent[hi] = lo
        return True


@dataclass(frozen=True)
class Growth:
    """Segments grouped into zones.

    Attributes
    ----------
    zone_of_segment
        Per segment (atlas row order) the zone number it belongs to, ``-1`` for none; zone
        numbers are arbitrary but deterministic.
    n_bridges
        Joins made across gaps.
    """

    zone_of_segment: np.ndarray
    n_bridges: int


def _node_index(u: Sequence[Hashable], v: Sequence[Hashable]) -> tuple[np.ndarray, np.ndarray, int]:
    keys: dict[Hashable, int] = {}
    ui = np.array([keys.setdefault(n, len(keys)) for n in u], dtype=int)
    vi = np.array([keys.setdefault(n, len(keys)) for n in v], dtype=int)
    return ui, vi, len(keys)


def _nearest_group(
    ui: np.ndarray,
    vi: np.ndarray,
    length: np.ndarray,
    qualifying: np.ndarray,
    group_of_node: np.ndarray,
    cutoff: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Multi-source Dijkstra over non-qualifying segments from every group's junctions.

    Returns per node: distance to the nearest group (inf beyond ``cutoff``), that group, and the
    segment by which it was reached (-1 at a source).
    """
    n = len(group_of_node)
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for e in np.flatnonzero(~qualifying & (ui != vi)).tolist():
        adj[ui[e]].append((int(vi[e]), e))
        adj[vi[e]].append((int(ui[e]), e))
    dist = np.full(n, np.inf)
    label = group_of_node.copy()
    pred = np.full(n, -1, dtype=int)
    heap: list[tuple[float, int, int]] = []
    for src in np.flatnonzero(group_of_node >= 0).tolist():
        dist[src] = 0.0
        heap.append((0.0, int(group_of_node[src]), src))
    heapq.heapify(heap)
    while heap:
        d, g, node = heapq.heappop(heap)
        if d > dist[node] or (d == dist[node] and g != label[node]):
            continue
        for nxt, k in adj[node]:
            nd = d + float(length[k])
            if nd > cutoff:
                continue
            if nd < dist[nxt] or (nd == dist[nxt] and g < label[nxt]):
                dist[nxt], label[nxt], pred[nxt] = nd, g, k
                heapq.heappush(heap, (nd, g, nxt))
    return dist, label, pred


def _path_segments(node: int, pred: np.ndarray, ui: np.ndarray, vi: np.ndarray) -> list[int]:
    """Segments from ``node`` back to its nearest group along the Dijkstra predecessors."""
    out = []
    while pred[node] >= 0:
        k = int(pred[node])
        out.append(k)
        node = int(ui[k] if vi[k] == node else vi[k])
    return out


def grow_zones(
    u: Sequence[Hashable],
    v: Sequence[Hashable],
    length_m: np.ndarray,
    qualifying: np.ndarray,
    max_gap_m: float,
) -> Growth:
    """Group qualifying segments into zones, joining groups across gaps of at most ``max_gap_m``.

    Parameters
    ----------
    u, v
        End junctions of each segment.
    length_m
        Length of each segment.
    qualifying
        Boolean per segment.
    max_gap_m
        Longest path through non-qualifying segments that still joins two groups.

    Returns
    -------
    growth
        Zone number per segment; a join adds the segments of its gap path to the zone.

    Examples
    --------
    Three qualifying 50 m segments in a row, 100 m of empty road between the first two and
    400 m between the last two:

    >>> g = grow_zones([0, 1, 2, 3, 4], [1, 2, 3, 4, 5],
    ...                np.array([50.0, 100.0, 50.0, 400.0, 50.0]),
    ...                np.array([True, False, True, False, True]), 250.0)
    >>> g.zone_of_segment.tolist(), g.n_bridges
    ([0, 0, 0, -1, 4], 1)
    """
    qualifying = np.asarray(qualifying, dtype=bool)
    length = np.asarray(length_m, dtype=float)
    ui, vi, n_nodes = _node_index(u, v)
    nodes = _DisjointSets(n_nodes)
    for k in np.flatnonzero(qualifying):
        nodes.union(int(ui[k]), int(vi[k]))
    # a group is named by its lowest qualifying segment
    group_of_node = np.full(n_nodes, -1, dtype=int)
    group_of_root: dict[int, int] = {}
    for k in np.flatnonzero(qualifying):
        g = group_of_root.setdefault(nodes.find(int(ui[k])), int(k))
        group_of_node[ui[k]] = group_of_node[vi[k]] = g
    zone = np.full(len(length), -1, dtype=int)
    if not group_of_root:
        return Growth(zone, 0)
    dist, label, pred = _nearest_group(ui, vi, length, qualifying, group_of_node, max_gap_m)
    bridges = []
    for k in np.flatnonzero(~qualifying & (ui != vi)):
        a, b = int(ui[k]), int(vi[k])
        if label[a] >= 0 and label[b] >= 0 and label[a] != label[b]:
            cost = dist[a] + length[k] + dist[b]
            if cost <= max_gap_m:
                bridges.append((float(cost), int(k)))
    groups = _DisjointSets(len(length))
    joined: list[tuple[int, list[int]]] = []
    for _, kb in sorted(bridges):
        na, nb = int(ui[kb]), int(vi[kb])
        if groups.union(int(label[na]), int(label[nb])):
            path = [kb, *_path_segments(na, pred, ui, vi), *_path_segments(nb, pred, ui, vi)]
            joined.append((int(label[na]), path))
    for k in np.flatnonzero(qualifying):
        zone[k] = groups.find(int(group_of_node[ui[k]]))
    for g, path in joined:
        zone[path] = groups.find(g)
    return Growth(zone, len(joined))


def _dijkstra(
    adj: dict[int, list[tuple[int, int]]], length: np.ndarray, source: int
) -> dict[int, float]:
    """Street distance from ``source`` to every node of ``adj`` (ties settled by node number)."""
    dist = {source: 0.0}
    heap = [(0.0, source)]
    done: set[int] = set()
    while heap:
        d, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        for nxt, k in adj[node]:
            nd = d + float(length[k])
            if nd < dist.get(nxt, np.inf):
                dist[nxt] = nd
                heapq.heappush(heap, (nd, nxt))
    return dist


def _components(segs: np.ndarray, ui: np.ndarray, vi: np.ndarray) -> list[np.ndarray]:
    """Split a set of segments into its connected pieces (joined at shared junctions)."""
    keys = {int(n): i for i, n in enumerate(np.unique(np.concatenate([ui[segs], vi[segs]])))}
    sets = _DisjointSets(len(keys))
    for k in segs:
        sets.union(keys[int(ui[k])], keys[int(vi[k])])
    roots = np.array([sets.find(keys[int(ui[k])]) for k in segs], dtype=int)
    return [segs[roots == r] for r in dict.fromkeys(roots.tolist())]


def _peel(
    segs: np.ndarray,
    ui: np.ndarray,
    vi: np.ndarray,
    length: np.ndarray,
    heat: np.ndarray,
    max_heat: float,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Cut a connected piece off ``segs`` from one end: the part and the pieces left.

    The part is the segments nearest (along the streets) to a far end of the zone, up to an
    even share of the heat; pieces cut off by it that fit within ``max_heat`` join it.
    """
    adj: dict[int, list[tuple[int, int]]] = {}
    for k in segs.tolist():
        adj.setdefault(int(ui[k]), []).append((int(vi[k]), k))
        adj.setdefault(int(vi[k]), []).append((int(ui[k]), k))
    first = _dijkstra(adj, length, min(adj))
    pole = min(first, key=lambda n: (-first[n], n))
    dist = _dijkstra(adj, length, pole)
    near = np.array([min(dist[int(ui[k])], dist[int(vi[k])]) for k in segs])
    order = segs[np.lexsort((segs, near))]
    total = float(heat[segs].sum())
    target = total / np.ceil(total / max_heat)
    cum = np.cumsum(heat[order])
    n_take = max(1, int(np.searchsorted(cum, target + 1e-9 * total, side="right")))
    part = list(order[:n_take])
    part_heat = float(cum[n_take - 1])
    pieces = _components(np.sort(order[n_take:]), ui, vi) if n_take < len(order) else []
    pieces.sort(key=lambda p: (float(heat[p].sum()), int(p.min())))
    rest = []
    for p in pieces:
        if part_heat + float(heat[p].sum()) <= max_heat:
            part.extend(p.tolist())
            part_heat += float(heat[p].sum())
        else:
            rest.append(p)
    return np.sort(np.array(part, dtype=int)), rest


def split_large_zones(
    zone_of_segment: np.ndarray,
    u: Sequence[Hashable],
    v: Sequence[Hashable],
    length_m: np.ndarray,
    heat_mwh_per_a: np.ndarray,
    max_heat_mwh_per_a: float,
) -> np.ndarray:
    """Split zones with more heat than ``max_heat_mwh_per_a`` into connected parts.

    Parameters
    ----------
    zone_of_segment
        Zone number per segment (``-1`` for none), from :func:`grow_zones`.
    u, v, length_m
        The segments' ends and lengths.
    heat_mwh_per_a
        Heat per segment.
    max_heat_mwh_per_a
        Most heat of one part; 0 or less leaves every zone whole.

    Returns
    -------
    zone_of_segment
        New numbering: each part is numbered by its lowest segment. A part is cut from a far
        end of its zone along the streets with an even share of the zone's heat
        (``total / ceil(total / max)``), so parts are contiguous; a part exceeds the limit only
        when one segment does.

    Examples
    --------
    Four 100 m segments in a row with 300 MWh/a each, at most 700 MWh/a per part:

    >>> z = grow_zones([0, 1, 2, 3], [1, 2, 3, 4], np.full(4, 100.0), np.ones(4, bool), 0.0)
    >>> split_large_zones(z.zone_of_segment, [0, 1, 2, 3], [1, 2, 3, 4], np.full(4, 100.0),
    ...                   np.full(4, 300.0), 700.0).tolist()
    [0, 0, 2, 2]
    """
    out = np.asarray(zone_of_segment, dtype=int).copy()
    if max_heat_mwh_per_a <= 0:
        return out
    ui, vi, _ = _node_index(u, v)
    length = np.asarray(length_m, dtype=float)
    heat = np.asarray(heat_mwh_per_a, dtype=float)
    stack = [np.flatnonzero(out == z) for z in np.unique(out[out >= 0])[::-1]]
    while stack:
        segs = stack.pop()
        if len(segs) == 1 or float(heat[segs].sum()) <= max_heat_mwh_per_a:
            out[segs] = int(segs.min())
            continue
        part, rest = _peel(segs, ui, vi, length, heat, max_heat_mwh_per_a)
        out[part] = int(part.min())
        stack.extend(rest[::-1])
    return out
