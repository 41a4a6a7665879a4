"""Read the study area.

OpenStreetMap (.osm.pbf, .osm XML, Overpass), tags, vector layers, metered demand, weather,
existing heat networks.
"""

from __future__ import annotations

from heatmap.ingest import area as area
from heatmap.ingest import context as context
from heatmap.ingest import demand_layer as demand_layer
from heatmap.ingest import examples as examples
from heatmap.ingest import hnpd as hnpd
from heatmap.ingest import layers as layers
from heatmap.ingest import osm as osm
from heatmap.ingest import osm_xml as osm_xml
from heatmap.ingest import overpass as overpass
from heatmap.ingest import pbf as pbf
from heatmap.ingest import streets as streets
from heatmap.ingest import tags as tags
from heatmap.ingest import weather as weather
from heatmap.ingest.area import StudyArea as StudyArea
from heatmap.ingest.area import check_lonlat as check_lonlat
from heatmap.ingest.area import choose_crs as choose_crs
from heatmap.ingest.area import in_great_britain as in_great_britain
from heatmap.ingest.area import validate_bbox as validate_bbox
from heatmap.ingest.context import attach_context as attach_context
from heatmap.ingest.demand_layer import join_demand_layer as join_demand_layer
from heatmap.ingest.demand_layer import read_demand_layer as read_demand_layer
from heatmap.ingest.demand_layer import validate_demand_layer as validate_demand_layer
from heatmap.ingest.examples import EXAMPLES as EXAMPLES
from heatmap.ingest.examples import default_example_path as default_example_path
from heatmap.ingest.examples import default_weather_path as default_weather_path
from heatmap.ingest.examples import example_path as example_path
from heatmap.ingest.examples import example_weather_path as example_weather_path
from heatmap.ingest.hnpd import read_existing_networks as read_existing_networks
from heatmap.ingest.layers import read_vector as read_vector
from heatmap.ingest.osm import read_osm as read_osm
from heatmap.ingest.overpass import from_bbox as from_bbox
from heatmap.ingest.overpass import from_place as from_place
from heatmap.ingest.overpass import osmnx_settings as osmnx_settings
from heatmap.ingest.pbf import check_pbf as check_pbf
from heatmap.ingest.streets import merge_way_chains as merge_way_chains
from heatmap.ingest.streets import node_lines as node_lines
from heatmap.ingest.streets import normalise_streets as normalise_streets
from heatmap.ingest.streets import trenchable as trenchable
from heatmap.ingest.tags import as_text as as_text
from heatmap.ingest.tags import normalise_buildings as normalise_buildings
from heatmap.ingest.tags import parse_height_m as parse_height_m
from heatmap.ingest.tags import parse_levels as parse_levels
from heatmap.ingest.tags import parse_number as parse_number
from heatmap.ingest.tags import parse_year as parse_year
from heatmap.ingest.tags import tags_json as tags_json
from heatmap.ingest.weather import HOURS_PER_YEAR as HOURS_PER_YEAR
from heatmap.ingest.weather import Weather as Weather
from heatmap.ingest.weather import heating_degree_days as heating_degree_days
from heatmap.ingest.weather import heating_degree_hours as heating_degree_hours
from heatmap.ingest.weather import read_epw as read_epw
from heatmap.ingest.weather import regional_hdd as regional_hdd
from heatmap.ingest.weather import synthetic_weather as synthetic_weather

__all__ = [
    "EXAMPLES",
    "HOURS_PER_YEAR",
    "StudyArea",
    "Weather",
    "area",
    "as_text",
    "attach_context",
    "check_lonlat",
    "check_pbf",
    "choose_crs",
    "context",
    "default_example_path",
    "default_weather_path",
    "demand_layer",
    "example_path",
    "example_weather_path",
    "examples",
    "from_bbox",
    "from_place",
    "heating_degree_days",
    "heating_degree_hours",
    "hnpd",
    "in_great_britain",
    "join_demand_layer",
    "layers",
    "merge_way_chains",
    "node_lines",
    "normalise_buildings",
    "normalise_streets",
    "osm",
    "osm_xml",
    "osmnx_settings",
    "overpass",
    "parse_height_m",
    "parse_levels",
    "parse_number",
    "parse_year",
    "pbf",
    "read_demand_layer",
    "read_epw",
    "read_existing_networks",
    "read_osm",
    "read_vector",
    "regional_hdd",
    "streets",
    "synthetic_weather",
    "tags",
    "tags_json",
    "trenchable",
    "validate_bbox",
    "validate_demand_layer",
    "weather",
]
