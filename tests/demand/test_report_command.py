"""The demand-report command module (registered in the CLI group by the integrator)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from heatmap.cli.demand_report import demand_report


def test_demand_report_on_the_bundled_example(tmp_path: Path) -> None:
    result = CliRunner().invoke(demand_report, ["--top", "5", "--csv-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "2154 buildings" in result.output
    # the bundled example runs with its own weather year, as `heatmap run` does
    assert (
        "heating degree days: 1,490 K day/a "
        "(weather file GBR_ENG_London.City.AP.037683_TMYx.2007-2021.epw.gz)"
    ) in result.output
    for name in ("demand_by_use", "demand_per_dwelling", "top_loads", "flags"):
        assert (tmp_path / f"{name}.csv").is_file()
    top = pd.read_csv(tmp_path / "top_loads.csv")
    assert len(top) == 5
    assert top["heat_demand_mwh_per_a"].is_monotonic_decreasing
    by_use = pd.read_csv(tmp_path / "demand_by_use.csv")
    assert by_use.iloc[-1]["n_buildings"] == 2154
    parts = by_use.iloc[:-1]["heat_demand_mwh_per_a"].sum()
    assert abs(by_use.iloc[-1]["heat_demand_mwh_per_a"] - parts) < 1e-6 * parts


def test_demand_report_csvs_are_not_overwritten_without_the_flag(tmp_path: Path) -> None:
    (tmp_path / "flags.csv").write_text("mine\n", encoding="utf-8")
    result = CliRunner().invoke(demand_report, ["--top", "3", "--csv-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "--overwrite" in str(result.exception or "") + result.output
    assert (tmp_path / "flags.csv").read_text(encoding="utf-8") == "mine\n"
    ok = CliRunner().invoke(
        demand_report, ["--top", "3", "--csv-dir", str(tmp_path), "--overwrite"]
    )
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "flags.csv").read_text(encoding="utf-8") != "mine\n"
