"""Parameters of the routing stage: the street network (``[network]``) and the route (``[route]``).

The bottom module of :mod:`heatmap.routing`: the graph builder, the router and the siting
helpers import their parameters from here.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from heatmap import schema

__all__ = [
    "NetworkParams",
    "RouteParams",
]

_HARD_DIG_DEFAULT: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
    "tertiary",
    "tertiary_link",
    "unclassified",
    "residential",
    "living_street",
    "service",
    "pedestrian",
    "busway",
    "road",
    "footway",
    "cycleway",
    "sidewalk",
    "crossing",
)

_THERMOS = "THERMOS default pipe costs"

_MAJOR_ROAD_DEFAULT: tuple[str, ...] = (
    "motorway",
    "motorway_link",
    "trunk",
    "trunk_link",
    "primary",
    "primary_link",
    "secondary",
    "secondary_link",
)

_FOOTWAY_DEFAULT: tuple[str, ...] = (
    "footway",
    "pedestrian",
    "cycleway",
    "sidewalk",
    "crossing",
)

_UNPAVED_DEFAULT: tuple[str, ...] = (
    "unpaved",
    "compacted",
    "fine_gravel",
    "gravel",
    "pebblestone",
    "rock",
    "ground",
    "dirt",
    "earth",
    "grass",
    "grass_paver",
    "mud",
    "sand",
    "woodchips",
    "soil",
)

_PAVED_DEFAULT: tuple[str, ...] = (
    "paved",
    "asphalt",
    "chipseal",
    "concrete",
    "concrete:plates",
    "concrete:lanes",
    "paving_stones",
    "sett",
    "unhewn_cobblestone",
    "cobblestone",
    "bricks",
    "metal",
    "wood",
)

_TRL = (
    "CSS/TRL schedule of charges for utility trenches (2006): reinstatement GBP 28-45/m2 on "
    "lightly to most trafficked roads, GBP 11-23/m2 on footways"
)


@dataclass(frozen=True)
class NetworkParams:
    """Parameters of the network stage (scenario table ``[network]``)."""

    hard_dig_highways: tuple[str, ...] = field(
        default=_HARD_DIG_DEFAULT,
        metadata={
            "doc": "OSM highway values dug as hard dig (paved: carriageways, footways, cycle "
            "tracks); others (paths, tracks, bridleways over green land) soft",
            "source": "roads, pavements and cycle tracks are paved (hard reinstatement, THERMOS "
            "'road'); soft dig only on unpaved paths, verges and green land",
        },
    )
    major_road_highways: tuple[str, ...] = field(
        default=_MAJOR_ROAD_DEFAULT,
        metadata={
            "doc": "OSM highway values dug as major-road carriageway (traffic management, "
            "deeper reinstatement)",
            "source": "trunk, primary and secondary roads carry the most traffic (UK road "
            "classification)",
        },
    )
    footway_highways: tuple[str, ...] = field(
        default=_FOOTWAY_DEFAULT,
        metadata={
            "doc": "OSM highway values dug as paved footway (of the hard-dig highways)",
            "source": "footways, pedestrian streets and cycle tracks are paved but not trafficked",
        },
    )
    unpaved_surfaces: tuple[str, ...] = field(
        default=_UNPAVED_DEFAULT,
        metadata={
            "doc": "OSM surface values dug as soft dig, whatever the highway",
            "source": "OSM wiki, key surface: the unpaved values",
        },
    )
    paved_surfaces: tuple[str, ...] = field(
        default=_PAVED_DEFAULT,
        metadata={
            "doc": "OSM surface values that make a path, track or bridleway a paved footway",
            "source": "OSM wiki, key surface: the paved values",
        },
    )
    dig_premium: dict[str, float] = field(
        default_factory=lambda: {
            "major_road": 1.6,
            "road": 1.0,
            "footway": 0.6,
            "soft": 0.0,
        },
        metadata={
            "doc": "share of the pipe-rate catalogue's hard-over-soft rate each trench class "
            "pays (0 = the soft rate, 1 = the hard rate), per class: major_road, road, "
            "footway, soft",
            "source": f"calibrated to the ratios of the {_TRL}: road 1 (the catalogue's hard "
            "rate, 28/m2), major road 45/28 = 1.6, footway 17/28 = 0.6 (mid of 11-23)",
        },
    )
    structure_crossing_cost_gbp_per_m: float = field(
        default=1548.0,
        metadata={
            "doc": "civils cost of a main carried over a bridge or through a tunnel (hung or "
            "ducted, with the structure owner's consent), GBP/m at DN100",
            "source": "project assumption: twice the hard-dig trench rate; use a quote",
        },
    )
    barrier_crossing_length_m: float = field(
        default=40.0,
        metadata={
            "doc": "trenchless bore charged for each railway or river a street crosses at grade "
            "(priced at structure_crossing_cost_gbp_per_m), m",
            "source": "project assumption: a bore under the asset with launch and reception pits "
            "set back either side (Network Rail NR/L2/CIV/044 under-track crossings; "
            "Environment Agency set-backs for main rivers); use a quote",
        },
    )
    max_length_in_buildings_m: float = field(
        default=5.0,
        metadata={
            "doc": "a street running further than this inside building footprints (passages, "
            "arcades, covered ways) is no place for a trench, m",
            "source": "project default: allows a line drawn across a wall or a canopy's edge",
        },
    )
    building_passages: Literal["drop", "price"] = field(
        default="drop",
        metadata={
            "doc": "streets through buildings: drop them from the routing graph, or price them "
            "as special crossings at building_crossing_cost_gbp_per_m",
            "source": "project default: a main through a building needs its owner's consent",
        },
    )
    building_crossing_cost_gbp_per_m: float = field(
        default=3096.0,
        metadata={
            "doc": "cost of a main through a building (with building_passages = 'price'), GBP/m",
            "source": "project assumption: four times the hard-dig trench rate; use a quote",
        },
    )
    trench_cost_soft_gbp_per_m: float = field(
        default=249.0,
        metadata={
            "doc": "civils (trench) cost of soft dig per metre of route, GBP/m",
            "source": f"{_THERMOS}: civils_soft_per_m at DN100",
        },
    )
    trench_cost_hard_gbp_per_m: float = field(
        default=774.0,
        metadata={
            "doc": "civils (trench) cost of hard dig per metre of route, GBP/m",
            "source": f"{_THERMOS}: civils_hard_per_m at DN100",
        },
    )
    service_trench_cost_gbp_per_m: float = field(
        default=249.0,
        metadata={
            "doc": "civils cost of a service connection trench (street to building), GBP/m",
            "source": f"{_THERMOS}: civils_soft_per_m at DN100 (service runs are soft dig)",
        },
    )
    weight: Literal["cost", "length"] = field(
        default="cost",
        metadata={
            "doc": "edge weight minimised by the router: 'cost' = trench GBP, 'length' = metres",
            "source": "project default",
        },
    )
    max_service_length_m: float = field(
        default=100.0,
        metadata={
            "doc": "terminals farther than this from every street are reported unreachable, m",
            "source": "engineering judgement: a longer run is a private main, not a service",
        },
    )
    snap_tolerance_m: float = field(
        default=0.01,
        metadata={
            "doc": "street end points on the same grid cell of this size are one junction, m",
            "source": "float noise in noded street layers",
        },
    )

    def __post_init__(self) -> None:
        for name in (
            "trench_cost_soft_gbp_per_m",
            "trench_cost_hard_gbp_per_m",
            "service_trench_cost_gbp_per_m",
            "building_crossing_cost_gbp_per_m",
            "structure_crossing_cost_gbp_per_m",
            "barrier_crossing_length_m",
        ):
            if not getattr(self, name) > 0:
                unit = "m" if name.endswith("_length_m") else "GBP/m"
                msg = f"{name}: must be > 0 {unit}, got {getattr(self, name)}"
                raise ValueError(msg)
        if not self.trench_cost_hard_gbp_per_m > self.trench_cost_soft_gbp_per_m:
            msg = (
                "trench_cost_hard_gbp_per_m must be above trench_cost_soft_gbp_per_m, got "
                f"{self.trench_cost_hard_gbp_per_m} and {self.trench_cost_soft_gbp_per_m}"
            )
            raise ValueError(msg)
        classes = ("major_road", "road", "footway", "soft")
        unknown = sorted(set(self.dig_premium) - set(classes))
        missing = [c for c in classes if c not in self.dig_premium]
        if unknown or missing:
            msg = (
                f"dig_premium: give exactly the classes {', '.join(classes)}"
                + (f"; unknown {', '.join(unknown)}" if unknown else "")
                + (f"; missing {', '.join(missing)}" if missing else "")
            )
            raise ValueError(msg)
        for cls, value in self.dig_premium.items():
            if not 0.0 <= float(value) <= 10.0:
                msg = (
                    f"dig_premium.{cls}: must be within 0-10 (share of hard over soft), got {value}"
                )
                raise ValueError(msg)
        if self.building_passages not in ("drop", "price"):
            msg = f"building_passages: 'drop' or 'price', got {self.building_passages!r}"
            raise ValueError(msg)
        if not self.max_length_in_buildings_m >= 0:
            msg = f"max_length_in_buildings_m: must be >= 0 m, got {self.max_length_in_buildings_m}"
            raise ValueError(msg)
        if self.weight not in ("cost", "length"):
            msg = f"weight: must be 'cost' or 'length', got {self.weight!r}"
            raise ValueError(msg)
        if not self.max_service_length_m > 0:
            msg = f"max_service_length_m: must be > 0 m, got {self.max_service_length_m}"
            raise ValueError(msg)
        if not 0 < self.snap_tolerance_m < 10:
            msg = f"snap_tolerance_m: must be in (0, 10) m, got {self.snap_tolerance_m}"
            raise ValueError(msg)

    def dig_class(self, highway: str) -> schema.DigClass:
        """Return the dig class of an OSM ``highway`` value."""
        return schema.DigClass.HARD if highway in self.hard_dig_highways else schema.DigClass.SOFT

    def premium_of_cost(self, cost_gbp_per_m: float) -> float:
        """The dig premium (share of hard over soft) at which the trench costs ``cost_gbp_per_m``.

        >>> NetworkParams().premium_of_cost(774.0)
        1.0
        """
        soft, hard = self.trench_cost_soft_gbp_per_m, self.trench_cost_hard_gbp_per_m
        return (cost_gbp_per_m - soft) / (hard - soft)

    def premium_cost(self, premium: np.ndarray) -> np.ndarray:
        """Trench cost (GBP/m at DN100) of edges paying ``premium`` of the hard-over-soft rate."""
        soft, hard = self.trench_cost_soft_gbp_per_m, self.trench_cost_hard_gbp_per_m
        return soft + np.asarray(premium, dtype=float) * (hard - soft)

    def trench_cost(self, dig_class: schema.DigClass) -> float:
        """Return the trench cost of ``dig_class`` in GBP/m."""
        if dig_class == schema.DigClass.HARD:
            return self.trench_cost_hard_gbp_per_m
        return self.trench_cost_soft_gbp_per_m

    def edge_weight(self, length_m: np.ndarray, cost_gbp_per_m: np.ndarray) -> np.ndarray:
        """Return the router's weight of edges of ``length_m`` at ``cost_gbp_per_m``."""
        return length_m * cost_gbp_per_m if self.weight == "cost" else length_m.copy()


