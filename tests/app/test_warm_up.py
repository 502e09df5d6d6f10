"""The background warm-up never imports a custom component: Streamlit registers a component only
when it is declared inside a script run, so one first imported by the warm-up thread is never
served (the Mappa's frame stayed hidden when a visitor opened another page first)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COMPONENT_MODULES = ("streamlit_folium",)


def test_warm_up_imports_declare_no_component():
    probe = (
        "import sys\n"
        "from app import warm_up\n"
        "for step in warm_up.STEPS:\n"
        "    if step.__name__ != '_calculator':\n"  # the engine only: slow, imports no page
        "        step()\n"
        f"print(sorted(m for m in {COMPONENT_MODULES!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
