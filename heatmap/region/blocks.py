"""Nested cuts of a region's extract: a quad-tree of blocks, so no tile reads the whole file.

Cutting a tile reads its source file through. With many tiles the region is cut in levels: the
region into four blocks, each block into four, and so on until a block holds at most
``leaf_tiles`` tiles; a tile then cuts itself out of its leaf block. Every level reads the region's
data about once, so the cuts cost about ``n log n`` rather than a read of the whole file per
block or tile. A block's box is the union of its tiles' read boxes, so it holds everything its
tiles would find in the whole file (a way with a node in the box is kept whole).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from heatmap.region.tiling import Tile

__all__ = ["LEAF_TILES", "REGION", "Block", "BlockTree", "block_tree", "cut_tree"]

LEAF_TILES = 4
"""A block is split no further once it holds at most this many tiles."""

REGION = "region"
"""The id standing for the region's own file, the parent of the top blocks."""


@dataclass(frozen=True)
class Block:
    """A block of tiles: its id, its parent's id (or :data:`REGION`), its depth and tiles."""

    block_id: str
    parent: str
    depth: int
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class BlockTree:
    """The blocks to cut, parents before children, and the leaf block each tile cuts from.

    Attributes
    ----------
    blocks
        Every block, parents first (empty when the tiles are few enough to read the region).
    leaf_of
        Tile id -> id of the block it cuts itself from (:data:`REGION` for the whole file).
    """

    blocks: tuple[Block, ...]
    leaf_of: dict[str, str]

    def levels(self) -> list[list[Block]]:
        """The blocks by depth, top level first (each level cuts from the one before)."""
        out: list[list[Block]] = []
        for b in self.blocks:
            while len(out) < b.depth:
                out.append([])
            out[b.depth - 1].append(b)
        return out


def _halves(lo: int, hi: int) -> list[tuple[int, int]]:
    if hi - lo <= 1:
        return [(lo, hi)]
    mid = (lo + hi) // 2
    return [(lo, mid), (mid, hi)]


def block_tree(tiles: list[Tile], *, leaf_tiles: int = LEAF_TILES) -> BlockTree:
    """Split the tile grid into a quad-tree of blocks of at most ``leaf_tiles`` tiles.

    Examples
    --------
    Five by five tiles: four blocks, then the blocks of more than four tiles in four again.

    >>> from heatmap.region.tiling import tile_grid
    >>> tiles = tile_grid((0.0, 0.0, 5000.0, 5000.0), tile_km=1.0, halo_m=0.0)
    >>> tree = block_tree(tiles)
    >>> [[(b.block_id, len(b.tiles)) for b in level] for level in tree.levels()]
    [[('B0', 4), ('B1', 6), ('B2', 6), ('B3', 9)], [('B10', 1), ('B11', 2), ('B12', 1), \
('B13', 2), ('B20', 1), ('B21', 1), ('B22', 2), ('B23', 2), ('B30', 1), ('B31', 2), ('B32', 2), \
('B33', 4)]]
    >>> tree.leaf_of["T000_000"], tree.leaf_of["T004_004"]
    ('B0', 'B33')
    >>> block_tree(tiles[:4]).blocks  # few tiles read the region's file
    ()
    """
    if leaf_tiles < 1:
        msg = f"leaf_tiles must be >= 1, got {leaf_tiles}"
        raise ValueError(msg)
    leaf_of = {t.tile_id: REGION for t in tiles}
    blocks: list[Block] = []
    if len(tiles) <= leaf_tiles:
        return BlockTree((), leaf_of)
    cols = (min(t.col for t in tiles), max(t.col for t in tiles) + 1)
    rows = (min(t.row for t in tiles), max(t.row for t in tiles) + 1)
    # breadth first, so parents come before children and ids follow the quadrants
    # (each block's tiles are sought among its parent's, not the whole grid's)
    queue: deque[tuple[str, str, int, tuple[int, int], tuple[int, int], list[Tile]]] = deque(
        [("B", REGION, 0, cols, rows, tiles)]
    )
    while queue:
        name, parent, depth, (c0, c1), (r0, r1), among = queue.popleft()
        inside = [t for t in among if c0 <= t.col < c1 and r0 <= t.row < r1]
        if depth:
            blocks.append(Block(name, parent, depth, tuple(inside)))
            for t in inside:
                leaf_of[t.tile_id] = name
        if len(inside) <= leaf_tiles:
            continue
        quarters = [(cc, rr) for rr in _halves(r0, r1) for cc in _halves(c0, c1)]
        k = 0
        for cc, rr in quarters:
            if any(cc[0] <= t.col < cc[1] and rr[0] <= t.row < rr[1] for t in inside):
                queue.append((f"{name}{k}", name if depth else REGION, depth + 1, cc, rr, inside))
                k += 1
    return BlockTree(tuple(blocks), leaf_of)


def cut_tree(
    tree: BlockTree,
    region_file: str,
    cut_level: Callable[[list[tuple[str, Block]], int], list[str]],
) -> dict[str, str]:
    """Cut the blocks level by level; the file each tile cuts itself from.

    Parameters
    ----------
    tree
        The blocks (:func:`block_tree`).
    region_file
        The region's extract.
    cut_level
        ``cut_level([(source file, block), ...], depth)`` cuts one level's blocks, each out of
        its parent's file, and returns their files in the same order.
    """
    files = {REGION: region_file}
    for depth, level in enumerate(tree.levels(), start=1):
        made = cut_level([(files[b.parent], b) for b in level], depth)
        files.update({b.block_id: f for b, f in zip(level, made, strict=True)})
    return {tile_id: files[leaf] for tile_id, leaf in tree.leaf_of.items()}
