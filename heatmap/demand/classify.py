"""Building use from OSM tags: domestic, non-domestic (with its CIBSE TM46 category) or excluded.

Every lookup runs once per distinct tag value, then spreads to the buildings by array indexing.
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from heatmap.demand.benchmarks import column, frame_of, tag_table
from heatmap.demand.params import UNHEATED_BUILDING_TYPES
from heatmap.schema import BuildingUse

logger = logging.getLogger(__name__)

__all__ = ["NON_DOMESTIC_TAG_KEYS", "classify_tags"]

NON_DOMESTIC_TAG_KEYS = ("amenity", "healthcare", "leisure", "tourism", "office", "shop")


def _factorize_clean(
    values: pd.Series, missing: frozenset[str] = frozenset({"", "no", "none", "nan"})
) -> tuple[np.ndarray, list[str | None]]:
    """Factorise a tag column; return codes and the cleaned (lower-case) unique values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    cleaned: list[str | None] = []
    for u in uniques:  # loops over distinct tag values, not over buildings
        v = str(u).strip().lower()
        cleaned.append(None if v in missing else v)
    return codes, cleaned


def _unheated_rows(unheated: tuple[str, ...], columns: pd.Index) -> pd.DataFrame:
    """Tag-table rows that exclude each unheated ``building=*`` value with its reason."""
    rows = pd.DataFrame(
        {
            "osm_key": "building",
            "osm_value": [v.strip().lower() for v in unheated],
            "use": BuildingUse.EXCLUDED.value,
            "tm46_category": "",
            "property_type": "",
            "exclusion_reason": [f"building={v.strip().lower()} is unheated" for v in unheated],
            "source": "[demand] unheated_building_types",
        }
    )
    return rows.reindex(columns=columns, fill_value="")


def classify_tags(
    frame: pd.DataFrame,
    *,
    untagged_use: str,
    untagged_category: str,
    unheated: tuple[str, ...] = UNHEATED_BUILDING_TYPES,
) -> pd.DataFrame:
    """Classify buildings into use, TM46 category, tagged property type and exclusion reason.

    Order: an unheated ``building=*`` value (``unheated``: shed, garage, barn, ...) first;
    then the first non-domestic key with a mapped value in the order amenity, healthcare,
    leisure, tourism, office, shop; then ``building=*``; anything left (``building=yes`` or
    unmapped values) takes ``untagged_use``. Lookups run once per distinct tag value, then
    spread by array indexing.

    Returns
    -------
    classes
        Columns ``use``, ``tm46_category``, ``tag_property_type``, ``exclusion_reason``,
        ``class_tag`` (``key=value`` that decided) and ``use_source`` (``tags`` where a tag
        decided, ``default`` where ``untagged_use`` was taken).
    """
    table = tag_table().astype(object).fillna("")
    table = table[table["use"] != "excluded"]
    n = len(frame)
    use = np.full(n, "", dtype=object)
    cat = np.full(n, "", dtype=object)
    ptype = np.full(n, "", dtype=object)
    reason = np.full(n, "", dtype=object)
    decided = np.full(n, "", dtype=object)
    # building=no ("not a building") is kept: it is one of the unheated types
    b_codes, b_clean = _factorize_clean(
        column(frame, "building_tag"), frozenset({"", "none", "nan"})
    )

    def apply(key: str, codes: np.ndarray, cleaned: list[str | None], rows: pd.DataFrame) -> None:
        lookup = {r.osm_value: r for r in rows.itertuples(index=False)}
        wildcard = lookup.get("*")
        m = len(cleaned)
        u_use = np.full(m + 1, "", dtype=object)  # last slot: missing value (code -1)
        u_cat, u_pt, u_reason, u_tag = (np.full(m + 1, "", dtype=object) for _ in range(4))
        for i, v in enumerate(cleaned):
            if v is None:
                continue
            r = lookup.get(v, wildcard)
            if r is None:
                continue
            u_use[i], u_cat[i], u_tag[i] = r.use, r.tm46_category, f"{key}={v}"
            if r.osm_value != "*":
                u_pt[i], u_reason[i] = r.property_type, r.exclusion_reason
        free = use == ""
        hit = free & (u_use[codes] != "")
        use[hit] = u_use[codes[hit]]
        cat[hit] = u_cat[codes[hit]]
        ptype[hit] = u_pt[codes[hit]]
        reason[hit] = u_reason[codes[hit]]
        decided[hit] = u_tag[codes[hit]]

    bt = table[table["osm_key"] == "building"]
    apply("building", b_codes, b_clean, _unheated_rows(unheated, bt.columns))
    for key in NON_DOMESTIC_TAG_KEYS:
        codes, cleaned = _factorize_clean(column(frame, key))
        apply(key, codes, cleaned, table[table["osm_key"] == key])
    apply("building", b_codes, b_clean, bt[bt["use"] != "excluded"])
    rest = use == ""
    use[rest] = untagged_use
    if untagged_use == "non_domestic":
        cat[rest] = untagged_category
    b_label = np.array(
        [f"building={v}" if v else "building=(none)" for v in b_clean] + ["building=(none)"],
        dtype=object,
    )
    decided[rest] = b_label[b_codes[rest]]
    return frame_of(
        {
            "use": use,
            "tm46_category": cat,
            "tag_property_type": ptype,
            "exclusion_reason": reason,
            "class_tag": decided,
            "use_source": np.where(rest, "default", "tags").astype(object),
        },
        frame.index,
    )
