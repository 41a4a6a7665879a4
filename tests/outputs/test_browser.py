"""Open map.html in headless Chromium with every CDN asset served from local npm copies.

Needs Debian's ``chromium``, the ``playwright`` Python package and the assets that
``scripts/setup_browser_test.sh`` installs into ``tests/.browser_assets/``; skips cleanly without
them. No request leaves the machine: CDN URLs are answered from ``node_modules``, map tiles with a
blank PNG, anything else with an empty 200 (and listed, so a new dependency is noticed).
"""

from __future__ import annotations

import base64
import os
import re
import shutil
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from affine import Affine
from shapely.geometry import LineString, Point, box

from heatmap.outputs import maps as render

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ASSETS = Path(__file__).resolve().parents[1] / ".browser_assets" / "node_modules"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "<script>window.__xss=1</script>"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BLANK_PNG = base64.b64decode(  # one light-grey pixel, served for every map tile
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC"
)
CONTENT_TYPES = {
    ".js": "application/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}


def _missing(reason: str) -> None:
    """Skip, or fail where CI requires the browser test to run (HEATMAP_REQUIRE_BROWSER=1)."""
    if os.environ.get("HEATMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser test required but {reason}")
    pytest.skip(reason)


def _requirements() -> Any:
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed")
    if not Path(CHROMIUM).exists():
        _missing("chromium is not installed (run scripts/setup_browser_test.sh)")
    if not (ASSETS / "leaflet" / "dist" / "leaflet.js").exists():
        _missing("browser assets missing (run scripts/setup_browser_test.sh)")
    return sync_api


def local_asset(url: str) -> Path | None:
    """Map a CDN URL that folium references to a file from the npm packages, or None."""
    patterns = [
        (r"cdn\.jsdelivr\.net/npm/((?:@[^/]+/)?[^@/]+)@[^/]+/(.+)$", r"\1/\2"),
        (r"cdn\.jsdelivr\.net/gh/ljagis/leaflet-measure@[^/]+/(.+)$", r"leaflet-measure/\1"),
        (r"code\.jquery\.com/jquery-[\d.]+(\.min)?\.js$", r"jquery/dist/jquery\1.js"),
        (
            r"cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/[^/]+/(.+)$",
            r"leaflet.awesome-markers/dist/\1",
        ),
    ]
    clean = url.split("?")[0].split("#")[0]
    for pattern, repl in patterns:
        match = re.search(pattern, clean)
        if match:
            rel = match.expand(repl)
            for candidate in (rel, rel.replace(".min.", ".")):
                path = ASSETS / candidate
                if path.is_file():
                    return path
            return None
    return None


def _study_layers() -> dict[str, Any]:
    x0, y0 = 530000.0, 180000.0
    buildings = gpd.GeoDataFrame(
        {
            "name": [XSS_IMG, XSS_SCRIPT, "Guildhall", None, "Barbican Centre"],
            "use": ["non_domestic", "non_domestic", "non_domestic", "domestic", "non_domestic"],
            "heat_demand_mwh_per_a": [812.0, 1234.0, 95.0, 12.0, 2500.0],
            "peak_load_kw": [406.0, 617.0, 48.0, 6.0, 1250.0],
            "demand_source": ["benchmark", "metered", "benchmark", "benchmark", "metered"],
            "is_anchor": [True, True, False, False, True],
            "ownership": ["public", "private", "public", None, "public"],
        },
        geometry=[box(x0 + i * 80, y0, x0 + i * 80 + 40, y0 + 40) for i in range(5)],
        crs=27700,
        index=pd.Index([f"way/{i}" for i in range(5)], name="building_id"),
    )
    route = gpd.GeoDataFrame(
        {
            "segment_id": [0, 1, 2, 3],
            "lhd_mwh_per_m_a": [9.5, 5.0, 2.1, 0.9],
            "dn": [150, 125, 80, 50],
            "phase": [1, 1, 2, 2],
            "length_m": [80.0, 80.0, 80.0, 80.0],
        },
        geometry=[
            LineString([(x0 + i * 80, y0 - 15), (x0 + i * 80 + 80, y0 - 15)]) for i in range(4)
        ],
        crs=27700,
    )
    arr = np.zeros((5, 6))
    arr[1:3, 1:4] = [[120.0, 420.0, 900.0], [60.0, 1600.0, 2600.0]]
    density = (arr, Affine(100.0, 0.0, x0 - 100.0, 0.0, -100.0, y0 + 300.0), "EPSG:27700")
    streets = gpd.GeoDataFrame(
        {"name": ["Gresham Street", "London Wall"], "highway": ["tertiary", "primary"]},
        geometry=[
            LineString([(x0, y0 - 15), (x0 + 320, y0 - 15)]),
            LineString([(x0, y0 + 60), (x0 + 300, y0 + 60)]),
        ],
        crs=27700,
    )
    opp = gpd.GeoDataFrame(
        {"heat_demand_mwh_per_a": [4653.0], "area_ha": [3.2], "rank": [1]},
        geometry=[box(x0 - 20, y0 - 30, x0 + 380, y0 + 60)],
        crs=27700,
    )
    nets = gpd.GeoDataFrame(
        {
            "name": ["Citigen"],
            "operator": ["E.ON"],
            "technology": ["CHP"],
            "status": ["operational"],
        },
        geometry=[Point(x0 + 150, y0 + 120)],
        crs=27700,
    )
    zones = gpd.GeoDataFrame(
        {
            "rule": ["stringent", "baseline"],
            "passes": [True, False],
            "heat_demand_mwh_per_a": [4653.0, 107.0],
            "street_length_m": [320.0, 300.0],
            "lhd_mwh_per_m_a": [14.5, 0.36],
            "n_buildings": [4, 1],
            "n_anchors": [3, 0],
            "reason": ["", "LHD below 4 MWh/m/yr"],
        },
        geometry=[streets.geometry.iloc[0], streets.geometry.iloc[1]],
        crs=27700,
        index=pd.Index(["Z01", "Z02"], name="zone_id"),
    )
    return {
        "buildings": buildings,
        "route": route,
        "zones": zones,
        "density": density,
        "streets": streets,
        "opportunity_areas": opp,
        "existing_networks": nets,
        "energy_centre": Point(x0 - 10, y0 - 15),
    }


def test_map_in_chromium(tmp_path: Path) -> None:
    sync_api = _requirements()
    layers = _study_layers()
    m = render.render_map(title="Browser test <b>map</b>", **layers)
    page_path = render.save_map(m, tmp_path / "map.html")

    served: list[str] = []
    blanked: list[str] = []

    def handle(route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:")):
            route.continue_()
            return
        local = local_asset(url)
        if local is not None:
            served.append(url)
            ctype = CONTENT_TYPES.get(local.suffix, "application/octet-stream")
            route.fulfill(status=200, path=str(local), content_type=ctype)
        elif "/tile/" in url or re.search(r"/\d+/\d+/\d+(@2x)?\.png", url):
            route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
        else:
            blanked.append(url)
            route.fulfill(status=200, body="", content_type="text/plain")

    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        # a fresh profile folder per run (Playwright passes it as --user-data-dir)
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": 1200, "height": 800},
        )
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
            page.on(
                "console",
                lambda msg: errors.append(f"console: {msg.text}") if msg.type == "error" else None,
            )
            page.route("**/*", handle)
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_selector(".leaflet-control-layers", timeout=15000)

            # Leaflet and the plugins the map relies on came from the local copies and run.
            for needle in (
                "leaflet@",
                "leaflet-search",
                "leaflet-measure",
                "leaflet.fullscreen",
            ):
                assert any(needle in url for url in served), (needle, served, blanked)
            assert page.evaluate(
                "typeof L === 'object' && typeof L.Control.Search === 'function'"
                " && typeof L.Control.Measure === 'function'"
                " && typeof L.Control.FullScreen === 'function'"
            )
            assert not errors, errors

            labels = page.locator(".leaflet-control-layers label").all_inner_texts()
            text = " | ".join(t.strip() for t in labels)
            for name in (
                "OpenStreetMap",
                "Light grey",
                "Satellite (Esri World Imagery)",
                "Heat density (MWh/ha/yr)",
                "Buildings by heat demand",
                "Opportunity areas",
                "Candidate zones (streets)",
                "Heat networks (HNPD): operational",
                "Route – phase 1",
                "Route – phase 2",
                "Energy centre",
                "Anchor loads",
            ):
                assert name in text, (name, text)
            assert "Named buildings and streets" not in text  # the search's helper layer

            assert page.locator("path.hm-route").count() == len(layers["route"])
            assert page.locator("path.hm-anchor").count() == 3
            assert page.locator(".leaflet-control-scale").count() == 1
            assert page.locator(".leaflet-image-layer").count() == 1

            # click the anchor named like an <img> payload: the popup shows its MWh and the
            # name as plain text, and nothing ran
            page.locator("path.hm-anchor").first.click(force=True)
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=5000)
            popup_text = popup.inner_text()
            assert "812" in popup_text, popup_text
            assert XSS_IMG in popup_text, popup_text
            assert page.locator(".leaflet-popup-content img").count() == 0

            # the search box lists names as text too
            search = page.locator(".leaflet-control-search input").first
            search.click()
            search.press_sequentially("<scr", delay=40)
            page.locator(".search-tooltip .search-tip").first.wait_for(timeout=5000)
            tips = page.locator(".search-tooltip").inner_text()
            assert XSS_SCRIPT in tips, tips
            page.locator(".leaflet-control-search input").first.fill("")

            assert page.evaluate("typeof window.__xss") == "undefined"
            title = page.locator(".hm-title").inner_text()
            assert title == "Browser test <b>map</b>"
            assert not errors, errors
            page.screenshot(path=str(tmp_path / "map.png"))
        finally:
            browser.close()
    assert (tmp_path / "map.png").stat().st_size > 10_000


