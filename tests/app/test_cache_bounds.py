"""Memory bounded by design: every Streamlit cache of the app says how many entries it keeps
(``max_entries``), so a process serving many residents cannot grow without limit."""

from __future__ import annotations

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
CACHES = {"cache_data", "cache_resource"}


def _cache_decorators(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for decorator in node.decorator_list:
                target = decorator.func if isinstance(decorator, ast.Call) else decorator
                if isinstance(target, ast.Attribute) and target.attr in CACHES:
                    yield node.name, decorator


def test_every_streamlit_cache_has_max_entries():
    found, unbounded = 0, []
    for path in sorted(APP.rglob("*.py")):
        for name, decorator in _cache_decorators(ast.parse(path.read_text(encoding="utf-8"))):
            found += 1
            keywords = (
                {k.arg for k in decorator.keywords} if isinstance(decorator, ast.Call) else set()
            )
            if "max_entries" not in keywords:
                unbounded.append(f"{path.relative_to(APP.parent)}: {name}")
    assert found >= 20  # the scan sees the app's caches
    assert not unbounded, unbounded
