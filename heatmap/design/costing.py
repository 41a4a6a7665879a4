"""CAPEX bill of quantities: network, connections, energy centre, development and contingency.

:func:`cost_capex` turns sized pipes (:func:`heatmap.design.sizing.size_pipes`), plant capacities
per
phase and a connections table into line items, each ``quantity x rate`` plus a contingency, the
way the Killingworth study builds its Table 50 (network by DN and dig class as in Table 51,
connections as in Tables 52-54). Unit rates live in ``heatmap/data/costing_rates.csv`` and
``costing_pipe_rates.csv`` with their sources; the scenario can override any of them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from heatmap import schema as sch
from heatmap.design._types import (
    COMPONENT_OF_KEY,
    DEVELOPMENT_CATEGORY,
    EXTRA_LINE_COLUMNS,
    LINE_COLUMNS,
    REPLACEMENT_COMPONENTS,
    CostBreakdown,
    CostParams,
    PlantCapacities,
)
from heatmap.design.rates import load_cost_rates, load_pipe_rates, pipe_capex_gbp
from heatmap.design.sizing import dn_table
from heatmap.design.table50 import table50
from heatmap.errors import InputError, SchemaError

__all__ = [
    "CostBreakdown",
    "CostParams",
    "PlantCapacities",
    "cost_capex",
    "load_cost_rates",
    "load_pipe_rates",
    "table50",
]

logger = logging.getLogger(__name__)


def _int(x: Any) -> int:
    return int(x)


def _num(x: Any) -> float:
    return float(x)


def _rates(params: CostParams) -> pd.DataFrame:
    rates = load_cost_rates(params.rates_path or None).copy()
    for key, value in params.rates_gbp.items():
        rates.loc[key, "rate_gbp"] = float(value)
    for key, value in params.contingency_pct.items():
        rates.loc[key, "contingency_pct"] = float(value)
    return rates


def _line(phase: int, key: str, quantity: float, rates: pd.DataFrame, **kw: Any) -> dict[str, Any]:
    r = {str(k): v for k, v in rates.loc[key].to_dict().items()}
    rate = float(kw.get("rate_gbp", r["rate_gbp"]))
    return {
        "phase": _int(phase),
        "category": str(r["category"]),
        "key": key,
        "component": COMPONENT_OF_KEY.get(key, ""),
        "item": str(kw.get("item", r["item"])),
        "quantity": float(quantity),
        "unit": str(kw.get("unit", r["unit"])),
        "rate_gbp": rate,
        "subtotal_gbp": float(kw.get("subtotal_gbp", quantity * rate)),
        "contingency_pct": float(r["contingency_pct"]),
    }


def _network_lines(
    pipes: pd.DataFrame, rates: pd.DataFrame, pipe_rates: pd.DataFrame
) -> list[dict[str, Any]]:
    need = [sch.LENGTH_M, sch.KIND, sch.COST_CLASS, sch.PHASE, sch.DN]
    missing = [c for c in need if c not in pipes.columns]
    if missing:
        msg = f"pipes: missing column(s) {', '.join(missing)}; size the route first (size_pipes)"
        raise SchemaError(msg)
    df = pd.DataFrame(pipes.drop(columns="geometry", errors="ignore"))
    if "material" not in df.columns:
        df["material"] = "steel"
    if sch.CAPEX_GBP not in df.columns:
        df[sch.CAPEX_GBP] = pipe_capex_gbp(
            df["material"], df[sch.DN], df[sch.COST_CLASS], df[sch.LENGTH_M], pipe_rates,
            premium=df[sch.DIG_PREMIUM] if sch.DIG_PREMIUM in df.columns else None,
        )  # fmt: skip
    out: list[dict[str, Any]] = []
    # CAPEX lines by trench class where the route gives one (else by soft/hard basis)
    by = sch.DIG_CLASS if sch.DIG_CLASS in df.columns else sch.COST_CLASS
    df["_dig"] = df[by].astype(str).str.replace("_", " ")
    groups = df.groupby([sch.PHASE, sch.KIND, "material", sch.DN, "_dig"], sort=True)
    for (phase, kind, material, dn, cls), grp in groups:
        key = "network_spine" if kind == "street" else "network_branches"
        mult = _num(rates.at[key, "rate_gbp"])
        length = float(grp[sch.LENGTH_M].sum())
        cost = float(grp[sch.CAPEX_GBP].sum()) * mult
        label = "spine" if key == "network_spine" else "branches/services"
        size = f"DN{dn}" if material == "steel" else f"{material} {dn} mm"
        where = "service trench" if cls == "service" else f"{cls} dig"
        out.append(
            _line(
                _int(phase), key, length, rates,
                item=f"Heat network {label} {size} ({where})", unit="m",
                rate_gbp=cost / length if length > 0 else 0.0, subtotal_gbp=cost,
            )
        )  # fmt: skip
    return out


def _leaf_connections(pipes: pd.DataFrame) -> pd.DataFrame:
    """One non-domestic connection per leaf segment (no connections table given)."""
    if not {"u", "v", sch.PHASE, sch.SERVED_PEAK_KW} <= set(pipes.columns):
        return pd.DataFrame({"phase": [], "n_dwellings": [], "peak_kw": []})
    leaves = pipes[~pipes["v"].isin(set(pipes["u"]))]
    return pd.DataFrame(
        {
            "phase": leaves[sch.PHASE].to_numpy(dtype=int),
            "n_dwellings": 0,
            "peak_kw": leaves[sch.SERVED_PEAK_KW].to_numpy(dtype=float),
        }
    )


def _connection_lines(connections: pd.DataFrame, rates: pd.DataFrame) -> list[dict[str, Any]]:
    for col in ("phase", "n_dwellings", "peak_kw"):
        if col not in connections.columns:
            msg = f"connections: missing column {col!r} (need phase, n_dwellings, peak_kw)"
            raise SchemaError(msg)
    c = connections.copy()
    for col in ("n_dwellings", "peak_kw"):
        vals = pd.to_numeric(c[col], errors="coerce")
        if vals.isna().any() or (vals < 0).any():
            msg = f"connections: {col} must be a number >= 0 in every row"
            raise InputError(msg)
        c[col] = vals
    quoted = (
        pd.to_numeric(c["connection_cost_gbp"], errors="coerce")
        if "connection_cost_gbp" in c.columns
        else pd.Series(np.nan, index=c.index)
    )
    c["_quoted"] = quoted
    out: list[dict[str, Any]] = []
    for phase, grp in c.groupby("phase", sort=True):
        q = grp[grp["_quoted"].notna()]
        m = grp[grp["_quoted"].isna()]
        dom = m[m["n_dwellings"] > 0]
        nondom = m[m["n_dwellings"] <= 0]
        if len(q):
            mult = _num(rates.at["connection_quoted", "rate_gbp"])
            cost = float(q["_quoted"].sum()) * mult
            out.append(
                _line(_int(phase), "connection_quoted", len(q), rates,
                      rate_gbp=cost / len(q), subtotal_gbp=cost)
            )  # fmt: skip
        if len(dom):
            out.append(_line(_int(phase), "hiu", float(dom["n_dwellings"].sum()), rates))
        if len(nondom):
            out.append(_line(_int(phase), "service_connection", len(nondom), rates))
            out.append(_line(_int(phase), "substation", float(nondom["peak_kw"].sum()), rates))
    return out


def _root_peak_by_phase(pipes: pd.DataFrame) -> dict[int, float]:
    if not {"u", "v", sch.SERVED_PEAK_KW, sch.PHASE} <= set(pipes.columns):
        return {}
    roots = pipes[~pipes["u"].isin(set(pipes["v"]))]
    col = sch.DESIGN_PEAK_KW if sch.DESIGN_PEAK_KW in roots.columns else sch.SERVED_PEAK_KW
    out: dict[int, float] = {}
    prev = 0.0
    for phase in sorted(set(pipes[sch.PHASE].astype(int))):
        cum = float(roots.loc[roots[sch.PHASE].astype(int) <= phase, col].sum())
        out[phase] = max(cum - prev, 0.0)
        prev = max(prev, cum)
    return out


def _plant_lines(
    phase: int,
    plant: PlantCapacities,
    rates: pd.DataFrame,
    params: CostParams,
    peak_kw: float,
    *,
    new: bool,
) -> list[dict[str, Any]]:
    hp, boil = plant.hp_capacity_kw, plant.boiler_capacity_kw
    area = plant.energy_centre_area_m2
    if area is None:
        area = params.energy_centre_m2_per_mw * (hp + boil) / 1e3 if new else 0.0
    kva = plant.electrical_connection_kva
    kva = params.electrical_kva_per_kw_hp * hp if kva is None else kva
    gas = boil if plant.gas_connection_kw is None else plant.gas_connection_kw
    peak = peak_kw if plant.network_peak_kw is None else plant.network_peak_kw
    once = 1.0 if new else 0.0
    quantities = {
        "energy_centre_building": area,
        "heat_pumps": hp,
        "heat_source_works": hp,
        "heat_pump_mne": hp,
        "boilers": boil,
        "pressurisation": once,
        "water_treatment": once,
        "boiler_flues": boil,
        "network_pumps": peak,
        "controls": hp,
        "other_mne": hp + boil,
        "thermal_store": plant.store_volume_m3,
        "gas_connection": gas,
        "electricity_connection": kva,
    }
    return [
        _line(phase, key, qty, rates)
        for key, qty in quantities.items()
        if qty > 0 and _num(rates.at[key, "rate_gbp"]) > 0
    ]


def _extra(extra_lines: pd.DataFrame) -> list[dict[str, Any]]:
    missing = [c for c in EXTRA_LINE_COLUMNS if c not in extra_lines.columns]
    if missing:
        msg = f"extra_lines: missing column(s) {', '.join(missing)}"
        raise SchemaError(msg)
    rows = []
    for rec in extra_lines.to_dict("records"):
        qty, rate = float(rec["quantity"]), float(rec["rate_gbp"])
        cont = float(rec["contingency_pct"])
        if not (np.isfinite(qty) and np.isfinite(rate) and 0 <= cont <= 100):
            msg = f"extra_lines: bad quantity/rate/contingency in line {rec['item']!r}"
            raise InputError(msg)
        key = rec.get("key")
        component = rec.get("component")
        if isinstance(component, str) and component and component not in REPLACEMENT_COMPONENTS:
            msg = (
                f"extra_lines: component {component!r} of line {rec['item']!r} is not one of "
                f"{', '.join(REPLACEMENT_COMPONENTS)} (or blank: never replaced)"
            )
            raise InputError(msg)
        rows.append(
            {
                "phase": int(rec["phase"]),
                "category": str(rec["category"]),
                "key": str(key) if isinstance(key, str) and key else str(rec["item"]),
                "component": component if isinstance(component, str) else "",
                "item": str(rec["item"]),
                "quantity": qty,
                "unit": str(rec["unit"]),
                "rate_gbp": rate,
                "subtotal_gbp": qty * rate,
                "contingency_pct": cont,
            }
        )
    return rows


def cost_capex(
    pipes: pd.DataFrame,
    *,
    plant: PlantCapacities | Mapping[int, PlantCapacities],
    connections: pd.DataFrame | None = None,
    params: CostParams | None = None,
    extra_lines: pd.DataFrame | None = None,
    pipe_rates: pd.DataFrame | None = None,
) -> CostBreakdown:
    """Build the CAPEX bill of quantities per phase.

    Parameters
    ----------
    pipes
        Sized pipes (``SizingResult.pipes``): ``phase, kind, cost_class, dn, material,
        length_m`` and ``capex_gbp`` (computed from the pipe rates when absent). Street segments
        cost as the spine, service segments as branches/services.
    plant
        Capacities added per phase (``{1: PlantCapacities(...), 2: ...}``); a single value is
        Phase 1.
    connections
        One row per connection: ``phase``, ``n_dwellings`` (0 = non-domestic), ``peak_kw``,
        optional ``connection_cost_gbp`` (a known secondary-side cost used as is). Dwellings
        cost an HIU each; non-domestic sites a service connection plus a substation per kW.
        ``None``: one non-domestic connection per leaf segment of ``pipes``.
    params
        Rates, contingency overrides and derivation factors.
    extra_lines
        Further lines (``phase, category, item, quantity, unit, rate_gbp, contingency_pct``,
        optional ``key``), e.g. quoted items. A ``further_project_development`` line replaces
        the development % for its phase.
    pipe_rates
        Pipe-and-trench rates when ``pipes`` has no ``capex_gbp`` (default bundled).

    Returns
    -------
    CostBreakdown
        Development is ``development`` % of the phase's other subtotals (excl. contingency);
        every line then gets its own contingency.

    Examples
    --------
    The two pipes of :func:`heatmap.design.sizing.size_pipes`' example (a 200 m DN100 main and a
    20 m service to one 1 MW customer) with a 500 kW heat pump, 1 MW of boilers and a 50 m3
    store:

    >>> pipes = pd.DataFrame(
    ...     {"phase": [1, 1], "u": ["EC", "a"], "v": ["a", "b"], "kind": ["street", "service"],
    ...      "cost_class": ["soft", "soft"], "material": ["steel", "pex"], "dn": [100, 110],
    ...      "length_m": [200.0, 20.0], "served_peak_kw": [1000.0, 1000.0]})
    >>> plant = PlantCapacities(hp_capacity_kw=500.0, boiler_capacity_kw=1000.0,
    ...                         store_volume_m3=50.0)
    >>> bill = cost_capex(pipes, plant=plant)
    >>> net = bill.lines[bill.lines["category"] == "network"]
    >>> print(net[["item", "quantity", "rate_gbp", "total_gbp"]].to_string())
                                                       item  quantity  rate_gbp  total_gbp
    0  Heat network branches/services pex 110 mm (soft dig)      20.0     381.0     8382.0
    1                   Heat network spine DN100 (soft dig)     200.0     549.0   120780.0
    >>> for _, row in bill.by_phase.iterrows():  # GBP incl. contingency
    ...     print(f"{row['category']:<28} {row['total_gbp']:>10,.0f}")
    all                           1,404,324
    building_connections            102,871
    energy_centre                 1,077,714
    further_project_development      94,577
    network                         129,162
    """
    p = params or CostParams()
    rates = _rates(p)
    prates = load_pipe_rates(p.pipe_rates_path or None) if pipe_rates is None else pipe_rates
    plants = {1: plant} if isinstance(plant, PlantCapacities) else dict(plant)
    first = min(plants) if plants else 1
    rows = _network_lines(pipes, rates, prates)
    if connections is None:
        logger.info("no connections table: one non-domestic connection per leaf segment")
        connections = _leaf_connections(pipes)
    rows += _connection_lines(connections, rates)
    peaks = _root_peak_by_phase(pipes)
    for phase, cap in sorted(plants.items()):
        new = cap.new_energy_centre if cap.new_energy_centre is not None else phase == first
        rows += _plant_lines(_int(phase), cap, rates, p, peaks.get(_int(phase), 0.0), new=new)
    if extra_lines is not None:
        rows += _extra(extra_lines)
    lines = pd.DataFrame(rows, columns=list(LINE_COLUMNS[:-2]))
    # development per phase unless a development line was given for it
    dev_rows = []
    for phase_key, grp in lines.groupby("phase", sort=True):
        phase = _int(phase_key)
        if (grp["category"] == DEVELOPMENT_CATEGORY).any():
            continue
        base = float(grp["subtotal_gbp"].sum())
        pct = _num(rates.at["development", "rate_gbp"])
        if base > 0 and pct > 0:
            dev_rows.append(
                _line(_int(phase), "development", base, rates, unit="GBP construction",
                      rate_gbp=pct / 100.0, subtotal_gbp=base * pct / 100.0)
            )  # fmt: skip
    if dev_rows:
        lines = pd.concat([lines, pd.DataFrame(dev_rows)], ignore_index=True)
    lines["contingency_gbp"] = lines["subtotal_gbp"] * lines["contingency_pct"] / 100.0
    lines["total_gbp"] = lines["subtotal_gbp"] + lines["contingency_gbp"]
    lines = lines.sort_values(["phase"], kind="stable").reset_index(drop=True)
    return CostBreakdown(
        lines=lines,
        by_phase=_by_phase(lines),
        total_capex_gbp=float(lines["total_gbp"].sum()),
        dn_table=_network_dn_table(lines, pipes),
    )


def _by_phase(lines: pd.DataFrame) -> pd.DataFrame:
    cols = ["subtotal_gbp", "contingency_gbp", "total_gbp"]
    cat = lines.groupby(["phase", "category"], as_index=False)[cols].sum()
    allc = lines.groupby("phase", as_index=False)[cols].sum().assign(category="all")
    out = pd.concat([cat, allc], ignore_index=True)
    return out.sort_values(["phase", "category"]).reset_index(drop=True)


def _network_dn_table(lines: pd.DataFrame, pipes: pd.DataFrame) -> pd.DataFrame:
    df = pd.DataFrame(pipes.drop(columns="geometry", errors="ignore"))
    if sch.CAPEX_GBP not in df.columns or "material" not in df.columns:
        net = lines[lines["category"] == "network"]
        return net[["phase", "item", "quantity", "subtotal_gbp"]].reset_index(drop=True)
    return dn_table(df)