def test_zoomed_out_map_shows_demand_cells(tmp_path: Path) -> None:
    sync_api = _requirements()
    layers = _study_layers()
    many = render.MapParams(max_building_polygons=2, footprint_min_zoom=16)
    page_path = render.save_map(
        render.render_map(buildings=layers["buildings"], params=many), tmp_path / "map.html"
    )

    def handle(route: Any) -> None:
        local = local_asset(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        elif local is not None:
            ctype = CONTENT_TYPES.get(local.suffix, "application/octet-stream")
            route.fulfill(status=200, path=str(local), content_type=ctype)
        else:
            route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 700})
            page.route("**/*", handle)
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_selector(".leaflet-control-layers", timeout=15000)
            page.evaluate("Object.values(window).find(v => v instanceof L.Map).setZoom(17)")
            page.wait_for_timeout(400)
            assert page.locator("path.hm-building").count() == len(layers["buildings"])
            assert page.locator("path.hm-cell").count() == 0
            page.evaluate("Object.values(window).find(v => v instanceof L.Map).setZoom(14)")
            page.wait_for_timeout(400)
            assert page.locator("path.hm-building").count() == 0
            assert page.locator("path.hm-cell").count() >= 1
        finally:
            browser.close()


# --- the planner's view: defaults, legend, results panel, popups, HNPD status --------------------
SUMMARY = {
    "scenario": "City <b>test</b>",
    "n_connected_buildings": 3,
    "connected_heat_demand_mwh_per_a": 4546.0,
    "spine_length_m": 320.4,
    "route_lhd_mwh_per_m_a": 14.188,
    "peak_demand_kw": 2273.5,
    "capex_gbp": 1_234_567.89,
    "npv_gbp": -45_678.9,
    "irr_pct": 3.456,
    "lcoh_gbp_per_mwh": 98.765,
    "low_carbon_share_pct": 90.61,
    "hp_capacity_kw": 1500.0,
    "boiler_capacity_kw": 2500.0,
    "store_volume_m3": 200.0,
}


