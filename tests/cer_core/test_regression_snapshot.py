"""Regression snapshot of the engine's JSON summaries (guard rail of the engine refactor, issue 12).

``tests/data/regression_snapshot.json`` holds, for each scenario below, the JSON summary printed
by ``python -m cer_core simulate FILE --json``: the two examples in ``examples/`` and five varied
scenarios in ``tests/data/scenarios/`` (a prosumer condominium with a *potenza d'obbligo* share,
plants of three ages with one commissioned mid-year, a 30 % capital grant with F exemptions, the
2024 settlement year on 2023 prices, and 600 households with two plants of different age, a
prosumer and the 55 % rule). The test runs the same command in-process
(``cer_core.cli.main(["simulate", FILE, "--json"])``), parses its output and compares every
figure with the snapshot:

* energies (keys ending in ``_kwh``) and every other number not listed below: exactly, as the
  JSON float (``repr``) recorded;
* money (keys ending in ``_eur`` or ``_eur_per_year``): to the cent (absolute 0.005 €);
* ratios and derived rates (``irr``, paybacks, ``lcoe_eur_per_mwh``, ``mean_price_eur_per_mwh``,
  ``discount_rate``, ``producer_share``): relative 1e-9;
* booleans, dates, names, ``uncertain_parameters``: exactly;
* the engine's messages as codes — ``warning_codes``, ``source_codes`` (weather and prices) and
  each plant's ``reason_codes``: the number and order of the messages and each ``code``
  exactly, each code's ``values`` by the rules above (a date or a name exactly, money to the
  cent).

The sentences (``warnings``, per-plant ``reasons``, ``weather_source``, ``price_source``, and the
``text`` of each code) are the English translation of a code and its values: kept in the snapshot
for the reader, not compared, so that rewording a message does not fail the test while a changed
code does. Keys the engine adds later are allowed; a key of the snapshot that disappears fails.

How the snapshot was produced (and how to renew it after an *intended* change of results)::

    CER_UPDATE_SNAPSHOT=1 PYTHONPATH=. python -m pytest tests/cer_core/test_regression_snapshot.py

With ``CER_UPDATE_SNAPSHOT=1`` the test writes the summaries it computes to the snapshot file
instead of comparing (review the diff of the JSON before committing it). The first snapshot was
written this way from commit 50f4f4e of ``issue-12`` (before any refactor), with the embedded
weather (no ``online_weather``) and the embedded GME prices. It was renewed the same way from
commit 0aabf8f of ``issue-12-finish`` to record the codes, which the first snapshot predates:
every figure of the renewed file is the first one's to the bit; only the sentences changed (the
constitution-date notice and the mid-year commissioning warning that issue 12 added).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
from pathlib import Path

import pytest

from cer_core import cli

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "tests" / "data" / "regression_snapshot.json"
SCENARIOS = {
    "cercami_bovisa": ROOT / "examples" / "cercami_bovisa.toml",
    "condominium_prosumers": ROOT / "examples" / "condominium_prosumers.toml",
    "prosumer_condominium": ROOT / "tests" / "data" / "scenarios" / "prosumer_condominium.toml",
    "mid_year_commissioning": ROOT / "tests" / "data" / "scenarios" / "mid_year_commissioning.toml",
    "capital_grant": ROOT / "tests" / "data" / "scenarios" / "capital_grant.toml",
    "year_2024": ROOT / "tests" / "data" / "scenarios" / "year_2024.toml",
    "big_600_households": ROOT / "tests" / "data" / "scenarios" / "big_600_households.toml",
}
UPDATE = os.environ.get("CER_UPDATE_SNAPSHOT") == "1"

CENT_EUR = 0.005
RATIO_REL = 1e-9
RATIO_KEYS = {
    "irr",
    "payback_years",
    "discounted_payback_years",
    "lcoe_eur_per_mwh",
    "mean_price_eur_per_mwh",
    "discount_rate",
    "producer_share",
}
TEXT_KEYS = {"warnings", "reasons", "weather_source", "price_source"}
CODE_LIST_KEYS = {"warning_codes", "source_codes", "reason_codes"}


def summary_json(path: Path) -> dict:
    """The summary exactly as ``python -m cer_core simulate PATH --json`` prints it."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = cli.main(["simulate", str(path), "--json"])
    assert status == 0, f"simulate {path.name} exited with {status}"
    return json.loads(out.getvalue())


def _is_money(key: str) -> bool:
    return key.endswith(("_eur", "_eur_per_year"))


def differences(expected, actual, where: str = "", key: str = "") -> list[str]:
    """Every place where ``actual`` departs from ``expected`` beyond the tolerance of its key."""
    if key in TEXT_KEYS:
        return []
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected a table, got {actual!r}"]
        found = []
        for k, v in expected.items():
            if k == "text" and "code" in expected:
                continue  # the sentence of a code: its translation, derived from code and values
            if k not in actual:
                found.append(f"{where}.{k}: missing from the new summary")
            else:
                found += differences(v, actual[k], f"{where}.{k}", k)
        return found
    listed = key in CODE_LIST_KEYS or (key != "uncertain_parameters" and where.endswith("plants"))
    if isinstance(expected, list) and listed:
        if not isinstance(actual, list) or len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} entries, got {actual!r}"]
        found = []
        for i, (e, a) in enumerate(zip(expected, actual, strict=True)):
            found += differences(e, a, f"{where}[{i}]", key)
        return found
    numeric = isinstance(expected, float | int) and not isinstance(expected, bool)
    if numeric and isinstance(actual, float | int) and not isinstance(actual, bool):
        if _is_money(key):
            ok = math.isclose(actual, expected, rel_tol=0.0, abs_tol=CENT_EUR)
            tolerance = "to the cent"
        elif key in RATIO_KEYS:
            ok = math.isclose(actual, expected, rel_tol=RATIO_REL, abs_tol=0.0)
            tolerance = f"rel {RATIO_REL:g}"
        else:
            ok = actual == expected
            tolerance = "exactly"
        return [] if ok else [f"{where}: {actual!r} != {expected!r} ({tolerance})"]
    if actual != expected:
        return [f"{where}: {actual!r} != {expected!r}"]
    return []


