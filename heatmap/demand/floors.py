"""Floors and gross floor area per building, with where each value came from."""

from __future__ import annotations

import logging

import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap.demand import benchmarks as tables
from heatmap.demand.params import DemandParams

logger = logging.getLogger(__name__)

__all__ = ["floors_from_tags"]


def floors_from_tags(
    frame: gpd.GeoDataFrame, tag: np.ndarray, params: DemandParams
) -> tuple[np.ndarray, np.ndarray]:
    """Return floors per building and their source (levels, height or default)."""
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
