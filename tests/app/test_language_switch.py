"""Switching language in the sidebar redraws every option widget in the new language.

Streamlit sends a select box's value to the browser as its label; the browser shows that label
until Python sets the value again. These tests read what the browser is told to show
(``proto.raw_value`` with ``set_value``) after the switch, not only the Python-side value.
"""

from __future__ import annotations

import pytest

from tests.app.apptest import run_page


def switch_language(at, lang: str):
    switch = next(b for b in at.get("button_group") if b.key == "lang")
    return switch.set_value(lang).run()


def shown(at, kind: str, key: str) -> str:
    """The label the browser shows for widget ``key`` after this run."""
    element = next(e for e in at.get(kind) if e.key == key)
    assert element.proto.set_value, f"{key}: value not re-sent, the browser keeps the old label"
    proto = element.proto
    if kind == "button_group":  # a multi-value widget: the list of selected labels
        return ", ".join(proto.raw_values)
    return proto.raw_value


@pytest.mark.parametrize(
    ("first", "then", "expected"),
    [
        (
            "it",
            "en",
            {
                ("selectbox", "calc_conf"): "From the address",
                ("selectbox", "calc_chi"): "Household",
                ("radio", "calc_scelta"): "Join as a consumer",
            },
        ),
        (
            "en",
            "it",
            {
                ("selectbox", "calc_conf"): "Dall'indirizzo",
                ("selectbox", "calc_chi"): "Famiglia",
                ("radio", "calc_scelta"): "Aderire come consumatore",
            },
        ),
    ],
)
def test_calculator_selects_follow_the_language(first, then, expected):
    at = switch_language(run_page("calcolatore", first), then)
    assert not at.exception
    for (kind, key), label in expected.items():
        assert shown(at, kind, key) == label
    # the value itself is still the code (so links and the engine are unaffected)
    assert at.selectbox(key="calc_chi").value == "household"


def test_calculator_pv_options_follow_the_language():
    at = run_page("calcolatore", "it", query={"scelta": "pv_join"})
    at = switch_language(at, "en")
    assert not at.exception
    assert shown(at, "selectbox", "calc_detr").startswith("Main home")
    assert shown(at, "button_group", "calc_prezzi") == "Central"


def test_transparency_filters_follow_the_language():
    at = switch_language(run_page("trasparenza", "it", query={"vista": "progetti"}), "en")
    assert not at.exception
    assert shown(at, "selectbox", "trasparenza_stato") == "All"
    assert shown(at, "selectbox", "trasparenza_categoria") == "All"
    at = switch_language(at, "it")
    assert shown(at, "selectbox", "trasparenza_stato") == "Tutti"
