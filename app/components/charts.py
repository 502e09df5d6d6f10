"""How every page draws a Plotly figure: the page language's number separators and no Plotly
toolbar (its English tooltips and buttons covered the legend on phones; Streamlit's own toolbar
stays)."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from app.components.numbers import separators

#: Plotly's config for every chart of the app.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


def show_chart(figure: go.Figure, key: str, responsive: bool = False) -> None:
    """Draw ``figure`` (``responsive`` asks Plotly to follow the container's size)."""
    # whole trace names in hover labels (Plotly cuts them at 15 characters: "Prevista (si…")
    figure.update_layout(separators=separators(), hoverlabel_namelength=-1)
    config = CHART_CONFIG | ({"responsive": True} if responsive else {})
    st.plotly_chart(figure, config=config, key=key)
