"""Column names, units and categories shared by the pipeline stages.

Every column that passes between stages is declared here once, with its unit in its name, so that
stages, exports and tests agree. Import the constants rather than spelling the strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class BuildingUse(StrEnum):
    """Broad use of a building, the first key into the demand benchmarks."""

    DOMESTIC = "domestic"
    NON_DOMESTIC = "non_domestic"
    EXCLUDED = "excluded"


class Tenure(StrEnum):
    """Ownership class used for uptake assumptions (study §5.3)."""

    SOCIAL = "social"
    PRIVATE = "private"
    PUBLIC = "public"
    COMMERCIAL = "commercial"
    UNKNOWN = "unknown"


class DemandSource(StrEnum):
    """Where a building's annual heat demand came from, best first."""

    METERED = "metered"
    MODELLED = "modelled"
    BENCHMARK = "benchmark"
    EXCLUDED = "excluded"


class EdgeKind(StrEnum):
    """Kind of an edge in the network graph."""

    STREET = "street"
    SERVICE = "service"


class DigClass(StrEnum):
    """Reinstatement basis of an edge: the pipe-rate catalogue's soft or hard column."""

    SOFT = "soft"
    HARD = "hard"


class TrenchClass(StrEnum):
    """Where a trench runs, from the street's OSM tags; each class has its own GBP/m by DN.

    ``major_road`` (trunk, primary, secondary carriageways), ``road`` (other carriageways),
    ``footway`` (paved footways, pedestrian streets, cycle tracks and paved paths), ``soft``
    (unpaved paths, tracks, verges, green land), ``structure`` (on a bridge or through a
    tunnel), ``building_crossing`` (a passage through a building, when priced) and ``service``
    (a connection from the street to a building).
    """

    MAJOR_ROAD = "major_road"
    ROAD = "road"
    FOOTWAY = "footway"
    SOFT = "soft"
    STRUCTURE = "structure"
    BUILDING_CROSSING = "building_crossing"
    SERVICE = "service"


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a data contract.

    Attributes
    ----------
    name
        Column name, with its unit as a suffix.
    dtype
        Numpy/pandas dtype kind: ``"float"``, ``"int"``, ``"str"``, ``"bool"`` or ``"category"``.
    unit
        Unit in words (``"MWh/a"``), or ``""`` for unitless columns.
    description
        What the column holds.
    """

    name: str
    dtype: str
    unit: str
    description: str


# --- buildings (ingest, demand) -------------------------------------------------------------
BUILDING_ID = "building_id"
GEOMETRY = "geometry"
FOOTPRINT_AREA_M2 = "footprint_area_m2"
FLOORS = "floors"
FLOORS_SOURCE = "floors_source"
HEIGHT_M = "height_m"
GROSS_FLOOR_AREA_M2 = "gross_floor_area_m2"
USE = "use"
BUILDING_TAG = "building_tag"
NAME = "name"
ADDRESS = "address"
CONSTRUCTION_YEAR = "construction_year"
TENURE = "tenure"
SOURCE = "source"
OSM_TAGS = "osm_tags"
HEAT_DEMAND_MWH_PER_A = "heat_demand_mwh_per_a"
PEAK_LOAD_KW = "peak_load_kw"
DEMAND_SOURCE = "demand_source"
DEMAND_METHOD = "demand_method"
EXCLUSION_REASON = "exclusion_reason"
IS_ANCHOR = "is_anchor"
INCLUDED_BY_SCENARIO = "included_by_scenario"
CLUSTER_ID = "cluster_id"
PROPERTY_TYPE = "property_type"
"""Domestic property type (detached ... flat), set by the demand stage; read by cluster."""
TM46_CATEGORY = "tm46_category"
"""CIBSE TM46 benchmark category of a non-domestic building (demand stage)."""
OWNERSHIP = "ownership"
"""Owner from a demand layer (demand stage), shown on the map."""
N_DWELLINGS = "n_dwellings"
"""Dwellings in a building or cluster (cluster stage); costing counts HIUs from it."""

# --- streets (ingest) ------------------------------------------------------------------------
STREET_ID = "street_id"
HIGHWAY = "highway"
LENGTH_M = "length_m"
STREET_TAGS: tuple[str, ...] = ("surface", "bridge", "tunnel", "covered", "indoor")
"""OSM way tags kept on every street (text, missing where the way has none): they set its
trench class and whether it runs inside a building (routing stage)."""

# --- network and route -----------------------------------------------------------------------
KIND = "kind"
COST_CLASS = "cost_class"
DIG_CLASS = "dig_class"
"""Trench class of an edge or pipe (:class:`TrenchClass`)."""
DIG_PREMIUM = "dig_premium"
"""Share of the catalogue's hard-over-soft rate an edge or pipe pays: 0 soft, 1 hard."""
TRENCH_COST_GBP = "trench_cost_gbp"
SERVED_HEAT_MWH_PER_A = "served_heat_mwh_per_a"
SERVED_PEAK_KW = "served_peak_kw"
N_DOWNSTREAM = "n_downstream"
LHD_MWH_PER_M_A = "lhd_mwh_per_m_a"
PHASE = "phase"
TERMINAL_ID = "terminal_id"
"""Id of a terminal (load or energy centre) attached to the network graph."""
N_CONNECTIONS = "n_connections"
"""Connections (dwellings, buildings) behind one terminal, for diversity (route loads)."""
TRENCH_COST_GBP_PER_M = "trench_cost_gbp_per_m"
"""Civils cost of an edge's trench per metre (network graph edges, route segments)."""
SEGMENT_ID = "segment_id"
"""Id of a route segment (route, sizing, costing, export)."""

