"""OSM XML checked before parsing: clipped ways dropped, decompression bombs refused quickly."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from heatmap.errors import InputError
from heatmap.ingest import read_osm
from heatmap.ingest.xml_guard import MAX_RUN_BYTES, guarded_xml

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
NODES = "".join(
    f' <node id="{i}" lat="{lat}" lon="{lon}"/>\n'
    for i, (lat, lon) in enumerate(
        [(51.5, -0.1), (51.5, -0.0995), (51.5003, -0.0995), (51.5003, -0.1), (51.4999, -0.101),
         (51.4999, -0.098)],
        start=1,
    )
)  # fmt: skip
HOUSE = (
    ' <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/><nd ref="4"/><nd ref="1"/>'
    '<tag k="building" v="house"/></way>\n'
)
ROAD = ' <way id="11"><nd ref="5"/><nd ref="6"/><tag k="highway" v="residential"/></way>\n'
CLIPPED = (
    ' <way id="12"><nd ref="1"/><nd ref="99"/><nd ref="2"/><nd ref="1"/>'
    '<tag k="building" v="office"/></way>\n'
)


def _write(path: Path, body: str) -> Path:
    path.write_text(HEAD + NODES + body + "</osm>\n", encoding="utf-8")
    return path


def test_a_way_with_a_missing_node_is_dropped_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = _write(tmp_path / "clipped.osm", HOUSE + CLIPPED + ROAD)
    area = read_osm(path)
    assert list(area.buildings.index) == ["way/10"]
    assert len(area.streets) == 1
    assert "1 way(s) refer to nodes missing" in caplog.text
    assert not list(Path(path.parent).glob("heatmap-clean-*"))


def test_a_whole_file_is_read_as_it_is(tmp_path: Path) -> None:
    path = _write(tmp_path / "whole.osm", HOUSE + ROAD)
    assert guarded_xml(path, max_input_mb=10) == (path, 0)


def test_a_huge_value_in_a_small_gzip_is_refused_early(tmp_path: Path) -> None:
    # a name of 50 MB: the reader stops one MB into it, long before the parser would hold it
    path = tmp_path / "bomb.osm.gz"
    with gzip.open(path, "wb") as f:
        f.write((HEAD + NODES).encode())
        f.write(b' <way id="10"><tag k="name" v="')
        for _ in range(50):
            f.write(b"A" * 1_000_000)
        f.write(b'"/></way>\n</osm>\n')
    assert path.stat().st_size < 200_000
    with pytest.raises(InputError, match=f"runs over {MAX_RUN_BYTES:,} bytes"):
        guarded_xml(path, max_input_mb=4096)


def test_a_file_larger_than_the_cap_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path / "big.osm", HOUSE + ROAD + "<!-- padding -->\n" * 100_000)
    with pytest.raises(InputError, match="more than 1 MB of XML once decompressed"):
        guarded_xml(path, max_input_mb=1)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        b, n = n & 0x7F, n >> 7
        out.append(b | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(num: int, payload: bytes) -> bytes:
    return _varint(num << 3 | 2) + _varint(len(payload)) + payload


def _pbf_block(kind: str, raw_size: int, zdata: bytes) -> bytes:
    blob = _varint(2 << 3 | 0) + _varint(raw_size) + _field(3, zdata)
    header = _field(1, kind.encode()) + _varint(3 << 3 | 0) + _varint(len(blob))
    return len(header).to_bytes(4, "big") + header + blob


def test_a_pbf_block_that_inflates_beyond_the_format_limit_is_refused(tmp_path: Path) -> None:
    import zlib

    from heatmap.ingest.pbf import MAX_BLOB_BYTES, check_pbf

    bomb = zlib.compress(b"\0" * (MAX_BLOB_BYTES + 1024), 9)  # about 33 MiB from ~33 kB
    small = zlib.compress(b"\0" * 100)
    for raw_size in (MAX_BLOB_BYTES + 1024, 100):  # claimed honestly, or understated
        path = tmp_path / f"bomb{raw_size}.osm.pbf"
        head = _pbf_block("OSMHeader", 100, small)
        path.write_bytes(head + _pbf_block("OSMData", raw_size, bomb))
        with pytest.raises(InputError, match="block 2 does not decompress"):
            check_pbf(path)
    good = tmp_path / "good.osm.pbf"
    good.write_bytes(_pbf_block("OSMHeader", 100, small) + _pbf_block("OSMData", 100, small))
    check_pbf(good)


def _block_ends(data: bytes) -> list[int]:
    import struct

    from heatmap.ingest.pbf import _blob_header

    ends, pos = [], 0
    while pos < len(data):
        (header_len,) = struct.unpack(">I", data[pos : pos + 4])
        _, size = _blob_header(data[pos + 4 : pos + 4 + header_len])
        pos += 4 + header_len + size
        ends.append(pos)
    return ends


def test_a_pbf_cut_between_blocks_before_its_relations_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from heatmap.ingest.examples import default_example_path
    from heatmap.ingest.pbf import check_pbf

    data = default_example_path().read_bytes()
    check_pbf(default_example_path())
    assert "cut short" not in caplog.text
    cut = tmp_path / "cut.osm.pbf"
    cut.write_bytes(data[: _block_ends(data)[-2]])  # drop the last block: the relations
    check_pbf(cut)
    assert "cut.osm.pbf ends with a block of ways and no relations follow" in caplog.text
