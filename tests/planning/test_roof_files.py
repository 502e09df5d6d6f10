"""Reading the Comune's supply points and roofs: all-or-nothing, every bad row named; CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from cer_core.cli import main
from cer_core.parameters import load_parameters
from cer_core.planning.roof_files import build_inputs, read_roofs, read_supply_points
from cer_core.planning.tables import MAX_ROWS, TableError
from cer_core.pv import PVSystemSpec, hourly_production_kwh
from cer_core.weather import load_weather

REPO = Path(__file__).resolve().parents[2]
PLANNING = REPO / "data" / "planning"
ROOFS = PLANNING / "example_roofs.csv"
POINTS = PLANNING / "example_supply_points.csv"

GOOD_POINTS = "pod,name,area_code,kind,annual_kwh\nIT001E1,Scuola,AC012E00009,scuola,80000\n"


def test_example_is_labelled_illustrative_and_reads():
    for path in (ROOFS, POINTS):
        assert "ILLUSTRATIVE" in path.read_text(encoding="utf-8").splitlines()[0]
    points = read_supply_points(POINTS)
    roofs = read_roofs(ROOFS, points)
    assert len(points) >= 20
    assert len(roofs) >= 10
    ghisolfa = [r for r in roofs if r.roof_id.startswith("GH-")]
    assert sum(r.kwp for r in ghisolfa) == pytest.approx(112.0)


def test_templates_have_the_columns_the_readers_expect():
    header = (PLANNING / "templates" / "roofs_template.csv").read_text().strip()
    assert header.startswith("roof_id,name,area_code")
    with pytest.raises(TableError) as err:  # header only: refused as empty, not as wrong columns
        read_roofs(PLANNING / "templates" / "roofs_template.csv")
    assert err.value.problems[0].code == "no_rows"


def test_every_bad_row_is_reported_and_nothing_is_read():
    text = (
        "pod,area_code,kind,annual_kwh\n"
        "IT1,AC012E00009,school,1000\n"
        "IT2,AC999,school,1000\n"  # unknown area
        "IT3,AC012E00009,school,-5\n"  # negative kWh
        "IT1,AC012E00009,piscina,1000\n"  # duplicate POD, unknown kind
    )
    with pytest.raises(TableError) as err:
        read_supply_points(text)
    got = {(p.line, p.column, p.code) for p in err.value.problems}
    assert got == {
        (3, "area_code", "unknown_area"),
        (4, "annual_kwh", "range"),
        (5, "pod", "duplicate"),
        (5, "kind", "choice"),
    }


def test_wrong_columns_refuse_the_file():
    with pytest.raises(TableError) as err:
        read_supply_points("pod,area,kind,kwh\nIT1,AC012E00009,school,1\n")
    assert err.value.problems[0].code == "columns_missing"
    assert "missing column(s) area_code, annual_kwh" in err.value.problems[0].message


def test_semicolon_file_with_decimal_comma():
    points = read_supply_points("pod;area_code;kind;annual_kwh\nIT1;AC012E00009;ufficio;12.500,5\n")
    assert points[0].annual_kwh == 12500.5
    assert points[0].kind == "office"


def test_roof_checks():
    points = read_supply_points(GOOD_POINTS)
    text = (
        "roof_id,area_code,usable_m2,kwp,tilt_deg,azimuth_deg,host_pod\n"
        "A,AC012E00009,500,,10,180,IT001E1\n"  # good: 500 m² × 0.2 = 100 kWp
        "B,AC012E00009,,,10,180,\n"  # no size
        "C,AC012E00010,,50,95,180,IT001E1\n"  # tilt out of range, host in another area
        "D,AC012E00009,,50,10,180,IT404\n"  # unknown host
        "E,AC012E00009,9000,,10,180,\n"  # 1,800 kWp: above one plant's limit
    )
    with pytest.raises(TableError) as err:
        read_roofs(text, points)
    got = {(p.line, p.column, p.code) for p in err.value.problems}
    assert got == {
        (3, "kwp", "kwp_or_area"),
        (4, "tilt_deg", "range"),
        (4, "host_pod", "area_mismatch"),
        (5, "host_pod", "unknown_pod"),
        (6, "usable_m2", "area_too_large"),
    }
    good = read_roofs(text.split("B,")[0], points)
    assert good[0].kwp == pytest.approx(100.0)


def test_too_many_rows():
    text = "pod,area_code,kind,annual_kwh\n" + "".join(
        f"IT{i},AC012E00009,school,1\n" for i in range(MAX_ROWS + 1)
    )
    with pytest.raises(TableError) as err:
        read_supply_points(text)
    assert err.value.problems[0].code == "too_many_rows"


def test_inputs_use_the_engine_pv_and_profiles():
    points = read_supply_points(GOOD_POINTS)
    roofs = read_roofs(
        "roof_id,area_code,kwp,tilt_deg,azimuth_deg,shading_pct\nA,AC012E00009,20,30,180,5\n"
    )
    x = build_inputs(roofs, points, year=2024, params=load_parameters(2025))
    spec = PVSystemSpec(kwp=20, surface_tilt=30, surface_azimuth=180, shading_pct=5)
    assert np.array_equal(x.production_kwh[0], hourly_production_kwh(spec, load_weather(), 2024))
    assert x.consumption_kwh.sum() == pytest.approx(80_000)
    assert x.production_kwh.shape == (1, 8784)
    assert x.roof_zone == ("NORD",)


def test_cli_json(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cer_core", "planning", "rank", str(ROOFS), str(POINTS),
         "--budget-kwp", "500", "--json"],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["steps"]
    assert sum(s["kwp"] for s in plan["steps"]) <= 500
    assert plan["rules"]["tip_perimeter"] == "cabina_primaria"
    assert {"production_kwh", "shared_at_distance_kwh", "surplus_kwh", "net_eur_per_year",
            "payback_years"} <= set(plan["plants"][0])  # fmt: skip


def test_cli_bad_rows_exit_2(tmp_path, capsys):
    bad = tmp_path / "points.csv"
    bad.write_text("pod,area_code,kind,annual_kwh\nX1,AC999,school,-5\n")
    assert main(["planning", "rank", str(ROOFS), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "line 2, area_code: unknown area 'AC999'" in err
    assert "line 2, annual_kwh" in err
    assert "Traceback" not in err


def test_plan_from_uploaded_bytes_refuses_bad_points_before_roofs():
    from cer_core.planning.roof_files import plan_from_files

    with pytest.raises(TableError) as err:
        plan_from_files(
            ROOFS.read_bytes(), b"pod,area_code,kind,annual_kwh\nX,AC012E00009,office,-1\n"
        )
    assert err.value.field == "supply_points"
    plan = plan_from_files(ROOFS.read_bytes(), POINTS.read_bytes(), budget_eur=300_000)
    assert plan.steps
    assert sum(s.capex_eur for s in plan.steps) <= 300_000


def test_missing_file_and_oversized_file_are_table_errors(tmp_path):
    from cer_core.planning.tables import MAX_BYTES

    with pytest.raises(TableError) as err:
        read_supply_points(tmp_path / "nope.csv")
    assert err.value.field == "supply_points"
    assert err.value.problems[0].code == "encoding"
    with pytest.raises(TableError) as err:
        read_roofs(b"roof_id,area_code,tilt_deg,azimuth_deg\n" + b"x" * MAX_BYTES)
    assert err.value.field == "roofs"
    assert err.value.problems[0].code == "too_big"


def test_cli_missing_file_exit_2(capsys):
    assert main(["planning", "rank", "/nonexistent/roofs.csv", str(POINTS)]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_municipal_kinds_have_their_own_shapes():
    from cer_core.planning.municipal_profiles import MUNICIPAL_KINDS, municipal_profile_kwh

    for kind in MUNICIPAL_KINDS:
        series = municipal_profile_kwh(kind, 10_000, 2024)
        assert series.shape == (8784,)
        assert series.sum() == pytest.approx(10_000)
        assert (series >= 0).all()
    gym = municipal_profile_kwh("gym", 10_000, 2024)
    library = municipal_profile_kwh("library", 10_000, 2024)
    assert not np.allclose(gym, library)
    points = read_supply_points(
        "pod,area_code,kind,annual_kwh\nP1,AC012E00009,palestra,5000\nP2,AC012E00009,liceo,9000\n"
    )
    assert [p.kind for p in points] == ["gym", "high_school"]
