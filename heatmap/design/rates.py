"""Cost catalogues shared by the sizing and costing stages.

``costing_pipe_rates.csv`` holds trench-and-pipe rates in GBP per metre of trench by material, DN
and dig class; ``costing_rates.csv`` holds the other unit rates (energy centre, connections,
development) with their contingency. Both are validated on load. Sizing uses the pipe rates to
put ``capex_gbp`` on each segment; costing turns everything into a bill of quantities.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from heatmap._data import user_or_bundled_csv
from heatmap.errors import InputError, SchemaError

__all__ = ["load_cost_rates", "load_pipe_rates", "pipe_capex_gbp"]

PIPE_RATE_COLUMNS = ("material", "dn", "soft_gbp_per_m", "hard_gbp_per_m", "source")
COST_RATE_COLUMNS = (
    "key",
    "category",
    "item",
    "unit",
    "quantity_basis",
    "rate_gbp",
    "contingency_pct",
    "source",
)


def _require(df: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        msg = f"{name}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}"
        raise SchemaError(msg)


def load_pipe_rates(
    path: str | Path | None = None, *, catalogue: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Load and validate the pipe-and-trench rates (GBP/m of trench by material, DN, dig class).

    Parameters
    ----------
    path
        CSV with columns ``material, dn, soft_gbp_per_m, hard_gbp_per_m, source``; ``None``
        loads the bundled ``heatmap/data/costing_pipe_rates.csv``.
    catalogue
        Pipe catalogue (:func:`heatmap.design.sizing.load_pipe_catalogue`); when given, every
        material/DN in it must have a rate.

    Returns
    -------
    rates
        Frame sorted by material and DN.

    Raises
    ------
    InputError
        Missing columns or cells, rates that are not positive, a rate that falls as DN rises
        (non-monotonic), a duplicate DN, or a catalogue DN with no rate.

    Examples
    --------
    >>> from heatmap.design.costing import load_pipe_rates
    >>> rates = load_pipe_rates().set_index(["material", "dn"])
    >>> rates.loc[("steel", 100), ["soft_gbp_per_m", "hard_gbp_per_m"]].tolist()
    [549.0, 1074.0]
    """
    df, name = user_or_bundled_csv(path, "costing_pipe_rates.csv", what="cost catalogue")
    _require(df, PIPE_RATE_COLUMNS, name)
    num = ["dn", "soft_gbp_per_m", "hard_gbp_per_m"]
    bad = df[num].apply(pd.to_numeric, errors="coerce").isna().any(axis=1) | df["material"].isna()
    if bad.any():
        rows = ", ".join(str(i + 2) for i in np.flatnonzero(bad.to_numpy()))
        msg = f"{name}: row(s) {rows} (file lines) have a blank or non-numeric material/dn/rate"
        raise InputError(msg)
    df = df.copy()
    df[num] = df[num].astype(float)
    df["dn"] = df["dn"].astype(int)
    if (df[["soft_gbp_per_m", "hard_gbp_per_m"]] <= 0).any(axis=None):
        msg = f"{name}: every rate must be > 0 GBP/m"
        raise InputError(msg)
    if df.duplicated(["material", "dn"]).any():
        dup = df.loc[df.duplicated(["material", "dn"]), ["material", "dn"]].to_numpy().tolist()
        msg = f"{name}: duplicate material/DN rows {dup}"
        raise InputError(msg)
    df = df.sort_values(["material", "dn"]).reset_index(drop=True)
    for material, grp in df.groupby("material", sort=False):
        for col in ("soft_gbp_per_m", "hard_gbp_per_m"):
            falls = np.flatnonzero(np.diff(grp[col].to_numpy()) < 0)
            if falls.size:
                dns = grp["dn"].to_numpy()
                pairs = ", ".join(f"DN{dns[i]}->DN{dns[i + 1]}" for i in falls)
                msg = (
                    f"{name}: {material} {col} is not monotonic in DN (falls at {pairs}); "
                    "a larger pipe must not cost less per metre"
                )
                raise InputError(msg)
    if catalogue is not None:
        have = set(zip(df["material"], df["dn"], strict=True))
        want = list(zip(catalogue["material"], catalogue["dn"].astype(int), strict=True))
        missing = [f"{m} DN{d}" for m, d in want if (m, d) not in have]
        if missing:
            msg = f"{name}: no rate for catalogue pipe(s) {', '.join(missing)}; add rows for them"
            raise InputError(msg)
    return df


