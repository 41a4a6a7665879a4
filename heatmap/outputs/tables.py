"""Tables as CSV and summaries as JSON, UTF-8 and atomic."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from heatmap._io import atomic_path, neutralise_cell
from heatmap._json import jsonable
from heatmap.outputs._plain_values import plain_columns

__all__ = ["write_csv", "write_json"]


def _inert_cell(value: Any) -> Any:
    """Neutralise a formula, then turn carriage returns into newlines, which the CSV quotes."""
    value = neutralise_cell(value)
    if isinstance(value, str) and "\r" in value:
        return value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def _inert(frame: pd.DataFrame) -> pd.DataFrame:
    """Neutralise text cells (and a text index) a spreadsheet would run as formulas.

    A bare carriage return inside a cell is not quoted by the CSV writer and some readers start a
    new row there, which would put the rest of the cell at the start of a line: it becomes a
    newline, which the writer quotes.
    """
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_inert_cell)
    if out.index.dtype == object or pd.api.types.is_string_dtype(out.index):
        out.index = out.index.map(_inert_cell)
    return out


def write_csv(df: pd.DataFrame, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write a table as UTF-8 CSV; a named index becomes the first column, geometry becomes WKT.

    Text cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab
    or carriage return) are written with a leading ``'`` (:func:`heatmap._io.neutralise_cell`);
    numbers stay numbers.

    Parameters
    ----------
    df
        Table (GeoDataFrames allowed).
    path
        Target ``.csv``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Raises
    ------
    OutputExistsError
        If the file exists and ``overwrite`` is False.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> pipes = pd.DataFrame({"dn": [100, 80], "length_m": [200.0, 35.5]},
    ...                      index=pd.Index(["a", "b"], name="segment_id"))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_csv(pipes, pathlib.Path(tmp) / "pipes.csv")
    ...     print(path.read_text(), end="")
    ...     try:
    ...         write_csv(pipes, path)
    ...     except FileExistsError as exc:  # OutputExistsError
    ...         print(type(exc).__name__)
    segment_id,dn,length_m
    a,100,200.0
    b,80,35.5
    OutputExistsError
    """
    frame = pd.DataFrame(df.copy())
    if isinstance(df, gpd.GeoDataFrame):
        geom = df.geometry.name
        frame[geom] = df.geometry.to_wkt()
    frame = _inert(plain_columns(frame))
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        frame.to_csv(tmp, index=df.index.name is not None, encoding="utf-8")
    return target


def write_json(obj: Any, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
    """Write ``obj`` as indented UTF-8 JSON; numpy scalars/arrays converted, NaN/inf -> null.

    Parameters
    ----------
    obj
        Mappings, sequences, numbers, strings, enums, dataclasses, numpy and pandas scalars.
    path
        Target ``.json``.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The written file.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import numpy as np
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = write_json({"a": np.float64("nan"), "b": np.int64(3)},
    ...                    pathlib.Path(tmp) / "s.json")
    ...     text = p.read_text()
    >>> json.loads(text)
    {'a': None, 'b': 3}
    """
    text = json.dumps(jsonable(obj), indent=2, ensure_ascii=False, allow_nan=False)
    target = Path(path)
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return target
