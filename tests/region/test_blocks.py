"""Nested block cuts: every tile finds in its block what it would find in the whole extract."""

from __future__ import annotations

from pathlib import Path

import osmium
import pyproj
import pytest

from heatmap.ingest.pbf import pbf_bbox
from heatmap.pipeline.scenario import Scenario
from heatmap.region.blocks import REGION, Block, block_tree, cut_tree
from heatmap.region.extract import cut_to, extract_bbox
from heatmap.region.run import plan_tiles
from heatmap.region.synthetic import write_synthetic_region
from heatmap.region.tiling import read_bbox_of, tile_grid


@pytest.mark.parametrize(("nx", "ny"), [(1, 7), (3, 3), (5, 4), (9, 2), (12, 11)])
def test_every_tile_has_one_leaf_block_of_at_most_four_tiles_inside_its_parents(
    nx: int, ny: int
) -> None:
    tiles = tile_grid((0.0, 0.0, nx * 1000.0, ny * 1000.0), tile_km=1.0, halo_m=0.0)
    tree = block_tree(tiles)
    by_id = {b.block_id: b for b in tree.blocks}
    assert set(tree.leaf_of) == {t.tile_id for t in tiles}
    seen = {REGION}
    for b in tree.blocks:  # parents before children, and a child's tiles are its parent's
        assert b.parent in seen
        seen.add(b.block_id)
        if b.parent != REGION:
            assert set(b.tiles) <= set(by_id[b.parent].tiles)
    for t in tiles:
        leaf = tree.leaf_of[t.tile_id]
        if leaf == REGION:
            assert len(tiles) <= 4
            continue
        assert t in by_id[leaf].tiles
        assert len(by_id[leaf].tiles) <= 4
    # each level splits the tiles among its blocks (a level may end early on some branches)
    for level in tree.levels():
        ids = [t.tile_id for b in level for t in b.tiles]
        assert len(ids) == len(set(ids))


def _ids(path: Path) -> set[tuple[str, int]]:
    out = set()
    for obj in osmium.FileProcessor(str(path)):
        out.add((obj.type_str(), obj.id))
    return out


def test_a_tile_cut_from_its_block_equals_the_tile_cut_from_the_region(tmp_path: Path) -> None:
    region = tmp_path / "region.osm.pbf"
    write_synthetic_region(region, 600, seed=9)
    crs, tiles = plan_tiles(region, Scenario(name="t"), tile_km=0.4, halo_m=150.0)
    tree = block_tree(tiles)
    assert len(tree.levels()) >= 2  # nested: some blocks are cut out of blocks

    def cut_level(level: list[tuple[str, Block]], depth: int) -> list[str]:
        return [
            cut_to(src, read_bbox_of(list(b.tiles), crs), str(tmp_path / f"{b.block_id}.osm.pbf"))
            for src, b in level
        ]

    source = cut_tree(tree, str(region), cut_level)
    with_objects = 0
    for t in tiles:
        bbox = t.read_bbox_deg(pyproj.CRS.from_user_input(crs))
        direct, nested = tmp_path / "direct.osm.pbf", tmp_path / "nested.osm.pbf"
        extract_bbox(region, bbox, direct)
        extract_bbox(source[t.tile_id], bbox, nested)
        a, b = _ids(direct), _ids(nested)
        assert a == b, t.tile_id
        with_objects += bool(a)
    assert with_objects >= 4


def test_a_cut_keeps_every_way_with_a_node_inside_its_box(tmp_path: Path) -> None:
    region = tmp_path / "region.osm.pbf"
    write_synthetic_region(region, 400, seed=5)
    w, s, e, n = (float(v) for v in pbf_bbox(region))
    dx, dy = (e - w) / 3, (n - s) / 3
    boxes = [  # boxes whose edges cut through streets and buildings, and the whole region
        (w + dx * 0.5, s + dy * 0.5, w + dx * 1.7, s + dy * 1.6),
        (w + dx * 1.2, s + dy * 1.1, w + dx * 2.9, s + dy * 2.3),
        (w, s, e, n),
    ]
    # the rule, checked way by way with libosmium's own Box.contains
    want: list[set[int]] = [set() for _ in boxes]
    for way in (
        osmium.FileProcessor(str(region))
        .with_locations()
        .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
    ):
        for i, b in enumerate(boxes):
            box = osmium.osm.Box(*b)
            if any(box.contains(nd.location) for nd in way.nodes if nd.location.valid()):
                want[i].add(way.id)
    for i, b in enumerate(boxes):
        dst = tmp_path / f"b{i}.osm.pbf"
        counts = extract_bbox(region, b, dst)
        assert counts["ways"] == len(want[i])
        got = {obj.id for obj in osmium.FileProcessor(str(dst)) if obj.type_str() == "w"}
        assert want[i] <= got  # every way with a node inside (plus the relations' members)
        assert 0 < len(want[i]) < len(want[2]) or i == 2
