"""Synthetic regions: towns and villages on street grids, written as an ``.osm.pbf`` extract.

For tests and benchmarks of region runs at any size (a million buildings and more) without
downloading an extract. A region is a row-by-row field of settlements: a few towns (a dense
centre of flats, offices, shops and a school or hospital, then terraced and semi-detached
streets) and many villages (detached and semi-detached houses round a small grid), joined by
country roads. Buildings stand 6 m back from their street, at realistic spacing (about 25 to 35
buildings per hectare in a town, 10 to 15 in a village).

The file is written with pyosmium in two passes over the settlements (all nodes, then all
ways), each settlement generated again from its own seed, so memory stays that of one
settlement whatever the region's size; the header carries the region's bounding box.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from heatmap.errors import InputError

__all__ = ["Settlement", "plan_settlements", "write_synthetic_region"]

M_PER_DEG_LAT = 111_320.0
TOWN_SHARE = 0.6
"""Share of the region's buildings that live in towns (the rest in villages)."""


@dataclass(frozen=True)
class Settlement:
    """One town or village: its centre (m, region frame), street grid and seed."""

    x_m: float
    y_m: float
    blocks: int
    block_m: float
    plot_m: float
    town: bool
    seed: int


@dataclass
class _Shapes:
    """A settlement's street polylines and building rectangles (m, region frame)."""

    streets: list[tuple[np.ndarray, dict[str, str]]]
    buildings: list[tuple[np.ndarray, dict[str, str]]]


