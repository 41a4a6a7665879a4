"""What a study hands over: the interactive map, figures, GIS layers, tables and the nearby search.

The writers take plain GeoDataFrames and tables; writing a whole run is
:func:`heatmap.pipeline.save.save_results`, one floor up.
"""

from __future__ import annotations

from heatmap.outputs import economics_figures as economics_figures
from heatmap.outputs import figures as figures
from heatmap.outputs import gis as gis
from heatmap.outputs import map_params as map_params
from heatmap.outputs import maps as maps
from heatmap.outputs import plant_figures as plant_figures
from heatmap.outputs import search as search
from heatmap.outputs import shapefile as shapefile
from heatmap.outputs import study_figures as study_figures
from heatmap.outputs import tables as tables
from heatmap.outputs.economics_figures import plot_cashflow as plot_cashflow
from heatmap.outputs.economics_figures import plot_tornado as plot_tornado
from heatmap.outputs.figures import figure_style as figure_style
from heatmap.outputs.figures import save_figure as save_figure
from heatmap.outputs.figures import styled as styled
from heatmap.outputs.gis import GPKG_INDEX_COLUMNS as GPKG_INDEX_COLUMNS
from heatmap.outputs.gis import read_results_gpkg as read_results_gpkg
from heatmap.outputs.gis import reexport as reexport
from heatmap.outputs.gis import write_geojson_wgs84 as write_geojson_wgs84
from heatmap.outputs.gis import write_geopackage as write_geopackage
from heatmap.outputs.map_params import DEMAND_CLASS_EDGES_MWH_PER_A as DEMAND_CLASS_EDGES_MWH_PER_A
from heatmap.outputs.map_params import (
    DENSITY_CLASS_EDGES_MWH_PER_HA_A as DENSITY_CLASS_EDGES_MWH_PER_HA_A,
)
from heatmap.outputs.map_params import LHD_CLASS_EDGES_MWH_PER_M_A as LHD_CLASS_EDGES_MWH_PER_M_A
from heatmap.outputs.map_params import MapParams as MapParams
from heatmap.outputs.maps import render_map as render_map
from heatmap.outputs.maps import render_nearby_map as render_nearby_map
from heatmap.outputs.maps import save_map as save_map
from heatmap.outputs.plant_figures import plot_annual_profile as plot_annual_profile
from heatmap.outputs.plant_figures import plot_load_duration as plot_load_duration
from heatmap.outputs.plant_figures import plot_sweep as plot_sweep
from heatmap.outputs.plant_figures import plot_typical_days as plot_typical_days
from heatmap.outputs.search import NEARBY_COLUMNS as NEARBY_COLUMNS
from heatmap.outputs.search import NearbyParams as NearbyParams
from heatmap.outputs.search import nearby as nearby
from heatmap.outputs.shapefile import SHAPEFILE_FIELDS as SHAPEFILE_FIELDS
from heatmap.outputs.shapefile import shapefile_field_names as shapefile_field_names
from heatmap.outputs.shapefile import write_route_shapefile_zip as write_route_shapefile_zip
from heatmap.outputs.study_figures import plot_heat_density as plot_heat_density
from heatmap.outputs.study_figures import plot_route_lhd as plot_route_lhd
from heatmap.outputs.tables import write_csv as write_csv
from heatmap.outputs.tables import write_json as write_json

__all__ = [
    "DEMAND_CLASS_EDGES_MWH_PER_A",
    "DENSITY_CLASS_EDGES_MWH_PER_HA_A",
    "GPKG_INDEX_COLUMNS",
    "LHD_CLASS_EDGES_MWH_PER_M_A",
    "NEARBY_COLUMNS",
    "SHAPEFILE_FIELDS",
    "MapParams",
    "NearbyParams",
    "economics_figures",
    "figure_style",
    "figures",
    "gis",
    "map_params",
    "maps",
    "nearby",
    "plant_figures",
    "plot_annual_profile",
    "plot_cashflow",
    "plot_heat_density",
    "plot_load_duration",
    "plot_route_lhd",
    "plot_sweep",
    "plot_tornado",
    "plot_typical_days",
    "read_results_gpkg",
    "reexport",
    "render_map",
    "render_nearby_map",
    "save_figure",
    "save_map",
    "search",
    "shapefile",
    "shapefile_field_names",
    "study_figures",
    "styled",
    "tables",
    "write_csv",
    "write_geojson_wgs84",
    "write_geopackage",
    "write_json",
    "write_route_shapefile_zip",
]
