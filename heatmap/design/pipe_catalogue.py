"""The pipe catalogue, design temperature regime, heat loss per metre and largest spine capacity."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from heatmap._data import user_or_bundled_csv
from heatmap.design._types import SizingParams
from heatmap.design.physics import (
    pair_loss_coefficient_w_per_mk,
    pressure_gradient_pa_per_m,
    water_properties,
)
from heatmap.errors import InputError, SchemaError

__all__ = [
    "CATALOGUE_COLUMNS",
    "heat_loss_w_per_m",
    "load_pipe_catalogue",
    "max_capacity_kw",
    "pair_coefficients",
    "temperature_regime",
]

CATALOGUE_COLUMNS = (
    "pipe_id",
    "material",
    "dn",
    "outer_diameter_mm",
    "inner_diameter_mm",
    "roughness_mm",
    "max_velocity_m_per_s",
    "source",
)


def load_pipe_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate the pipe catalogue.

    Parameters
    ----------
    path
        CSV with columns ``pipe_id, material, dn, outer_diameter_mm, inner_diameter_mm,
        casing_od_series<N>_mm, roughness_mm, max_velocity_m_per_s, source``; ``None`` loads
        the bundled ``heatmap/data/sizing_pipe_catalogue.csv`` (steel DN20-DN600 with EN 253
        series-2 casings, PE-X 25-110 service pipes).

    Returns
    -------
    catalogue
        Frame sorted by material and inner diameter.

    Examples
    --------
    >>> cat = load_pipe_catalogue()
    >>> cat.groupby("material")["dn"].agg(["min", "max", "size"]).to_dict("index")
    {'pex': {'min': 25, 'max': 110, 'size': 8}, 'steel': {'min': 20, 'max': 600, 'size': 18}}

    Raises
    ------
    InputError
        Missing columns, a blank cell (missing DN or dimension), duplicate DNs, non-positive
        sizes, inner diameter not below outer, inner diameters that do not rise with DN, or no
        steel series.
    """
    df, name = user_or_bundled_csv(path, "sizing_pipe_catalogue.csv", what="pipe catalogue")
    missing = [c for c in CATALOGUE_COLUMNS if c not in df.columns]
    if missing:
        msg = f"{name}: missing column(s) {', '.join(missing)}"
        raise SchemaError(msg)
    num = [c for c in df.columns if c.endswith(("_mm", "_m_per_s")) or c == "dn"]
    vals = df[num].apply(pd.to_numeric, errors="coerce")
    blank = vals.isna().any(axis=1) | df["material"].isna() | df["pipe_id"].isna()
    if blank.any():
        rows = ", ".join(str(df.loc[i, "pipe_id"]) for i in df.index[blank])
        msg = f"{name}: pipe(s) {rows} have a missing DN or dimension; fill every cell"
        raise InputError(msg)
    df = df.copy()
    df[num] = vals.astype(float)
    df["dn"] = df["dn"].astype(int)
    if (df[num] <= 0).drop(columns=["roughness_mm"]).any(axis=None) or (
        df["roughness_mm"] < 0
    ).any():
        msg = f"{name}: sizes and velocity limits must be > 0 and roughness >= 0"
        raise InputError(msg)
    if (df["inner_diameter_mm"] >= df["outer_diameter_mm"]).any():
        msg = f"{name}: inner_diameter_mm must be below outer_diameter_mm"
        raise InputError(msg)
    if df.duplicated(["material", "dn"]).any() or df["pipe_id"].duplicated().any():
        msg = f"{name}: duplicate pipe_id or material/DN rows"
        raise InputError(msg)
    if not (df["material"] == "steel").any():
        msg = f"{name}: no steel pipes; street segments are sized from the steel series"
        raise InputError(msg)
    df = df.sort_values(["material", "dn"]).reset_index(drop=True)
    for material, grp in df.groupby("material", sort=False):
        if (np.diff(grp["inner_diameter_mm"].to_numpy()) <= 0).any():
            msg = f"{name}: {material} inner diameters must rise with DN"
            raise InputError(msg)
    return df


