"""The routing stage: street graph, Steiner and prize-collecting solvers, route tree, siting.

Modules: :mod:`.params` (the stage's parameters), :mod:`.graph` (street graph),
:mod:`.dig` (trench classes from street tags), :mod:`.passages` (streets through
buildings), :mod:`.crossings` (railways and rivers), :mod:`.street_graph` (the routing graph
of an area, all three applied), :mod:`.terminals` (loads and the energy
centre on the graph), :mod:`.steiner` (solvers),
:mod:`.steinlib` (benchmark files), :mod:`.route` (the spine and its phases), :mod:`.tree`
(per-edge loads, LHD) and :mod:`.siting` (energy-centre choice).
"""

from __future__ import annotations

from heatmap.routing import graph as graph
from heatmap.routing import params as params
from heatmap.routing import passages as passages
from heatmap.routing import route as route
from heatmap.routing import siting as siting
from heatmap.routing import steiner as steiner
from heatmap.routing import steinlib as steinlib
from heatmap.routing import terminals as terminals
from heatmap.routing import tree as tree
from heatmap.routing.crossings import CrossingReport as CrossingReport
from heatmap.routing.crossings import price_crossings as price_crossings
from heatmap.routing.crossings import split_report as split_report
from heatmap.routing.graph import NetworkParams as NetworkParams
from heatmap.routing.graph import attach_terminals as attach_terminals
from heatmap.routing.graph import build_street_graph as build_street_graph
from heatmap.routing.graph import graph_edges_gdf as graph_edges_gdf
from heatmap.routing.graph import keep_largest_component as keep_largest_component
from heatmap.routing.graph import largest_reachable_component as largest_reachable_component
from heatmap.routing.graph import terminal_node as terminal_node
from heatmap.routing.passages import PassageReport as PassageReport
from heatmap.routing.passages import avoid_buildings as avoid_buildings
from heatmap.routing.route import N_CONNECTIONS as N_CONNECTIONS
from heatmap.routing.route import EnergyCentreChoice as EnergyCentreChoice
from heatmap.routing.route import Route as Route
from heatmap.routing.route import RouteParams as RouteParams
from heatmap.routing.route import build_route as build_route
from heatmap.routing.route import choose_energy_centre as choose_energy_centre
from heatmap.routing.route import loads_from_terminals as loads_from_terminals
from heatmap.routing.route import phase_summary as phase_summary
from heatmap.routing.route import route_to_gdf as route_to_gdf
from heatmap.routing.steiner import PCSTResult as PCSTResult
from heatmap.routing.steiner import SteinerResult as SteinerResult
from heatmap.routing.steiner import prize_collecting_steiner_tree as prize_collecting_steiner_tree
from heatmap.routing.steiner import solve_stp as solve_stp
from heatmap.routing.steiner import steiner_tree as steiner_tree
from heatmap.routing.steiner import validate_tree as validate_tree
from heatmap.routing.steinlib import SteinLibInstance as SteinLibInstance
from heatmap.routing.steinlib import read_stp as read_stp
from heatmap.routing.street_graph import routing_graph as routing_graph
from heatmap.routing.tree import OrientedTree as OrientedTree
from heatmap.routing.tree import downstream_sums as downstream_sums
from heatmap.routing.tree import low_lhd_leaf_branches as low_lhd_leaf_branches
from heatmap.routing.tree import orient as orient
from heatmap.routing.tree import segment_table as segment_table

__all__ = [
    "N_CONNECTIONS",
    "CrossingReport",
    "EnergyCentreChoice",
    "NetworkParams",
    "OrientedTree",
    "PCSTResult",
    "PassageReport",
    "Route",
    "RouteParams",
    "SteinLibInstance",
    "SteinerResult",
    "attach_terminals",
    "avoid_buildings",
    "build_route",
    "build_street_graph",
    "choose_energy_centre",
    "downstream_sums",
    "graph",
    "graph_edges_gdf",
    "keep_largest_component",
    "largest_reachable_component",
    "loads_from_terminals",
    "low_lhd_leaf_branches",
    "orient",
    "params",
    "passages",
    "phase_summary",
    "price_crossings",
    "prize_collecting_steiner_tree",
    "read_stp",
    "route",
    "route_to_gdf",
    "routing_graph",
    "segment_table",
    "siting",
    "solve_stp",
    "split_report",
    "steiner",
    "steiner_tree",
    "steinlib",
    "terminal_node",
    "terminals",
    "tree",
    "validate_tree",
]
