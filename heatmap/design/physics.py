"""Water properties, design flow, pipe friction and buried-pipe heat loss for the sizing stage.

All functions are vectorised over numpy arrays and take SI units with the unit in each name.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from heatmap.errors import InputError

__all__ = [
    "darcy_friction_factor",
    "design_flow_kg_per_s",
    "pair_loss_coefficient_w_per_mk",
    "pressure_gradient_pa_per_m",
    "water_properties",
]

FloatArray = npt.NDArray[np.float64]

# Liquid water at 1 bar (100 °C: saturated liquid); IAPWS-95 values as tabulated in the NIST
# Chemistry WebBook. Linear interpolation between 10 K nodes is within 0.05 % for density and
# heat capacity and within 2 % for viscosity over 0-100 °C.
_T_NODES_C = np.arange(0.0, 101.0, 10.0)
_RHO_KG_PER_M3 = np.array(
    [999.84, 999.70, 998.21, 995.65, 992.22, 988.03, 983.20, 977.76, 971.79, 965.31, 958.35]
)
_CP_J_PER_KGK = np.array(
    [4219.9, 4195.5, 4184.4, 4180.1, 4179.6, 4181.5, 4185.1, 4190.2, 4196.9, 4205.3, 4215.7]
)
_MU_PA_S = 1e-3 * np.array(
    [1.7914, 1.3060, 1.0016, 0.7972, 0.6527, 0.5465, 0.4660, 0.4035, 0.3540, 0.3142, 0.2816]
)


def water_properties(
    temp_c: float | npt.ArrayLike,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return density, specific heat capacity and dynamic viscosity of liquid water.

    Parameters
    ----------
    temp_c
        Water temperature, °C, within 0-100 °C.

    Returns
    -------
    density_kg_per_m3, cp_j_per_kgk, viscosity_pa_s
        Arrays shaped like ``temp_c`` (0-d for a scalar).

    Raises
    ------
    InputError
        If a temperature lies outside 0-100 °C (pressurised water above 100 °C is not covered).

    Examples
    --------
    >>> rho, cp, mu = water_properties(60.0)
    >>> float(rho), float(cp), round(float(mu) * 1e3, 4)  # kg/m3, J/(kg K), mPa s
    (983.2, 4185.1, 0.466)
    """
    t = np.asarray(temp_c, dtype=float)
    if np.any(~np.isfinite(t)) or np.any(t < 0.0) or np.any(t > 100.0):
        msg = (
            f"water temperature {np.min(t):.1f}-{np.max(t):.1f} °C is outside the 0-100 °C range "
            "of the water property table; use flow/return temperatures within it"
        )
        raise InputError(msg)
    return (
        np.interp(t, _T_NODES_C, _RHO_KG_PER_M3),
        np.interp(t, _T_NODES_C, _CP_J_PER_KGK),
        np.interp(t, _T_NODES_C, _MU_PA_S),
    )


def design_flow_kg_per_s(
    peak_kw: float | npt.ArrayLike, *, flow_temp_c: float, return_temp_c: float
) -> FloatArray:
    """Mass flow that carries ``peak_kw`` at the given flow/return temperatures.

    ``m = P / (cp(T_mean) * (T_flow - T_return))``.

    Parameters
    ----------
    peak_kw
        Heat load, kW (scalar or array, >= 0).
    flow_temp_c, return_temp_c
        Design flow and return temperatures, °C.

    Returns
    -------
    mass_flow_kg_per_s
        Array shaped like ``peak_kw``.

    Raises
    ------
    InputError
        If the flow temperature is not above the return temperature, or a load is negative.

    Examples
    --------
    1 MW at 70/40 °C: ``1e6 / (4183.3 x 30)`` with cp at the 55 °C mean temperature.

    >>> round(float(design_flow_kg_per_s(1000.0, flow_temp_c=70.0, return_temp_c=40.0)), 4)
    7.9682
    >>> design_flow_kg_per_s([0.0, 500.0], flow_temp_c=70.0, return_temp_c=40.0).round(3).tolist()
    [0.0, 3.984]
    """
    if not flow_temp_c > return_temp_c:
        msg = (
            f"flow temperature {flow_temp_c} °C must be above return temperature "
            f"{return_temp_c} °C; check [sizing] flow_temp_c / return_temp_c"
        )
        raise InputError(msg)
    p = np.asarray(peak_kw, dtype=float)
    if np.any(p < 0.0) or np.any(~np.isfinite(p)):
        msg = "peak loads must be finite and >= 0 kW"
        raise InputError(msg)
    _, cp, _ = water_properties(0.5 * (flow_temp_c + return_temp_c))
    return np.asarray(p * 1e3 / (cp * (flow_temp_c - return_temp_c)), dtype=float)


