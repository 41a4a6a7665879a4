"""CRS check shared by the street-graph builder and the terminal attachment."""

from __future__ import annotations

import geopandas as gpd

from heatmap.errors import (
    CRSError,
)

__all__ = ["check_projected"]


def check_projected(gdf: gpd.GeoDataFrame, what: str) -> None:
    if gdf.crs is None:
        msg = f"{what} have no CRS; set one (e.g. gdf.set_crs(...)) and project to metres"
        raise CRSError(msg)
    if not gdf.crs.is_projected:
        msg = (
            f"{what} are in a geographic CRS ({gdf.crs.to_string()}); project them to a metric "
            "CRS first (EPSG:27700 in Great Britain, else gdf.estimate_utm_crs())"
        )
        raise CRSError(msg)
