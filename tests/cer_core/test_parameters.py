"""The versioned parameters file: schema, sources, selection by year, overrides, table."""

from __future__ import annotations

import re

import pytest

from cer_core.errors import InputError
from cer_core.parameters import load_parameters, parameter_rows, parameter_table


def test_every_row_has_unit_source_and_valid_dates():
    rows = parameter_rows()
    assert len(rows) > 40
    for row in rows:
        assert row.unit, row.name
        assert re.search(r"reg §\d|https?://|assumption", row.source), row.name
        assert row.valid_to is None or row.valid_to >= row.valid_from, row.name


def test_periods_of_one_name_do_not_overlap():
    by_name = {}
    for row in parameter_rows():
        by_name.setdefault(row.name, []).append(row)
    for name, rows in by_name.items():
        rows = sorted(rows, key=lambda r: r.valid_from)
        for a, b in zip(rows, rows[1:], strict=False):
            assert a.valid_to is not None, name
            assert a.valid_to < b.valid_from, name


def test_values_are_picked_by_year():
    assert load_parameters(2024)["valorisation.tras_e_eur_per_mwh"] == 10.57
    assert load_parameters(2023)["valorisation.tras_e_eur_per_mwh"] == 8.48
    assert load_parameters(2027)["finance.tax_deduction_main_home"] == 0.36
    assert load_parameters(2026)["finance.tax_deduction_main_home"] == 0.50
    assert load_parameters(2025)["rid.pmg_pv_eur_per_mwh"] == 46.8
    assert load_parameters(2026)["rid.pmg_pv_eur_per_mwh"] == 47.5
    later = load_parameters(2030)
    assert later["rid.pmg_pv_eur_per_mwh"] == 47.5
    assert "rid.pmg_pv_eur_per_mwh" in later.extrapolated


def test_overrides_checked():
    p = load_parameters(2025, {"finance.discount_rate": 0.07, "tip.tier_max_kw": [100, 600, 1000]})
    assert p["finance.discount_rate"] == 0.07
    assert p["tip.tier_max_kw"] == (100, 600, 1000)
    assert "finance.discount_rate" in p.overridden
    with pytest.raises(InputError) as err:
        load_parameters(2025, {"finance.no_such_thing": 1})
    assert err.value.field == "parameters.finance.no_such_thing"
    with pytest.raises(InputError) as err:
        load_parameters(2025, {"finance.discount_rate": "lots"})
    assert err.value.field == "parameters.finance.discount_rate"
    with pytest.raises(InputError):
        load_parameters(2025, {"valorisation.include_btau_for_cer": "yes"})


def test_uncertain_values_flagged():
    p = load_parameters(2025)
    choices = p.uncertain_choices()
    for name in (
        "tip.f_exempt_split",
        "valorisation.include_btau_for_cer",
        "community.min_plant_kw",
        "community.producer_share",
    ):
        assert name in choices


def test_table_for_the_app():
    rows = parameter_table(2025)
    keys = {"name", "value", "unit", "source", "valid_from", "valid_to", "uncertain"}
    assert all(keys <= set(r) for r in rows)
    by_name = {r["name"]: r for r in rows}
    assert by_name["tip.variable_ref_price_eur_per_mwh"]["value"] == 180.0
    assert by_name["tip.variable_ref_price_eur_per_mwh"]["uncertain"] is False
    assert by_name["tip.f_exempt_split"]["uncertain"] is True
    assert by_name["valorisation.tras_e_eur_per_mwh"]["uncertain"] is True  # extrapolated to 2025
    assert isinstance(by_name["tip.tier_max_kw"]["value"], list)


@pytest.mark.parametrize(
    "name", ["sharing", "incentives", "market", "bills", "finance", "parameters"]
)
def test_docstring_examples_run(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(f"cer_core.{name}"))
    assert result.attempted > 0
    assert result.failed == 0
