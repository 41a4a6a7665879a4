"""Rank candidate networks: viability against the scenario's thresholds, then the criterion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString, MultiLineString

from heatmap.pipeline.candidate_params import CandidateParams
from heatmap.pipeline.results import NetworkResults
from heatmap.routing import route

__all__ = ["CANDIDATE_COLUMNS", "candidate_route_lines", "candidate_table", "rank_candidates"]


CANDIDATE_COLUMNS = (
    "network_id",
    "zone_id",
    "rank",
    "viable",
    "reason",
    "zone_rule",
    "n_connections",
    "connected_heat_mwh_per_a",
    "trench_length_m",
    "service_length_m",
    "route_lhd_mwh_per_m_a",
    "peak_demand_kw",
    "hp_capacity_kw",
    "store_volume_m3",
    "boiler_capacity_kw",
    "network_losses_pct",
    "low_carbon_share_pct",
    "capex_gbp",
    "npv_gbp",
    "irr_pct",
    "lcoh_gbp_per_mwh",
    "npv_per_capex",
    "co2_savings_t_per_a",
    "energy_centre_x_m",
    "energy_centre_y_m",
    "chosen",
)
"""Columns of ``candidates.csv``, in order."""

_RANK_COLUMN = {
    "npv_per_capex": ("npv_per_capex", False),
    "npv": ("npv_gbp", False),
    "irr": ("irr_pct", False),
    "lcoh": ("lcoh_gbp_per_mwh", True),
    "lhd": ("route_lhd_mwh_per_m_a", False),
}


def _viability(row: pd.Series, params: CandidateParams) -> str:
    """Why a candidate is not viable ("" when it is)."""
    if row.get("error"):
        return f"could not be planned: {row['error']}"
    reasons = []
    if not row["zone_passes"]:
        reasons.append(str(row["zone_reason"]) or "zone fails its rule")
    lhd = row.get("route_lhd_mwh_per_m_a")
    if lhd is None or not np.isfinite(lhd) or lhd < params.min_route_lhd_mwh_per_m_a:
        shown = "none" if lhd is None or not np.isfinite(lhd) else f"{lhd:.1f}"
        reasons.append(f"route LHD {shown} MWh/m/a below {params.min_route_lhd_mwh_per_m_a:g}")
    npv = row.get("npv_gbp")
    if npv is None or not np.isfinite(npv) or npv < params.min_npv_gbp:
        shown = "none" if npv is None or not np.isfinite(npv) else f"£{npv / 1e6:.1f} M"
        reasons.append(f"NPV {shown} below £{params.min_npv_gbp / 1e6:g} M")
    return "; ".join(reasons)


def rank_candidates(table: pd.DataFrame, *, rank_by: str, params: CandidateParams) -> pd.DataFrame:
    """Mark each candidate viable or not (with the reason) and rank them.

    Viable candidates come first, ordered by ``rank_by`` (highest first; lowest LCOH first),
    then the others by the same criterion; ties and missing values are broken by the network
    id, so the ranking is deterministic.

    Parameters
    ----------
    table
        One row per candidate (:func:`candidate_table`'s columns before ranking).
    rank_by
        One of ``npv_per_capex``, ``npv``, ``irr``, ``lcoh``, ``lhd``.
    params
        Viability thresholds.

    Returns
    -------
    ranked
        A copy with ``viable``, ``reason`` and ``rank`` (1 = best), sorted by rank.

    Examples
    --------
    >>> t = pd.DataFrame({"network_id": ["Z01", "Z02", "Z03"], "zone_passes": [True] * 3,
    ...                   "zone_reason": [""] * 3, "error": [""] * 3,
    ...                   "route_lhd_mwh_per_m_a": [5.0, 9.0, 2.0],
    ...                   "npv_gbp": [1e6, 4e6, 3e6], "npv_per_capex": [0.5, 0.4, 0.9],
    ...                   "irr_pct": [9.0, 8.0, 12.0], "lcoh_gbp_per_mwh": [80.0, 70.0, 60.0]})
    >>> r = rank_candidates(t, rank_by="npv_per_capex", params=CandidateParams())
    >>> r["network_id"].tolist(), r["viable"].tolist()
    (['Z01', 'Z02', 'Z03'], [True, True, False])
    >>> rank_candidates(t, rank_by="npv", params=CandidateParams())["network_id"].tolist()
    ['Z02', 'Z01', 'Z03']
    """
    column, ascending = _RANK_COLUMN[rank_by]
    out = table.copy()
    for col in ("route_lhd_mwh_per_m_a", "npv_gbp", column):
        if col not in out.columns:
            out[col] = np.nan
    out["reason"] = [_viability(row, params) for _, row in out.iterrows()]
    out["viable"] = out["reason"] == ""
    key = pd.to_numeric(out[column], errors="coerce")
    key = key if ascending else -key
    out["_key"] = key.fillna(np.inf)
    out = out.sort_values(["viable", "_key", "network_id"], ascending=[False, True, True])
    out["rank"] = np.arange(1, len(out) + 1)
    return out.drop(columns="_key").reset_index(drop=True)


def candidate_table(
    rows: Sequence[dict[str, Any]], *, params: CandidateParams, rank_by: str
) -> pd.DataFrame:
    """Rank the appraised candidates and order their columns as ``candidates.csv``.

    Parameters
    ----------
    rows
        One mapping per candidate (network id, zone, figures, any planning error).
    params
        ``[candidates]`` thresholds.
    rank_by
        The ranking criterion.

    Returns
    -------
    table
        Columns :data:`CANDIDATE_COLUMNS` (``chosen`` False until the pipeline picks one).
    """
    table = pd.DataFrame(list(rows))
    if table.empty:
        return pd.DataFrame(columns=list(CANDIDATE_COLUMNS))
    ranked = rank_candidates(table, rank_by=rank_by, params=params)
    ranked["chosen"] = False
    for col in CANDIDATE_COLUMNS:
        if col not in ranked.columns:
            ranked[col] = np.nan
    return ranked[list(CANDIDATE_COLUMNS)]


def candidate_route_lines(networks: Sequence[NetworkResults], crs: Any) -> gpd.GeoDataFrame:
    """Each candidate's spine as one multi-line feature (the ``candidates`` layer geometry).

    Parameters
    ----------
    networks
        The appraised candidate networks.
    crs
        Their CRS.

    Returns
    -------
    lines
        ``network_id`` and a MultiLineString of its route segments.
    """
    rows = []
    for net in networks:
        segs = route.route_to_gdf(net.route)
        parts: list[LineString] = []
        for geom in segs.geometry:
            if isinstance(geom, LineString):
                parts.append(geom)
            elif isinstance(geom, MultiLineString):
                parts.extend(geom.geoms)
        rows.append({"network_id": net.network_id, "geometry": MultiLineString(parts)})
    if not rows:
        return gpd.GeoDataFrame({"network_id": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)
