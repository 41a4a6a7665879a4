"""Degree-2 chain contraction of a prize-collecting instance (private to the PCST solver).

A vertex without prize, not required, with exactly two neighbours is never a leaf of a good
tree: a tree holds it only on the way from one neighbour to the other. Every maximal chain of
such vertices between two other vertices ``a`` and ``b`` therefore acts as one edge ``(a, b)``
whose weight is the length of the chain (Duin & Volgenant 1987, degree-2 test). Of parallel
chains only the shortest is kept; a chain back to its own start and a cycle of such vertices
alone can join no tree and are dropped. Street graphs, where most vertices are bends or
joints of one street, shrink several times.

The contracted instance has the same optimum; :meth:`Chains.expand` turns a tree of it back
into a tree of the instance.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from heatmap.routing._pcst_reduce import make_instance
from heatmap.routing._types import PcstInstance, Tree

__all__ = ["Chains", "contract_chains"]


@dataclass(frozen=True)
class Chains:
    """The contracted instance and, for each of its edges, the chain of instance vertices."""

    inst: PcstInstance
    #: vertex of the uncontracted instance for each vertex of ``inst``
    keep: NDArray[np.int64]
    #: for edge ``e`` of ``inst``: the uncontracted vertices from ``u[e]`` to ``v[e]``
    paths: list[list[int]]

    def expand(self, tree: Tree, nodes: NDArray[np.int64]) -> tuple[Tree, NDArray[np.int64]]:
        """Return the tree of the uncontracted instance and its vertices (sorted)."""
        ci = self.inst
        i, j = tree
        keys = ci.u * max(ci.n, 1) + ci.v
        lo, hi = np.minimum(i, j), np.maximum(i, j)
        eidx = np.searchsorted(keys, lo * max(ci.n, 1) + hi)
        ei: list[int] = []
        ej: list[int] = []
        out = self.keep[nodes].tolist()
        for e in eidx.tolist():
            path = self.paths[e]
            ei.extend(path[:-1])
            ej.extend(path[1:])
            out.extend(path[1:-1])
        a = np.asarray(ei, dtype=np.int64)
        b = np.asarray(ej, dtype=np.int64)
        return (np.minimum(a, b), np.maximum(a, b)), np.unique(np.asarray(out, dtype=np.int64))


def contract_chains(inst: PcstInstance) -> Chains | None:
    """Contract the degree-2 chains of ``inst``; None when there is none to contract."""
    n = inst.n
    deg = np.bincount(np.concatenate([inst.u, inst.v]), minlength=n)
    fixed = inst.required.copy()
    if inst.root is not None:
        fixed[inst.root] = True
    inner = (deg == 2) & (inst.p <= 0) & ~fixed
    if not inner.any() or inner.all():
        return None
    nbr: list[list[tuple[int, float]]] = [[] for _ in range(n)]
    for a, b, x in zip(inst.u.tolist(), inst.v.tolist(), inst.w.tolist(), strict=True):
        nbr[a].append((b, x))
        nbr[b].append((a, x))
    is_inner = inner.tolist()
    best: dict[tuple[int, int], tuple[float, list[int]]] = {}
    for a in np.flatnonzero(~inner).tolist():
        for b, x in nbr[a]:
            path, prev, cur, length = [a], a, b, x
            while is_inner[cur]:
                path.append(cur)
                (c0, w0), (c1, w1) = nbr[cur]
                prev, cur, length = (
                    cur,
                    (c1 if c0 == prev else c0),
                    length + (w1 if c0 == prev else w0),
                )
            path.append(cur)
            if cur == a:
                continue  # a loop (each other chain is walked from both ends, to one key)
            key = (min(a, cur), max(a, cur))
            if key[0] != a:
                path.reverse()
            old = best.get(key)
            if old is None or (length, path) < old:
                best[key] = (length, path)
    keep = np.flatnonzero(~inner).astype(np.int64)
    new = np.full(n, -1, dtype=np.int64)
    new[keep] = np.arange(len(keep))
    keys = sorted(best)
    u = new[np.asarray([k[0] for k in keys], dtype=np.int64)]
    v = new[np.asarray([k[1] for k in keys], dtype=np.int64)]
    w = np.asarray([best[k][0] for k in keys], dtype=np.float64)
    root = None if inst.root is None else int(new[inst.root])
    ci = make_instance(len(keep), u, v, w, inst.p[keep], root, inst.required[keep])
    ci = replace(ci, orig=inst.orig[keep])
    return Chains(ci, keep, [best[k][1] for k in keys])
