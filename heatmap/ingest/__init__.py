"""Read the study area: OpenStreetMap (.osm.pbf, .osm XML, Overpass), tags, vector layers, metered
demand, weather, existing heat networks.
"""

from __future__ import annotations

from heatmap.ingest import demand_layer as demand_layer
from heatmap.ingest import osm as osm
from heatmap.ingest import tags as tags
from heatmap.ingest import weather as weather
from heatmap.ingest.demand_layer import join_demand_layer as join_demand_layer
from heatmap.ingest.demand_layer import read_demand_layer as read_demand_layer
from heatmap.ingest.demand_layer import validate_demand_layer as validate_demand_layer
from heatmap.ingest.osm import StudyArea as StudyArea
from heatmap.ingest.osm import default_example_path as default_example_path
from heatmap.ingest.osm import from_bbox as from_bbox
from heatmap.ingest.osm import from_place as from_place
from heatmap.ingest.osm import osmnx_settings as osmnx_settings
from heatmap.ingest.osm import read_existing_networks as read_existing_networks
from heatmap.ingest.osm import read_osm as read_osm
from heatmap.ingest.osm import read_vector as read_vector
from heatmap.ingest.osm import validate_bbox as validate_bbox
from heatmap.ingest.tags import as_text as as_text
from heatmap.ingest.tags import check_lonlat as check_lonlat
from heatmap.ingest.tags import check_pbf as check_pbf
from heatmap.ingest.tags import choose_crs as choose_crs
from heatmap.ingest.tags import in_great_britain as in_great_britain
from heatmap.ingest.tags import merge_way_chains as merge_way_chains
from heatmap.ingest.tags import node_lines as node_lines
from heatmap.ingest.tags import normalise_buildings as normalise_buildings
from heatmap.ingest.tags import normalise_streets as normalise_streets
from heatmap.ingest.tags import parse_height_m as parse_height_m
from heatmap.ingest.tags import parse_levels as parse_levels
from heatmap.ingest.tags import parse_number as parse_number
from heatmap.ingest.tags import parse_year as parse_year
from heatmap.ingest.tags import tags_json as tags_json
from heatmap.ingest.tags import trenchable as trenchable
from heatmap.ingest.weather import HOURS_PER_YEAR as HOURS_PER_YEAR
from heatmap.ingest.weather import Weather as Weather
from heatmap.ingest.weather import heating_degree_days as heating_degree_days
from heatmap.ingest.weather import heating_degree_hours as heating_degree_hours
from heatmap.ingest.weather import read_epw as read_epw
from heatmap.ingest.weather import regional_hdd as regional_hdd
from heatmap.ingest.weather import synthetic_weather as synthetic_weather

__all__ = [
    "HOURS_PER_YEAR",
    "StudyArea",
    "Weather",
    "as_text",
    "check_lonlat",
    "check_pbf",
    "choose_crs",
    "default_example_path",
    "demand_layer",
    "from_bbox",
    "from_place",
    "heating_degree_days",
    "heating_degree_hours",
    "in_great_britain",
    "join_demand_layer",
    "merge_way_chains",
    "node_lines",
    "normalise_buildings",
    "normalise_streets",
    "osm",
    "osmnx_settings",
    "parse_height_m",
    "parse_levels",
    "parse_number",
    "parse_year",
    "read_demand_layer",
    "read_epw",
    "read_existing_networks",
    "read_osm",
    "read_vector",
    "regional_hdd",
    "synthetic_weather",
    "tags",
    "tags_json",
    "trenchable",
    "validate_bbox",
    "validate_demand_layer",
    "weather",
]
