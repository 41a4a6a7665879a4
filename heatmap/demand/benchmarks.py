"""Benchmark tables and vectorised building classification for :mod:`heatmap.demand.estimate`.

Every table lives in ``heatmap/data/`` as CSV with a ``source`` column; this module loads them
once and applies them to whole columns at a time (no per-building Python loops).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import shapely

from heatmap._data import bundled_csv
from heatmap.errors import InputError

REFERENCE_HDD_K_DAY = 2021.0
"""Heating degree days (base 15.5 °C) on which the CIBSE TM46 benchmarks are based."""

NON_DOMESTIC_TAG_KEYS = ("amenity", "healthcare", "leisure", "tourism", "office", "shop")
PROPERTY_TYPES = ("detached", "semi_detached", "end_terrace", "mid_terrace", "flat")
AGE_BANDS = ("G", "A", "B", "C", "D", "E", "F")


def _csv(name: str) -> pd.DataFrame:
    return bundled_csv(name, blank_only_na=True)


def tm46_benchmarks() -> pd.DataFrame:
    """Return the CIBSE TM46 benchmark table indexed by category name."""
    return _csv("tm46_benchmarks.csv").set_index("tm46_category")


def domestic_benchmarks() -> pd.DataFrame:
    """Return study Table 38 (kWh/m2/a by age band and property type), one row per cell."""
    return _csv("demand_domestic_benchmarks.csv")


def tag_table() -> pd.DataFrame:
    """Return the OSM tag to use / TM46 category mapping table."""
    return _csv("demand_osm_tag_category.csv")


def default_floors_table() -> pd.DataFrame:
    """Return the default floors by building tag (``*`` = any other)."""
    return _csv("demand_default_floors.csv")


def full_load_hours_table() -> pd.DataFrame:
    """Return the full-load hours by TM46 category or use."""
    return _csv("demand_full_load_hours.csv")


def daily_shapes() -> pd.DataFrame:
    """Return the 24-hour shapes by use (each with mean 1)."""
    return _csv("demand_daily_shapes.csv")


def domestic_benchmark_kwh_per_m2(age_band: str, property_type: str) -> float:
    """Return the study Table 38 benchmark for one age band and property type (NaN if N/A).

    Parameters
    ----------
    age_band
        Band code ``"A"``..``"G"`` (G = pre-1900) or its label (``"1930-1949"``).
    property_type
        One of ``detached``, ``semi_detached``, ``end_terrace``, ``mid_terrace``, ``flat``.

    Returns
    -------
    benchmark
        kWh per m2 of floor area per year.

    Examples
    --------
    >>> domestic_benchmark_kwh_per_m2("B", "detached")
    132.0
    >>> domestic_benchmark_kwh_per_m2("1930-1949", "flat")
    44.0
    """
    t = domestic_benchmarks()
    row = t[
        ((t["age_band"] == age_band) | (t["age_band_label"] == age_band))
        & (t["property_type"] == property_type)
    ]
    if row.empty:
        msg = f"no Table 38 benchmark for age band {age_band!r} and property type {property_type!r}"
        raise InputError(msg)
    return float(row["benchmark_kwh_per_m2_a"].iloc[0])


def column(frame: pd.DataFrame, name: str, *, numeric: bool = False) -> pd.Series:
    """Return ``frame[name]`` or an all-missing column (string or float) when it is absent."""
    if name in frame.columns:
        s = frame[name]
        return pd.to_numeric(s, errors="coerce").astype(float) if numeric else s
    if numeric:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.Series(None, index=frame.index, dtype=object)


def _factorize_clean(values: pd.Series) -> tuple[np.ndarray, list[str | None]]:
    """Factorise a tag column; return codes and the cleaned (lower-case) unique values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned: list[str | None] = []
    for u in uniques:  # loops over distinct tag values, not over buildings
        v = str(u).strip().lower()
        cleaned.append(None if v in {"", "no", "none", "nan"} else v)
    return codes, cleaned


