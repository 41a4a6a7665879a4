"""The package layout: one subpackage per stage, no import cycles, modules a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "heatmap"
STAGES = ["ingest", "demand", "zones", "routing", "design", "plant", "economics", "outputs"]
MAX_LINES = 600


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> nx.DiGraph:
    """Imports between heatmap modules, inside functions too (not under ``TYPE_CHECKING``)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    G = nx.DiGraph()
    G.add_nodes_from(modules)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_pkg = path.name == "__init__.py"
        for node in _imports(tree):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = name.split(".") if is_pkg else name.split(".")[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    target = ".".join([*base, node.module] if node.module else base)
                else:
                    target = node.module or ""
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    G.add_edge(name, sub if sub in modules else target)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    G.add_edge(name, alias.name)
    return G.subgraph(modules).copy()


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of a module except those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


def _cycles_without_package_inits(G: nx.DiGraph) -> list[list[str]]:
    """Cycles among modules; a package's ``__init__`` re-exporting its own modules is not one."""
    H = G.copy()
    for u, v in list(H.edges):
        if v.startswith(u + "."):  # a package importing its submodules
            H.remove_edge(u, v)
    return [c for c in nx.simple_cycles(H) if len(c) > 1]


@pytest.mark.parametrize("stage", STAGES)
def test_stage_is_a_subpackage_with_a_public_api(stage: str) -> None:
    init = PACKAGE / stage / "__init__.py"
    assert init.is_file()
    tree = ast.parse(init.read_text(encoding="utf-8"))
    names = [n for n in tree.body if isinstance(n, ast.Assign)]
    assert any(getattr(t, "id", "") == "__all__" for n in names for t in n.targets)


def test_no_import_cycles() -> None:
    assert _cycles_without_package_inits(_import_graph()) == []


@pytest.mark.parametrize("stage", [*STAGES, "pipeline", "cli", ""])
def test_modules_stay_readable(stage: str) -> None:
    folder = PACKAGE / stage if stage else PACKAGE
    long = {
        p.name: n
        for p in folder.glob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_a_cycle_is_found() -> None:
    """The checker itself: a two-module cycle in a toy package is reported."""
    G = nx.DiGraph([("p.a", "p.b"), ("p.b", "p.a"), ("p", "p.a")])
    assert _cycles_without_package_inits(G) in ([["p.a", "p.b"]], [["p.b", "p.a"]])
