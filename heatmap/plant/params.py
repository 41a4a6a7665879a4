"""Energy-centre dispatch parameters, scenario table ``[dispatch]``."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Literal

from heatmap._params import param_field

__all__ = ["DispatchParams"]


@dataclass(frozen=True)
class DispatchParams:
    """Energy-centre plant, dispatch and sizing-sweep parameters (scenario table ``[dispatch]``)."""

    hp_capacity_kw: float | None = param_field(
        None,
        "heat-pump thermal capacity, kW; unset = hp_capacity_ratio_of_peak x peak load",
        "study Table 21/22: 2,515 kW for Phase 1 (set per scheme)",
    )
    hp_capacity_ratio_of_peak: float = param_field(
        2.51 / 4.6,
        "heat-pump capacity as a share of the peak load (demand + losses) when hp_capacity_kw "
        "is unset, -",
        "study Phase 1: 2.51 MW heat pump / 4.6 MW peak",
    )
    hp_min_load_pct: float = param_field(
        25.0,
        "minimum heat-pump modulation, % of capacity (below it the pump is off or charges the "
        "store)",
        "typical large water-source heat pumps 20-30 %; the study models modulation limits but "
        "does not state them",
    )
    hp_module_kw: float | None = param_field(
        None,
        "capacity of one heat-pump module, kW (the plant is N equal modules, each with "
        "hp_min_load_pct); unset = the largest of hp_module_sizes_kw whose minimum load is below "
        "the 10th percentile of the June-August load",
        "heatmap default: modular plant so that one module and the store cover the summer",
    )
    hp_module_sizes_kw: tuple[float, ...] = param_field(
        (250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0),
        "catalogue of heat-pump module sizes, kW",
        "typical packaged and industrial heat pump units 0.25-8 MW",
    )
    source_kind: Literal["mine_water", "ground", "air", "river", "sea", "waste_heat"] = param_field(
        "mine_water",
        "heat source: constant temperature (mine_water, ground, waste_heat), the hourly dry-bulb "
        "(air) or water following the weekly mean air temperature above a floor (river, sea)",
        "study Appendix 3: mine water",
    )
    source_temp_c: float = param_field(
        12.0,
        "temperature of a constant source (mine_water, ground, waste_heat), °C (an hourly array "
        "may be passed to dispatch())",
        "study Appendix 3: mine water 12 °C",
    )
    water_temp_floor_c: float = param_field(
        4.0,
        "lowest river/sea water temperature, °C",
        "UK rivers and coastal water rarely below 3-5 °C",
    )
    water_air_mean_days: int = param_field(
        7,
        "river/sea water follows the mean air temperature of this many preceding days",
        "heatmap default (water lags air by about a week)",
    )
    defrost_penalty_pct: float = param_field(
        10.0,
        "air source: COP loss to defrosting between defrost_low_c and defrost_high_c, %",
        "typical air-source defrost losses 5-15 % near 0-5 °C (frosting of the outdoor coil)",
    )
    defrost_low_c: float = param_field(
        -5.0, "air source: coldest dry-bulb with defrost losses, °C", "see defrost_penalty_pct"
    )
    defrost_high_c: float = param_field(
        5.0, "air source: warmest dry-bulb with defrost losses, °C", "see defrost_penalty_pct"
    )
    source_capacity_kw: float | None = param_field(
        None,
        "largest heat drawn from the source, kW (a waste-heat point source's capacity); the heat "
        "pump delivers at most this x COP / (COP - 1); unset = unlimited",
        "scheme data (data centre, industrial process)",
    )
    flow_temp_c: float = param_field(
        70.0,
        "network flow temperature at peak load, °C",
        "study 7.2.5 / Table 55: target secondary flow 70 °C for existing buildings",
    )
    flow_temp_min_c: float | None = param_field(
        None,
        "flow temperature at zero load, °C, for load-compensated flow (linear in load); unset = "
        "constant flow_temp_c",
        "study 7.2.5: summer flow 65-75 °C",
    )
    cop_model: Literal["carnot", "curve"] = param_field(
        "carnot",
        "COP model: 'carnot' (fraction of the Carnot COP) or 'curve' (COP interpolated in lift)",
        "heatmap default",
    )
    carnot_efficiency: float = param_field(
        0.55,
        "fraction of the Carnot COP achieved, -",
        "large water-source heat pumps typically reach 0.45-0.6 of Carnot",
    )
    temperature_approach_k: float = param_field(
        3.0,
        "heat-exchanger approach on each side (evaporating below source, condensing above flow), K",
        "typical plate heat exchanger 2-5 K",
    )
    cop_curve_lift_k: tuple[float, ...] = param_field(
        (),
        "manufacturer curve: temperature lifts (flow - source), K, ascending",
        "manufacturer data sheet (required when cop_model = 'curve')",
    )
    cop_curve_cop: tuple[float, ...] = param_field(
        (),
        "manufacturer curve: COP at each lift in cop_curve_lift_k, -",
        "manufacturer data sheet (required when cop_model = 'curve')",
    )
    hp_downtime_start_days: tuple[int, ...] = param_field(
        (),
        "day of year (1 = 1 January) on which each maintenance outage starts; empty = the "
        "hp_downtime_count lowest-load weeks of the year (one module out at a time)",
        "study 6.2 / Table 44 scheduled the first weeks of January and July (days 1, 182)",
    )
    hp_downtime_count: int = param_field(
        2,
        "number of maintenance outages a year when hp_downtime_start_days is empty",
        "study Table 44: 50 weeks availability, 2 weeks downtime",
    )
    hp_downtime_days: int = param_field(
        7,
        "length of each maintenance outage, days",
        "study Table 44: 50 weeks availability, 2 weeks downtime",
    )
    store_volume_m3: float | None = param_field(
        None,
        "thermal store water volume, m3; unset = store_hours_at_peak hours of the peak load",
        "study Table 22: 200,000 L on a 4.6 MW peak",
    )
    store_hours_at_peak: float = param_field(
        1.25,
        "store size when store_volume_m3 is unset, hours of the peak load (demand + losses)",
        "study: 200 m3 x 25 K x 1.147 kWh/m3K = 5,735 kWh on a 4,600 kW peak = 1.25 h",
    )
    return_temp_c: float = param_field(
        45.0,
        "network design return temperature, °C (flow_temp_c - return_temp_c is the design "
        "temperature difference, as in sizing)",
        "study 7.2.5: 70/45 °C existing buildings (= [sizing] return_temp_c)",
    )
    store_delta_t_k: float | None = param_field(
        None,
        "usable temperature difference between store top and bottom, K; unset = flow_temp_c - "
        "return_temp_c",
        "the network's design difference (study 70/45 °C: 25 K)",
    )
    network_pump_kw: float = param_field(
        0.0,
        "electrical power of the network pumps at the peak load, kW (the pipeline sets the "
        "sizing stage's pump power); hourly power scales with (load / peak)^3",
        "pump affinity laws for variable-speed pumps",
    )
    electricity_prices_csv: str = param_field(
        "",
        "CSV of 8,760 hourly electricity prices (column price_gbp_per_mwh) replacing the flat or "
        "24-hour prices; '' = none",
        "supplier or wholesale price series",
    )
    store_loss_pct_per_day: float = param_field(
        1.0,
        "standing loss, % of stored heat per day",
        "well-insulated large steel tank about 0.5-2 %/day",
    )
    store_initial_pct: float = param_field(
        0.0,
        "store level at 1 January 00:00, % of capacity",
        "heatmap default (empty: conservative)",
    )
    store_charge_max_kw: float | None = param_field(
        None, "maximum store charging rate, kW; unset = unlimited", "heatmap default"
    )
    store_discharge_max_kw: float | None = param_field(
        None, "maximum store discharging rate, kW; unset = unlimited", "heatmap default"
    )
    boiler_efficiency: float = param_field(
        0.90, "gas peak/reserve boiler efficiency, -", "study Table 44: 90 %"
    )
    boiler_capacity_kw: float | None = param_field(
        None,
        "gas boiler capacity, kW; unset = n+1 units of boiler_unit_kw; 0 = no gas boilers",
        "study 7.2.2: n+1 so that no single failure prevents the peak being met",
    )
    boiler_unit_kw: float = param_field(
        2500.0,
        "size of one gas boiler for n+1 sizing, kW",
        "derived: study Table 22 Phase 1 5,000 kW read as 2 x 2,500 kW",
    )
    electric_boiler_kw: float = param_field(
        0.0,
        "electric boiler capacity, dispatched after the store and before gas, kW",
        "heatmap default (none in the study)",
    )
    electric_boiler_efficiency: float = param_field(
        0.99, "electric boiler efficiency, -", "electrode/resistance boiler"
    )
    tou_prices_gbp_per_mwh: tuple[float, ...] = param_field(
        (),
        "optional 24 hourly electricity prices (hour 0 = 00:00), GBP/MWh, e.g. a day/night "
        "tariff; hours above their day's mean are dear (store first, no charging); empty = flat "
        "electricity_price_gbp_per_mwh",
        "study 6.2: peak and off-peak tariffs (values not stated)",
    )
    electricity_price_gbp_per_mwh: float = param_field(
        210.0, "flat electricity price, GBP/MWh", "study 10.1.4: 21 p/kWh base case"
    )
    gas_price_gbp_per_mwh: float = param_field(
        75.0, "gas price, GBP/MWh", "study 10.1.4: 7.5 p/kWh base case"
    )
    allow_unmet: bool = param_field(
        False,
        "accept hours the plant cannot meet (reported as unmet_mwh) instead of raising",
        "heatmap default",
    )
    target_low_carbon_share_pct: float = param_field(
        90.0,
        "sizing sweep target: minimum share of heat not from gas boilers, %",
        "study 6.2: heat pumps to meet 90-98 % of demand",
    )
    hp_capex_gbp_per_kw: float = param_field(
        (1075588.0 + 280588.0) / 2515.0,
        "heat pump plus its M&E, GBP/kW (incl. contingency)",
        "study Table 50 Phase 1: (1,075,588 + 280,588) / 2,515 kW",
    )
    store_capex_gbp_per_m3: float = param_field(
        2200.0,
        "thermal store, GBP/m3 (incl. contingency)",
        "study Table 50 Phase 1: 440,000 / 200 m3",
    )
    boiler_capex_gbp_per_kw: float = param_field(
        262350.0 / 5000.0,
        "gas peak/reserve boilers, GBP/kW (incl. contingency)",
        "study Table 50 Phase 1: 262,350 / 5,000 kW",
    )
    discount_rate_pct: float = param_field(
        3.5,
        "discount rate to annualise CAPEX in the sizing sweep, %",
        "HM Treasury Green Book 3.5 %",
    )
    plant_lifetime_years: int = param_field(
        20,
        "plant life to annualise CAPEX in the sizing sweep, years",
        "study Table 45: heat pumps 20 years",
    )

    def __post_init__(self) -> None:
        """Check ranges; raise ValueError naming the field."""
        _check_ranges(self)
        _check_temperatures(self)
        _check_schedule_and_prices(self)


def _check_ranges(p: DispatchParams) -> None:
    """Non-negative amounts, shares and efficiencies."""
    nonneg = (
        "store_hours_at_peak",
        "network_pump_kw",
        "defrost_penalty_pct",
        "electric_boiler_kw",
        "electricity_price_gbp_per_mwh",
        "gas_price_gbp_per_mwh",
        "hp_capex_gbp_per_kw",
        "store_capex_gbp_per_m3",
        "boiler_capex_gbp_per_kw",
        "temperature_approach_k",
        "discount_rate_pct",
    )
    for name in nonneg:
        if getattr(p, name) < 0:
            msg = f"{name}: must be >= 0, got {getattr(p, name)}"
            raise ValueError(msg)
    for name in (
        "hp_capacity_kw",
        "store_volume_m3",
        "store_delta_t_k",
        "store_charge_max_kw",
        "store_discharge_max_kw",
        "source_capacity_kw",
    ):
        value = getattr(p, name)
        if value is not None and value < 0:
            msg = f"{name}: must be >= 0 (or unset), got {value}"
            raise ValueError(msg)
    if p.boiler_capacity_kw is not None and p.boiler_capacity_kw < 0:
        msg = f"boiler_capacity_kw: must be >= 0 (unset = n+1), got {p.boiler_capacity_kw}"
        raise ValueError(msg)
    if not 0 < p.hp_capacity_ratio_of_peak <= 2:
        ratio = p.hp_capacity_ratio_of_peak
        msg = f"hp_capacity_ratio_of_peak: must be in (0, 2], got {ratio}"
        raise ValueError(msg)
    for name in ("hp_min_load_pct", "store_loss_pct_per_day", "store_initial_pct"):
        if not 0 <= getattr(p, name) <= 100:
            msg = f"{name}: must be a percentage in [0, 100], got {getattr(p, name)}"
            raise ValueError(msg)
    if not 0 <= p.target_low_carbon_share_pct <= 100:
        target = p.target_low_carbon_share_pct
        msg = f"target_low_carbon_share_pct: must be in [0, 100], got {target}"
        raise ValueError(msg)
    for name in ("boiler_efficiency", "electric_boiler_efficiency", "carnot_efficiency"):
        if not 0 < getattr(p, name) <= 1:
            msg = f"{name}: must be in (0, 1], got {getattr(p, name)}"
            raise ValueError(msg)
    if p.boiler_unit_kw <= 0:
        msg = f"boiler_unit_kw: must be > 0, got {p.boiler_unit_kw}"
        raise ValueError(msg)
    _check_modules(p)


def _check_modules(p: DispatchParams) -> None:
    """Positive module sizes, a sensible outage count and defrost penalty."""
    if p.hp_module_kw is not None and p.hp_module_kw <= 0:
        msg = f"hp_module_kw: must be > 0 (or unset), got {p.hp_module_kw}"
        raise ValueError(msg)
    if not p.hp_module_sizes_kw or min(p.hp_module_sizes_kw) <= 0:
        msg = f"hp_module_sizes_kw: give one or more sizes > 0 kW, got {p.hp_module_sizes_kw}"
        raise ValueError(msg)
    if not 0 <= p.hp_downtime_count <= 26:
        msg = f"hp_downtime_count: must be in 0..26, got {p.hp_downtime_count}"
        raise ValueError(msg)
    if p.defrost_penalty_pct >= 100 or p.defrost_low_c > p.defrost_high_c:
        msg = "defrost_penalty_pct must be < 100 and defrost_low_c <= defrost_high_c"
        raise ValueError(msg)
    if p.water_air_mean_days < 1:
        msg = f"water_air_mean_days: must be >= 1, got {p.water_air_mean_days}"
        raise ValueError(msg)


def _check_temperatures(p: DispatchParams) -> None:
    """Flow above source and return; a valid COP curve."""
    if p.return_temp_c >= p.flow_temp_c:
        msg = f"return_temp_c: {p.return_temp_c} °C must be below flow_temp_c {p.flow_temp_c} °C"
        raise ValueError(msg)
    if p.flow_temp_c <= p.source_temp_c:
        msg = f"flow_temp_c: {p.flow_temp_c} °C must be above source_temp_c {p.source_temp_c} °C"
        raise ValueError(msg)
    if p.flow_temp_min_c is not None and not (p.source_temp_c < p.flow_temp_min_c <= p.flow_temp_c):
        msg = (
            f"flow_temp_min_c: must be above source_temp_c and at most flow_temp_c, got "
            f"{p.flow_temp_min_c}"
        )
        raise ValueError(msg)
    if p.cop_model == "curve":
        lift, cops = p.cop_curve_lift_k, p.cop_curve_cop
        if len(lift) < 2 or len(lift) != len(cops):
            msg = (
                "cop_curve_lift_k / cop_curve_cop: cop_model = 'curve' needs at least two "
                f"(lift, COP) points of equal length, got {len(lift)} and {len(cops)}"
            )
            raise ValueError(msg)
        if any(b <= a for a, b in itertools.pairwise(lift)) or min(cops) <= 1:
            msg = "cop_curve_lift_k must ascend and every cop_curve_cop must exceed 1"
            raise ValueError(msg)


def _check_schedule_and_prices(p: DispatchParams) -> None:
    """Downtime days, hourly prices and plant life."""
    if any(not 1 <= d <= 365 for d in p.hp_downtime_start_days):
        msg = f"hp_downtime_start_days: days must be in 1..365, got {p.hp_downtime_start_days}"
        raise ValueError(msg)
    if not 0 <= p.hp_downtime_days <= 365:
        msg = f"hp_downtime_days: must be in 0..365, got {p.hp_downtime_days}"
        raise ValueError(msg)
    if p.tou_prices_gbp_per_mwh and (
        len(p.tou_prices_gbp_per_mwh) != 24 or min(p.tou_prices_gbp_per_mwh) < 0
    ):
        msg = (
            "tou_prices_gbp_per_mwh: give 24 non-negative hourly prices (or none), got "
            f"{len(p.tou_prices_gbp_per_mwh)} values"
        )
        raise ValueError(msg)
    if p.plant_lifetime_years < 1:
        msg = f"plant_lifetime_years: must be >= 1, got {p.plant_lifetime_years}"
        raise ValueError(msg)
