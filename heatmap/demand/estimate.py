"""Annual and peak heat demand per building, anchor loads, diversity and hourly profiles.

The method (DESIGN §4):

* floors from ``building_levels`` (minus ``building_min_level``), else ``height_m`` / floor
  height, else a default by building type (``heatmap/data/demand_default_floors.csv``); gross
  floor area = footprint × floors (a given ``gross_floor_area_m2`` wins);
* use from OSM tags via ``heatmap/data/demand_osm_tag_category.csv``; sheds, garages, roofs and
  footprints below the minimum are excluded with a reason;
* domestic demand = floor area × study Table 38 benchmark by property type and age band; the
  property type comes from the tag, else from shared walls found with a spatial index;
* non-domestic demand = floor area × CIBSE TM46 fossil-thermal benchmark × the TM46 degree-day
  correction ``(1 − f) + f × HDD_site / 2021``;
* a known-demand (metered) layer wins over modelled values;
* peak = annual ÷ full-load hours by use, or the THERMOS regression.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatmap.demand import benchmarks as tables
from heatmap.demand.benchmarks import domestic_benchmark_kwh_per_m2
from heatmap.demand.profiles import HourlyProfile, hourly_profile, hourly_profile_kw
from heatmap.errors import CRSError, InputError
from heatmap.ingest.demand_layer import join_demand_layer, read_demand_layer, validate_demand_layer
from heatmap.ingest.weather import HOURS_PER_YEAR, Weather, regional_hdd
from heatmap.schema import (
    DEMAND_METHOD,
    DEMAND_SOURCE,
    EXCLUSION_REASON,
    FLOORS,
    FLOORS_SOURCE,
    FOOTPRINT_AREA_M2,
    GROSS_FLOOR_AREA_M2,
    HEAT_DEMAND_MWH_PER_A,
    IS_ANCHOR,
    NAME,
    OWNERSHIP,
    PEAK_LOAD_KW,
    PROPERTY_TYPE,
    TM46_CATEGORY,
    USE,
    BuildingUse,
    DemandSource,
)

__all__ = [
    "DemandParams",
    "HourlyProfile",
    "anchor_loads",
    "degree_day_factor",
    "demand_summary",
    "diversified_peak_kw",
    "diversity_factor",
    "domestic_benchmark_kwh_per_m2",
    "estimate_demand",
    "group_profile_kw",
    "hourly_profile",
    "hourly_profile_kw",
    "read_demand_layer",
    "validate_demand_layer",
]

logger = logging.getLogger(__name__)

THERMOS_PEAK_SLOPE_KW_PER_KWH = 0.0004963
THERMOS_PEAK_INTERCEPT_KW = 21.84


@dataclass(frozen=True)
class DemandParams:
    """Parameters of the demand stage (scenario table ``[demand]``)."""

    region: str = field(
        default="Thames Valley",
        metadata={
            "doc": "CIBSE TM46 degree-day region of the site (heatmap/data/tm46_regional_hdd.csv)",
            "source": "TM46:2008 regions; Thames Valley covers London",
        },
    )
    degree_days_k_day: float | None = field(
        default=None,
        metadata={
            "doc": "site heating degree days base 15.5 C (K day/a); overrides the region",
            "source": "not set: the region's TM46 20-year value is used",
        },
    )
    floor_height_m: float = field(
        default=3.0,
        metadata={"doc": "storey height to turn height_m into floors (m)", "source": "DESIGN §4"},
    )
    min_footprint_m2: float = field(
        default=20.0,
        metadata={
            "doc": "footprints below this carry no demand unless metered (m2)",
            "source": "DESIGN §4",
        },
    )
    default_age_band: Literal["G", "A", "B", "C", "D", "E", "F"] = field(
        default="C",
        metadata={
            "doc": "Table 38 age band where no construction year or start_date is known "
            "(G pre-1900, A 1900-29, B 1930-49, C 1950-66, D 1967-82, E 1983-95, F post-1996)",
            "source": "project default; bands A-C share the same Table 38 benchmarks",
        },
    )
    untagged_use: Literal["domestic", "non_domestic"] = field(
        default="domestic",
        metadata={
            "doc": "use of buildings whose tags name no use (building=yes)",
            "source": "project default: most untagged UK buildings are houses; use "
            "non_domestic for commercial centres",
        },
    )
    untagged_tm46_category: str = field(
        default="General office",
        metadata={
            "doc": "TM46 category of untagged buildings when untagged_use is non_domestic",
            "source": "project default",
        },
    )
    flat_min_floors: int = field(
        default=3,
        metadata={
            "doc": "untyped domestic buildings (building=yes/residential) with at least this "
            "many floors are blocks of flats",
            "source": "project default",
        },
    )
    shared_wall_tolerance_m: float = field(
        default=0.5,
        metadata={"doc": "gap still treated as a shared wall (m)", "source": "project default"},
    )
    min_shared_wall_m: float = field(
        default=2.0,
        metadata={
            "doc": "shortest shared boundary that counts as a party wall (m)",
            "source": "project default",
        },
    )
    anchor_threshold_mwh_per_a: float = field(
        default=500.0,
        metadata={
            "doc": "annual demand from which a building is an anchor load (MWh/a)",
            "source": "Scotland heat network zoning: anchor load > 500 MWh/yr",
        },
    )
    domestic_hot_water_share: float = field(
        default=0.2,
        metadata={
            "doc": "share of domestic annual heat used for hot water (0-1)",
            "source": "DESNZ Energy Consumption in the UK, domestic end use: water heating is "
            "about a fifth of space plus water heating",
        },
    )
    non_domestic_hot_water_share: float = field(
        default=0.1,
        metadata={
            "doc": "share of non-domestic annual heat used for hot water (0-1)",
            "source": "project assumption; set per site where known",
        },
    )
    peak_method: Literal["full_load_hours", "thermos_regression"] = field(
        default="full_load_hours",
        metadata={
            "doc": "per-building peak: annual / full-load hours by use, or THERMOS "
            "kWp = 0.0004963 kWh/a + 21.84",
            "source": "DESIGN §4; full-load hours from Killingworth study Tables 14/16/18",
        },
    )
    default_floors: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "doc": "overrides of the default floors by building tag ('*' = any other)",
            "source": "heatmap/data/demand_default_floors.csv",
        },
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
        try:
            regional_hdd(self.region)
        except InputError as exc:
            msg = f"region: {exc}"
            raise ValueError(msg) from exc


def degree_day_factor(fraction: float | np.ndarray, hdd_site: float) -> float | np.ndarray:
    """Return the TM46 degree-day correction ``(1 − f) + f × HDD_site / 2021``.

    Parameters
    ----------
    fraction
        The category's fossil-thermal degree-day fraction f.
    hdd_site
        Site heating degree days, base 15.5 °C (K·day/a).

    Returns
    -------
    factor
        Multiplier on the TM46 benchmark (1 at the reference 2,021 degree days).

    Examples
    --------
    A General office (f = 0.55) in the Thames Valley (1,709 degree days):

    >>> round(degree_day_factor(0.55, 1709.0), 3)
    0.915
    >>> degree_day_factor(0.55, 2021.0)
    1.0
    """
    f = np.asarray(fraction, dtype=float)
    out = (1.0 - f) + f * hdd_site / tables.REFERENCE_HDD_K_DAY
    return float(out) if out.ndim == 0 else out


def _lower(values: pd.Series) -> np.ndarray:
    """Lower-cased, stripped strings ("" where missing), computed once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned = np.array([str(u).strip().lower() for u in uniques] + [""], dtype=object)
    return np.asarray(cleaned[codes], dtype=object)


