"""How every page draws a Plotly figure: the page language's number separators and no Plotly
toolbar (its English tooltips and buttons covered the legend on phones; Streamlit's own toolbar
stays); and how the pages' figures are built cheaply (:func:`figure`)."""

from __future__ import annotations

import base64
from functools import lru_cache

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import streamlit as st
from _plotly_utils.utils import is_homogeneous_array, is_skipped_key, to_typed_array_spec

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
        # numeric arrays as typed arrays, as go.Figure.to_dict does; the template (plain JSON,
        # no arrays) is added after, so it is not walked on every rerun
        figure = {"data": self._spec["data"], "layout": self._spec["layout"]}
        encode_arrays(figure, {})
        figure["layout"] = {"template": _template(), **figure["layout"]}
        return figure


def encode_arrays(spec, done: dict) -> None:
    """Replace, in place, the arrays of ``spec`` by Plotly's typed-array form
    (``{"dtype": "f8", "bdata": <base64>}``), as ``_plotly_utils.utils.convert_to_base64`` does.

    The same result, cheaper: a 1-D float64 numpy array (what the charts mostly hold) is encoded
    directly, while Plotly's converter first wraps every array in a dataframe-agnostic layer
    (~70 µs an array; the typical-days chart has 32). An array seen twice (``done``, by
    identity) is encoded once. Anything else goes through Plotly's own functions.
    ``tests/app/test_chart_specs.py`` compares the result with Plotly's.
    """
    if not isinstance(spec, dict):  # in a list or tuple only what is inside dicts is encoded
        for value in spec:
            if isinstance(value, (dict, list, tuple)):
                encode_arrays(value, done)
        return
    for key, value in spec.items():
        if is_skipped_key(key):
            continue
        if isinstance(value, np.ndarray) and id(value) in done:
            spec[key] = done[id(value)][1]
        elif isinstance(value, np.ndarray) and value.dtype == np.float64 and value.ndim == 1:
            if value.size:
                encoded = base64.b64encode(np.ascontiguousarray(value)).decode("ascii")
                spec[key] = {"dtype": "f8", "bdata": encoded}
                done[id(value)] = (value, spec[key])  # the array pinned: its id stays its own
        elif is_homogeneous_array(value):
            spec[key] = to_typed_array_spec(value)
            if isinstance(value, np.ndarray):
                done[id(value)] = (value, spec[key])
        elif isinstance(value, (dict, list, tuple)):
            encode_arrays(value, done)


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