def load_cost_rates(path: str | Path | None = None) -> pd.DataFrame:
    """Load and validate the unit rates for energy centre, connections and development.

    Parameters
    ----------
    path
        CSV with columns ``key, category, item, unit, quantity_basis, rate_gbp,
        contingency_pct, source``; ``None`` loads the bundled ``costing_rates.csv``.

    Returns
    -------
    rates
        Frame indexed by ``key``.

    Raises
    ------
    InputError
        Missing columns, blank or negative rates, contingencies outside 0-100 %, duplicate keys.

    Examples
    --------
    >>> from heatmap.design.costing import load_cost_rates
    >>> rates = load_cost_rates()
    >>> row = rates.loc["heat_pumps"]
    >>> row["unit"], float(row["rate_gbp"]), float(row["contingency_pct"])
    ('kW', 371.9, 15.0)
    """
    df, name = user_or_bundled_csv(path, "costing_rates.csv", what="cost catalogue")
    _require(df, COST_RATE_COLUMNS, name)
    df = df.copy()
    for col in ("rate_gbp", "contingency_pct"):
        vals = pd.to_numeric(df[col], errors="coerce")
        bad = vals.isna() | (vals < 0)
        if bad.any():
            keys = ", ".join(str(k) for k in df.loc[bad, "key"])
            msg = f"{name}: {col} is blank, non-numeric or negative for key(s) {keys}"
            raise InputError(msg)
        df[col] = vals.astype(float)
    if (df["contingency_pct"] > 100).any():
        msg = f"{name}: contingency_pct must be within 0-100 %"
        raise InputError(msg)
    if df["key"].duplicated().any():
        msg = f"{name}: duplicate key(s) {sorted(set(df.loc[df['key'].duplicated(), 'key']))}"
        raise InputError(msg)
    return df.set_index("key")


def pipe_capex_gbp(
    material: pd.Series, dn: pd.Series, cost_class: pd.Series, length_m: pd.Series,
    rates: pd.DataFrame, premium: pd.Series | None = None,
) -> pd.Series:  # fmt: skip
    """Trench-and-pipe cost per segment: rate(material, DN, dig class) x length.

    With ``premium`` (the share of the hard-over-soft rate each segment's trench class pays,
    ``dig_premium``) the rate is ``soft + premium x (hard - soft)`` of the DN's catalogue
    rates; without it, the soft or hard rate by ``cost_class``.

    Raises
    ------
    InputError
        If a segment's material/DN has no rate or its dig class is not soft/hard.
    """
    cls = cost_class.astype(str)
    bad_cls = ~cls.isin(["soft", "hard"])
    if bad_cls.any():
        msg = f"cost_class must be 'soft' or 'hard'; got {sorted(set(cls[bad_cls]))}"
        raise InputError(msg)
    idx = pd.MultiIndex.from_arrays([rates["material"], rates["dn"]])
    soft = pd.Series(rates["soft_gbp_per_m"].to_numpy(), index=idx)
    hard = pd.Series(rates["hard_gbp_per_m"].to_numpy(), index=idx)
    key = pd.MultiIndex.from_arrays([material.astype(str), dn.astype(int)])
    s = soft.reindex(key).to_numpy()
    h = hard.reindex(key).to_numpy()
    if premium is None:
        rate = np.where(cls.to_numpy() == "hard", h, s)
    else:
        share = pd.to_numeric(premium, errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(share).all() or (share < 0).any():
            msg = "dig_premium must be a number >= 0 on every segment"
            raise InputError(msg)
        rate = s + share * (h - s)
    if np.isnan(rate).any():
        missing = sorted({f"{m} DN{d}" for (m, d), r in zip(key, rate, strict=True) if np.isnan(r)})
        msg = f"no pipe rate for {', '.join(missing)}; add them to the pipe-rate catalogue"
        raise InputError(msg)
    return pd.Series(rate * length_m.to_numpy(dtype=float), index=length_m.index, name="capex_gbp")
