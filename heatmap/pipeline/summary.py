"""The headline numbers of a run: the keys of ``summary.json``."""

from __future__ import annotations

from typing import Any

import pandas as pd

from heatmap import schema
from heatmap._json import json_number
from heatmap._version import __version__
from heatmap.pipeline.results import Results

__all__ = ["summary_of"]


_NETWORK_KEYS = (
    "connected_heat_demand_mwh_per_a",
    "n_connections",
    "n_connected_buildings",
    "spine_length_m",
    "service_length_m",
    "route_lhd_mwh_per_m_a",
    "peak_demand_kw",
    "network_losses_pct",
    "network_losses_mwh_per_a",
    "pump_head_kpa",
    "capex_gbp",
    "hp_capacity_kw",
    "store_volume_m3",
    "hp_modules",
    "summer_hp_share_pct",
    "boiler_capacity_kw",
    "low_carbon_share_pct",
    "sweep_hp_capacity_kw",
    "sweep_store_volume_m3",
    "spf",
    "unmet_heat_mwh_per_a",
    "npv_gbp",
    "irr_pct",
    "social_irr_pct",
    "lcoh_gbp_per_mwh",
    "lcoh_with_carbon_gbp_per_mwh",
    "co2_savings_t_per_a",
    "co2_savings_t_year1",
    "co2_savings_t_per_a_average",
    "carbon_intensity_g_per_kwh",
    "ghnf_eligible",
    "economics_horizon_years",
    "n_unreachable_loads",
    "n_loads_beyond_capacity",
    "n_phases",
    "n_connected_clusters",
    "network_capacity_kw",
    "route_solver",
    "energy_centre_xy_m",
    "trench_by_dig_class_m",
    "pipe_capex_by_dig_class_gbp",
    "soft_dig_share_pct",
    "n_barrier_crossings",
    "barrier_crossing_capex_gbp",
)
"""Keys describing the chosen network; None when no network was planned."""


def summary_of(results: Results) -> dict[str, Any]:
    """Return the headline numbers of a run (the keys of ``summary.json``).

    Parameters
    ----------
    results
        A finished run.

    Returns
    -------
    summary
        Numbers with units in their names (the chosen network's figures, None when no network
        was planned), the candidate counts, plus ``scenario``, ``inputs``, ``crs`` and
        ``version``; NaN becomes None.
    """
    b = results.buildings
    cands = results.candidates if results.candidates is not None else None
    n_cand = 0 if cands is None else len(cands)
    n_viable = 0 if cands is None or not n_cand else int(cands["viable"].sum())
    head: dict[str, Any] = {
        "n_buildings": len(b),
        "total_heat_demand_mwh_per_a": float(b[schema.HEAT_DEMAND_MWH_PER_A].fillna(0).sum()),
        "degree_days_k_day": json_number(b.attrs.get("degree_days_k_day")),
        "degree_days_source": b.attrs.get("degree_days_source"),
        "network_id": None if results.network is None else results.network.network_id,
        "network_viable": _chosen_viable(results),
        "n_zones": 0 if results.zones is None else len(results.zones),
        "n_passing_zones": 0 if results.zones is None else int(results.zones["passes"].sum()),
        "n_candidates": n_cand,
        "n_viable_candidates": n_viable,
        "no_viable_reason": None if n_viable else _why_none(results),
    }
    network = _network_summary(results) if results.network is not None else {}
    tail: dict[str, Any] = {
        "n_opportunity_areas": len(results.opportunity_areas),
        "n_anchor_loads": len(results.anchor_loads),
        "n_clusters": len(results.clusters),
        "streets_in_buildings_n": _passages(results)[0],
        "streets_in_buildings_m": _passages(results)[1],
        "streets_in_buildings_action": _passages(results)[2],
        "scenario": results.scenario.name,
        "inputs": results.area.source,
        "weather": results.weather.source,
        "crs": results.crs.to_string(),
        "version": __version__,
        "timings_s": {k: round(v, 3) for k, v in results.timings_s.items()},
    }
    return {**head, **{k: network.get(k) for k in _NETWORK_KEYS}, **tail}


def _passages(results: Results) -> tuple[int, float, str]:
    """Streets through buildings: count, length and what was done with them."""
    p = results.street_passages
    return (0, 0.0, "none") if p is None else (p.n_edges, round(p.length_m, 1), p.action)


def _chosen_viable(results: Results) -> bool | None:
    if results.network is None or results.candidates is None:
        return None
    row = results.candidates[results.candidates["network_id"] == results.network.network_id]
    return bool(row["viable"].iloc[0]) if len(row) else None


def _why_none(results: Results) -> str:
    """Why no candidate network is viable, per zone."""
    if results.zones is None or len(results.zones) == 0:
        return "no street stretch is dense enough in heat to form a candidate zone"
    cands = results.candidates
    if cands is None or cands.empty:
        reasons = results.zones["reason"].astype(str)
        return "; ".join(f"{z}: {r}" for z, r in reasons.items() if r) or "no candidate"
    pairs = zip(cands["network_id"].astype(str), cands["reason"].astype(str), strict=True)
    return "; ".join(f"{n}: {r}" for n, r in pairs if r)


