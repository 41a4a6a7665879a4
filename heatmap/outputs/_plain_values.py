"""Cell values a GIS driver or CSV writer can store: enums, containers, numpy scalars made plain."""

from __future__ import annotations

import enum
import json
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap._json import jsonable

__all__ = ["plain_columns", "plain_value"]


def plain_columns(gdf: pd.DataFrame) -> pd.DataFrame:
    """Copy with non-scalar values (dicts, lists, enums) turned into JSON/strings for OGR.

    Parameters
    ----------
    gdf
        Any table; not modified.

    Returns
    -------
    frame
        A copy whose object and categorical columns hold only plain scalars.
    """
    out = gdf.copy()
    geom_name = out.geometry.name if isinstance(out, gpd.GeoDataFrame) else None
    for col in out.columns:
        if col == geom_name:
            continue
        series = out[col]
        if isinstance(series.dtype, pd.CategoricalDtype):
            out[col] = series.astype(object).where(series.notna(), None)
            series = out[col]
        if series.dtype == object:
            out[col] = series.map(plain_value)
    return out


def plain_value(value: Any) -> Any:
    """Plain scalar for one cell: enum value, JSON text for containers, Python number for numpy."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict | list | tuple | set):
        return json.dumps(jsonable(value), ensure_ascii=False)
    if isinstance(value, np.generic):
        return value.item()
    return value
