"""Parameters of the demand stage (the scenario's ``[demand]`` table)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Literal

from heatmap.demand import benchmarks as tables
from heatmap.errors import InputError
from heatmap.ingest.weather import regional_hdd

logger = logging.getLogger(__name__)

__all__ = ["DemandParams"]


@dataclass(frozen=True)
class DemandParams:
    """Parameters of the demand stage (scenario table ``[demand]``)."""

    region: str = field(
        default="Thames Valley",
        metadata={
            "doc": "CIBSE TM46 degree-day region of the site (heatmap/data/tm46_regional_hdd.csv)",
            "source": "TM46:2008 regions; Thames Valley covers London",
        },
    )
    degree_days_k_day: float | None = field(
        default=None,
        metadata={
            "doc": "site heating degree days base 15.5 C (K day/a); overrides the region",
            "source": "not set: the region's TM46 20-year value is used",
        },
    )
    floor_height_m: float = field(
        default=3.0,
        metadata={"doc": "storey height to turn height_m into floors (m)", "source": "DESIGN §4"},
    )
    min_footprint_m2: float = field(
        default=20.0,
        metadata={
            "doc": "footprints below this carry no demand unless metered (m2)",
            "source": "DESIGN §4",
        },
    )
    default_age_band: Literal["G", "A", "B", "C", "D", "E", "F"] = field(
        default="C",
        metadata={
            "doc": "Table 38 age band where no construction year or start_date is known "
            "(G pre-1900, A 1900-29, B 1930-49, C 1950-66, D 1967-82, E 1983-95, F post-1996)",
            "source": "project default; bands A-C share the same Table 38 benchmarks",
        },
    )
    untagged_use: Literal["domestic", "non_domestic"] = field(
        default="domestic",
        metadata={
            "doc": "use of buildings whose tags name no use (building=yes)",
            "source": "project default: most untagged UK buildings are houses; use "
            "non_domestic for commercial centres",
        },
    )
    untagged_tm46_category: str = field(
        default="General office",
        metadata={
            "doc": "TM46 category of untagged buildings when untagged_use is non_domestic",
            "source": "project default",
        },
    )
    flat_min_floors: int = field(
        default=3,
        metadata={
            "doc": "untyped domestic buildings (building=yes/residential) with at least this "
            "many floors are blocks of flats",
            "source": "project default",
        },
    )
    shared_wall_tolerance_m: float = field(
        default=0.5,
        metadata={"doc": "gap still treated as a shared wall (m)", "source": "project default"},
    )
    min_shared_wall_m: float = field(
        default=2.0,
        metadata={
            "doc": "shortest shared boundary that counts as a party wall (m)",
            "source": "project default",
        },
    )
    anchor_threshold_mwh_per_a: float = field(
        default=500.0,
        metadata={
            "doc": "annual demand from which a building is an anchor load (MWh/a)",
            "source": "Scotland heat network zoning: anchor load > 500 MWh/yr",
        },
    )
    domestic_hot_water_share: float = field(
        default=0.2,
        metadata={
            "doc": "share of domestic annual heat used for hot water (0-1)",
            "source": "DESNZ Energy Consumption in the UK, domestic end use: water heating is "
            "about a fifth of space plus water heating",
        },
    )
    non_domestic_hot_water_share: float = field(
        default=0.1,
        metadata={
            "doc": "share of non-domestic annual heat used for hot water (0-1)",
            "source": "project assumption; set per site where known",
        },
    )
    peak_method: Literal["full_load_hours", "thermos_regression"] = field(
        default="full_load_hours",
        metadata={
            "doc": "per-building peak: annual / full-load hours by use, or THERMOS "
            "kWp = 0.0004963 kWh/a + 21.84",
            "source": "DESIGN §4; full-load hours from Killingworth study Tables 14/16/18",
        },
    )
    default_floors: dict[str, float] = field(
        default_factory=dict,
        metadata={
            "doc": "overrides of the default floors by building tag ('*' = any other)",
            "source": "heatmap/data/demand_default_floors.csv",
        },
    )

    def __post_init__(self) -> None:
        if self.floor_height_m <= 0:
            msg = "floor_height_m: must be positive (e.g. 3.0)"
            raise ValueError(msg)
        if self.min_footprint_m2 < 0:
            msg = "min_footprint_m2: must be zero or positive"
            raise ValueError(msg)
        if self.degree_days_k_day is not None and self.degree_days_k_day < 0:
            msg = "degree_days_k_day: must be zero or positive"
            raise ValueError(msg)
        for name in ("domestic_hot_water_share", "non_domestic_hot_water_share"):
            if not 0.0 <= getattr(self, name) < 1.0:
                msg = f"{name}: must be in [0, 1)"
                raise ValueError(msg)
        if self.untagged_tm46_category not in tables.tm46_benchmarks().index:
            msg = (
                f"untagged_tm46_category: {self.untagged_tm46_category!r} is not a TM46 category; "
                f"choose one of {', '.join(tables.tm46_benchmarks().index)}"
            )
            raise ValueError(msg)
        if self.anchor_threshold_mwh_per_a < 0 or self.min_shared_wall_m < 0:
            msg = "anchor_threshold_mwh_per_a / min_shared_wall_m: must be zero or positive"
            raise ValueError(msg)
        if any(v <= 0 for v in self.default_floors.values()):
            msg = "default_floors: every value must be positive"
            raise ValueError(msg)
        try:
            regional_hdd(self.region)
        except InputError as exc:
            msg = f"region: {exc}"
            raise ValueError(msg) from exc
