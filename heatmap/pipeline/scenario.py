"""The scenario: every value a user may change, loaded from one TOML file with validated defaults.

A scenario file has an optional top-level ``name`` and one table per pipeline stage
(``[area]``, ``[demand]``, ``[density]``, ``[cluster]``, ``[network]``, ``[route]``, ``[sizing]``,
``[costing]``, ``[dispatch]``, ``[economics]``). Every key has a default, the Killingworth
study's value where the study gives one; each stage documents its keys on its parameter dataclass
and ``heatmap init`` writes them all, commented, into a new file. Unknown keys, wrong types and
out-of-range values raise :class:`~heatmap.errors.ConfigError` naming the key.
"""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from heatmap._io import atomic_path, safe_dirname
from heatmap._params import params_from_mapping, params_to_toml
from heatmap.demand import DemandParams
from heatmap.design import CostParams, SizingParams
from heatmap.economics import EconomicsParams
from heatmap.errors import ConfigError, InputError
from heatmap.pipeline.candidate_params import CandidateParams
from heatmap.plant import DispatchParams
from heatmap.routing import NetworkParams, RouteParams
from heatmap.zones import ClusterParams, DensityParams
from heatmap.zones.zone_params import ZoneParams

__all__ = [
    "PATH_KEYS",
    "AreaParams",
    "Scenario",
    "load_scenario",
    "scenario_from_mapping",
    "scenario_with_inputs",
    "write_template",
]

PATH_KEYS = (
    "osm_path",
    "buildings_path",
    "streets_path",
    "demand_layer_path",
    "weather_path",
    "existing_networks_path",
    "energy_centre_candidates_path",
    "include_polygon_path",
    "exclude_polygon_path",
)
"""The ``[area]`` keys that name input files (relative to the scenario file's folder)."""


@dataclass(frozen=True)
class AreaParams:
    """Where the study area's data come from (table ``[area]``).

    Exactly one source of buildings and streets is used, in this order: ``osm_path``;
    ``buildings_path`` with ``streets_path``; ``place``; ``bbox``; else the bundled example.
    Relative paths are resolved against the scenario file's folder.
    """

    osm_path: str | None = field(
        default=None,
        metadata={
            "doc": "OpenStreetMap extract (.osm.pbf or .osm XML); unset: the bundled example; "
            "empty: to be set (a run stops until it is)"
        },
    )
    buildings_path: str | None = field(
        default=None, metadata={"doc": "buildings layer (GeoPackage, shapefile or GeoJSON)"}
    )
    streets_path: str | None = field(
        default=None, metadata={"doc": "streets layer (GeoPackage, shapefile or GeoJSON)"}
    )
    place: str | None = field(
        default=None, metadata={"doc": "place name to download from OpenStreetMap (online)"}
    )
    bbox: tuple[float, float, float, float] | None = field(
        default=None,
        metadata={"doc": "W, S, E, N in degrees: crop the extract to it, or download it"},
    )
    crs: str | None = field(
        default=None,
        metadata={
            "doc": "projected CRS to work in (e.g. 'EPSG:27700'); unset: British National Grid "
            "in Great Britain, else the local UTM zone"
        },
    )
    demand_layer_path: str | None = field(
        default=None,
        metadata={"doc": "known (metered) demand, CSV or GeoJSON; wins over modelled values"},
    )
    weather_path: str | None = field(
        default=None,
        metadata={"doc": "EnergyPlus weather file (.epw); unset: synthetic typical UK year"},
    )
    existing_networks_path: str | None = field(
        default=None,
        metadata={
            "doc": "existing heat networks, e.g. the DESNZ Heat Network Planning Database CSV"
        },
    )
    energy_centre: tuple[float, float] | None = field(
        default=None,
        metadata={"doc": "energy-centre site as [lon, lat]; unset: chosen automatically"},
    )
    energy_centre_candidates_path: str | None = field(
        default=None,
        metadata={"doc": "candidate energy-centre sites (points layer); the cheapest is chosen"},
    )
    max_input_mb: float = field(
        default=4096.0,
        metadata={
            "doc": "largest input file accepted, MB: every input file on disk, and an "
            "OpenStreetMap XML file once decompressed (a small .osm.gz can expand to gigabytes)"
        },
    )
    include_buildings: tuple[str, ...] = field(
        default=(),
        metadata={
            "doc": "building ids (as in the outputs, e.g. way/123) that must join a network: "
            "each joins the nearest candidate network as a load that must connect"
        },
    )
    exclude_buildings: tuple[str, ...] = field(
        default=(),
        metadata={"doc": "building ids left out of every stage (no demand, no connection)"},
    )
    include_polygon_path: str | None = field(
        default=None,
        metadata={"doc": "polygons (GeoJSON, GeoPackage): the buildings inside must join"},
    )
    exclude_polygon_path: str | None = field(
        default=None,
        metadata={"doc": "polygons (GeoJSON, GeoPackage): the buildings inside are left out"},
    )

    def __post_init__(self) -> None:
        if not self.max_input_mb > 0:
            msg = f"max_input_mb: must be > 0 MB, got {self.max_input_mb}"
            raise ValueError(msg)
        both = sorted(set(self.include_buildings) & set(self.exclude_buildings))
        if both:
            msg = f"include_buildings and exclude_buildings both list {both[:5]}; keep one"
            raise ValueError(msg)
        if self.bbox is not None:
            west, south, east, north = self.bbox
            if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
                msg = f"bbox: {list(self.bbox)} is not W, S, E, N in degrees with W < E and S < N"
                raise ValueError(msg)
        if self.energy_centre is not None:
            lon, lat = self.energy_centre
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                msg = f"energy_centre: {list(self.energy_centre)} is not [lon, lat] in degrees"
                raise ValueError(msg)


