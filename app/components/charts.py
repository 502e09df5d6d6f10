"""How every page draws a Plotly figure: the page language's number separators and no Plotly
toolbar (its English tooltips and buttons covered the legend on phones; Streamlit's own toolbar
stays); and how the pages' figures are built cheaply (:func:`figure`)."""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from _plotly_utils.utils import convert_to_base64

from app.components.numbers import separators

#: Plotly's config for every chart of the app.
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False}


@lru_cache(maxsize=1)
def _template() -> dict:
    """Plotly's default template as a spec (what a ``go.Figure`` adds to every layout)."""
    return pio.templates[pio.templates.default].to_plotly_json()


class SpecFigure(go.Figure):
    """A figure that is only its spec: ``to_dict`` hands the spec over as it is.

    Building a figure trace by trace (``add_bar``, ``make_subplots``, ``update_layout``)
    validates every property each time, and even an unvalidated ``go.Figure`` builds an object
    per property and deep-copies them back into a dict: 25-36 ms, then ~8 ms, for the
    calculator's four charts on every rerun. ``st.plotly_chart`` only needs the dict. The specs
    of the pages' charts are fixed by their code, so Plotly validates them once, in the tests
    (``tests/app/test_chart_specs.py`` rebuilds each with validation and compares the JSON),
    not on every rerun. Deliberately not initialised as a ``go.Figure``: only ``to_dict`` and
    ``layout_update`` are meant to be used.
    """

    def __init__(self, spec: dict):  # noqa: D107 - no go.Figure state on purpose
        self._spec = spec

    def layout_update(self, **values) -> None:
        """Set top-level layout properties (``separators``…)."""
        self._spec["layout"].update(values)

    def to_dict(self) -> dict:
        figure = {
            "data": self._spec["data"],
            "layout": {"template": _template(), **self._spec["layout"]},
        }
        convert_to_base64(figure)  # numeric arrays as typed arrays, as go.Figure.to_dict does
        return figure


def figure(spec: dict) -> SpecFigure:
    """A figure for ``st.plotly_chart`` from a plain spec (``{"data": [...], "layout":
    {...}}``), without Plotly's per-rerun object building (see :class:`SpecFigure`)."""
    return SpecFigure(spec)


def show_chart(figure: go.Figure, key: str, responsive: bool = False) -> None:
    """Draw ``figure`` (``responsive`` asks Plotly to follow the container's size)."""
    # whole trace names in hover labels (Plotly cuts them at 15 characters: "Prevista (si…")
    values = {"separators": separators(), "hoverlabel": {"namelength": -1}}
    if isinstance(figure, SpecFigure):
        figure.layout_update(**values)
    else:
        figure.update_layout(**values)
    config = CHART_CONFIG | ({"responsive": True} if responsive else {})
    st.plotly_chart(figure, config=config, key=key)
