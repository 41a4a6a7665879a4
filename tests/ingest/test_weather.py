from __future__ import annotations

import numpy as np
import pytest

from heatmap.errors import InputError
from heatmap.ingest.weather import (
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


def test_read_epw_fills_missing_temperatures(tmp_path) -> None:
    """EPW 'missing' (99.9) hours are interpolated linearly (pandas copy-on-write regression:
    the temperature array from the parsed table is read-only unless copied)."""
    header = ["LOCATION,Testville,-,GBR,test,000000,51.5,-0.1,0.0,10.0"]
    header += [f"HEADER{i},x" for i in range(1, 8)]
    temps = 10.0 + 5.0 * np.sin(np.arange(8760) * 2 * np.pi / 24)
    temps[[100, 101, 5000]] = 99.9
    rows = []
    for h, t in enumerate(temps):
        day = h // 24
        month = (
            int(
                np.searchsorted(
                    np.cumsum([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]), day, side="right"
                )
            )
            + 1
        )
        rows.append(f"2019,{month},1,{h % 24 + 1},60,x,{t:.1f},5.0")
    p = tmp_path / "gaps.epw"
    p.write_text("\n".join(header + rows) + "\n", encoding="latin-1")
    w = read_epw(p)
    expected = 10.0 + 5.0 * np.sin(np.arange(8760) * 2 * np.pi / 24)
    # hours 100-101 lie between valid hours 99 and 102; 5000 between 4999 and 5001
    assert w.temperature_c[100] == pytest.approx(
        np.interp(100, [99, 102], expected[[99, 102]]), abs=0.06
    )
    assert w.temperature_c[101] == pytest.approx(
        np.interp(101, [99, 102], expected[[99, 102]]), abs=0.06
    )
    assert w.temperature_c[5000] == pytest.approx(0.5 * (expected[4999] + expected[5001]), abs=0.06)
    assert (w.temperature_c < 99).all()