def _planner_layers() -> dict[str, Any]:
    layers = _study_layers()
    b = layers["buildings"].copy()
    b["floors"] = [6, 9, 4, 3, 12]
    b["floors_source"] = ["building:levels", "height", "default", "default", "building:levels"]
    b["gross_floor_area_m2"] = [9600.0, 14400.0, 6400.0, 4800.0, 19200.0]
    b["benchmark_kwh_per_m2_a"] = [85.0, 86.0, 15.0, 2.5, 130.0]
    b["use"] = ["office", "hotel", "civic <i>hall</i>", "domestic", "arts centre"]
    b["demand_confidence"] = ["medium", "high", "low <b>!</b>", "low", "high"]
    layers["buildings"] = b
    x0, y0 = 530000.0, 180000.0
    layers["existing_networks"] = gpd.GeoDataFrame(
        {
            "name": ["Citigen", XSS_IMG, "Refused scheme", "Abandoned scheme", "New build"],
            "ref_id": ["HN001", "HN002", "HN003", "HN004", "HN005"],
            "operator": ["E.ON", XSS_SCRIPT, "X", "Y", "Z"],
            "technology": ["CHP", "Heat pump", "CHP", "Biomass", "Heat pump"],
            "status": [
                "Operational",
                "Under Construction",
                "Application Refused",
                "Abandoned",
                "Awaiting Construction",
            ],
        },
        geometry=[Point(x0 + 150 + 30 * i, y0 + 120) for i in range(5)],
        crs=27700,
    )
    layers["clusters"] = gpd.GeoDataFrame(
        {"cluster_id": [1], "n_dwellings": [120], "viable": [False], "reason": [XSS_SCRIPT]},
        geometry=[box(x0, y0, x0 + 100, y0 + 100)],
        crs=27700,
    )
    layers["opportunity_areas"] = gpd.GeoDataFrame(
        {"rule": ["hotmaps", XSS_IMG], "heat_demand_mwh_per_a": [4653.0, 10.0], "rank": [1, 1]},
        geometry=[box(x0 - 20, y0 - 30, x0 + 380, y0 + 60), box(x0, y0, x0 + 10, y0 + 10)],
        crs=27700,
    )
    return layers


