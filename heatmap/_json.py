"""JSON-friendly values: one conversion for summary.json, stage JSON files and ``--json`` output."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import math
import os
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from heatmap.errors import InputError

__all__ = ["json_number", "jsonable"]


def json_number(value: Any) -> float | None:
    """Return ``value`` as a float, or ``None`` when it is missing, NaN or infinite.

    Parameters
    ----------
    value
        A number (Python or numpy) or ``None``.

    Returns
    -------
    number
        The float, or ``None`` (JSON ``null``).
    """
    if value is None:
        return None
    out = float(value)
    return out if math.isfinite(out) else None


def _scalar(obj: Any) -> tuple[bool, Any]:
    """``(True, value)`` for a JSON, numpy, pandas, date or path scalar, else ``(False, None)``."""
    if obj is None or isinstance(obj, str | bool):
        return True, obj
    if isinstance(obj, float | np.floating):
        value = float(obj)
        return True, value if math.isfinite(value) else None
    if isinstance(obj, int | np.integer) and not isinstance(obj, np.bool_):
        return True, int(obj)
    if isinstance(obj, np.bool_):
        return True, bool(obj)
    if isinstance(obj, pd.Timestamp | dt.date | dt.datetime):
        return True, obj.isoformat()
    if isinstance(obj, os.PathLike):
        return True, os.fspath(obj)
    if obj is pd.NA or obj is pd.NaT:
        return True, None
    return False, None


def jsonable(obj: Any) -> Any:
    """Return ``obj`` as plain JSON types.

    Numpy scalars and arrays, enums, dataclasses, Series, dates and paths are converted; NaN,
    infinity and missing values become ``None``.

    Parameters
    ----------
    obj
        A value, mapping or sequence (nested).

    Returns
    -------
    value
        Something :func:`json.dumps` writes with ``allow_nan=False``.

    Raises
    ------
    InputError
        For a type that has no JSON form.

    Examples
    --------
    >>> jsonable({"a": np.float64("nan"), "b": (np.int64(2), 1.5)})
    {'a': None, 'b': [2, 1.5]}
    """
    done, value = _scalar(obj)
    if done:
        return value
    if isinstance(obj, enum.Enum):
        return jsonable(obj.value)
    if isinstance(obj, np.ndarray):
        return [jsonable(v) for v in obj.tolist()]
    if isinstance(obj, Mapping):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple | set):
        return [jsonable(v) for v in obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return jsonable(dataclasses.asdict(obj))
    if isinstance(obj, pd.Series):
        return jsonable(obj.to_dict())
    msg = f"cannot write a {type(obj).__name__} to JSON"
    raise InputError(msg)