def temperature_regime(
    load_fraction: npt.ArrayLike, params: SizingParams | None = None
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Hourly flow and return temperatures of variable-temperature operation (study §7.2.5).

    Linear in the hour's load as a fraction of peak: the summer regime (65/35 °C) at zero load,
    the peak regime (70/45 °C) at peak.

    Examples
    --------
    >>> flow, ret = temperature_regime([0.0, 0.5, 1.0])
    >>> flow.tolist(), ret.tolist()
    ([65.0, 67.5, 70.0], [35.0, 40.0, 45.0])
    """
    p = params or SizingParams()
    x = np.clip(np.asarray(load_fraction, dtype=float), 0.0, 1.0)
    flow = p.summer_flow_temp_c + x * (p.flow_temp_c - p.summer_flow_temp_c)
    ret = p.summer_return_temp_c + x * (p.return_temp_c - p.summer_return_temp_c)
    return flow, ret


def _casing_column(catalogue: pd.DataFrame, series: int) -> str:
    col = f"casing_od_series{series}_mm"
    if col not in catalogue.columns:
        msg = f"the pipe catalogue has no {col} column for insulation series {series}"
        raise InputError(msg)
    return col


def pair_coefficients(catalogue: pd.DataFrame, p: SizingParams) -> npt.NDArray[np.float64]:
    """Return the flow + return pair heat-loss coefficient of each catalogue pipe, W/mK."""
    col = _casing_column(catalogue, p.insulation_series)
    return pair_loss_coefficient_w_per_mk(
        catalogue["outer_diameter_mm"].to_numpy() / 1e3,
        catalogue[col].to_numpy(dtype=float) / 1e3,
        insulation_conductivity_w_per_mk=p.insulation_conductivity_w_per_mk,
        ground_conductivity_w_per_mk=p.ground_conductivity_w_per_mk,
        cover_depth_m=p.cover_depth_m,
        pipe_spacing_m=p.pipe_spacing_m,
    )


def heat_loss_w_per_m(
    dn: int,
    *,
    flow_temp_c: float,
    return_temp_c: float,
    ground_temp_c: float,
    series: int = 2,
    material: str = "steel",
    catalogue: pd.DataFrame | None = None,
    params: SizingParams | None = None,
) -> float:
    """Heat loss of a buried flow + return pair per metre of trench, W/m.

    ``q = (U1 - U2) (T_flow + T_return - 2 T_ground)`` with ``U1 - U2`` from the EN 13941-1
    two-pipe formula (see :func:`heatmap.design.physics.pair_loss_coefficient_w_per_mk`) for
    the catalogue pipe's outer and casing diameters and the soil/insulation values in ``params``.

    Examples
    --------
    DN100 series 2 at 70/40 °C in 8 °C ground: ``0.2269 x (70 + 40 - 16)``.

    >>> q = heat_loss_w_per_m(100, flow_temp_c=70.0, return_temp_c=40.0, ground_temp_c=8.0)
    >>> round(q, 1)
    21.3
    """
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    p = params or SizingParams()
    p = replace(p, insulation_series=series)
    row = cat[(cat["material"] == material) & (cat["dn"] == int(dn))]
    if row.empty:
        msg = f"no {material} DN{dn} in the pipe catalogue"
        raise InputError(msg)
    u = float(pair_coefficients(row, p)[0])
    return u * (flow_temp_c + return_temp_c - 2.0 * ground_temp_c)


def max_capacity_kw(
    *, params: SizingParams | None = None, catalogue: pd.DataFrame | None = None
) -> float:
    """Largest design peak (kW) one spine can carry: the largest steel pipe at its limits.

    Parameters
    ----------
    params
        Design temperatures and velocity / pressure-gradient limits.
    catalogue
        Pipe catalogue (default bundled).

    Returns
    -------
    capacity_kw
        Heat carried by the largest steel DN at the highest mass flow within both limits,
        at the design flow and return temperatures (resolved to 0.1 % of the flow).

    Examples
    --------
    >>> round(max_capacity_kw() / 1000)  # MW through DN600 at 70/45 °C
    86
    """
    p = params or SizingParams()
    cat = load_pipe_catalogue() if catalogue is None else catalogue
    steel = cat[cat["material"] == "steel"]
    row = steel.iloc[int(np.argmax(steel["dn"].to_numpy()))]
    t_mean = 0.5 * (p.flow_temp_c + p.return_temp_c)
    rho, cp, _ = water_properties(t_mean)
    d = float(row["inner_diameter_mm"]) / 1e3
    eps = p.roughness_mm if p.roughness_mm is not None else float(row["roughness_mm"])
    vmax = (
        p.max_velocity_m_per_s
        if p.max_velocity_m_per_s is not None
        else float(row["max_velocity_m_per_s"])
    )
    area_m2 = np.pi * d**2 / 4.0
    flows = np.geomspace(1e-3, vmax * rho * area_m2, 8000)
    grad = pressure_gradient_pa_per_m(flows, d, roughness_mm=eps, temp_c=t_mean)
    ok = flows[grad <= p.max_pressure_gradient_pa_per_m]
    flow = float(ok.max()) if ok.size else 0.0
    return float(flow * cp * (p.flow_temp_c - p.return_temp_c) / 1e3)
