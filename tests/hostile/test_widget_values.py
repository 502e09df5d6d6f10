"""Hypothesis over the calculator's widgets (AppTest): any value a widget can send never brings a
traceback; the page shows results, or an error next to the input."""

from __future__ import annotations

from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.app.apptest import run_page
from tests.hostile.strategies import HOSTILE_SETTINGS

OPTIONS = ("consumer", "pv", "pv_join", "producer")
#: number inputs have no min/max in the page: the browser sends any finite number
NUMBERS = st.one_of(
    st.floats(-1e12, 1e12, allow_nan=False),
    st.sampled_from([0.0, -0.0, -1.0, 1e-9, 0.1, 999_999.0, 1e7, 1e15, -1e15]),
)


# each example is two script runs (~1-2 s): few examples, no long shrinking
@settings(HOSTILE_SETTINGS, max_examples=10, phases=[Phase.explicit, Phase.generate])
@given(
    option=st.sampled_from(OPTIONS),
    bands=st.booleans(),
    numbers=st.fixed_dictionaries(
        {k: NUMBERS for k in ("kwh", "f1", "f2", "f3", "kwp", "area", "costo")}
    ),
    fractions=st.fixed_dictionaries({"incl": st.floats(0, 1), "ombra": st.floats(0, 1)}),
)
def test_any_widget_value_renders_results_or_a_field_error(option, bands, numbers, fractions):
    at = run_page("calcolatore", "it", query={"scelta": option, "bande": "1" if bands else "0"})
    assert not at.exception
    present = {w.key: w for w in at.number_input}
    for name, value in numbers.items():
        if f"calc_{name}" in present:
            present[f"calc_{name}"].set_value(value)
    for slider in at.slider:
        name = slider.key.removeprefix("calc_")
        if name in fractions:
            slider.set_value(slider.min + fractions[name] * (slider.max - slider.min))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    shown = len(at.get("metric")) + len(at.error) + len(at.warning)
    assert shown, "neither results nor an error: the page went blank"
