"""The CAPEX bill laid out as the Killingworth study's Table 50."""

from __future__ import annotations

import numpy as np
import pandas as pd

from heatmap.design._types import CONNECTION_KEYS, TABLE50_ROWS, CostBreakdown

__all__ = ["table50"]


def table50(breakdown: CostBreakdown) -> pd.DataFrame:
    """Return the bill laid out as study Table 50: one row per item, CAPEX by phase.

    Returns
    -------
    table
        Columns ``item, contingency_pct, phase_<n>_gbp ..., total_gbp``; connection keys are
        merged into "Cost of connections at heat user locations"; a last ``Total`` row.
        ``contingency_pct`` is the subtotal-weighted mean where an item mixes rates.

    Examples
    --------
    The bill of :func:`heatmap.design.cost_capex`'s example:

    >>> from heatmap.design import PlantCapacities, cost_capex
    >>> pipes = pd.DataFrame(
    ...     {"phase": [1, 1], "u": ["EC", "a"], "v": ["a", "b"], "kind": ["street", "service"],
    ...      "cost_class": ["soft", "soft"], "material": ["steel", "pex"], "dn": [100, 110],
    ...      "length_m": [200.0, 20.0], "served_peak_kw": [1000.0, 1000.0]})
    >>> plant = PlantCapacities(hp_capacity_kw=500.0, boiler_capacity_kw=1000.0,
    ...                         store_volume_m3=50.0)
    >>> bill = cost_capex(pipes, plant=plant)
    >>> t = table50(bill)
    >>> t.columns.tolist()
    ['item', 'contingency_pct', 'phase_1_gbp', 'total_gbp']
    >>> t.iloc[-1]["item"], round(t.iloc[-1]["total_gbp"])
    ('Total', 1404324)
    """
    df = breakdown.lines.copy()
    df["row"] = np.where(df["key"].isin(CONNECTION_KEYS), "connections", df["key"])
    labels = dict(TABLE50_ROWS)
    order = [k for k, _ in TABLE50_ROWS] + [k for k in dict.fromkeys(df["row"]) if k not in labels]
    item_for = {**labels, **dict(zip(df["row"], df["item"], strict=True))}
    item_for.update(labels)
    piv = df.pivot_table(index="row", columns="phase", values="total_gbp", aggfunc="sum")
    sub = df.groupby("row")[["subtotal_gbp", "contingency_gbp"]].sum()
    phases = sorted(df["phase"].unique())
    out = pd.DataFrame({"row": [r for r in order if r in piv.index]})
    out["item"] = out["row"].map(item_for)
    weighted = 100.0 * sub["contingency_gbp"] / sub["subtotal_gbp"].where(sub["subtotal_gbp"] > 0)
    out["contingency_pct"] = out["row"].map(weighted)
    for ph in phases:
        out[f"phase_{ph}_gbp"] = out["row"].map(piv[ph]).fillna(0.0)
    cols = [f"phase_{ph}_gbp" for ph in phases]
    out["total_gbp"] = out[cols].sum(axis=1)
    total = {"row": "total", "item": "Total", "contingency_pct": np.nan}
    total.update({c: out[c].sum() for c in [*cols, "total_gbp"]})
    out = pd.concat([out, pd.DataFrame([total])], ignore_index=True)
    return out.drop(columns="row")
