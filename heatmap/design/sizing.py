"""Pipe sizing: diversity, design flow, DN choice, hydraulics and heat losses on a route tree.

Input is the route stage's segments frame (one row per tree edge, ``v`` downstream of ``u``, the
energy centre the ``u`` of the first segments). :func:`size_pipes` picks for each segment the
smallest catalogue pipe whose velocity and pressure gradient stay within limits, finds the index
(critical) path and the pump head, and computes heat losses per metre (EN 253 series-2 pair,
EN 13941-1 two-pipe formula), per year and as a share of the heat put into the network against
the < 10 % code-of-practice target (CIBSE/ADE CP1, study §7.2.5). Each segment also gets its
trench-and-pipe cost (``capex_gbp``) so the route layer can carry it.
"""

from __future__ import annotations

import logging
from collections import deque

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd

from heatmap import schema as sch
from heatmap.demand.estimate import diversity_factor
from heatmap.design._types import HOURS_PER_YEAR, SEGMENT_COLUMNS, SizingParams, SizingResult
from heatmap.design.physics import (
    darcy_friction_factor,
    design_flow_kg_per_s,
    pressure_gradient_pa_per_m,
    water_properties,
)
from heatmap.design.pipe_catalogue import (
    heat_loss_w_per_m,
    load_pipe_catalogue,
    max_capacity_kw,
    pair_coefficients,
    temperature_regime,
)
from heatmap.design.rates import load_pipe_rates, pipe_capex_gbp
from heatmap.errors import CRSError, InputError, SchemaError, SizingError

__all__ = [
    "SizingParams",
    "SizingResult",
    "design_flow_kg_per_s",
    "diversity_factor",
    "dn_table",
    "heat_loss_w_per_m",
    "load_pipe_catalogue",
    "max_capacity_kw",
    "pressure_gradient_pa_per_m",
    "size_pipes",
    "temperature_regime",
    "water_properties",
]

logger = logging.getLogger(__name__)


def _validate_segments(segments: gpd.GeoDataFrame) -> None:
    missing = [c for c in SEGMENT_COLUMNS if c not in segments.columns]
    if missing:
        msg = f"route segments: missing column(s) {', '.join(missing)}"
        raise SchemaError(msg)
    if segments.empty:
        msg = "route segments: the frame is empty; nothing to size"
        raise InputError(msg)
    crs = getattr(segments, "crs", None)
    if crs is not None and not crs.is_projected:
        msg = "route segments: CRS is geographic; project to a metric CRS before sizing"
        raise CRSError(msg)
    for col in (sch.LENGTH_M, sch.SERVED_PEAK_KW, sch.SERVED_HEAT_MWH_PER_A, sch.N_DOWNSTREAM):
        vals = pd.to_numeric(segments[col], errors="coerce")
        bad = vals.isna() | (vals < 0)
        if bad.any():
            ids = list(segments.loc[bad, "segment_id"][:5])
            msg = f"route segments: {col} must be a number >= 0 (segments {ids})"
            raise InputError(msg)
    kinds = set(segments[sch.KIND].astype(str)) - {"street", "service"}
    if kinds:
        msg = f"route segments: kind must be 'street' or 'service', got {sorted(kinds)}"
        raise InputError(msg)


def _tree_order(segments: pd.DataFrame) -> tuple[object, list[int], npt.NDArray[np.int64]]:
    """Return root, positional edge order from the root, and the parent-edge position per edge."""
    u = segments["u"].to_list()
    v = segments["v"].to_list()
    if len(set(v)) != len(v):
        msg = "route segments: a node is the downstream end (v) of two segments; not a tree"
        raise InputError(msg)
    roots = set(u) - set(v)
    if len(roots) != 1:
        msg = f"route segments: expected one root (energy centre) node, found {len(roots)}"
        raise InputError(msg)
    root = roots.pop()
    children: dict[object, list[int]] = {}
    for i, a in enumerate(u):
        children.setdefault(a, []).append(i)
    edge_into = {b: i for i, b in enumerate(v)}
    parent = np.full(len(u), -1, dtype=np.int64)
    order: list[int] = []
    queue: deque[object] = deque([root])
    while queue:
        node = queue.popleft()
        for i in children.get(node, []):
            order.append(i)
            parent[i] = edge_into.get(u[i], -1)
            queue.append(v[i])
    if len(order) != len(u):
        msg = "route segments: some segments are not reachable from the root (cycle or split)"
        raise InputError(msg)
    return root, order, parent