@dataclass(frozen=True)
class RouteParams:
    """Parameters of the route stage (scenario table ``[route]``)."""

    method: Literal["default", "fast", "exact"] = field(
        default="default",
        metadata={
            "doc": "Steiner solver: 'default' near-optimal heuristic, 'fast' 2-approximation, "
            "'exact' proven optimum within the time limit",
            "source": "project default",
        },
    )
    time_limit_s: float | None = field(
        default=60.0,
        metadata={
            "doc": "safety cap on solver time for the whole route, s, split evenly over the "
            "phases; the default solver's search is bounded by work, so it normally finishes "
            "well within this and gives the same tree on any machine (a warning says when the "
            "cap cut a search short). Unset: each solver's own cap",
            "source": "project default: City of London, 2 phases, solves in about 8 s",
        },
    )
    seed: int = field(default=0, metadata={"doc": "solver random seed", "source": ""})
    max_evaluations: int | None = field(
        default=5000,
        metadata={
            "doc": "work bound of the default Steiner solver per phase (moves evaluated); "
            "unset: search every start to convergence (slower on large areas)",
            "source": "project default: the City of London route stage in under 10 s",
        },
    )
    lhd_threshold_mwh_per_m_a: float = field(
        default=3.0,
        metadata={
            "doc": "street sections below this linear heat density are flagged low, MWh/m/a",
            "source": "Killingworth study: sections below 3 MWh/m/yr flagged low LHD",
        },
    )
    prune_low_lhd: bool = field(
        default=False,
        metadata={
            "doc": "drop leaf branches below the LHD threshold, repeatedly, until none is left",
            "source": "project default",
        },
    )
    prize_collecting: bool = field(
        default=False,
        metadata={
            "doc": "let the router leave out loads whose value does not pay for their trench",
            "source": "project default",
        },
    )
    pcst_polish: bool = field(
        default=False,
        metadata={
            "doc": "after the prize-collecting heuristic, solve the union of its best trees "
            "exactly (HiGHS cut loop); slower on street graphs of a few thousand edges and "
            "seldom shortens a street route by more than 1 %",
            "source": "measured on the City of London, Leeds and Bristol extracts: same routes "
            "on two, a 0.5 % shorter trench on the third, at ten times the route time",
        },
    )
    prize_per_mwh_per_a: float | None = field(
        default=None,
        metadata={
            "doc": "value of connecting 1 MWh/a of demand, in weight units (GBP when the weight "
            "is cost, m when it is length); none = the soft-dig trench cost of 1/threshold "
            "metres, i.e. a load pays for its trench exactly at the LHD threshold",
            "source": "derived from lhd_threshold_mwh_per_m_a and the network trench cost",
        },
    )
    connect_all_anchors: bool = field(
        default=True,
        metadata={
            "doc": "anchor loads (loads column is_anchor) are never pruned or left out",
            "source": "study: anchor loads define the spine",
        },
    )
    max_network_peak_kw: float | None = field(
        default=None,
        metadata={
            "doc": "largest diversified peak one energy centre's spine serves (kW); loads are "
            "connected nearest first until it is reached, the rest reported. Unset: what the "
            "largest catalogue pipe carries at the design temperatures",
            "source": "heatmap.design.sizing.max_capacity_kw (DN600 steel at the sizing limits)",
        },
    )
    phase_thresholds_mwh_per_a: tuple[float, ...] = field(
        default=(),
        metadata={
            "doc": "annual demand thresholds of the build phases, MWh/a, decreasing: phase 1 = "
            "loads at or above the first, phase 2 = loads from the second up to the first, ...; "
            "buildings below the last are not connected, viable clusters join the last phase. "
            "Empty: one phase at [demand] anchor_threshold_mwh_per_a",
            "source": "study Table 23 builds the spine in 3 nested phases",
        },
    )
    connect_viable_clusters: bool = field(
        default=True,
        metadata={
            "doc": "connect each domestic cluster the screening finds viable, as one load at "
            "its connection point (its connected dwellings and their share of its heat)",
            "source": "study 5.3 / 6.1: the viable housing clusters join the network",
        },
    )
    on_unreachable: Literal["raise", "drop"] = field(
        default="raise",
        metadata={
            "doc": "loads not connected to the energy centre: 'raise' an error naming them, or "
            "'drop' them and list them in Route.unreachable",
            "source": "project default: never a silent forest",
        },
    )

    def __post_init__(self) -> None:
        if self.method not in ("default", "fast", "exact"):
            msg = f"method: must be 'default', 'fast' or 'exact', got {self.method!r}"
            raise ValueError(msg)
        if self.time_limit_s is not None and not self.time_limit_s > 0:
            msg = f"time_limit_s: must be > 0 s or unset, got {self.time_limit_s}"
            raise ValueError(msg)
        if not self.lhd_threshold_mwh_per_m_a >= 0:
            msg = f"lhd_threshold_mwh_per_m_a: must be >= 0, got {self.lhd_threshold_mwh_per_m_a}"
            raise ValueError(msg)
        if self.prize_per_mwh_per_a is not None and not self.prize_per_mwh_per_a >= 0:
            msg = f"prize_per_mwh_per_a: must be >= 0 or unset, got {self.prize_per_mwh_per_a}"
            raise ValueError(msg)
        if self.max_evaluations is not None and not self.max_evaluations > 0:
            msg = f"max_evaluations: must be > 0 or unset, got {self.max_evaluations}"
            raise ValueError(msg)
        if self.on_unreachable not in ("raise", "drop"):
            msg = f"on_unreachable: must be 'raise' or 'drop', got {self.on_unreachable!r}"
            raise ValueError(msg)
        thr = self.phase_thresholds_mwh_per_a
        if any(not t > 0 for t in thr) or any(a <= b for a, b in itertools.pairwise(thr)):
            msg = (
                "phase_thresholds_mwh_per_a: give positive thresholds in decreasing order, "
                f"e.g. [500, 100], got {list(thr)}"
            )
            raise ValueError(msg)
        if self.max_network_peak_kw is not None and not self.max_network_peak_kw > 0:
            msg = f"max_network_peak_kw: must be > 0 kW or unset, got {self.max_network_peak_kw}"
            raise ValueError(msg)