@dataclass(frozen=True)
class Scenario:
    """A whole run's parameters: one frozen dataclass per pipeline stage.

    Examples
    --------
    >>> s = Scenario()
    >>> s.route.lhd_threshold_mwh_per_m_a
    3.0
    """

    name: str = field(default="city-of-london-example", metadata={"doc": "scenario name"})
    area: AreaParams = field(default_factory=AreaParams)
    demand: DemandParams = field(default_factory=DemandParams)
    density: DensityParams = field(default_factory=DensityParams)
    cluster: ClusterParams = field(default_factory=ClusterParams)
    zones: ZoneParams = field(default_factory=ZoneParams)
    candidates: CandidateParams = field(default_factory=CandidateParams)
    network: NetworkParams = field(default_factory=NetworkParams)
    route: RouteParams = field(default_factory=RouteParams)
    sizing: SizingParams = field(default_factory=SizingParams)
    costing: CostParams = field(default_factory=CostParams)
    dispatch: DispatchParams = field(default_factory=DispatchParams)
    economics: EconomicsParams = field(default_factory=EconomicsParams)

    def replace(self, **changes: Any) -> Scenario:
        """Return a copy with top-level fields replaced (``dataclasses.replace``)."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the scenario as plain data (for ``summary.json``)."""
        return dataclasses.asdict(self)


