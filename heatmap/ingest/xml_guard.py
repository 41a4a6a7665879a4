"""Check an OSM XML file before it is parsed: size caps, overlong values, clipped ways (private).

One streaming pass over the (decompressed) file:

* more than ``max_input_mb`` of XML stops the read with a clear error (a small ``.osm.gz`` can
  expand to gigabytes);
* a run of more than :data:`MAX_RUN_BYTES` bytes without a ``>`` (an attribute or tag value of
  megabytes; OpenStreetMap allows 255 characters) stops it within seconds, before the parser
  holds the value in memory;
* a way that refers to a node missing from the file (common in clipped extracts) is dropped,
  and the count reported, instead of failing the whole run.

When ways were dropped, the file is rewritten without them to a temporary file the caller
reads instead (and removes).
"""

from __future__ import annotations

import bz2
import gzip
import logging
import os
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from heatmap.errors import InputError

__all__ = ["MAX_RUN_BYTES", "guarded_xml"]

logger = logging.getLogger(__name__)

MAX_RUN_BYTES = 1_000_000
"""Longest stretch of an OSM XML file without a ``>``; a valid extract has short elements."""


class _Capped:
    """A binary reader that counts bytes and refuses what no valid extract holds."""

    def __init__(self, raw: IO[bytes], path: Path, max_bytes: int) -> None:
        self.raw, self.path, self.max_bytes = raw, path, max_bytes
        self.total = 0
        self.run = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self.raw.read(size if size and size > 0 else 1 << 20)
        self.total += len(chunk)
        if self.total > self.max_bytes:
            msg = (
                f"{self.path}: more than {self.max_bytes / 1e6:,.0f} MB of XML once "
                "decompressed; cut the extract to the study area or raise [area] max_input_mb"
            )
            raise InputError(msg)
        last = chunk.rfind(b">")
        self.run = self.run + len(chunk) if last < 0 else len(chunk) - last - 1
        if self.run > MAX_RUN_BYTES:
            msg = (
                f"{self.path}: an element or value runs over {MAX_RUN_BYTES:,} bytes near byte "
                f"{self.total:,} (OpenStreetMap allows 255 characters a value); the file is not "
                "a valid extract"
            )
            raise InputError(msg)
        return chunk


def _open(path: Path) -> IO[bytes]:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.GzipFile(path, "rb")  # type: ignore[return-value]
    if name.endswith(".bz2"):
        return bz2.BZ2File(path, "rb")
    return path.open("rb")


def _elements(path: Path, max_bytes: int) -> Iterator[tuple[str, ET.Element]]:
    with _open(path) as raw:
        reader = _Capped(raw, path, max_bytes)
        try:
            yield from ET.iterparse(reader, events=("start", "end"))
        except ET.ParseError as exc:
            msg = f"{path}: could not parse the OSM XML ({exc}); check the file"
            raise InputError(msg) from None
        except (OSError, EOFError) as exc:
            msg = f"{path}: could not read the file ({exc}); is it truncated?"
            raise InputError(msg) from None


def _broken_ways(path: Path, max_bytes: int) -> set[str]:
    """Ids of the ways that refer to a node not in the file."""
    nodes: set[str] = set()
    broken: set[str] = set()
    depth = 0
    for event, elem in _elements(path, max_bytes):
        if event == "start":
            depth += 1
            continue
        depth -= 1
        if elem.tag == "node":
            nodes.add(elem.get("id", ""))
        elif elem.tag == "way" and any(nd.get("ref") not in nodes for nd in elem.iter("nd")):
            broken.add(elem.get("id", ""))
        if depth <= 1:
            elem.clear()
    return broken


def _rewrite(path: Path, broken: set[str], max_bytes: int) -> Path:
    fd, name = tempfile.mkstemp(suffix=".osm", prefix="heatmap-clean-")
    out = Path(name)
    depth = 0
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n')
            for event, elem in _elements(path, max_bytes):
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth == 1:
                    if not (elem.tag == "way" and elem.get("id", "") in broken):
                        f.write(ET.tostring(elem, encoding="utf-8"))
                    elem.clear()
            f.write(b"</osm>\n")
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return out


def guarded_xml(path: Path, *, max_input_mb: float) -> tuple[Path, int]:
    """Check ``path`` and return the file to parse and the number of ways dropped.

    Parameters
    ----------
    path
        An OSM XML file (``.osm``, ``.osm.gz``, ``.osm.bz2``, …).
    max_input_mb
        Largest decompressed size accepted, MB.

    Returns
    -------
    path, dropped
        ``path`` itself when every way is whole, else a temporary copy without the ways that
        refer to missing nodes (the caller removes it), and how many ways were dropped.

    Raises
    ------
    InputError
        Too large once decompressed, an overlong element or value, or malformed XML.
    """
    max_bytes = int(max_input_mb * 1e6)
    broken = _broken_ways(path, max_bytes)
    if not broken:
        return path, 0
    logger.warning(
        "%s: %d way(s) refer to nodes missing from the file (a clipped extract) and were "
        "dropped, e.g. way/%s",
        path.name,
        len(broken),
        ", way/".join(sorted(broken, key=lambda x: (len(x), x))[:5]),
    )
    return _rewrite(path, broken, max_bytes), len(broken)
