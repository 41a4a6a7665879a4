"""Street heat atlas and candidate-zone parameters, scenario table ``[zones]``.

Both the atlas (:mod:`heatmap.zones.atlas`) and the zone growth
(:mod:`heatmap.zones.candidate_zones`) read the one ``[zones]`` table: :class:`AtlasParams` holds
the keys of the atlas and :class:`ZoneParams` extends it with those of the zones, so
``params_from_mapping(ZoneParams, table)`` reads the whole table and the one object serves both
calls. The zone rules are Scotland's first
national assessment of potential heat network zones: baseline 4,000 kWh/m/yr with at least two
anchor loads, stringent 8,000 kWh/m/yr with at least five, an anchor load using more than
500 MWh/yr.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from heatmap._params import param_field

__all__ = ["AtlasParams", "ZoneParams", "lhd_class_labels"]

_SCOTLAND = "Scotland, potential heat network zones: first national assessment (2022)"


def lhd_class_labels(breaks: tuple[float, ...]) -> tuple[str, ...]:
    """Return the labels of the LHD classes cut at ``breaks`` (MWh/m/a), lowest first.

    Parameters
    ----------
    breaks
        Increasing class limits, MWh per metre per year.

    Returns
    -------
    labels
        ``len(breaks) + 1`` labels: ``"< b0"``, ``"b0–b1"``, ..., ``"≥ bn"``.

    Examples
    --------
    >>> lhd_class_labels((1.5, 3.0, 4.0, 8.0))
    ('< 1.5', '1.5–3', '3–4', '4–8', '≥ 8')
    """
    if not breaks:
        return ("all",)
    inner = [f"{a:g}–{b:g}" for a, b in itertools.pairwise(breaks)]
    return (f"< {breaks[0]:g}", *inner, f"≥ {breaks[-1]:g}")


@dataclass(frozen=True)
class AtlasParams:
    """Street heat atlas parameters (scenario table ``[zones]``)."""

    max_service_length_m: float = param_field(
        60.0,
        "a building farther than this from every street joins no street segment, m",
        "heatmap default: a longer run is a private main, not a service connection",
    )
    min_component_length_m: float = param_field(
        100.0,
        "street fragments touching no other street (courtyard paths, lines cut by the extract "
        "edge) shorter than this in all take no buildings; those join the nearest longer street, m",
        "heatmap default: a building on an isolated fragment cannot be routed to",
    )
    path_highways: tuple[str, ...] = param_field(
        ("footway", "path", "cycleway", "steps", "bridleway", "corridor", "track"),
        "OSM highway values of paths: a building joins the nearest road segment, and a path "
        "only when no road lies within max_service_length_m (else pavements and alleys mapped "
        "beside the road would take the heat of the buildings along it)",
        "Scotland's heat network zoning assesses linear heat density on road segments",
    )
    lhd_class_breaks_mwh_per_m_a: tuple[float, ...] = param_field(
        (1.5, 3.0, 4.0, 8.0),
        "limits of the linear-heat-density classes of the street heat atlas, MWh/m/a",
        "heatmap default: classes around the baseline and stringent rules (4 and 8 MWh/m/a)",
    )

    def __post_init__(self) -> None:
        """Check ranges; raise ValueError naming the field."""
        if not self.max_service_length_m > 0:
            msg = f"max_service_length_m: must be > 0 m, got {self.max_service_length_m}"
            raise ValueError(msg)
        if self.min_component_length_m < 0:
            msg = f"min_component_length_m: must be >= 0 m, got {self.min_component_length_m}"
            raise ValueError(msg)
        b = self.lhd_class_breaks_mwh_per_m_a
        if any(x <= 0 for x in b) or any(y <= x for x, y in itertools.pairwise(b)):
            msg = f"lhd_class_breaks_mwh_per_m_a: need increasing positive values, got {list(b)}"
            raise ValueError(msg)

    @property
    def lhd_class_labels(self) -> tuple[str, ...]:
        """Labels of the LHD classes, lowest first (see :func:`lhd_class_labels`)."""
        return lhd_class_labels(self.lhd_class_breaks_mwh_per_m_a)


@dataclass(frozen=True)
class ZoneParams(AtlasParams):
    """Candidate heat-network zone parameters (scenario table ``[zones]``, with the atlas keys)."""

    baseline_lhd_mwh_per_m_a: float = param_field(
        4.0,
        "baseline rule: least linear heat density of a street segment to qualify and of a zone "
        "to pass, MWh/m/a",
        f"{_SCOTLAND}: baseline 4,000 kWh/m/yr",
    )
    baseline_min_anchors: int = param_field(
        2, "baseline rule: least anchor loads in a zone", f"{_SCOTLAND}: baseline"
    )
    stringent_lhd_mwh_per_m_a: float = param_field(
        8.0,
        "stringent rule: least linear heat density of a zone, MWh/m/a",
        f"{_SCOTLAND}: stringent 8,000 kWh/m/yr",
    )
    stringent_min_anchors: int = param_field(
        5, "stringent rule: least anchor loads in a zone", f"{_SCOTLAND}: stringent"
    )
    anchor_threshold_mwh_per_a: float = param_field(
        500.0,
        "annual heat demand from which a building is an anchor load, MWh/a",
        f"{_SCOTLAND}: anchor load > 500 MWh/yr",
    )
    max_gap_m: float = param_field(
        250.0,
        "qualifying street stretches at most this far apart along the streets join one zone; "
        "never across a longer stretch of low-density road, m",
        "heatmap default: a short transmission link (a few street blocks)",
    )
    min_zone_heat_mwh_per_a: float = param_field(
        1000.0,
        "least annual heat of a zone that passes, MWh/a; smaller zones are listed as failing",
        "heatmap default: the heat of the baseline rule's two anchor loads of 500 MWh/a",
    )

    max_zone_heat_mwh_per_a: float = param_field(
        200_000.0,
        "a zone with more annual heat is split along the streets into contiguous parts of "
        "about equal heat, each at most this, MWh/a; 0 keeps every zone whole",
        "heatmap default: about what one energy centre's largest pipe carries (DN600 steel, "
        "86 MW at 70/45 °C, heatmap.design.sizing.max_capacity_kw) over about 2,300 "
        "diversified full-load hours (City of London extract: 1,450 undiversified h, f = 0.62)",
    )

    def __post_init__(self) -> None:
        """Check ranges; raise ValueError naming the field."""
        super().__post_init__()
        for name in ("baseline_lhd_mwh_per_m_a", "stringent_lhd_mwh_per_m_a"):
            if not getattr(self, name) > 0:
                msg = f"{name}: must be > 0 MWh/m/a, got {getattr(self, name)}"
                raise ValueError(msg)
        if self.stringent_lhd_mwh_per_m_a < self.baseline_lhd_mwh_per_m_a:
            msg = (
                "stringent_lhd_mwh_per_m_a: must be >= baseline_lhd_mwh_per_m_a, got "
                f"{self.stringent_lhd_mwh_per_m_a} < {self.baseline_lhd_mwh_per_m_a}"
            )
            raise ValueError(msg)
        if not 0 <= self.baseline_min_anchors <= self.stringent_min_anchors:
            msg = (
                "baseline_min_anchors / stringent_min_anchors: need 0 <= baseline <= stringent, "
                f"got {self.baseline_min_anchors} and {self.stringent_min_anchors}"
            )
            raise ValueError(msg)
        for name in (
            "anchor_threshold_mwh_per_a",
            "max_gap_m",
            "min_zone_heat_mwh_per_a",
            "max_zone_heat_mwh_per_a",
        ):
            if getattr(self, name) < 0:
                msg = f"{name}: must be >= 0, got {getattr(self, name)}"
                raise ValueError(msg)
