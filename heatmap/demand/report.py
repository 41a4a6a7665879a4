"""The demand report a planner reads before trusting a heat map.

:func:`demand_report` turns :func:`heatmap.demand.annual.estimate_demand` output into four
tables: demand by use (and by how the use was found), domestic demand per dwelling, the largest
loads with what explains them, and every flagged or excluded building.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.schema import (
    EXCLUSION_REASON,
    FLOORS,
    FLOORS_SOURCE,
    GROSS_FLOOR_AREA_M2,
    HEAT_DEMAND_MWH_PER_A,
    N_DWELLINGS,
    NAME,
    TM46_CATEGORY,
    USE,
    BuildingUse,
)

__all__ = ["DemandReport", "demand_report"]

_TOP_COLUMNS = (
    NAME,
    USE,
    TM46_CATEGORY,
    "property_type",
    "use_source",
    "use_rule",
    FLOORS,
    FLOORS_SOURCE,
    "footprint_area_m2",
    GROSS_FLOOR_AREA_M2,
    "benchmark_kwh_per_m2_a",
    HEAT_DEMAND_MWH_PER_A,
    N_DWELLINGS,
    "demand_confidence",
    "demand_flags",
)


@dataclass(frozen=True)
class DemandReport:
    """Tables of a demand report (see :func:`demand_report`).

    Attributes
    ----------
    by_use
        Buildings, floor area and MWh/a by use and ``use_source``, with a total row.
    per_dwelling
        Domestic dwellings, MWh/a, mean MWh/a per dwelling, the largest single-dwelling demand,
        by property type and in total.
    top_loads
        The largest loads, with name, use, category, floors and their sources, confidence, flags.
    flags
        Every building with a flag or an exclusion reason.
    degree_days_k_day
        Heating degree days the benchmarks were scaled to (NaN when unknown).
    degree_days_source
        Where they came from (weather file, scenario or TM46 region).
    """

    by_use: pd.DataFrame = field(repr=False)
    per_dwelling: pd.DataFrame = field(repr=False)
    top_loads: pd.DataFrame = field(repr=False)
    flags: pd.DataFrame = field(repr=False)
    degree_days_k_day: float = float("nan")
    degree_days_source: str = ""


def _by_use(b: pd.DataFrame) -> pd.DataFrame:
    g = (
        b.assign(use_source=tables.column(b, "use_source").fillna(""))
        .groupby([USE, "use_source"], sort=True)
        .agg(
            n_buildings=(HEAT_DEMAND_MWH_PER_A, "size"),
            gross_floor_area_m2=(GROSS_FLOOR_AREA_M2, "sum"),
            heat_demand_mwh_per_a=(HEAT_DEMAND_MWH_PER_A, "sum"),
        )
        .reset_index()
    )
    total = {
        USE: "total",
        "use_source": "all",
        "n_buildings": int(g["n_buildings"].sum()),
        "gross_floor_area_m2": float(g["gross_floor_area_m2"].sum()),
        "heat_demand_mwh_per_a": float(g["heat_demand_mwh_per_a"].sum()),
    }
    g = pd.concat([g, pd.DataFrame([total])], ignore_index=True)
    share = g[HEAT_DEMAND_MWH_PER_A] / max(float(g[HEAT_DEMAND_MWH_PER_A].iloc[-1]), 1e-12)
    g["share_pct"] = 100.0 * share
    return g


def _per_dwelling(b: pd.DataFrame) -> pd.DataFrame:
    dom = b[b[USE] == BuildingUse.DOMESTIC.value]
    n = tables.column(dom, N_DWELLINGS, numeric=True).fillna(1.0)
    heat = dom[HEAT_DEMAND_MWH_PER_A].astype(float)
    frame = pd.DataFrame(
        {
            "property_type": tables.column(dom, "property_type").fillna("").to_numpy(),
            "n_buildings": 1,
            "n_dwellings": n.to_numpy(),
            "heat_demand_mwh_per_a": heat.to_numpy(),
            "single_mwh": np.where(n.to_numpy() == 1, heat.to_numpy(), np.nan),
        }
    )
    g = frame.groupby("property_type", sort=True).agg(
        n_buildings=("n_buildings", "sum"),
        n_dwellings=("n_dwellings", "sum"),
        heat_demand_mwh_per_a=("heat_demand_mwh_per_a", "sum"),
        max_single_dwelling_mwh_per_a=("single_mwh", "max"),
    )
    total = frame.agg(
        {
            "n_buildings": "sum",
            "n_dwellings": "sum",
            "heat_demand_mwh_per_a": "sum",
            "single_mwh": "max",
        }
    )
    g.loc["total"] = [
        total["n_buildings"],
        total["n_dwellings"],
        total["heat_demand_mwh_per_a"],
        total["single_mwh"],
    ]
    g["mwh_per_dwelling"] = g["heat_demand_mwh_per_a"] / g["n_dwellings"].where(
        g["n_dwellings"] > 0
    )
    return g.reset_index()


def demand_report(buildings: pd.DataFrame, *, top: int = 20) -> DemandReport:
    """Build the demand report of a study area.

    Parameters
    ----------
    buildings
        Output of :func:`heatmap.demand.annual.estimate_demand`.
    top
        Number of largest loads to list.

    Returns
    -------
    report
        The four tables and the degree days used.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from heatmap.demand.annual import estimate_demand
    >>> b = gpd.GeoDataFrame(
    ...     {"building_tag": ["office", "house", "barn"], "building_levels": [4, 2, 1],
    ...      "name": ["Town Hall", None, None]},
    ...     geometry=[box(0, 0, 25, 10), box(100, 0, 108, 10), box(200, 0, 230, 20)],
    ...     crs="EPSG:27700")
    >>> r = demand_report(estimate_demand(b))
    >>> r.top_loads[["name", "use", "floors", "floors_source"]].to_numpy().tolist()
    [['Town Hall', 'non_domestic', 4.0, 'levels'], ['', 'domestic', 2.0, 'levels']]
    >>> r.flags["exclusion_reason"].tolist(), r.degree_days_source
    (['building=barn is unheated'], 'TM46 region Thames Valley')
    """
    b = pd.DataFrame(buildings.drop(columns=buildings.geometry.name, errors="ignore"))
    heated = b[b[HEAT_DEMAND_MWH_PER_A] > 0].sort_values(HEAT_DEMAND_MWH_PER_A, ascending=False)
    top_loads = pd.DataFrame({c: tables.column(heated, c) for c in _TOP_COLUMNS}).head(top)
    top_loads[NAME] = top_loads[NAME].fillna("").astype(object)
    flagged = (tables.column(b, "demand_flags").fillna("") != "") | (
        tables.column(b, EXCLUSION_REASON).fillna("") != ""
    )
    flag_cols = (
        NAME,
        USE,
        "use_rule",
        FLOORS,
        GROSS_FLOOR_AREA_M2,
        HEAT_DEMAND_MWH_PER_A,
        "demand_flags",
        EXCLUSION_REASON,
    )
    flags = pd.DataFrame({c: tables.column(b[flagged], c) for c in flag_cols})
    return DemandReport(
        by_use=_by_use(b),
        per_dwelling=_per_dwelling(b),
        top_loads=top_loads,
        flags=flags,
        degree_days_k_day=float(buildings.attrs.get("degree_days_k_day", float("nan"))),
        degree_days_source=str(buildings.attrs.get("degree_days_source", "")),
    )
