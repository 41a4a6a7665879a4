"""Property-based tests: hostile scenario values and mutated inputs never crash heatmap.

Each property runs a bounded number of cases (deterministic: hypothesis's derandomised mode), so
the suite stays fast; any exception other than heatmap's own one-line errors is a failure.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from heatmap.errors import HeatmapError  # noqa: E402
from heatmap.ingest import read_osm  # noqa: E402
from heatmap.pipeline.scenario import Scenario, scenario_from_mapping  # noqa: E402
from heatmap.routing.steinlib import read_stp  # noqa: E402

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

_TABLES = {
    f.name: [g.name for g in dataclasses.fields(getattr(Scenario(), f.name))]
    for f in dataclasses.fields(Scenario)
    if dataclasses.is_dataclass(getattr(Scenario(), f.name))
}
_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.floats(allow_nan=False, allow_infinity=False, width=32), max_size=4),
    st.lists(st.text(max_size=8), max_size=3),
    st.dictionaries(st.text(max_size=8), st.floats(width=32), max_size=2),
)


@FUZZ
@given(
    table=st.sampled_from(sorted(_TABLES)),
    data=st.data(),
)
def test_any_scenario_value_is_accepted_or_refused_with_a_config_error(
    table: str, data: st.DataObject
) -> None:
    key = data.draw(st.sampled_from(_TABLES[table]))
    value = data.draw(_VALUES)
    if value is None:
        return
    try:
        s = scenario_from_mapping({table: {key: value}})
    except HeatmapError as exc:
        text = str(exc)
        assert "\n" not in text.strip()
        assert key in text or table in text
        return
    assert isinstance(s, Scenario)


_OSM = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
    ' <node id="1" lat="51.5" lon="-0.1"/>\n <node id="2" lat="51.5" lon="-0.0995"/>\n'
    ' <node id="3" lat="51.5003" lon="-0.0995"/>\n <node id="4" lat="51.5003" lon="-0.1"/>\n'
    ' <node id="5" lat="51.4999" lon="-0.101"/>\n <node id="6" lat="51.4999" lon="-0.098"/>\n'
    ' <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>'
    '<tag k="building" v="house"/><tag k="building:levels" v="2"/></way>\n'
    ' <way id="11"><nd ref="5"/><nd ref="6"/><tag k="highway" v="residential"/></way>\n'
    "</osm>\n"
)


_CUTS = st.tuples(st.integers(0, 10_000), st.integers(0, 12), st.text(max_size=6))


def _mutated(text: str, cuts: list[tuple[int, int, str]]) -> str:
    for at, n, insert in cuts:
        at %= len(text) or 1
        text = text[:at] + insert + text[at + n :]
    return text


def _read_or_clear_error(text: str, name: str, read: Callable[[Path], Any]) -> Any:
    """Read the mutated file: its result, or None after a one-line heatmap error."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        try:
            return read(path)
        except HeatmapError as exc:
            assert str(exc).strip() and "\n" not in str(exc).strip()
            return None


@settings(FUZZ, max_examples=40)
@given(cuts=st.lists(_CUTS, min_size=1, max_size=3))
def test_a_mutated_osm_xml_reads_or_fails_with_a_clear_error(
    cuts: list[tuple[int, int, str]],
) -> None:
    area = _read_or_clear_error(_mutated(_OSM, cuts), "mutated.osm", read_osm)
    assert area is None or len(area.buildings) >= 0


_STP = (
    "33D32945 STP File, STP Format Version 1.0\nSECTION Graph\nNodes 4\nEdges 5\n"
    "E 1 4 1\nE 2 4 1\nE 3 4 1\nE 1 2 3\nE 2 3 3\nEND\n"
    "SECTION Terminals\nTerminals 3\nT 1\nT 2\nT 3\nEND\nEOF\n"
)


@settings(FUZZ, max_examples=80)
@given(cuts=st.lists(_CUTS, min_size=1, max_size=3))
def test_a_mutated_stp_reads_or_fails_with_a_clear_error(
    cuts: list[tuple[int, int, str]],
) -> None:
    inst = _read_or_clear_error(_mutated(_STP, cuts), "mutated.stp", read_stp)
    if inst is not None:
        weights = [w for *_, w in inst.graph.edges(data="weight")]
        assert all(math.isfinite(w) and w >= 0 for w in weights)
