"""The engine stays free of the UI: cer_core never imports streamlit or app."""

from __future__ import annotations

import ast
from pathlib import Path

CER_CORE = Path(__file__).resolve().parents[1] / "cer_core"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_cer_core_never_imports_streamlit_or_app():
    offenders = {
        str(path.relative_to(CER_CORE)): bad
        for path in CER_CORE.rglob("*.py")
        if (bad := imported_modules(path) & {"streamlit", "app", "st_folium", "streamlit_folium"})
    }
    assert offenders == {}