def classify_tags(
    frame: pd.DataFrame, *, untagged_use: str, untagged_category: str
) -> pd.DataFrame:
    """Classify buildings into use, TM46 category, tagged property type and exclusion reason.

    Order: an excluding ``building=*`` value (shed, garage, roof, ...) first; then the first
    non-domestic key with a mapped value in the order amenity, healthcare, leisure, tourism,
    office, shop; then ``building=*``; anything left (``building=yes`` or unmapped values) takes
    ``untagged_use``. Lookups run once per distinct tag value, then spread by array indexing.

    Returns
    -------
    classes
        Columns ``use``, ``tm46_category``, ``tag_property_type``, ``exclusion_reason``,
        ``class_tag`` (``key=value`` that decided).
    """
    table = tag_table().fillna("")
    n = len(frame)
    use = np.full(n, "", dtype=object)
    cat = np.full(n, "", dtype=object)
    ptype = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    decided = np.full(n, "", dtype=object)
    b_codes, b_clean = _factorize_clean(column(frame, "building_tag"))

    def apply(key: str, codes: np.ndarray, cleaned: list[str | None], rows: pd.DataFrame) -> None:
        lookup = {r.osm_value: r for r in rows.itertuples(index=False)}
        wildcard = lookup.get("*")
        m = len(cleaned)
        u_use = np.full(m + 1, "", dtype=object)  # last slot: missing value (code -1)
        u_cat, u_pt, u_reason, u_tag = (np.full(m + 1, "", dtype=object) for _ in range(4))
        for i, v in enumerate(cleaned):
            if v is None:
                continue
            r = lookup.get(v, wildcard)
            if r is None:
                continue
            u_use[i], u_cat[i], u_tag[i] = r.use, r.tm46_category, f"{key}={v}"
            if r.osm_value != "*":
                u_pt[i], u_reason[i] = r.property_type, r.exclusion_reason
        free = use == ""
        hit = free & (u_use[codes] != "")
        use[hit] = u_use[codes[hit]]
        cat[hit] = u_cat[codes[hit]]
        ptype[hit] = u_pt[codes[hit]]
        reason[hit] = u_reason[codes[hit]]
        decided[hit] = u_tag[codes[hit]]

    bt = table[table["osm_key"] == "building"]
    apply("building", b_codes, b_clean, bt[bt["use"] == "excluded"])
    for key in NON_DOMESTIC_TAG_KEYS:
        codes, cleaned = _factorize_clean(column(frame, key))
        apply(key, codes, cleaned, table[table["osm_key"] == key])
    apply("building", b_codes, b_clean, bt[bt["use"] != "excluded"])
    rest = use == ""
    use[rest] = untagged_use
    if untagged_use == "non_domestic":
        cat[rest] = untagged_category
    b_label = np.array(
        [f"building={v}" if v else "building=(none)" for v in b_clean] + ["building=(none)"],
        dtype=object,
    )
    decided[rest] = b_label[b_codes[rest]]
    return pd.DataFrame(
        {
            "use": use,
            "tm46_category": cat,
            "tag_property_type": ptype,
            "exclusion_reason": reason,
            "class_tag": decided,
        },
        index=frame.index,
    )


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


def age_band_from_year(year: pd.Series) -> pd.Series:
    """Map construction years to Table 38 age band codes ("" where the year is missing)."""
    edges = np.array([1900, 1930, 1950, 1967, 1983, 1996])
    codes = np.array(AGE_BANDS)
    y = year.to_numpy(dtype=float)
    band = codes[np.searchsorted(edges, np.nan_to_num(y, nan=0.0), side="right")]
    return pd.Series(np.where(np.isfinite(y), band, ""), index=year.index, dtype=object)


def year_from_start_date(start_date: pd.Series) -> pd.Series:
    """Return the first four-digit year in OSM ``start_date`` strings (NaN where none)."""
    s = start_date.astype("string")
    return pd.to_numeric(s.str.extract(r"(\d{4})", expand=False), errors="coerce").astype(float)
