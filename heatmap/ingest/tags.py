"""OSM tag values and the standard buildings frame.

Parsing of levels, heights and years, and normalisation of raw tags and footprints.

Everything here works on whole columns (pandas string methods, shapely vectorised functions);
only the JSON encoding of the raw tags visits rows one by one.
"""

from __future__ import annotations

import itertools
import json
import logging

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatmap import schema
from heatmap.errors import InputError

logger = logging.getLogger(__name__)

__all__ = [
    "BUILDING_OUTPUT_COLUMNS",
    "FEET_TO_M",
    "INCH_TO_M",
    "TAG_COLUMNS",
    "as_text",
    "normalise_buildings",
    "parse_height_m",
    "parse_levels",
    "parse_number",
    "parse_year",
    "tags_json",
]

FEET_TO_M = 0.3048
INCH_TO_M = 0.0254

#: OSM keys copied into columns of their own (column name -> OSM key).
TAG_COLUMNS: dict[str, str] = {
    schema.BUILDING_TAG: "building",
    "amenity": "amenity",
    "shop": "shop",
    "office": "office",
    "leisure": "leisure",
    "tourism": "tourism",
    "healthcare": "healthcare",
    "landuse": "landuse",
    "start_date": "start_date",
    schema.NAME: "name",
}

#: Columns of the buildings frame produced by every reader, in order (geometry last).
BUILDING_OUTPUT_COLUMNS: tuple[str, ...] = (
    schema.FOOTPRINT_AREA_M2,
    schema.BUILDING_TAG,
    "amenity",
    "shop",
    "office",
    "leisure",
    "tourism",
    "healthcare",
    "landuse",
    "area_tag",
    "poi_tag",
    "poi_name",
    "building_levels",
    "building_min_level",
    schema.HEIGHT_M,
    "roof_levels",
    "start_date",
    schema.CONSTRUCTION_YEAR,
    schema.NAME,
    schema.ADDRESS,
    schema.TENURE,
    schema.SOURCE,
    schema.OSM_TAGS,
)


# --- value parsing ----------------------------------------------------------------------------
def as_text(values: pd.Series) -> pd.Series:
    """Return ``values`` as an object Series of stripped strings, None where missing or blank."""
    text = values.astype("string").str.strip()
    arr = np.array(text.astype(object), dtype=object, copy=True)
    arr[np.asarray(text.isna() | (text == ""), dtype=bool)] = None
    return pd.Series(arr, index=values.index, dtype="object")


def parse_number(values: pd.Series) -> pd.Series:
    """Parse the first number of OSM values such as ``"3"``, ``"3.5"``, ``"3;4"``, ``"4,5"``.

    Parameters
    ----------
    values
        Raw tag values (strings, numbers or missing).

    Returns
    -------
    numbers
        Float Series, NaN where no number leads the value.
    """
    text = values.astype("string").str.strip().str.replace(",", ".", regex=False)
    found = text.str.extract(r"^(-?\d+(?:\.\d+)?)(?:\s*(?:;.*)?)$", expand=False)
    return pd.to_numeric(found, errors="coerce").astype(float).astype("float64")


def parse_levels(values: pd.Series) -> pd.Series:
    """Parse ``building:levels``-like values; negative or absurd (> 200) counts become NaN."""
    levels = parse_number(values)
    return levels.where((levels >= 0) & (levels <= 200))


def parse_height_m(values: pd.Series) -> pd.Series:
    r"""Parse OSM ``height`` values into metres.

    Accepted forms: ``"12"``, ``"12.5 m"``, ``"12,5m"``, ``"40 ft"``, ``"40'"``, ``"40'6\""``.
    Anything else (and heights <= 0 or > 1000 m) gives NaN.

    Parameters
    ----------
    values
        Raw tag values.

    Returns
    -------
    height_m
        Float Series in metres.
    """
    text = values.astype("string").str.strip().str.lower().str.replace(",", ".", regex=False)
    parts = text.str.extract(
        r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>m|metres|meters|metre|meter|ft|feet|foot|')?"
        r"\s*(?:(?P<inch>\d+(?:\.\d+)?)\s*(?:\"|''|in))?$"
    )
    num = pd.to_numeric(parts["num"], errors="coerce").astype(float).to_numpy()
    inch = pd.to_numeric(parts["inch"], errors="coerce").astype(float).fillna(0.0).to_numpy()
    feet = parts["unit"].isin(["ft", "feet", "foot", "'"]).fillna(False).to_numpy(dtype=bool)
    metres_unit = ~feet & parts["inch"].isna().to_numpy(dtype=bool)
    values_m = np.where(
        feet, num * FEET_TO_M + inch * INCH_TO_M, np.where(metres_unit, num, np.nan)
    )
    height = pd.Series(values_m, index=values.index, dtype=float)
    return height.where((height > 0) & (height <= 1000))


def parse_year(values: pd.Series) -> pd.Series:
    """Parse a construction year from OSM ``start_date`` (``"1887"``, ``"~1900"``, ``"1887-05"``).

    Centuries (``"C19"``), decades and free text give NaN; years outside 1000..2100 give NaN.

    Parameters
    ----------
    values
        Raw tag values.

    Returns
    -------
    year
        Float Series of years.
    """
    text = values.astype("string").str.strip()
    found = text.str.extract(r"^(?:~|ca?\.?\s*|circa\s*|before\s*|after\s*)?(\d{4})(?:$|[-./\s])")
    year = pd.to_numeric(found[0], errors="coerce").astype("float64")
    return year.where((year >= 1000) & (year <= 2100))


