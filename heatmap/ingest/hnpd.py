"""Existing and planned heat networks from the DESNZ Heat Network Planning Database (HNPD)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from heatmap.errors import InputError
from heatmap.ingest.area import check_file
from heatmap.ingest.tags import as_text

logger = logging.getLogger(__name__)

__all__ = ["read_existing_networks"]

_HNPD_COLUMNS = {
    "name": "Site Name",
    "operator": "Operator (or Applicant)",
    "technology": "Technology Type",
    "capacity_mw": "Installed Capacity (MWelec)",
    "status": "Development Status (short)",
    "connections": "Number of customer connections",
    "ref_id": "Ref ID",
}


def read_existing_networks(path: str | Path, *, crs: Any) -> gpd.GeoDataFrame:
    """Read existing / planned heat networks from the DESNZ Heat Network Planning Database CSV.

    Parameters
    ----------
    path
        HNPD CSV with British National Grid ``X-coordinate`` / ``Y-coordinate`` columns.
    crs
        CRS of the returned points (the study area's CRS).

    Returns
    -------
    networks
        Points with ``name``, ``operator``, ``technology``, ``capacity_mw`` (the HNPD's
        "Installed Capacity (MWelec)", NaN where blank), ``status``, ``connections`` and
        ``ref_id``. Rows without coordinates are dropped and their count logged as a warning.
    """
    path = check_file(path, "heat network CSV")
    try:
        table = pd.read_csv(path, encoding="utf-8", low_memory=False)
    except UnicodeDecodeError:
        table = pd.read_csv(path, encoding="cp1252", low_memory=False)
    except Exception as exc:
        msg = f"{path}: could not read the CSV ({type(exc).__name__}: {exc}); check the file"
        raise InputError(msg) from exc
    table.columns = [str(c).strip() for c in table.columns]
    missing = [c for c in ("X-coordinate", "Y-coordinate") if c not in table.columns]
    if missing:
        msg = f"{path}: missing column(s) {missing}; give the DESNZ HNPD CSV (BNG X/Y columns)"
        raise InputError(msg)
    x = pd.to_numeric(table["X-coordinate"], errors="coerce")
    y = pd.to_numeric(table["Y-coordinate"], errors="coerce")
    ok = x.notna() & y.notna()
    if (~ok).any():
        logger.warning(
            "%s: %d of %d rows have no coordinates and were left out",
            path,
            int((~ok).sum()),
            len(table),
        )
    out = pd.DataFrame(index=table.index[ok])
    for column, source_col in _HNPD_COLUMNS.items():
        if source_col not in table.columns:
            out[column] = np.nan if column in {"capacity_mw", "connections"} else None
        elif column in {"capacity_mw", "connections"}:
            out[column] = pd.to_numeric(table.loc[ok, source_col], errors="coerce").astype(
                "float64"
            )
        else:
            out[column] = as_text(table.loc[ok, source_col]).to_numpy()
    points = gpd.points_from_xy(x[ok], y[ok], crs=27700)
    frame = gpd.GeoDataFrame(out.reset_index(drop=True), geometry=points, crs=27700)
    return frame.to_crs(pyproj.CRS.from_user_input(crs))
