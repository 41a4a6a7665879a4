"""Floors, gross floor area and dwellings per building, with where each value came from.

Floors (``floors_source``):

- ``levels``: ``building:levels`` minus ``building:min_level`` plus ``roof:levels`` (rooms in
  the roof are heated floor area);
- ``single_volume``: a church, cathedral, sports hall, warehouse, hangar ... (``[demand]
  single_volume_building_types``, a place of worship, a name such as "... Cathedral", or a large
  untagged low-rise footprint) is one storey whatever its height;
- ``height``: ``height_m`` ÷ the storey height of the use (``domestic_floor_height_m`` for
  housing, ``floor_height_m`` for the rest), at least one;
- ``default``: ``heatmap/data/demand_default_floors.csv`` by building tag (``[demand]
  default_floors`` overrides);
- ``given``: a ``gross_floor_area_m2`` column wins over footprint × floors.

Dwellings: a house is one dwelling; a block of flats has ``GIA × flat_net_to_gross ÷
flat_floor_area_m2`` dwellings; a terrace row drawn as one outline (``building=terrace``), or any
other domestic building with more floor area than ``max_dwelling_floor_area_m2``, has
``GIA ÷ house_floor_area_m2`` houses (at least one).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.demand.params import DemandParams
from heatmap.schema import BuildingUse

logger = logging.getLogger(__name__)

__all__ = ["dwellings", "floors_from_tags"]

#: A storey of more than this many metres, from height and levels together, is flagged.
_MAX_STOREY_M = 8.0
#: A storey of less than this many metres, from height and levels together, is flagged.
_MIN_STOREY_M = 1.8


def floors_from_tags(
    frame: pd.DataFrame,
    tag: np.ndarray,
    params: DemandParams,
    *,
    use: np.ndarray,
    single_volume: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return floors per building, their source and a flag text ("" when plausible).

    Parameters
    ----------
    frame
        Buildings with any of ``building_levels``, ``building_min_level``, ``roof_levels``,
        ``height_m``.
    tag
        Lower-case ``building=*`` value per building ("" where missing).
    params
        Storey heights, default floors, plausibility limit.
    use
        Use per building (``domestic`` takes the domestic storey height).
    single_volume
        Buildings that are one storey of their height.

    Returns
    -------
    floors, source, flag
        Floors (float), ``levels`` / ``single_volume`` / ``height`` / ``default``, and flags.

    Examples
    --------
    A 35 m cathedral, a house with two levels and one roof level, an office 30 m high:

    >>> b = pd.DataFrame({"building_levels": [np.nan, 2, np.nan], "roof_levels": [np.nan, 1, 0],
    ...                   "height_m": [35.0, np.nan, 30.0]})
    >>> floors, source, flag = floors_from_tags(
    ...     b, np.array(["cathedral", "house", "office"]), DemandParams(),
    ...     use=np.array(["non_domestic", "domestic", "non_domestic"]),
    ...     single_volume=np.array([True, False, False]))
    >>> floors.tolist(), source.tolist()
    ([1.0, 3.0, 10.0], ['single_volume', 'levels', 'height'])
    """
    levels = tables.column(frame, "building_levels", numeric=True).to_numpy()
    min_level = tables.column(frame, "building_min_level", numeric=True).to_numpy()
    roof = tables.column(frame, "roof_levels", numeric=True).to_numpy()
    above = (
        levels
        - np.clip(np.nan_to_num(min_level, nan=0.0), 0.0, None)
        + np.clip(np.nan_to_num(roof, nan=0.0), 0.0, None)
    )
    height = tables.column(frame, "height_m", numeric=True).to_numpy()
    storey = np.where(
        use == BuildingUse.DOMESTIC.value, params.domestic_floor_height_m, params.floor_height_m
    )
    from_height = np.maximum(1.0, np.round(height / storey))
    defaults = tables.default_floors_table().set_index("building_tag")["floors"].to_dict()
    defaults.update(params.default_floors)
    fallback = float(defaults.get("*", 2.0))
    default = pd.Series(tag).map(defaults).astype(float).fillna(fallback).to_numpy()
    use_levels = np.isfinite(above) & (above > 0)
    use_single = ~use_levels & single_volume
    use_height = ~use_levels & ~use_single & np.isfinite(height) & (height > 0)
    floors = np.select([use_levels, use_single, use_height], [above, 1.0, from_height], default)
    source = np.select(
        [use_levels, use_single, use_height], ["levels", "single_volume", "height"], "default"
    ).astype(object)
    flag = np.full(len(floors), "", dtype=object)
    too_many = floors > params.max_plausible_floors
    flag[too_many] = f"more than {params.max_plausible_floors:g} floors"
    if too_many.any():
        logger.warning(
            "%d building(s) have more than %g floors (up to %g); their demand is kept but "
            "flagged in demand_flags: check building:levels in the data",
            int(too_many.sum()),
            params.max_plausible_floors,
            float(floors[too_many].max()),
        )
    with np.errstate(invalid="ignore", divide="ignore"):
        per_storey = height / np.where(use_levels, above, np.nan)
    odd = (
        use_levels
        & np.isfinite(per_storey)
        & ((per_storey > _MAX_STOREY_M) | (per_storey < _MIN_STOREY_M))
    )
    flag[odd & ~too_many] = "building:levels and height disagree"
    return floors.astype(float), source, flag


def dwellings(
    gfa_m2: np.ndarray,
    use: np.ndarray,
    property_type: np.ndarray,
    params: DemandParams,
    *,
    terrace_row: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the dwellings in each building and which buildings hold more than one house.

    Parameters
    ----------
    gfa_m2
        Gross floor area per building (m2).
    use
        Use per building; only domestic buildings have dwellings.
    property_type
        Domestic property type (``flat`` for blocks of flats).
    params
        Flat and house sizes, net-to-gross ratio and the largest single dwelling.
    terrace_row
        Buildings tagged ``building=terrace`` (a row of houses drawn as one outline).

    Returns
    -------
    n_dwellings, several_houses
        Dwellings (integers, 0 for non-domestic), and the mask of non-flat domestic buildings
        counted as several houses (a terrace row, or more floor area than
        ``max_dwelling_floor_area_m2``: ``GIA ÷ house_floor_area_m2`` houses).

    Examples
    --------
    A house, a 2,600 m2 block of flats (2,600 x 0.8 / 65 = 32 flats), a 450 m2 outline of
    houses (450 / 100 = 4 or 5: rounds to 4), an office:

    >>> n, several = dwellings(np.array([160.0, 2600.0, 450.0, 1000.0]),
    ...                        np.array(["domestic", "domestic", "domestic", "non_domestic"]),
    ...                        np.array(["detached", "flat", "detached", ""]), DemandParams())
    >>> n.tolist(), several.tolist()
    ([1, 32, 4, 0], [False, False, True, False])
    """
    dom = use == BuildingUse.DOMESTIC.value
    gfa = np.nan_to_num(gfa_m2)
    flats = dom & (property_type == "flat")
    row = np.zeros(len(gfa), dtype=bool) if terrace_row is None else terrace_row
    several = dom & ~flats & ((gfa > params.max_dwelling_floor_area_m2) | row)
    n_flats = np.round(gfa * params.flat_net_to_gross / params.flat_floor_area_m2)
    n_houses = np.round(gfa / params.house_floor_area_m2)
    n = np.where(
        flats,
        np.maximum(1.0, n_flats),
        np.where(several, np.maximum(1.0, n_houses), np.where(dom, 1.0, 0.0)),
    )
    return n.astype(np.int64), several
