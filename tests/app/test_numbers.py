"""The pages' number helpers (app/components/numbers.py) write figures in the language chosen
with the switch, through cer_core.formatting."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from app.components import numbers

    st.text(numbers.number(1234.56, 1))
    st.text(numbers.money(1234.4))
    st.text(numbers.kwh(1049.2))
    st.text(numbers.quantity(12.5, "kWp", 1))
    st.text(numbers.percent(0.205, 1))
    st.text(numbers.smart(8.06))
    st.text(numbers.date("2024-11-01"))
    st.text(numbers.month_year("2025-08"))
    st.text(numbers.separators())


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "it",
            [
                "1.234,6",
                "1.234\u00a0€",
                "1.049\u00a0kWh",
                "12,5\u00a0kWp",
                "20,5%",
                "8,1",
                "1 novembre 2024",
                "agosto 2025",
                ",.",
            ],
        ),
        (
            "en",
            [
                "1,234.6",
                "€1,234",
                "1,049\u00a0kWh",
                "12.5\u00a0kWp",
                "20.5%",
                "8.1",
                "1 November 2024",
                "August 2025",
                ".,",
            ],
        ),
    ],
)
def test_helpers_follow_the_page_language(lang, expected):
    at = AppTest.from_function(_page, default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    assert [t.value for t in at.text] == expected
