"""The package's imports go one way: no module imports itself back through others
(imports inside functions and under TYPE_CHECKING count), and the layers hold:
``core`` imports nothing of ours outside core, ``render`` never imports ``app``."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).parent.parent / "tui_mlp"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, name: str, modules: set[str]) -> set[str]:
    """The package's modules that the file ``path`` (module ``name``) imports anywhere in it."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        else:
            continue
        for target in targets:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> nx.DiGraph:
    paths = {module_name(path): path for path in PACKAGE.rglob("*.py")}
    graph = nx.DiGraph()
    for name, path in paths.items():
        graph.add_node(name)
        for target in imported(path, name, set(paths)):
            if not name.startswith(target + "."):  # a module may use its own package's __init__
                graph.add_edge(name, target)
    return graph


def test_no_import_cycles() -> None:
    cycles = list(nx.simple_cycles(import_graph()))
    assert cycles == [], f"import cycles: {cycles}"


def test_layers_import_one_way() -> None:
    graph = import_graph()
    wrong = [
        (a, b)
        for a, b in graph.edges
        if (a.startswith("tui_mlp.core") and not b.startswith("tui_mlp.core"))
        or (a.startswith("tui_mlp.render") and b.startswith("tui_mlp.app"))
    ]
    assert wrong == []


def test_the_engine_and_its_trainer_are_one_way() -> None:
    graph = import_graph()
    assert graph.has_edge("tui_mlp.core.mlp", "tui_mlp.core.trainer")
    assert not nx.has_path(graph, "tui_mlp.core.trainer", "tui_mlp.core.mlp")
