"""Demand tables a planner reads: totals by use and source, anchor loads."""

from __future__ import annotations

import logging

import geopandas as gpd
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.schema import (
    DEMAND_METHOD,
    DEMAND_SOURCE,
    GROSS_FLOOR_AREA_M2,
    HEAT_DEMAND_MWH_PER_A,
    NAME,
    PEAK_LOAD_KW,
    USE,
)

logger = logging.getLogger(__name__)

__all__ = ["anchor_loads", "demand_summary"]


def demand_summary(buildings: pd.DataFrame) -> pd.DataFrame:
    """Summarise demand by use and source, like study Table 5.

    Parameters
    ----------
    buildings
        Output of :func:`estimate_demand`.

    Returns
    -------
    summary
        Rows per (use, demand_source) plus a ``total`` row: ``n_buildings``,
        ``gross_floor_area_m2``, ``heat_demand_mwh_per_a``, ``share_pct``.

    Examples
    --------
    >>> b = pd.DataFrame({"use": ["non_domestic", "domestic"],
    ...                   "demand_source": ["benchmark", "benchmark"],
    ...                   "gross_floor_area_m2": [1000.0, 160.0],
    ...                   "heat_demand_mwh_per_a": [120.0, 21.12]})
    >>> t = demand_summary(b)
    >>> print(t[["use", "n_buildings", "heat_demand_mwh_per_a", "share_pct"]].round(1).to_string())
                use  n_buildings  heat_demand_mwh_per_a  share_pct
    0      domestic            1                   21.1       15.0
    1  non_domestic            1                  120.0       85.0
    2         total            2                  141.1      100.0
    """
    g = buildings.groupby([USE, DEMAND_SOURCE], sort=True).agg(
        n_buildings=(HEAT_DEMAND_MWH_PER_A, "size"),
        gross_floor_area_m2=(GROSS_FLOOR_AREA_M2, "sum"),
        heat_demand_mwh_per_a=(HEAT_DEMAND_MWH_PER_A, "sum"),
    )
    g = g.reset_index()
    total = g[HEAT_DEMAND_MWH_PER_A].sum()
    tot = pd.DataFrame(
        [
            {
                USE: "total",
                DEMAND_SOURCE: "all",
                "n_buildings": int(g["n_buildings"].sum()),
                "gross_floor_area_m2": float(g["gross_floor_area_m2"].sum()),
                HEAT_DEMAND_MWH_PER_A: float(total),
            }
        ]
    )
    g = pd.concat([g, tot], ignore_index=True)
    g["share_pct"] = 100.0 * g[HEAT_DEMAND_MWH_PER_A] / total if total > 0 else 0.0
    return g


def anchor_loads(
    buildings: gpd.GeoDataFrame, *, threshold_mwh_per_a: float = 500.0
) -> gpd.GeoDataFrame:
    """Return the buildings at or above an annual demand threshold, largest first.

    Parameters
    ----------
    buildings
        Output of :func:`estimate_demand`.
    threshold_mwh_per_a
        Anchor-load threshold (MWh/a); 500 in Scotland's zoning assessment.

    Returns
    -------
    anchors
        Columns ``name``, ``use``, ``tm46_category``, ``heat_demand_mwh_per_a``,
        ``peak_load_kw``, ``demand_source``, ``demand_method``, geometry.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import Point
    >>> b = gpd.GeoDataFrame(
    ...     {"name": ["Leisure centre", "Office", "House"],
    ...      "use": ["non_domestic", "non_domestic", "domestic"],
    ...      "heat_demand_mwh_per_a": [650.0, 900.0, 12.0], "peak_load_kw": [300.0, 786.0, 6.2]},
    ...     geometry=[Point(0, 0), Point(50, 0), Point(90, 0)], crs="EPSG:27700")
    >>> anchor_loads(b)["name"].tolist()
    ['Office', 'Leisure centre']
    """
    cols = [
        NAME,
        USE,
        "tm46_category",
        HEAT_DEMAND_MWH_PER_A,
        PEAK_LOAD_KW,
        DEMAND_SOURCE,
        DEMAND_METHOD,
    ]
    sel = buildings[buildings[HEAT_DEMAND_MWH_PER_A] >= threshold_mwh_per_a]
    out = gpd.GeoDataFrame(
        {c: tables.column(sel, c) for c in cols}, geometry=sel.geometry, crs=buildings.crs
    )
    out[NAME] = out[NAME].fillna("").astype(object)
    return out.sort_values(HEAT_DEMAND_MWH_PER_A, ascending=False)
