"""Tests of the generic parameter loader behind the scenario file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Literal

import pytest

from heatmap._params import params_from_mapping, params_to_toml
from heatmap.errors import ConfigError


@dataclass(frozen=True)
class Inner:
    """Nested table."""

    depth_m: float = field(default=1.0, metadata={"doc": "depth"})


@dataclass(frozen=True)
class Example:
    """Example parameters."""

    count: int = field(default=3, metadata={"doc": "how many", "source": "made up"})
    ratio_pct: float = field(default=50.0, metadata={"doc": "a share"})
    method: Literal["a", "b"] = "a"
    enabled: bool = True
    label: str | None = None
    temps_c: tuple[float, ...] = (70.0, 45.0)
    rates: dict[str, float] = field(default_factory=lambda: {"soft": 1.0})
    inner: Inner = field(default_factory=Inner)

    def __post_init__(self) -> None:
        if not 0 <= self.ratio_pct <= 100:
            msg = f"ratio_pct: {self.ratio_pct} is outside 0-100"
            raise ValueError(msg)


def test_defaults_and_coercion() -> None:
    p = params_from_mapping(Example, {"ratio_pct": 10, "temps_c": [55, 30], "inner": {}})
    assert p.ratio_pct == 10.0
    assert isinstance(p.ratio_pct, float)
    assert p.temps_c == (55.0, 30.0)
    assert p.count == 3


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ({"count": "three"}, "'sec.count': expected a whole number"),
        ({"count": 2.5}, "'sec.count'"),
        ({"count": True}, "'sec.count'"),
        ({"method": "c"}, "one of 'a', 'b'"),
        ({"enabled": 1}, "true or false"),
        ({"temps_c": [1, "x"]}, "'sec.temps_c[1]'"),
        ({"rates": {"soft": "cheap"}}, "'sec.rates.soft'"),
        ({"inner": {"depth_m": "deep"}}, "'sec.inner.depth_m'"),
        ({"colour": 1}, "unknown scenario key(s) sec.colour"),
        ({"ratio_pct": 150}, "ratio_pct: 150.0 is outside 0-100"),
        ({"ratio_pct": float("nan")}, "finite"),
    ],
)
def test_bad_values_name_the_key(mapping: dict[str, object], fragment: str) -> None:
    with pytest.raises(ConfigError) as info:
        params_from_mapping(Example, mapping, section="sec")
    assert fragment in str(info.value)


def test_unknown_key_lists_valid_keys() -> None:
    with pytest.raises(ConfigError, match="valid keys in \\[sec\\]: count, enabled"):
        params_from_mapping(Example, {"cuont": 1}, section="sec")


def test_toml_round_trip() -> None:
    original = Example(count=7, label="x", rates={"soft": 2.0, "hard": 3.5})
    text = params_to_toml(original, section="sec")
    assert "# how many" in text
    assert "# source: made up" in text
    data = tomllib.loads(text)
    assert params_from_mapping(Example, data["sec"], section="sec") == original


def test_none_written_as_comment() -> None:
    text = params_to_toml(Example(), section="sec")
    assert "# label =" in text
    assert params_from_mapping(Example, tomllib.loads(text)["sec"]) == Example()
