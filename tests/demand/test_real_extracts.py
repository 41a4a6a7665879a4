"""Demand on real OpenStreetMap extracts: the checks a planner makes before trusting a map."""

from __future__ import annotations

from pathlib import Path

import pytest

from heatmap.demand import DemandParams, demand_report, estimate_demand
from heatmap.ingest.examples import default_example_path
from heatmap.ingest.osm import read_osm


@pytest.fixture(scope="module", params=["london", "leeds", "bristol", "bundled"])
def extract(request: pytest.FixtureRequest) -> Path:
    if request.param == "bundled":
        return default_example_path()
    return request.getfixturevalue(f"{request.param}_pbf")


@pytest.mark.shared_data
def test_single_dwellings_unheated_types_and_houses(extract: Path) -> None:
    d = estimate_demand(read_osm(extract).buildings)
    dom = d[d["use"] == "domestic"]
    single = dom[dom["n_dwellings"] == 1]
    assert len(single) > 0
    assert single["heat_demand_mwh_per_a"].max() <= 100.0
    unheated = d["building_tag"].fillna("").str.lower().isin(DemandParams().unheated_building_types)
    assert (d.loc[unheated, "heat_demand_mwh_per_a"] == 0).all()
    # houses (one dwelling each) average 5-25 MWh/a per dwelling
    per = demand_report(d).per_dwelling.set_index("property_type")
    houses = per.drop(index=["flat", "total"], errors="ignore")
    mean = houses["heat_demand_mwh_per_a"].sum() / houses["n_dwellings"].sum()
    assert 5.0 <= mean <= 25.0


@pytest.mark.shared_data
def test_city_of_london_top_loads_are_explained(london_pbf: Path) -> None:
    area = read_osm(london_pbf)
    assert area.landuse is not None and len(area.landuse) > 100
    assert area.pois is not None and len(area.pois) > 1000
    d = estimate_demand(area.buildings)
    paul = d[d["name"].fillna("") == "St Paul's Cathedral"]
    assert len(paul) == 1
    assert paul["floors_source"].iloc[0] == "single_volume"
    assert paul["heat_demand_mwh_per_a"].iloc[0] < 4_000
    top = demand_report(d).top_loads
    assert len(top) == 20
    # every top load's use comes from evidence (tags, POI, area, name, or the flagged shape rule)
    assert not (top["use_source"] == "default").any()
    assert (top["floors_source"] != "").all()
    shape = top["use_source"] == "shape"
    assert top.loc[shape, "demand_flags"].str.contains("large untagged").all()
