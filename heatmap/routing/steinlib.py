"""Read SteinLib ``.stp`` instances (Steiner tree and prize-collecting variants).

The format (Koch, Martin & Voß, SteinLib) has a magic first line ``33D32945 STP File, STP Format
Version 1.0`` followed by ``SECTION <name>`` ... ``END`` blocks and a final ``EOF``. This reader
uses the ``Comment`` (Name), ``Graph`` (``Nodes``, ``Edges``/``Arcs``, ``E u v w`` /
``A u v w`` lines) and ``Terminals`` (``Terminals``, ``T v``, ``Root v``, ``TP v prize``)
sections; other sections (``Coordinates``, ``Presolve``, ...) are skipped. An instance with
``TP`` lines is prize-collecting.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from heatmap.errors import InputError
from heatmap.routing._dispatch import prize_collecting_steiner_tree, steiner_tree
from heatmap.routing._graph_core import validate_tree

__all__ = ["SteinLibInstance", "read_stp"]

_MAGIC = "33d32945"


@dataclass(frozen=True)
class SteinLibInstance:
    """One SteinLib instance.

    Attributes
    ----------
    name
        Instance name (``Name`` in the Comment section, else the file stem).
    graph
        Undirected ``nx.MultiGraph`` with integer nodes 1..n and edge attribute ``weight``.
    terminals
        Terminal nodes (``T`` lines; for prize-collecting instances the ``TP`` nodes).
    prizes
        ``TP`` node prizes; empty for a plain Steiner instance.
    root
        ``Root`` node when given, else None.
    """

    name: str
    graph: nx.MultiGraph
    terminals: tuple[int, ...]
    prizes: dict[int, float]
    root: int | None

    @property
    def prize_collecting(self) -> bool:
        """True when the instance has ``TP`` prize lines."""
        return bool(self.prizes)


def _err(path: Path, lineno: int, what: str) -> InputError:
    return InputError(f"{path}: line {lineno}: {what}")


def _num(path: Path, lineno: int, tok: str, kind: type) -> float:
    try:
        val = kind(tok)
    except ValueError:
        raise _err(path, lineno, f"expected a number, got {tok!r}") from None
    if isinstance(val, float) and not math.isfinite(val):
        raise _err(path, lineno, f"expected a finite number, got {tok!r}")
    return float(val)


def read_stp(path: str | Path) -> SteinLibInstance:
    r"""Read a SteinLib ``.stp`` file.

    Parameters
    ----------
    path
        File to read.

    Returns
    -------
    SteinLibInstance
        The graph, terminals and (for prize-collecting instances) prizes.

    Raises
    ------
    InputError
        The file is missing or malformed; the message gives the line number.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> stp = ["33D32945 STP File, STP Format Version 1.0",
    ...        "SECTION Comment", 'Name "star"', "END",
    ...        "SECTION Graph", "Nodes 4", "Edges 5",
    ...        "E 1 4 1", "E 2 4 1", "E 3 4 1", "E 1 2 3", "E 2 3 3", "END",
    ...        "SECTION Terminals", "Terminals 3", "T 1", "T 2", "T 3", "END", "EOF"]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "star.stp"
    ...     _ = path.write_text("\n".join(stp))
    ...     inst = read_stp(path)
    >>> inst.name, inst.terminals, inst.graph.number_of_edges(), inst.prize_collecting
    ('star', (1, 2, 3), 5, False)
    >>> inst.graph.edges[1, 4, 0]["weight"]
    1.0
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        msg = f"{path}: cannot read SteinLib file ({exc.strerror})"
        raise InputError(msg) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip().lower().startswith(_MAGIC):
        raise _err(path, 1, f"not a SteinLib file (first line must start with {_MAGIC.upper()})")
    G = nx.MultiGraph()
    name = path.stem
    section: str | None = None
    n_nodes: int | None = None
    n_edges_decl: int | None = None
    n_terms_decl: int | None = None
    terminals: list[int] = []
    prizes: dict[int, float] = {}
    root: int | None = None
    n_edges = 0
    seen_eof = False

    def node(lineno: int, tok: str) -> int:
        x = int(_num(path, lineno, tok, int))
        if n_nodes is None:
            raise _err(path, lineno, "node referenced before the 'Nodes' line")
        if not 1 <= x <= n_nodes:
            raise _err(path, lineno, f"node {x} outside 1..{n_nodes}")
        return x

    for lineno, raw in enumerate(lines[1:], start=2):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        toks = line.split()
        key = toks[0].lower()
        if key == "eof":
            seen_eof = True
            break
        if section is None:
            if key == "section" and len(toks) >= 2:
                section = toks[1].lower()
                continue
            raise _err(path, lineno, f"expected 'SECTION <name>' or 'EOF', got {raw.strip()!r}")
        if key == "end":
            section = None
            continue
        if key == "section":
            raise _err(path, lineno, f"SECTION {section} is not closed with END")
        if section == "comment":
            if key == "name" and len(toks) >= 2:
                name = line.split(None, 1)[1].strip().strip('"')
        elif section == "graph":
            if key == "nodes":
                if len(toks) != 2:
                    raise _err(path, lineno, "expected 'Nodes <n>'")
                n_nodes = int(_num(path, lineno, toks[1], int))
                G.add_nodes_from(range(1, n_nodes + 1))
            elif key in ("edges", "arcs"):
                if len(toks) != 2:
                    raise _err(path, lineno, f"expected '{toks[0]} <m>'")
                n_edges_decl = int(_num(path, lineno, toks[1], int))
            elif key in ("e", "a"):
                if len(toks) != 4:
                    raise _err(path, lineno, f"expected '{toks[0]} <u> <v> <weight>'")
                a, b = node(lineno, toks[1]), node(lineno, toks[2])
                w = _num(path, lineno, toks[3], float)
                if w < 0:
                    raise _err(path, lineno, f"negative edge weight {w}")
                G.add_edge(a, b, weight=w)
                n_edges += 1
            elif key not in ("optimal",):
                raise _err(path, lineno, f"unknown Graph line {raw.strip()!r}")
        elif section == "terminals":
            if key == "terminals":
                if len(toks) != 2:
                    raise _err(path, lineno, "expected 'Terminals <k>'")
                n_terms_decl = int(_num(path, lineno, toks[1], int))
            elif key == "t":
                if len(toks) != 2:
                    raise _err(path, lineno, "expected 'T <node>'")
                terminals.append(node(lineno, toks[1]))
            elif key == "tp":
                if len(toks) != 3:
                    raise _err(path, lineno, "expected 'TP <node> <prize>'")
                x = node(lineno, toks[1])
                pz = _num(path, lineno, toks[2], float)
                if pz < 0:
                    raise _err(path, lineno, f"negative prize {pz}")
                prizes[x] = prizes.get(x, 0.0) + pz
                terminals.append(x)
            elif key in ("root", "rootp"):
                root = node(lineno, toks[1])
            else:
                raise _err(path, lineno, f"unknown Terminals line {raw.strip()!r}")
    last = len(lines)
    if section is not None:
        raise _err(path, last, f"SECTION {section} is not closed with END")
    if not seen_eof:
        raise _err(path, last, "missing 'EOF' line (file truncated?)")
    if n_nodes is None:
        raise _err(path, last, "no 'Nodes' line in the Graph section")
    if n_edges_decl is not None and n_edges_decl != n_edges:
        raise _err(path, last, f"'Edges {n_edges_decl}' declared but {n_edges} edge lines read")
    if n_terms_decl is not None and n_terms_decl != len(terminals):
        raise _err(
            path, last, f"'Terminals {n_terms_decl}' declared but {len(terminals)} terminal lines"
        )
    return SteinLibInstance(
        name=name,
        graph=G,
        terminals=tuple(dict.fromkeys(terminals)),
        prizes=prizes,
        root=root,
    )


