"""``python -m cer_core simulate``: JSON summary, readable table, exit 2 on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from cer_core.cli import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "cercami_bovisa.toml"
KEYS = (
    "pv_production_kwh self_consumption_kwh injection_kwh withdrawal_kwh shared_kwh tip_eur "
    "valorisation_eur rid_eur gse_fee_eur excess_eur bill_savings_eur npv_eur irr payback_years "
    "plants"
).split()


def test_module_prints_json_summary():
    done = subprocess.run(
        [sys.executable, "-m", "cer_core", "simulate", str(EXAMPLE), "--json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    for key in KEYS:
        assert key in summary
    assert summary["plants"][0]["name"] == "Scuola via Baldinucci"
    assert summary["shared_kwh"] > 0


def test_readable_table(capsys):
    assert main(["simulate", str(REPO / "examples" / "condominium_prosumers.toml")]) == 0
    out = capsys.readouterr().out
    assert "shared (hourly)" in out
    assert "NPV" in out
    assert "Villa" in out


def test_bad_scenario_exit_2_names_the_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[plants]]\nname = "x"\nkwp = 5000\n[[members]]\nname = "m"\n')
    done = subprocess.run(
        [sys.executable, "-m", "cer_core", "simulate", str(bad)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert done.returncode == 2
    assert "plants[0].kwp" in done.stderr
    assert "1,000" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file_exit_2(tmp_path, capsys):
    assert main(["simulate", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_parameters_listing(capsys):
    assert main(["parameters", "--year", "2025", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert any(r["name"] == "tip.duration_years" and r["value"] == 20 for r in rows)
