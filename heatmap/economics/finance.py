"""NPV, IRR and payback on yearly cashflows (no numpy_financial)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import brentq

from heatmap.errors import InputError

__all__ = ["irr", "npv", "simple_payback_years"]

logger = logging.getLogger(__name__)

# Rates scanned for sign changes of NPV(r): dense near zero, out to 1,000 % a year.
_GROWTH_GRID = np.concatenate(
    [
        np.geomspace(0.01, 0.5, 200, endpoint=False),
        np.linspace(0.5, 2.0, 601),
        np.geomspace(2.0, 11.0, 200)[1:],
    ]
)


def _as_array(cashflows: Sequence[float] | np.ndarray) -> np.ndarray:
    arr = np.asarray(cashflows, dtype=float).ravel()
    if arr.size == 0:
        msg = "cashflows: empty; give one value per year (year 0 first)"
        raise InputError(msg)
    if not np.all(np.isfinite(arr)):
        msg = "cashflows: contain NaN or infinite values; check the inputs that produced them"
        raise InputError(msg)
    return arr


def npv(rate: float, cashflows: Sequence[float] | np.ndarray) -> float:
    """Net present value, the first cashflow undiscounted (year 0).

    ``NPV = sum_t CF_t / (1 + rate)^t`` for t = 0, 1, ...; in a spreadsheet this is
    ``=CF0 + NPV(rate, CF1:CFn)``.

    Parameters
    ----------
    rate
        Discount rate as a fraction per year (0.035 for 3.5 %); must be > -1.
    cashflows
        One value per year, year 0 first.

    Returns
    -------
    npv
        Present value in the units of ``cashflows``.

    Examples
    --------
    ``-1000 + 600 / 1.035 + 600 / 1.035^2``:

    >>> from heatmap.economics import npv
    >>> round(npv(0.035, [-1000.0, 600.0, 600.0]), 2)
    139.82
    >>> npv(0.0, [-1000.0, 600.0, 600.0])
    200.0
    """
    if not rate > -1.0:
        msg = f"rate: {rate} must be greater than -1 (a fraction, e.g. 0.035 for 3.5 %)"
        raise InputError(msg)
    arr = _as_array(cashflows)
    factors = np.power(1.0 + rate, -np.arange(arr.size, dtype=float))
    return float(np.dot(arr, factors))


def _sign_changes(arr: np.ndarray) -> int:
    signs = np.sign(arr[arr != 0.0])
    return int(np.count_nonzero(np.diff(signs)))


def irr(cashflows: Sequence[float] | np.ndarray) -> float | None:
    """Return the internal rate of return (fraction per year), or None when it is not unique.

    Returns None (never a guessed number) when the cashflows never change sign (no IRR exists),
    when NPV has no root between -99 % and +1,000 % a year, or when it has several roots there
    (ambiguous: a project with several sign changes, e.g. a large late replacement). With a
    single sign change Descartes' rule guarantees at most one root, found by bracketing and
    Brent's method to 1e-12.

    Parameters
    ----------
    cashflows
        One value per year, year 0 first.

    Returns
    -------
    irr
        Rate r with NPV(r) = 0, or None.

    Examples
    --------
    ``-1000 + 600 x + 600 x^2 = 0`` with ``x = 1 / (1 + r)`` gives ``x = 0.88443``, r = 13.07 %:

    >>> from heatmap.economics import irr
    >>> round(irr([-1000.0, 600.0, 600.0]), 4)
    0.1307

    No IRR when the cashflows never change sign, and none reported when NPV has two roots
    (here 10 % and 20 %: a late outflow makes the rate ambiguous):

    >>> irr([100.0, 50.0]) is None
    True
    >>> irr([-100.0, 230.0, -132.0]) is None
    True
    """
    arr = _as_array(cashflows)
    changes = _sign_changes(arr)
    if changes == 0:
        return None
    # NPV as a polynomial in x = 1/(1+r); scan rates for sign changes of NPV(r).
    rates = _GROWTH_GRID - 1.0
    powers = np.power.outer(_GROWTH_GRID, -np.arange(arr.size, dtype=float))
    values = powers @ arr
    roots: list[float] = []
    exact = np.flatnonzero(values == 0.0)
    roots.extend(float(rates[i]) for i in exact)
    crossing = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    for i in crossing:
        lo, hi = float(rates[i]), float(rates[i + 1])
        f_lo, f_hi = npv(lo, arr), npv(hi, arr)
        if f_lo == 0.0 or f_hi == 0.0 or (f_lo > 0) == (f_hi > 0):
            # the root sits on a grid point to within rounding
            roots.append(lo if abs(f_lo) <= abs(f_hi) else hi)
            continue
        root = brentq(lambda r: npv(r, arr), lo, hi, xtol=1e-14, rtol=1e-12, maxiter=200)
        roots.append(float(root))
    roots = sorted(roots)
    roots = [r for k, r in enumerate(roots) if k == 0 or r - roots[k - 1] > 1e-9]
    if len(roots) == 1 and math.isfinite(roots[0]):
        return roots[0]
    if len(roots) > 1:
        logger.info("IRR ambiguous: NPV has %d roots (%s); reporting none", len(roots), roots)
    return None


def simple_payback_years(cashflows: Sequence[float] | np.ndarray) -> int | None:
    """Years from year 0 until the cumulative cashflow is non-negative and stays so, or None.

    Parameters
    ----------
    cashflows
        One value per year, year 0 first.

    Returns
    -------
    years
        Index t of the first year from which the cumulative cashflow never falls below zero again
        (None if it is negative at the end, or never negative at all, i.e. nothing to pay back).

    Examples
    --------
    >>> from heatmap.economics import simple_payback_years
    >>> simple_payback_years([-100.0, 50.0, 60.0])
    2
    >>> simple_payback_years([-100.0, 10.0, 10.0]) is None
    True
    """
    cum = np.cumsum(_as_array(cashflows))
    if cum[-1] < 0 or not np.any(cum < 0):
        return None
    last_negative = int(np.flatnonzero(cum < 0)[-1])
    return last_negative + 1