def _boxes_overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1920, 1080)])
def test_planner_view_in_chromium(tmp_path: Path, width: int, height: int) -> None:
    sync_api = _requirements()
    layers = _planner_layers()
    m = render.render_map(title="City", summary=SUMMARY, **layers)
    page_path = render.save_map(m, tmp_path / "map.html")

    def handle(route: Any) -> None:
        url = route.request.url
        local = local_asset(url)
        if url.startswith(("file:", "data:")):
            route.continue_()
        elif local is not None:
            ctype = CONTENT_TYPES.get(local.suffix, "application/octet-stream")
            route.fulfill(status=200, path=str(local), content_type=ctype)
        elif "/tile/" in url or re.search(r"/\d+/\d+/\d+(@2x)?\.png", url):
            route.fulfill(status=200, body=BLANK_PNG, content_type="image/png")
        else:
            route.fulfill(status=200, body="", content_type="text/plain")

    errors: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            page = browser.new_page()
            page.on("pageerror", lambda exc: errors.append(f"pageerror: {exc}"))
            page.route("**/*", handle)
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_selector(".leaflet-control-layers", timeout=15000)
            assert not errors, errors

            # the route is drawn at load, inside the window, above the buildings
            routes = page.locator("path.hm-route")
            assert routes.count() == len(layers["route"])
            for i in range(routes.count()):
                box_ = routes.nth(i).bounding_box()
                assert box_ is not None and box_["width"] > 0
                assert 0 <= box_["x"] <= width and 0 <= box_["y"] <= height

            # detail layers off at load; refused and abandoned HNPD records hidden
            assert page.locator("path.hm-cluster").count() == 0
            assert page.locator("path.hm-opportunity").count() == 0
            assert page.locator("path.hm-existing").count() == 3
            assert page.locator("path.hm-anchor").count() == 3

            # one legend entry per layer in the layer control
            overlays = [
                t.strip()
                for t in page.locator(".leaflet-control-layers-overlays label").all_inner_texts()
            ]
            keys = page.locator(".hm-legend [data-layer]").evaluate_all(
                "els => els.map(e => e.dataset.layer)"
            )
            assert len(overlays) >= 8
            for name in overlays:
                assert any(name.startswith(k) for k in keys), (name, keys)
            assert (
                "Refused, withdrawn or abandoned (off)" in page.locator(".hm-legend").inner_text()
            )

            # the legend and the results panel fit the window, unscrolled and apart
            legend = page.locator(".hm-legend")
            results = page.locator(".hm-results")
            control = page.locator(".leaflet-control-layers")
            boxes = [x.bounding_box() for x in (legend, results, control)]
            for b in boxes:
                assert b is not None
                assert b["y"] >= 0 and b["y"] + b["height"] <= height, b
            assert not _boxes_overlap(boxes[0], boxes[1])  # type: ignore[arg-type]
            assert not _boxes_overlap(boxes[0], boxes[2])  # type: ignore[arg-type]
            assert not _boxes_overlap(boxes[1], boxes[2])  # type: ignore[arg-type]
            assert legend.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
            legend.locator("summary").click()  # collapsible
            assert legend.evaluate("e => !e.open")

            # the results panel shows summary.json's figures
            cells = results.locator("td[data-key]")
            assert cells.count() == 10  # every headline figure SUMMARY has
            for i in range(cells.count()):
                key = cells.nth(i).get_attribute("data-key")
                value = cells.nth(i).get_attribute("data-value")
                assert key is not None and value is not None
                assert float(value) == SUMMARY[key], key
            text = results.inner_text()
            assert "£1,234,568" in text and "−£45,679" in text and "98.77 £/MWh" in text
            assert "City <b>test</b>" in text

            # a building popup: use, floors and their sources, GIA, benchmark, confidence
            page.locator("path.hm-building").nth(2).click(force=True)
            popup = page.locator(".leaflet-popup-content")
            popup.wait_for(timeout=5000)
            body = popup.inner_text()
            for needle in (
                "civic <i>hall</i>",
                "Floors\t4",
                "default",
                "6,400",
                "Benchmark",
                "Confidence\tlow <b>!</b>",
                "95",
            ):
                assert needle in body, (needle, body)
            page.locator(".leaflet-popup-close-button").first.click()
            popup.wait_for(state="detached", timeout=5000)

            # HNPD popup with Ref ID and operator as plain text
            page.locator("path.hm-existing").nth(1).click(force=True)
            popup.wait_for(timeout=5000)
            body = popup.inner_text()
            assert "HN002" in body and XSS_SCRIPT in body, body
            assert page.locator(".leaflet-popup-content img").count() == 0
            assert page.evaluate("typeof window.__xss") == "undefined"
            assert not errors, errors
        finally:
            browser.close()
