"""render_map / figures without a browser: layers, escaping, lightening, raster placement."""

from __future__ import annotations

import base64
import io
import json
import re
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import matplotlib.image
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

from heatmap.errors import CRSError, InputError, OutputExistsError
from heatmap.outputs import _map_geo, _map_network, study_figures
from heatmap.outputs import maps as render

XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "<script>window.__xss=1</script>"
X0, Y0 = 530_000.0, 180_000.0


def _buildings(n: int = 4) -> gpd.GeoDataFrame:
    names = [XSS_IMG, XSS_SCRIPT, "Guildhall", None] + [f"B{i}" for i in range(4, n)]
    return gpd.GeoDataFrame(
        {
            "name": names[:n],
            "use": "non_domestic",
            "heat_demand_mwh_per_a": np.linspace(50.0, 1200.0, n),
            "peak_load_kw": np.linspace(25.0, 600.0, n),
            "demand_source": "benchmark",
            "is_anchor": [i < 2 for i in range(n)],
            "ownership": "public",
        },
        geometry=[
            box(
                X0 + 60 * (i % 10),
                Y0 + 60 * (i // 10),
                X0 + 60 * (i % 10) + 30,
                Y0 + 60 * (i // 10) + 30,
            )
            for i in range(n)
        ],
        crs=27700,
        index=pd.Index([f"way/{i}" for i in range(n)], name="building_id"),
    )


def _route() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "segment_id": [0, 1, 2],
            "lhd_mwh_per_m_a": [9.0, 3.5, 1.0],
            "dn": [125, 80, 40],
            "phase": [1, 1, 2],
        },
        geometry=[
            LineString([(X0 + 60 * i, Y0 - 10), (X0 + 60 * i + 60, Y0 - 10)]) for i in range(3)
        ],
        crs=27700,
    )


def _density() -> tuple[np.ndarray, Affine, str]:
    arr = np.zeros((3, 4))
    arr[1, 2] = 700.0
    return arr, Affine(100.0, 0.0, X0 - 100.0, 0.0, -100.0, Y0 + 200.0), "EPSG:27700"


def _geojson_layers(m: folium.Map) -> dict[str, dict[str, Any]]:
    """GeoJSON data by layer name; a feature group (route casing + route) by its last layer."""
    out: dict[str, dict[str, Any]] = {}
    for child in m._children.values():
        if isinstance(child, folium.GeoJson):
            out[child.layer_name] = child.data
        elif isinstance(child, folium.FeatureGroup):
            inner = [c for c in child._children.values() if isinstance(c, folium.GeoJson)]
            if inner:
                out[child.layer_name] = inner[-1].data
    return out


def test_map_has_every_layer_and_escapes_names(tmp_path: Path) -> None:
    m = render.render_map(
        buildings=_buildings(),
        route=_route(),
        density=_density(),
        opportunity_areas=gpd.GeoDataFrame(
            {"heat_demand_mwh_per_a": [3000.0], "rank": [1]},
            geometry=[box(X0, Y0, X0 + 200, Y0 + 50)],
            crs=27700,
        ),
        clusters=gpd.GeoDataFrame(
            {"dwellings": [120], "name": [XSS_SCRIPT]},
            geometry=[box(X0, Y0, X0 + 100, Y0 + 100)],
            crs=27700,
        ),
        existing_networks=gpd.GeoDataFrame(
            {
                "name": [XSS_IMG],
                "operator": ["E.ON"],
                "technology": ["CHP"],
                "status": ["operational"],
            },
            geometry=[Point(X0, Y0 + 200)],
            crs=27700,
        ),
        energy_centre=Point(X0 - 20, Y0 - 10),
        streets=gpd.GeoDataFrame(
            {"name": ["Gresham Street"]},
            geometry=[LineString([(X0, Y0 - 10), (X0 + 200, Y0 - 10)])],
            crs=27700,
        ),
        title=XSS_SCRIPT,
    )
    page = render.save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    for name in (
        "Heat density (MWh/ha/yr)",
        "Buildings by heat demand",
        "Anchor loads",
        "Building clusters",
        "Opportunity areas",
        "Heat networks (HNPD)",
        "Energy centre",
        "phase 1",
        "phase 2",
        "Search buildings and streets",
        "Satellite (Esri World Imagery)",
    ):
        assert name in page, name
    # no raw payload anywhere in the page: popups carry escaped text, JSON is \u003c-escaped
    assert XSS_IMG not in page
    assert XSS_SCRIPT not in page
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in page or "\\u0026lt;img" in page
    layers = _geojson_layers(m)
    anchors = layers["Anchor loads"]["features"]
    assert len(anchors) == 2
    assert "&lt;img src=x onerror=window.__xss=1&gt;" in anchors[0]["properties"]["popup_html"]
    assert "<td>50</td>" in anchors[0]["properties"]["popup_html"]  # MWh/yr shown
    for layer in layers.values():
        for feature in layer["features"]:
            for key, value in feature["properties"].items():
                if isinstance(value, str) and key != "search_name":
                    assert "<script" not in value and "<img" not in value, (key, value)
    with pytest.raises(OutputExistsError):
        render.save_map(m, tmp_path / "map.html")


