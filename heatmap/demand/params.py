"""Parameters of the demand stage (the scenario's ``[demand]`` table)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from heatmap._params import param_field
from heatmap.demand import benchmarks as tables
from heatmap.errors import InputError
from heatmap.ingest.weather import regional_hdd

logger = logging.getLogger(__name__)

__all__ = ["SINGLE_VOLUME_BUILDING_TYPES", "UNHEATED_BUILDING_TYPES", "DemandParams"]

#: ``building=*`` values that carry no heat demand: agricultural, storage, technical, unenclosed
#: or unfinished buildings (the default of ``[demand] unheated_building_types``).
UNHEATED_BUILDING_TYPES: tuple[str, ...] = (
    "air_shaft",
    "barn",
    "boathouse",
    "bridge",
    "bunker",
    "carport",
    "conservatory",
    "construction",
    "container",
    "cowshed",
    "digester",
    "farm_auxiliary",
    "garage",
    "garages",
    "glasshouse",
    "grandstand",
    "greenhouse",
    "hut",
    "kiosk",
    "no",
    "outbuilding",
    "roof",
    "ruins",
    "service",
    "shed",
    "shelter",
    "silo",
    "slurry_tank",
    "stable",
    "storage_tank",
    "sty",
    "tent",
    "toilets",
    "transformer_tower",
    "ventilation_shaft",
    "water_tower",
)
#: ``building=*`` values that are one tall storey whatever their height (a nave, a hall, a shed;
#: the default of ``[demand] single_volume_building_types``).
SINGLE_VOLUME_BUILDING_TYPES: tuple[str, ...] = (
    "cathedral",
    "chapel",
    "church",
    "hangar",
    "mosque",
    "religious",
    "riding_hall",
    "shrine",
    "sports_hall",
    "synagogue",
    "temple",
    "warehouse",
)


@dataclass(frozen=True)
class DemandParams:
    """Parameters of the demand stage (scenario table ``[demand]``)."""

    region: str = param_field(
        "Thames Valley",
        "CIBSE TM46 degree-day region of the site (heatmap/data/tm46_regional_hdd.csv)",
        "TM46:2008 regions; Thames Valley covers London",
    )
    degree_days_k_day: float | None = param_field(
        None,
        "site heating degree days base 15.5 C (K day/a); overrides the region",
        "not set: the region's TM46 20-year value is used",
    )
    floor_height_m: float = param_field(
        3.0,
        "storey height to turn height_m into floors (m)",
        "typical UK storey height",
    )
    min_footprint_m2: float = param_field(
        20.0,
        "footprints below this carry no demand unless metered (m2)",
        "project default: sheds, garages and kiosks",
    )
    default_age_band: Literal["G", "A", "B", "C", "D", "E", "F"] = param_field(
        "C",
        "Table 38 age band where no construction year or start_date is known "
        "(G pre-1900, A 1900-29, B 1930-49, C 1950-66, D 1967-82, E 1983-95, F post-1996)",
        "project default; bands A-C share the same Table 38 benchmarks",
    )
    untagged_use: Literal["domestic", "non_domestic"] = param_field(
        "domestic",
        "use of buildings whose tags name no use (building=yes)",
        "project default: most untagged UK buildings are houses; use "
        "non_domestic for commercial centres",
    )
    untagged_tm46_category: str = param_field(
        "General office",
        "TM46 category of untagged buildings when untagged_use is non_domestic",
        "project default",
    )
    flat_min_floors: int = param_field(
        3,
        "untyped domestic buildings (building=yes/residential) with at least this "
        "many floors are blocks of flats",
        "project default",
    )
    shared_wall_tolerance_m: float = param_field(
        0.5,
        "gap still treated as a shared wall (m)",
        "project default",
    )
    min_shared_wall_m: float = param_field(
        2.0,
        "shortest shared boundary that counts as a party wall (m)",
        "project default",
    )
    anchor_threshold_mwh_per_a: float = param_field(
        500.0,
        "annual demand from which a building is an anchor load (MWh/a)",
        "Scotland heat network zoning: anchor load > 500 MWh/yr",
    )
    domestic_hot_water_share: float = param_field(
        0.2,
        "share of domestic annual heat used for hot water (0-1)",
        "DESNZ Energy Consumption in the UK, domestic end use: water heating is "
        "about a fifth of space plus water heating",
    )
    non_domestic_hot_water_share: float = param_field(
        0.1,
        "share of non-domestic annual heat used for hot water (0-1)",
        "project assumption; set per site where known",
    )
    peak_method: Literal["full_load_hours", "thermos_regression"] = param_field(
        "full_load_hours",
        "per-building peak: annual / full-load hours by use, or THERMOS "
        "kWp = 0.0004963 kWh/a + 21.84",
        "full-load hours from Killingworth study Tables 14/16/18",
    )
    default_floors: Mapping[str, float] = param_field(
        {},
        "overrides of the default floors by building tag ('*' = any other)",
        "heatmap/data/demand_default_floors.csv",
    )

    domestic_floor_height_m: float = param_field(
        2.8,
        "storey height to turn height_m into floors of a domestic building (m); "
        "floor_height_m is used for the others",
        "typical UK dwelling floor-to-floor height (2.4-2.6 m ceilings plus the floor)",
    )
    single_volume_building_types: tuple[str, ...] = param_field(
        SINGLE_VOLUME_BUILDING_TYPES,
        "building=* values that are one tall storey (a nave, a hall, a shed): one floor of their "
        "height unless building:levels is tagged",
        "project list from the OSM building=* values of halls and places of worship",
    )
    unheated_building_types: tuple[str, ...] = param_field(
        UNHEATED_BUILDING_TYPES,
        "building=* values that carry no heat demand (excluded with a reason)",
        "project list from the OSM building=* values of agricultural, storage, technical and "
        "unenclosed buildings",
    )
    max_house_footprint_m2: float = param_field(
        300.0,
        "an untagged footprint larger than this is not a house: it becomes non-domestic and is "
        "flagged (m2)",
        "project default: 3x the largest common UK detached-house footprints (~100 m2)",
    )
    poi_max_floors: float = param_field(
        2.0,
        "a point of interest inside an untagged building gives it its use only up to this many "
        "tagged floors",
        "project default: shops and pubs occupy ground floors; taller buildings are mixed use",
    )
    poi_max_footprint_m2: float = param_field(
        5000.0,
        "... and only up to this footprint (m2)",
        "project default: a large store; larger footprints are centres or mixed blocks",
    )
    large_low_rise_tm46_category: str = param_field(
        "Storage facility",
        "TM46 category of a large untagged footprint below flat_min_floors floors (sheds, "
        "depots, factories); taller ones take untagged_tm46_category",
        "project default",
    )
    max_dwelling_floor_area_m2: float = param_field(
        300.0,
        "a domestic building (not flats) with more floor area than this is not one house: it "
        "is counted as floor area / house_floor_area_m2 houses (m2)",
        "project default; keeps any single dwelling well below 100 MWh/a at Table 38 benchmarks",
    )
    house_floor_area_m2: float = param_field(
        100.0,
        "gross floor area of one house, to count the houses of a terrace row or an oversized "
        "outline (m2)",
        "English Housing Survey: mean usable floor area of houses about 95 m2",
    )
    flat_floor_area_m2: float = param_field(
        65.0,
        "typical net floor area of one flat (m2)",
        "English Housing Survey: mean usable floor area of flats about 60-70 m2",
    )
    flat_benchmark_kwh_per_m2_a: float | None = param_field(
        128.0,
        "heat benchmark of flats per m2 of gross floor area, at the domestic reference region's "
        "degree days (kWh/m2/a); unset: the study's Table 38 flat values (40-44), which are "
        "modelled for Killingworth's low-rise flats and give about 3 MWh a flat",
        "calibrated: Wang et al. (2018) measured 10.4 MWh of heat a year per UK flat; "
        "10,400 kWh / (65 m2 / 0.8 net-to-gross) = 128 kWh/m2",
    )
    flat_net_to_gross: float = param_field(
        0.8,
        "net (usable) share of a block of flats' gross floor area (0-1)",
        "project default (common parts, walls and cores take about a fifth)",
    )
    max_plausible_floors: float = param_field(
        60.0,
        "more floors than this is flagged as implausible",
        "project default: the tallest UK buildings have about 70 storeys",
    )
    domestic_reference_region: str = param_field(
        "North Eastern",
        "TM46 region whose degree days the domestic benchmarks (study Table 38) belong to",
        "Killingworth study (North Tyneside): TM46 North Eastern",
    )
    domestic_degree_day_fraction: float = param_field(
        0.8,
        "share of a domestic benchmark that scales with heating degree days (0-1); the rest is "
        "hot water",
        "1 - domestic hot-water share (DESNZ Energy Consumption in the UK)",
    )

    def __post_init__(self) -> None:
        if self.floor_height_m <= 0:
            msg = "floor_height_m: must be positive (e.g. 3.0)"
            raise ValueError(msg)
        if self.min_footprint_m2 < 0:
            msg = "min_footprint_m2: must be zero or positive"
            raise ValueError(msg)
        if self.degree_days_k_day is not None and self.degree_days_k_day < 0:
            msg = "degree_days_k_day: must be zero or positive"
            raise ValueError(msg)
        for name in ("domestic_hot_water_share", "non_domestic_hot_water_share"):
            if not 0.0 <= getattr(self, name) < 1.0:
                msg = f"{name}: must be in [0, 1)"
                raise ValueError(msg)
        if self.untagged_tm46_category not in tables.tm46_benchmarks().index:
            msg = (
                f"untagged_tm46_category: {self.untagged_tm46_category!r} is not a TM46 category; "
                f"choose one of {', '.join(tables.tm46_benchmarks().index)}"
            )
            raise ValueError(msg)
        if self.anchor_threshold_mwh_per_a < 0 or self.min_shared_wall_m < 0:
            msg = "anchor_threshold_mwh_per_a / min_shared_wall_m: must be zero or positive"
            raise ValueError(msg)
        if any(v <= 0 for v in self.default_floors.values()):
            msg = "default_floors: every value must be positive"
            raise ValueError(msg)
        self._check_building_rules()

    def _check_building_rules(self) -> None:
        for name in ("flat_net_to_gross", "domestic_degree_day_fraction"):
            if not 0.0 < getattr(self, name) <= 1.0:
                msg = f"{name}: must be in (0, 1]"
                raise ValueError(msg)
        if self.flat_benchmark_kwh_per_m2_a is not None and not (
            0.0 < self.flat_benchmark_kwh_per_m2_a <= 1000.0
        ):
            msg = "flat_benchmark_kwh_per_m2_a: must be in (0, 1000] kWh/m2/a, or unset"
            raise ValueError(msg)
        for name in (
            "domestic_floor_height_m",
            "max_house_footprint_m2",
            "max_dwelling_floor_area_m2",
            "house_floor_area_m2",
            "flat_floor_area_m2",
            "max_plausible_floors",
        ):
            if getattr(self, name) <= 0:
                msg = f"{name}: must be positive"
                raise ValueError(msg)
        if self.large_low_rise_tm46_category not in tables.tm46_benchmarks().index:
            msg = (
                f"large_low_rise_tm46_category: {self.large_low_rise_tm46_category!r} is not a "
                f"TM46 category; choose one of {', '.join(tables.tm46_benchmarks().index)}"
            )
            raise ValueError(msg)
        try:
            regional_hdd(self.region)
            regional_hdd(self.domestic_reference_region)
        except InputError as exc:
            msg = f"region / domestic_reference_region: {exc}"
            raise ValueError(msg) from exc