# --- sizing ----------------------------------------------------------------------------------
DIVERSITY_FACTOR = "diversity_factor"
DESIGN_FLOW_KG_PER_S = "design_flow_kg_per_s"
DN = "dn"
VELOCITY_M_PER_S = "velocity_m_per_s"
PRESSURE_DROP_PA_PER_M = "pressure_drop_pa_per_m"
HEAT_LOSS_W_PER_M = "heat_loss_w_per_m"
HEAT_LOSS_MWH_PER_A = "heat_loss_mwh_per_a"
CAPEX_GBP = "capex_gbp"
DESIGN_PEAK_KW = "design_peak_kw"
"""Peak a pipe is sized for, kW (sizing); costing sizes substations from it."""

BUILDING_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec(BUILDING_ID, "str", "", "stable id: OSM type+id (e.g. 'way/123') or the source id"),
    ColumnSpec(FOOTPRINT_AREA_M2, "float", "m2", "footprint area in the projected CRS"),
    ColumnSpec(FLOORS, "float", "", "number of above-ground floors"),
    ColumnSpec(HEIGHT_M, "float", "m", "building height, NaN where unknown"),
    ColumnSpec(GROSS_FLOOR_AREA_M2, "float", "m2", "footprint area times floors"),
    ColumnSpec(USE, "str", "", "BuildingUse"),
    ColumnSpec(BUILDING_TAG, "str", "", "the source's building type (OSM `building=*`)"),
    ColumnSpec(NAME, "str", "", "name, empty where unknown"),
    ColumnSpec(ADDRESS, "str", "", "street address, empty where unknown"),
    ColumnSpec(CONSTRUCTION_YEAR, "float", "a", "year of construction, NaN where unknown"),
    ColumnSpec(TENURE, "str", "", "Tenure"),
    ColumnSpec(SOURCE, "str", "", "input file or service the feature came from"),
    ColumnSpec(HEAT_DEMAND_MWH_PER_A, "float", "MWh/a", "annual heat demand"),
    ColumnSpec(PEAK_LOAD_KW, "float", "kW", "undiversified peak heat load"),
    ColumnSpec(DEMAND_SOURCE, "str", "", "DemandSource"),
    ColumnSpec(DEMAND_METHOD, "str", "", "how the demand was found, in words"),
)
"""The columns of the ``buildings`` layer after the demand stage."""