def _choose_pipes(
    flow: npt.NDArray[np.float64],
    is_service: npt.NDArray[np.bool_],
    catalogue: pd.DataFrame,
    p: SizingParams,
    seg_ids: list[object],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    t_mean = 0.5 * (p.flow_temp_c + p.return_temp_c)
    rho, _, mu = water_properties(t_mean)
    d = catalogue["inner_diameter_mm"].to_numpy() / 1e3
    eps = (
        np.full(len(d), p.roughness_mm)
        if p.roughness_mm is not None
        else catalogue["roughness_mm"].to_numpy()
    )
    vmax = (
        np.full(len(d), p.max_velocity_m_per_s)
        if p.max_velocity_m_per_s is not None
        else catalogue["max_velocity_m_per_s"].to_numpy()
    )
    vel = flow[:, None] / (rho * np.pi * d[None, :] ** 2 / 4.0)
    re = 4.0 * flow[:, None] / (np.pi * d[None, :] * mu)
    fr = darcy_friction_factor(re, (eps * 1e-3 / d)[None, :])
    grad = fr / d[None, :] * rho * vel**2 / 2.0
    gmax = np.where(
        is_service, p.max_pressure_gradient_service_pa_per_m, p.max_pressure_gradient_pa_per_m
    )
    ok = (vel <= vmax[None, :] + 1e-12) & (grad <= gmax[:, None] + 1e-9)
    material = catalogue["material"].to_numpy()
    steel = material == "steel"
    pref = material == p.service_material
    # rank: preferred material by size first, then steel by size (catalogue sorted by material, DN)
    order_d = np.argsort(d, kind="stable")
    choice = np.full(len(flow), -1, dtype=np.int64)
    for allowed in (
        np.where(is_service[:, None], pref[None, :], steel[None, :]),
        np.broadcast_to(steel[None, :], ok.shape),
    ):
        mask = (ok & allowed)[:, order_d]
        has = mask.any(axis=1) & (choice < 0)
        choice[has] = order_d[np.argmax(mask[has], axis=1)]
    bad = np.flatnonzero(choice < 0)
    if bad.size:
        i = int(bad[0])
        largest = catalogue.loc[steel, "dn"].max()
        msg = (
            f"segment {seg_ids[i]!r}: design flow {flow[i]:.1f} kg/s exceeds what the largest "
            f"catalogue pipe (DN{largest}) carries within the velocity and pressure-gradient "
            f"limits ({len(bad)} segment(s) affected). Split the load over a second spine from the "
            "energy centre, or raise the design ΔT (flow minus return temperature)."
        )
        raise SizingError(msg)
    rows = np.arange(len(flow))
    return choice, vel[rows, choice], grad[rows, choice]


def _annual_mean_excess_c(
    p: SizingParams,
    hourly_flow_temp_c: npt.ArrayLike | None,
    hourly_return_temp_c: npt.ArrayLike | None,
) -> float:
    """Mean over the year of ``T_flow + T_return - 2 T_ground``, K."""
    if (hourly_flow_temp_c is None) != (hourly_return_temp_c is None):
        msg = "give both hourly_flow_temp_c and hourly_return_temp_c, or neither"
        raise InputError(msg)
    if hourly_flow_temp_c is not None and hourly_return_temp_c is not None:
        f = np.asarray(hourly_flow_temp_c, dtype=float)
        r = np.asarray(hourly_return_temp_c, dtype=float)
        if f.shape != r.shape or f.ndim != 1 or f.size == 0:
            msg = "hourly flow and return temperatures must be 1-d series of equal length"
            raise InputError(msg)
        if np.any(f <= r):
            msg = f"hourly flow temperature is not above the return in {int(np.sum(f <= r))} hours"
            raise InputError(msg)
        return float(np.mean(f + r) - 2.0 * p.ground_temp_c)
    if p.variable_temperature:
        # Without an hourly series: the mean of the peak and summer regimes.
        mean_sum = 0.5 * (
            p.flow_temp_c + p.return_temp_c + p.summer_flow_temp_c + p.summer_return_temp_c
        )
        return mean_sum - 2.0 * p.ground_temp_c
    return p.flow_temp_c + p.return_temp_c - 2.0 * p.ground_temp_c


def dn_table(pipes: pd.DataFrame) -> pd.DataFrame:
    """Trench length and pipe cost by phase, material, DN and dig class (study Table 51 shape).

    Parameters
    ----------
    pipes
        Sized pipes with ``phase, material, dn, cost_class, length_m, capex_gbp``.

    Returns
    -------
    table
        ``phase, material, dn, length_soft_m, length_hard_m, length_m, capex_gbp,
        capex_gbp_per_m``; largest DN first within each phase.

    Examples
    --------
    >>> pipes = pd.DataFrame({"phase": [1, 1, 1], "material": ["steel"] * 3, "dn": [100, 100, 80],
    ...                       "cost_class": ["soft", "hard", "soft"],
    ...                       "length_m": [200.0, 50.0, 30.0],
    ...                       "capex_gbp": [109800.0, 40000.0, 15000.0]})
    >>> t = dn_table(pipes)
    >>> print(t[["dn", "length_soft_m", "length_hard_m", "capex_gbp_per_m"]].to_string())
        dn  length_soft_m  length_hard_m  capex_gbp_per_m
    0  100          200.0           50.0            599.2
    1   80           30.0            0.0            500.0
    """
    df = pd.DataFrame(
        {
            "phase": pipes[sch.PHASE].to_numpy(),
            "material": pipes["material"].to_numpy(),
            "dn": pipes[sch.DN].to_numpy(),
            "length_soft_m": np.where(pipes[sch.COST_CLASS] == "soft", pipes[sch.LENGTH_M], 0.0),
            "length_hard_m": np.where(pipes[sch.COST_CLASS] == "hard", pipes[sch.LENGTH_M], 0.0),
            "length_m": pipes[sch.LENGTH_M].to_numpy(dtype=float),
            "capex_gbp": pipes[sch.CAPEX_GBP].to_numpy(dtype=float),
        }
    )
    out = df.groupby(["phase", "material", "dn"], as_index=False).sum(numeric_only=True)
    out["capex_gbp_per_m"] = out["capex_gbp"] / out["length_m"].where(out["length_m"] > 0)
    out = out.sort_values(["phase", "material", "dn"], ascending=[True, False, False])
    return out.reset_index(drop=True)


def size_pipes(
    segments: gpd.GeoDataFrame,
    *,
    params: SizingParams | None = None,
    catalogue: pd.DataFrame | None = None,
    pipe_rates: pd.DataFrame | None = None,
    hourly_flow_temp_c: npt.ArrayLike | None = None,
    hourly_return_temp_c: npt.ArrayLike | None = None,
) -> SizingResult:
    """Size every segment of a route tree and compute hydraulics, losses and pipe cost.

    Parameters
    ----------
    segments
        Route segments (projected CRS): ``segment_id, u, v`` (``v`` downstream), geometry,
        ``length_m``, ``kind`` (street/service), ``cost_class`` (soft/hard),
        ``served_heat_mwh_per_a``, ``served_peak_kw`` (diversified), ``n_downstream``,
        ``phase``. Not modified.
    params
        Sizing parameters (defaults: study 70/45 °C, series 2).
    catalogue
        Pipe catalogue (:func:`load_pipe_catalogue`; default bundled).
    pipe_rates
        Pipe-and-trench rates (:func:`heatmap.design.costing.load_pipe_rates`; default bundled).
    hourly_flow_temp_c, hourly_return_temp_c
        Optional hourly temperature series (e.g. from :func:`temperature_regime`) for annual
        losses; otherwise the design (or, with ``variable_temperature``, the mean of the peak
        and summer) temperatures all year.

    Returns
    -------
    SizingResult

    Raises
    ------
    SchemaError, InputError, CRSError
        On a malformed segments frame or tree, or bad catalogues.
    SizingError
        If a segment's design flow is beyond the largest pipe (names the segment).

    Examples
    --------
    A 200 m street main and a 20 m service to one 1 MW customer, at the default 70/45 °C:

    >>> import geopandas as gpd
    >>> from shapely import LineString
    >>> segments = gpd.GeoDataFrame(
    ...     {"segment_id": ["main", "svc"], "u": ["EC", "a"], "v": ["a", "b"],
    ...      "length_m": [200.0, 20.0], "kind": ["street", "service"],
    ...      "cost_class": ["soft", "soft"], "served_heat_mwh_per_a": [2000.0, 2000.0],
    ...      "served_peak_kw": [1000.0, 1000.0], "n_downstream": [1, 1], "phase": [1, 1]},
    ...     geometry=[LineString([(0, 0), (200, 0)]), LineString([(200, 0), (200, 20)])],
    ...     crs="EPSG:27700")
    >>> res = size_pipes(segments)
    >>> cols = ["segment_id", "material", "dn", "velocity_m_per_s", "pressure_drop_pa_per_m"]
    >>> print(res.pipes[cols].round(2).to_string())
      segment_id material   dn  velocity_m_per_s  pressure_drop_pa_per_m
    0       main    steel  100              1.08                   98.18
    1        svc      pex  110              1.53                  196.34
    >>> round(res.design_flow_kg_per_s, 2), res.index_path
    (9.56, ('main', 'svc'))
    >>> round(res.pipes["capex_gbp"].sum())  # GBP of pipe and trench, before contingency
    117420
    """
    p = params or SizingParams()
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    rates = load_pipe_rates(catalogue=cat) if pipe_rates is None else pipe_rates
    _validate_segments(segments)
    pipes = segments.copy()
    _, order, parent = _tree_order(pipes)
    seg_ids = pipes["segment_id"].to_list()

    n_down = pipes[sch.N_DOWNSTREAM].to_numpy(dtype=float)
    # segments with no connection downstream carry no diversity (f = 1)
    div = np.asarray(diversity_factor(np.maximum(n_down, 1.0)), dtype=float)
    peak = pipes[sch.SERVED_PEAK_KW].to_numpy(dtype=float) * (div if p.apply_diversity else 1.0)
    flow = design_flow_kg_per_s(peak, flow_temp_c=p.flow_temp_c, return_temp_c=p.return_temp_c)
    is_service = (pipes[sch.KIND].astype(str) == "service").to_numpy()
    choice, vel, grad = _choose_pipes(flow, is_service, cat, p, seg_ids)

    chosen = cat.iloc[choice]
    pipes[sch.DIVERSITY_FACTOR] = div
    pipes[sch.DESIGN_PEAK_KW] = peak
    pipes[sch.DESIGN_FLOW_KG_PER_S] = flow
    pipes["pipe_id"] = chosen["pipe_id"].to_numpy()
    pipes["material"] = chosen["material"].to_numpy()
    pipes[sch.DN] = chosen["dn"].to_numpy()
    pipes["inner_diameter_mm"] = chosen["inner_diameter_mm"].to_numpy()
    pipes[sch.VELOCITY_M_PER_S] = vel
    pipes[sch.PRESSURE_DROP_PA_PER_M] = grad

    u12 = pair_coefficients(cat, p)[choice]
    length = pipes[sch.LENGTH_M].to_numpy(dtype=float)
    pipes[sch.HEAT_LOSS_W_PER_M] = u12 * (p.flow_temp_c + p.return_temp_c - 2.0 * p.ground_temp_c)
    excess = _annual_mean_excess_c(p, hourly_flow_temp_c, hourly_return_temp_c)
    pipes[sch.HEAT_LOSS_MWH_PER_A] = u12 * excess * length * HOURS_PER_YEAR / 1e6
    pipes[sch.CAPEX_GBP] = pipe_capex_gbp(
        pipes["material"], pipes[sch.DN], pipes[sch.COST_CLASS], pipes[sch.LENGTH_M], rates,
        premium=pipes[sch.DIG_PREMIUM] if sch.DIG_PREMIUM in pipes.columns else None,
    ).to_numpy()  # fmt: skip
    if "crossing_cost_gbp" in pipes.columns:
        # trenchless bores under railways and rivers crossed at grade
        pipes[sch.CAPEX_GBP] += pipes["crossing_cost_gbp"].fillna(0.0).to_numpy(dtype=float)

    # Index path: flow + return friction (x fittings allowance) accumulated from the root.
    seg_dp_kpa = 2.0 * grad * length * (1.0 + p.fittings_allowance_pct / 100.0) / 1e3
    cum = np.zeros(len(pipes))
    for i in order:
        cum[i] = seg_dp_kpa[i] + (cum[parent[i]] if parent[i] >= 0 else 0.0)
    end = int(np.argmax(cum))
    path: list[int] = []
    while end >= 0:
        path.append(end)
        end = int(parent[end])
    path.reverse()
    pipes["cum_pressure_drop_kpa"] = cum
    on_path = np.zeros(len(pipes), dtype=bool)
    on_path[path] = True
    pipes["on_index_path"] = on_path
    head_kpa = float(cum.max()) + p.plant_pressure_drop_kpa + p.substation_pressure_drop_kpa

    root_edges = parent < 0
    root_flow = float(flow[root_edges].sum())
    rho, _, _ = water_properties(0.5 * (p.flow_temp_c + p.return_temp_c))
    pump_kw = head_kpa * 1e3 * root_flow / float(rho) / p.pump_efficiency / 1e3

    loss = float(pipes[sch.HEAT_LOSS_MWH_PER_A].sum())
    delivered = float(pipes.loc[root_edges, sch.SERVED_HEAT_MWH_PER_A].astype(float).sum())
    share = 100.0 * loss / (delivered + loss) if delivered + loss > 0 else 0.0
    flagged = share > p.loss_share_limit_pct
    if flagged:
        logger.warning(
            "network heat loss %.1f %% of heat supplied exceeds the %.0f %% target",
            share,
            p.loss_share_limit_pct,
        )
    return SizingResult(
        pipes=pipes,
        index_path=tuple(seg_ids[i] for i in path),
        pump_head_kpa=head_kpa,
        pump_power_kw=pump_kw,
        design_flow_kg_per_s=root_flow,
        annual_heat_loss_mwh_per_a=loss,
        heat_delivered_mwh_per_a=delivered,
        loss_share_pct=share,
        loss_share_flagged=bool(flagged),
        dn_table=dn_table(pipes),
        params=p,
    )
