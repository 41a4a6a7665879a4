"""Steiner tree heuristics on an integer-indexed CSR graph (private to the solver dispatch).

All functions work on a symmetric ``scipy.sparse.csr_matrix`` ``A`` with strictly positive
weights (the caller replaces zero weights by a tiny epsilon) and integer node indices. Trees are
returned as two integer arrays ``(i, j)`` of edge end points.

Methods
-------
- :func:`mehlhorn`: Mehlhorn's 2-approximation (Voronoi regions from one multi-source Dijkstra,
  MST of the boundary-edge distance network, expansion, MST of the induced subgraph, pruning).
- :func:`sph`: the shortest-path heuristic of Takahashi & Matsuyama from one root, grown with
  multi-source Dijkstra runs limited to the farthest unconnected terminal.
- :func:`local_search_apsp`: multi-start SPH on an all-pairs distance matrix followed by
  Steiner-vertex insertion/elimination on the distance network and key-path exchange
  (Minoux 1990; Uchoa & Werneck 2010), used for graphs small enough to hold the matrix.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra, minimum_spanning_tree

from heatmap.routing._graph_core import predecessor_path

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
Tree = tuple[IntArray, IntArray]

_EPS = 1e-9


def tree_cost(A: csr_matrix, tree: Tree) -> float:
    """Sum of the weights of the tree edges in ``A``."""
    i, j = tree
    if len(i) == 0:
        return 0.0
    return float(np.asarray(A[i, j]).ravel().sum())


def prune_leaves(i: IntArray, j: IntArray, is_term: NDArray[np.bool_]) -> Tree:
    """Remove non-terminal leaves repeatedly from a forest given by edge arrays (vectorised)."""
    n = len(is_term)
    while len(i):
        deg = np.bincount(i, minlength=n) + np.bincount(j, minlength=n)
        leaf = (deg == 1) & ~is_term
        drop = leaf[i] | leaf[j]
        if not drop.any():
            break
        i, j = i[~drop], j[~drop]
    return i.astype(np.int64), j.astype(np.int64)


def mst_prune(A: csr_matrix, nodes: NDArray[np.int64], is_term: NDArray[np.bool_]) -> Tree:
    """MST of the subgraph induced by ``nodes``, then prune non-terminal leaves."""
    nodes = np.unique(nodes)
    if len(nodes) <= 1:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty.copy()
    sub = A[nodes][:, nodes]
    T = minimum_spanning_tree(sub).tocoo()
    return prune_leaves(nodes[T.row].astype(np.int64), nodes[T.col].astype(np.int64), is_term)


def _walk(pred: NDArray[np.int32], v: int) -> list[int]:
    """Nodes on the predecessor chain from ``v`` back to a source (inclusive)."""
    out = [v]
    p = int(pred[v])
    while p >= 0:
        out.append(p)
        p = int(pred[p])
    return out


def mehlhorn(A: csr_matrix, terms: IntArray, is_term: NDArray[np.bool_]) -> Tree:
    """Mehlhorn's 2-approximation of the Steiner tree spanning ``terms``."""
    dist, pred, src = dijkstra(
        A, directed=False, indices=terms, min_only=True, return_predecessors=True
    )
    coo = A.tocoo()
    u, v, w = coo.row, coo.col, coo.data
    keep = (u < v) & (src[u] != src[v]) & (src[u] >= 0) & (src[v] >= 0)
    u, v, w = u[keep], v[keep], w[keep]
    d = dist[u] + w + dist[v]
    su, sv = src[u], src[v]
    a, b = np.minimum(su, sv), np.maximum(su, sv)
    # keep the cheapest boundary edge per pair of Voronoi regions
    order = np.lexsort((d, b, a))
    a, b, d, u, v = a[order], b[order], d[order], u[order], v[order]
    first = np.ones(len(a), dtype=bool)
    first[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, d, u, v = a[first], b[first], d[first], u[first], v[first]
    n = A.shape[0]
    pos = np.full(n, -1, dtype=np.int64)
    pos[terms] = np.arange(len(terms))
    k = len(terms)
    H = coo_matrix((d, (pos[a], pos[b])), shape=(k, k)).tocsr()
    T = minimum_spanning_tree(H).tocoo()
    # map MST edges of H back to their boundary edges
    key = {
        (min(int(x), int(y)), max(int(x), int(y))): idx
        for idx, (x, y) in enumerate(zip(pos[a], pos[b], strict=True))
    }
    nodes: list[int] = list(terms.tolist())
    for r, c in zip(T.row.tolist(), T.col.tolist(), strict=True):
        idx = key.get((min(r, c), max(r, c)))
        if idx is None:  # pragma: no cover - MST edges always come from H
            continue
        nodes.extend(_walk(pred, int(u[idx])))
        nodes.extend(_walk(pred, int(v[idx])))
    return mst_prune(A, np.asarray(nodes, dtype=np.int64), is_term)


def sph(A: csr_matrix, terms: IntArray, is_term: NDArray[np.bool_], root: int) -> Tree:
    """Shortest-path heuristic (Takahashi–Matsuyama) grown from ``root``."""
    n = A.shape[0]
    dist = np.full(n, np.inf)
    pred = np.full(n, -9999, dtype=np.int32)
    in_tree = np.zeros(n, dtype=bool)
    remaining = np.zeros(n, dtype=bool)
    remaining[terms] = True
    new = np.array([root], dtype=np.int64)
    tree_nodes: list[int] = []
    while True:
        in_tree[new] = True
        remaining[new] = False
        tree_nodes.extend(new.tolist())
        dist[new] = 0.0
        pred[new] = -9999
        rem = np.flatnonzero(remaining)
        if len(rem) == 0:
            break
        lim = float(dist[rem].max())
        d, p, _ = dijkstra(
            A,
            directed=False,
            indices=new,
            min_only=True,
            return_predecessors=True,
            limit=lim if np.isfinite(lim) else np.inf,
        )
        better = d < dist
        dist[better] = d[better]
        pred[better] = p[better]
        t = int(rem[np.argmin(dist[rem])])
        if not np.isfinite(dist[t]):  # pragma: no cover - caller checks connectivity
            break
        path = [t]
        x = int(pred[t])
        while x >= 0 and not in_tree[x]:
            path.append(x)
            x = int(pred[x])
        new = np.asarray(path, dtype=np.int64)
    return mst_prune(A, np.asarray(tree_nodes, dtype=np.int64), is_term)


class Limit:
    """Bound of a local search: a count of move evaluations and a wall-clock safety cap.

    The evaluation count makes the search's stopping point depend only on its inputs, so a
    result is reproducible; the deadline only guards against runaway searches and is recorded
    in ``hit_time`` when it is what stopped the search.
    """

    __slots__ = ("deadline", "evals_left", "hit_time")

    def __init__(self, deadline: float, max_evaluations: int | None = None) -> None:
        self.deadline = deadline
        self.evals_left = max_evaluations
        self.hit_time = False

    def ok(self) -> bool:
        """Whether the search may go on."""
        if self.evals_left is not None and self.evals_left <= 0:
            return False
        if time.perf_counter() >= self.deadline:
            self.hit_time = True
            return False
        return True

    def spend(self, n: int = 1) -> None:
        """Count ``n`` move evaluations."""
        if self.evals_left is not None:
            self.evals_left -= n


def as_limit(limit: float | Limit) -> Limit:
    """Return a :class:`Limit` from a deadline (``time.perf_counter()`` seconds) or a Limit."""
    return limit if isinstance(limit, Limit) else Limit(limit)


# --------------------------------------------------------------------------------------------
# all-pairs based multi-start local search (small and medium graphs)


class _Apsp:
    """All-pairs distances and predecessors of a graph."""

    def __init__(self, A: csr_matrix) -> None:
        self.A = A
        self.D, self.P = dijkstra(A, directed=False, return_predecessors=True)

    def path(self, a: int, b: int) -> list[int]:
        """Vertices of the shortest path from ``a`` to ``b``."""
        return predecessor_path(self.P, a, b)


def _sph_apsp(ap: _Apsp, terms: IntArray, root: int) -> list[int]:
    """SPH on the distance matrix; returns the tree's node list (before MST/pruning)."""
    D = ap.D
    dist = D[root].copy()
    src = np.full(D.shape[0], root, dtype=np.int64)
    remaining = np.zeros(D.shape[0], dtype=bool)
    remaining[terms] = True
    remaining[root] = False
    nodes = [root]
    while remaining.any():
        rem = np.flatnonzero(remaining)
        t = int(rem[np.argmin(dist[rem])])
        path = ap.path(int(src[t]), t)
        new = np.asarray(path, dtype=np.int64)
        nodes.extend(path)
        remaining[new] = False
        sub = D[new]
        arg = sub.argmin(axis=0)
        best = sub[arg, np.arange(D.shape[0])]
        upd = best < dist
        dist[upd] = best[upd]
        src[upd] = new[arg[upd]]
    return nodes


def _dn_mst(D: FloatArray, X: IntArray) -> tuple[float, IntArray, IntArray]:
    """MST of the distance network on vertex set ``X`` (cost, local edge arrays)."""
    if len(X) <= 1:
        z = np.zeros(0, dtype=np.int64)
        return 0.0, z, z.copy()
    sub = np.triu(D[np.ix_(X, X)], 1)
    T = minimum_spanning_tree(csr_matrix(sub)).tocoo()
    return float(T.data.sum()), T.row.astype(np.int64), T.col.astype(np.int64)


def _insert_cost(
    D: FloatArray, X: IntArray, r: IntArray, c: IntArray, w: FloatArray, v: int
) -> float:
    """Cost of the distance-network MST after inserting ``v`` into ``X`` (old MST + star)."""
    k = len(X)
    rows = np.concatenate([r, np.full(k, k)])
    cols = np.concatenate([c, np.arange(k)])
    data = np.concatenate([w, D[v, X]])
    H = coo_matrix((data, (rows, cols)), shape=(k + 1, k + 1)).tocsr()
    return float(minimum_spanning_tree(H).data.sum())


def _remove_cost(
    D: FloatArray, X: IntArray, r: IntArray, c: IntArray, w: FloatArray, s_pos: int
) -> float:
    """Cost of the distance-network MST after removing ``X[s_pos]``.

    The old MST edges not incident to the removed vertex stay in the new MST; the pieces they
    leave are reconnected by an MST over the cheapest distances between pieces.
    """
    k = len(X)
    keep = (r != s_pos) & (c != s_pos)
    base = float(w[keep].sum())
    forest = coo_matrix((np.ones(int(keep.sum())), (r[keep], c[keep])), shape=(k, k))
    _, lab = connected_components(forest, directed=False)
    others = np.delete(np.arange(k), s_pos)
    labs = lab[others]
    comps = np.unique(labs)
    d = len(comps)
    if d <= 1:
        return base
    groups = [X[others[labs == g]] for g in comps]
    M = np.zeros((d, d))
    for a in range(d):
        for b in range(a + 1, d):
            M[a, b] = D[np.ix_(groups[a], groups[b])].min()
    return base + float(minimum_spanning_tree(csr_matrix(M)).data.sum())


def _vertex_search(
    D: FloatArray, terms: IntArray, S: list[int], cand: IntArray, limit: Limit
) -> list[int]:
    """Steiner-vertex insertion / elimination on the distance network until no move improves."""
    S = list(dict.fromkeys(S))
    X = np.concatenate([terms, np.asarray(S, dtype=np.int64)]).astype(np.int64)
    cost, r, c = _dn_mst(D, X)
    improved = True
    while improved and limit.ok():
        improved = False
        w = D[X[r], X[c]]
        # elimination: the best removal (degree <= 2 vertices never increase the cost)
        deg = np.bincount(np.concatenate([r, c]), minlength=len(X))
        best_gain, best_pos = -1e-12, -1
        for s_pos in range(len(terms), len(X)):
            limit.spend()
            gain = cost - _remove_cost(D, X, r, c, w, s_pos)
            if deg[s_pos] > 2 and gain <= 1e-9:
                continue
            if gain > best_gain:
                best_gain, best_pos = gain, s_pos
        if best_pos >= 0:
            X = np.delete(X, best_pos)
            cost, r, c = _dn_mst(D, X)
            improved = True
            continue
        # insertion (first improvement, candidates by the sum of their 3 nearest distances)
        in_x = np.zeros(D.shape[0], dtype=bool)
        in_x[X] = True
        pool = cand[~in_x[cand]]
        if len(pool) == 0 or len(X) < 3:
            break
        near3 = np.partition(D[np.ix_(pool, X)], 2, axis=1)[:, :3].sum(axis=1)
        wmax = float(w.max()) if len(w) else 0.0
        pool = pool[near3 < 3 * wmax]
        pool = pool[np.argsort(near3[near3 < 3 * wmax], kind="stable")]
        for v in pool.tolist():
            limit.spend()
            if cost - _insert_cost(D, X, r, c, w, v) > 1e-9:
                X = np.append(X, v)
                cost, r, c = _dn_mst(D, X)
                improved = True
                break
            if not limit.ok():
                break
    return X[len(terms) :].tolist()


def _expand(ap: _Apsp, terms: IntArray, S: list[int], is_term: NDArray[np.bool_]) -> Tree:
    X = np.concatenate([terms, np.asarray(S, dtype=np.int64)]).astype(np.int64)
    _, r, c = _dn_mst(ap.D, X)
    nodes: list[int] = list(X.tolist())
    for a, b in zip(X[r].tolist(), X[c].tolist(), strict=True):
        nodes.extend(ap.path(a, b))
    return mst_prune(ap.A, np.asarray(nodes, dtype=np.int64), is_term)


def _key_vertices(tree: Tree, is_term: NDArray[np.bool_]) -> list[int]:
    i, j = tree
    if len(i) == 0:
        return []
    nodes, deg = np.unique(np.concatenate([i, j]), return_counts=True)
    return nodes[(deg >= 3) & ~is_term[nodes]].tolist()


def _key_path_exchange(ap: _Apsp, tree: Tree, is_term: NDArray[np.bool_]) -> Tree | None:
    """One improving key-path exchange on ``tree`` (or None when none improves)."""
    i, j = tree
    adj: dict[int, list[int]] = defaultdict(list)
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        adj[a].append(b)
        adj[b].append(a)
    key = {v for v, nb in adj.items() if is_term[v] or len(nb) != 2}
    A, D = ap.A, ap.D
    seen: set[tuple[int, int]] = set()
    for s in key:
        for nb in adj[s]:
            if (s, nb) in seen:
                continue
            path = [s, nb]
            while path[-1] not in key:
                nxt = [x for x in adj[path[-1]] if x != path[-2]]
                path.append(nxt[0])
            seen.add((path[-1], path[-2]))
            plen = float(sum(A[a, b] for a, b in itertools.pairwise(path)))
            inner = set(path[1:-1])
            # component containing s after removing the key path
            comp = {s}
            stack = [s]
            while stack:
                x = stack.pop()
                for y in adj[x]:
                    if y not in comp and y not in inner and not (x == s and y == path[1]):
                        comp.add(y)
                        stack.append(y)
            other = [v for v in adj if v not in comp and v not in inner]
            c1 = np.fromiter(comp, dtype=np.int64)
            c2 = np.asarray(other, dtype=np.int64)
            sub = D[np.ix_(c1, c2)]
            flat = int(sub.argmin())
            best = float(sub.flat[flat])
            if best < plen - 1e-9:
                a, b = int(c1[flat // len(c2)]), int(c2[flat % len(c2)])
                nodes = [v for v in adj if v not in inner] + ap.path(a, b)
                return mst_prune(A, np.asarray(nodes, dtype=np.int64), is_term)
    return None


def improve_apsp(
    ap: _Apsp,
    terms: IntArray,
    is_term: NDArray[np.bool_],
    tree: Tree,
    deadline: float | Limit,
) -> Tree:
    """Vertex insertion/elimination and key-path exchange starting from ``tree``."""
    limit = as_limit(deadline)
    cand = np.flatnonzero(~is_term & np.isfinite(ap.D[terms[0]]))
    cost = tree_cost(ap.A, tree)
    while limit.ok():
        improved = False
        S = _vertex_search(ap.D, terms, _key_vertices(tree, is_term), cand, limit)
        t2 = _expand(ap, terms, S, is_term)
        c2 = tree_cost(ap.A, t2)
        if c2 < cost - 1e-9:
            tree, cost, improved = t2, c2, True
        t3 = _key_path_exchange(ap, tree, is_term)
        if t3 is not None:
            c3 = tree_cost(ap.A, t3)
            if c3 < cost - 1e-9:
                tree, cost, improved = t3, c3, True
        if not improved:
            break
    return tree


def local_search_apsp(
    ap: _Apsp,
    terms: IntArray,
    is_term: NDArray[np.bool_],
    *,
    n_roots: int,
    seed: int,
    deadline: float | Limit,
) -> Tree:
    """Multi-start SPH + vertex insertion/elimination + key-path exchange; best tree found.

    Runs ``n_roots`` starts (the first terminal, then vertices drawn with ``seed``), each
    improved until no move helps, so the result depends only on the inputs and ``seed``;
    ``deadline`` (a time or a :class:`Limit`) cuts the search short.
    """
    limit = as_limit(deadline)
    rng = np.random.default_rng(seed)
    roots = [int(terms[0])]
    reachable = np.flatnonzero(np.isfinite(ap.D[terms[0]]))
    others = rng.permutation(reachable)
    roots.extend(int(x) for x in others if int(x) != roots[0])
    best: Tree | None = None
    best_cost = np.inf
    seen: set[frozenset[int]] = set()
    for k, root in enumerate(roots):
        if k > 0 and (k >= n_roots or not limit.ok()):
            break
        tree = mst_prune(ap.A, np.asarray(_sph_apsp(ap, terms, root), dtype=np.int64), is_term)
        S0 = frozenset(_key_vertices(tree, is_term))
        if S0 in seen:
            continue
        seen.add(S0)
        tree = improve_apsp(ap, terms, is_term, tree, limit)
        cost = tree_cost(ap.A, tree)
        if cost < best_cost - 1e-12:
            best, best_cost = tree, cost
    if best is None:  # pragma: no cover - at least one root always runs
        msg = "local search produced no tree"
        raise RuntimeError(msg)
    return best


def make_apsp(A: csr_matrix) -> _Apsp:
    """All-pairs shortest paths of ``A`` (use only for graphs of a few thousand nodes)."""
    return _Apsp(A)


def refine_in_neighbourhood(
    A: csr_matrix,
    terms: IntArray,
    is_term: NDArray[np.bool_],
    tree: Tree,
    *,
    max_nodes: int,
    n_roots: int,
    seed: int,
    deadline: float | Limit,
) -> Tree:
    """Local search on the ``max_nodes`` vertices nearest to ``tree`` (large graphs).

    The subgraph induced by the vertices closest to the current tree (one multi-source
    Dijkstra) contains the tree, so the result is never worse; the all-pairs local search then
    runs on that subgraph. Returns ``tree`` unchanged when the tree alone is too big.
    """
    tree_nodes = np.unique(np.concatenate([tree[0], tree[1], terms]))
    if len(tree_nodes) > (3 * max_nodes) // 4:
        return tree
    d = dijkstra(A, directed=False, indices=tree_nodes, min_only=True)
    finite = np.flatnonzero(np.isfinite(d))
    keep = finite[np.argsort(d[finite], kind="stable")[:max_nodes]]
    keep = np.union1d(keep, tree_nodes)
    pos = np.full(A.shape[0], -1, dtype=np.int64)
    pos[keep] = np.arange(len(keep))
    sub = A[keep][:, keep].tocsr()
    sterms = pos[terms]
    sis = is_term[keep]
    start = (pos[tree[0]], pos[tree[1]])
    ap = make_apsp(sub)
    limit = as_limit(deadline)
    best = improve_apsp(ap, sterms, sis, start, limit)
    if limit.ok():
        alt = local_search_apsp(ap, sterms, sis, n_roots=n_roots, seed=seed, deadline=limit)
        if tree_cost(sub, alt) < tree_cost(sub, best) - 1e-9:
            best = alt
    out = (keep[best[0]], keep[best[1]])
    return out if tree_cost(A, out) <= tree_cost(A, tree) + 1e-9 else tree
