from __future__ import annotations

import numpy as np
import pytest

from heatmap._errors import InputError
from heatmap.weather import (
    heating_degree_hours,
    read_epw,
    regional_hdd,
    synthetic_weather,
)


@pytest.mark.parametrize("region", ["Thames Valley", "North Eastern", "Reference"])
def test_synthetic_year_matches_tm46_degree_days(region: str) -> None:
    w = synthetic_weather(region)
    assert w.temperature_c.shape == (8760,)
    assert w.annual_hdd_k_day == pytest.approx(regional_hdd(region), rel=1e-6)


def test_regional_hdd_values_from_tm46() -> None:
    assert regional_hdd("Thames Valley") == 1709
    assert regional_hdd("reference") == 2021
    with pytest.raises(InputError, match="unknown TM46 region"):
        regional_hdd("Atlantis")


def test_heating_degree_hours_analytic() -> None:
    w = synthetic_weather()
    hdh = heating_degree_hours(w, 15.5)
    assert np.all(hdh >= 0)
    assert np.allclose(hdh, np.maximum(15.5 - w.temperature_c, 0))


@pytest.mark.shared_data
def test_read_epw_london(london_epw) -> None:
    w = read_epw(london_epw)
    assert w.temperature_c.shape == (8760,)
    assert w.latitude == pytest.approx(51.505)
    assert w.longitude == pytest.approx(0.055)
    # ../shared/data/README.md: mean 12.3 C, HDD base 15.5 (daily means) 1,490
    assert w.temperature_c.mean() == pytest.approx(12.3, abs=0.05)
    assert w.annual_hdd_k_day == pytest.approx(1490, abs=1)


def test_read_epw_rejects_non_epw(tmp_path) -> None:
    p = tmp_path / "x.epw"
    p.write_text("not,an,epw\n" * 10)
    with pytest.raises(InputError, match="LOCATION"):
        read_epw(p)