def test_route_segments_styled_by_lhd_and_dn() -> None:
    m = render.render_map(buildings=_buildings(), route=_route())
    layers = _geojson_layers(m)
    feats = layers["Route – phase 1"]["features"] + layers["Route – phase 2"]["features"]
    assert len(feats) == 3
    styles = [_map_network.route_style(f) for f in feats]
    # LHD 9 -> top class (>= 8), 3.5 -> 3-4, 1.0 -> < 1.5
    assert [s["color"] for s in styles] == ["#2166ac", "#fddbc7", "#b2182b"]
    assert styles[0]["weight"] > styles[1]["weight"] > styles[2]["weight"]
    assert all(s["className"] == "hm-route" for s in styles)
    assert "dashArray" in styles[2]


def test_many_buildings_become_demand_cells_when_zoomed_out() -> None:
    b = _buildings(40)
    m = render.render_map(buildings=b, params=render.MapParams(max_building_polygons=10))
    layers = _geojson_layers(m)
    assert len(layers["Buildings by heat demand"]["features"]) == 40
    cells = layers["Buildings by heat demand (per 100 m cell)"]["features"]
    parsed = [
        re.match(r"([\d,]+) MWh/yr in (\d+) buildings", f["properties"]["tip"]) for f in cells
    ]
    assert all(parsed)
    assert sum(int(p.group(2)) for p in parsed if p) == 40
    total = sum(float(p.group(1).replace(",", "")) for p in parsed if p)
    assert total == pytest.approx(b["heat_demand_mwh_per_a"].sum(), abs=len(cells))
    assert "map.getZoom() >= 16" in m.get_root().render()
    # too many to embed: cells only
    few = render.MapParams(max_building_polygons=10, max_embedded_polygons=20)
    only_cells = _geojson_layers(render.render_map(buildings=b, params=few))
    assert "Buildings by heat demand" not in only_cells
    assert "Buildings by heat demand (per 100 m cell)" in only_cells


def test_geometry_simplified_and_rounded() -> None:
    # a 30 m square with 400 collinear-ish vertices (0.01 m wiggle) and one named street
    t = np.linspace(0, 1, 101)[:-1]
    edge = np.column_stack([t * 30, 0.01 * np.sin(t * 50)])
    ring = np.vstack(
        [edge, edge[:, ::-1] * [1, 1] + [30, 0], [30, 30] - edge, [0, 30] - edge[:, ::-1]]
    )
    poly = Polygon(ring + np.array([X0, Y0]))
    b = gpd.GeoDataFrame({"heat_demand_mwh_per_a": [100.0]}, geometry=[poly], crs=27700)
    m = render.render_map(buildings=b)
    feat = _geojson_layers(m)["Buildings by heat demand"]["features"][0]
    coords = np.array(feat["geometry"]["coordinates"][0])
    assert len(coords) < 20
    text = json.dumps(feat["geometry"])
    assert not re.search(r"\.\d{7,}", text)


def test_density_overlay_is_placed_on_the_raster_extent() -> None:
    arr, transform, crs = _density()
    rgba, bounds = _map_geo.density_rgba_3857(
        arr, transform, crs, render.DENSITY_CLASS_EDGES_MWH_PER_HA_A, ("#000000",) * 7
    )
    to_geo = Transformer.from_crs(27700, 4326, always_xy=True)
    west, south = to_geo.transform(X0 - 100.0, Y0 - 100.0)
    east, north = to_geo.transform(X0 + 300.0, Y0 + 200.0)
    (s, w), (n, e) = bounds
    # bounds match the raster's corners to within about a pixel's rounding (2e-4 deg ~ 14 m)
    assert w <= west + 2e-4 and e >= east - 2e-4 and s <= south + 2e-4 and n >= north - 2e-4
    assert (e - w) < (east - west) * 1.1
    # one opaque cell in 12: about 1/12 of the warped image is opaque, in the right quadrant
    opaque = rgba[..., 3] > 0
    assert opaque.mean() == pytest.approx(1 / 12, rel=0.35)
    rows, cols = np.nonzero(opaque)
    assert 0.25 < (rows.mean() + 0.5) / rgba.shape[0] < 0.75
    assert 0.5 < (cols.mean() + 0.5) / rgba.shape[1] < 0.75


