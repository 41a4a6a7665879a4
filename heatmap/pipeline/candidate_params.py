"""Parameters of the candidate networks: scenario table ``[candidates]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from heatmap._params import param_field

__all__ = ["RANK_KEYS", "CandidateParams"]

RANK_KEYS = ("npv_per_capex", "npv", "irr", "lcoh", "lhd")
"""Criteria the candidates can be ranked by (``--rank-by``)."""


@dataclass(frozen=True)
class CandidateParams:
    """How candidate networks are formed, appraised, ranked and chosen (``[candidates]``)."""

    rank_by: Literal["npv_per_capex", "npv", "irr", "lcoh", "lhd"] = param_field(
        "npv_per_capex",
        "ranking criterion among the viable candidates: 'npv_per_capex' (NPV per GBP of "
        "CAPEX), 'npv', 'irr', 'lcoh' (lowest first) or 'lhd' (route linear heat density)",
        "project default: value for money, as a capital programme compares schemes",
    )
    network: str = param_field(
        "",
        "run the whole chain for this candidate (e.g. 'Z03') instead of the top-ranked one; "
        "empty = the top-ranked",
    )
    min_route_lhd_mwh_per_m_a: float = param_field(
        4.0,
        "a candidate is viable only if its connected heat / spine trench length reaches this, "
        "MWh/m/a",
        "Scotland's national heat network zoning assessment, baseline 4,000 kWh/m/yr",
    )
    min_npv_gbp: float = param_field(
        0.0,
        "a candidate is viable only if its NPV over the longest appraisal horizon reaches this, "
        "GBP",
        "project default: a scheme that pays back its capital at the discount rate",
    )
    min_load_mwh_per_a: float = param_field(
        100.0,
        "buildings of a zone down to this annual demand are offered to its network as loads "
        "of their own (the prize-collecting route decides which join); smaller ones join "
        "through viable housing clusters, MWh/a",
        "England's heat network zoning: existing non-domestic buildings above 100 MWh/yr",
    )
    prize_collecting: bool = param_field(
        True,
        "let each candidate's route leave out loads whose heat margin does not pay for their "
        "trench (anchor loads always connect)",
    )
    max_candidates: int = param_field(
        12,
        "appraise at most this many candidate networks, largest zones first (the rest are "
        "listed as not appraised)",
        "project default: keeps a borough run to a few minutes",
    )
    zone_margin_m: float = param_field(
        300.0,
        "the street graph searched for a zone's route reaches this far beyond the zone, m",
        "project default: room for an energy centre site and detours around the zone",
    )

    def __post_init__(self) -> None:
        """Check the values, naming the key."""
        if self.rank_by not in RANK_KEYS:
            msg = f"rank_by: must be one of {', '.join(RANK_KEYS)}, got {self.rank_by!r}"
            raise ValueError(msg)
        for key in ("min_route_lhd_mwh_per_m_a", "min_load_mwh_per_a", "zone_margin_m"):
            value = getattr(self, key)
            if not value >= 0:
                msg = f"{key}: must be >= 0, got {value}"
                raise ValueError(msg)
        if not self.max_candidates >= 1:
            msg = f"max_candidates: must be at least 1, got {self.max_candidates}"
            raise ValueError(msg)
