"""Shared (party) walls between footprints, found with a segment hash and a spatial index."""

from __future__ import annotations

import logging

import numpy as np
import shapely

logger = logging.getLogger(__name__)

__all__ = ["shared_walls"]


def _exact_shared_segments(
    g: np.ndarray, snap_m: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs of footprints sharing boundary segments (same vertices within ``snap_m``).

    Every boundary segment is hashed by its two snapped end points (order-free); a segment
    held by two footprints is a shared wall. Returns (left, right, shared length) per match.
    """
    # Simple polygons (one ring) are read straight from their coordinates; polygons with holes
    # and multi-polygons go through their boundary parts so that rings are not joined.
    simple = (shapely.get_type_id(g) == 3) & (shapely.get_num_interior_rings(g) == 0)
    s_idx = np.flatnonzero(simple)
    c_s, seq_s = shapely.get_coordinates(g[s_idx], return_index=True)
    parts, part_geom_c = shapely.get_parts(shapely.boundary(g[~simple]), return_index=True)
    c_c, seq_c = shapely.get_coordinates(parts, return_index=True)
    coords = np.concatenate([c_s, c_c])
    part = np.concatenate([seq_s, seq_c + len(s_idx)])
    part_geom = np.concatenate([s_idx, np.flatnonzero(~simple)[part_geom_c]])
    q = np.rint(coords * (1.0 / snap_m)).astype(np.int64)
    with np.errstate(over="ignore"):
        hv = (q[:, 0] * np.int64(0x9E3779B1)) ^ (q[:, 1] * np.int64(0x85EBCA77))
        hv = hv * np.int64(0xC2B2AE3D) ^ (hv >> np.int64(29))
    same = np.flatnonzero(part[:-1] == part[1:])
    with np.errstate(over="ignore"):
        h = hv[same] + hv[same + 1]  # order-free: a segment hashes the same both ways
    # A stable sort keeps owners in order within equal hashes; the exact comparison below
    # rules out hash collisions.
    order = np.argsort(h, kind="stable")
    seg = same[order]
    hs = h[order]
    cand = np.flatnonzero(hs[1:] == hs[:-1])
    s0, s1 = seg[cand], seg[cand + 1]
    a0, b0, a1, b1 = q[s0], q[s0 + 1], q[s1], q[s1 + 1]
    eq = ((a0 == a1).all(axis=1) & (b0 == b1).all(axis=1)) | (
        (a0 == b1).all(axis=1) & (b0 == a1).all(axis=1)
    )
    owner0, owner1 = part_geom[part[s0]], part_geom[part[s1]]
    ok = eq & (owner0 != owner1)
    s0 = s0[ok]
    seg_len = np.hypot(*(coords[s0 + 1] - coords[s0]).T)
    return owner0[ok], owner1[ok], seg_len


def shared_walls(
    geoms: np.ndarray,
    *,
    tolerance_m: float,
    min_length_m: float,
    candidates: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count the neighbours each footprint shares a wall with (vectorised, spatial index).

    Parameters
    ----------
    geoms
        Shapely footprints (projected, metres); missing or empty entries have no neighbours.
    tolerance_m
        Gap still treated as touching (digitising noise), metres.
    min_length_m
        Shortest shared boundary that counts as a party wall, metres.
    candidates
        Boolean mask of the footprints whose neighbours matter (default all). Their
        neighbours' own neighbour counts are found too.

    Returns
    -------
    n_neighbours
        Neighbours per footprint.
    shared_length_m
        Total shared boundary length per footprint (m).
    neighbour_min_count
        For each footprint, the smallest neighbour count among its neighbours (-1 if none); a
        footprint with one neighbour that itself has one neighbour is a semi-detached pair.

    Notes
    -----
    Two passes. (1) Walls drawn with common vertices (the usual OpenStreetMap case) are found by
    hashing every boundary segment by its end points snapped to ``tolerance_m / 10`` and
    pairing footprints that hold the same segment. (2) Candidates still without a neighbour are
    checked with an STRtree query of their envelopes grown by ``tolerance_m``, then
    ``dwithin``; the shared length is the part of the boundary within ``tolerance_m`` of the
    other footprint (``boundary ∩ buffer``), which overstates a wall by up to twice the
    tolerance at its ends. Both passes work on whole arrays. A wall whose two sides are drawn
    with different vertices next to a building that already has a snapped neighbour is missed.
    """
    n = len(geoms)
    valid = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    if candidates is None:
        candidates = valid
    n_nb = np.zeros(n, dtype=np.int64)
    length = np.zeros(n)
    nb_min = np.full(n, -1, dtype=np.int64)
    if valid.sum() < 2 or not (candidates & valid).any():
        return n_nb, length, nb_min
    # Work only on the candidates and the footprints within the tolerance of their envelopes.
    all_valid = np.flatnonzero(valid)
    tree_all = shapely.STRtree(geoms[all_valid])
    cb = shapely.bounds(geoms[candidates & valid])
    near_env = shapely.box(
        cb[:, 0] - tolerance_m,
        cb[:, 1] - tolerance_m,
        cb[:, 2] + tolerance_m,
        cb[:, 3] + tolerance_m,
    )
    near = np.zeros(len(all_valid), dtype=bool)
    near[tree_all.query(near_env)[1]] = True
    idx = all_valid[near]
    g = geoms[idx]
    m = len(g)
    left, right, seg = _exact_shared_segments(g, max(tolerance_m / 10.0, 1e-3))
    cand = candidates[idx]
    found = np.zeros(m, dtype=bool)
    found[left] = True
    found[right] = True
    todo = np.flatnonzero(cand & ~found)
    if todo.size:
        tree = shapely.STRtree(g)
        bb = shapely.bounds(g[todo])
        env = shapely.box(
            bb[:, 0] - tolerance_m,
            bb[:, 1] - tolerance_m,
            bb[:, 2] + tolerance_m,
            bb[:, 3] + tolerance_m,
        )
        qi, qj = tree.query(env)
        qi = todo[qi]
        keep = qi != qj
        qi, qj = qi[keep], qj[keep]
        near = shapely.dwithin(g[qi], g[qj], tolerance_m)
        qi, qj = qi[near], qj[near]
        zone = shapely.buffer(g[qj], tolerance_m, quad_segs=1, join_style="mitre")
        shared = shapely.length(shapely.intersection(shapely.boundary(g[qi]), zone))
        lo_, hi_ = np.minimum(qi, qj), np.maximum(qi, qj)
        left = np.concatenate([left, lo_])
        right = np.concatenate([right, hi_])
        seg = np.concatenate([seg, shared])
        # a pair found from both sides is counted once below (max of the two measures)
    if left.size == 0:
        return n_nb, length, nb_min
    a, b = np.minimum(left, right), np.maximum(left, right)
    key = a.astype(np.int64) * m + b
    uniq, inv = np.unique(key, return_inverse=True)
    exact_n = left.size - (0 if not todo.size else lo_.size)
    total = np.zeros(uniq.size)
    np.add.at(total, inv[:exact_n], seg[:exact_n])
    if exact_n < left.size:
        fb = np.zeros(uniq.size)
        np.maximum.at(fb, inv[exact_n:], seg[exact_n:])
        total = np.maximum(total, fb)
    pa, pb = uniq // m, uniq % m
    wall = total >= min_length_m
    pa, pb, total = pa[wall], pb[wall], total[wall]
    counts = np.bincount(pa, minlength=m) + np.bincount(pb, minlength=m)
    tot = np.bincount(pa, total, minlength=m) + np.bincount(pb, total, minlength=m)
    nb = np.full(m, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(nb, pa, counts[pb])
    np.minimum.at(nb, pb, counts[pa])
    nb[counts == 0] = -1
    n_nb[idx], length[idx], nb_min[idx] = counts, tot, nb
    return n_nb, length, nb_min