@pytest.fixture(scope="module")
def snapshot() -> dict:
    if UPDATE:
        fresh = {name: summary_json(path) for name, path in SCENARIOS.items()}
        SNAPSHOT.write_text(json.dumps(fresh, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return json.loads(SNAPSHOT.read_text("utf-8"))


def test_snapshot_covers_every_scenario(snapshot):
    assert sorted(snapshot) == sorted(SCENARIOS)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_summary_matches_snapshot(snapshot, name):
    found = differences(snapshot[name], summary_json(SCENARIOS[name]), name)
    assert not found, "summary departs from the snapshot:\n" + "\n".join(found)


def test_comparison_catches_a_changed_figure(snapshot):
    """The comparison can fail: one cent of TIP more, one kWh less, a flipped eligibility."""
    base = snapshot["big_600_households"]
    assert differences(base, json.loads(json.dumps(base)), "same") == []
    money = json.loads(json.dumps(base))
    money["plants"][1]["tip_eur"] += 0.01
    assert any("tip_eur" in d for d in differences(base, money))
    energy = json.loads(json.dumps(base))
    energy["shared_kwh"] = math.nextafter(energy["shared_kwh"], 0.0)
    assert any("shared_kwh" in d for d in differences(base, energy))
    flag = json.loads(json.dumps(base))
    flag["plants"][0]["tip_eligible"] = not flag["plants"][0]["tip_eligible"]
    assert any("tip_eligible" in d for d in differences(base, flag))
    gone = json.loads(json.dumps(base))
    del gone["excess_eur"]
    assert any("missing" in d for d in differences(base, gone))
    # free text is not compared: the sentences are compared through their codes
    text = json.loads(json.dumps(base))
    text["warnings"] = ["code.only"]
    assert differences(base, text) == []


def test_comparison_catches_a_changed_code(snapshot):
    """Warning, reason and source codes and their values are compared exactly (money values to
    the cent); only the sentence of a code, its translation, is left out."""
    base = snapshot["big_600_households"]
    ages = snapshot["mid_year_commissioning"]
    assert any(w["code"] == "excess_tip" for w in base["warning_codes"])
    assert ages["plants"][0]["reason_codes"]

    def changed(summary, edit):
        copy = json.loads(json.dumps(summary))
        edit(copy)
        return differences(summary, copy)

    def first_excess(summary):
        return next(w for w in summary["warning_codes"] if w["code"] == "excess_tip")

    assert any(
        "warning_codes" in d
        for d in changed(base, lambda s: s["warning_codes"][0].update(code="pmg_off"))
    )
    assert any(
        "reason_codes" in d
        for d in changed(
            ages, lambda s: s["plants"][0]["reason_codes"][0].update(code="not_renewable")
        )
    )
    assert any(
        "source_codes" in d
        for d in changed(base, lambda s: s["source_codes"][1].update(code="prices_given"))
    )
    # a code's values: a date exactly, money to the cent
    assert any(
        "reason_codes" in d
        for d in changed(
            ages, lambda s: s["plants"][0]["reason_codes"][0]["values"].update(date="2021-12-17")
        )
    )
    assert any(
        "excess_eur" in d
        for d in changed(
            base,
            lambda s: first_excess(s)["values"].update(
                excess_eur=first_excess(s)["values"]["excess_eur"] + 0.01
            ),
        )
    )
    # a warning more or fewer
    assert any("warning_codes" in d for d in changed(base, lambda s: s["warning_codes"].pop()))
    assert any(
        "reason_codes" in d
        for d in changed(ages, lambda s: s["plants"][2]["reason_codes"].append({"code": "x"}))
    )
    # the sentence of a code is its translation: not compared
    assert changed(base, lambda s: s["warning_codes"][0].update(text="reworded")) == []


def test_scenarios_exercise_what_they_claim(snapshot):
    """Each scenario keeps the feature it was written for (so a snapshot is not silently trivial)."""
    big = snapshot["big_600_households"]
    assert big["members"] == 601
    assert big["excess_eur"] > 0
    assert big["plants"][0]["commissioning_date"] < big["plants"][1]["commissioning_date"]
    assert big["self_consumption_kwh"] > 0  # the prosumer villa
    grant = snapshot["capital_grant"]["plants"][0]
    assert grant["tip_eligible"]
    assert grant["tip_eur"] > 0
    ages = snapshot["mid_year_commissioning"]["plants"]
    assert [p["tip_eligible"] for p in ages] == [False, False, True]
    assert snapshot["year_2024"]["year"] == 2024
    assert snapshot["prosumer_condominium"]["bill_savings_eur"] > 0
