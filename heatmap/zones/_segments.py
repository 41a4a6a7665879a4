"""Street segments between junctions: chains of degree-2 street nodes merged into one line.

A street graph (:func:`heatmap.routing.graph.build_street_graph`) has a node wherever two OSM
ways meet or a way bends into another, so one street between two junctions is often several
edges. :func:`street_segments` merges every chain of nodes of degree 2 into one segment whose
ends are junctions (nodes of degree other than 2); a closed ring of degree-2 nodes becomes one
segment starting and ending at its lowest node.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import shapely
from shapely import LineString

from heatmap import schema

__all__ = ["Segment", "street_segments"]


@dataclass(frozen=True)
class Segment:
    """One street stretch between junctions.

    Attributes
    ----------
    nodes
        Graph nodes along the stretch, first and last are its ends (``u`` and ``v``).
    length_m
        Sum of the edges' ``length_m``.
    geometry
        The edges' lines joined in order from ``u`` to ``v``.
    highway, name
        Of the longest edge of the stretch (``""`` when absent).
    street_ids
        Sorted distinct ``street_id`` values of its edges.
    """

    nodes: tuple[Hashable, ...]
    length_m: float
    geometry: LineString
    highway: str
    name: str
    street_ids: tuple[str, ...]


def _node_key(n: Hashable) -> tuple[int, Any]:
    """Sort key for mixed node types: integers first by value, then others by text."""
    if isinstance(n, int):
        return (0, n)
    return (1, str(n))


Adjacency = dict[Hashable, dict[Hashable, dict[str, Any]]]


def _street_adjacency(G: nx.Graph) -> Adjacency:
    """Return the street edges of ``G`` as plain adjacency dicts (no service edges, no loops)."""
    adj: Adjacency = {}
    for a, b, d in G.edges(data=True):
        if a == b or d.get(schema.KIND, schema.EdgeKind.STREET) != schema.EdgeKind.STREET:
            continue
        adj.setdefault(a, {})[b] = d
        adj.setdefault(b, {})[a] = d
    return adj


def _chains(adj: Adjacency) -> Iterator[list[Hashable]]:
    """Node sequences of the degree-2 chains, junction to junction, in a deterministic order."""
    seen: set[frozenset[Hashable]] = set()
    nodes = sorted(adj, key=_node_key)

    def walk(start: Hashable, first: Hashable) -> list[Hashable]:
        chain = [start, first]
        seen.add(frozenset((start, first)))
        while len(adj[chain[-1]]) == 2 and chain[-1] != start:
            here, prev = chain[-1], chain[-2]
            nxt = next(n for n in adj[here] if n != prev)
            seen.add(frozenset((here, nxt)))
            chain.append(nxt)
        return chain

    for j in nodes:
        if len(adj[j]) == 2:
            continue
        for nb in sorted(adj[j], key=_node_key):
            if frozenset((j, nb)) not in seen:
                yield walk(j, nb)
    # rings made only of degree-2 nodes have no junction to start from
    for j in nodes:
        for nb in sorted(adj[j], key=_node_key):
            if frozenset((j, nb)) not in seen:
                yield walk(j, nb)


def _edge_line(G: nx.Graph, data: dict[str, Any], a: Hashable, b: Hashable) -> LineString:
    """Return the edge's line oriented from ``a`` to ``b`` (straight when it has none)."""
    geom = data.get("geometry")
    if geom is None:
        na, nb = G.nodes[a], G.nodes[b]
        return LineString([(na["x"], na["y"]), (nb["x"], nb["y"])])
    start = data.get("from_node")
    if start is None:
        xa = G.nodes[a].get("x")
        first = shapely.get_point(geom, 0)
        last = shapely.get_point(geom, -1)
        if xa is not None:
            pa = shapely.Point(xa, G.nodes[a]["y"])
            start = a if shapely.distance(pa, first) <= shapely.distance(pa, last) else b
        else:
            start = a
    return geom if start == a else geom.reverse()


def _join(lines: list[LineString]) -> LineString:
    if len(lines) == 1:
        return lines[0]
    parts = [shapely.get_coordinates(lines[0])]
    parts.extend(shapely.get_coordinates(line)[1:] for line in lines[1:])
    return shapely.linestrings(np.concatenate(parts))


def street_segments(G: nx.Graph, names: Mapping[str, str] | None = None) -> list[Segment]:
    """Merge the degree-2 chains of a street graph into segments between junctions.

    Parameters
    ----------
    G
        Street graph; only its street edges are used (service edges to terminals are not).
    names
        Street name by ``street_id``, used where an edge has no ``name`` attribute.

    Returns
    -------
    segments
        In a deterministic order (by their first junction, then its neighbours).

    Examples
    --------
    An L of two edges through a bend node and a spur at the far end:

    >>> G = nx.Graph()
    >>> G.add_nodes_from([(0, {"x": 0, "y": 0}), (1, {"x": 10, "y": 0}),
    ...                   (2, {"x": 10, "y": 10}), (3, {"x": 20, "y": 10}),
    ...                   (4, {"x": 10, "y": 20})])
    >>> G.add_edges_from([(0, 1, {"length_m": 10.0}), (1, 2, {"length_m": 10.0}),
    ...                   (2, 3, {"length_m": 10.0}), (2, 4, {"length_m": 10.0})])
    >>> [(s.nodes, s.length_m) for s in street_segments(G)]
    [((0, 1, 2), 20.0), ((2, 3), 10.0), ((2, 4), 10.0)]
    """
    adj = _street_adjacency(G)
    names = names or {}
    out: list[Segment] = []
    for chain in _chains(adj):
        edges = [adj[a][b] for a, b in itertools.pairwise(chain)]
        lines = [
            _edge_line(G, d, a, b)
            for d, (a, b) in zip(edges, itertools.pairwise(chain), strict=True)
        ]
        lengths = [
            float(d.get(schema.LENGTH_M, line.length)) for d, line in zip(edges, lines, strict=True)
        ]
        longest = edges[max(range(len(edges)), key=lengths.__getitem__)]
        sid = str(longest.get(schema.STREET_ID, ""))
        name = longest.get(schema.NAME) or names.get(sid, "")
        out.append(
            Segment(
                nodes=tuple(chain),
                length_m=float(sum(lengths)),
                geometry=_join(lines),
                highway=str(longest.get(schema.HIGHWAY, "") or ""),
                name="" if name is None or name != name else str(name),
                street_ids=tuple(sorted({str(d.get(schema.STREET_ID, "")) for d in edges} - {""})),
            )
        )
    return out
