"""heatmap: building footprints, demand data and street maps into district-heat-network plans.

The pipeline stages are modules of plain functions: :mod:`heatmap.ingest`, :mod:`~heatmap.demand`,
:mod:`~heatmap.weather`, :mod:`~heatmap.density`, :mod:`~heatmap.cluster`,
:mod:`~heatmap.network`, :mod:`~heatmap.route`, :mod:`~heatmap.steiner`, :mod:`~heatmap.sizing`,
:mod:`~heatmap.costing`, :mod:`~heatmap.dispatch`, :mod:`~heatmap.economics`; on top of them
:mod:`~heatmap.pipeline`, :mod:`~heatmap.render`, :mod:`~heatmap.export` and
:mod:`~heatmap.search`. Submodules are imported on first attribute access (``heatmap.route``), so
``import heatmap`` and the command line stay quick; importing has no side effects beyond a
``NullHandler`` on the package logger.
"""

from __future__ import annotations

import importlib
import logging
from types import ModuleType

from ._version import __version__ as __version__

__all__ = [
    "__version__",
    "cluster",
    "config",
    "costing",
    "demand",
    "density",
    "dispatch",
    "economics",
    "export",
    "ingest",
    "network",
    "pipeline",
    "render",
    "route",
    "schema",
    "search",
    "sizing",
    "steiner",
    "steinlib",
    "weather",
]

_SUBMODULES = frozenset(__all__) - {"__version__"}

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
