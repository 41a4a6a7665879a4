"""No stage function changes its caller's frames, arrays or graphs (STYLE: copy first).

A small synthetic area (a 4 x 4 street grid with offices and houses) is carried through every
stage; before each call its inputs are fingerprinted, and after it the fingerprints must match.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, box

from heatmap import plant as dispatch
from heatmap import schema
from heatmap.demand import estimate as demand
from heatmap.design import costing, sizing
from heatmap.economics import appraisal as economics
from heatmap.ingest.weather import synthetic_weather
from heatmap.outputs import maps as render
from heatmap.routing import graph as network
from heatmap.routing import route
from heatmap.zones import clusters as cluster
from heatmap.zones import density

CRS = "EPSG:27700"
X0, Y0, STEP = 530_000.0, 180_000.0, 100.0


def _fingerprint(obj: Any) -> str:
    """A digest of everything a caller could see change in ``obj``."""
    h = hashlib.sha256()
    if isinstance(obj, gpd.GeoDataFrame):
        h.update(pickle.dumps((list(obj.columns), list(obj.index), str(obj.crs), obj.attrs)))
        h.update(b"".join(obj.geometry.to_wkb(hex=False).tolist()))
        plain = obj.drop(columns=obj.geometry.name)
        h.update(pickle.dumps([plain[c].astype(object).map(repr).tolist() for c in plain]))
        h.update(pickle.dumps([str(t) for t in obj.dtypes]))
    elif isinstance(obj, pd.DataFrame | pd.Series):
        h.update(pickle.dumps(obj))
    elif isinstance(obj, np.ndarray):
        h.update(pickle.dumps((obj.dtype.str, obj.shape, obj.flags.writeable)))
        data = obj.tolist() if obj.dtype == object else np.ascontiguousarray(obj).tobytes()
        h.update(pickle.dumps(data))
    elif isinstance(obj, nx.Graph):
        h.update(repr(sorted(obj.graph.items(), key=str)).encode())
        h.update(
            repr(sorted(((str(n), sorted(d.items())) for n, d in obj.nodes(data=True)))).encode()
        )
        edges = sorted(
            (sorted((str(u), str(v))), sorted((k, repr(x)) for k, x in d.items()))
            for u, v, d in obj.edges(data=True)
        )
        h.update(repr(edges).encode())
    else:
        h.update(pickle.dumps(obj))
    return h.hexdigest()


def _unchanged(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call ``func`` and check that none of its arguments changed."""
    watched = [a for a in (*args, *kwargs.values()) if a is not None]
    before = [_fingerprint(a) for a in watched]
    out = func(*args, **kwargs)
    after = [_fingerprint(a) for a in watched]
    changed = [
        type(a).__name__ for a, b0, b1 in zip(watched, before, after, strict=True) if b0 != b1
    ]
    assert not changed, f"{func.__name__} changed its input(s): {changed}"
    return out