def _compose(parts: list[np.ndarray], fmt: Callable[..., str], rows: np.ndarray) -> np.ndarray:
    """Format one string per row from a few categorical parts, once per distinct combination."""
    out = np.full(len(rows), "", dtype=object)
    if not rows.any():
        return out
    sub = [np.asarray(p)[rows] for p in parts]
    codes = [pd.factorize(p)[0] for p in sub]
    combined = np.zeros(len(sub[0]), dtype=np.int64)
    for c in codes:
        combined = combined * (int(c.max()) + 2) + c + 1
    _, first, inv = np.unique(combined, return_index=True, return_inverse=True)
    labels = np.array([fmt(*(p[i] for p in sub)) for i in first], dtype=object)
    out[rows] = labels[inv]
    return out


def _floors(
    frame: gpd.GeoDataFrame, tag: np.ndarray, params: DemandParams
) -> tuple[np.ndarray, np.ndarray]:
    levels = tables.column(frame, "building_levels", numeric=True).to_numpy()
    min_level = tables.column(frame, "building_min_level", numeric=True).to_numpy()
    above = levels - np.clip(np.nan_to_num(min_level, nan=0.0), 0.0, None)
    height = tables.column(frame, "height_m", numeric=True).to_numpy()
    from_height = np.maximum(1.0, np.round(height / params.floor_height_m))
    defaults = tables.default_floors_table().set_index("building_tag")["floors"].to_dict()
    defaults.update(params.default_floors)
    fallback = float(defaults.get("*", 2.0))
    default = pd.Series(tag).map(defaults).astype(float).fillna(fallback).to_numpy()
    use_levels = np.isfinite(above) & (above > 0)
    use_height = ~use_levels & np.isfinite(height) & (height > 0)
    floors = np.where(use_levels, above, np.where(use_height, from_height, default))
    source = np.where(use_levels, "levels", np.where(use_height, "height", "default"))
    return floors.astype(float), source.astype(object)