def darcy_friction_factor(
    reynolds: npt.ArrayLike, relative_roughness: npt.ArrayLike, *, iterations: int = 40
) -> FloatArray:
    """Darcy friction factor: 64/Re below Re 2,300, Colebrook-White above.

    Colebrook-White, ``1/sqrt(f) = -2 log10(eps/(3.7 D) + 2.51/(Re sqrt(f)))``, is solved by
    fixed-point iteration from the Swamee-Jain explicit value (converges to machine precision
    within about 10 iterations for Re > 2,300). Zero Reynolds numbers give 0.

    Examples
    --------
    Laminar (64 / 1,000) and turbulent flow in a 107.1 mm pipe with 0.05 mm roughness:

    >>> darcy_friction_factor([1000.0, 255114.0], 0.05 / 107.1).round(5).tolist()
    [0.064, 0.01825]
    """
    re = np.asarray(reynolds, dtype=float)
    rr = np.broadcast_to(np.asarray(relative_roughness, dtype=float), re.shape)
    f = np.zeros(np.broadcast(re, rr).shape)
    lam = (re > 0) & (re < 2300.0)
    f[lam] = 64.0 / re[lam]
    turb = re >= 2300.0
    if np.any(turb):
        r, e = re[turb], rr[turb]
        x = -2.0 * np.log10(e / 3.7 + 5.74 / r**0.9)  # 1/sqrt(f), Swamee-Jain start
        for _ in range(iterations):
            x = -2.0 * np.log10(e / 3.7 + 2.51 * x / r)
        f[turb] = 1.0 / x**2
    return f


def pressure_gradient_pa_per_m(
    mass_flow_kg_s: npt.ArrayLike,
    inner_diameter_m: npt.ArrayLike,
    *,
    roughness_mm: npt.ArrayLike,
    temp_c: float,
) -> FloatArray:
    """Frictional pressure gradient in one pipe by Darcy-Weisbach with Colebrook-White.

    ``dp/L = f / D * rho v^2 / 2`` with ``v = m / (rho pi D^2 / 4)`` and
    ``Re = 4 m / (pi D mu)``. Arrays broadcast against each other.

    Parameters
    ----------
    mass_flow_kg_s
        Mass flow, kg/s (>= 0).
    inner_diameter_m
        Inner diameter, m.
    roughness_mm
        Absolute wall roughness, mm.
    temp_c
        Water temperature for density and viscosity, °C.

    Returns
    -------
    gradient_pa_per_m
        Pressure drop per metre of pipe, Pa/m.

    Examples
    --------
    Hand calculation: 10 kg/s of water at 60 °C in DN100 steel (D = 107.1 mm, k = 0.05 mm) has
    Re = 255,114, v = 1.129 m/s, Colebrook f = 0.01825, so
    ``dp/L = 0.01825 / 0.1071 x 983.2 x 1.129^2 / 2 = 106.8 Pa/m``:

    >>> g = pressure_gradient_pa_per_m(10.0, 0.1071, roughness_mm=0.05, temp_c=60.0)
    >>> round(float(g), 2)
    106.78
    """
    m = np.abs(np.asarray(mass_flow_kg_s, dtype=float))
    d = np.asarray(inner_diameter_m, dtype=float)
    rho, _, mu = water_properties(temp_c)
    re = 4.0 * m / (np.pi * d * mu)
    f = darcy_friction_factor(re, np.asarray(roughness_mm, dtype=float) * 1e-3 / d)
    v = m / (rho * np.pi * d**2 / 4.0)
    return np.asarray(f / d * rho * v**2 / 2.0, dtype=float)


def pair_loss_coefficient_w_per_mk(
    pipe_od_m: npt.ArrayLike,
    casing_od_m: npt.ArrayLike,
    *,
    insulation_conductivity_w_per_mk: float,
    ground_conductivity_w_per_mk: float,
    cover_depth_m: float,
    pipe_spacing_m: float,
) -> FloatArray:
    """``U1 - U2`` of a buried pair of single pre-insulated pipes (EN 13941-1 / Wallentén).

    With ``Rs = ln(4 H / Dc) / (2 pi lambda_g)`` (soil), ``Ri = ln(Dc / Ds) / (2 pi lambda_i)``
    (insulation; service-pipe and casing walls neglected, < 2 %), ``Rh = ln(1 + (2 H / C)^2) /
    (4 pi lambda_g)`` (interaction), ``H = cover + Dc / 2`` and ``C = Dc + spacing``:
    ``U1 = (Rs + Ri) / ((Rs + Ri)^2 - Rh^2)``, ``U2 = Rh / ((Rs + Ri)^2 - Rh^2)``. The pair
    loses ``(U1 - U2) (T_flow + T_return - 2 T_ground)`` watts per metre of trench.

    Examples
    --------
    DN100 steel (114.3 mm) in a 225 mm series-2 casing under 0.6 m of soil, 0.15 m apart,
    PUR 0.027 W/(m K) in 1.5 W/(m K) soil:

    >>> u = pair_loss_coefficient_w_per_mk(
    ...     0.1143, 0.225, insulation_conductivity_w_per_mk=0.027,
    ...     ground_conductivity_w_per_mk=1.5, cover_depth_m=0.6, pipe_spacing_m=0.15)
    >>> round(float(u), 3)
    0.227
    """
    ds = np.asarray(pipe_od_m, dtype=float)
    dc = np.asarray(casing_od_m, dtype=float)
    h = cover_depth_m + dc / 2.0
    c = dc + pipe_spacing_m
    rs = np.log(4.0 * h / dc) / (2.0 * np.pi * ground_conductivity_w_per_mk)
    ri = np.log(dc / ds) / (2.0 * np.pi * insulation_conductivity_w_per_mk)
    rh = np.log(1.0 + (2.0 * h / c) ** 2) / (4.0 * np.pi * ground_conductivity_w_per_mk)
    den = (rs + ri) ** 2 - rh**2
    return np.asarray((rs + ri - rh) / den, dtype=float)
