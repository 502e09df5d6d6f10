"""A broken or missing planning data file: the Pianificazione page names it, no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.faults.test_data_files import REPO_ROOT, run_isolated

CASES = [
    ("planning/areas_population.csv", "corrupt"),
    ("planning/gse_areas.csv", "missing"),
    ("planning/example_roofs.csv", "missing"),
    ("planning/rse_municipal_hourly.csv", "corrupt"),
]


@pytest.mark.parametrize(("name", "how"), CASES, ids=[f"{n}-{h}" for n, h in CASES])
def test_broken_planning_file_is_named(tmp_path, name, how):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    target = data_dir / name
    if how == "missing":
        target.unlink()
    else:
        target.write_bytes(b"\x00\xffnot, a, table\n1,2\n")
    result = run_isolated("pianificazione", {}, data_dir, tmp_path / "cache")
    assert result["exceptions"] == [], f"{name} {how}: an exception reached the page"
    assert any(Path(name).name in error for error in result["errors"]), result["errors"]


def test_a_broken_roofs_file_leaves_the_areas_part_working(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    (data_dir / "planning" / "rse_municipal_hourly.csv").unlink()
    result = run_isolated("pianificazione", {}, data_dir, tmp_path / "cache")
    assert result["exceptions"] == []
    assert len(result["errors"]) == 1
    assert "rse_municipal_hourly.csv" in result["errors"][0]
    assert result["titles"] == ["Planning"]