def _property_type(
    use: np.ndarray,
    tagged: np.ndarray,
    floors: np.ndarray,
    tag: np.ndarray,
    walls: tuple[np.ndarray, np.ndarray, np.ndarray],
    params: DemandParams,
) -> np.ndarray:
    n_nb, _, nb_min = walls
    by_walls = np.where(
        n_nb == 0,
        "detached",
        np.where(
            n_nb >= 2,
            "mid_terrace",
            np.where(nb_min == 1, "semi_detached", "end_terrace"),
        ),
    )
    terrace = np.where(n_nb == 1, "end_terrace", "mid_terrace")
    block = ((tag == "yes") | (tag == "residential") | (tag == "")) & (
        floors >= params.flat_min_floors
    )
    out = np.where(
        tagged == "terrace",
        terrace,
        np.where(tagged != "", tagged, np.where(block, "flat", by_walls)),
    )
    return np.where(use == BuildingUse.DOMESTIC.value, out, "").astype(object)


def estimate_demand(
    buildings: gpd.GeoDataFrame,
    *,
    params: DemandParams | None = None,
    demand_layer: pd.DataFrame | None = None,
    degree_days: float | None = None,
) -> gpd.GeoDataFrame:
    """Estimate annual and peak heat demand for every building.

    Parameters
    ----------
    buildings
        Footprints in a projected metric CRS, indexed by ``building_id``; any of the ingest
        columns (``footprint_area_m2``, ``building_tag``, ``amenity``, ``shop``, ``office``,
        ``leisure``, ``tourism``, ``healthcare``, ``building_levels``, ``building_min_level``,
        ``height_m``, ``start_date``, ``construction_year``, ``name``) may be missing. Optional
        ``gross_floor_area_m2`` (known floor area) and ``benchmark_kwh_per_m2_a`` (known
        benchmark) win over the modelled values row by row.
    params
        Stage parameters (default :class:`DemandParams`).
    demand_layer
        Known (metered) demand, see :func:`read_demand_layer`; joined by id or location and
        winning over modelled values.
    degree_days
        Site heating degree days (base 15.5 °C); overrides ``params``.

    Returns
    -------
    buildings
        A copy with ``floors``, ``floors_source`` (levels/height/default/given),
        ``gross_floor_area_m2``, ``use``, ``property_type``, ``tm46_category``, ``age_band``,
        ``benchmark_kwh_per_m2_a``, ``n_shared_walls``, ``shared_wall_length_m``,
        ``heat_demand_mwh_per_a``, ``peak_load_kw``, ``demand_source``, ``demand_method``,
        ``exclusion_reason`` ("" if included), ``is_anchor`` and, where the layer gives them,
        ``ownership`` and ``name``.

    Notes
    -----
    Table 38 has no value for pre-1900 detached houses and flats; those use the 1900-1929
    value and say so in ``demand_method``. Domestic benchmarks are not degree-day corrected
    (Table 38 is the study's own, North-East England figure).

    Examples
    --------
    A 1,000 m2 office (250 m2 x 4 floors) and a 1930s detached house (80 m2 x 2 floors), at
    TM46's reference 2,021 degree days:

    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> buildings = gpd.GeoDataFrame(
    ...     {"building_tag": ["office", "house"], "building_levels": [4, 2],
    ...      "construction_year": [1990, 1935]},
    ...     geometry=[box(0, 0, 25, 10), box(100, 0, 108, 10)],
    ...     index=pd.Index(["way/1", "way/2"], name="building_id"), crs="EPSG:27700")
    >>> out = estimate_demand(buildings, degree_days=2021.0)
    >>> cols = ["use", "gross_floor_area_m2", "heat_demand_mwh_per_a", "peak_load_kw"]
    >>> print(out[cols].round(1).to_string())  # doctest: +NORMALIZE_WHITESPACE
                          use  gross_floor_area_m2  heat_demand_mwh_per_a  peak_load_kw
    building_id
    way/1        non_domestic               1000.0                  120.0         104.8
    way/2            domestic                160.0                   21.1          10.9

    The office is TM46's 120 kWh/m2 (120 MWh/a); the house Table 38's 132 kWh/m2 for a
    1930-1949 detached house. ``buildings`` itself is unchanged:

    >>> "heat_demand_mwh_per_a" in buildings.columns
    False
    """
    params = params or DemandParams()
    if buildings.crs is not None and buildings.crs.is_geographic:
        msg = (
            f"buildings are in geographic CRS {buildings.crs.to_string()}; project them to a "
            "metric CRS first (e.g. EPSG:27700 in Great Britain)"
        )
        raise CRSError(msg)
    if not buildings.index.is_unique:
        dup = buildings.index[buildings.index.duplicated()].unique()[:10].tolist()
        msg = f"building ids are not unique (e.g. {dup}); give each building its own id"
        raise InputError(msg)
    out = buildings.copy()
    n = len(out)
    geoms = out.geometry.to_numpy()
    footprint = tables.column(out, FOOTPRINT_AREA_M2, numeric=True).to_numpy()
    missing_fp = ~np.isfinite(footprint)
    if missing_fp.any():
        footprint = np.where(missing_fp, shapely.area(geoms), footprint)
    tag = _lower(tables.column(out, "building_tag"))

    floors, floors_source = _floors(out, tag, params)
    given_gfa = tables.column(buildings, GROSS_FLOOR_AREA_M2, numeric=True).to_numpy()
    has_gfa = np.isfinite(given_gfa) & (given_gfa > 0)
    gfa = np.where(has_gfa, given_gfa, footprint * floors)
    floors_source[has_gfa] = "given"

    classes = tables.classify_tags(
        out, untagged_use=params.untagged_use, untagged_category=params.untagged_tm46_category
    )
    use = classes[USE].to_numpy(dtype=object).copy()
    tagged = classes["tag_property_type"].to_numpy(dtype=object)
    cat = classes["tm46_category"].to_numpy(dtype=object)
    reason = classes["exclusion_reason"].to_numpy(dtype=object).copy()
    no_geom = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    reason[(reason == "") & no_geom & ~has_gfa] = "no footprint geometry"
    tiny = (reason == "") & (footprint < params.min_footprint_m2) & ~has_gfa
    reason[tiny] = f"footprint below {params.min_footprint_m2:g} m2"
    excluded = reason != ""

    # Shared walls only matter for domestic buildings whose type the tags do not give.
    needs_walls = (use == BuildingUse.DOMESTIC.value) & np.isin(tagged, ["", "terrace"]) & ~excluded
    walls = tables.shared_walls(
        np.asarray(np.where(excluded, None, geoms), dtype=object),
        tolerance_m=params.shared_wall_tolerance_m,
        min_length_m=params.min_shared_wall_m,
        candidates=needs_walls,
    )
    ptype = _property_type(use, tagged, floors, tag, walls, params)

    year = tables.column(out, "construction_year", numeric=True)
    if year.isna().any():
        year = year.fillna(tables.year_from_start_date(tables.column(out, "start_date")))
    band = tables.age_band_from_year(year).to_numpy(dtype=object).copy()
    band[band == ""] = params.default_age_band

    # Domestic benchmarks (Table 38), with the 1900-1929 value where Table 38 prints N/A.
    t38 = tables.domestic_benchmarks()
    t38_map = dict(
        zip(
            t38["age_band"] + "|" + t38["property_type"],
            t38["benchmark_kwh_per_m2_a"],
            strict=True,
        )
    )
    dom_bm = pd.Series(band + "|" + ptype).map(t38_map).astype(float).to_numpy(copy=True)
    na_cell = np.isnan(dom_bm) & (ptype != "")
    if na_cell.any():
        dom_bm[na_cell] = pd.Series("A|" + ptype[na_cell]).map(t38_map).to_numpy(dtype=float)

    hdd = degree_days if degree_days is not None else params.degree_days_k_day
    hdd = float(hdd) if hdd is not None else regional_hdd(params.region)
    tm46 = tables.tm46_benchmarks()
    cat_s = pd.Series(cat)
    fossil = cat_s.map(tm46["fossil_thermal_kwh_per_m2_a"]).astype(float).to_numpy()
    frac = cat_s.map(tm46["degree_day_fraction"]).astype(float).fillna(0.0).to_numpy()
    factor = np.asarray(degree_day_factor(frac, hdd))

    use[excluded] = BuildingUse.EXCLUDED.value
    is_dom = use == BuildingUse.DOMESTIC.value
    is_nd = use == BuildingUse.NON_DOMESTIC.value
    benchmark = np.where(is_dom, dom_bm, np.where(is_nd, fossil * factor, np.nan))
    given_bm = tables.column(buildings, "benchmark_kwh_per_m2_a", numeric=True).to_numpy()
    has_bm = np.isfinite(given_bm) & (given_bm >= 0) & ~excluded
    benchmark[has_bm] = given_bm[has_bm]
    heat = np.where(excluded, 0.0, benchmark * gfa / 1000.0)

    method = _compose(
        [ptype, band, na_cell, floors_source],
        lambda p, b, na, f: (
            f"Table 38 {p} band {b}{' (N/A: 1900-1929 value)' if na else ''}; floors from {f}"
        ),
        is_dom & ~has_bm,
    )
    nd_method = _compose(
        [cat, floors_source],
        lambda c, f: f"TM46 {c} x degree-day factor (HDD {hdd:g}); floors from {f}",
        is_nd & ~has_bm,
    )
    method = np.where(is_nd & ~has_bm, nd_method, method)
    bm_method = _compose(
        [floors_source], lambda f: f"given benchmark_kwh_per_m2_a; floors from {f}", has_bm
    )
    method = np.where(has_bm, bm_method, method)
    ex_method = _compose([reason], lambda r: f"excluded: {r}", excluded)
    method = np.where(excluded, ex_method, method)
    source = np.where(excluded, DemandSource.EXCLUDED.value, DemandSource.BENCHMARK.value)
    source = source.astype(object)
    peak = _peak_kw(heat, use, cat, params)

    if demand_layer is not None:
        label = str(getattr(demand_layer, "attrs", {}).get("source", "<demand layer>"))
        matched = join_demand_layer(out, demand_layer, source=label)
        pos = out.index.get_indexer(matched.index)
        heat[pos] = matched[HEAT_DEMAND_MWH_PER_A].to_numpy()
        was_excl = excluded[pos]
        use[pos[was_excl]] = np.where(
            classes[USE].to_numpy(dtype=object)[pos[was_excl]] == BuildingUse.EXCLUDED.value,
            BuildingUse.NON_DOMESTIC.value,
            classes[USE].to_numpy(dtype=object)[pos[was_excl]],
        )
        fill = _peak_kw(heat[pos], use[pos], cat[pos], params)
        mpeak = matched[PEAK_LOAD_KW].to_numpy(dtype=float)
        peak[pos] = np.where(np.isfinite(mpeak), mpeak, fill)
        source[pos] = DemandSource.METERED.value
        method[pos] = ("demand layer row(s) " + matched["layer_rows"].astype(str)).to_numpy()
        reason[pos] = ""
        if matched["ownership"].notna().any():
            own = np.full(n, None, dtype=object)
            own[pos] = matched["ownership"].to_numpy(dtype=object)
            out[OWNERSHIP] = own
        has_name = matched["name"].notna().to_numpy()
        if has_name.any():
            names = tables.column(out, NAME).to_numpy(dtype=object).copy()
            names[pos[has_name]] = matched["name"].to_numpy(dtype=object)[has_name]
            out[NAME] = names

    is_nd = use == BuildingUse.NON_DOMESTIC.value
    new_cols = {
        FOOTPRINT_AREA_M2: footprint,
        FLOORS: floors,
        FLOORS_SOURCE: floors_source,
        GROSS_FLOOR_AREA_M2: gfa,
        USE: use,
        PROPERTY_TYPE: ptype,
        TM46_CATEGORY: np.where(is_nd, cat, "").astype(object),
        "age_band": np.where(use == BuildingUse.DOMESTIC.value, band, "").astype(object),
        "benchmark_kwh_per_m2_a": benchmark,
        "n_shared_walls": walls[0],
        "shared_wall_length_m": walls[1],
        HEAT_DEMAND_MWH_PER_A: heat.astype(float),
        PEAK_LOAD_KW: peak.astype(float),
        DEMAND_SOURCE: source,
        DEMAND_METHOD: method,
        EXCLUSION_REASON: reason,
        IS_ANCHOR: heat >= params.anchor_threshold_mwh_per_a,
    }
    keep = out.drop(columns=[c for c in new_cols if c in out.columns])
    result = pd.concat([keep, pd.DataFrame(new_cols, index=out.index)], axis=1)
    result = gpd.GeoDataFrame(result, geometry=out.geometry.name, crs=out.crs)
    logger.info(
        "demand: %d buildings, %d excluded, %.0f MWh/a, floors known for %d",
        n,
        int(excluded.sum()),
        float(heat.sum()),
        int((floors_source != "default").sum()),
    )
    return result


