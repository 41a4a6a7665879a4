"""The street heat atlas's linear heat density on a route's segments."""

from __future__ import annotations

import geopandas as gpd
import numpy as np

from heatmap import schema

__all__ = ["STREET_SEGMENT_ID", "with_street_lhd"]

STREET_SEGMENT_ID = "street_segment_id"
"""Route column: the atlas street segment a spine segment runs along."""


def with_street_lhd(
    segments: gpd.GeoDataFrame,
    street_lhd: gpd.GeoDataFrame,
    *,
    threshold_mwh_per_m_a: float,
    max_distance_m: float = 2.0,
) -> gpd.GeoDataFrame:
    """Give each spine segment the LHD of the street it runs along, and flag the low ones.

    The LHD shown on a route is the street heat atlas's: the heat of the buildings that connect
    to that street stretch ÷ its length. It says whether the street is worth a pipe; the heat a
    pipe carries downstream stays in ``served_heat_mwh_per_a``.

    Parameters
    ----------
    segments
        Route segments (``kind`` street or service, line geometry).
    street_lhd
        The atlas's street segments (index ``segment_id``, ``lhd_mwh_per_m_a``), same CRS.
    threshold_mwh_per_m_a
        Below it a spine segment is flagged ``low_lhd``.
    max_distance_m
        A spine segment's midpoint must lie this close to an atlas segment.

    Returns
    -------
    segments
        A copy with ``lhd_mwh_per_m_a`` (NaN on service pipes and off-atlas streets),
        ``street_segment_id`` and ``low_lhd``.

    Examples
    --------
    >>> from shapely.geometry import LineString
    >>> atlas = gpd.GeoDataFrame({"lhd_mwh_per_m_a": [5.0, 2.0]},
    ...     index=["S1", "S2"], geometry=[LineString([(0, 0), (100, 0)]),
    ...                                   LineString([(100, 0), (100, 80)])])
    >>> route = gpd.GeoDataFrame({"kind": ["street", "street", "service"]},
    ...     geometry=[LineString([(0, 0), (60, 0)]), LineString([(100, 10), (100, 50)]),
    ...               LineString([(30, 0), (30, 12)])])
    >>> out = with_street_lhd(route, atlas, threshold_mwh_per_m_a=3.0)
    >>> out["lhd_mwh_per_m_a"].tolist()[:2], out["low_lhd"].tolist()
    ([5.0, 2.0], [False, True, False])
    """
    out = segments.copy()
    street = (out[schema.KIND].astype(str) == str(schema.EdgeKind.STREET)).to_numpy()
    lhd = np.full(len(out), np.nan)
    seg_id = np.full(len(out), None, dtype=object)
    if street.any() and len(street_lhd):
        mids = gpd.GeoDataFrame(
            {"row": np.flatnonzero(street)},
            geometry=out.geometry[street].interpolate(0.5, normalized=True).to_numpy(),
            crs=out.crs,
        )
        atlas = gpd.GeoDataFrame(
            {
                "atlas_id": street_lhd.index.astype(str),
                "atlas_lhd": street_lhd[schema.LHD_MWH_PER_M_A],
            },
            geometry=street_lhd.geometry.to_numpy(),
            crs=street_lhd.crs,
        )
        joined = gpd.sjoin_nearest(mids, atlas, how="inner", max_distance=max_distance_m)
        joined = joined.sort_values(["row", "atlas_id"]).drop_duplicates("row")
        rows = joined["row"].to_numpy(int)
        lhd[rows] = joined["atlas_lhd"].to_numpy(float)
        seg_id[rows] = joined["atlas_id"].to_numpy()
    out[schema.LHD_MWH_PER_M_A] = lhd
    out[STREET_SEGMENT_ID] = seg_id
    out["low_lhd"] = street & (np.nan_to_num(lhd, nan=np.inf) < threshold_mwh_per_m_a)
    return out
