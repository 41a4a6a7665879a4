"""Tests for heatmap.plant: energy balance, store limits, downtime, study check, COP,
errors.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from heatmap._params import params_from_mapping
from heatmap.errors import ConfigError, InfeasibleDispatchError, InputError, SizingError
from heatmap.outputs.plant_figures import (
    plot_annual_profile,
    plot_load_duration,
    plot_sweep,
    plot_typical_days,
)
from heatmap.plant import (
    DispatchParams,
    boiler_capacity_n_plus_1_kw,
    cop,
    dispatch,
    hp_available,
    sizing_sweep,
)

STUDY_PEAK_KW = 4600.0  # study Phase 1 peak
STUDY_ANNUAL_MWH = 11803.0  # study Phase 1 heat incl. losses (exec summary: 10,690 + 1,113)
STUDY_HP_KW = 2515.0  # study Table 22
# The study's plant: one heat-pump unit, maintenance in the first weeks of January and July.
STUDY_PLANT = {"hp_module_kw": 1e9, "hp_downtime_start_days": (1, 182)}


@pytest.fixture(scope="module")
def study_demand() -> np.ndarray:
    """The pipeline's hourly profile on a North Eastern (Killingworth) year."""
    from heatmap.demand.estimate import hourly_profile_kw
    from heatmap.ingest.weather import synthetic_weather

    return hourly_profile_kw(
        STUDY_ANNUAL_MWH, STUDY_PEAK_KW, weather=synthetic_weather("North Eastern")
    )


def _check_balance(res, scale: float) -> None:  # type: ignore[no-untyped-def]
    h = res.hourly
    supply = (
        h["hp_kw"]
        + h["store_discharge_kw"]
        + h["electric_boiler_kw"]
        + h["boiler_kw"]
        + h["unmet_kw"]
    )
    need = h["demand_kw"] + h["losses_kw"] + h["store_charge_kw"]
    assert np.max(np.abs(supply - need)) <= 1e-6 * scale
    level = h["store_level_kwh"].to_numpy()
    assert level.min() >= -1e-9
    assert level.max() <= res.store_capacity_kwh + 1e-9
    # store bookkeeping: level_t = level_{t-1} - standing loss + charge - discharge
    prev = np.concatenate([[0.0], level[:-1]])
    d = prev - h["store_loss_kw"] + h["store_charge_kw"] - h["store_discharge_kw"] - level
    assert np.max(np.abs(d)) <= 1e-6 * scale
    for col in ("hp_kw", "store_charge_kw", "store_discharge_kw", "boiler_kw", "unmet_kw"):
        assert h[col].min() >= 0.0
    assert (h["hp_kw"] <= res.hp_capacity_kw + 1e-9).all()
    assert (h["boiler_kw"] <= res.boiler_capacity_kw + 1e-9).all()


def test_study_phase1_low_carbon_share(study_demand: np.ndarray) -> None:
    """Validation: 2.51 MW heat pump + 200 m3 store on a 4.6 MW / 11.8 GWh profile, study 97 %."""
    res = dispatch(
        study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW, store_volume_m3=200.0)
    )
    _check_balance(res, STUDY_PEAK_KW)
    assert res.low_carbon_share_pct >= 95.0
    assert res.boiler_capacity_kw == 5000.0  # study Table 22: 5,000 kW peak/reserve boilers
    assert res.unmet_mwh == 0.0
    # more store never lowers the share; no store lowers it
    small = dispatch(
        study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW, store_volume_m3=0)
    )
    big = dispatch(
        study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW, store_volume_m3=800)
    )
    assert small.low_carbon_share_pct < res.low_carbon_share_pct <= big.low_carbon_share_pct + 1e-9


def test_auto_capacity_uses_study_ratio(study_demand: np.ndarray) -> None:
    """Calibration: the default capacity ratio is the study's 2.51 MW / 4.6 MW."""
    res = dispatch(study_demand)
    assert res.hp_capacity_kw == pytest.approx(2510.0, rel=1e-6)


def test_downtime_hours_have_no_heat_pump(study_demand: np.ndarray) -> None:
    res = dispatch(study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW, **STUDY_PLANT))
    down = ~hp_available(DispatchParams())
    assert down.sum() == 14 * 24  # two weeks (study Table 44: 50 weeks available)
    assert down[:168].all()
    assert down[181 * 24 : 181 * 24 + 168].all()  # 1-7 July
    assert (res.hourly["hp_kw"].to_numpy()[down] == 0.0).all()
    _check_balance(res, STUDY_PEAK_KW)


