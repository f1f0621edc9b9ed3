"""The folders are the stages: no import circles in layout/, and no stage imports one above it.

Imports are read with ast from the source (function-level imports included: a lazy import is still a
dependency), so the test needs nothing of the package to be importable.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "layout"

# What each stage may import (besides itself and the root package's __version__). Read it top to
# bottom as the pipeline: load → compose → render → build → products → cli; model, text, fonts, photo
# and preflight are the libraries the stages stand on.
ALLOWED = {
    "model": set(),
    "text": {"model"},
    "fonts": {"model"},
    "photo": {"model"},
    "preflight": {"model"},
    "load": {"model", "photo"},
    "compose": {"model", "text", "fonts", "photo", "preflight"},
    "render": {"model", "fonts", "photo"},
    "build": {"model", "text", "fonts", "photo", "preflight", "load", "compose", "render"},
    "products": {"model", "text", "fonts", "photo", "preflight", "load", "compose", "render", "build"},
    "cli": {"model", "text", "fonts", "photo", "preflight", "load", "compose", "render", "build", "products"},
    "__main__": {"cli"},
    "__init__": set(),
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every layout module this file imports (absolute names; `from layout.x import y` counts y when
    y is itself a module)."""
    mod = module_name(path)
    package = mod if path.name == "__init__.py" else mod.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "layout")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.split(".")[0] != "layout":
                continue
            for alias in node.names:
                sub = f"{name}.{alias.name}"
                found.add(sub if module_path(sub) else name)
    return found


def module_path(name: str) -> Path | None:
    rel = Path(*name.split(".")[1:]) if "." in name else Path()
    for candidate in (PACKAGE / rel.with_suffix(".py") if rel.parts else None, PACKAGE / rel / "__init__.py"):
        if candidate is not None and candidate.is_file():
            return candidate
    return None


def stage_of(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def graph() -> dict[str, set[str]]:
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


def upward_imports(g: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in g.items():
        stage = stage_of(mod)
        assert stage in ALLOWED, f"{mod}: stage '{stage}' is not in the table of allowed dependencies"
        for dep in deps:
            target = stage_of(dep)
            if dep == "layout" or target == stage:
                continue  # the package root (__version__) and the stage's own modules
            if target not in ALLOWED[stage]:
                bad.append(f"{mod} imports {dep} ({stage} may not import {target})")
    return bad


def circles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), plus self-imports."""
    index, low, on, stack, out, counter = {}, {}, set(), [], [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in g:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1 or v in g.get(v, ()):
                out.append(sorted(comp))

    for v in g:
        if v not in index:
            visit(v)
    return out


def package_circles(g: dict[str, set[str]]) -> list[list[str]]:
    """A package's __init__ that re-exports its modules is not a circle with them; modules importing
    each other through a package facade are (the facade is folded into its package's modules)."""
    folded = {m: {d for d in deps if not (d != m and m.startswith(d + "."))} for m, deps in g.items()}
    return circles(folded)


def test_every_stage_imports_only_stages_below_it():
    assert upward_imports(graph()) == []


def test_no_import_circles():
    assert package_circles(graph()) == []


def test_every_package_says_what_it_takes_and_gives():
    missing = [str(p.relative_to(PACKAGE.parent)) for p in sorted(PACKAGE.rglob("__init__.py"))
               if not ast.get_docstring(ast.parse(p.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_checks_can_fail(tmp_path):
    """An upward import (compose → build) and a circle are caught, on a copy of the real graph."""
    g = graph()
    g["layout.compose.page"] = g["layout.compose.page"] | {"layout.build.issue"}
    assert any("compose may not import build" in b for b in upward_imports(g))
    g = graph()
    g["layout.build.workers"] = g["layout.build.workers"] | {"layout.build.issue"}
    assert ["layout.build.issue", "layout.build.workers"] in package_circles(g)


@pytest.mark.parametrize("stage", sorted(s for s in ALLOWED if s not in ("cli", "__main__", "__init__")))
def test_stage_is_a_package(stage):
    assert (PACKAGE / stage / "__init__.py").is_file()
