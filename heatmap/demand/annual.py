"""Annual heat demand per building: floor area times a kWh/m² benchmark by use.

* use by a documented precedence (:mod:`heatmap.demand.use`): own tags, a POI inside the
  footprint, the containing landuse/amenity area, name keywords, the footprint-size rule, the
  scenario default; unheated types (``[demand] unheated_building_types``) and footprints below
  the minimum are excluded with a reason;
* floors from ``building:levels`` (+ roof levels), single-volume buildings as one storey, else
  height ÷ the storey height of the use, else a default by building type
  (:mod:`heatmap.demand.floors`); gross floor area = footprint × floors (a given
  ``gross_floor_area_m2`` wins); dwellings per domestic building;
* domestic demand = floor area × study Table 38 benchmark by property type and age band; the
  property type comes from the tag, else from shared walls found with a spatial index;
* non-domestic demand = floor area × CIBSE TM46 fossil-thermal benchmark;
* both benchmarks scaled to the site's heating degree days (weather file, scenario or TM46
  region; :mod:`heatmap.demand.climate`);
* a known-demand (metered) layer wins over modelled values;
* peak = annual ÷ full-load hours by use, or the THERMOS regression;
* ``demand_confidence`` and ``demand_flags`` say how far to trust each building
  (:mod:`heatmap.demand.quality`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from heatmap.demand import benchmarks as tables
from heatmap.demand.climate import benchmarks_at_site, degree_day_factor, site_degree_days
from heatmap.demand.floors import dwellings, floors_from_tags
from heatmap.demand.params import DemandParams
from heatmap.demand.peaks import peak_kw
from heatmap.demand.quality import confidence, join_flags
from heatmap.demand.use import classify_use
from heatmap.demand.walls import shared_walls
from heatmap.errors import CRSError, InputError
from heatmap.ingest.demand_layer import join_demand_layer
from heatmap.ingest.weather import Weather
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
    N_DWELLINGS,
    NAME,
    OWNERSHIP,
    PEAK_LOAD_KW,
    PROPERTY_TYPE,
    TM46_CATEGORY,
    USE,
    BuildingUse,
    DemandSource,
)

logger = logging.getLogger(__name__)

__all__ = [
    "DEMAND_CONFIDENCE",
    "DEMAND_FLAGS",
    "USE_SOURCE",
    "degree_day_factor",
    "estimate_demand",
]

USE_SOURCE = "use_source"
"""Which rule gave the use: tags, poi, area, name, shape, default or demand_layer."""
DEMAND_CONFIDENCE = "demand_confidence"
"""high / medium / low, from how the use, the floors and the floor area were found."""
DEMAND_FLAGS = "demand_flags"
"""What to check before trusting a building's demand ("" when nothing), joined by "; "."""


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
    weather: Weather | None = None,
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
        Site heating degree days (base 15.5 °C); overrides ``weather`` and ``params``.
    weather
        Weather of the site (an EPW file): its degree days scale the benchmarks against their
        reference degree days. Without it (and without ``degree_days``), ``[demand]
        degree_days_k_day``, else the TM46 region's degree days, are used.

    Returns
    -------
    buildings
        A copy with ``floors``, ``floors_source`` (levels/single_volume/height/default/
        given), ``gross_floor_area_m2``, ``use``, ``use_source`` (tags/poi/area/name/shape/
        default/demand_layer), ``use_rule`` (what decided), ``property_type``,
        ``tm46_category``, ``age_band``, ``n_dwellings``, ``benchmark_kwh_per_m2_a``,
        ``n_shared_walls``, ``shared_wall_length_m``, ``heat_demand_mwh_per_a``,
        ``peak_load_kw``, ``demand_source``, ``demand_method``, ``exclusion_reason`` ("" if
        included), ``demand_confidence`` (high/medium/low), ``demand_flags`` ("" if none),
        ``is_anchor`` and, where the layer gives them, ``ownership`` and ``name``. The degree
        days used are in ``attrs["degree_days_k_day"]`` and ``attrs["degree_days_source"]``.

    Notes
    -----
    Table 38 has no value for pre-1900 detached houses and flats; those use the 1900-1929
    value and say so in ``demand_method``. Table 38 is the study's own (Killingworth, TM46
    North Eastern) figure: it is scaled from that region's degree days to the site's.

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
    way/2            domestic                160.0                   19.5          10.0

    The office is TM46's 120 kWh/m2 (120 MWh/a); the house Table 38's 132 kWh/m2 for a
    1930-1949 detached house, scaled from the study's 2,237 degree days to 2,021
    (0.2 + 0.8 x 2021 / 2237 = 0.923). ``buildings`` itself is unchanged:

    >>> "heat_demand_mwh_per_a" in buildings.columns
    False
    """
    params = params or DemandParams()
    _check_input(buildings)
    out = buildings.copy()
    n = len(out)
    geoms = out.geometry.to_numpy()
    footprint = tables.column(out, FOOTPRINT_AREA_M2, numeric=True).to_numpy()
    missing_fp = ~np.isfinite(footprint)
    if missing_fp.any():
        footprint = np.where(missing_fp, shapely.area(geoms), footprint)
    tag = _lower(tables.column(out, "building_tag"))

    classes = classify_use(out, params=params, footprint_m2=footprint)
    use = classes[USE].to_numpy(dtype=object).copy()
    cat = classes["tm46_category"].to_numpy(dtype=object)
    reason = classes["exclusion_reason"].to_numpy(dtype=object).copy()
    use_source = classes["use_source"].to_numpy(dtype=object).copy()
    floors, floors_source, floor_flag = floors_from_tags(
        out, tag, params, use=use, single_volume=classes["single_volume"].to_numpy(dtype=bool)
    )
    given_gfa = tables.column(buildings, GROSS_FLOOR_AREA_M2, numeric=True).to_numpy()
    has_gfa = np.isfinite(given_gfa) & (given_gfa > 0)
    gfa = np.where(has_gfa, given_gfa, footprint * floors)
    floors_source[has_gfa] = "given"

    no_geom = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    reason[(reason == "") & no_geom & ~has_gfa] = "no footprint geometry"
    tiny = (reason == "") & (footprint < params.min_footprint_m2) & ~has_gfa
    reason[tiny] = f"footprint below {params.min_footprint_m2:g} m2"
    excluded = reason != ""
    use[excluded] = BuildingUse.EXCLUDED.value

    # Shared walls only matter for domestic buildings whose type the tags do not give.
    tagged = classes["tag_property_type"].to_numpy(dtype=object)
    needs_walls = (use == BuildingUse.DOMESTIC.value) & np.isin(tagged, ["", "terrace"])
    walls = shared_walls(
        np.asarray(np.where(excluded, None, geoms), dtype=object),
        tolerance_m=params.shared_wall_tolerance_m,
        min_length_m=params.min_shared_wall_m,
        candidates=needs_walls,
    )
    ptype = _property_type(use, tagged, floors, tag, walls, params)
    n_dwellings, big_house = dwellings(gfa, use, ptype, params, terrace_row=tag == "terrace")
    band = _age_band(out, params)

    hdd, hdd_source = site_degree_days(params, degree_days, weather)
    bm = benchmarks_at_site(use, ptype, band, cat, hdd, params)
    benchmark = bm["benchmark"]
    given_bm = tables.column(buildings, "benchmark_kwh_per_m2_a", numeric=True).to_numpy()
    has_bm = np.isfinite(given_bm) & (given_bm >= 0) & ~excluded
    benchmark[has_bm] = given_bm[has_bm]
    heat = np.where(excluded, 0.0, benchmark * gfa / 1000.0)
    method = _methods(
        {
            "use": use,
            "ptype": ptype,
            "band": band,
            "cat": cat,
            "floors": floors_source,
            "reason": reason,
            "na_cell": bm["na_cell"],
            "has_bm": has_bm,
            "flat_bm": params.flat_benchmark_kwh_per_m2_a,
        },
        hdd,
    )
    source = np.where(excluded, DemandSource.EXCLUDED.value, DemandSource.BENCHMARK.value)
    source = source.astype(object)
    peak = peak_kw(heat, use, cat, params)

    metered = np.zeros(n, dtype=bool)
    if demand_layer is not None:
        label = str(getattr(demand_layer, "attrs", {}).get("source", "<demand layer>"))
        matched = join_demand_layer(out, demand_layer, source=label)
        pos = out.index.get_indexer(matched.index)
        metered[pos] = True
        heat[pos] = matched[HEAT_DEMAND_MWH_PER_A].to_numpy()
        was_excl = excluded[pos]
        use[pos[was_excl]] = np.where(
            classes[USE].to_numpy(dtype=object)[pos[was_excl]] == BuildingUse.EXCLUDED.value,
            BuildingUse.NON_DOMESTIC.value,
            classes[USE].to_numpy(dtype=object)[pos[was_excl]],
        )
        fill = peak_kw(heat[pos], use[pos], cat[pos], params)
        mpeak = matched[PEAK_LOAD_KW].to_numpy(dtype=float)
        peak[pos] = np.where(np.isfinite(mpeak), mpeak, fill)
        source[pos] = DemandSource.METERED.value
        method[pos] = ("demand layer row(s) " + matched["layer_rows"].astype(str)).to_numpy()
        reason[pos] = ""
        use_source[pos] = "demand_layer"
        _copy_layer_names(out, matched, pos)

    flags = join_flags(
        [classes["use_flag"].to_numpy(dtype=object), floor_flag],
        big_house=big_house,
        n_dwellings=n_dwellings,
        implausible_gfa=has_gfa & (given_gfa > footprint * params.max_plausible_floors),
    )
    is_dom = use == BuildingUse.DOMESTIC.value
    is_nd = use == BuildingUse.NON_DOMESTIC.value
    new_cols = {
        FOOTPRINT_AREA_M2: footprint,
        FLOORS: floors,
        FLOORS_SOURCE: floors_source,
        GROSS_FLOOR_AREA_M2: gfa,
        USE: use,
        USE_SOURCE: use_source,
        "use_rule": classes["class_tag"].to_numpy(dtype=object),
        PROPERTY_TYPE: ptype,
        TM46_CATEGORY: np.where(is_nd, cat, "").astype(object),
        "age_band": np.where(is_dom, band, "").astype(object),
        N_DWELLINGS: np.where(is_dom, n_dwellings, 0),
        "benchmark_kwh_per_m2_a": benchmark,
        "n_shared_walls": walls[0],
        "shared_wall_length_m": walls[1],
        HEAT_DEMAND_MWH_PER_A: heat.astype(float),
        PEAK_LOAD_KW: peak.astype(float),
        DEMAND_SOURCE: source,
        DEMAND_METHOD: method,
        EXCLUSION_REASON: reason,
        DEMAND_CONFIDENCE: confidence(use_source, floors_source, use, flags, metered),
        DEMAND_FLAGS: flags,
        IS_ANCHOR: heat >= params.anchor_threshold_mwh_per_a,
    }
    keep = out.drop(columns=[c for c in new_cols if c in out.columns])
    result = pd.concat([keep, tables.frame_of(new_cols, out.index)], axis=1)
    result = gpd.GeoDataFrame(result, geometry=out.geometry.name, crs=out.crs)
    result.attrs["degree_days_k_day"] = hdd
    result.attrs["degree_days_source"] = hdd_source
    logger.info(
        "demand: %d buildings, %d excluded, %.0f MWh/a, floors known for %d, %g degree days (%s)",
        n,
        int((use == BuildingUse.EXCLUDED.value).sum()),
        float(heat.sum()),
        int((floors_source != "default").sum()),
        hdd,
        hdd_source,
    )
    return result


def _check_input(buildings: gpd.GeoDataFrame) -> None:
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


def _age_band(frame: pd.DataFrame, params: DemandParams) -> np.ndarray:
    year = tables.column(frame, "construction_year", numeric=True)
    if year.isna().any():
        year = year.fillna(tables.year_from_start_date(tables.column(frame, "start_date")))
    band = tables.age_band_from_year(year).to_numpy(dtype=object).copy()
    band[band == ""] = params.default_age_band
    return band


def _methods(c: dict[str, Any], hdd: float) -> np.ndarray:
    """One ``demand_method`` text per building (composed once per distinct combination)."""
    use, ptype, band, cat = c["use"], c["ptype"], c["band"], c["cat"]
    floors_source, reason, na_cell, has_bm = c["floors"], c["reason"], c["na_cell"], c["has_bm"]
    excluded = reason != ""
    is_dom = (use == BuildingUse.DOMESTIC.value) & ~has_bm & ~excluded
    is_nd = (use == BuildingUse.NON_DOMESTIC.value) & ~has_bm & ~excluded
    flat_bm = c.get("flat_bm")
    method = _compose(
        [ptype, band, na_cell, floors_source],
        lambda p, b, na, f: (
            (
                f"flat benchmark {flat_bm:g} kWh/m2"
                if p == "flat" and flat_bm is not None
                else f"Table 38 {p} band {b}{' (N/A: 1900-1929 value)' if na else ''}"
            )
            + f" x degree-day factor (HDD {hdd:g}); floors from {f}"
        ),
        is_dom,
    )
    nd_method = _compose(
        [cat, floors_source],
        lambda c, f: f"TM46 {c} x degree-day factor (HDD {hdd:g}); floors from {f}",
        is_nd,
    )
    method = np.where(is_nd, nd_method, method)
    bm_method = _compose(
        [floors_source], lambda f: f"given benchmark_kwh_per_m2_a; floors from {f}", has_bm
    )
    method = np.where(has_bm & ~excluded, bm_method, method)
    ex_method = _compose([reason], lambda r: f"excluded: {r}", excluded)
    return np.where(excluded, ex_method, method).astype(object)


def _copy_layer_names(out: gpd.GeoDataFrame, matched: pd.DataFrame, pos: np.ndarray) -> None:
    """Write the demand layer's owners and names into ``out`` (a private copy)."""
    if matched["ownership"].notna().any():
        own = np.full(len(out), None, dtype=object)
        own[pos] = matched["ownership"].to_numpy(dtype=object)
        out[OWNERSHIP] = own
    has_name = matched["name"].notna().to_numpy()
    if has_name.any():
        names = tables.column(out, NAME).to_numpy(dtype=object).copy()
        names[pos[has_name]] = matched["name"].to_numpy(dtype=object)[has_name]
        out[NAME] = names
