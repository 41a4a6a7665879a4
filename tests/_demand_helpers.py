"""Test helper: City of London buildings from pyrosm in the ingest column contract."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd


def london_buildings(pbf: Path) -> gpd.GeoDataFrame:
    """Load OSM buildings with pyrosm, rename to the ingest contract and project to EPSG:27700."""
    import pyrosm

    b = pyrosm.OSM(str(pbf)).get_buildings().to_crs(27700)
    b.index = pd.Index(b["osm_type"] + "/" + b["id"].astype(str), name="building_id")
    b = b.rename(
        columns={
            "building": "building_tag",
            "building:levels": "building_levels",
            "building:min_level": "building_min_level",
        }
    )
    b["building_levels"] = pd.to_numeric(b["building_levels"], errors="coerce")
    b["building_min_level"] = pd.to_numeric(b["building_min_level"], errors="coerce")
    b["height_m"] = pd.to_numeric(
        b["height"].astype(str).str.extract(r"([\d.]+)")[0], errors="coerce"
    )
    b["footprint_area_m2"] = b.area
    return b
