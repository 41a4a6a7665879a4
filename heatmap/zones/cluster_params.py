"""Cluster and screening parameters, scenario table ``[cluster]`` (see heatmap.zones.clusters).

The study (Killingworth §5.3) gives network metres per dwelling by density class only for the
case where every dwelling connects (16.3 / 20.1 / 26.5 m), and Table 13 the metres per
*connected* dwelling for each cluster. Appendix 4 and Figure 23 explain the model behind them:
the spine and branches inside a cluster do not shrink when fewer dwellings connect, the feeds
do. So the cluster's pipe length is ``main x all dwellings + feed x connected dwellings`` and
per connected dwelling ``main x N / C + feed``. The two coefficients per class were derived from
Table 13 (see the ``source`` of each field); their sums (16.37 / 20.21 / 26.53 m) agree with the
§5.3 all-connected values to within 0.6 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from heatmap._params import param_field
from heatmap.schema import Tenure

__all__ = ["DENSITY_CLASSES", "ClusterParams"]

DENSITY_CLASSES: tuple[str, ...] = ("high", "medium", "low")
_DEFAULT_UPTAKE_PCT: dict[str, float] = {
    Tenure.SOCIAL.value: 100.0,
    Tenure.PRIVATE.value: 10.0,
    Tenure.PUBLIC.value: 100.0,
    Tenure.COMMERCIAL.value: 10.0,
    Tenure.UNKNOWN.value: 10.0,
}


@dataclass(frozen=True)
class ClusterParams:
    """Building clustering and connection-screening parameters (scenario table ``[cluster]``)."""

    eps_m: float = param_field(
        20.0,
        "DBSCAN neighbourhood: largest gap between dwelling footprints, m",
        "heatmap default: spans a residential street between facing houses (15-25 m)",
    )
    min_samples: int = param_field(
        5,
        "DBSCAN minimum buildings within eps_m (itself included) for a core point",
        "heatmap default",
    )
    max_cluster_dwellings: int = param_field(
        500,
        "larger clusters are split (recursive bisection on centroids) into parts of at most "
        "this many dwellings",
        "study Table 13: largest cluster N08, 483 dwellings",
    )
    non_domestic_eps_m: float = param_field(
        50.0,
        "largest gap from a non-domestic building to the anchor load whose heat cluster it "
        "joins, m",
        "heatmap default",
    )
    anchor_merge_m: float = param_field(
        10.0,
        "anchor loads whose footprints are at most this far apart share a heat cluster, m",
        "heatmap default: one site or complex",
    )
    non_domestic_require_anchor: bool = param_field(
        True,
        "leave non-domestic buildings near no anchor load unclustered (else they group among "
        "themselves)",
        "heatmap default: heat clusters around anchor loads",
    )
    density_high_min_dph: float = param_field(
        50.0,
        "lowest density of the 'high' class, dwellings per hectare",
        "UK planning practice: above 50 dph is high density (the study does not state limits)",
    )
    density_medium_min_dph: float = param_field(
        30.0,
        "lowest density of the 'medium' class, dwellings per hectare (below it: 'low')",
        "UK planning practice: 30 dph minimum for new housing (the study does not state limits)",
    )
    outline_buffer_m: float = param_field(
        5.0,
        "buffer around the convex hull of member footprints forming the cluster outline, m",
        "heatmap default: half a front garden",
    )
    flat_building_tags: tuple[str, ...] = param_field(
        ("apartments",),
        "building_tag values holding several dwellings (counted by floor area)",
        "OSM building=apartments",
    )
    flat_dwelling_floor_area_m2: float = param_field(
        70.0,
        "gross floor area per dwelling in blocks of flats, m2",
        "study Table 39: social-housing average floor areas 46-81 m2",
    )
    uptake_pct: dict[str, float] = field(
        default_factory=lambda: dict(_DEFAULT_UPTAKE_PCT),
        metadata={
            "doc": "share of dwellings expected to connect, % by tenure",
            "source": "study 5.3: all social housing, 10 % of private; public as social, "
            "commercial and unknown as private (heatmap)",
        },
    )
    main_m_per_dwelling: dict[str, float] = field(
        default_factory=lambda: {"high": 8.764, "medium": 8.004, "low": 12.600},
        metadata={
            "doc": "spine and branch pipe inside a cluster per dwelling (connected or not), m, "
            "by density",
            "source": "derived from study Table 13: high from N07 (10 % connecting) and N204 "
            "(90 %), low from N04 (10 %) and N103 (44 %), medium least squares over its 7 rows",
        },
    )
    feed_m_per_connected_dwelling: dict[str, float] = field(
        default_factory=lambda: {"high": 7.606, "medium": 12.204, "low": 13.933},
        metadata={
            "doc": "feed pipe per connected dwelling, m, by density",
            "source": "derived from study Table 13, same rows as main_m_per_dwelling",
        },
    )
    pipe_cost_gbp_per_m: float = param_field(
        381.0,
        "average installed cost of cluster pipework, GBP/m",
        "study 5.3: GBP 381/m (PEX)",
    )
    counterfactual_gbp_per_dwelling: float = param_field(
        10000.0,
        "cost of the individual counterfactual (air-source heat pump) per dwelling, GBP",
        "study 5.3 / Table 7: about GBP 10,000",
    )
    min_social_share_pct: float = param_field(
        0.0,
        "minimum social-housing share for a viable cluster, %",
        "study 5.3 states 50 % but selects N106 at 45 %; 0 reproduces its selection",
    )
    table13_rounding: bool = param_field(
        True,
        "round connected dwellings (half up) and the connected share to whole percent, as Table "
        "13 does",
        "study Table 13",
    )
    barrier_highways: tuple[str, ...] = param_field(
        ("motorway", "motorway_link", "trunk", "trunk_link"),
        "OSM highway classes a cluster may not cross except at a crossing",
        "heatmap default: motorways and trunk roads",
    )
    crossing_radius_m: float = param_field(
        40.0,
        "a link between two buildings may cross a barrier within this distance of a crossing, m",
        "heatmap default",
    )

    def __post_init__(self) -> None:
        """Check ranges; raise ValueError naming the field."""
        for name in (
            "eps_m",
            "non_domestic_eps_m",
            "flat_dwelling_floor_area_m2",
            "pipe_cost_gbp_per_m",
            "counterfactual_gbp_per_dwelling",
        ):
            if not getattr(self, name) > 0:
                msg = f"{name}: must be > 0, got {getattr(self, name)}"
                raise ValueError(msg)
        for name in ("outline_buffer_m", "crossing_radius_m", "anchor_merge_m"):
            if getattr(self, name) < 0:
                msg = f"{name}: must be >= 0, got {getattr(self, name)}"
                raise ValueError(msg)
        if self.min_samples < 1 or self.max_cluster_dwellings < 1:
            msg = "min_samples and max_cluster_dwellings: must be >= 1"
            raise ValueError(msg)
        if not 0 <= self.density_medium_min_dph < self.density_high_min_dph:
            msg = (
                "density_medium_min_dph / density_high_min_dph: need 0 <= medium < high, got "
                f"{self.density_medium_min_dph} and {self.density_high_min_dph}"
            )
            raise ValueError(msg)
        if not 0 <= self.min_social_share_pct <= 100:
            msg = f"min_social_share_pct: must be in [0, 100], got {self.min_social_share_pct}"
            raise ValueError(msg)
        valid_tenure = {t.value for t in Tenure}
        # tenures missing from a partial scenario table keep their defaults
        merged = {**_DEFAULT_UPTAKE_PCT, **self.uptake_pct}
        object.__setattr__(self, "uptake_pct", merged)
        unknown = sorted(set(self.uptake_pct) - valid_tenure)
        if unknown:
            msg = f"uptake_pct: unknown tenure(s) {unknown}; valid: {sorted(valid_tenure)}"
            raise ValueError(msg)
        for key, value in self.uptake_pct.items():
            if not 0 <= value <= 100:
                msg = f"uptake_pct.{key}: must be a percentage in [0, 100], got {value}"
                raise ValueError(msg)
        for name in ("main_m_per_dwelling", "feed_m_per_connected_dwelling"):
            table = getattr(self, name)
            if set(table) != set(DENSITY_CLASSES):
                msg = f"{name}: give exactly the density classes {list(DENSITY_CLASSES)}"
                raise ValueError(msg)
            if min(table.values()) < 0:
                msg = f"{name}: metres must be >= 0, got {table}"
                raise ValueError(msg)