# --- buildings -------------------------------------------------------------------------------
def tags_json(tags: pd.DataFrame) -> list[str]:
    """Encode each row's present (non-missing, non-blank) tags as a JSON object, keys sorted."""
    values = tags.to_numpy(dtype=object)
    rows, cols = np.nonzero(tags.notna().to_numpy())
    keys = np.asarray([str(c) for c in tags.columns], dtype=object)[cols]
    text = np.asarray([str(v).strip() for v in values[rows, cols]], dtype=object)
    keep = text != ""
    rows, keys, text = rows[keep], keys[keep], text[keep]
    order = np.lexsort((keys.astype(str), rows))
    rows, keys, text = rows[order], keys[order], text[order]
    starts = np.searchsorted(rows, np.arange(len(tags) + 1))
    return [
        json.dumps(dict(zip(keys[a:b], text[a:b], strict=True)))
        for a, b in itertools.pairwise(starts)
    ]


def _polygonal(geometry: gpd.GeoSeries, source: str) -> tuple[gpd.GeoSeries, np.ndarray]:
    """Repair invalid geometries and keep the polygonal part; return it and the keep mask."""
    geoms = geometry.to_numpy()
    invalid = ~shapely.is_valid(geoms) & ~shapely.is_missing(geoms)
    if invalid.any():
        geoms = geoms.copy()
        geoms[invalid] = shapely.make_valid(geoms[invalid])
        logger.info("%s: repaired %d invalid building geometries", source, int(invalid.sum()))
        # make_valid may give collections: keep their polygonal parts
        coll = invalid & (shapely.get_type_id(geoms) == 7)
        if coll.any():
            parts, idx = shapely.get_parts(geoms[coll], return_index=True)
            poly = np.isin(shapely.get_type_id(parts), [3, 6])
            merged = (
                pd.Series(list(parts[poly]))
                .groupby(idx[poly])
                .agg(lambda s: shapely.union_all(s.to_numpy()))
            )
            fixed = np.full(int(coll.sum()), None, dtype=object)
            fixed[merged.index.to_numpy()] = merged.to_numpy()
            geoms[coll] = fixed
    type_id = shapely.get_type_id(geoms)
    keep = np.isin(type_id, [3, 6]) & ~shapely.is_empty(geoms)
    dropped = int((~keep).sum())
    if dropped:
        logger.info(
            "%s: dropped %d building features that are not polygons (points, lines, empty)",
            source,
            dropped,
        )
    return gpd.GeoSeries(geoms, index=geometry.index, crs=geometry.crs), keep


def normalise_buildings(
    geometry: gpd.GeoSeries,
    tags: pd.DataFrame,
    ids: pd.Series,
    *,
    source: str,
    crs: pyproj.CRS,
) -> gpd.GeoDataFrame:
    """Build the standard buildings frame from geometries, raw tags and ids.

    Parameters
    ----------
    geometry
        Footprints in any CRS, aligned with ``tags`` and ``ids``.
    tags
        Raw attributes, one column per OSM key (``building``, ``building:levels``, ...).
    ids
        Stable string ids, unique.
    source
        What was read, copied into the ``source`` column.
    crs
        Target projected CRS.

    Returns
    -------
    buildings
        Frame indexed by ``building_id`` with the columns of ``BUILDING_OUTPUT_COLUMNS``.
    """
    geometry = geometry.reset_index(drop=True)
    tags = tags.reset_index(drop=True)
    ids = ids.reset_index(drop=True).astype(str)
    if ids.duplicated().any():
        dup = ids[ids.duplicated()].iloc[0]
        msg = f"{source}: building id {dup!r} is not unique; pass a column of unique ids"
        raise InputError(msg)
    geoms, keep = _polygonal(geometry, source)
    geoms, tags, ids = geoms[keep], tags[keep], ids[keep]
    projected = geoms.to_crs(crs)

    def col(key: str) -> pd.Series:
        if key in tags.columns:
            return tags[key]
        return pd.Series(None, index=tags.index, dtype=object)

    out = pd.DataFrame(index=tags.index)
    out[schema.FOOTPRINT_AREA_M2] = projected.area.to_numpy()
    for column, key in TAG_COLUMNS.items():
        out[column] = as_text(col(key))
    for column in ("area_tag", "poi_tag", "poi_name"):  # filled by ingest.context
        out[column] = None
    out["building_levels"] = parse_levels(col("building:levels"))
    out["building_min_level"] = parse_levels(col("building:min_level"))
    out[schema.HEIGHT_M] = parse_height_m(col("height"))
    out["roof_levels"] = parse_levels(col("roof:levels"))
    out[schema.CONSTRUCTION_YEAR] = parse_year(col("start_date"))
    number = as_text(col("addr:housenumber"))
    street = as_text(col("addr:street"))
    address = (number.fillna("") + " " + street.fillna("")).str.strip()
    out[schema.ADDRESS] = address.where(address != "", None).astype(object)
    out[schema.TENURE] = schema.Tenure.UNKNOWN.value
    out[schema.SOURCE] = source
    out[schema.OSM_TAGS] = tags_json(tags)
    out = out[list(BUILDING_OUTPUT_COLUMNS)]
    frame = gpd.GeoDataFrame(out, geometry=projected.to_numpy(), crs=crs)
    frame.index = pd.Index(ids.to_numpy(), name=schema.BUILDING_ID)
    return frame.sort_index()
