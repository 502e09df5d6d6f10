"""The pages' figures are plain specs wrapped without Plotly's validation (for speed:
``app/components/charts.py``): here each one is rebuilt *with* validation, which raises on a
property Plotly does not know and coerces values it would change, and must send the same JSON."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io
import pytest
from _plotly_utils.utils import convert_to_base64

from app.components import calculator_charts, transparency_charts
from app.components.charts import encode_arrays
from cer_core import formatting as fmt
from cer_core.resident import SEASONS, ResidentInputs, estimate

LABELS = {
    "months": [f"M{i}" for i in range(1, 13)],
    "production": "Production",
    "consumption": "Consumption",
    "self_consumption": "Self-consumption",
    "shared": "Shared",
    "seasons": {s: f"Season {s}" for s in SEASONS},
    "self_consumed": "Self-consumed",
    "shared_plant": "Shared (plant)",
    "sold": "Sold",
    "shared_consumer": "Shared (consumer)",
    "net": "Net",
    "cumulative": "Cumulative",
    "me": "Me",
    "others": "Others",
    "fund": "Fund",
    "money_template": fmt.plotly_money("it"),
}


def _sent(figure: go.Figure) -> dict:
    return json.loads(plotly.io.to_json(figure, validate=False))


def _assert_valid_and_unchanged(figure: go.Figure) -> None:
    sent = _sent(figure)
    validated = go.Figure(figure.to_dict())  # raises on an unknown property or bad value
    assert sent == _sent(validated)
    assert sent["layout"]["template"] == _sent(go.Figure())["layout"]["template"]


@pytest.fixture(scope="module", params=["consumer", "pv"])
def resident_estimate(request):
    return estimate(ResidentInputs(option=request.param, annual_kwh=2700))


@pytest.mark.parametrize("name", ["monthly", "typical_days", "cash_flow", "where_incentive_goes"])
def test_calculator_figures_are_valid_plotly(resident_estimate, name):
    figure = getattr(calculator_charts, name)(resident_estimate, LABELS)
    _assert_valid_and_unchanged(figure)
    if name != "where_incentive_goes" or resident_estimate.delta_net_incentives_eur > 0.005:
        assert figure.to_dict()[
            "data"
        ]  # something is drawn (the page shows the split only when > 0)


def test_array_encoding_is_plotlys(resident_estimate):
    """The charts' own typed-array encoding (faster) sends what Plotly's converter sends."""
    hours = np.arange(24)  # int64, which Plotly narrows to int8
    spec = {
        "data": [
            {"type": "bar", "x": hours, "y": np.linspace(0.0, 1.5, 24), "marker": {"color": "r"}},
            {"type": "bar", "x": hours, "y": np.arange(24, dtype=np.float32)},
            {"type": "scatter", "x": ["a", "b"], "y": [1, 2.5], "customdata": np.array([[1.0]])},
            {"type": "scatter", "x": pd.Series([1.0, 2.0]), "y": np.array([]), "z": (1, 2)},
            {"type": "bar", "y": np.linspace(1e6, 1e7, 5)[::2], "text": [np.array([1.0])]},
        ],
        "layout": {"xaxis": {"range": np.array([0.0, 1.0])}, "shapes": [{"x0": np.ones(3)}]},
    }
    spec["data"] += [calculator_charts.typical_days(resident_estimate, LABELS)._spec["data"][0]]
    expected = copy.deepcopy(spec)
    convert_to_base64(expected)
    encode_arrays(spec, {})
    assert json.dumps(spec, default=repr, sort_keys=True) == json.dumps(
        expected, default=repr, sort_keys=True
    )
    assert spec["data"][0]["x"] == {"dtype": "i1", "bdata": expected["data"][0]["x"]["bdata"]}
    assert spec["data"][0]["y"]["dtype"] == "f8"


def test_typical_days_grid_has_four_titled_panels(resident_estimate):
    layout = calculator_charts.typical_days(resident_estimate, LABELS).to_dict()["layout"]
    titles = [a["text"] for a in layout["annotations"]]
    assert titles == [f"Season {s}" for s in SEASONS]
    assert {"xaxis4", "yaxis4"} <= set(layout)
    assert layout["height"] == 520


def test_transparency_figures_are_valid_plotly():
    per_config = pd.DataFrame(
        {"name": ["Bovisa", "Città Studi"], "incentives_eur": [10.0, 20.0], "projects_eur": [1, 2]}
    )
    _assert_valid_and_unchanged(
        transparency_charts.configuration_bars(
            per_config, {"incentives_eur": "Incentives", "projects_eur": "Projects"}, "€"
        )
    )
    flows = pd.DataFrame(
        {"source": ["gse", "gse"], "target": ["producers", "social_fund"], "amount_eur": [3, 1.5]}
    )
    _assert_valid_and_unchanged(transparency_charts.sankey(flows, {"gse": "GSE"}, "€"))
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2025-01-01", "2025-02-01"]),
            "measured_kwh": [100.0, None],
            "estimated_kwh": [None, 90.0],
            "forecast_shared_kwh": [95.0, 92.0],
        }
    )
    _assert_valid_and_unchanged(
        transparency_charts.monthly_energy(
            monthly,
            {"measured": "m", "estimated": "e", "forecast": "f"},
            "kWh",
            list("ABCDEFGHIJKL"),
        )
    )
    per_municipio = pd.DataFrame(
        {"municipio": [3, 4], "configurations": ["A", "B"], "projects_eur": [5.0, 2.0]}
    )
    square = [[[9.2, 45.4], [9.3, 45.4], [9.3, 45.5], [9.2, 45.4]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"municipio": n, "centroid": [9.25, 45.45]},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
            for n in (3, 4)
        ],
    }
    for outlines in (geojson, None):
        _assert_valid_and_unchanged(
            transparency_charts.municipi_choropleth(
                per_municipio, outlines, "projects_eur", "€", "Municipio", number_format=str
            )
        )
