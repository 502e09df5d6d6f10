"""How every page draws a Plotly figure: the page language's number separators and no Plotly
toolbar (its English tooltips and buttons covered the legend on phones; Streamlit's own toolbar
stays); and how the pages' figures are built cheaply (:func:`figure`)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app.components.numbers import separators

#: Plotly's config for every chart of the app.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


def figure(spec: dict) -> go.Figure:
    """A Plotly figure from a plain spec (``{"data": [...], "layout": {...}}``), without
    Plotly's per-property validation.

    Building a figure trace by trace (``add_bar``, ``make_subplots``, ``update_layout``)
    validates every property each time: 25-36 ms for the calculator's typical days alone, on
    every rerun. The specs of the pages' charts are fixed by their code, so they are validated
    once, by the tests (``tests/app/test_chart_specs.py`` rebuilds each with validation and
    compares), not on every rerun. Streamlit then only reads the figure back as a dict.
    """
    return go.Figure(spec, _validate=False)


def show_chart(figure: go.Figure, key: str, responsive: bool = False) -> None:
    """Draw ``figure`` (``responsive`` asks Plotly to follow the container's size)."""
    figure.update_layout(separators=separators())
    config = CHART_CONFIG | ({"responsive": True} if responsive else {})
    st.plotly_chart(figure, config=config, key=key)