def _network_summary(results: Results) -> dict[str, Any]:
    """The chosen network's headline figures."""
    spine = results.route
    econ = results.economics.summary()
    d = results.dispatch
    segments = results.sizing.pipes
    street = segments[schema.KIND] == schema.EdgeKind.STREET
    chosen = results.plant_sweep.chosen
    summary: dict[str, Any] = {
        "connected_heat_demand_mwh_per_a": spine.connected_heat_mwh_per_a,
        "n_connections": spine.n_connections,
        "n_connected_buildings": len(spine.loads),
        "spine_length_m": float(segments.loc[street, schema.LENGTH_M].sum()),
        "service_length_m": float(segments.loc[~street, schema.LENGTH_M].sum()),
        "route_lhd_mwh_per_m_a": json_number(spine.route_lhd_mwh_per_m_a),
        "peak_demand_kw": float(d.peak_load_kw),
        "network_losses_pct": json_number(results.sizing.loss_share_pct),
        "network_losses_mwh_per_a": json_number(results.sizing.annual_heat_loss_mwh_per_a),
        "pump_head_kpa": json_number(results.sizing.pump_head_kpa),
        "capex_gbp": float(results.cost.total_capex_gbp),
        "hp_capacity_kw": float(d.hp_capacity_kw),
        "store_volume_m3": float(d.store_volume_m3),
        "hp_modules": d.hp_modules,
        "summer_hp_share_pct": json_number(d.summer_hp_share_pct),
        "boiler_capacity_kw": float(d.boiler_capacity_kw),
        "low_carbon_share_pct": json_number(d.low_carbon_share_pct),
        "sweep_hp_capacity_kw": (None if chosen is None else json_number(chosen["hp_capacity_kw"])),
        "sweep_store_volume_m3": (
            None if chosen is None else json_number(chosen["store_volume_m3"])
        ),
        "spf": json_number(d.spf),
        "unmet_heat_mwh_per_a": json_number(d.unmet_mwh),
        "npv_gbp": json_number(econ.get("npv_gbp")),
        "irr_pct": json_number(econ.get("irr_pct")),
        "social_irr_pct": json_number(econ.get("social_irr_pct")),
        "lcoh_gbp_per_mwh": json_number(econ.get("lcoh_gbp_per_mwh")),
        "lcoh_with_carbon_gbp_per_mwh": json_number(econ.get("lcoh_with_carbon_gbp_per_mwh")),
        "co2_savings_t_per_a": json_number(econ.get("co2_savings_t_per_a")),
        "co2_savings_t_year1": json_number(econ.get("co2_savings_t_year1")),
        "co2_savings_t_per_a_average": json_number(econ.get("co2_savings_t_per_a_average")),
        "carbon_intensity_g_per_kwh": json_number(econ.get("carbon_intensity_g_per_kwh")),
        "ghnf_eligible": bool(econ.get("ghnf_eligible")),
        "economics_horizon_years": econ.get("horizon_years"),
        "n_unreachable_loads": len(spine.unreachable),
        "n_loads_beyond_capacity": len(results.loads_beyond_capacity),
        "n_phases": int(spine.loads[schema.PHASE].nunique()),
        "n_connected_clusters": _n_clusters(results),
        "network_capacity_kw": json_number(results.network_capacity_kw),
        "route_solver": spine.solver,
        "energy_centre_xy_m": [
            round(results.energy_centre.point.x, 2),
            round(results.energy_centre.point.y, 2),
        ],
        **_dig_mix(segments),
    }
    return summary


def _dig_mix(pipes: pd.DataFrame) -> dict[str, Any]:
    """Trench metres and pipe CAPEX by trench class, and the soft share of the street trench."""
    if schema.DIG_CLASS not in pipes.columns or pipes.empty:
        return {}
    by = pipes.groupby(pipes[schema.DIG_CLASS].astype(str))
    street = pipes[schema.KIND] == schema.EdgeKind.STREET
    street_m = float(pipes.loc[street, schema.LENGTH_M].sum())
    soft_m = float(
        pipes.loc[
            street & (pipes[schema.DIG_CLASS] == schema.TrenchClass.SOFT), schema.LENGTH_M
        ].sum()
    )
    capex = by[schema.CAPEX_GBP].sum() if schema.CAPEX_GBP in pipes.columns else None
    return {
        "trench_by_dig_class_m": {
            k: round(float(v), 1) for k, v in by[schema.LENGTH_M].sum().items()
        },
        "pipe_capex_by_dig_class_gbp": (
            None if capex is None else {k: round(float(v)) for k, v in capex.items()}
        ),
        "soft_dig_share_pct": json_number(100.0 * soft_m / street_m if street_m > 0 else None),
        "n_barrier_crossings": int(pipes.get("n_crossings", pd.Series(dtype=int)).sum()),
        "barrier_crossing_capex_gbp": float(
            pipes.get("crossing_cost_gbp", pd.Series(dtype=float)).sum()
        ),
    }


def _n_clusters(results: Results) -> int:
    cl = results.cluster_loads
    if cl is None or cl.empty:
        return 0
    return int(results.route.loads[schema.TERMINAL_ID].astype(str).isin(cl.index.astype(str)).sum())
