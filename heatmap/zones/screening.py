"""Connection screening of housing clusters against the individual heat-pump counterfactual.

The study's method (Killingworth §5.3, Table 13, Figure 23): uptake by tenure gives the connected
dwellings; the cluster's pipe is ``main x all dwellings + feed x connected dwellings``; its cost
per connected dwelling at the cluster pipe rate is compared with the counterfactual (an
air-source heat pump, about GBP 10,000 per dwelling).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap.errors import InputError, SchemaError
from heatmap.schema import Tenure
from heatmap.zones.cluster_params import DENSITY_CLASSES, ClusterParams

__all__ = ["TENURE_COUNT_COLUMNS", "screen_clusters"]

TENURE_COUNT_COLUMNS: dict[str, str] = {t.value: f"{t.value}_dwellings" for t in Tenure}
"""Tenure -> column of dwelling counts in a cluster table (``social_dwellings`` ...)."""

# column aliases accepted from the study's table (../shared/reference/killingworth/clusters.csv)
_ALIASES = {"cluster": "cluster_id", "density": "density_class", "dwellings_total": "n_dwellings"}


def _normalise(table: pd.DataFrame) -> pd.DataFrame:
    frame = table.rename(columns={k: v for k, v in _ALIASES.items() if v not in table.columns})
    if "cluster_id" not in frame.columns:
        if frame.index.name == "cluster_id":
            frame = frame.reset_index()
        else:
            msg = "cluster table: missing column 'cluster_id' (or 'cluster')"
            raise SchemaError(msg)
    missing = [c for c in ("density_class",) if c not in frame.columns]
    counts = [c for c in TENURE_COUNT_COLUMNS.values() if c in frame.columns]
    if missing or not counts:
        msg = (
            f"cluster table: missing column(s) {missing or []}"
            f"{'' if counts else ' and any dwelling counts'}; need cluster_id, density_class "
            f"and at least one of {list(TENURE_COUNT_COLUMNS.values())}"
        )
        raise SchemaError(msg)
    frame = frame.copy()
    frame["cluster_id"] = frame["cluster_id"].astype(str)
    dup = frame["cluster_id"][frame["cluster_id"].duplicated()]
    if not dup.empty:
        msg = f"cluster table: duplicate cluster_id {sorted(set(dup))[:5]}"
        raise InputError(msg)
    for col in counts:
        values = pd.to_numeric(frame[col].fillna(0), errors="coerce")
        bad = frame["cluster_id"][values.isna() | (values < 0) | (values % 1 != 0)]
        if not bad.empty:
            msg = (
                f"cluster table: column {col!r} must hold whole numbers >= 0 (blank = 0); "
                f"bad in cluster(s) {list(bad)[:5]}"
            )
            raise InputError(msg)
        frame[col] = values.astype(np.int64)
    for col in set(TENURE_COUNT_COLUMNS.values()) - set(counts):
        frame[col] = 0
    density = frame["density_class"].astype(str).str.strip().str.lower()
    bad = frame["cluster_id"][~density.isin(DENSITY_CLASSES)]
    if not bad.empty:
        msg = (
            f"cluster table: density_class must be one of {list(DENSITY_CLASSES)}; cluster(s) "
            f"{list(bad)[:5]} have {sorted(set(frame['density_class'][bad.index].astype(str)))}"
        )
        raise InputError(msg)
    frame["density_class"] = density
    return frame


def screen_clusters(table: pd.DataFrame, *, params: ClusterParams | None = None) -> pd.DataFrame:
    """Screen housing clusters: metres and cost per connected dwelling, viable or not, and why.

    Parameters
    ----------
    table
        One row per cluster with ``cluster_id`` (or ``cluster``), ``density_class`` (or
        ``density``: high / medium / low) and dwelling counts by tenure in
        ``social_dwellings``, ``private_dwellings`` (and optionally ``public_dwellings``,
        ``commercial_dwellings``, ``unknown_dwellings``; blank = 0). ``n_dwellings`` (or
        ``dwellings_total``), when present, must equal the sum of the counts. An
        ``internal_network_length_m`` column (computed from geometry) is carried through and
        turned into ``computed_m_per_dwelling``. Not modified.
    params
        Uptake, metres per dwelling, pipe rate and counterfactual (defaults: the study's).

    Returns
    -------
    screened
        Indexed like ``table`` with ``cluster_id``, ``density_class``, ``n_dwellings``,
        ``connected_dwellings``, ``connected_pct``, ``social_share_pct``,
        ``network_length_m`` (``m_per_dwelling x connected``, or the mains alone when nobody
        connects), ``m_per_dwelling`` (per connected dwelling),
        ``m_per_dwelling_all_connected`` (the density-class value), ``cost_per_dwelling_gbp``,
        ``counterfactual_gbp_per_dwelling``, ``viable`` and ``reason``.

    Raises
    ------
    SchemaError
        Missing columns.
    InputError
        Duplicate ids, negative or fractional counts, an unknown density class, a cluster with
        zero dwellings, or ``n_dwellings`` disagreeing with the tenure counts.

    Examples
    --------
    Killingworth clusters N01 and N04 (study Table 13: 137 and 8 dwellings connect, 21.97 and
    139.93 m and GBP 8,371 and 53,315 per connected dwelling):

    >>> from heatmap.zones.clusters import screen_clusters
    >>> table = pd.DataFrame({"cluster_id": ["N01", "N04"], "density_class": ["high", "low"],
    ...                       "social_dwellings": [127, 0], "private_dwellings": [96, 81]})
    >>> out = screen_clusters(table)
    >>> cols = ["cluster_id", "connected_dwellings", "m_per_dwelling", "cost_per_dwelling_gbp"]
    >>> print(out[cols].round(2).to_string())
      cluster_id  connected_dwellings  m_per_dwelling  cost_per_dwelling_gbp
    0        N01                137.0           21.97                8371.79
    1        N04                  8.0          139.93               53314.47
    >>> out["viable"].tolist()
    [True, False]
    """
    p = params or ClusterParams()
    frame = _normalise(table)
    counts = frame[list(TENURE_COUNT_COLUMNS.values())]
    n = counts.sum(axis=1).to_numpy(dtype=float)
    zero = frame["cluster_id"][n == 0]
    if not zero.empty:
        msg = f"cluster table: cluster(s) {list(zero)[:5]} have zero dwellings; remove them"
        raise InputError(msg)
    if "n_dwellings" in frame.columns:
        given = pd.to_numeric(frame["n_dwellings"], errors="coerce").to_numpy(dtype=float)
        bad = frame["cluster_id"][~np.isclose(given, n)]
        if not bad.empty:
            pos = int(np.flatnonzero(~np.isclose(given, n))[0])
            msg = (
                f"cluster table: n_dwellings of cluster {bad.iloc[0]} is {given[pos]:g} but its "
                f"tenure counts sum to {n[pos]:.0f}"
            )
            raise InputError(msg)
    uptake = np.array([p.uptake_pct[t] / 100.0 for t in TENURE_COUNT_COLUMNS])
    connected = counts.to_numpy(dtype=float) @ uptake
    if p.table13_rounding:
        connected = np.floor(connected + 0.5)
        share = np.floor(100.0 * connected / n + 0.5) / 100.0
    else:
        share = connected / n
    density = frame["density_class"].to_numpy()
    main = np.array([p.main_m_per_dwelling[d] for d in density])
    feed = np.array([p.feed_m_per_connected_dwelling[d] for d in density])
    with np.errstate(divide="ignore", invalid="ignore"):
        m_per = np.where(share > 0, main / share + feed, np.inf)
    with np.errstate(invalid="ignore"):
        length = np.where(connected > 0, m_per * connected, main * n)
    cost = m_per * p.pipe_cost_gbp_per_m
    social = frame[TENURE_COUNT_COLUMNS[Tenure.SOCIAL.value]].to_numpy(dtype=float)
    social_pct = 100.0 * social / n
    cheaper = cost < p.counterfactual_gbp_per_dwelling
    social_ok = social_pct >= p.min_social_share_pct
    viable = cheaper & social_ok & (connected > 0)
    cf = p.counterfactual_gbp_per_dwelling
    reasons = []
    for i in range(len(frame)):  # one string per cluster (tens to hundreds of rows)
        if connected[i] <= 0:
            reasons.append("no dwelling is expected to connect at the assumed uptake")
        elif not cheaper[i]:
            reasons.append(
                f"network GBP {cost[i]:,.0f} per connected dwelling ({m_per[i]:.1f} m at GBP "
                f"{p.pipe_cost_gbp_per_m:,.0f}/m) is above the GBP {cf:,.0f} heat-pump "
                f"counterfactual; only {connected[i]:.0f} of {n[i]:.0f} dwellings connect"
            )
        elif not social_ok[i]:
            reasons.append(
                f"social housing is {social_pct[i]:.0f} % of dwellings, below the "
                f"{p.min_social_share_pct:.0f} % minimum"
            )
        else:
            reasons.append(
                f"network GBP {cost[i]:,.0f} per connected dwelling ({m_per[i]:.1f} m) is below "
                f"the GBP {cf:,.0f} heat-pump counterfactual; {connected[i]:.0f} of {n[i]:.0f} "
                "dwellings connect"
            )
    out = pd.DataFrame(
        {
            "cluster_id": frame["cluster_id"].to_numpy(),
            "density_class": density,
            "n_dwellings": n.astype(np.int64),
            "connected_dwellings": connected,
            "connected_pct": 100.0 * share,
            "social_share_pct": social_pct,
            "network_length_m": length,
            "m_per_dwelling": m_per,
            "m_per_dwelling_all_connected": main + feed,
            "cost_per_dwelling_gbp": cost,
            "counterfactual_gbp_per_dwelling": cf,
            "viable": viable,
            "reason": reasons,
        },
        index=table.index,
    )
    if "internal_network_length_m" in frame.columns:
        computed = pd.to_numeric(frame["internal_network_length_m"], errors="coerce").to_numpy()
        out["internal_network_length_m"] = computed
        out["computed_m_per_dwelling"] = computed / n
    return out
