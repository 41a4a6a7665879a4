"""heatmap: building footprints, demand data and street maps into district-heat-network plans."""

from __future__ import annotations

import logging

from ._version import __version__ as __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())