def test_density_overlay_is_a_png_data_uri() -> None:
    m = render.render_map(buildings=_buildings(), density=_density())
    page = m.get_root().render()
    uri = re.search(r'"data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert uri
    img = matplotlib.image.imread(io.BytesIO(base64.b64decode(uri.group(1))), format="png")
    assert img.shape[2] == 4 and img[..., 3].max() > 0 and img[..., 3].min() == 0


def test_density_accepts_an_object() -> None:
    arr, transform, crs = _density()

    class Raster:
        density_mwh_per_ha_a = arr

    Raster.transform = transform  # type: ignore[attr-defined]
    Raster.crs = crs  # type: ignore[attr-defined]
    render.render_map(buildings=_buildings(), density=Raster())
    with pytest.raises(InputError, match="density"):
        render.render_map(buildings=_buildings(), density=(arr, transform))


def test_rejects_unprojected_buildings() -> None:
    with pytest.raises(CRSError, match="not projected"):
        render.render_map(buildings=_buildings().to_crs(4326))


def test_params_validated() -> None:
    with pytest.raises(ValueError, match="coordinate_decimals"):
        render.MapParams(coordinate_decimals=12)
    with pytest.raises(ValueError, match="anchor_radius_m"):
        render.MapParams(anchor_radius_m=(10.0, 2.0))


def test_figures_written(tmp_path: Path) -> None:
    d = study_figures.plot_heat_density(
        _density(), tmp_path / "figures" / "heat_density.png", buildings=_buildings()
    )
    r = study_figures.plot_route_lhd(_route(), _buildings(), tmp_path / "figures" / "route_lhd.png")
    for p in (d, r):
        img = matplotlib.image.imread(p)
        assert img.shape[0] > 200 and img.shape[1] > 300
    with pytest.raises(OutputExistsError):
        study_figures.plot_route_lhd(_route(), None, r)
    with pytest.raises(InputError, match="lhd_mwh_per_m_a"):
        study_figures.plot_route_lhd(
            _route().drop(columns="lhd_mwh_per_m_a"), None, tmp_path / "x.png"
        )


def test_nearby_map() -> None:
    finds = gpd.GeoDataFrame(
        {
            "kind": ["anchor_load"],
            "name": [XSS_IMG],
            "heat_demand_mwh_per_a": [600.0],
            "network_distance_m": [310.0],
        },
        geometry=[Point(X0, Y0)],
        crs=27700,
    )
    m = render.render_nearby_map(finds, (-0.09, 51.51), radius_m=500.0)
    page = m.get_root().render()
    assert XSS_IMG not in page
    assert "Heat loads and networks near the site" in page
    assert 'class="hm-box hm-legend"' in page and "search radius" in page


def test_layer_names_and_results_panel_are_escaped_and_equal_the_summary(tmp_path: Path) -> None:
    opp = gpd.GeoDataFrame(
        {"rule": ["hotmaps", XSS_IMG], "heat_demand_mwh_per_a": [10.0, 20.0], "rank": [1, 1]},
        geometry=[box(X0, Y0, X0 + 50, Y0 + 50), box(X0, Y0, X0 + 20, Y0 + 20)],
        crs=27700,
    )
    nets = gpd.GeoDataFrame(
        {"name": [XSS_SCRIPT], "ref_id": [XSS_IMG], "status": ["Application Refused"]},
        geometry=[Point(X0, Y0)],
        crs=27700,
    )
    summary = {"scenario": XSS_SCRIPT, "capex_gbp": 1_234_567.891, "irr_pct": float("nan")}
    m = render.render_map(
        buildings=_buildings(), opportunity_areas=opp, existing_networks=nets, summary=summary
    )
    page = render.save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    names = [c.layer_name for c in m._children.values() if hasattr(c, "layer_name")]
    assert "Opportunity areas: Hotmaps: &gt;= 333 MWh/ha/yr" in names
    assert "Opportunity areas: &lt;img src=x onerror=window.__xss=1&gt;" in names
    assert "Heat networks (HNPD): refused, withdrawn or abandoned (1)" in names
    cell = re.search(r'<td data-key="capex_gbp" data-value="([^"]+)">([^<]+)</td>', page)
    assert cell is not None
    assert float(cell.group(1)) == summary["capex_gbp"]
    assert cell.group(2) == "£1,234,568"
    assert '<td data-key="irr_pct" data-value="NaN">n/a</td>' in page


def test_building_popup_lists_the_columns_that_exist() -> None:
    from heatmap.outputs._map_buildings import building_popups

    b = _buildings(2).assign(floors=[3, 12], floors_source=["default", "building:levels"])
    popups = building_popups(b)
    assert "<th>Floors</th><td>12</td>" in popups.iloc[1]
    assert "<th>Floors from</th><td>building:levels</td>" in popups.iloc[1]
    assert "<th>Building id</th><td>way/1</td>" in popups.iloc[1]
    assert "Confidence" not in popups.iloc[0]  # no such column: no row
    assert "&lt;img" in popups.iloc[0] and "<img" not in popups.iloc[0]


def _street_lhd() -> gpd.GeoDataFrame:
    lhd = [1.0, 1.5, 3.5, 4.0, 7.99, 8.0, 25.0]  # class edges 1.5, 3, 4, 8 (lower bound in)
    return gpd.GeoDataFrame(
        {
            "name": [XSS_IMG] + [f"Street {i}" for i in range(1, 7)],
            "lhd_mwh_per_m_a": lhd,
            "heat_demand_mwh_per_a": [v * 100 for v in lhd],
            "n_buildings": [1, 2, 3, 4, 5, 6, 7],
            "length_m": [100.0] * 7,
        },
        geometry=[LineString([(X0, Y0 + 20 * i), (X0 + 100, Y0 + 20 * i)]) for i in range(7)],
        crs=27700,
    )


def _candidates() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "network_id": ["B", XSS_SCRIPT, "A"],
            "rank": [2, 3, 1],
            "viable": [True, False, True],
            "reason": ["", "LHD below 3 MWh/m/yr", ""],
            "connected_heat_mwh_per_a": [9000.0, 300.0, 12000.0],
            "trench_length_m": [1500.0, 400.0, 2100.0],
            "route_lhd_mwh_per_m_a": [6.0, 0.75, 5.71],
            "capex_gbp": [4.1e6, 0.9e6, 5.2e6],
            "npv_gbp": [1.2e6, -0.4e6, 2.5e6],
            "irr_pct": [6.1, float("nan"), 7.9],
            "lcoh_gbp_per_mwh": [95.0, 210.0, 88.0],
            "chosen": [False, False, True],
        },
        geometry=[LineString([(X0, Y0 - 50 * i), (X0 + 200, Y0 - 50 * i)]) for i in range(3)],
        crs=27700,
    )