def test_balance_with_losses_limits_tou_and_electric_boiler(study_demand: np.ndarray) -> None:
    prices = tuple([100.0] * 7 + [300.0] * 4 + [150.0] * 5 + [350.0] * 4 + [120.0] * 4)
    params = DispatchParams(
        hp_capacity_kw=2000.0,
        store_charge_max_kw=800.0,
        store_discharge_max_kw=1200.0,
        electric_boiler_kw=500.0,
        tou_prices_gbp_per_mwh=prices,
        flow_temp_min_c=60.0,
        store_initial_pct=50.0,
    )
    losses = np.full(8760, 120.0)
    res = dispatch(study_demand, params=params, losses_kw=losses)
    h = res.hourly
    scale = STUDY_PEAK_KW
    supply = h["hp_kw"] + h["store_discharge_kw"] + h["electric_boiler_kw"] + h["boiler_kw"]
    assert (
        np.max(np.abs(supply + h["unmet_kw"] - h["load_kw"] - h["store_charge_kw"])) <= 1e-6 * scale
    )
    assert h["store_charge_kw"].max() <= 800.0 + 1e-9
    assert h["store_discharge_kw"].max() <= 1200.0 + 1e-9
    assert res.energy_balance_mwh["losses_mwh"] == pytest.approx(120.0 * 8.76)
    # dear hours: the heat pump never charges the store
    dear = np.tile(np.asarray(prices) > np.mean(prices), 365)
    assert (h["store_charge_kw"].to_numpy()[dear] == 0.0).all()


def test_min_load_respected(study_demand: np.ndarray) -> None:
    params = DispatchParams(hp_capacity_kw=STUDY_HP_KW, hp_min_load_pct=40.0, **STUDY_PLANT)
    res = dispatch(study_demand, params=params)
    hp = res.hourly["hp_kw"].to_numpy()
    running = hp[hp > 0]
    assert res.hp_modules == 1
    assert running.min() >= 0.4 * STUDY_HP_KW - 1e-9
    assert res.hp_starts >= 1
    assert res.hp_running_hours == int((hp > 0).sum())


def test_n_plus_1_boilers() -> None:
    # study: 4.6 MW peak, 2.51 MW heat pump, 2.5 MW units -> 5 MW (Table 22)
    assert boiler_capacity_n_plus_1_kw(4600.0, 2515.0, 2500.0) == 5000.0
    # a small heat pump: one boiler failed must still leave the peak covered
    assert boiler_capacity_n_plus_1_kw(4600.0, 500.0, 2500.0) == 7500.0


def test_cop_model_range_and_flow_temperature() -> None:
    c70 = float(cop(12.0, 70.0))
    c55 = float(cop(12.0, 55.0))
    assert 2.5 <= c70 <= 3.5
    assert c55 > c70
    # SPF over a year at constant 12 -> 70 °C is within the water-source range
    flat = np.full(8760, 1500.0)
    res = dispatch(flat, params=DispatchParams(hp_capacity_kw=2000.0))
    assert 2.5 <= res.spf <= 3.5
    low = dispatch(flat, params=DispatchParams(hp_capacity_kw=2000.0, flow_temp_c=55.0))
    assert low.spf > res.spf
    curve = DispatchParams(
        cop_model="curve", cop_curve_lift_k=(40.0, 60.0), cop_curve_cop=(4.0, 3.0)
    )
    assert float(cop(10.0, 60.0, params=curve)) == pytest.approx(3.5)


def test_bad_inputs(study_demand: np.ndarray) -> None:
    bad = study_demand.copy()
    bad[100] = -1.0
    with pytest.raises(InputError, match="hour 100"):
        dispatch(bad)
    bad[100] = np.nan
    with pytest.raises(InputError, match="hour 100"):
        dispatch(bad)
    with pytest.raises(InputError, match="8760"):
        dispatch(study_demand[:8000])
    with pytest.raises(InfeasibleDispatchError, match="no plant"):
        dispatch(study_demand, params=DispatchParams(hp_capacity_kw=0.0, boiler_capacity_kw=0.0))
    # capacity below the peak and no boilers: error, or reported (never silently dropped)
    short = DispatchParams(hp_capacity_kw=2000.0, boiler_capacity_kw=0.0)
    with pytest.raises(InfeasibleDispatchError, match="MWh of load unmet"):
        dispatch(study_demand, params=short)
    res = dispatch(study_demand, params=dataclasses.replace(short, allow_unmet=True))
    assert res.unmet_mwh > 0
    assert res.unmet_mwh == pytest.approx(res.hourly["unmet_kw"].sum() / 1000)
    _check_balance(res, STUDY_PEAK_KW)


