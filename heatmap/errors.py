"""The heatmap error and warning hierarchy.

Every error the package raises on purpose derives from :class:`HeatmapError` and also from the
builtin that best describes it, so callers may catch either. Build the message first, then raise
(``msg = "..."; raise InputError(msg)``). The CLI turns any ``HeatmapError`` into a one-line
message and exit code 2.
"""

from __future__ import annotations


class HeatmapError(Exception):
    """Root of every error heatmap raises on purpose."""


class InputError(HeatmapError, ValueError):
    """An input file, layer or value is missing, malformed or out of range.

    The message names the file, row or feature and says what to do.
    """


class SchemaError(InputError):
    """A table lacks required columns or holds values of the wrong type or range."""


class CRSError(InputError):
    """A layer has no CRS, an unusable CRS, or does not match the CRS of another layer."""


class ConfigError(InputError):
    """A scenario file key is unknown, of the wrong type or out of range."""


class DisconnectedNetworkError(HeatmapError, ValueError):
    """Terminals that must be joined lie in different components of the network graph."""


class SolverError(HeatmapError, RuntimeError):
    """A solver failed or returned a result that does not validate."""


class InfeasibleDispatchError(HeatmapError, RuntimeError):
    """The plant cannot meet the demand under the given constraints."""


class SizingError(HeatmapError, ValueError):
    """A pipe segment cannot be sized within the catalogue and the design limits."""


class OutputExistsError(HeatmapError, FileExistsError):
    """An output file or folder exists and ``overwrite`` was not given."""


class HeatmapWarning(UserWarning):
    """Root of the warnings heatmap issues."""


class LowLinearHeatDensityWarning(HeatmapWarning):
    """A route or route section falls below the linear heat density threshold."""


class DataQualityWarning(HeatmapWarning):
    """Input data were repaired or defaulted; the message says what and how many."""
