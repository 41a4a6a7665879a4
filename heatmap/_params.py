"""Build frozen parameter dataclasses from plain mappings (TOML tables) with validation.

Each pipeline stage declares its parameters as a frozen dataclass whose fields carry a default and
``metadata={"doc": "...", "source": "..."}``. :func:`params_from_mapping` builds one from a
mapping, checking every key against the field's type annotation and naming the key on failure;
:func:`params_to_toml` writes the defaults back as a commented TOML table for ``heatmap init``.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from collections.abc import Mapping
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from heatmap.errors import ConfigError

T = TypeVar("T")

__all__ = ["param_doc", "param_field", "params_from_mapping", "params_to_toml"]


def param_field(default: T, doc: str, source: str = "") -> T:
    """Declare one parameter of a stage's frozen dataclass, with its doc and source.

    The one helper every stage uses for its scenario keys: ``heatmap init`` writes ``doc`` and
    ``source`` as the comment above the key, and :func:`params_from_mapping` names the key when a
    value is rejected. Typed as the default, so a field reads ``x_m: float = param_field(5.0,
    "gap, m")`` with no ``type: ignore``. Mutable defaults (lists, dicts) are copied per instance.

    Parameters
    ----------
    default
        The value when the scenario does not give one.
    doc
        What the key means, with its unit.
    source
        Where the default comes from (a study table, a standard), or empty.

    Returns
    -------
    field
        A :func:`dataclasses.field` carrying the metadata.

    Examples
    --------
    >>> from dataclasses import dataclass, fields
    >>> @dataclass(frozen=True)
    ... class P:
    ...     gap_m: float = param_field(50.0, "largest gap, m", "study 5.3")
    >>> P().gap_m, fields(P)[0].metadata["source"]
    (50.0, 'study 5.3')
    """
    metadata = {"doc": doc, "source": source}
    if isinstance(default, (list, dict, set)):
        factory = type(default)
        value = default
        return dataclasses.field(default_factory=lambda: factory(value), metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if tp is float:
        return "a number"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is str:
        return "a string"
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (tuple, list):
        return "an array"
    if origin in (dict, Mapping) or tp is dict:
        return "a table"
    if dataclasses.is_dataclass(tp):
        return "a table"
    if origin in (Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp) if a is not type(None))
    return getattr(tp, "__name__", str(tp))


def _fail(key: str, tp: Any, value: Any) -> ConfigError:
    msg = f"scenario key {key!r}: expected {_type_name(tp)}, got {value!r} ({type(value).__name__})"
    return ConfigError(msg)


def _coerce_union(value: Any, tp: Any, key: str) -> Any:
    args = get_args(tp)
    if value is None and type(None) in args:
        return None
    for arg in args:
        if arg is type(None):
            continue
        try:
            return _coerce(value, arg, key)
        except ConfigError:
            continue
    msg = f"scenario key {key!r}: expected {_type_name(tp)}, got {value!r}"
    raise ConfigError(msg)


def _coerce_scalar(value: Any, tp: Any, key: str) -> Any:
    """Coerce to bool, int, float, str or a Literal."""
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if tp is bool and isinstance(value, bool):
        return value
    if tp is int and is_number and isinstance(value, int):
        return value
    if tp is float and is_number:
        if not math.isfinite(float(value)):
            msg = f"scenario key {key!r}: expected a finite number, got {value!r}"
            raise ConfigError(msg)
        return float(value)
    if tp is str and isinstance(value, str):
        return value
    if get_origin(tp) is Literal and value in get_args(tp):
        return value
    raise _fail(key, tp, value)


def _coerce_tuple(value: Any, tp: Any, key: str) -> tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise _fail(key, tp, value)
    args = get_args(tp)
    if len(args) == 2 and args[1] is Ellipsis:
        return tuple(_coerce(v, args[0], f"{key}[{i}]") for i, v in enumerate(value))
    if len(args) != len(value):
        msg = f"scenario key {key!r}: expected {len(args)} values, got {len(value)}"
        raise ConfigError(msg)
    return tuple(
        _coerce(v, a, f"{key}[{i}]") for i, (v, a) in enumerate(zip(value, args, strict=True))
    )


def _coerce_mapping(value: Any, tp: Any, key: str) -> dict[Any, Any]:
    if not isinstance(value, Mapping):
        raise _fail(key, tp, value)
    kt, vt = get_args(tp) or (str, Any)
    return {_coerce(k, kt, f"{key}.{k}"): _coerce(v, vt, f"{key}.{k}") for k, v in value.items()}


def _coerce_dataclass(value: Any, tp: Any, key: str) -> Any:
    if isinstance(value, Mapping):
        return params_from_mapping(tp, value, section=key)
    if isinstance(value, tp):
        return value
    raise _fail(key, tp, value)


def _coerce(value: Any, tp: Any, key: str) -> Any:
    """Return ``value`` converted to type ``tp`` or raise ConfigError naming ``key``."""
    origin = get_origin(tp)
    if tp is Any:
        return value
    if origin in (Union, types.UnionType):
        return _coerce_union(value, tp, key)
    if tp in (bool, int, float, str) or origin is Literal:
        return _coerce_scalar(value, tp, key)
    if origin is tuple:
        return _coerce_tuple(value, tp, key)
    if origin in (dict, Mapping) or origin is typing.Mapping:
        return _coerce_mapping(value, tp, key)
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return _coerce_dataclass(value, tp, key)
    msg = f"scenario key {key!r}: unsupported parameter type {tp!r}"
    raise TypeError(msg)


def params_from_mapping(cls: type[T], mapping: Mapping[str, Any], *, section: str = "") -> T:
    """Build the frozen dataclass ``cls`` from ``mapping``, validating every key.

    Parameters
    ----------
    cls
        A dataclass type whose fields all have defaults.
    mapping
        Keys and values, e.g. one table of a TOML scenario file. Missing keys take the defaults.
    section
        Dotted name of the table, used in error messages (``"dispatch"``).

    Returns
    -------
    params
        An instance of ``cls``.

    Raises
    ------
    ConfigError
        On an unknown key (the message lists the valid ones), a value of the wrong type, or a
        value that the dataclass's ``__post_init__`` rejects with ``ValueError``.
    """
    if not dataclasses.is_dataclass(cls):  # pragma: no cover - programming error
        msg = f"{cls!r} is not a dataclass"
        raise TypeError(msg)
    if not isinstance(mapping, Mapping):
        msg = f"scenario key {section!r}: expected a table, got {mapping!r}"
        raise ConfigError(msg)
    hints = get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(mapping) - set(fields))
    prefix = f"{section}." if section else ""
    if unknown:
        msg = (
            f"unknown scenario key(s) {', '.join(prefix + k for k in unknown)}; "
            f"valid keys{' in [' + section + ']' if section else ''}: {', '.join(sorted(fields))}"
        )
        raise ConfigError(msg)
    kwargs = {name: _coerce(value, hints[name], prefix + name) for name, value in mapping.items()}
    try:
        return cls(**kwargs)
    except ConfigError:
        raise
    except (ValueError, TypeError) as exc:
        msg = f"scenario table [{section or cls.__name__}]: {exc}"
        raise ConfigError(msg) from exc


def param_doc(cls: type[Any], name: str) -> str:
    """Return the ``doc`` metadata of field ``name`` of dataclass ``cls`` ("" if none)."""
    for f in dataclasses.fields(cls):
        if f.name == name:
            return str(f.metadata.get("doc", ""))
    msg = f"{cls.__name__} has no field {name!r}"
    raise KeyError(msg)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}"'
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f'"{k}" = {_toml_value(v)}' for k, v in value.items()) + " }"
    msg = f"cannot write {value!r} as TOML"
    raise TypeError(msg)


def params_to_toml(params: Any, *, section: str, commented_out: bool = False) -> str:
    """Write a parameter dataclass instance as a commented TOML table.

    Parameters
    ----------
    params
        Dataclass instance.
    section
        Table name (``"dispatch"``).
    commented_out
        Write ``# key = value`` lines so the file documents defaults without pinning them.

    Returns
    -------
    text
        TOML text; each key is preceded by its ``doc`` and ``source`` metadata as comments.
        ``None`` values are written as comments since TOML has no null.
    """
    lines = [f"[{section}]"]
    nested: list[str] = []
    for f in dataclasses.fields(params):
        value = getattr(params, f.name)
        doc = f.metadata.get("doc", "")
        source = f.metadata.get("source", "")
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            nested.append(
                params_to_toml(value, section=f"{section}.{f.name}", commented_out=commented_out)
            )
            continue
        if doc:
            lines.append(f"# {doc}")
        if source:
            lines.append(f"# source: {source}")
        if value is None:
            lines.append(f"# {f.name} =   (not set)")
        else:
            lead = "# " if commented_out else ""
            lines.append(f"{lead}{f.name} = {_toml_value(value)}")
    return "\n".join(lines) + "\n" + ("\n" + "\n".join(nested) if nested else "")
