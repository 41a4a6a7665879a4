"""Heat sources: their hourly temperature, the defrost loss of air and a source's capacity.

``source_kind`` (scenario ``[dispatch]``) picks the model:

- ``mine_water``, ``ground``, ``waste_heat``: a constant ``source_temp_c``;
- ``air``: the hourly dry-bulb temperature, with the COP reduced by ``defrost_penalty_pct``
  while the dry-bulb is between ``defrost_low_c`` and ``defrost_high_c`` (frost on the outdoor
  coil is worst near 0-5 °C in humid air);
- ``river``, ``sea``: the mean air temperature of the ``water_air_mean_days`` preceding days,
  never below ``water_temp_floor_c`` (water lags the air and does not freeze).

A limited source (``source_capacity_kw``, e.g. a data centre's reject heat) caps the heat the
heat pump draws from it: with ``COP = Q / W`` the evaporator takes ``Q (1 - 1 / COP)``, so the
heat pump delivers at most ``capacity x COP / (COP - 1)``.
"""

from __future__ import annotations

import numpy as np

from heatmap.errors import InputError
from heatmap.plant._types import HOURS_PER_YEAR
from heatmap.plant.params import DispatchParams

__all__ = ["defrost_factor", "source_limited_output_kw", "source_temperature_c"]

_AIR_KINDS = ("air", "river", "sea")


def source_temperature_c(params: DispatchParams, air_temp_c: np.ndarray | None) -> np.ndarray:
    """Return the hourly source temperature, °C, for ``params.source_kind``.

    Parameters
    ----------
    params
        Source kind and its parameters.
    air_temp_c
        8,760 hourly dry-bulb temperatures, °C (needed for air, river and sea).

    Returns
    -------
    source_temp_c
        8,760 values.

    Raises
    ------
    InputError
        An air, river or sea source without an hourly air temperature.

    Examples
    --------
    River water over a cold week: the 7-day mean air temperature, floored at 4 °C.

    >>> air = np.r_[np.full(24 * 7, -2.0), np.full(8760 - 24 * 7, 10.0)]
    >>> water = source_temperature_c(DispatchParams(source_kind="river"), air)
    >>> float(water[100]), float(water[24 * 14])
    (4.0, 10.0)
    """
    p = params
    if p.source_kind not in _AIR_KINDS:
        return np.full(HOURS_PER_YEAR, float(p.source_temp_c))
    if air_temp_c is None:
        msg = (
            f"dispatch: source_kind = {p.source_kind!r} needs the hourly air temperature "
            "(pass air_temp_c, from the weather file)"
        )
        raise InputError(msg)
    air = np.asarray(air_temp_c, dtype=float)
    if air.shape != (HOURS_PER_YEAR,) or not np.all(np.isfinite(air)):
        msg = f"air_temp_c: expected {HOURS_PER_YEAR} finite hourly values, got {air.shape}"
        raise InputError(msg)
    if p.source_kind == "air":
        return air
    window = 24 * p.water_air_mean_days
    padded = np.r_[air[-window:], air]  # the year wraps: December precedes January
    csum = np.cumsum(np.r_[0.0, padded])
    mean = (csum[window:] - csum[:-window])[1:] / window
    return np.maximum(mean, p.water_temp_floor_c)


def defrost_factor(params: DispatchParams, source_temp_c: np.ndarray) -> np.ndarray:
    """Return the COP multiplier for defrosting: ``1 - penalty`` in the band for air, else 1.

    Examples
    --------
    >>> defrost_factor(DispatchParams(source_kind="air"), np.array([-10.0, 2.0, 12.0])).tolist()
    [1.0, 0.9, 1.0]
    """
    src = np.asarray(source_temp_c, dtype=float)
    if params.source_kind != "air":
        return np.ones(src.shape)
    frost = (src >= params.defrost_low_c) & (src <= params.defrost_high_c)
    return np.where(frost, 1.0 - params.defrost_penalty_pct / 100.0, 1.0)


def source_limited_output_kw(params: DispatchParams, cop: np.ndarray) -> np.ndarray:
    """Return the most heat the heat pump can deliver from a limited source each hour, kW.

    Examples
    --------
    A 1,000 kW waste-heat source at COP 4 supports 1,333 kW of heat (1,000 from the source,
    333 from electricity):

    >>> p = DispatchParams(source_kind="waste_heat", source_capacity_kw=1000.0)
    >>> source_limited_output_kw(p, np.array([4.0])).round(1).tolist()
    [1333.3]
    """
    c = np.asarray(cop, dtype=float)
    if params.source_capacity_kw is None:
        return np.full(c.shape, np.inf)
    return np.asarray(params.source_capacity_kw * c / np.maximum(c - 1.0, 1e-9), dtype=float)
