"""The URL-state component (app/components/url_state.py): what a link may hold, what is ignored
(and reported), and that a value goes to the URL and comes back from it."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app.components.url_state import BAD, from_url, in_range, parse, to_url


@pytest.mark.parametrize(
    ("raw", "default", "expected"),
    [
        ("1", False, True),
        ("true", False, True),
        ("0", True, False),
        ("False", True, False),
        ("yes", False, BAD),
        ("30", 0, 30),
        ("30.0", 0, 30),
        ("30.5", 0, BAD),
        ("4.5", 0.0, 4.5),
        ("-2", 0.0, -2.0),
        ("1e3", 0.0, 1000.0),
        ("abc", 0.0, BAD),
        ("nan", 0.0, BAD),
        ("inf", 0.0, BAD),
        ("-Infinity", 0, BAD),
        ("1e999", 0.0, BAD),
        ("Via Roma 1", "", "Via Roma 1"),
    ],
)
def test_parse_gives_the_default_type_or_bad(raw, default, expected):
    value = parse(raw, default)
    if expected is BAD:
        assert value is BAD
    else:
        assert value == expected
        assert type(value) is type(expected)


def test_parse_refuses_text_longer_than_max_chars():
    assert parse("x" * 5, "", max_chars=5) == "x" * 5
    assert parse("x" * 6, "", max_chars=5) is BAD


@pytest.mark.parametrize(
    ("value", "limits", "inside"),
    [
        (0, (0, 10), True),
        (10, (0, 10), True),
        (10.01, (0, 10), False),
        (-1, (0, 10), False),
        (0, (0, 10, True), False),  # low open: zero kWh is not a consumption
        (0.1, (0, 10, True), True),
        (1e12, None, True),
    ],
)
def test_in_range(value, limits, inside):
    assert in_range(value, limits) is inside


@pytest.mark.parametrize(
    ("raw", "default", "options", "limits", "expected"),
    [
        (None, 3.0, None, (0, 10), (3.0, False)),
        ("", 3.0, None, (0, 10), (3.0, False)),  # an empty value means "no value"
        ("4.5", 3.0, None, (0, 10), (4.5, False)),
        ("11", 3.0, None, (0, 10), (3.0, True)),
        ("0", 3.0, None, (0, 10, True), (3.0, True)),
        ("nan", 3.0, None, (0, 10), (3.0, True)),
        ("S", "S", ("N", "E", "S", "W"), None, ("S", False)),
        ("W", "S", ("N", "E", "S", "W"), None, ("W", False)),
        ("SSW", "S", ("N", "E", "S", "W"), None, ("S", True)),
        ("2024", 2025, ("tutti", 2025, 2024), None, (2024, False)),  # options matched by text
        ("tutti", 2025, ("tutti", 2025, 2024), None, ("tutti", False)),
        ("1999", 2025, ("tutti", 2025, 2024), None, (2025, True)),
    ],
)
def test_from_url(raw, default, options, limits, expected):
    value, ignored = from_url(raw, default, options, limits)
    assert (value, ignored) == expected
    assert type(value) is type(expected[0])


def test_to_url_round_trips_through_parse():
    for value in (True, False, 0, 35, 4.5, 1234.25, "Via Roma 1"):
        text = to_url(value)
        assert isinstance(text, str)
        assert parse(text, value) == value
    assert to_url(True) == "1"
    assert to_url(False) == "0"


def _page():
    """A page with one widget of each kind the app keeps in the URL."""
    import streamlit as st

    from app.components.url_state import UrlState

    st.session_state.setdefault("ignored", [])

    def note(name, label, raw):
        st.session_state["ignored"].append((name, label, raw))

    url = UrlState("t_", note)
    if st.button("forget", key="forget"):  # before the widget, as the Calcolatore does
        url.forget("kwp")
    url.number("Power", "kwp", 3.0, 0.5, (0, 20, True), fmt="%.1f")
    url.widget(st.slider, "Tilt", "incl", 30, min_value=0, max_value=90, step=5)
    url.widget(
        st.selectbox,
        "Facing",
        "orient",
        "S",
        options=["N", "E", "S", "W"],
        format_func=lambda d: {"N": "North", "E": "East", "S": "South", "W": "West"}[d],
    )
    url.widget(st.toggle, "Bands", "bande", False)
    url.widget(st.text_input, "Address", "indirizzo", "", max_chars=10)


def run(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def url_of(at: AppTest) -> dict[str, str]:
    return {k: v[0] if isinstance(v, list) else v for k, v in at.query_params.items()}


def test_defaults_leave_the_url_empty():
    at = run()
    assert not at.exception
    assert at.number_input(key="t_kwp").value == 3.0
    assert at.slider(key="t_incl").value == 30
    assert at.selectbox(key="t_orient").value == "S"
    assert at.toggle(key="t_bande").value is False
    assert url_of(at) == {}
    assert at.session_state["ignored"] == []


def test_good_link_values_fill_the_widgets():
    at = run({"kwp": "4.5", "incl": "35", "orient": "W", "bande": "1", "indirizzo": "Via Po 1"})
    assert not at.exception
    assert at.number_input(key="t_kwp").value == 4.5
    assert at.slider(key="t_incl").value == 35
    assert at.selectbox(key="t_orient").value == "W"
    assert at.toggle(key="t_bande").value is True
    assert at.text_input(key="t_indirizzo").value == "Via Po 1"
    assert at.session_state["ignored"] == []


def test_bad_and_out_of_range_values_give_the_default_and_are_reported():
    at = run({"kwp": "0", "incl": "95", "orient": "SSW", "bande": "maybe", "indirizzo": "x" * 11})
    assert not at.exception
    assert at.number_input(key="t_kwp").value == 3.0  # low bound open
    assert at.slider(key="t_incl").value == 30  # above the slider's max
    assert at.selectbox(key="t_orient").value == "S"
    assert at.toggle(key="t_bande").value is False
    assert at.text_input(key="t_indirizzo").value == ""
    assert sorted(at.session_state["ignored"]) == [
        ("bande", "Bands", "maybe"),
        ("incl", "Tilt", "95"),
        ("indirizzo", "Address", "x" * 11),
        ("kwp", "Power", "0"),
        ("orient", "Facing", "SSW"),
    ]
    assert url_of(at) == {}  # the ignored values leave the link


def test_values_round_trip_through_the_url():
    at = run()
    at.number_input(key="t_kwp").set_value(6.5)
    at.slider(key="t_incl").set_value(45)
    at.selectbox(key="t_orient").set_value("E")
    at.toggle(key="t_bande").set_value(True)
    at.run()
    assert url_of(at) == {"kwp": "6.5", "incl": "45", "orient": "E", "bande": "1"}
    again = run(url_of(at))  # the shared link opens the same inputs
    assert again.number_input(key="t_kwp").value == 6.5
    assert again.slider(key="t_incl").value == 45
    assert again.selectbox(key="t_orient").value == "E"
    assert again.toggle(key="t_bande").value is True
    assert again.session_state["ignored"] == []
    at.selectbox(key="t_orient").set_value("S")  # back to the default: dropped from the link
    at.run()
    assert "orient" not in url_of(at)


def test_translated_options_are_labelled_with_the_format_func():
    at = run()
    assert at.selectbox(key="t_orient").options == ["North", "East", "South", "West"]


def test_forget_drops_the_value_from_session_and_url():
    at = run({"kwp": "7"})
    assert at.number_input(key="t_kwp").value == 7.0
    assert url_of(at) == {"kwp": "7.0"}  # written back as the widget's value
    at.button(key="forget").click().run()
    assert at.number_input(key="t_kwp").value == 3.0
    assert "kwp" not in url_of(at)
