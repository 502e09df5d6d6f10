"""The one formatter: numbers, money, dates and plurals follow the page's language (CLDR)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from cer_core import formatting as fmt

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "digits", "it", "en"),
    [
        (1049, 0, "1.049", "1,049"),
        (48787.4, 1, "48.787,4", "48,787.4"),
        (6817.27, 2, "6.817,27", "6,817.27"),
        (0.5, 1, "0,5", "0.5"),
        (-1234567.891, 0, "-1.234.568", "-1,234,568"),
    ],
)
def test_number_uses_the_language_separators(value, digits, it, en):
    assert fmt.number(value, "it", digits) == it
    assert fmt.number(value, "en", digits) == en


@pytest.mark.parametrize("value", [-0.0, -0.2, -0.49, 0.3])
@pytest.mark.parametrize("lang", ["it", "en"])
def test_nothing_rounds_to_minus_zero(value, lang):
    assert "-" not in fmt.number(value, lang)
    assert "-" not in fmt.money(value, lang)
    assert "-" not in fmt.percent(value / 1000, lang)


def test_money_follows_the_language_pattern():
    assert fmt.money(14601.49, "it") == f"14.601{NBSP}€"
    assert fmt.money(14601.49, "it", 2) == f"14.601,49{NBSP}€"
    assert fmt.money(14601.49, "en") == "€14,601"
    assert fmt.money(-1234, "en") == "-€1,234"
    assert fmt.money(-1234, "it") == f"-1.234{NBSP}€"


@pytest.mark.parametrize("bad", [None, math.nan, math.inf, "abc"])
def test_missing_values_are_a_dash(bad):
    assert fmt.number(bad, "it") == fmt.MISSING
    assert fmt.money(bad, "en") == fmt.MISSING
    assert fmt.quantity(bad, "kWh", "it") == fmt.MISSING


def test_smart_number_drops_a_trailing_zero_and_decimals_from_100_up():
    assert fmt.smart_number(8.1, "it") == "8,1"
    assert fmt.smart_number(8.04, "it") == "8"
    assert fmt.smart_number(12.0, "en") == "12"
    assert fmt.smart_number(1234.56, "it") == "1.235"


def test_quantity_keeps_number_and_unit_together():
    assert fmt.quantity(1049, "kW", "it") == f"1.049{NBSP}kW"
    assert fmt.quantity(3.25, "kWp", "en", 1) == f"3.2{NBSP}kWp"  # half to even


def test_percent():
    assert fmt.percent(0.2, "it") == "20%"
    assert fmt.percent(0.125, "en", 1) == "12.5%"


def test_dates_are_written_out_not_iso():
    assert fmt.date("2024-11-01", "it") == "1 novembre 2024"
    assert fmt.date(dt.date(2024, 11, 1), "en") == "1 November 2024"
    assert fmt.date(dt.datetime(2026, 4, 15, 9, 30), "it", "short") == "15/04/26"
    assert fmt.date("not a date", "it") == "not a date"
    assert fmt.month_year("2025-08", "it") == "agosto 2025"
    assert fmt.month_year("2025-08", "en") == "August 2025"
    assert fmt.month_names("it")[0] == "gen"
    assert fmt.month_names("en", "wide")[11] == "December"


@pytest.mark.parametrize(
    ("count", "lang", "category"),
    [
        (1, "it", "one"),
        (2, "it", "other"),
        (0, "it", "other"),
        (1, "en", "one"),
        (0, "en", "other"),
    ],
)
def test_plural_categories(count, lang, category):
    assert fmt.plural_category(count, lang) == category


def test_plotly_separators():
    assert fmt.separators("it") == ",."
    assert fmt.separators("en") == ".,"


def test_unknown_language_is_italian():
    assert fmt.number(1234.5, "de", 1) == "1.234,5"


def test_plotly_money_puts_the_symbol_where_the_language_does():
    assert fmt.plotly_money("it") == "%{value:,.0f}\u00a0€"
    assert fmt.plotly_money("en") == "€%{value:,.0f}"