def test_params_validation() -> None:
    with pytest.raises(ConfigError, match="hp_min_load_pct"):
        params_from_mapping(DispatchParams, {"hp_min_load_pct": 150.0}, section="dispatch")
    with pytest.raises(ConfigError, match="flow_temp_c"):
        params_from_mapping(DispatchParams, {"flow_temp_c": 10.0}, section="dispatch")
    with pytest.raises(ConfigError, match="cop_curve"):
        params_from_mapping(DispatchParams, {"cop_model": "curve"}, section="dispatch")
    with pytest.raises(ConfigError, match="tou_prices"):
        params_from_mapping(
            DispatchParams, {"tou_prices_gbp_per_mwh": [1.0, 2.0]}, section="dispatch"
        )
    p = params_from_mapping(DispatchParams, {"store_volume_m3": 100}, section="dispatch")
    assert p.store_volume_m3 == 100.0


def test_sizing_sweep(study_demand: np.ndarray, tmp_path: Path) -> None:
    sweep = sizing_sweep(
        study_demand,
        hp_capacities_kw=[1500.0, 2500.0, 3500.0],
        store_volumes_m3=[0.0, 200.0],
        params=DispatchParams(target_low_carbon_share_pct=90.0),
    )
    t = sweep.table
    assert len(t) == 6
    assert sweep.chosen is not None
    assert sweep.chosen["low_carbon_share_pct"] >= 90.0
    ok = t[t["meets_target"]]
    assert sweep.chosen["annualised_cost_gbp_per_a"] == ok["annualised_cost_gbp_per_a"].min()
    assert t["chosen"].sum() == 1
    with pytest.raises(SizingError):
        sizing_sweep(study_demand, hp_capacities_kw=[], store_volumes_m3=[0.0])
    none = sizing_sweep(
        study_demand,
        hp_capacities_kw=[500.0],
        store_volumes_m3=[0.0],
        params=DispatchParams(target_low_carbon_share_pct=99.0),
    )
    assert none.chosen is None
    assert "no option" in none.note


def test_figures(study_demand: np.ndarray, tmp_path: Path) -> None:
    sweep = sizing_sweep(
        study_demand, hp_capacities_kw=[2000.0, 3000.0], store_volumes_m3=[0.0, 200.0]
    )
    res = dispatch(study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW))
    for fn, name in (
        (plot_load_duration, "ldc.png"),
        (plot_typical_days, "days.png"),
        (plot_annual_profile, "annual.png"),
    ):
        out = fn(res, tmp_path / name)
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out = plot_sweep(sweep, tmp_path / "sweep.png")
    assert out.stat().st_size > 1000
    from heatmap.errors import OutputExistsError

    with pytest.raises(OutputExistsError):
        plot_load_duration(res, tmp_path / "ldc.png")


def test_csv_and_summary(study_demand: np.ndarray, tmp_path: Path) -> None:
    import pandas as pd

    from heatmap.plant.operation import dispatch_summary, write_dispatch_csv

    res = dispatch(study_demand, params=DispatchParams(hp_capacity_kw=STUDY_HP_KW))
    out = write_dispatch_csv(res, tmp_path / "dispatch.csv")
    back = pd.read_csv(out, index_col="hour")
    assert len(back) == 8760
    assert back["boiler_kw"].sum() == pytest.approx(res.hourly["boiler_kw"].sum(), rel=1e-5)
    s = dispatch_summary(res)
    assert s["low_carbon_share_pct"] == res.low_carbon_share_pct
    assert s["demand_mwh"] == pytest.approx(STUDY_ANNUAL_MWH)


def test_hp_capacity_for_share(study_demand: np.ndarray) -> None:
    from heatmap.plant import hp_capacity_for_share

    params = DispatchParams(target_low_carbon_share_pct=95.0, **STUDY_PLANT)
    cap = hp_capacity_for_share(study_demand, params=params, tolerance_kw=20.0)
    at = dispatch(study_demand, params=dataclasses.replace(params, hp_capacity_kw=cap))
    below = dispatch(study_demand, params=dataclasses.replace(params, hp_capacity_kw=cap - 20.0))
    assert at.low_carbon_share_pct >= 95.0 > below.low_carbon_share_pct
    with pytest.raises(SizingError, match="target"):
        hp_capacity_for_share(
            study_demand, params=DispatchParams(target_low_carbon_share_pct=99.9, **STUDY_PLANT)
        )
