"""Every price, rate and horizon of ``[economics]`` is checked with its unit and range."""

from __future__ import annotations

import pytest

from heatmap.economics import EconomicsParams


@pytest.mark.parametrize(
    "name",
    ["electricity_price_p_per_kwh", "gas_price_p_per_kwh", "om_fixed_gbp_per_a"],
)
def test_a_negative_price_is_refused_unless_allowed(name: str) -> None:
    with pytest.raises(ValueError, match=rf"{name}: -21.0 is negative.*allow_negative_prices"):
        EconomicsParams(**{name: -21.0})
    ok = EconomicsParams(**{name: -21.0, "allow_negative_prices": True})
    assert getattr(ok, name) == -21.0


def test_an_implausible_price_names_its_unit() -> None:
    with pytest.raises(ValueError, match=r"electricity_price_p_per_kwh: 2100.0 p/kWh"):
        EconomicsParams(electricity_price_p_per_kwh=2100.0)


@pytest.mark.parametrize("horizons", [(100000,), (0, 25), ()])
def test_horizons_are_bounded(horizons: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="horizons_years: give one or more horizons of 1 to 100"):
        EconomicsParams(horizons_years=horizons)


def test_discount_rate_range() -> None:
    with pytest.raises(ValueError, match="discount_rate_pct"):
        EconomicsParams(discount_rate_pct=250.0)
    assert EconomicsParams(discount_rate_pct=0.0).discount_rate_pct == 0.0
