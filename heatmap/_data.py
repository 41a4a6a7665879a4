"""Catalogue tables: the CSV files bundled in ``heatmap/data`` and user overrides of them.

Every stage reads its tables through :func:`bundled_csv` (read once, cached) or, where a scenario
may name its own file, :func:`user_or_bundled_csv`.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

import pandas as pd

from heatmap.errors import InputError

__all__ = ["bundled_csv", "user_or_bundled_csv"]


@functools.cache
def bundled_csv(name: str, *, blank_only_na: bool = False) -> pd.DataFrame:
    """Read ``heatmap/data/<name>`` once (cached: callers copy before changing it).

    Parameters
    ----------
    name
        File name inside ``heatmap/data``.
    blank_only_na
        Only empty cells are missing values (text such as ``NA`` or ``None`` stays text).

    Returns
    -------
    table
        The table, shared between callers.
    """
    options: dict[str, object] = (
        {"keep_default_na": False, "na_values": [""]} if blank_only_na else {}
    )
    ref = resources.files("heatmap") / "data" / name
    with resources.as_file(ref) as path:
        return pd.read_csv(path, **options)  # type: ignore[call-overload]


def user_or_bundled_csv(
    path: str | Path | None, default_name: str, *, what: str
) -> tuple[pd.DataFrame, str]:
    """Read a user's catalogue CSV, or a copy of the bundled one when ``path`` is unset.

    Parameters
    ----------
    path
        The user's file; ``None`` or ``""`` means the bundled ``default_name``.
    default_name
        File name inside ``heatmap/data``.
    what
        What the table is, for the error message (e.g. ``"pipe catalogue"``).

    Returns
    -------
    table
        A frame the caller may change.
    name
        The file it came from (for messages).

    Raises
    ------
    InputError
        If ``path`` is given but does not exist.
    """
    if path is None or str(path) == "":
        return bundled_csv(default_name).copy(), default_name
    p = Path(path)
    if not p.exists():
        msg = f"{what} {p} does not exist; give an existing CSV file or leave it unset"
        raise InputError(msg)
    return pd.read_csv(p), str(p)