def _peak_kw(
    heat: np.ndarray, use: np.ndarray, cat: np.ndarray, params: DemandParams
) -> np.ndarray:
    kwh = np.asarray(heat, dtype=float) * 1000.0
    if params.peak_method == "thermos_regression":
        peak = THERMOS_PEAK_SLOPE_KW_PER_KWH * kwh + THERMOS_PEAK_INTERCEPT_KW
        return np.where(kwh > 0, peak, 0.0)
    flh = tables.full_load_hours_table().set_index("category")["full_load_hours_h_per_a"]
    hours = pd.Series(cat).map(flh).astype(float)
    hours = hours.fillna(pd.Series(use).map(flh).astype(float)).fillna(float(flh["non_domestic"]))
    return np.where(kwh > 0, kwh / hours.to_numpy(), 0.0)


def diversity_factor(n: float | np.ndarray) -> float | np.ndarray:
    """Return the THERMOS diversity factor ``f(n) = 0.62 + 0.38 / n``.

    Parameters
    ----------
    n
        Number of connected buildings (>= 1).

    Returns
    -------
    factor
        1 for one building, tending to 0.62 for many.

    Examples
    --------
    >>> diversity_factor(1)
    1.0
    >>> diversity_factor(np.array([2, 100])).round(4).tolist()
    [0.81, 0.6238]
    """
    arr = np.asarray(n, dtype=float)
    if np.any(arr < 1):
        msg = f"diversity_factor: number of buildings must be >= 1, got {n!r}"
        raise InputError(msg)
    out = 0.62 + 0.38 / arr
    return float(out) if out.ndim == 0 else out


