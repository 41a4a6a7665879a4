"""Candidate heat networks: zones become separately routed and appraised networks, ranked."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_towns import X0, town, two_towns, village, write_area

from heatmap import pipeline
from heatmap.errors import InputError
from heatmap.pipeline import CandidateParams, rank_candidates
from heatmap.pipeline.scenario import AreaParams, Scenario


def _scenario(b: Path, s: Path, **tables: object) -> Scenario:
    scenario = Scenario(
        name="synthetic", area=AreaParams(buildings_path=str(b), streets_path=str(s))
    )
    return scenario.replace(**tables) if tables else scenario


@pytest.fixture(scope="module")
def towns(tmp_path_factory: pytest.TempPathFactory) -> pipeline.Results:
    b, s = two_towns(tmp_path_factory.mktemp("towns"))
    return pipeline.run(_scenario(b, s), progress=False)


def test_two_towns_give_two_candidates_neither_crossing_the_gap(
    towns: pipeline.Results,
) -> None:
    cands = towns.candidates
    assert cands is not None
    assert len(cands) == 2
    routes = towns.candidate_routes
    assert routes is not None
    assert len(routes) == 2
    # the west town spans x0 .. x0 + 400 m, the east one starts 5 km further east
    for geom in routes.geometry:
        x_min, _, x_max, _ = geom.bounds
        assert x_max - x_min < 1000.0
        assert x_max < X0 + 1000.0 or x_min > X0 + 4000.0
    west = [g.bounds[0] < X0 + 1000.0 for g in routes.geometry]
    assert sorted(west) == [False, True]


def test_each_candidate_connects_only_its_own_town(towns: pipeline.Results) -> None:
    assert towns.network is not None
    connected = towns.network.route.loads["terminal_id"].astype(str)
    prefixes = {c.split("/")[0] for c in connected}
    assert len(prefixes) == 1


def test_summary_names_the_chosen_network_and_counts_candidates(towns: pipeline.Results) -> None:
    s = towns.summary
    assert s["n_candidates"] == 2
    assert s["network_id"] in set(towns.candidates["network_id"])
    chosen = towns.candidates[towns.candidates["chosen"]]
    assert chosen["network_id"].tolist() == [s["network_id"]]
    assert s["connected_heat_demand_mwh_per_a"] == pytest.approx(
        float(chosen["connected_heat_mwh_per_a"].iloc[0])
    )


def test_network_option_selects_another_candidate(tmp_path: Path, towns: pipeline.Results) -> None:
    ranked = towns.candidates.sort_values("rank")["network_id"].tolist()
    b, s = two_towns(tmp_path)
    other = pipeline.run(
        _scenario(b, s, candidates=CandidateParams(network=ranked[1])), progress=False
    )
    assert other.network is not None
    assert other.network.network_id == ranked[1]
    assert other.summary["network_id"] == ranked[1]


def test_unknown_network_is_a_clear_error(tmp_path: Path) -> None:
    b, s = two_towns(tmp_path)
    with pytest.raises(InputError, match=r"Z99.*candidates are"):
        pipeline.run(_scenario(b, s, candidates=CandidateParams(network="Z99")), progress=False)


def test_more_demand_than_one_energy_centre_becomes_more_networks(tmp_path: Path) -> None:
    buildings, streets = town(X0, 180_000.0, name="big")
    b, s = write_area(tmp_path, buildings, streets)
    scenario = _scenario(b, s)
    capped = scenario.replace(
        route=pipeline.scenario.RouteParams(max_network_peak_kw=8000.0),
    )
    res = pipeline.run(capped, progress=False)
    cands = res.candidates
    assert cands is not None
    assert len(cands) >= 2
    assert all("-" in str(n) for n in cands["network_id"])
    # every load of the town is planned in one of the networks, none twice
    assert res.summary["n_loads_beyond_capacity"] == 0


def test_sparse_village_has_no_viable_candidate_and_says_why(tmp_path: Path) -> None:
    b, s = village(tmp_path)
    res = pipeline.run(_scenario(b, s), progress=False)
    assert res.summary["n_viable_candidates"] == 0
    assert res.summary["no_viable_reason"]
    assert res.summary["network_viable"] in (None, False)


def test_ranking_is_deterministic_and_ties_break_by_id() -> None:
    t = pd.DataFrame(
        {
            "network_id": ["Z03", "Z01", "Z02"],
            "zone_passes": [True] * 3,
            "zone_reason": [""] * 3,
            "error": [""] * 3,
            "route_lhd_mwh_per_m_a": [6.0, 6.0, 6.0],
            "npv_gbp": [1e6, 1e6, 2e6],
            "npv_per_capex": [0.5, 0.5, 0.5],
            "irr_pct": [8.0, 8.0, 8.0],
            "lcoh_gbp_per_mwh": [70.0, 70.0, 70.0],
        }
    )
    params = CandidateParams()
    first = rank_candidates(t, rank_by="npv_per_capex", params=params)
    again = rank_candidates(
        t.sample(frac=1.0, random_state=3), rank_by="npv_per_capex", params=params
    )
    assert first["network_id"].tolist() == ["Z01", "Z02", "Z03"]
    assert again["network_id"].tolist() == first["network_id"].tolist()
    assert rank_candidates(t, rank_by="npv", params=params)["network_id"].iloc[0] == "Z02"


def test_viability_reasons_name_the_threshold() -> None:
    t = pd.DataFrame(
        {
            "network_id": ["Z01"],
            "zone_passes": [False],
            "zone_reason": ["1 anchor load, 2 needed"],
            "error": [""],
            "route_lhd_mwh_per_m_a": [1.2],
            "npv_gbp": [-3e6],
            "npv_per_capex": [-0.3],
            "irr_pct": [np.nan],
            "lcoh_gbp_per_mwh": [150.0],
        }
    )
    reason = rank_candidates(t, rank_by="npv", params=CandidateParams())["reason"].iloc[0]
    assert "1 anchor load" in reason
    assert "route LHD 1.2 MWh/m/a below 4" in reason
    assert "NPV" in reason


@pytest.mark.shared_data
@pytest.mark.slow
def test_city_of_london_candidates(london_pbf: Path) -> None:
    res = pipeline.run(Scenario(area=AreaParams(osm_path=str(london_pbf))), progress=False)
    cands = res.candidates
    assert cands is not None and len(cands) >= 3
    assert res.network is not None
    assert res.summary["route_lhd_mwh_per_m_a"] >= CandidateParams().min_route_lhd_mwh_per_m_a
    assert res.summary["n_loads_beyond_capacity"] == 0
    json.dumps(res.summary)
