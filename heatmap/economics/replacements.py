"""Component replacements over the appraisal and their residual value at its horizon.

Each CAPEX line carries a ``component`` (heat_pumps, boilers, thermal_store, pumps,
substations, network; blank = not replaced within an appraisal, e.g. the energy-centre
building or civils). Its lifetime comes from the bundled ``econ_lifetimes_years.csv`` or the
scenario's ``lifetimes_years`` overrides. An item bought in year ``s`` with life ``L`` is bought
again in years ``s + L``, ``s + 2L``, ... at its price escalated by
``replacement_cost_escalation_pct`` a year since ``s`` (lump sum), or paid as a yearly sinking
fund ``cost / L`` (annualised). With lump sums, the last item bought by the end of a horizon
keeps a straight-line residual value: its price x the share of its life left after the horizon
(HM Treasury Green Book, residual values at the end of the appraisal period).
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pandas as pd

from heatmap.economics.params import EconomicsParams
from heatmap.economics.tables import load_table

__all__ = ["lifetimes_years", "replacement_gbp", "residual_value_gbp"]


def lifetimes_years(params: EconomicsParams) -> dict[str, float]:
    """Return the lifetime of each replaced component: the bundled table with the overrides.

    Examples
    --------
    >>> life = lifetimes_years(EconomicsParams(lifetimes_years={"heat_pumps": 25.0}))
    >>> life["heat_pumps"], life["boilers"]  # override, study Table 45
    (25.0, 30.0)
    """
    table = load_table("lifetimes_years")
    out = dict(
        zip(table["component"].astype(str), table["lifetime_years"].astype(float), strict=True)
    )
    out.update({str(k): float(v) for k, v in params.lifetimes_years.items()})
    return out


def _items(
    lines: pd.DataFrame, starts: dict[int, int], params: EconomicsParams
) -> Iterator[tuple[int, float, float]]:
    """(year bought, cost, life) of every CAPEX line with a replaced component."""
    lifetimes = lifetimes_years(params)
    column = "component" if "component" in lines.columns else "category"
    for phase, component, total in zip(
        lines["phase"].astype(int).tolist(),
        lines[column].fillna("").astype(str).tolist(),
        lines["total_gbp"].astype(float).tolist(),
        strict=True,
    ):
        life = lifetimes.get(component)
        if life is not None and total > 0:
            yield starts[phase], total * params.replacement_fraction, life


def _escalated(cost: float, years_since: float, params: EconomicsParams) -> float:
    return cost * (1.0 + params.replacement_cost_escalation_pct / 100.0) ** years_since


def _purchase_years(bought: int, life: float, last_year: int) -> list[int]:
    """Years in which a replacement falls due, up to ``last_year``."""
    out = []
    k = 1
    while (due := bought + math.ceil(k * life - 1e-9)) <= last_year:
        out.append(due)
        k += 1
    return out


def replacement_gbp(
    lines: pd.DataFrame, starts: dict[int, int], years: np.ndarray, params: EconomicsParams
) -> np.ndarray:
    """Return the replacement spend in each of ``years``, GBP.

    Parameters
    ----------
    lines
        CAPEX lines with ``phase``, ``component`` (else ``category``) and ``total_gbp``.
    starts
        Year in which each phase's CAPEX is spent.
    years
        Calendar years of the cashflow.
    params
        Lifetimes, method, replacement fraction and cost escalation.

    Returns
    -------
    replacement_gbp
        One value per year.

    Examples
    --------
    A GBP 1m heat pump (20 years) bought in 2030, replaced in 2050 at 2 % a year escalation:

    >>> lines = pd.DataFrame({"phase": [1], "component": ["heat_pumps"], "total_gbp": [1e6]})
    >>> p = EconomicsParams(replacement_cost_escalation_pct=2.0)
    >>> out = replacement_gbp(lines, {1: 2030}, np.arange(2030, 2070), p)
    >>> int(np.flatnonzero(out)[0]), round(float(out.sum()))
    (20, 1485947)
    """
    out = np.zeros(len(years))
    first = int(years[0])
    for bought, cost, life in _items(lines, starts, params):
        if params.replacement_method == "annualised":
            t = years - bought
            out += np.where(t > 0, _escalated(cost, 0.0, params) / life, 0.0)
            continue
        for due in _purchase_years(bought, life, int(years[-1])):
            if due >= first:
                out[due - first] += _escalated(cost, due - bought, params)
    return out


def residual_value_gbp(
    lines: pd.DataFrame, starts: dict[int, int], end_year: int, params: EconomicsParams
) -> float:
    """Return the value left at the end of ``end_year`` in items bought by then, GBP.

    Straight line on the price paid: an item bought (or last replaced) in year ``P`` with life
    ``L`` serves years ``P + 1 ... P + L``, so ``(P + L - end_year) / L`` of it is left. Zero
    with annualised replacements (the sinking fund charges only the years used).

    Parameters
    ----------
    lines
        CAPEX lines with ``phase``, ``component`` (else ``category``) and ``total_gbp``.
    starts
        Year in which each phase's CAPEX is spent.
    end_year
        Last calendar year of the horizon.
    params
        Lifetimes, method, replacement fraction and cost escalation.

    Returns
    -------
    residual_gbp
        Residual value, GBP.

    Examples
    --------
    The heat pump of :func:`replacement_gbp` at a 30-year horizon (2030-2059): the
    replacement bought in 2050 for GBP 1,485,947 has 11 of its 20 years left:

    >>> lines = pd.DataFrame({"phase": [1], "component": ["heat_pumps"], "total_gbp": [1e6]})
    >>> p = EconomicsParams(replacement_cost_escalation_pct=2.0)
    >>> round(residual_value_gbp(lines, {1: 2030}, 2059, p))
    817271
    """
    if params.replacement_method == "annualised":
        return 0.0
    total = 0.0
    for bought, cost, life in _items(lines, starts, params):
        if bought > end_year:
            continue
        last = ([bought, *_purchase_years(bought, life, end_year)])[-1]
        left = min(max((last + life - end_year) / life, 0.0), 1.0)
        total += _escalated(cost, last - bought, params) * left
    return total
