"""Candidate heat-network zones grown from the street heat atlas.

Street segments whose linear heat density reaches the baseline threshold (or that run through a
viable building cluster or an opportunity area) qualify. Qualifying segments sharing a junction
form a group; groups at most ``max_gap_m`` apart along the streets join, with the street between
them, and never across a longer stretch of low-density road. Each zone is then tested against
Scotland's rules (zone LHD = its heat ÷ its street length, and its anchor loads): stringent,
baseline or none, with the reason when it fails, so the zones that fail are reported too.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from heatmap import schema
from heatmap.errors import InputError
from heatmap.zones._growth import grow_zones, split_large_zones
from heatmap.zones.atlas import StreetAtlas
from heatmap.zones.zone_params import ZoneParams as ZoneParams

__all__ = ["ZONE_COLUMNS", "ZoneParams", "ZoneSet", "candidate_zones", "zone_rule", "zone_table"]

logger = logging.getLogger(__name__)

ZONE_ID = "zone_id"
ZONE_COLUMNS: tuple[str, ...] = (
    "rule",
    "passes",
    "reason",
    schema.HEAT_DEMAND_MWH_PER_A,
    "street_length_m",
    schema.LHD_MWH_PER_M_A,
    "n_buildings",
    "n_anchors",
    "anchor_ids",
    "n_segments",
    "group_id",
)


@dataclass(frozen=True)
class ZoneSet:
    """Candidate zones, passing and failing.

    Attributes
    ----------
    zones
        Index ``zone_id`` (``"Z01"``, ``"Z02"``... by heat, largest first; ties by their first
        segment), columns ``rule`` (``"stringent"``, ``"baseline"`` or ``"none"``), ``passes``,
        ``reason`` (``""`` when it passes), ``heat_demand_mwh_per_a``, ``street_length_m``,
        ``lhd_mwh_per_m_a``, ``n_buildings``, ``n_anchors``, ``anchor_ids`` (comma-joined,
        largest first), ``n_segments``, ``group_id`` (zones grown as one contiguous area and
        split because its heat exceeds ``max_zone_heat_mwh_per_a`` share the id of its part
        with most heat; else the zone's own id); geometry: a MultiLineString of the zone's street
        segments, in the atlas's CRS.
    segment_zone
        ``segment_id`` -> ``zone_id`` for the segments in a zone.
    building_zone
        ``building_id`` -> ``zone_id`` for the buildings assigned to a zone's segments.
    summary
        One line for the console and the summary: how many zones pass, or why none do.
    """

    zones: gpd.GeoDataFrame
    segment_zone: pd.Series
    building_zone: pd.Series
    summary: str = ""


def zone_rule(
    lhd_mwh_per_m_a: float, n_anchors: int, heat_mwh_per_a: float, params: ZoneParams
) -> tuple[str, bool, str]:
    """Return the rule a zone meets, whether it passes and, when not, why.

    Parameters
    ----------
    lhd_mwh_per_m_a
        Zone heat ÷ zone street length.
    n_anchors
        Anchor loads in the zone.
    heat_mwh_per_a
        Zone heat.
    params
        The rules.

    Returns
    -------
    rule, passes, reason
        ``rule`` is the strictest of stringent / baseline met by LHD and anchors (else
        ``"none"``); a zone passes when it meets a rule and has at least
        ``min_zone_heat_mwh_per_a``; ``reason`` lists what falls short of the baseline rule.

    Examples
    --------
    >>> zone_rule(2.1, 1, 5000.0, ZoneParams())
    ('none', False, 'LHD 2.1 MWh/m/a below 4; 1 anchor load, 2 needed')
    >>> zone_rule(9.0, 5, 20000.0, ZoneParams())
    ('stringent', True, '')
    """
    p = params
    if lhd_mwh_per_m_a >= p.stringent_lhd_mwh_per_m_a and n_anchors >= p.stringent_min_anchors:
        rule = "stringent"
    elif lhd_mwh_per_m_a >= p.baseline_lhd_mwh_per_m_a and n_anchors >= p.baseline_min_anchors:
        rule = "baseline"
    else:
        rule = "none"
    reasons = []
    if lhd_mwh_per_m_a < p.baseline_lhd_mwh_per_m_a:
        reasons.append(f"LHD {lhd_mwh_per_m_a:.1f} MWh/m/a below {p.baseline_lhd_mwh_per_m_a:g}")
    if n_anchors < p.baseline_min_anchors:
        plural = "" if n_anchors == 1 else "s"
        reasons.append(f"{n_anchors} anchor load{plural}, {p.baseline_min_anchors} needed")
    if heat_mwh_per_a < p.min_zone_heat_mwh_per_a:
        reasons.append(
            f"heat {heat_mwh_per_a:,.0f} MWh/a below {p.min_zone_heat_mwh_per_a:,.0f} MWh/a"
        )
    return rule, not reasons, "; ".join(reasons)


def _in_polygons(
    geoms: np.ndarray, polygons: gpd.GeoDataFrame | None, crs: object, *, midpoint: bool
) -> np.ndarray:
    """Which segment lines meet (or, with ``midpoint``, have their midpoint in) the polygons."""
    hit = np.zeros(len(geoms), dtype=bool)
    if polygons is None or len(polygons) == 0 or len(geoms) == 0:
        return hit
    if crs is not None and polygons.crs is not None and not polygons.crs.equals(crs):
        polygons = polygons.to_crs(crs)
    targets = shapely.line_interpolate_point(geoms, 0.5, normalized=True) if midpoint else geoms
    polys = polygons.geometry.to_numpy()
    polys = polys[~(shapely.is_missing(polys) | shapely.is_empty(polys))]
    _, idx = shapely.STRtree(targets).query(polys, predicate="intersects")
    hit[idx] = True
    return hit


def _viable(clusters: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame | None:
    if clusters is None or "viable" not in clusters.columns:
        return clusters
    return clusters[clusters["viable"].eq(True).to_numpy()]


def _check(atlas: StreetAtlas, G: nx.Graph) -> None:
    seg = atlas.segments
    missing = [c for c in ("u", "v", schema.LENGTH_M, schema.LHD_MWH_PER_M_A) if c not in seg]
    if missing:
        msg = f"street atlas: segments lack column(s) {', '.join(missing)}; build it with "
        msg += "street_heat_atlas()"
        raise InputError(msg)
    ends = pd.unique(pd.concat([seg["u"], seg["v"]]))
    absent = [n for n in ends if n not in G]
    if absent:
        msg = (
            f"street atlas: {len(absent)} segment end(s) are not nodes of the street graph (e.g. "
            f"{absent[0]!r}); build the atlas from the same graph"
        )
        raise InputError(msg)


def _anchor_ids(assigned: pd.DataFrame, threshold: float) -> dict[str, list[str]]:
    """Anchor building ids per zone, largest heat first (ties by id)."""
    heat = assigned[schema.HEAT_DEMAND_MWH_PER_A]
    anchors = assigned[heat >= threshold].assign(_id=lambda f: f.index.astype(str))
    anchors = anchors.sort_values(
        [ZONE_ID, schema.HEAT_DEMAND_MWH_PER_A, "_id"], ascending=[True, False, True]
    )
    return {str(z): list(g["_id"]) for z, g in anchors.groupby(ZONE_ID, sort=True)}


def _zone_order(seg: gpd.GeoDataFrame, number: np.ndarray) -> tuple[pd.DataFrame, dict[int, str]]:
    """Heat, length and segment count per zone number, ordered by heat; the number's zone id."""
    in_zone = number >= 0
    frame = pd.DataFrame(
        {
            "number": number[in_zone],
            "order": np.flatnonzero(in_zone),
            "heat": seg[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(dtype=float)[in_zone],
            "length": seg[schema.LENGTH_M].to_numpy(dtype=float)[in_zone],
        }
    )
    agg = frame.groupby("number").agg(
        heat=("heat", "sum"), length=("length", "sum"), first=("order", "min"), n=("order", "size")
    )
    agg = agg.sort_values(["heat", "first"], ascending=[False, True])
    width = max(2, len(str(len(agg))))
    names = {int(k): f"Z{i + 1:0{width}d}" for i, k in enumerate(agg.index)}
    return agg, names


def _zone_table(
    seg: gpd.GeoDataFrame,
    number: np.ndarray,
    agg: pd.DataFrame,
    names: dict[int, str],
    assigned: pd.DataFrame,
    params: ZoneParams,
) -> gpd.GeoDataFrame:
    """One row per zone, in the order of ``agg``, with figures, rule and geometry."""
    zone_ids = pd.Index([names[int(k)] for k in agg.index], name=ZONE_ID, dtype=object)
    anchors = _anchor_ids(assigned, params.anchor_threshold_mwh_per_a)
    n_build = assigned.groupby(ZONE_ID).size()
    rows = []
    for zid, (heat, length) in zip(zone_ids, agg[["heat", "length"]].to_numpy(), strict=True):
        lhd = heat / length if length > 0 else (np.inf if heat > 0 else 0.0)
        ids = anchors.get(zid, [])
        rule, passes, reason = zone_rule(lhd, len(ids), heat, params)
        rows.append(
            {
                "rule": rule,
                "passes": passes,
                "reason": reason,
                schema.HEAT_DEMAND_MWH_PER_A: float(heat),
                "street_length_m": float(length),
                schema.LHD_MWH_PER_M_A: float(lhd),
                "n_buildings": int(n_build.get(zid, 0)),
                "n_anchors": len(ids),
                "anchor_ids": ",".join(ids),
            }
        )
    table = pd.DataFrame(rows, index=zone_ids, columns=list(ZONE_COLUMNS[:-2]))
    table["n_segments"] = agg["n"].to_numpy(dtype=int)
    table["passes"] = table["passes"].astype(bool)
    geoms = seg.geometry.to_numpy()
    lines = [shapely.multilinestrings(geoms[number == k]) for k in agg.index]
    return gpd.GeoDataFrame(table, geometry=lines, crs=seg.crs)


def _group_ids(grown: np.ndarray, number: np.ndarray, names: dict[int, str]) -> list[str]:
    """Per zone (in id order): the id of the part with most heat of the area it was grown in."""
    first: dict[int, str] = {}
    for k in sorted(names, key=names.__getitem__):
        group = int(grown[np.flatnonzero(number == k)[0]])
        first.setdefault(group, names[k])
    return [
        first[int(grown[np.flatnonzero(number == k)[0]])]
        for k in sorted(names, key=names.__getitem__)
    ]


def _summary(zones: gpd.GeoDataFrame, seg: gpd.GeoDataFrame, params: ZoneParams) -> str:
    if zones.empty:
        best = float(seg[schema.LHD_MWH_PER_M_A].max()) if len(seg) else 0.0
        return (
            f"no candidate zone: no street segment reaches "
            f"{params.baseline_lhd_mwh_per_m_a:g} MWh/m/a (highest {best:.1f} MWh/m/a)"
        )
    n_pass = int(zones["passes"].sum())
    counts = zones.loc[zones["passes"], "rule"].value_counts()
    rules = ", ".join(f"{counts[r]} {r}" for r in ("stringent", "baseline") if r in counts)
    if n_pass:
        text = f"{len(zones)} candidate zone(s), {n_pass} pass ({rules})"
    else:
        # the zone with most heat stands for the rest: why even it fails
        text = (
            f"{len(zones)} candidate zone(s), none passes (largest, {zones.index[0]}: "
            f"{zones['reason'].iloc[0]})"
        )
    n_split = int((zones.groupby("group_id").size() > 1).sum())
    if n_split:
        text += f"; {n_split} area(s) over {params.max_zone_heat_mwh_per_a:,.0f} MWh/a split"
    return text


def candidate_zones(
    atlas: StreetAtlas,
    G: nx.Graph,
    *,
    params: ZoneParams | None = None,
    clusters: gpd.GeoDataFrame | None = None,
    opportunity_areas: gpd.GeoDataFrame | None = None,
) -> ZoneSet:
    """Grow candidate heat-network zones along the streets and test each against the rules.

    Parameters
    ----------
    atlas
        From :func:`heatmap.zones.atlas.street_heat_atlas` on the same graph.
    G
        The street graph the atlas was built from (its segments' ends must be its nodes).
    params
        Rules, anchor threshold, largest gap, least zone heat.
    clusters
        Building clusters (:func:`heatmap.zones.clusters.cluster_buildings`); segments with heat
        meeting the outline of a viable cluster (``viable`` true, or every cluster when the
        column is absent) qualify whatever their LHD.
    opportunity_areas
        Polygons (:func:`heatmap.zones.density.opportunity_areas`); segments with heat whose
        midpoint lies in one qualify whatever their LHD (empty streets join a zone only as the
        link across a gap).

    Returns
    -------
    zones
        See :class:`ZoneSet`; zones that fail stay in the table with their reason.

    Raises
    ------
    InputError
        If the atlas does not come from ``G``.

    Notes
    -----
    A segment qualifies when its LHD reaches ``baseline_lhd_mwh_per_m_a`` (or by a cluster or
    area). Zones join across at most ``max_gap_m`` of non-qualifying street (shortest path) and
    take in that street and its heat. A zone's LHD is its heat ÷ its street length.
    """
    params = params or ZoneParams()
    _check(atlas, G)
    seg = atlas.segments
    geoms = seg.geometry.to_numpy()
    lhd = seg[schema.LHD_MWH_PER_M_A].to_numpy(dtype=float)
    heat = seg[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(dtype=float)
    qualifying = (lhd >= params.baseline_lhd_mwh_per_m_a) & (heat > 0)
    by_cluster = _in_polygons(geoms, _viable(clusters), seg.crs, midpoint=False) & (heat > 0)
    by_area = _in_polygons(geoms, opportunity_areas, seg.crs, midpoint=True) & (heat > 0)
    qualifying |= by_cluster | by_area
    growth = grow_zones(
        seg["u"].tolist(),
        seg["v"].tolist(),
        seg[schema.LENGTH_M].to_numpy(dtype=float),
        qualifying,
        params.max_gap_m,
    )
    number = split_large_zones(
        growth.zone_of_segment,
        seg["u"].tolist(),
        seg["v"].tolist(),
        seg[schema.LENGTH_M].to_numpy(dtype=float),
        heat,
        params.max_zone_heat_mwh_per_a,
    )
    agg, names = _zone_order(seg, number)
    seg_zone = pd.Series(
        [names.get(int(k), "") for k in number], index=seg.index, name=ZONE_ID, dtype=object
    )
    assigned = atlas.assignment.copy()
    assigned[ZONE_ID] = seg_zone.reindex(assigned[schema.SEGMENT_ID]).to_numpy()
    assigned = assigned[assigned[ZONE_ID].fillna("") != ""]
    zones = _zone_table(seg, number, agg, names, assigned, params)
    zones.insert(
        len(ZONE_COLUMNS) - 1, "group_id", _group_ids(growth.zone_of_segment, number, names)
    )
    segment_zone = seg_zone[seg_zone != ""]
    building_zone = assigned[ZONE_ID].astype(object)
    summary = _summary(zones, seg, params)
    logger.info(
        "candidate zones: %d qualifying segments (%d by cluster, %d by area), %d gap joins; %s",
        int(qualifying.sum()),
        int(by_cluster.sum()),
        int(by_area.sum()),
        growth.n_bridges,
        summary,
    )
    return ZoneSet(zones, segment_zone, building_zone, summary)


def zone_table(zones: ZoneSet) -> pd.DataFrame:
    """Return the zones as a plain table (no geometry), for a CSV or the console.

    Parameters
    ----------
    zones
        From :func:`candidate_zones`.

    Returns
    -------
    table
        Index ``zone_id``; the columns of :attr:`ZoneSet.zones` without geometry, heat and
        length rounded to 1 decimal, LHD to 3.
    """
    frame = zones.zones
    table = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return table.round(
        {schema.HEAT_DEMAND_MWH_PER_A: 1, "street_length_m": 1, schema.LHD_MWH_PER_M_A: 3}
    )
