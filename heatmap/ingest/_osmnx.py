"""osmnx settings for one block: the street tags heatmap keeps, and temporary overrides."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator
from typing import Any

from heatmap.errors import InputError
from heatmap.ingest.streets import STREET_TAGS

__all__ = ["osmnx_settings", "street_tag_settings"]


def street_tag_settings() -> dict[str, Any]:
    """The ``osmnx.settings`` that keep heatmap's street tags on a graph's edges.

    :data:`~heatmap.ingest.streets.STREET_TAGS` (``surface``, ``bridge``, ...) besides osmnx's
    own useful way tags.
    """
    import osmnx as ox

    way_tags = list(dict.fromkeys([*ox.settings.useful_tags_way, *STREET_TAGS]))
    return {"useful_tags_way": way_tags}


@contextlib.contextmanager
def osmnx_settings(**overrides: Any) -> Iterator[None]:
    """Set ``osmnx.settings`` attributes for the duration of a block, then restore them.

    osmnx also patches ``socket.getaddrinfo`` when it contacts Overpass; that is restored too.

    Parameters
    ----------
    **overrides
        Settings to change, e.g. ``overpass_url="http://127.0.0.1:8000/api"``,
        ``nominatim_url=...``, ``use_cache=False``.

    Yields
    ------
    None
        Control inside the block.
    """
    import osmnx as ox

    unknown = [k for k in overrides if not hasattr(ox.settings, k)]
    if unknown:
        msg = f"unknown osmnx settings {unknown}; see osmnx.settings for the names"
        raise InputError(msg)
    saved = {k: getattr(ox.settings, k) for k in overrides}
    getaddrinfo = socket.getaddrinfo
    try:
        for key, value in overrides.items():
            setattr(ox.settings, key, value)
        yield
    finally:
        for key, value in saved.items():
            setattr(ox.settings, key, value)
        socket.getaddrinfo = getaddrinfo
