"""Parameters, class edges and colours shared by the interactive map and the figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypedDict

import geopandas as gpd
import pandas as pd
from shapely.geometry.base import BaseGeometry

__all__ = [
    "ANCHOR_COLOUR",
    "CLUSTER_COLOUR",
    "DEMAND_CLASS_EDGES_MWH_PER_A",
    "DEMAND_COLOURS",
    "DENSITY_CLASS_EDGES_MWH_PER_HA_A",
    "DENSITY_COLOURS",
    "ENERGY_CENTRE_COLOUR",
    "HEAT",
    "HNPD_STATUS_GROUPS",
    "LHD_CLASS_EDGES_MWH_PER_M_A",
    "LHD_COLOURS",
    "OPPORTUNITY_COLOURS",
    "PHASE_DASH",
    "MapLayers",
    "MapParams",
]


DENSITY_CLASS_EDGES_MWH_PER_HA_A: tuple[float, ...] = (50.0, 150.0, 333.0, 600.0, 1000.0, 2000.0)
"""Heat-density class edges, MWh/ha/yr; 333 is the Hotmaps DH-potential threshold."""

LHD_CLASS_EDGES_MWH_PER_M_A: tuple[float, ...] = (1.5, 3.0, 4.0, 8.0)
"""LHD class edges, MWh/m/yr: 3 is the Killingworth study's viability threshold; 4 and 8 are the
Scottish baseline and stringent LHD thresholds (4,000 and 8,000 kWh/m/yr)."""

DEMAND_CLASS_EDGES_MWH_PER_A: tuple[float, ...] = (25.0, 100.0, 250.0, 500.0, 1000.0)
"""Building heat-demand class edges, MWh/yr."""

LHD_COLOURS = ("#b2182b", "#ef8a62", "#fddbc7", "#67a9cf", "#2166ac")
"""One colour per LHD class, red (sparse) to blue (dense)."""

DEMAND_COLOURS = ("#ffffcc", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026")
"""One colour per building-demand class."""

DENSITY_COLOURS = ("#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603", "#7f2704")
"""One colour per heat-density class."""

PHASE_DASH: dict[int, str | None] = {1: None, 2: "8 4", 3: "2 4"}
"""Leaflet dash pattern of the route by build phase (later phases: dotted)."""

OPPORTUNITY_COLOURS = ("#e7298a", "#7570b3", "#a6761d", "#666666")
"""Outline colour of the opportunity areas of each rule, in the order the rules appear."""

CLUSTER_COLOUR = "#525252"
"""Outline of building clusters (grey: distinct from the route's LHD reds and blues)."""

ANCHOR_COLOUR = "#6a3d9a"
"""Fill of anchor-load circles."""

ENERGY_CENTRE_COLOUR = "#ffff33"
"""Fill of the energy-centre marker."""

HNPD_STATUS_GROUPS: dict[str, tuple[str, str, bool, tuple[str, ...]]] = {
    "operational": ("Operational", "#006d2c", True, ("operational",)),
    "construction": ("Under construction", "#31a354", True, ("under construction",)),
    "consented": (
        "Consented, awaiting construction",
        "#74c476",
        True,
        ("awaiting construction", "no application required"),
    ),
    "planning": (
        "In planning",
        "#bae4b3",
        True,
        ("application submitted", "revised", "no application made", "appeal lodged"),
    ),
    "refused": (
        "Refused, withdrawn or abandoned",
        "#969696",
        False,
        ("application refused", "appeal refused", "application withdrawn", "abandoned"),
    ),
}
"""HNPD development status group -> (label, colour, shown at load, lower-case statuses in it).

A status in no group is drawn with the "In planning" group's style under "Other status"."""

HEAT = "heat_demand_mwh_per_a"
"""The building demand column every layer colours by."""


class MapLayers(TypedDict, total=False):
    """Optional layers of :func:`heatmap.outputs.maps.render_map`, all in a projected CRS.

    route: route segments (``segment_id``, ``lhd_mwh_per_m_a``, ``dn``, ``phase``, ...);
    density: ``(array_mwh_per_ha_a, affine_transform, crs)`` or an object with attributes
    ``density_mwh_per_ha_a``, ``transform`` and ``crs``; opportunity_areas, clusters: polygons
    with their statistics; existing_networks: points with ``name``, ``operator``,
    ``technology``, ``status`` (e.g. DESNZ HNPD); energy_centre: a point in the buildings' CRS;
    streets: street lines with ``name`` (named streets join the search box); street_lhd: the
    street heat atlas and candidates: the candidate networks' routes (columns in
    :mod:`heatmap.outputs._map_candidates`); energy_centre_alternatives: the sites the siting
    compared (``site_id``, ``x``, ``y``, ``route_cost``, ``chosen``); zones: candidate zones
    with their streets as geometry (``passes``, heat, street length, LHD; see
    :data:`heatmap.outputs._map_zones.ZONE_POPUP_FIELDS`).
    """

    route: gpd.GeoDataFrame | None
    density: Any
    opportunity_areas: gpd.GeoDataFrame | None
    clusters: gpd.GeoDataFrame | None
    existing_networks: gpd.GeoDataFrame | None
    energy_centre: BaseGeometry | None
    streets: gpd.GeoDataFrame | None
    street_lhd: gpd.GeoDataFrame | None
    candidates: gpd.GeoDataFrame | None
    energy_centre_alternatives: pd.DataFrame | None
    zones: gpd.GeoDataFrame | None


@dataclass(frozen=True)
class MapParams:
    """How :func:`render_map` draws and lightens the map."""

    simplify_tolerance_m: float = field(
        default=0.75,
        metadata={
            "doc": "Douglas-Peucker tolerance applied in the projected CRS before reprojecting, m",
            "source": "chosen: below OSM digitising accuracy, cuts vertices ~40 % on footprints",
        },
    )
    coordinate_decimals: int = field(
        default=6,
        metadata={"doc": "decimals kept in WGS84 coordinates (6 = ~0.1 m)", "source": "chosen"},
    )
    max_building_polygons: int = field(
        default=5000,
        metadata={
            "doc": "above this many buildings, draw demand per grid cell when zoomed out",
            "source": "chosen so a town-scale map.html stays well under 10 MB",
        },
    )
    max_embedded_polygons: int = field(
        default=60000,
        metadata={
            "doc": "above this many buildings, footprints are left out and only cells are drawn",
            "source": "chosen: ~60,000 simplified footprints is about 15-20 MB of HTML",
        },
    )
    footprint_min_zoom: int = field(
        default=16,
        metadata={
            "doc": "zoom level from which footprints replace demand cells (with many buildings)",
            "source": "chosen: at zoom 16 a 100 m cell is about 40 pixels",
        },
    )
    aggregate_cell_m: float = field(
        default=100.0,
        metadata={
            "doc": "grid cell size for aggregated building demand, m",
            "source": "chosen: a city block; matches the density raster's default cell",
        },
    )
    density_opacity: float = field(
        default=0.65,
        metadata={"doc": "opacity of the heat-density overlay, 0-1", "source": "chosen"},
    )
    anchor_radius_m: tuple[float, ...] = field(
        default=(6.0, 30.0),
        metadata={
            "doc": "(smallest, largest) anchor circle radius in metres; area scales with demand",
            "source": "chosen: metres keep circles apart when zoomed out (pixels merge)",
        },
    )
    dn_weight_px: tuple[float, ...] = field(
        default=(2.0, 9.0),
        metadata={
            "doc": "(smallest, largest) route line weight in pixels by DN",
            "source": "chosen",
        },
    )

    def __post_init__(self) -> None:
        if self.simplify_tolerance_m < 0:
            msg = "simplify_tolerance_m: must be >= 0 (0 disables simplification)"
            raise ValueError(msg)
        if not 0 <= self.coordinate_decimals <= 10:
            msg = "coordinate_decimals: must be between 0 and 10 (6 keeps ~0.1 m)"
            raise ValueError(msg)
        if self.max_building_polygons < 0:
            msg = "max_building_polygons: must be >= 0"
            raise ValueError(msg)
        if self.max_embedded_polygons < self.max_building_polygons:
            msg = "max_embedded_polygons: must be >= max_building_polygons"
            raise ValueError(msg)
        if not 0 <= self.footprint_min_zoom <= 22:
            msg = "footprint_min_zoom: must be a Leaflet zoom level between 0 and 22"
            raise ValueError(msg)
        if self.aggregate_cell_m <= 0:
            msg = "aggregate_cell_m: must be > 0 metres"
            raise ValueError(msg)
        if not 0 <= self.density_opacity <= 1:
            msg = "density_opacity: must be between 0 and 1"
            raise ValueError(msg)
        for name in ("anchor_radius_m", "dn_weight_px"):
            pair = getattr(self, name)
            if len(pair) != 2 or not 0 < pair[0] <= pair[1]:
                msg = f"{name}: give two positive numbers (smallest, largest), smallest first"
                raise ValueError(msg)
