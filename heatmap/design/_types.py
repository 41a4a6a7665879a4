"""Parameters, constants and result types shared by the design modules."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import pandas as pd

from heatmap import schema as sch
from heatmap._params import param_field
from heatmap.design.rates import load_cost_rates

__all__ = [
    "COMPONENT_OF_KEY",
    "CONNECTION_KEYS",
    "DEVELOPMENT_CATEGORY",
    "EXTRA_LINE_COLUMNS",
    "HOURS_PER_YEAR",
    "LINE_COLUMNS",
    "REPLACEMENT_COMPONENTS",
    "SEGMENT_COLUMNS",
    "TABLE50_ROWS",
    "CostBreakdown",
    "CostParams",
    "PlantCapacities",
    "SizingParams",
    "SizingResult",
]

HOURS_PER_YEAR = 8760.0
SEGMENT_COLUMNS = (
    "segment_id",
    "u",
    "v",
    sch.LENGTH_M,
    sch.KIND,
    sch.COST_CLASS,
    sch.SERVED_HEAT_MWH_PER_A,
    sch.SERVED_PEAK_KW,
    sch.N_DOWNSTREAM,
    sch.PHASE,
)

LINE_COLUMNS = (
    "phase",
    "category",
    "key",
    "component",
    "item",
    "quantity",
    "unit",
    "rate_gbp",
    "subtotal_gbp",
    "contingency_pct",
    "contingency_gbp",
    "total_gbp",
)
EXTRA_LINE_COLUMNS = (
    "phase",
    "category",
    "item",
    "quantity",
    "unit",
    "rate_gbp",
    "contingency_pct",
)
REPLACEMENT_COMPONENTS = (
    "heat_pumps",
    "boilers",
    "thermal_store",
    "pumps",
    "substations",
    "network",
)
"""Components replaced at the end of their life (the keys of the economics lifetimes)."""
COMPONENT_OF_KEY: dict[str, str] = {
    "heat_pumps": "heat_pumps",
    "heat_pump_mne": "heat_pumps",
    "boilers": "boilers",
    "boiler_flues": "boilers",
    "thermal_store": "thermal_store",
    "network_pumps": "pumps",
    "pressurisation": "pumps",
    "hiu": "substations",
    "substation": "substations",
    "service_connection": "substations",
    "connection_quoted": "substations",
    "network_spine": "network",
    "network_branches": "network",
}
"""Replacement component of each CAPEX line key; other lines (building, civils, grid
connections, development) are not replaced within an appraisal."""
CONNECTION_KEYS = ("hiu", "substation", "service_connection", "connection_quoted")
DEVELOPMENT_CATEGORY = "further_project_development"
# Table 50 row order (study), with the label used for each key.
TABLE50_ROWS: tuple[tuple[str, str], ...] = (
    ("energy_centre_building", "Energy centre building"),
    ("heat_pumps", "Heat pump"),
    ("heat_source_works", "Abstraction and discharge connecting pipework and civils"),
    ("heat_pump_mne", "Heat pump M&E"),
    ("boilers", "Peak and reserve gas boilers"),
    ("pressurisation", "Pressurisation"),
    ("water_treatment", "Water treatment"),
    ("boiler_flues", "Peak and reserve boiler flues"),
    ("network_pumps", "Main district heat network pumps"),
    ("controls", "Controls"),
    ("other_mne", "Other energy centre M&E"),
    ("thermal_store", "Thermal store(s)"),
    ("network_spine", "Heat network spine (pipe and trench costs)"),
    (
        "network_branches",
        "Heat network branches (including pipe, trench, traffic management, etc.)",
    ),
    ("connections", "Cost of connections at heat user locations"),
    ("gas_connection", "Gas grid connection"),
    ("electricity_connection", "Electricity grid connection"),
    ("development", "Further project development (e.g. professional fees, legal, design, surveys)"),
)


@dataclass(frozen=True)
class SizingParams:
    """Parameters of the sizing stage (scenario table ``[sizing]``)."""

    flow_temp_c: float = param_field(
        70.0,
        "design (peak) flow temperature, °C",
        "Killingworth study §7.2.5: 70 °C existing (55 new)",
    )
    return_temp_c: float = param_field(
        45.0,
        "design (peak) return temperature, °C",
        "Killingworth study §7.2.5: 45 °C existing (30 new)",
    )
    ground_temp_c: float = param_field(
        10.0,
        "undisturbed ground temperature at pipe depth, annual mean, °C",
        "UK mean annual soil temperature at ~1 m, about 10 °C",
    )
    max_velocity_m_per_s: float | None = param_field(
        None,
        "one velocity limit for every DN, m/s; unset = the catalogue's limit per DN (1.0-3.0 m/s)",
        "catalogue: typical 0.5-2.5 m/s rising with DN (vicus-software.com dimensioning guide)",
    )
    max_pressure_gradient_pa_per_m: float = param_field(
        150.0,
        "largest frictional pressure gradient in street (spine/branch) pipes, Pa/m",
        "typical design 100-200 Pa/m (vicus-software.com pressure-loss guide); mid value",
    )
    max_pressure_gradient_service_pa_per_m: float = param_field(
        300.0,
        "largest pressure gradient in service pipes to buildings, Pa/m",
        "short service pipes are commonly allowed up to ~300 Pa/m (upper end of 100-300 Pa/m)",
    )
    roughness_mm: float | None = param_field(
        None,
        "absolute wall roughness for every pipe, mm; unset = catalogue (steel 0.05, PEX 0.007)",
        "typical new steel 0.05 mm, PE-X 0.007 mm",
    )
    insulation_series: int = param_field(
        2,
        "EN 253 insulation series (the catalogue needs a casing_od_series<N>_mm column)",
        "Killingworth study Appendix 4: series 2",
    )
    insulation_conductivity_w_per_mk: float = param_field(
        0.027,
        "thermal conductivity of the PUR insulation, W/mK",
        "aged PUR, EN 253 λ50 <= 0.029; 0.027 reproduces the EN 253 series-2 loss table",
    )
    ground_conductivity_w_per_mk: float = param_field(
        1.5, "thermal conductivity of the soil, W/mK", "EN 13941-1 typical moist soil 1.5"
    )
    cover_depth_m: float = param_field(
        0.6, "soil cover above the casings, m", "common UK minimum cover in roads 0.6 m"
    )
    pipe_spacing_m: float = param_field(
        0.15,
        "clear distance between flow and return casings, m",
        "manufacturer trench guides 0.15 m",
    )
    service_material: Literal["pex", "steel"] = param_field(
        "pex",
        "pipe material tried first for service segments (steel used when it cannot carry the load)",
        "Killingworth study Appendix 4: flexible polymer pipe for small diameters",
    )
    apply_diversity: bool = param_field(
        False,
        "multiply served_peak_kw by f(n) = 0.62 + 0.38/n (when the route gives undiversified sums)",
        "THERMOS diversity curve; the route stage normally diversifies already",
    )
    variable_temperature: bool = param_field(
        False,
        "variable-temperature operation for annual losses (peak regime in winter, summer regime)",
        "Killingworth study §7.2.5 / §7.4.2",
    )
    summer_flow_temp_c: float = param_field(
        65.0, "summer flow temperature, °C", "Killingworth study §7.2.5: 65 °C"
    )
    summer_return_temp_c: float = param_field(
        35.0, "summer return temperature, °C", "Killingworth study §7.2.5: 35 °C"
    )
    fittings_allowance_pct: float = param_field(
        20.0,
        "singular losses (bends, tees, valves) as % of pipe friction on the index path",
        "engineering allowance (equivalent-length practice 10-30 %)",
    )
    plant_pressure_drop_kpa: float = param_field(
        50.0,
        "pressure drop through the energy-centre plant and headers, kPa",
        "engineering allowance for heat-pump condensers, boilers and headers",
    )
    substation_pressure_drop_kpa: float = param_field(
        50.0,
        "differential pressure kept at the index customer (HIU/PHE and control valve), kPa",
        "typical minimum 0.3-0.5 bar at the critical consumer (vicus-software.com guide)",
    )
    pump_efficiency: float = param_field(
        0.7,
        "wire-to-water efficiency of the network pumps, 0-1",
        "typical large variable-speed pump set",
    )
    loss_share_limit_pct: float = param_field(
        10.0,
        "heat-loss share above which the result is flagged, %",
        "CIBSE/ADE CP1, Killingworth study §7.2.5 footnote 3: < 10 %",
    )

    def __post_init__(self) -> None:
        """Check ranges; raise ``ValueError("<field>: ...")``."""
        checks: list[tuple[bool, str]] = [
            (
                self.flow_temp_c > self.return_temp_c,
                "return_temp_c: must be below flow_temp_c (raise the flow or lower the return)",
            ),
            (
                self.summer_flow_temp_c > self.summer_return_temp_c,
                "summer_return_temp_c: must be below summer_flow_temp_c",
            ),
            (
                self.return_temp_c >= 0 and self.flow_temp_c <= 100,
                "flow_temp_c: keep within 0-100 °C",
            ),
            (-5 <= self.ground_temp_c <= 30, "ground_temp_c: expected -5 to 30 °C"),
            (
                self.max_pressure_gradient_pa_per_m > 0,
                "max_pressure_gradient_pa_per_m: must be > 0",
            ),
            (
                self.max_pressure_gradient_service_pa_per_m > 0,
                "max_pressure_gradient_service_pa_per_m: must be > 0",
            ),
            (
                self.max_velocity_m_per_s is None or self.max_velocity_m_per_s > 0,
                "max_velocity_m_per_s: must be > 0 or unset",
            ),
            (self.roughness_mm is None or self.roughness_mm >= 0, "roughness_mm: must be >= 0"),
            (self.insulation_series in (1, 2, 3), "insulation_series: must be 1, 2 or 3"),
            (self.insulation_conductivity_w_per_mk > 0, "insulation_conductivity_w_per_mk: > 0"),
            (self.ground_conductivity_w_per_mk > 0, "ground_conductivity_w_per_mk: must be > 0"),
            (self.cover_depth_m > 0, "cover_depth_m: must be > 0"),
            (self.pipe_spacing_m >= 0, "pipe_spacing_m: must be >= 0"),
            (self.fittings_allowance_pct >= 0, "fittings_allowance_pct: must be >= 0"),
            (self.plant_pressure_drop_kpa >= 0, "plant_pressure_drop_kpa: must be >= 0"),
            (self.substation_pressure_drop_kpa >= 0, "substation_pressure_drop_kpa: must be >= 0"),
            (0 < self.pump_efficiency <= 1, "pump_efficiency: must be in (0, 1]"),
            (self.loss_share_limit_pct > 0, "loss_share_limit_pct: must be > 0"),
        ]
        for ok, msg in checks:
            if not ok:
                raise ValueError(msg)


@dataclass(frozen=True)
class SizingResult:
    """Sized pipes and network-level hydraulics and losses.

    Attributes
    ----------
    pipes
        The segments plus ``diversity_factor``, ``design_peak_kw``, ``design_flow_kg_per_s``,
        ``pipe_id``, ``material``, ``dn``, ``inner_diameter_mm``, ``velocity_m_per_s``,
        ``pressure_drop_pa_per_m`` (one pipe, at the mean water temperature),
        ``heat_loss_w_per_m`` (flow + return pair per metre of trench, design temperatures),
        ``heat_loss_mwh_per_a``, ``capex_gbp`` (pipe and trench, excl. contingency),
        ``cum_pressure_drop_kpa`` (flow + return friction incl. fittings, root to the segment's
        downstream end) and ``on_index_path``.
    index_path
        Segment ids from the energy centre to the hydraulically most remote customer.
    pump_head_kpa
        Flow + return friction on the index path x (1 + fittings allowance) + plant and
        substation allowances.
    pump_power_kw
        Electrical power at design flow: head x volume flow / pump efficiency.
    design_flow_kg_per_s
        Mass flow leaving the energy centre.
    annual_heat_loss_mwh_per_a, heat_delivered_mwh_per_a
        Network heat loss and the heat delivered to customers (served heat of the root segments).
    loss_share_pct
        Loss as % of heat put into the network (delivered + losses), the study's and CP1's basis
        (study Phase 1: 1,113 / 11,803 = 9.4 %).
    loss_share_flagged
        ``loss_share_pct`` above ``params.loss_share_limit_pct``.
    dn_table
        Table 51 shape: ``phase, material, dn, length_soft_m, length_hard_m, length_m,
        capex_gbp, capex_gbp_per_m``, largest DN first within each phase.
    params
        The parameters used.
    """

    pipes: gpd.GeoDataFrame
    index_path: tuple[object, ...]
    pump_head_kpa: float
    pump_power_kw: float
    design_flow_kg_per_s: float
    annual_heat_loss_mwh_per_a: float
    heat_delivered_mwh_per_a: float
    loss_share_pct: float
    loss_share_flagged: bool
    dn_table: pd.DataFrame
    params: SizingParams


@dataclass(frozen=True)
class CostParams:
    """Parameters of the costing stage (scenario table ``[costing]``).

    Default rates and contingencies are in ``heatmap/data/costing_rates.csv`` (keys such as
    ``heat_pumps`` GBP/kW, ``hiu`` GBP/dwelling, ``substation`` GBP/kW, ``service_connection``
    GBP/connection, ``energy_centre_building`` GBP/m2, ``thermal_store`` GBP/m3,
    ``development`` % of construction) and ``costing_pipe_rates.csv`` (GBP/m by DN and dig class).
    """

    rates_gbp: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "doc": "override unit rates by key of costing_rates.csv, e.g. {hiu = 3000.0}, GBP",
            "source": "costing_rates.csv (Killingworth study Tables 46, 50-54; section 7.2.7)",
        },
    )
    contingency_pct: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "doc": "override contingency by key of costing_rates.csv, %",
            "source": "Killingworth study Table 50 (10-20 % by item)",
        },
    )
    rates_path: str = param_field(
        "", "CSV replacing the bundled costing_rates.csv ('' = bundled)", ""
    )
    pipe_rates_path: str = param_field(
        "", "CSV replacing the bundled costing_pipe_rates.csv ('' = bundled)", ""
    )
    energy_centre_m2_per_mw: float = param_field(
        58.7,
        "energy-centre floor area per MW of installed heat-pump + boiler capacity, m2/MW",
        "Killingworth study Table 22: 693 m2 for 3.811 MW heat pumps + 8 MW boilers = 58.7",
    )
    electrical_kva_per_kw_hp: float = param_field(
        0.367,
        "electricity connection per kW of heat-pump heat output, kVA/kW",
        "Killingworth study section 7.2.7: 1.4 MVA for 3,811 kW of heat pumps = 0.367",
    )

    def __post_init__(self) -> None:
        """Check override keys and ranges; raise ``ValueError("<field>: ...")``."""
        known = set(load_cost_rates(self.rates_path or None).index)
        for name, mapping in (
            ("rates_gbp", self.rates_gbp),
            ("contingency_pct", self.contingency_pct),
        ):
            unknown = sorted(set(mapping) - known)
            if unknown:
                msg = f"{name}: unknown key(s) {unknown}; valid keys: {sorted(known)}"
                raise ValueError(msg)
            if any(v < 0 for v in mapping.values()):
                msg = f"{name}: values must be >= 0"
                raise ValueError(msg)
        if any(v > 100 for v in self.contingency_pct.values()):
            msg = "contingency_pct: values must be within 0-100 %"
            raise ValueError(msg)
        if self.energy_centre_m2_per_mw <= 0 or self.electrical_kva_per_kw_hp <= 0:
            msg = "energy_centre_m2_per_mw: and electrical_kva_per_kw_hp must be > 0"
            raise ValueError(msg)


@dataclass(frozen=True)
class PlantCapacities:
    """Energy-centre capacities added in one phase (increments, not cumulative).

    Attributes
    ----------
    hp_capacity_kw
        Heat-pump heat output added, kW.
    boiler_capacity_kw
        Peak and reserve boiler capacity added, kW.
    store_volume_m3
        Thermal-store volume added, m3.
    energy_centre_area_m2
        Building floor area built, m2; ``None`` = ``energy_centre_m2_per_mw`` x (heat pump +
        boiler MW) when ``new_energy_centre``, else 0 (the study builds the whole centre in
        Phase 1 and adds plant to it later).
    electrical_connection_kva
        Grid connection added, kVA; ``None`` = ``electrical_kva_per_kw_hp`` x heat pump kW.
    gas_connection_kw
        Gas supply capacity added, kW; ``None`` = boiler kW.
    network_peak_kw
        Design network peak added (sizes the network pumps), kW; ``None`` = from the pipes:
        growth of the served peak on the root segments of phases up to this one.
    new_energy_centre
        Whether this phase builds the energy centre (building, pressurisation, water
        treatment); ``None`` = only the first phase given.
    """

    hp_capacity_kw: float = 0.0
    boiler_capacity_kw: float = 0.0
    store_volume_m3: float = 0.0
    energy_centre_area_m2: float | None = None
    electrical_connection_kva: float | None = None
    gas_connection_kw: float | None = None
    network_peak_kw: float | None = None
    new_energy_centre: bool | None = None

    def __post_init__(self) -> None:
        """Reject negative capacities."""
        for name in ("hp_capacity_kw", "boiler_capacity_kw", "store_volume_m3"):
            if getattr(self, name) < 0:
                msg = f"{name}: must be >= 0"
                raise ValueError(msg)
        for name in (
            "energy_centre_area_m2",
            "electrical_connection_kva",
            "gas_connection_kw",
            "network_peak_kw",
        ):
            value = getattr(self, name)
            if value is not None and value < 0:
                msg = f"{name}: must be >= 0 or unset"
                raise ValueError(msg)


@dataclass(frozen=True)
class CostBreakdown:
    """A costed bill of quantities.

    Attributes
    ----------
    lines
        One row per line item: ``phase, category, key, item, quantity, unit, rate_gbp,
        subtotal_gbp (= quantity x rate), contingency_pct, contingency_gbp, total_gbp``.
        Categories follow the study: ``energy_centre``, ``network``, ``building_connections``,
        ``further_project_development``.
    by_phase
        Per phase and category: ``subtotal_gbp, contingency_gbp, total_gbp``, with an ``all``
        category row per phase.
    total_capex_gbp
        Sum of every line's ``total_gbp``.
    dn_table
        Network length and cost by phase, material, DN and dig class (study Table 51 shape).
    """

    lines: pd.DataFrame
    by_phase: pd.DataFrame
    total_capex_gbp: float
    dn_table: pd.DataFrame
