"""Building use with a documented precedence, and where each building's use came from.

The first rule that gives a use wins; ``use_source`` names it:

1. ``tags`` — the building's own tags (``building``, ``amenity``, ``shop``, ``office``,
   ``tourism``, ``healthcare``, ``leisure``; :func:`heatmap.demand.classify.classify_tags`);
   unheated ``building=*`` types (``[demand] unheated_building_types``) are excluded here;
2. ``poi`` — a point of interest inside the footprint (``poi_tag`` from
   :mod:`heatmap.ingest.context`), read with the same tag table, for buildings of at most
   ``poi_max_floors`` floors and ``poi_max_footprint_m2`` (a shop on the ground floor of a
   large block does not give the block its use);
3. ``area`` — the landuse or amenity area containing the building (``area_tag``), via
   ``heatmap/data/demand_area_use.csv`` (``landuse=military`` → Workshop,
   ``landuse=farmyard`` → excluded, ``amenity=hospital`` → Hospital, ...);
4. ``name`` — keywords of the name (``Cathedral``, ``Primary School``, ``Hotel``, ...), via
   ``heatmap/data/demand_name_keywords.csv``;
5. ``shape`` — an untagged footprint above ``[demand] max_house_footprint_m2`` is not a house:
   non-domestic (``untagged_tm46_category`` when at least ``flat_min_floors`` floors are tagged,
   else ``large_low_rise_tm46_category``) and flagged;
6. ``default`` — ``[demand] untagged_use``.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from heatmap._data import bundled_csv
from heatmap.demand.benchmarks import column, frame_of
from heatmap.demand.classify import classify_tags
from heatmap.demand.params import DemandParams
from heatmap.schema import BuildingUse

__all__ = ["USE_SOURCES", "area_use_table", "classify_use", "name_keyword_table"]

#: Values of ``use_source`` in order of precedence (metered demand adds ``demand_layer``).
USE_SOURCES: tuple[str, ...] = ("tags", "poi", "area", "name", "shape", "default")


def area_use_table() -> pd.DataFrame:
    """Return the landuse/amenity area → use table (``heatmap/data/demand_area_use.csv``)."""
    return bundled_csv("demand_area_use.csv", blank_only_na=True).astype(object).fillna("")


def name_keyword_table() -> pd.DataFrame:
    """Return the name keyword → use table (``heatmap/data/demand_name_keywords.csv``)."""
    return bundled_csv("demand_name_keywords.csv", blank_only_na=True).astype(object).fillna("")


def _split_tags(tags: pd.Series) -> pd.DataFrame:
    """``key=value`` strings → a frame with one column per key (None elsewhere)."""
    text = tags.astype(object).where(tags.notna(), "")
    parts = text.astype(str).str.partition("=")
    out = pd.DataFrame(index=tags.index)
    for key in sorted(k for k in parts[0].unique() if k):
        out[key] = parts[2].where(parts[0] == key, None).astype(object)
    return out


def _area_lookup(tags: pd.Series) -> pd.DataFrame:
    """Use, category and exclusion reason for each ``area_tag`` (empty strings where none)."""
    table = area_use_table()
    exact = {(r.osm_key, r.osm_value): r for r in table.itertuples(index=False)}
    codes, uniques = pd.factorize(tags, use_na_sentinel=True)
    found = np.full((len(uniques) + 1, 3), "", dtype=object)
    for i, tag in enumerate(uniques):  # once per distinct area tag
        key, _, value = str(tag).partition("=")
        r = exact.get((key, value.lower())) or exact.get((key, "*"))
        if r is not None:
            found[i] = (r.use, r.tm46_category, r.exclusion_reason)
    rows = found[codes]
    return frame_of(
        {"use": rows[:, 0], "tm46_category": rows[:, 1], "reason": rows[:, 2]}, tags.index
    )


def _name_lookup(names: pd.Series) -> pd.DataFrame:
    """Use, category, single-volume flag and keyword for each name (empty strings where none)."""
    table = name_keyword_table()
    patterns = [
        (re.compile(rf"\b{re.escape(k.lower())}\b"), r)
        for k, r in zip(table["keyword"], table.itertuples(index=False), strict=True)
    ]
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    found = np.full((len(uniques) + 1, 4), "", dtype=object)
    for i, name in enumerate(uniques):  # once per distinct name
        text = str(name).lower()
        for pattern, r in patterns:
            if pattern.search(text):
                found[i] = (r.use, r.tm46_category, str(r.single_volume), r.keyword)
                break
    rows = found[codes]
    cols = ["use", "tm46_category", "single_volume", "keyword"]
    return frame_of({c: rows[:, i] for i, c in enumerate(cols)}, names.index)


def _tagged_floors(frame: pd.DataFrame, params: DemandParams) -> np.ndarray:
    """Floors the tags give (levels, else height / storey height), NaN where neither."""
    levels = column(frame, "building_levels", numeric=True).to_numpy()
    height = column(frame, "height_m", numeric=True).to_numpy()
    return np.where(
        np.isfinite(levels) & (levels > 0), levels, np.round(height / params.floor_height_m)
    )


def classify_use(
    frame: pd.DataFrame, *, params: DemandParams, footprint_m2: np.ndarray
) -> pd.DataFrame:
    """Classify every building's use by the precedence of this module.

    Parameters
    ----------
    frame
        Buildings with any of the ingest columns (``building_tag``, ``amenity``, ...,
        ``poi_tag``, ``area_tag``, ``name``, ``building_levels``, ``height_m``).
    params
        Demand parameters (unheated and single-volume types, untagged use, thresholds).
    footprint_m2
        Footprint area of each building (m2).

    Returns
    -------
    classes
        Columns ``use``, ``tm46_category``, ``tag_property_type``, ``exclusion_reason``,
        ``class_tag`` (what decided, e.g. ``poi amenity=pub``), ``use_source``,
        ``single_volume`` (bool) and ``use_flag`` (text, "" when nothing to flag).

    Examples
    --------
    A 40,000 m2 untagged footprint in ``landuse=military``, a barn, a pub found by its POI:

    >>> b = pd.DataFrame({"building_tag": ["yes", "barn", "yes"],
    ...                   "area_tag": ["landuse=military", None, None],
    ...                   "poi_tag": [None, None, "amenity=pub"]})
    >>> c = classify_use(b, params=DemandParams(), footprint_m2=np.array([4e4, 300.0, 90.0]))
    >>> print(c[["use", "tm46_category", "use_source"]].to_string())
                use              tm46_category use_source
    0  non_domestic                   Workshop       area
    1      excluded                                  tags
    2  non_domestic  Bar, pub or licensed club        poi
    """
    classes = classify_tags(
        frame,
        untagged_use=params.untagged_use,
        untagged_category=params.untagged_tm46_category,
        unheated=params.unheated_building_types,
    )
    use = classes["use"].to_numpy(dtype=object).copy()
    cat = classes["tm46_category"].to_numpy(dtype=object).copy()
    reason = classes["exclusion_reason"].to_numpy(dtype=object).copy()
    decided = classes["class_tag"].to_numpy(dtype=object).copy()
    source = classes["use_source"].to_numpy(dtype=object).copy()
    flag = np.full(len(frame), "", dtype=object)
    single = np.zeros(len(frame), dtype=bool)

    def take(rows: np.ndarray, values: pd.DataFrame, label: str, what: np.ndarray) -> None:
        use[rows] = values["use"].to_numpy(dtype=object)
        cat[rows] = values["tm46_category"].to_numpy(dtype=object)
        source[rows] = label
        decided[rows] = what

    rest = np.flatnonzero(source == "default")
    poi = column(frame, "poi_tag")
    if rest.size and poi.iloc[rest].notna().any():
        # a shop or pub on the ground floor of a tall or large building does not say its use
        floors = np.nan_to_num(_tagged_floors(frame.iloc[rest], params), nan=0.0)
        small = (floors <= params.poi_max_floors) & (
            footprint_m2[rest] <= params.poi_max_footprint_m2
        )
        rest = rest[small]
        sub = poi.iloc[rest]
        found = classify_tags(_split_tags(sub), untagged_use="", untagged_category="")
        hit = (found["use_source"] == "tags").to_numpy() & (found["use"] != "excluded").to_numpy()
        take(rest[hit], found[hit], "poi", ("poi " + sub[hit].astype(str)).to_numpy())
        rest = np.flatnonzero(source == "default")
    area = column(frame, "area_tag")
    if rest.size and area.iloc[rest].notna().any():
        sub = area.iloc[rest]
        found = _area_lookup(sub)
        hit = (found["use"] != "").to_numpy()
        take(rest[hit], found[hit], "area", ("area " + sub[hit].astype(str)).to_numpy())
        reason[rest[hit]] = found["reason"].to_numpy(dtype=object)[hit]
        rest = np.flatnonzero(source == "default")
    names = column(frame, "name")
    if rest.size and names.iloc[rest].notna().any():
        found = _name_lookup(names.iloc[rest])
        hit = (found["use"] != "").to_numpy()
        take(rest[hit], found[hit], "name", ("name ~ " + found["keyword"][hit]).to_numpy())
        single[rest[hit]] = found["single_volume"].to_numpy()[hit] == "1"
        rest = np.flatnonzero(source == "default")
    large = rest[footprint_m2[rest] > params.max_house_footprint_m2]
    if large.size:
        tall = _tagged_floors(frame.iloc[large], params) >= params.flat_min_floors
        use[large] = BuildingUse.NON_DOMESTIC.value
        cat[large] = np.where(
            tall, params.untagged_tm46_category, params.large_low_rise_tm46_category
        )
        source[large] = "shape"
        decided[large] = "untagged footprint above max_house_footprint_m2"
        flag[large] = np.where(
            tall,
            "large untagged footprint: taken as non-domestic",
            "large untagged low-rise footprint: taken as non-domestic, one storey unless tagged",
        )
        single[large[~tall]] = True
    codes, uniques = pd.factorize(column(frame, "building_tag"), use_na_sentinel=True)
    btag = np.array([str(u).strip().lower() for u in uniques] + [""], dtype=object)[codes]
    single |= np.isin(btag, [t.lower() for t in params.single_volume_building_types])
    single |= (decided == "amenity=place_of_worship") & np.isin(btag, ["yes", ""])
    return frame_of(
        {
            "use": use,
            "tm46_category": cat,
            "tag_property_type": classes["tag_property_type"].to_numpy(dtype=object),
            "exclusion_reason": reason,
            "class_tag": decided,
            "use_source": source,
            "single_volume": single,
            "use_flag": flag,
        },
        frame.index,
    )
