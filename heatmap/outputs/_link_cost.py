"""Indicative cost of a link main to a find, from the sizing and pipe-rate models (private).

A link is one pipe run of the network distance carrying the find's peak: the sizing stage picks
the smallest catalogue DN within its velocity and pressure-gradient limits, and the pipe-rate
catalogue prices that DN per metre of trench for the dig class.
"""

from __future__ import annotations

import math
from typing import Literal

import geopandas as gpd
import numpy as np
from shapely.geometry import LineString

from heatmap import schema
from heatmap.design import SizingParams, sizing

__all__ = ["link_main"]


def link_main(
    distance_m: float,
    peak_kw: float,
    heat_mwh_per_a: float,
    *,
    dig_class: Literal["soft", "hard"] = "hard",
    params: SizingParams | None = None,
) -> tuple[float, float]:
    """Return (DN, trench-and-pipe cost in £) of a link main, or (NaN, NaN) when undefined.

    Parameters
    ----------
    distance_m
        Length of the link along the streets, m; 0 gives a cost of 0.
    peak_kw
        Peak the link carries, kW (NaN or <= 0: no link can be sized).
    heat_mwh_per_a
        Annual heat through the link (for its losses), MWh/a.
    dig_class
        ``hard`` (carriageway) or ``soft`` (footway, verge) trench rates.
    params
        Sizing parameters (temperatures, limits, pipe series).

    Examples
    --------
    >>> dn, cost = link_main(300.0, 1200.0, 2400.0)
    >>> dn > 0 and cost > 0
    True
    >>> link_main(300.0, float("nan"), 0.0)
    (nan, nan)
    """
    if not (math.isfinite(peak_kw) and peak_kw > 0 and math.isfinite(distance_m)):
        return math.nan, math.nan
    length = max(distance_m, 1.0)
    seg = gpd.GeoDataFrame(
        {
            "segment_id": [0],
            "u": ["plant"],
            "v": ["find"],
            schema.LENGTH_M: [length],
            schema.KIND: ["street"],
            schema.COST_CLASS: [dig_class],
            schema.SERVED_HEAT_MWH_PER_A: [max(heat_mwh_per_a, 0.0)],
            schema.SERVED_PEAK_KW: [peak_kw],
            schema.N_DOWNSTREAM: [1],
            schema.PHASE: [1],
        },
        geometry=[LineString([(0.0, 0.0), (length, 0.0)])],
        crs="EPSG:27700",
    )
    pipes = sizing.size_pipes(seg, params=params).pipes
    dn = float(pipes["dn"].iloc[0])
    cost = float(pipes["capex_gbp"].iloc[0]) * (distance_m / length)
    return dn, float(np.round(cost, 0))
