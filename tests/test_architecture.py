"""The package structure the architecture page promises: no import cycle between exoreview's packages."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "exoreview"


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def package_imports() -> dict[str, set[str]]:
    """Package -> the other exoreview packages its modules import, at any level (inside functions too)."""
    edges: dict[str, set[str]] = defaultdict(set)
    for path in SOURCE.rglob("*.py"):
        module = ".".join(path.relative_to(SOURCE.parent).with_suffix("").parts).removesuffix(".__init__")
        here = _package_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                if name.startswith("exoreview.") and _package_of(name) != here:
                    edges[here].add(_package_of(name))
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_no_package_imports_another_that_imports_it_back() -> None:
    edges = package_imports()
    assert len(edges) >= 10  # the walk saw the packages
    assert cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


FENCED = ("exoreview.demo", "exoreview.bench")  # demo machinery and benchmark helpers
MAY_IMPORT_FENCED = ("demo", "bench", "cli")  # packages allowed to import them (cli: the demo commands, lazily)


def fenced_imports(source: Path = SOURCE) -> list[str]:
    """`module -> imported` for each import of the demo or bench packages from a module outside them and cli."""
    found = []
    for path in sorted(source.rglob("*.py")):
        module = ".".join(path.relative_to(source.parent).with_suffix("").parts).removesuffix(".__init__")
        if _package_of(module) in MAY_IMPORT_FENCED:
            continue
        here = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = ".".join(here[:len(here) - node.level + 1] if node.level else [])  # relative: from its package
                target = ".".join(part for part in (base, node.module or "") if part)
                names = [target, *(f"{target}.{a.name}" for a in node.names)]  # from exoreview import demo
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            hits = [name for name in names if any(name == f or name.startswith(f + ".") for f in FENCED)]
            if hits:
                found.append(f"{module} -> {hits[0]}")
    return found


def test_no_product_package_imports_the_demo_or_bench_packages() -> None:
    assert (SOURCE / "demo").is_dir() and (SOURCE / "bench").is_dir()
    assert fenced_imports() == []


def test_the_fence_check_sees_a_product_module_importing_the_demo(tmp_path: Path) -> None:
    package = tmp_path / "exoreview"
    (package / "store").mkdir(parents=True)
    (package / "cli").mkdir()
    (package / "store" / "bad.py").write_text("def f():\n    from exoreview.demo.corpus import demo_corpus\n")
    (package / "store" / "worse.py").write_text("from exoreview import bench\n")
    (package / "store" / "near.py").write_text("from ..demo import run\n")
    (package / "cli" / "fine.py").write_text("def g():\n    from exoreview.demo.run import run_demo\n")
    assert fenced_imports(package) == ["exoreview.store.bad -> exoreview.demo.corpus",
                                       "exoreview.store.near -> exoreview.demo",
                                       "exoreview.store.worse -> exoreview.bench"]


def test_every_function_reads_in_one_screen_by_radon_rank_c_or_better() -> None:
    from radon.complexity import cc_rank, cc_visit

    too_complex = []
    for path in sorted(SOURCE.rglob("*.py")):
        for block in cc_visit(path.read_text(encoding="utf-8")):
            if cc_rank(block.complexity) not in "ABC":
                too_complex.append(f"{path.relative_to(SOURCE)}:{block.lineno} {block.name} ({block.complexity})")
    assert too_complex == []
