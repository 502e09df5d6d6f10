"""The direction of imports (docs/architecture.md): cer_core never imports streamlit or app;
app components never import pages and pages never import each other; pages write figures
through app.components.numbers."""

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


APP = CER_CORE.parent / "app"


def imported_names(path: Path) -> set[str]:
    """Every dotted name a module imports (``from a.b import c`` gives ``a.b`` and ``a.b.c``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_components_never_import_pages_and_pages_never_import_each_other():
    """Views are leaves: a page gathers input and draws output from components and cer_core."""
    offenders = {
        str(path.relative_to(APP)): sorted(bad)
        for path in APP.rglob("*.py")
        if "vendor" not in path.parts
        and (bad := {n for n in imported_names(path) if n.startswith("app.views")})
    }
    assert offenders == {}


def english_thousands_formats(path: Path) -> list[int]:
    """Lines where Python's own thousands separator is used (``f"{x:,}"``, ``"{:,.0f}"``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(
                part.value
                for part in ast.walk(node.format_spec)
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if "," in spec:
                lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if "{:," in node.value:
                lines.append(node.lineno)
    return lines


def test_pages_write_figures_through_the_app_number_helpers():
    """One formatter: pages use app.components.numbers (cer_core.formatting bound to the page's
    language), never cer_core.formatting directly nor Python's English ``:,`` format."""
    offenders = {
        path.name: sorted(bad)
        for path in (APP / "views").glob("*.py")
        if (bad := {n for n in imported_names(path) if n.startswith("cer_core.formatting")})
    }
    assert offenders == {}
    hand_made = {
        str(path.relative_to(APP)): lines
        for path in APP.rglob("*.py")
        if "vendor" not in path.parts and (lines := english_thousands_formats(path))
    }
    assert hand_made == {}
