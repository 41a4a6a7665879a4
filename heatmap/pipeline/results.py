"""What a run produced: :class:`Results` and the chosen network's :class:`NetworkResults`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import networkx as nx
import pandas as pd
import pyproj
from shapely.geometry import Point

from heatmap import routing, schema
from heatmap.design import costing, sizing
from heatmap.economics import appraisal as economics
from heatmap.errors import InputError
from heatmap.ingest import osm as ingest
from heatmap.ingest import weather
from heatmap.pipeline.scenario import Scenario
from heatmap.plant import DispatchResult, SweepResult
from heatmap.routing import route
from heatmap.zones import density

__all__ = ["NetworkResults", "Results"]


@dataclass(frozen=True)
class NetworkResults:
    """One planned network through the whole chain: route, pipes, plant, costs and money.

    Attributes
    ----------
    network_id
        The candidate it came from (``Z01``, ``Z01-2`` …).
    graph
        Street graph with this network's terminals attached.
    energy_centre
        The chosen site and the alternatives considered.
    route
        The spine route.
    sizing
        Pipe sizes, hydraulics and losses.
    cost
        CAPEX bill of quantities.
    dispatch
        Hourly plant dispatch of the whole network.
    economics
        Cashflows, NPV/IRR/LCOH, carbon and grant tests.
    plant_sweep
        Heat pump x store sizing sweep (the chosen network only; None on a screening appraisal).
    phases
        One row per build phase (``phases.csv``); None on a screening appraisal.
    phase_dispatch
        The plant dispatched on the network as built up to each phase (the last is
        ``dispatch``).
    cluster_loads
        The viable clusters offered to the route as loads.
    loads_beyond_capacity
        Ids of loads one energy centre could not carry (planned as other candidates).
    network_capacity_kw
        The diversified-peak limit that was applied.
    connected
        The connected loads, one row each, with their phase.
    """

    network_id: str
    graph: nx.Graph
    energy_centre: route.EnergyCentreChoice
    route: route.Route
    sizing: sizing.SizingResult
    cost: costing.CostBreakdown
    dispatch: DispatchResult
    economics: economics.EconomicsResult
    plant_sweep: SweepResult | None = None
    phases: pd.DataFrame | None = None
    phase_dispatch: tuple[DispatchResult, ...] = ()
    cluster_loads: gpd.GeoDataFrame | None = None
    loads_beyond_capacity: tuple[str, ...] = ()
    network_capacity_kw: float = float("nan")
    connected: gpd.GeoDataFrame | None = None

    def terminals(self, crs: pyproj.CRS) -> gpd.GeoDataFrame:
        """The energy centre and the connected loads as points (the ``terminals`` layer)."""
        rows: list[dict[str, Any]] = [
            {
                "terminal_id": "energy_centre",
                "role": "plant",
                schema.HEAT_DEMAND_MWH_PER_A: 0.0,
                schema.PEAK_LOAD_KW: 0.0,
                schema.PHASE: 1,
                "geometry": self.energy_centre.point,
            }
        ]
        for node, row in self.route.loads.iterrows():
            data = self.graph.nodes[node]
            rows.append(
                {
                    "terminal_id": str(row.get("terminal_id", node)),
                    "role": "load",
                    schema.HEAT_DEMAND_MWH_PER_A: float(row[schema.HEAT_DEMAND_MWH_PER_A]),
                    schema.PEAK_LOAD_KW: float(row[schema.PEAK_LOAD_KW]),
                    schema.PHASE: int(row[schema.PHASE]),
                    "geometry": Point(data["x"], data["y"]),
                }
            )
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=crs)


@dataclass(frozen=True)
class Results:
    """Everything one run produced, stage by stage.

    The area-wide layers are always there; ``network`` is the chosen candidate network through
    the whole chain, or None when no candidate network could be planned (then ``candidates``
    and the summary say why). The network's parts are also reachable directly
    (``results.route``, ``results.economics`` …), which raise :class:`InputError` when there is
    no network.

    Attributes
    ----------
    scenario
        The scenario that was run.
    area
        Ingested buildings and streets.
    buildings
        Buildings with demand and ``cluster_id``.
    weather
        Hourly temperatures used for profiles and dispatch.
    density
        Heat-density raster.
    opportunity_areas
        Opportunity areas by the density and LHD rules, ranked.
    anchor_loads
        Buildings above the anchor threshold.
    clusters
        Building clusters with their screening.
    existing_networks
        Existing heat networks, or an empty frame.
    summary
        The headline numbers written to ``summary.json``.
    timings_s
        Wall time of each stage.
    street_lhd
        The street heat atlas: one row per street segment with its connected heat and LHD.
    zones
        Candidate zones grown from the atlas, with the rule each passed or why it failed.
    candidates
        Every candidate network with its screening figures, ranked (``candidates.csv``).
    candidate_routes
        Each candidate's route as lines (the ``candidates`` layer).
    network
        The chosen network, or None.
    street_passages
        The streets through buildings left out of the routing graph (or priced as crossings).
    """

    scenario: Scenario
    area: ingest.StudyArea
    buildings: gpd.GeoDataFrame
    weather: weather.Weather
    density: density.DensityRaster
    opportunity_areas: gpd.GeoDataFrame
    anchor_loads: gpd.GeoDataFrame
    clusters: gpd.GeoDataFrame
    existing_networks: gpd.GeoDataFrame
    summary: dict[str, Any]
    timings_s: dict[str, float]
    street_lhd: gpd.GeoDataFrame | None = None
    zones: gpd.GeoDataFrame | None = None
    candidates: pd.DataFrame | None = None
    candidate_routes: gpd.GeoDataFrame | None = None
    network: NetworkResults | None = None
    street_passages: routing.PassageReport | None = None

    @property
    def crs(self) -> pyproj.CRS:
        """The projected CRS every layer is in."""
        return self.area.crs

    @property
    def has_network(self) -> bool:
        """Whether a network was planned (False when no candidate could be)."""
        return self.network is not None

    @property
    def chosen(self) -> NetworkResults:
        """The chosen network; raises :class:`InputError` when none was planned."""
        if self.network is None:
            msg = "no heat network was planned in this area; see candidates.csv for why"
            raise InputError(msg)
        return self.network

    @property
    def graph(self) -> nx.Graph:
        """Street graph with the chosen network's terminals attached."""
        return self.chosen.graph

    @property
    def energy_centre(self) -> route.EnergyCentreChoice:
        """The chosen network's energy centre."""
        return self.chosen.energy_centre

    @property
    def route(self) -> route.Route:
        """The chosen network's spine route."""
        return self.chosen.route

    @property
    def sizing(self) -> sizing.SizingResult:
        """The chosen network's pipe sizes, hydraulics and losses."""
        return self.chosen.sizing

    @property
    def cost(self) -> costing.CostBreakdown:
        """The chosen network's CAPEX bill."""
        return self.chosen.cost

    @property
    def dispatch(self) -> DispatchResult:
        """The chosen network's hourly dispatch."""
        return self.chosen.dispatch

    @property
    def economics(self) -> economics.EconomicsResult:
        """The chosen network's cashflows and appraisal."""
        return self.chosen.economics

    @property
    def plant_sweep(self) -> SweepResult:
        """The chosen network's heat pump x store sweep."""
        sweep = self.chosen.plant_sweep
        if sweep is None:
            msg = "this network was only screened; its plant sweep was not run"
            raise InputError(msg)
        return sweep

    @property
    def phases(self) -> pd.DataFrame | None:
        """The chosen network's build phases."""
        return self.chosen.phases

    @property
    def phase_dispatch(self) -> tuple[DispatchResult, ...]:
        """The chosen network's dispatch per build phase."""
        return self.chosen.phase_dispatch

    @property
    def cluster_loads(self) -> gpd.GeoDataFrame | None:
        """Viable clusters offered to the chosen network's route."""
        return self.chosen.cluster_loads

    @property
    def loads_beyond_capacity(self) -> tuple[str, ...]:
        """Loads of the chosen network's zone beyond one energy centre (other candidates)."""
        return self.chosen.loads_beyond_capacity

    @property
    def network_capacity_kw(self) -> float:
        """The diversified-peak limit applied to the chosen network."""
        return self.chosen.network_capacity_kw

    @property
    def pipes(self) -> gpd.GeoDataFrame:
        """Route segments with sizes, losses and costs (the ``pipes`` layer)."""
        return self.chosen.sizing.pipes

    def terminals(self) -> gpd.GeoDataFrame:
        """The energy centre and the connected loads as points (the ``terminals`` layer)."""
        return self.chosen.terminals(self.crs)
