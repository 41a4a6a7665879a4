"""The street heat atlas's linear heat density on a route's segments."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from heatmap import schema

__all__ = ["STREET_SEGMENT_ID", "with_street_lhd"]

STREET_SEGMENT_ID = "street_segment_id"
"""Route column: the atlas street segment a spine segment runs along."""


def with_street_lhd(
    segments: gpd.GeoDataFrame,
    street_lhd: gpd.GeoDataFrame,
    *,
    threshold_mwh_per_m_a: float,
    corridor_m: float = 15.0,
    max_angle_deg: float = 30.0,
) -> gpd.GeoDataFrame:
    """Give each spine segment the LHD of the street it runs along, and flag the low ones.

    The LHD shown on a route is the street heat atlas's: the heat of the buildings that connect
    to that street stretch ÷ its length. It says whether the street is worth a pipe; the heat a
    pipe carries downstream stays in ``served_heat_mwh_per_a``. A street is a corridor: a pipe
    laid in a pavement or cycle track mapped beside the carriageway runs along the same street,
    so a spine segment takes the densest atlas segment running parallel to it (within
    ``max_angle_deg``) within ``corridor_m`` of its midpoint.

    Parameters
    ----------
    segments
        Route segments (``kind`` street or service, line geometry).
    street_lhd
        The atlas's street segments (index ``segment_id``, ``lhd_mwh_per_m_a``), same CRS.
    threshold_mwh_per_m_a
        Below it a spine segment is flagged ``low_lhd``.
    corridor_m
        Half-width of a street corridor, m.
    max_angle_deg
        Largest angle between a spine segment and an atlas segment of the same street.

    Returns
    -------
    segments
        A copy with ``lhd_mwh_per_m_a`` (NaN on service pipes and off-atlas streets),
        ``street_segment_id`` and ``low_lhd``.

    Examples
    --------
    A road (5 MWh/m/a) with a pavement mapped 6 m beside it (no heat of its own), and a side
    street (2 MWh/m/a): a pipe in the pavement takes the road's LHD.

    >>> from shapely.geometry import LineString
    >>> atlas = gpd.GeoDataFrame({"lhd_mwh_per_m_a": [5.0, 2.0, 0.0]},
    ...     index=["S1", "S2", "S3"], geometry=[LineString([(0, 0), (100, 0)]),
    ...         LineString([(100, 0), (100, 80)]), LineString([(0, 6), (100, 6)])])
    >>> route = gpd.GeoDataFrame({"kind": ["street", "street", "service"]},
    ...     geometry=[LineString([(0, 6), (60, 6)]), LineString([(100, 10), (100, 50)]),
    ...               LineString([(30, 6), (30, 18)])])
    >>> out = with_street_lhd(route, atlas, threshold_mwh_per_m_a=3.0)
    >>> out["lhd_mwh_per_m_a"].tolist()[:2], out["street_segment_id"].tolist()[:2]
    ([5.0, 2.0], ['S1', 'S2'])
    >>> out["low_lhd"].tolist()
    [False, True, False]
    """
    out = segments.copy()
    street = (out[schema.KIND].astype(str) == str(schema.EdgeKind.STREET)).to_numpy()
    lhd = np.full(len(out), np.nan)
    seg_id = np.full(len(out), None, dtype=object)
    rows = np.flatnonzero(street)
    if len(rows) and len(street_lhd):
        ri, ai, value = _parallel_matches(
            out.geometry.to_numpy()[rows], street_lhd, corridor_m, max_angle_deg
        )
        # the densest parallel atlas segment (ties: lowest id) for each spine segment
        ids = street_lhd.index.astype(str).to_numpy()[ai]
        order = np.lexsort((ids, -value, ri))
        first = np.concatenate([[True], ri[order][1:] != ri[order][:-1]])
        pick = order[first]
        lhd[rows[ri[pick]]] = value[pick]
        seg_id[rows[ri[pick]]] = ids[pick]
    out[schema.LHD_MWH_PER_M_A] = lhd
    out[STREET_SEGMENT_ID] = seg_id
    out["low_lhd"] = street & (np.nan_to_num(lhd, nan=np.inf) < threshold_mwh_per_m_a)
    return out


def _parallel_matches(
    lines: np.ndarray, atlas: gpd.GeoDataFrame, corridor_m: float, max_angle_deg: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs (line, atlas segment) within the corridor and parallel; with the atlas LHD."""
    mids = shapely.line_interpolate_point(lines, 0.5, normalized=True)
    geoms = atlas.geometry.to_numpy()
    tree = shapely.STRtree(geoms)
    li, ai = tree.query(mids, predicate="dwithin", distance=corridor_m)
    if len(li) == 0:
        return li, ai, np.zeros(0)
    spine_dir = _direction(lines[li], np.full(len(li), 0.5), normalized=True)
    at = shapely.line_locate_point(geoms[ai], mids[li], normalized=True)
    atlas_dir = _direction(geoms[ai], at, normalized=True)
    cos = np.abs(np.sum(spine_dir * atlas_dir, axis=1))
    keep = cos >= np.cos(np.radians(max_angle_deg))
    value = atlas[schema.LHD_MWH_PER_M_A].to_numpy(dtype=float)[ai]
    return li[keep], ai[keep], value[keep]


def _direction(lines: np.ndarray, at: np.ndarray, *, normalized: bool) -> np.ndarray:
    """Unit direction of each line around the position ``at`` (a tenth of it either side)."""
    lo = shapely.line_interpolate_point(lines, np.clip(at - 0.1, 0.0, 1.0), normalized=normalized)
    hi = shapely.line_interpolate_point(lines, np.clip(at + 0.1, 0.0, 1.0), normalized=normalized)
    d = shapely.get_coordinates(hi) - shapely.get_coordinates(lo)
    norm = np.hypot(d[:, 0], d[:, 1])
    return d / np.where(norm > 0, norm, 1.0)[:, None]