def solve_stp(
    path: str | Path,
    *,
    method: Literal["default", "fast", "exact", "networkx"] | str = "default",
    time_limit_s: float | None = None,
) -> dict[str, Any]:
    r"""Solve a SteinLib ``.stp`` file; the record printed by ``heatmap steiner --json``.

    Parameters
    ----------
    path
        The ``.stp`` file (plain or prize-collecting with ``TP`` lines).
    method
        {"default", "fast", "exact", "networkx"}; ``networkx`` runs
        ``networkx.algorithms.approximation.steiner_tree(method="mehlhorn")``. Prize-collecting
        instances accept ``default`` and ``exact`` (``fast`` maps to ``default``).
    time_limit_s
        Time limit in s.

    Returns
    -------
    dict
        ``{"instance", "cost", "seconds", "method", "lower_bound", "optimal"}``; for
        prize-collecting instances ``cost`` is edge cost + prizes left out.

    Examples
    --------
    A star of three terminals around a Steiner node (optimum 3) written as a SteinLib file:

    >>> import pathlib, tempfile
    >>> stp = ["33D32945 STP File, STP Format Version 1.0",
    ...        "SECTION Graph", "Nodes 4", "Edges 5",
    ...        "E 1 4 1", "E 2 4 1", "E 3 4 1", "E 1 2 3", "E 2 3 3", "END",
    ...        "SECTION Terminals", "Terminals 3", "T 1", "T 2", "T 3", "END", "EOF"]
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "star.stp"
    ...     _ = path.write_text("\n".join(stp))
    ...     rec = solve_stp(path, method="exact")
    >>> rec["instance"], rec["cost"], rec["lower_bound"], rec["optimal"]
    ('star', 3.0, 3.0, True)
    """
    inst = read_stp(path)
    if inst.prize_collecting:
        pc_method: Literal["default", "exact"] = "exact" if method == "exact" else "default"
        if method == "networkx":
            msg = f"{path}: networkx has no prize-collecting solver; use default or exact"
            raise InputError(msg)
        pres = prize_collecting_steiner_tree(
            inst.graph, inst.prizes, root=inst.root, method=pc_method, time_limit_s=time_limit_s
        )
        return {
            "instance": inst.name,
            "cost": pres.objective,
            "seconds": pres.seconds,
            "method": f"pcst-{pc_method}",
            "lower_bound": pres.lower_bound,
            "optimal": pres.optimal,
            "bound_proven": pres.lower_bound is not None,
            "work": pres.work,
            "capped": pres.capped,
        }
    if method == "networkx":
        from networkx.algorithms.approximation import steiner_tree as nx_steiner

        t0 = time.perf_counter()
        T = nx_steiner(nx.Graph(inst.graph), list(inst.terminals), method="mehlhorn")
        seconds = time.perf_counter() - t0
        cost = validate_tree(inst.graph, list(T.edges), inst.terminals)
        return {
            "instance": inst.name,
            "cost": cost,
            "seconds": seconds,
            "method": "networkx-mehlhorn",
            "lower_bound": None,
            "optimal": False,
        }
    if method not in ("default", "fast", "exact"):
        msg = f"steiner: unknown method {method!r}; use default, fast, exact or networkx"
        raise InputError(msg)
    res = steiner_tree(inst.graph, inst.terminals, method=method, time_limit_s=time_limit_s)  # type: ignore[arg-type]
    return {
        "instance": inst.name,
        "cost": res.cost,
        "seconds": res.seconds,
        "method": res.method,
        "lower_bound": res.lower_bound,
        "optimal": res.optimal,
    }
