"""Where heat is dense: density raster, opportunity areas, clusters, street heat atlas, zones.

The heat-density raster and opportunity areas, building clusters and their screening, the street
heat atlas (linear heat density of every street segment) and candidate heat-network zones.
"""

from __future__ import annotations

from heatmap.zones import atlas as atlas
from heatmap.zones import candidate_zones as candidate_zones
from heatmap.zones import cluster_network as cluster_network
from heatmap.zones import cluster_params as cluster_params
from heatmap.zones import clusters as clusters
from heatmap.zones import density as density
from heatmap.zones import screening as screening
from heatmap.zones import zone_params as zone_params
from heatmap.zones.atlas import StreetAtlas as StreetAtlas
from heatmap.zones.atlas import atlas_table as atlas_table
from heatmap.zones.atlas import lhd_class as lhd_class
from heatmap.zones.atlas import street_heat_atlas as street_heat_atlas
from heatmap.zones.candidate_zones import ZoneSet as ZoneSet
from heatmap.zones.candidate_zones import zone_rule as zone_rule
from heatmap.zones.candidate_zones import zone_table as zone_table
from heatmap.zones.cluster_network import InternalNetwork as InternalNetwork
from heatmap.zones.cluster_network import internal_network_length_m as internal_network_length_m
from heatmap.zones.cluster_network import internal_network_lengths as internal_network_lengths
from heatmap.zones.cluster_params import DENSITY_CLASSES as DENSITY_CLASSES
from heatmap.zones.cluster_params import ClusterParams as ClusterParams
from heatmap.zones.clusters import TENURE_COUNT_COLUMNS as TENURE_COUNT_COLUMNS
from heatmap.zones.clusters import ClusterResult as ClusterResult
from heatmap.zones.clusters import barriers_from_streets as barriers_from_streets
from heatmap.zones.clusters import cluster_buildings as cluster_buildings
from heatmap.zones.clusters import screen_clusters as screen_clusters
from heatmap.zones.density import DensityParams as DensityParams
from heatmap.zones.density import DensityRaster as DensityRaster
from heatmap.zones.density import heat_density_raster as heat_density_raster
from heatmap.zones.density import opportunity_areas as opportunity_areas
from heatmap.zones.density import write_geotiff as write_geotiff
from heatmap.zones.zone_params import AtlasParams as AtlasParams
from heatmap.zones.zone_params import ZoneParams as ZoneParams
from heatmap.zones.zone_params import lhd_class_labels as lhd_class_labels

__all__ = [
    "DENSITY_CLASSES",
    "TENURE_COUNT_COLUMNS",
    "AtlasParams",
    "ClusterParams",
    "ClusterResult",
    "DensityParams",
    "DensityRaster",
    "InternalNetwork",
    "StreetAtlas",
    "ZoneParams",
    "ZoneSet",
    "atlas",
    "atlas_table",
    "barriers_from_streets",
    "candidate_zones",
    "cluster_buildings",
    "cluster_network",
    "cluster_params",
    "clusters",
    "density",
    "heat_density_raster",
    "internal_network_length_m",
    "internal_network_lengths",
    "lhd_class",
    "lhd_class_labels",
    "opportunity_areas",
    "screen_clusters",
    "screening",
    "street_heat_atlas",
    "write_geotiff",
    "zone_params",
    "zone_rule",
    "zone_table",
]
