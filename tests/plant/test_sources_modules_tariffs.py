"""Heat-pump modules, outage scheduling, heat sources and electricity tariffs.

Each check is a validation against an analytic or hand-worked expectation; nothing here was
fitted to the numbers asserted.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from heatmap.errors import InputError
from heatmap.ingest.weather import synthetic_weather
from heatmap.plant import DispatchParams, dispatch, downtime_start_days, hp_modules
from heatmap.plant.sources import source_temperature_c

HOURS = np.arange(8760)


def _seasonal_load(winter_kw: float, summer_kw: float) -> np.ndarray:
    """A heating load: ``winter_kw`` in January falling to ``summer_kw`` in July (cosine)."""
    phase = np.cos(2 * np.pi * (HOURS / 8760.0))
    return summer_kw + (winter_kw - summer_kw) * (1 + phase) / 2


def test_modules_let_one_heat_pump_module_and_the_store_cover_the_summer() -> None:
    """A 6 MW heat pump on a 1 MW summer load: one unit (min 1.5 MW) cannot run in summer."""
    load = _seasonal_load(10000.0, 1000.0)
    single = DispatchParams(hp_capacity_kw=6000.0, store_volume_m3=0.0, hp_module_kw=1e9)
    one = dispatch(load, params=single)
    modular = dispatch(load, params=DispatchParams(hp_capacity_kw=6000.0, store_volume_m3=0.0))
    # 10th percentile of the June-August load is above 1,000 kW; 4 MW x 25 % = 1 MW fits
    assert modular.hp_modules == 2 and modular.hp_module_kw == pytest.approx(3000.0)
    assert one.summer_hp_share_pct < 60.0
    assert modular.summer_hp_share_pct >= 95.0
    hp = modular.hourly["hp_kw"].to_numpy()
    assert hp[hp > 0].min() >= 0.25 * 3000.0 - 1e-9  # each module keeps its minimum load


def test_module_count_from_catalogue_and_scenario() -> None:
    load = np.full(8760, 600.0)
    assert hp_modules(DispatchParams(), 2500.0, load) == 2  # 2 MW size, min 500 kW <= 600
    assert hp_modules(DispatchParams(hp_module_kw=1000.0), 2500.0, load) == 3
    assert hp_modules(DispatchParams(), 0.0, load) == 0


def test_outages_fall_in_the_lowest_load_weeks() -> None:
    load = _seasonal_load(5000.0, 500.0)  # lowest around 2 July (day 183)
    days = downtime_start_days(DispatchParams(), load)
    assert len(days) == 2
    assert all(160 <= d <= 200 for d in days)
    assert abs(days[1] - days[0]) >= 7  # two separate weeks
    given = DispatchParams(hp_downtime_start_days=(10, 300))
    assert downtime_start_days(given, load) == (10, 300)


def test_store_scaled_to_the_network_by_default() -> None:
    """1.25 h of a 4,000 kW peak at 25 K: 5,000 kWh / (25 x 1.147) = 174.4 m3."""
    load = _seasonal_load(4000.0, 400.0)
    res = dispatch(load, params=DispatchParams(hp_capacity_kw=2000.0))
    assert res.store_volume_m3 == pytest.approx(5000.0 / (25.0 * 1.147))
    assert res.store_capacity_kwh == pytest.approx(5000.0)


def test_air_source_spf_falls_with_a_colder_climate_and_differs_from_mine_water() -> None:
    load = _seasonal_load(3000.0, 500.0)
    air = synthetic_weather().temperature_c
    params = DispatchParams(hp_capacity_kw=2000.0, source_kind="air", store_volume_m3=50.0)
    mild = dispatch(load, params=params, air_temp_c=air)
    cold = dispatch(load, params=params, air_temp_c=air - 5.0)
    mine = dispatch(load, params=DispatchParams(hp_capacity_kw=2000.0, store_volume_m3=50.0))
    assert cold.spf < mild.spf
    assert mild.spf != pytest.approx(mine.spf, abs=0.05)
    # the hourly COP follows the Carnot model with the defrost loss in the frost band
    h = mild.hourly
    frost = (h["source_temp_c"] >= -5.0) & (h["source_temp_c"] <= 5.0)
    t_cond = h["flow_temp_c"] + 3.0 + 273.15
    t_evap = h["source_temp_c"] - 3.0 + 273.15
    carnot = 0.55 * t_cond / (t_cond - t_evap)
    expected = np.maximum(np.where(frost, 0.9, 1.0) * carnot, 1.0)
    np.testing.assert_allclose(h["cop"], expected, rtol=1e-12)
    with pytest.raises(InputError, match="air temperature"):
        dispatch(load, params=params)


def test_river_water_follows_weekly_air_above_a_floor() -> None:
    air = synthetic_weather().temperature_c
    water = source_temperature_c(DispatchParams(source_kind="river"), air)
    assert water.min() >= 4.0
    day = 24 * 200 + 12
    assert water[day] == pytest.approx(max(4.0, air[day - 167 : day + 1].mean()))
    assert np.std(water) < np.std(air)  # smoother than the air


def test_waste_heat_source_never_supplies_more_than_its_capacity() -> None:
    """Heat drawn from the source = heat-pump output - its electricity <= 800 kW each hour."""
    load = _seasonal_load(3000.0, 600.0)
    params = DispatchParams(
        hp_capacity_kw=2500.0,
        source_kind="waste_heat",
        source_temp_c=25.0,
        source_capacity_kw=800.0,
    )
    res = dispatch(load, params=params)
    h = res.hourly
    from_source = h["hp_kw"] - h["hp_kw"] / h["cop"]
    assert from_source.max() <= 800.0 + 1e-6
    assert from_source.max() >= 790.0  # and it is used to its limit in winter


def test_pumping_electricity_follows_the_cube_of_the_load() -> None:
    """A flat load at its peak pumps at full power all year: 120 kW x 8,760 h = 1,051.2 MWh."""
    res = dispatch(np.full(8760, 500.0), params=DispatchParams(network_pump_kw=120.0))
    assert res.energy_balance_mwh["pumping_electricity_mwh"] == pytest.approx(1051.2)
    half = np.r_[np.full(4380, 500.0), np.full(4380, 250.0)]
    res = dispatch(half, params=DispatchParams(network_pump_kw=120.0))
    assert res.energy_balance_mwh["pumping_electricity_mwh"] == pytest.approx(
        (4380 * 120.0 + 4380 * 120.0 / 8) / 1000.0
    )


def _bill_gbp(res: object) -> float:
    h = res.hourly  # type: ignore[attr-defined]
    return float((h["electricity_kw"] * h["electricity_price_gbp_per_mwh"]).sum() / 1000.0)


def test_day_night_tariff_of_the_same_mean_lowers_the_bill_with_a_store() -> None:
    """Night (00-07 h) 120, day 232.94 GBP/MWh: mean (7 x 120 + 17 x 232.94) / 24 = 200."""
    day = (24 * 200.0 - 7 * 120.0) / 17
    night_day = (120.0,) * 7 + (day,) * 17
    assert np.mean(night_day) == pytest.approx(200.0)
    load = _seasonal_load(2000.0, 400.0)
    base = {"hp_capacity_kw": 2500.0, "store_volume_m3": 300.0, "store_initial_pct": 0.0}
    flat = dispatch(load, params=DispatchParams(electricity_price_gbp_per_mwh=200.0, **base))
    tou = dispatch(load, params=DispatchParams(tou_prices_gbp_per_mwh=night_day, **base))
    assert tou.hourly["electricity_price_gbp_per_mwh"].mean() == pytest.approx(200.0)
    assert _bill_gbp(tou) < _bill_gbp(flat)
    # the store moves heat-pump output into the night
    night = (HOURS % 24) < 7
    assert tou.hourly["hp_kw"][night].sum() > flat.hourly["hp_kw"][night].sum()


def test_hourly_price_csv(tmp_path: Path) -> None:
    prices = np.where((HOURS % 24) < 7, 100.0, 250.0)
    path = tmp_path / "prices.csv"
    pd.DataFrame({"price_gbp_per_mwh": prices}).to_csv(path, index=False)
    res = dispatch(np.full(8760, 300.0), params=DispatchParams(electricity_prices_csv=str(path)))
    np.testing.assert_array_equal(res.hourly["electricity_price_gbp_per_mwh"], prices)
    pd.DataFrame({"price_gbp_per_mwh": prices[:100]}).to_csv(path, index=False)
    with pytest.raises(InputError, match="8760"):
        dispatch(np.full(8760, 300.0), params=DispatchParams(electricity_prices_csv=str(path)))


def test_price_factor_reports_the_mean_price_paid() -> None:
    flat = dispatch(np.full(8760, 300.0), params=DispatchParams(store_volume_m3=0.0))
    assert flat.electricity_price_factor == pytest.approx(1.0)
    day = (24 * 210.0 - 7 * 120.0) / 17
    prices = (120.0,) * 7 + (day,) * 17
    tou = dispatch(
        _seasonal_load(2000.0, 400.0),
        params=DispatchParams(
            hp_capacity_kw=2500.0, store_volume_m3=300.0, tou_prices_gbp_per_mwh=prices
        ),
    )
    h = tou.hourly
    paid = (h["electricity_kw"] + h["pumping_electricity_kw"]) * h["electricity_price_gbp_per_mwh"]
    used = h["electricity_kw"] + h["pumping_electricity_kw"]
    assert tou.electricity_price_factor == pytest.approx(paid.sum() / used.sum() / 210.0)
    assert tou.electricity_price_factor < 1.0
