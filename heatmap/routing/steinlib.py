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
    reader = _StpReader(path)
    for lineno, raw in enumerate(lines[1:], start=2):
        if reader.read_line(lineno, raw):
            break
    return reader.finish(len(lines))


class _StpReader:
    """Line-by-line state of :func:`read_stp`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.G = nx.MultiGraph()
        self.name = path.stem
        self.section: str | None = None
        self.n_nodes: int | None = None
        self.n_edges_decl: int | None = None
        self.n_terms_decl: int | None = None
        self.terminals: list[int] = []
        self.prizes: dict[int, float] = {}
        self.root: int | None = None
        self.n_edges = 0
        self.seen_eof = False

    def node(self, lineno: int, tok: str) -> int:
        x = int(_num(self.path, lineno, tok, int))
        if self.n_nodes is None:
            raise _err(self.path, lineno, "node referenced before the 'Nodes' line")
        if not 1 <= x <= self.n_nodes:
            raise _err(self.path, lineno, f"node {x} outside 1..{self.n_nodes}")
        return x

    def count(self, lineno: int, toks: list[str], what: str) -> int:
        if len(toks) != 2:
            raise _err(self.path, lineno, f"expected '{what} <n>'")
        return int(_num(self.path, lineno, toks[1], int))

    def read_line(self, lineno: int, raw: str) -> bool:
        """Read one line; return True at ``EOF``."""
        line = raw.split("#", 1)[0].strip()
        if not line:
            return False
        toks = line.split()
        key = toks[0].lower()
        if key == "eof":
            self.seen_eof = True
            return True
        if self.section is None:
            if key == "section" and len(toks) >= 2:
                self.section = toks[1].lower()
                return False
            what = f"expected 'SECTION <name>' or 'EOF', got {raw.strip()!r}"
            raise _err(self.path, lineno, what)
        if key == "end":
            self.section = None
        elif key == "section":
            raise _err(self.path, lineno, f"SECTION {self.section} is not closed with END")
        elif self.section == "comment":
            if key == "name" and len(toks) >= 2:
                self.name = line.split(None, 1)[1].strip().strip('"')
        elif self.section == "graph":
            self.graph_line(lineno, toks, raw)
        elif self.section == "terminals":
            self.terminal_line(lineno, toks, raw)
        return False

    def graph_line(self, lineno: int, toks: list[str], raw: str) -> None:
        key = toks[0].lower()
        if key == "nodes":
            self.n_nodes = self.count(lineno, toks, "Nodes")
            self.G.add_nodes_from(range(1, self.n_nodes + 1))
        elif key in ("edges", "arcs"):
            self.n_edges_decl = self.count(lineno, toks, toks[0])
        elif key in ("e", "a"):
            if len(toks) != 4:
                raise _err(self.path, lineno, f"expected '{toks[0]} <u> <v> <weight>'")
            a, b = self.node(lineno, toks[1]), self.node(lineno, toks[2])
            w = _num(self.path, lineno, toks[3], float)
            if w < 0:
                raise _err(self.path, lineno, f"negative edge weight {w}")
            self.G.add_edge(a, b, weight=w)
            self.n_edges += 1
        elif key != "optimal":
            raise _err(self.path, lineno, f"unknown Graph line {raw.strip()!r}")

    def terminal_line(self, lineno: int, toks: list[str], raw: str) -> None:
        key = toks[0].lower()
        if key == "terminals":
            self.n_terms_decl = self.count(lineno, toks, "Terminals")
        elif key == "t":
            if len(toks) != 2:
                raise _err(self.path, lineno, "expected 'T <node>'")
            self.terminals.append(self.node(lineno, toks[1]))
        elif key == "tp":
            if len(toks) != 3:
                raise _err(self.path, lineno, "expected 'TP <node> <prize>'")
            x = self.node(lineno, toks[1])
            pz = _num(self.path, lineno, toks[2], float)
            if pz < 0:
                raise _err(self.path, lineno, f"negative prize {pz}")
            self.prizes[x] = self.prizes.get(x, 0.0) + pz
            self.terminals.append(x)
        elif key in ("root", "rootp"):
            if len(toks) < 2:
                raise _err(self.path, lineno, f"expected '{toks[0]} <node>'")
            self.root = self.node(lineno, toks[1])
        else:
            raise _err(self.path, lineno, f"unknown Terminals line {raw.strip()!r}")

    def finish(self, last: int) -> SteinLibInstance:
        """Check the declared counts and return the instance."""
        path = self.path
        if self.section is not None:
            raise _err(path, last, f"SECTION {self.section} is not closed with END")
        if not self.seen_eof:
            raise _err(path, last, "missing 'EOF' line (file truncated?)")
        if self.n_nodes is None:
            raise _err(path, last, "no 'Nodes' line in the Graph section")
        if self.n_edges_decl is not None and self.n_edges_decl != self.n_edges:
            what = f"'Edges {self.n_edges_decl}' declared but {self.n_edges} edge lines read"
            raise _err(path, last, what)
        if self.n_terms_decl is not None and self.n_terms_decl != len(self.terminals):
            n_read = len(self.terminals)
            what = f"'Terminals {self.n_terms_decl}' declared but {n_read} terminal lines"
            raise _err(path, last, what)
        return SteinLibInstance(
            name=self.name,
            graph=self.G,
            terminals=tuple(dict.fromkeys(self.terminals)),
            prizes=self.prizes,
            root=self.root,
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
