"""Railways and watercourses that a heat main crosses only on a bridge or by a trenchless bore.

The frame holds one line per OSM way with ``kind`` (``railway`` or ``waterway``), its
``subtype`` (``rail``, ``river``, ``canal`` ...), ``name`` and ``level``: ``ground`` where
it runs at grade (a street crossing it there must bore under it), ``bridge`` or ``tunnel``
where it is carried over or under (a street crossing it there is on another level).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from heatmap.ingest.tags import as_text

__all__ = [
    "BARRIER_COLUMNS",
    "BARRIER_TAGS",
    "RAILWAY_VALUES",
    "WATERWAY_VALUES",
    "barrier_frame",
    "empty_barriers",
]

RAILWAY_VALUES: tuple[str, ...] = ("rail", "light_rail", "narrow_gauge", "subway", "monorail")
"""OSM ``railway`` values of running lines (trams run in the street and are left out)."""

WATERWAY_VALUES: tuple[str, ...] = ("river", "canal")
"""OSM ``waterway`` values a main cannot be dug across (streams and ditches can)."""

BARRIER_TAGS: dict[str, bool | str | list[str]] = {
    "railway": list(RAILWAY_VALUES),
    "waterway": list(WATERWAY_VALUES),
}
"""The tag filter that selects barrier ways from an OSM file."""

BARRIER_COLUMNS: tuple[str, ...] = ("kind", "subtype", "name", "level")

_NOT = frozenset({"no", "false", "0"})


def empty_barriers(crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """An empty barrier frame in ``crs``."""
    return gpd.GeoDataFrame({c: [] for c in BARRIER_COLUMNS}, geometry=[], crs=crs)


def _text(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series("", index=frame.index, dtype=object)
    return as_text(frame[column]).map(lambda v: v.lower() if isinstance(v, str) else "")


def barrier_frame(features: gpd.GeoDataFrame, crs: pyproj.CRS) -> gpd.GeoDataFrame:
    """Barrier lines from OSM features carrying ``railway`` / ``waterway`` tags.

    Parameters
    ----------
    features
        OSM features with their tags as columns (any other features are ignored).
    crs
        Output projected CRS.

    Returns
    -------
    barriers
        Lines with :data:`BARRIER_COLUMNS`, in ``crs``.

    Examples
    --------
    >>> from shapely import LineString
    >>> f = gpd.GeoDataFrame(
    ...     {"railway": ["rail", None, "tram", "rail"], "waterway": [None, "river", None, None],
    ...      "bridge": [None, None, None, "yes"], "name": [None, "Thames", None, None]},
    ...     geometry=[LineString([(0, 0), (1, 1)])] * 4, crs=27700)
    >>> barrier_frame(f, pyproj.CRS(27700))[["kind", "subtype", "name", "level"]].values.tolist()
    [['railway', 'rail', '', 'ground'], ['waterway', 'river', 'Thames', 'ground'], \
['railway', 'rail', '', 'bridge']]
    """
    if features.empty:
        return empty_barriers(crs)
    railway, waterway = _text(features, "railway"), _text(features, "waterway")
    is_rail = railway.isin(RAILWAY_VALUES).to_numpy()
    is_water = waterway.isin(WATERWAY_VALUES).to_numpy()
    keep = is_rail | is_water
    geoms = features.geometry.to_numpy()
    linear = np.isin(shapely.get_type_id(geoms), [1, 5])  # LineString, MultiLineString
    keep &= linear
    if not keep.any():
        return empty_barriers(crs)
    f = features[keep]
    bridge, tunnel = _text(f, "bridge"), _text(f, "tunnel")
    layer = pd.to_numeric(_text(f, "layer"), errors="coerce").fillna(0.0).to_numpy()
    underground = _text(f, "location").isin(["underground"]).to_numpy()
    above = (((bridge != "") & ~bridge.isin(_NOT)).to_numpy()) | (layer > 0)
    below = (((tunnel != "") & ~tunnel.isin(_NOT)).to_numpy()) | (layer < 0) | underground
    level = np.where(above, "bridge", np.where(below, "tunnel", "ground"))
    rail = is_rail[keep]
    out = gpd.GeoDataFrame(
        {
            "kind": np.where(rail, "railway", "waterway"),
            "subtype": np.where(rail, railway[keep], waterway[keep]),
            "name": as_text(f["name"]).fillna("").to_numpy() if "name" in f else "",
            "level": level,
        },
        geometry=f.geometry.to_numpy(),
        crs=f.crs,
    )
    return out.to_crs(crs).reset_index(drop=True)
