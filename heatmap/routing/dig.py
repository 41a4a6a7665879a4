"""Trench classes of street edges from their OSM tags, and what each pays.

A street's class follows its tags in this order:

1. ``bridge`` (any value but ``no``) or ``tunnel`` (any but ``no`` and ``building_passage``,
   which :mod:`.passages` handles): ``structure``, priced at
   ``[network] structure_crossing_cost_gbp_per_m``;
2. an unpaved ``surface`` (``[network] unpaved_surfaces``): ``soft``;
3. ``highway`` in ``major_road_highways``: ``major_road``;
4. ``highway`` in ``footway_highways``: ``footway``; other ``hard_dig_highways``: ``road``;
5. a path, track or bridleway with a paved ``surface``: ``footway``; else ``soft``.

Each class pays a share (``dig_premium``) of the pipe-rate catalogue's hard-over-soft rate:
the router weighs an edge by the civils cost at that share, and the costing prices each pipe
at ``soft + premium x (hard - soft)`` of its DN's catalogue rates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap import schema
from heatmap.routing.params import NetworkParams

__all__ = ["NOT_A_STRUCTURE", "PASSAGE_TAG", "passage_tagged", "trench_classes"]

PASSAGE_TAG = "passage"
"""Edge attribute: True where the street's tags put it inside a building."""

PASSAGE_VALUES = {
    "tunnel": frozenset({"building_passage"}),
    "covered": frozenset({"yes", "arcade"}),
    "indoor": frozenset({"yes", "corridor", "room", "area"}),
}
"""Tag values of a street inside a building (a colonnade or a canopy is open to the sky)."""

NOT_A_STRUCTURE = frozenset({"no", "false", "0", "building_passage"})
"""``bridge`` / ``tunnel`` values that do not put a street on or in a structure."""


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    """The lower-case text of ``column`` (empty where missing or absent)."""
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column].astype(object).to_numpy()
    return np.array([v.strip().lower() if isinstance(v, str) else "" for v in values], dtype=object)


def passage_tagged(streets: pd.DataFrame) -> np.ndarray:
    """Whether each street's tags put it inside a building.

    ``tunnel=building_passage``, ``covered=yes`` or ``arcade``, or ``indoor=yes``.

    >>> passage_tagged(pd.DataFrame({"tunnel": ["building_passage", None, "yes"],
    ...                              "covered": [None, "colonnade", None]})).tolist()
    [True, False, False]
    """
    out = np.zeros(len(streets), dtype=bool)
    for key, values in PASSAGE_VALUES.items():
        out |= np.isin(_text(streets, key), list(values))
    return out


def trench_classes(
    streets: pd.DataFrame, params: NetworkParams
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trench class, dig premium and catalogue basis of every street.

    Parameters
    ----------
    streets
        Street lines with ``highway`` and, where known, ``surface``, ``bridge``, ``tunnel``.
    params
        The class rules and premiums (``[network]``).

    Returns
    -------
    classes, premium, basis
        :class:`~heatmap.schema.TrenchClass` values, the share of hard over soft each pays,
        and the catalogue column (:class:`~heatmap.schema.DigClass`) it is based on.

    Examples
    --------
    >>> s = pd.DataFrame({"highway": ["primary", "residential", "footway", "track", "path",
    ...                               "residential"],
    ...                   "surface": [None, "gravel", None, None, "asphalt", None],
    ...                   "bridge": [None, None, None, None, None, "yes"]})
    >>> c, p, b = trench_classes(s, NetworkParams())
    >>> [str(x) for x in c]
    ['major_road', 'soft', 'footway', 'soft', 'footway', 'structure']
    >>> [round(float(x), 2) for x in p]
    [1.6, 0.0, 0.6, 0.0, 0.6, 2.47]
    >>> [str(x) for x in b]
    ['hard', 'soft', 'hard', 'soft', 'hard', 'hard']
    """
    highway = _text(streets, schema.HIGHWAY)
    surface = _text(streets, "surface")
    bridge = _text(streets, "bridge")
    tunnel = _text(streets, "tunnel")
    structure = ((bridge != "") & ~np.isin(bridge, list(NOT_A_STRUCTURE))) | (
        (tunnel != "") & ~np.isin(tunnel, list(NOT_A_STRUCTURE))
    )
    unpaved = np.isin(surface, list(params.unpaved_surfaces))
    paved = np.isin(surface, list(params.paved_surfaces))
    major = np.isin(highway, list(params.major_road_highways))
    footway = np.isin(highway, list(params.footway_highways))
    hard = np.isin(highway, list(params.hard_dig_highways))
    T = schema.TrenchClass
    classes = np.select(
        [structure, unpaved, major, footway & hard, hard, paved],
        [T.STRUCTURE, T.SOFT, T.MAJOR_ROAD, T.FOOTWAY, T.ROAD, T.FOOTWAY],
        default=T.SOFT,
    ).astype(object)
    premium_of = {str(k): float(v) for k, v in params.dig_premium.items()}
    premium_of[T.STRUCTURE] = params.premium_of_cost(params.structure_crossing_cost_gbp_per_m)
    premium = np.array([premium_of[str(c)] for c in classes], dtype=float)
    basis = np.where(classes == T.SOFT, schema.DigClass.SOFT, schema.DigClass.HARD).astype(object)
    return classes, premium, basis
