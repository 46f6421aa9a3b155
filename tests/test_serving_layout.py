"""The serving layer's shape (issue 21): main.py builds the app from the routers of serving/api/routes/, which share
only serving/api/deps.py and the modules below it; no route module imports main.py or another route module."""

from __future__ import annotations

import ast
from pathlib import Path

API = Path(__file__).resolve().parents[1] / "serving" / "api"


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def test_route_modules_import_neither_main_nor_each_other() -> None:
    routes = sorted((API / "routes").glob("*.py"))
    names = {f"serving.api.routes.{p.stem}" for p in routes if p.stem != "__init__"}
    assert len(names) >= 5
    for path in routes:
        imports = imported_modules(path)
        assert "serving.api.main" not in imports and "serving.api.app" not in imports, path.name
        assert not (imports & (names - {f"serving.api.routes.{path.stem}"})), path.name


def test_main_includes_every_router_and_the_shared_modules_import_no_route() -> None:
    import importlib

    from serving.api import main

    for path in (API / "routes").glob("*.py"):
        if path.stem != "__init__":
            module = importlib.import_module(f"serving.api.routes.{path.stem}")
            assert any(router is module.router for router in main.ROUTERS), f"main.ROUTERS lacks {path.stem}.router"
    for shared in ("deps.py", "middleware.py", "templating.py", "queries.py", "db.py", "models.py", "search.py"):
        imports = imported_modules(API / shared)
        assert not {m for m in imports if m.startswith(("serving.api.routes", "serving.api.main"))}, shared
    assert not (API / "app.py").exists() and not (API / "dashboard.py").exists()
