"""Known-demand layers (metered annual MWh): reading, validation and joining to buildings."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from heatmap.errors import CRSError, InputError
from heatmap.schema import BUILDING_ID, HEAT_DEMAND_MWH_PER_A, PEAK_LOAD_KW

logger = logging.getLogger(__name__)

_ID_ALIASES = (BUILDING_ID, "id", "osm_id")
_MAX_LISTED = 50


def _fail(source: str, problems: list[str], n_rows: int) -> None:
    if not problems:
        return
    listed = problems[:_MAX_LISTED]
    more = f"\n  ... and {len(problems) - _MAX_LISTED} more" if len(problems) > _MAX_LISTED else ""
    msg = (
        f"demand layer {source}: {len(problems)} problem(s) in {n_rows} row(s); fix these rows "
        "and run again (nothing was dropped):\n  " + "\n  ".join(listed) + more
    )
    raise InputError(msg)


def _row_label(layer: pd.DataFrame, pos: int | np.integer, id_col: str | None) -> str:
    pos = int(pos)
    label = f"row {pos + 1}"
    if id_col is not None:
        value = layer[id_col].iloc[pos]
        if not pd.isna(value):
            label += f" ({id_col} {value!r})"
    return label


def validate_demand_layer(layer: pd.DataFrame, *, source: str = "<frame>") -> pd.DataFrame:
    """Check a known-demand table and return it normalised.

    Parameters
    ----------
    layer
        Table or GeoDataFrame with ``heat_demand_mwh_per_a`` (metered annual heat, MWh) and either
        ``building_id`` (alias ``id``/``osm_id``) or point/polygon geometry; optional
        ``peak_load_kw``, ``name``, ``ownership``.
    source
        Name used in messages (file path).

    Returns
    -------
    layer
        Copy with ``building_id`` as str (or missing), numeric demand and peak, and
        ``layer_row`` (1-based row number in the source).

    Raises
    ------
    InputError
        Listing every offending row: missing/text/NaN/negative demand, negative or text peak,
        duplicate ids, rows with neither id nor geometry; CRSError if geometry has no CRS.

    Examples
    --------
    >>> from heatmap.ingest.demand_layer import validate_demand_layer
    >>> meters = pd.DataFrame({"building_id": ["way/1", "way/1"],
    ...                        "heat_demand_mwh_per_a": [650.0, -5.0]})
    >>> validate_demand_layer(meters, source="meters.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    heatmap.errors.InputError: demand layer meters.csv: 3 problem(s) in 2 row(s); fix these ...
      row 2 (building_id 'way/1'): heat_demand_mwh_per_a = -5.0 is negative or infinite
      row 1 (building_id 'way/1'): duplicate building_id
      row 2 (building_id 'way/1'): duplicate building_id
    """
    out = layer.copy()
    out["layer_row"] = np.arange(1, len(out) + 1)
    if HEAT_DEMAND_MWH_PER_A not in out.columns:
        msg = (
            f"demand layer {source}: no column {HEAT_DEMAND_MWH_PER_A!r} (metered annual heat, "
            f"MWh); columns are: {', '.join(map(str, layer.columns))}"
        )
        raise InputError(msg)
    id_col = next((c for c in _ID_ALIASES if c in out.columns), None)
    has_geom = isinstance(out, gpd.GeoDataFrame) and out.geometry.name in out.columns
    if id_col is None and not has_geom:
        msg = (
            f"demand layer {source}: needs a {BUILDING_ID!r} column or point geometry to join "
            "it to buildings"
        )
        raise InputError(msg)
    if has_geom and out.crs is None and out.geometry.notna().any():
        msg = f"demand layer {source}: geometry has no CRS; set one (e.g. EPSG:27700) and retry"
        raise CRSError(msg)
    problems: list[str] = []
    raw = out[HEAT_DEMAND_MWH_PER_A]
    value = pd.to_numeric(raw, errors="coerce")
    for pos in np.flatnonzero(value.isna().to_numpy()):
        what = "missing" if pd.isna(raw.iloc[pos]) else f"not a number ({raw.iloc[pos]!r})"
        problems.append(f"{_row_label(out, pos, id_col)}: {HEAT_DEMAND_MWH_PER_A} is {what}")
    bad = (value < 0) | ~np.isfinite(value.fillna(0.0))
    for pos in np.flatnonzero(bad.to_numpy()):
        problems.append(
            f"{_row_label(out, pos, id_col)}: {HEAT_DEMAND_MWH_PER_A} = {value.iloc[pos]} "
            "is negative or infinite"
        )
    out[HEAT_DEMAND_MWH_PER_A] = value.astype(float)
    if PEAK_LOAD_KW in out.columns:
        praw = out[PEAK_LOAD_KW]
        peak = pd.to_numeric(praw, errors="coerce")
        text = peak.isna() & praw.notna() & (praw.astype("string").str.strip() != "")
        for pos in np.flatnonzero((text | (peak < 0)).to_numpy()):
            problems.append(
                f"{_row_label(out, pos, id_col)}: {PEAK_LOAD_KW} = {praw.iloc[pos]!r} "
                "is not a non-negative number"
            )
        out[PEAK_LOAD_KW] = peak.astype(float)
    if id_col is not None:
        ids = out[id_col].astype("string").str.strip()
        ids = ids.where(ids != "")
        out[BUILDING_ID] = ids.astype(object)
        if id_col != BUILDING_ID:
            out = out.drop(columns=[id_col])
        dup = ids.notna() & ids.duplicated(keep=False)
        for pos in np.flatnonzero(dup.to_numpy()):
            problems.append(f"{_row_label(out, pos, BUILDING_ID)}: duplicate {BUILDING_ID}")
    else:
        out[BUILDING_ID] = None
    no_key = out[BUILDING_ID].isna()
    if has_geom:
        no_key &= out.geometry.isna() | out.geometry.is_empty
    for pos in np.flatnonzero(no_key.to_numpy()):
        problems.append(f"row {pos + 1}: neither {BUILDING_ID} nor geometry to join on")
    _fail(source, problems, len(out))
    return out


def read_demand_layer(path: str | os.PathLike[str]) -> pd.DataFrame:
    r"""Read and validate a known-demand layer (CSV, GeoJSON, GeoPackage or Shapefile).

    Parameters
    ----------
    path
        CSV with ``building_id`` and ``heat_demand_mwh_per_a`` (optional ``peak_load_kw``,
        ``name``, ``ownership``), or a vector file whose features are points (or footprints)
        carrying those columns; ``building_id`` may then be omitted to join by location.

    Returns
    -------
    layer
        DataFrame (CSV) or GeoDataFrame, validated by :func:`validate_demand_layer`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from heatmap.ingest.demand_layer import read_demand_layer
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "meters.csv"
    ...     _ = path.write_text("building_id,heat_demand_mwh_per_a,name\n"
    ...                         "way/1,650,Leisure centre\n")
    ...     layer = read_demand_layer(path)
    >>> print(layer.to_string())
      building_id  heat_demand_mwh_per_a            name  layer_row
    0       way/1                  650.0  Leisure centre          1
    """
    p = Path(path)
    if not p.is_file():
        msg = f"demand layer {p} not found"
        raise InputError(msg)
    layer: pd.DataFrame
    if p.suffix.lower() in {".csv", ".txt"}:
        layer = pd.read_csv(p, dtype=dict.fromkeys(_ID_ALIASES, str))
    else:
        try:
            layer = gpd.read_file(p)
        except Exception as exc:
            msg = f"demand layer {p}: cannot read it as a vector file ({exc})"
            raise InputError(msg) from exc
    out = validate_demand_layer(layer, source=str(p))
    out.attrs["source"] = str(p)
    return out


def join_demand_layer(
    buildings: gpd.GeoDataFrame, layer: pd.DataFrame, *, source: str = "<demand layer>"
) -> pd.DataFrame:
    """Match each demand-layer row to a building by id, else by location.

    Returns
    -------
    matched
        Indexed by ``building_id``: ``heat_demand_mwh_per_a``, ``peak_load_kw`` (NaN where not
        given), ``name``, ``ownership``, ``layer_rows``. Rows joined by location to the same
        building are summed (meters of one building).

    Raises
    ------
    InputError
        Listing unknown ids and points outside every footprint; nothing is dropped silently.
    """
    layer = validate_demand_layer(layer, source=source)
    problems: list[str] = []
    by_id = layer[layer[BUILDING_ID].notna()].copy()
    unknown = ~by_id[BUILDING_ID].isin(buildings.index.astype(str))
    for _, r in by_id[unknown].iterrows():  # error path only: lists offending rows
        problems.append(f"row {r['layer_row']}: {BUILDING_ID} {r[BUILDING_ID]!r} is not a building")
    by_id = by_id[~unknown]
    by_loc = layer[layer[BUILDING_ID].isna()]
    n_loc = 0
    if len(by_loc):
        pts = gpd.GeoDataFrame(by_loc, geometry=by_loc.geometry, crs=layer.crs)
        if buildings.crs is not None and pts.crs != buildings.crs:
            pts = pts.to_crs(buildings.crs)
        pts = pts.set_geometry(pts.geometry.representative_point())
        fp = gpd.GeoDataFrame(geometry=buildings.geometry.values, crs=buildings.crs)
        fp["_bid"] = buildings.index.astype(str)
        hits = gpd.sjoin(pts, fp, how="left", predicate="within")
        hits = hits[~hits.index.duplicated(keep="first")]
        outside = hits["_bid"].isna()
        for _, r in hits[outside].iterrows():  # error path only
            problems.append(f"row {r['layer_row']}: point lies outside every building footprint")
        located = hits[~outside].copy()
        located[BUILDING_ID] = located["_bid"]
        n_loc = len(located)
        by_loc = pd.DataFrame(located.drop(columns=["_bid", "index_right", "geometry"]))
    _fail(source, problems, len(layer))
    both = pd.concat([pd.DataFrame(by_id.drop(columns="geometry", errors="ignore")), by_loc])
    for col in (PEAK_LOAD_KW, "name", "ownership"):
        if col not in both.columns:
            both[col] = np.nan
    both["layer_rows"] = both["layer_row"].astype(str)

    def _sum_all(s: pd.Series) -> float:
        return float(s.sum(min_count=len(s)))

    agg = both.groupby(BUILDING_ID, sort=False).agg(
        {
            HEAT_DEMAND_MWH_PER_A: "sum",
            PEAK_LOAD_KW: _sum_all,
            "name": "first",
            "ownership": "first",
            "layer_rows": ",".join,
        }
    )
    logger.info(
        "demand layer %s: %d rows, %d matched by id, %d by location, 0 unmatched; %d buildings",
        source,
        len(layer),
        len(by_id),
        n_loc,
        len(agg),
    )
    return agg