def _streets() -> gpd.GeoDataFrame:
    lines, ids = [], []
    for i in range(4):
        for j in range(3):
            lines.append(
                LineString([(X0 + i * STEP, Y0 + j * STEP), (X0 + i * STEP, Y0 + (j + 1) * STEP)])
            )
            lines.append(
                LineString([(X0 + j * STEP, Y0 + i * STEP), (X0 + (j + 1) * STEP, Y0 + i * STEP)])
            )
            ids += [f"v{i}{j}", f"h{i}{j}"]
    return gpd.GeoDataFrame(
        {schema.HIGHWAY: ["residential", "primary"] * (len(lines) // 2)},
        geometry=lines,
        crs=CRS,
        index=pd.Index(ids, name=schema.STREET_ID),
    )


def _buildings() -> gpd.GeoDataFrame:
    rows, geoms = [], []
    for i in range(3):
        for j in range(3):
            x, y = X0 + i * STEP, Y0 + j * STEP
            geoms.append(box(x + 10, y + 10, x + 50, y + 40))  # an office block
            rows.append(
                {"building_tag": "office", "building_levels": 6.0, "name": f"Office {i}{j}"}
            )
            for k in range(3):  # a short terrace of houses
                geoms.append(box(x + 60 + 10 * k, y + 60, x + 68 + 10 * k, y + 90))
                rows.append({"building_tag": "house", "building_levels": 2.0, "name": ""})
    b = gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    b.index = pd.Index([f"way/{k}" for k in range(len(b))], name=schema.BUILDING_ID)
    b[schema.FOOTPRINT_AREA_M2] = b.area
    return b


@pytest.fixture(scope="module")
def stages() -> dict[str, Any]:
    """Every stage's output for the synthetic area, each call checked for mutation."""
    streets = _streets()
    out: dict[str, Any] = {"streets": streets}
    b = _unchanged(demand.estimate_demand, _buildings())
    out["buildings"] = b
    raster = _unchanged(density.heat_density_raster, b, cell_size_m=50.0)
    out["raster"] = raster
    out["areas"] = _unchanged(density.opportunity_areas, b, raster, streets=streets)
    out["clusters"] = _unchanged(cluster.cluster_buildings, b, streets=streets)
    G = _unchanged(network.build_street_graph, streets)
    loads_b = b[b["building_tag"] == "office"]
    points = gpd.GeoDataFrame(
        {"terminal_id": loads_b.index.astype(str)},
        geometry=loads_b.geometry.representative_point().to_numpy(),
        crs=CRS,
    )
    plant = gpd.GeoDataFrame(
        {"terminal_id": ["energy_centre"]}, geometry=[box(X0 - 5, Y0 - 5, X0 - 1, Y0 - 1)], crs=CRS
    )
    H, nodes = _unchanged(network.attach_terminals, G, points, id_column="terminal_id")
    H, ec = _unchanged(network.attach_terminals, H, plant, id_column="terminal_id", role="plant")
    loads = route.loads_from_terminals(nodes, loads_b.assign(**{schema.N_CONNECTIONS: 1}))
    spine = _unchanged(route.build_route, H, root=ec["energy_centre"], loads=loads)
    out["route"] = spine
    segments = route.route_to_gdf(spine)
    sized = _unchanged(sizing.size_pipes, segments)
    out["sized"] = sized
    wx = synthetic_weather("Thames Valley")
    annual = float(loads_b[schema.HEAT_DEMAND_MWH_PER_A].sum())
    peak = demand.diversified_peak_kw(loads_b[schema.PEAK_LOAD_KW].to_numpy(float))
    load_kw = demand.hourly_profile_kw(annual, peak, weather=wx)
    losses_kw = np.full(load_kw.size, sized.annual_heat_loss_mwh_per_a * 1000.0 / load_kw.size)
    plant_run = _unchanged(dispatch.dispatch, load_kw, losses_kw=losses_kw)
    out["dispatch"] = plant_run
    connections = pd.DataFrame(
        {
            "phase": 1,
            "n_dwellings": 0,
            "peak_kw": loads_b[schema.PEAK_LOAD_KW].to_numpy(float),
        },
        index=loads_b.index,
    )
    cost = _unchanged(
        costing.cost_capex,
        sized.pipes,
        plant=costing.PlantCapacities(
            hp_capacity_kw=plant_run.hp_capacity_kw,
            boiler_capacity_kw=plant_run.boiler_capacity_kw,
            store_volume_m3=plant_run.store_volume_m3,
            network_peak_kw=plant_run.peak_load_kw,
        ),
        connections=connections,
    )
    out["cost"] = cost
    inputs = economics.EconomicsInputs(
        capex_lines=cost.lines.assign(phase=1)[["phase", "category", "item", "total_gbp"]],
        phases=pd.DataFrame(
            {
                "phase": [1],
                "start_year": [2027],
                "heat_sold_mwh_per_a": [annual],
                "electricity_mwh_per_a": [plant_run.electricity_mwh],
                "gas_mwh_per_a": [plant_run.gas_mwh],
                "heat_pump_heat_mwh_per_a": [float(plant_run.hourly["hp_kw"].sum()) / 1000.0],
                "heat_pump_kw": [plant_run.hp_capacity_kw],
            }
        ),
        connections=pd.DataFrame(
            {
                "name": loads_b["name"].to_numpy(),
                "phase": 1,
                "counterfactual": "ashp",
                schema.HEAT_DEMAND_MWH_PER_A: loads_b[schema.HEAT_DEMAND_MWH_PER_A].to_numpy(float),
                "peak_kw": loads_b[schema.PEAK_LOAD_KW].to_numpy(float),
                "dwellings": 0,
            }
        ),
    )
    out["economics_inputs"] = inputs
    out["economics"] = _unchanged(economics.evaluate, inputs, sensitivities=False)
    out["segments"] = segments
    return out


def test_every_stage_ran(stages: dict[str, Any]) -> None:
    b = stages["buildings"]
    assert (b[schema.HEAT_DEMAND_MWH_PER_A] > 0).all()
    assert stages["raster"].demand_mwh_per_a.sum() == pytest.approx(
        b[schema.HEAT_DEMAND_MWH_PER_A].sum()
    )
    assert len(stages["route"].loads) == 9
    assert stages["cost"].total_capex_gbp > 0
    assert np.isfinite(stages["economics"].summary()["npv_gbp"])


def test_economics_inputs_unchanged(stages: dict[str, Any]) -> None:
    inputs = stages["economics_inputs"]
    before = [_fingerprint(f) for f in (inputs.capex_lines, inputs.phases, inputs.connections)]
    economics.evaluate(inputs, sensitivities=True)
    after = [_fingerprint(f) for f in (inputs.capex_lines, inputs.phases, inputs.connections)]
    assert before == after


def test_render_map_leaves_layers_unchanged(stages: dict[str, Any]) -> None:
    _unchanged(
        render.render_map,
        buildings=stages["buildings"],
        route=stages["sized"].pipes,
        density=stages["raster"],
        opportunity_areas=stages["areas"],
        clusters=stages["clusters"].clusters,
        streets=stages["streets"],
    )


def test_fingerprint_sees_changes(stages: dict[str, Any]) -> None:
    """The check itself catches an in-place change of a frame, an array and a graph."""
    b = stages["buildings"].copy()
    fp = _fingerprint(b)
    b.loc[b.index[0], schema.HEAT_DEMAND_MWH_PER_A] += 1.0
    assert _fingerprint(b) != fp
    a = np.arange(5.0)
    fp = _fingerprint(a)
    a[0] = 9.0
    assert _fingerprint(a) != fp
    G = network.build_street_graph(stages["streets"])
    fp = _fingerprint(G)
    u, v = next(iter(G.edges))
    G.edges[u, v][schema.LENGTH_M] += 1.0
    assert _fingerprint(G) != fp