def _route_for_candidates() -> gpd.GeoDataFrame:
    """The chosen network's route: one segment."""
    return gpd.GeoDataFrame(
        {"segment_id": [0], "lhd_mwh_per_m_a": [5.7], "dn": [150], "phase": [1]},
        geometry=[LineString([(X0, Y0 - 100), (X0 + 200, Y0 - 100)])],
        crs=27700,
    )


def test_street_heat_atlas_and_candidate_networks(tmp_path: Path) -> None:
    summary = {"connected_heat_demand_mwh_per_a": 12000.0, "npv_gbp": 2.5e6}
    m = render.render_map(
        buildings=_buildings(), street_lhd=_street_lhd(), candidates=_candidates(), summary=summary
    )
    page = render.save_map(m, tmp_path / "map.html").read_text(encoding="utf-8")
    assert XSS_IMG not in page and XSS_SCRIPT not in page
    layers = _geojson_layers(m)
    # Scotland's classes: < 1.5, 1.5-3, 3-4, 4-8, >= 8 MWh/m/yr
    classes = [f["properties"]["c"] for f in layers["Street heat atlas"]["features"]]
    assert classes == [0, 1, 2, 3, 3, 4, 4]
    shown = {c.layer_name: c.show for c in m._children.values() if hasattr(c, "layer_name")}
    # with no chosen route drawn, the candidates are the map's subject and shown at load
    assert shown["Street heat atlas"] is False and shown["Candidate networks"] is True
    with_route = render.render_map(
        buildings=_buildings(), candidates=_candidates(), route=_route_for_candidates()
    )
    shown = {
        c.layer_name: c.show for c in with_route._children.values() if hasattr(c, "layer_name")
    }
    assert shown["Candidate networks"] is False
    outcomes = [f["properties"]["o"] for f in layers["Candidate networks"]["features"]]
    assert outcomes == ["viable", "not viable", "chosen"]
    style = next(
        c for c in m._children.values() if getattr(c, "layer_name", "") == "Candidate networks"
    ).style_function
    assert (
        style({"properties": {"o": "chosen"}})["weight"]
        > style({"properties": {"o": "viable"}})["weight"]
    )
    # the results panel's candidate table: best rank first, the chosen network in bold
    table = re.search(r'<table class="hm-candidates">(.*?)</table>', page)
    assert table is not None
    rows = re.findall(r"<tr(.*?)>(.*?)</tr>", table.group(1))[1:]
    first_cells = [re.findall(r"<td[^>]*>([^<]*)</td>", r[1])[0] for r in rows]
    assert first_cells == ["A", "B", "&lt;script&gt;window.__xss=1&lt;/script&gt;"]
    assert "hm-chosen" in rows[0][0] and "hm-chosen" not in rows[1][0]
    assert 'data-layer="Street heat atlas"' in page and 'data-layer="Candidate networks"' in page
