"""heatmap: building footprints, demand data and street maps into district-heat-network plans.

One subpackage per pipeline stage, imported on first attribute access so that ``import heatmap``
and the command line stay quick: :mod:`heatmap.ingest`, :mod:`~heatmap.demand`,
:mod:`~heatmap.zones`, :mod:`~heatmap.routing`, :mod:`~heatmap.design`, :mod:`~heatmap.plant`,
:mod:`~heatmap.economics`, then :mod:`~heatmap.outputs` and :mod:`~heatmap.pipeline` on top.
``heatmap.run``, ``heatmap.load_scenario`` and ``heatmap.save_results`` are the one-call API.
Importing has no side effects beyond a ``NullHandler`` on the package logger.
"""

from __future__ import annotations

import importlib
import logging
from typing import Any

from heatmap._version import __version__ as __version__

__all__ = [
    "__version__",
    "demand",
    "design",
    "economics",
    "errors",
    "ingest",
    "load_scenario",
    "outputs",
    "pipeline",
    "plant",
    "routing",
    "run",
    "save_results",
    "schema",
    "zones",
]

# The documented one-call API, resolved on first use.
_FUNCTIONS = {
    "run": ("heatmap.pipeline.runner", "run"),
    "load_scenario": ("heatmap.pipeline.scenario", "load_scenario"),
    "save_results": ("heatmap.pipeline.save", "save_results"),
}

_SUBMODULES = frozenset(__all__) - {"__version__"} - set(_FUNCTIONS)

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str) -> Any:
    if name in _FUNCTIONS:
        module, attr = _FUNCTIONS[name]
        return getattr(importlib.import_module(module), attr)
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    return sorted(__all__)