def scenario_from_mapping(
    mapping: Mapping[str, Any], *, base_dir: str | Path | None = None
) -> Scenario:
    """Build a :class:`Scenario` from parsed TOML, resolving relative paths against ``base_dir``.

    Parameters
    ----------
    mapping
        Parsed scenario (top-level ``name`` and stage tables).
    base_dir
        Folder that relative input paths are relative to (the scenario file's folder).

    Returns
    -------
    scenario
        Validated scenario.

    Raises
    ------
    ConfigError
        On an unknown key, a value of the wrong type or out of range.

    Examples
    --------
    >>> s = scenario_from_mapping({"name": "demo", "route": {"lhd_threshold_mwh_per_m_a": 4.0}})
    >>> s.name, s.route.lhd_threshold_mwh_per_m_a, s.sizing.flow_temp_c
    ('demo', 4.0, 70.0)
    >>> scenario_from_mapping({"route": {"lhd_threshold": 4.0}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    heatmap.errors.ConfigError: unknown scenario key(s) route.lhd_threshold; valid keys in ...
    """
    scenario = params_from_mapping(Scenario, mapping)
    if base_dir is None:
        return scenario
    base = Path(base_dir)
    changes = {}
    for key in PATH_KEYS:
        value = getattr(scenario.area, key)
        if value and not Path(value).expanduser().is_absolute():
            changes[key] = str((base / Path(value).expanduser()).resolve())
    if changes:
        scenario = scenario.replace(area=dataclasses.replace(scenario.area, **changes))  # type: ignore[arg-type]
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a TOML scenario file.

    Parameters
    ----------
    path
        Scenario file.

    Returns
    -------
    scenario
        Validated scenario; relative input paths resolved against the file's folder.

    Raises
    ------
    InputError
        If the file is missing or unreadable.
    ConfigError
        If it is not valid TOML, or a key is unknown, mistyped or out of range (the message
        names the file and the key).

    Examples
    --------
    Keys left out keep their defaults; relative paths become absolute:

    >>> import pathlib, tempfile
    >>> toml = '''
    ... name = "demo"
    ... [area]
    ... osm_path = "data/town.osm.pbf"
    ... [route]
    ... lhd_threshold_mwh_per_m_a = 4.0
    ... '''
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "scenario.toml"
    ...     _ = path.write_text(toml)
    ...     s = load_scenario(path)
    ...     osm = pathlib.Path(s.area.osm_path)
    ...     osm_in_tmp = osm == (pathlib.Path(tmp) / "data" / "town.osm.pbf").resolve()
    >>> s.name, s.route.lhd_threshold_mwh_per_m_a, s.demand.region, osm_in_tmp
    ('demo', 4.0, 'Thames Valley', True)
    """
    file = Path(path)
    if not file.is_file():
        msg = f"scenario file {file} not found; create one with `heatmap init {file}`"
        raise InputError(msg)
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        msg = f"{file}: not valid TOML ({exc}); fix the line named or recreate with `heatmap init`"
        raise ConfigError(msg) from exc
    except UnicodeDecodeError as exc:
        msg = f"{file}: not a UTF-8 text file; a scenario is a TOML text file"
        raise ConfigError(msg) from exc
    try:
        return scenario_from_mapping(data, base_dir=file.parent)
    except ConfigError as exc:
        msg = f"{file}: {exc}"
        raise ConfigError(msg) from exc


def template_text(scenario: Scenario | None = None) -> str:
    """Return a commented TOML scenario with every key and its default.

    Parameters
    ----------
    scenario
        Values to write; the defaults when omitted.

    Returns
    -------
    text
        TOML that :func:`load_scenario` reads back to an equal scenario.

    Examples
    --------
    >>> import tomllib
    >>> text = template_text()
    >>> tables = [line for line in text.splitlines() if line.startswith("[")]
    >>> print(" ".join(tables[:6])); print(" ".join(tables[6:]))
    [area] [demand] [density] [cluster] [zones] [candidates]
    [network] [route] [sizing] [costing] [dispatch] [economics]
    >>> scenario_from_mapping(tomllib.loads(text)) == Scenario()
    True
    """
    scenario = scenario or Scenario()
    parts = [
        "# heatmap scenario file. Every key is optional: delete a line to use its default.",
        "# Units are in the key names (_m, _kw, _mwh_per_a, _gbp, _pct, _c).",
        "# Relative paths are relative to this file's folder.",
        "",
        f'name = "{scenario.name}"',
        "",
    ]
    for f in dataclasses.fields(scenario):
        value = getattr(scenario, f.name)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            doc = (type(value).__doc__ or "").strip().splitlines()[0]
            parts.append(f"# --- {doc}")
            parts.append(params_to_toml(value, section=f.name))
    return "\n".join(parts)


def write_template(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a commented scenario file with every default (``heatmap init``).

    The scenario is named after the file and its ``[area] osm_path`` is left empty: a run
    stops with a clear message until it names an extract (or ``--osm`` gives one).

    Parameters
    ----------
    path
        Where to write.
    overwrite
        Replace an existing file.

    Returns
    -------
    path
        The file written.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_template(pathlib.Path(tmp) / "my_borough.toml")
    ...     s = load_scenario(path)
    >>> s.name, s.area.osm_path, s.demand == Scenario().demand
    ('my_borough', '', True)
    """
    target = Path(path)
    scenario = Scenario(name=safe_dirname(target.stem), area=AreaParams(osm_path=""))
    with atomic_path(target, overwrite=overwrite) as tmp:
        tmp.write_text(template_text(scenario), encoding="utf-8")
    return target


def scenario_with_inputs(
    scenario: Scenario,
    *,
    osm_path: str | Path | None = None,
    place: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    crs: str | None = None,
    network: str | None = None,
    rank_by: str | None = None,
) -> Scenario:
    """Return the scenario with inputs and choices given on the command line.

    Parameters
    ----------
    scenario
        The scenario read from its file (or the default).
    osm_path, place
        An OpenStreetMap extract, or a place to download; either replaces the scenario's inputs.
    bbox
        W, S, E, N in degrees (crop or download window).
    crs
        Projected CRS to work in.
    network
        Candidate network to run the whole chain for (``[candidates] network``).
    rank_by
        Ranking criterion (``[candidates] rank_by``).

    Returns
    -------
    scenario
        A new scenario.

    Raises
    ------
    ConfigError
        When a value is out of range, naming the option.

    Examples
    --------
    >>> s = scenario_with_inputs(Scenario(), osm_path="towns.osm.pbf", rank_by="npv")
    >>> s.area.osm_path, s.candidates.rank_by
    ('towns.osm.pbf', 'npv')
    """
    if osm_path is not None and place is not None:
        msg = "give only one of --osm and --place"
        raise ConfigError(msg)
    changes: dict[str, Any] = {}
    if osm_path is not None:
        changes.update(osm_path=str(osm_path), place=None, buildings_path=None, streets_path=None)
    if place is not None:
        changes.update(place=place, osm_path=None, buildings_path=None, streets_path=None)
    if bbox is not None:
        changes["bbox"] = bbox
    if crs is not None:
        changes["crs"] = crs
    try:
        area = dataclasses.replace(scenario.area, **changes) if changes else scenario.area
        cand = scenario.candidates
        if network is not None:
            cand = dataclasses.replace(cand, network=network)
        if rank_by is not None:
            cand = dataclasses.replace(cand, rank_by=rank_by)  # type: ignore[arg-type]
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return scenario.replace(area=area, candidates=cand)
