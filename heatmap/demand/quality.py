"""How far to trust each building's demand: flags and a confidence grade."""

from __future__ import annotations

import numpy as np

from heatmap.schema import BuildingUse

__all__ = ["confidence", "join_flags"]


def join_flags(
    parts: list[np.ndarray],
    *,
    big_house: np.ndarray,
    n_dwellings: np.ndarray,
    implausible_gfa: np.ndarray,
) -> np.ndarray:
    """Join the flags of each building with "; " ("" when none).

    Parameters
    ----------
    parts
        Flag texts per building from the earlier steps ("" for none).
    big_house, n_dwellings
        Domestic buildings counted as several houses, and their dwellings.
    implausible_gfa
        Buildings whose given floor area is far above footprint x plausible floors.

    Returns
    -------
    flags
        One text per building.
    """
    n = len(big_house)
    extra = np.full(n, "", dtype=object)
    if big_house.any():
        counts = np.asarray(n_dwellings)[big_house].astype(str).astype(object)
        extra[big_house] = "several houses in one outline: counted as " + counts + " dwellings"
    gfa_flag = np.where(implausible_gfa, "given floor area far above footprint x floors", "")
    out = np.full(n, "", dtype=object)
    for part in [*parts, extra, gfa_flag]:
        part = np.asarray(part, dtype=object)
        has = np.flatnonzero(part != "")
        if has.size == 0:
            continue
        both = has[out[has] != ""]
        only = has[out[has] == ""]
        out[only] = part[only]
        out[both] = out[both] + "; " + part[both]
    return out


def confidence(
    use_source: np.ndarray,
    floors_source: np.ndarray,
    use: np.ndarray,
    flags: np.ndarray,
    metered: np.ndarray,
) -> np.ndarray:
    """Grade each building ``high`` / ``medium`` / ``low``.

    The grade is the lower of the use's (own tags or a POI: high; area or name: medium; shape
    rule or scenario default: low) and the floors' (levels, given area or a single volume: high;
    height, or the default two storeys of a house: medium; other defaults: low); a flagged
    building is at most medium; metered demand is high.

    Parameters
    ----------
    use_source, floors_source, use
        Per building.
    flags
        Flag texts ("" for none).
    metered
        Buildings whose demand came from a demand layer.

    Returns
    -------
    confidence
        One grade per building.
    """
    use_score = np.select(
        [np.isin(use_source, ["tags", "poi"]), np.isin(use_source, ["area", "name"])], [2, 1], 0
    )
    domestic_default = (floors_source == "default") & (use == BuildingUse.DOMESTIC.value)
    floor_score = np.select(
        [
            np.isin(floors_source, ["levels", "given", "single_volume"]),
            (floors_source == "height") | domestic_default,
        ],
        [2, 1],
        0,
    )
    score = np.minimum(use_score, floor_score)
    score = np.where(flags != "", np.minimum(score, 1), score)
    score = np.where(metered, 2, score)
    return np.array(["low", "medium", "high"], dtype=object)[score]