def diversified_peak_kw(peak_kw: np.ndarray | pd.Series | list[float]) -> float:
    """Return the diversified peak of a group: ``f(n) × Σ peaks`` over buildings with a peak.

    Parameters
    ----------
    peak_kw
        Undiversified peak load of each building (kW); zeros and NaN are not counted in n.

    Returns
    -------
    peak
        Diversified group peak (kW); 0 for an empty group.

    Examples
    --------
    Two 100 kW buildings (the zero and the NaN are not counted): 0.81 x 200 kW.

    >>> round(diversified_peak_kw([100.0, 100.0, 0.0, float("nan")]), 6)
    162.0
    >>> diversified_peak_kw([])
    0.0
    """
    p = np.asarray(peak_kw, dtype=float)
    p = p[np.isfinite(p) & (p > 0)]
    if p.size == 0:
        return 0.0
    return float(diversity_factor(p.size) * p.sum())


def group_profile_kw(
    buildings: pd.DataFrame, *, weather: Weather, params: DemandParams | None = None
) -> np.ndarray:
    """Return the 8,760-hour load of a group of buildings (kW).

    Parameters
    ----------
    buildings
        Rows of :func:`estimate_demand` output forming the group (e.g. one cluster).
    weather
        Hourly temperatures (:func:`heatmap.ingest.weather.read_epw` or ``synthetic_weather``).
    params
        Supplies the hot-water shares by use.

    Returns
    -------
    load_kw
        Sums to the group's annual demand and peaks at its diversified peak
        (:func:`diversified_peak_kw`); daily shapes and hot-water share are mixed by the
        domestic share of the group's heat.

    Examples
    --------
    >>> from heatmap.ingest.weather import synthetic_weather
    >>> group = pd.DataFrame({"heat_demand_mwh_per_a": [120.0, 21.12],
    ...                       "peak_load_kw": [104.8, 10.9],
    ...                       "use": ["non_domestic", "domestic"]})
    >>> load = group_profile_kw(group, weather=synthetic_weather())
    >>> len(load), round(float(load.sum()) / 1000, 2)  # hours, MWh/a
    (8760, 141.12)
    >>> round(float(load.max()), 1)  # kW: the diversified peak, 0.81 x (104.8 + 10.9)
    93.7
    """
    params = params or DemandParams()
    heat = buildings[HEAT_DEMAND_MWH_PER_A].to_numpy(dtype=float)
    total = float(np.nansum(heat))
    if total <= 0:
        return np.zeros(HOURS_PER_YEAR)
    dom = float(np.nansum(heat[(buildings[USE] == BuildingUse.DOMESTIC.value).to_numpy()]))
    share = dom / total
    hw = share * params.domestic_hot_water_share + (1 - share) * (
        params.non_domestic_hot_water_share
    )
    peak = max(diversified_peak_kw(buildings[PEAK_LOAD_KW]), total * 1000.0 / HOURS_PER_YEAR)
    return hourly_profile_kw(total, peak, weather=weather, domestic_share=share, hot_water_share=hw)


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