def _buildings_per_block(blocks: int, block_m: float, plot_m: float) -> int:
    per_side = max(1, int((block_m - 20.0) // plot_m))
    return blocks * blocks * 4 * per_side


def plan_settlements(
    n_buildings: int, *, seed: int = 1, towns: int | None = None
) -> list[Settlement]:
    """Towns and villages that together hold about ``n_buildings`` buildings.

    ``towns`` sets the number of towns (sharing 60 % of the buildings); by default a town holds
    20,000 to 60,000 buildings and a region under 5,000 buildings has none.

    Examples
    --------
    >>> s = plan_settlements(20_000, seed=3)
    >>> sum(x.town for x in s) >= 1, len(s) > 3
    (True, True)
    """
    if n_buildings < 50:
        msg = f"a synthetic region needs at least 50 buildings, got {n_buildings}"
        raise InputError(msg)
    rng = np.random.default_rng(seed)
    sizes: list[tuple[int, bool]] = []
    town_left = int(n_buildings * TOWN_SHARE) if n_buildings >= 5000 else 0
    if towns is not None:
        town_left = 0
        sizes = [(int(n_buildings * TOWN_SHARE) // towns, True) for _ in range(towns)]
    while town_left > 0:
        n = min(town_left, int(rng.integers(20_000, 60_000)))
        sizes.append((n, True))
        town_left -= n
    village_left = n_buildings - sum(n for n, _ in sizes)
    while village_left > 0:
        n = min(village_left, int(rng.integers(300, 2500)))
        sizes.append((max(n, 50), False))
        village_left -= n
    rng.shuffle(sizes)
    spacing = 2.0 * max(_radius_m(n, t) for n, t in sizes) + 800.0
    per_row = max(1, math.ceil(math.sqrt(len(sizes))))
    out = []
    for k, (n, town) in enumerate(sizes):
        block_m, plot_m = (110.0, 11.0) if town else (130.0, 18.0)
        per_block = _buildings_per_block(1, block_m, plot_m)
        blocks = max(1, round(math.sqrt(n / per_block)))
        jitter = rng.uniform(-0.2, 0.2, size=2) * spacing
        out.append(
            Settlement(
                x_m=(k % per_row) * spacing + jitter[0],
                y_m=(k // per_row) * spacing + jitter[1],
                blocks=blocks,
                block_m=block_m,
                plot_m=plot_m,
                town=town,
                seed=int(rng.integers(0, 2**31)),
            )
        )
    return out


def _radius_m(n: int, town: bool) -> float:
    block_m, plot_m = (110.0, 11.0) if town else (130.0, 18.0)
    blocks = max(1, round(math.sqrt(n / _buildings_per_block(1, block_m, plot_m))))
    return blocks * block_m / 2.0


def _use(town: bool, d_frac: float, rng: np.random.Generator) -> tuple[dict[str, str], float]:
    """A building's tags and its footprint depth (m), by distance from the centre (0 to 1)."""
    r = rng.random()
    if town and d_frac < CENTRE:
        if r < 0.08:
            return {"building": "school", "amenity": "school"}, 40.0
        if r < 0.12:
            return {"building": "hospital", "amenity": "hospital"}, 40.0
        if r < 0.5:
            return {"building": "apartments", "building:levels": str(rng.integers(4, 9))}, 30.0
        if r < 0.8:
            return {"building": "commercial", "building:levels": str(rng.integers(3, 7))}, 35.0
        return {"building": "retail", "building:levels": "2"}, 25.0
    if town and d_frac < 0.5:
        if r < 0.1:
            return {"building": "apartments", "building:levels": "3"}, 14.0
        return {"building": "terrace", "building:levels": "2"}, 9.0
    if r < 0.5:
        return {"building": "semidetached_house"}, 9.0
    return {"building": "house" if town else "detached"}, 10.0


def _grid_ticks(s: Settlement) -> np.ndarray:
    half = s.blocks * s.block_m / 2.0
    return np.linspace(-half, half, s.blocks + 1)


CENTRE = 0.15
"""A town's centre: blocks within this share of its radius (flats, offices, shops, schools)."""


def _block_fracs(s: Settlement) -> np.ndarray:
    """Each block's distance from the centre as a share of the radius (blocks in i, j order)."""
    half = s.blocks * s.block_m / 2.0
    mid = -half + (np.arange(s.blocks) + 0.5) * s.block_m
    bx, by = np.meshgrid(mid, mid, indexing="ij")
    return np.hypot(bx, by).ravel() / max(half, 1.0)


def _n_side(s: Settlement, d_frac: float) -> int:
    """Buildings along each side of a block: a few large ones in a town centre."""
    if s.town and d_frac < CENTRE:
        return 3
    return max(1, int((s.block_m - 20.0) // s.plot_m))


def _n_nodes(s: Settlement) -> int:
    """Nodes of a settlement: street junctions, four corners per building and of its outline."""
    n = s.blocks + 1
    return n * n + 16 * sum(_n_side(s, float(d)) for d in _block_fracs(s)) + 4


def _rect(side: int, along: float, width: float, depth: float, block: float) -> np.ndarray:
    """The four corners of a footprint on one side of a block, 6 m back from its street."""
    back, far = 6.0, block - 6.0
    a0, a1 = along - width / 2, along + width / 2
    if side == 0:  # south edge
        pts = [(a0, back), (a1, back), (a1, back + depth), (a0, back + depth)]
    elif side == 1:  # north edge
        pts = [(a0, far - depth), (a1, far - depth), (a1, far), (a0, far)]
    elif side == 2:  # west edge
        pts = [(back, a0), (back + depth, a0), (back + depth, a1), (back, a1)]
    else:  # east edge
        pts = [(far - depth, a0), (far, a0), (far, a1), (far - depth, a1)]
    return np.array(pts, dtype=float)


def _streets(s: Settlement, n: int) -> list[tuple[list[int], dict[str, str]]]:
    """Streets along the block edges, sharing their junction nodes (node i * n + j)."""
    ways = []
    for k in range(n):
        main = k == n // 2
        highway = ("secondary" if s.town else "tertiary") if main else "residential"
        name = f"{'High' if main else 'Street'} {s.seed % 997}-{k}"
        ways.append(([i * n + k for i in range(n)], {"highway": highway, "name": name + " E"}))
        ways.append(([k * n + j for j in range(n)], {"highway": highway, "name": name + " N"}))
    return ways


def _settlement(s: Settlement) -> tuple[np.ndarray, list[tuple[list[int], dict[str, str]]]]:
    """A settlement's nodes (m, region frame) and its ways as lists of node numbers.

    Streets run along the block edges and share their junction nodes; each building is a closed
    ring of four nodes, 6 m back from its street.
    """
    rng = np.random.default_rng(s.seed)
    ticks = _grid_ticks(s)
    n = len(ticks)
    gx, gy = np.meshgrid(ticks, ticks, indexing="ij")
    coords = [np.column_stack([gx.ravel(), gy.ravel()])]
    ways = _streets(s, n)
    half = s.blocks * s.block_m / 2.0
    next_node = n * n
    fracs = _block_fracs(s)
    for b in range(s.blocks * s.blocks):
        bi, bj = divmod(b, s.blocks)
        x0, y0 = -half + bi * s.block_m, -half + bj * s.block_m
        d_frac = float(fracs[b])
        n_side = _n_side(s, d_frac)
        plot = (s.block_m - 20.0) / n_side
        for side in range(4):
            for k in range(n_side):
                tags, depth = _use(s.town, d_frac, rng)
                width = min(plot * 0.8, depth * 1.5) if depth < 15 else plot * 0.85
                along = 10.0 + (k + 0.5) * plot
                depth = min(depth, s.block_m / 2 - 8.0)
                corners = _rect(side, along, width, depth, s.block_m)
                coords.append(corners + np.array([x0, y0]))
                refs = list(range(next_node, next_node + 4))
                ways.append(([*refs, refs[0]], tags))
                next_node += 4
    # the settlement's outline, 20 m beyond its outer streets: its residential land use
    edge = half + 20.0
    coords.append(np.array([(-edge, -edge), (edge, -edge), (edge, edge), (-edge, edge)]))
    ways.append(([next_node, next_node + 1, next_node + 2, next_node + 3, next_node], {}))
    return np.vstack(coords) + np.array([s.x_m, s.y_m]), ways


def _country_roads(
    settlements: list[Settlement], first_node: list[int]
) -> list[tuple[list[int], dict[str, str]]]:
    """A road from each settlement's east edge to the west edge of the next in its row."""
    out = []
    order = sorted(range(len(settlements)), key=lambda k: (round(settlements[k].y_m, -3), k))
    for a, b in itertools.pairwise(order):
        na, nb = settlements[a].blocks + 1, settlements[b].blocks + 1
        east = first_node[a] + (na - 1) * na + na // 2
        west = first_node[b] + nb // 2
        out.append(([east, west], {"highway": "unclassified", "name": "Country Road"}))
    return out


def write_synthetic_region(
    path: str | Path,
    n_buildings: int,
    *,
    seed: int = 1,
    towns: int | None = None,
    origin: tuple[float, float] = (-1.90, 52.40),
) -> dict[str, float]:
    """Write a synthetic region of about ``n_buildings`` buildings as an ``.osm.pbf``.

    Parameters
    ----------
    path
        Output ``.osm.pbf`` (replaced if it exists).
    n_buildings
        About how many buildings (the settlements' grids round it).
    seed
        Random seed: the same seed writes the same file.
    towns
        How many towns (default: one per 20,000 to 60,000 buildings in towns, none under 5,000
        buildings); the rest of the buildings live in villages.
    origin
        Longitude and latitude of the region's south-west corner (default: in the West
        Midlands, so the British National Grid applies).

    Returns
    -------
    counts
        ``n_buildings``, ``n_streets``, ``n_settlements`` and the bbox (``west`` ... ``north``).
    """
    import osmium

    settlements = plan_settlements(n_buildings, seed=seed, towns=towns)
    lon0, lat0 = origin
    m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat0))
    pad = 300.0
    xs = [s.x_m for s in settlements]
    ys = [s.y_m for s in settlements]
    reach = max(s.blocks * s.block_m for s in settlements)
    x_min, y_min = min(xs) - reach - pad, min(ys) - reach - pad
    x_max, y_max = max(xs) + reach + pad, max(ys) + reach + pad

    def lonlat(pts: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [lon0 + (pts[:, 0] - x_min) / m_per_deg_lon, lat0 + (pts[:, 1] - y_min) / M_PER_DEG_LAT]
        )

    bbox = (
        lon0,
        lat0,
        lon0 + (x_max - x_min) / m_per_deg_lon,
        lat0 + (y_max - y_min) / M_PER_DEG_LAT,
    )
    header = osmium.io.Header()
    header.add_box(osmium.osm.Box(*bbox))
    first_node = [1 + int(v) for v in np.cumsum([0] + [_n_nodes(s) for s in settlements])[:-1]]
    Path(path).unlink(missing_ok=True)
    counts = {"n_buildings": 0, "n_streets": 0}
    with osmium.SimpleWriter(str(path), header=header) as out:
        for s, first in zip(settlements, first_node, strict=True):
            coords, _ = _settlement(s)
            for nid, (lon, lat) in enumerate(lonlat(coords).tolist(), start=first):
                out.add_node(osmium.osm.mutable.Node(id=nid, location=(lon, lat), version=1))
        way_id = 0
        outlines = []
        for s, first in zip(settlements, first_node, strict=True):
            for refs, tags in _settlement(s)[1]:
                way_id += 1
                nodes = [first + r for r in refs]
                out.add_way(osmium.osm.mutable.Way(id=way_id, nodes=nodes, tags=tags, version=1))
                if not tags:
                    outlines.append(way_id)
                    continue
                counts["n_buildings" if "building" in tags else "n_streets"] += 1
        for refs, tags in _country_roads(settlements, first_node):
            way_id += 1
            out.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags, version=1))
            counts["n_streets"] += 1
        for rel_id, outline in enumerate(outlines, start=1):
            out.add_relation(
                osmium.osm.mutable.Relation(
                    id=rel_id,
                    members=[("w", outline, "outer")],
                    tags={"type": "multipolygon", "landuse": "residential"},
                    version=1,
                )
            )
    return {
        **counts,
        "n_settlements": len(settlements),
        "west": bbox[0],
        "south": bbox[1],
        "east": float(bbox[2]),
        "north": float(bbox[3]),
    }
