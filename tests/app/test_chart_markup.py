"""Database text reaches Plotly labels and hover text, where a subset of HTML is live (a link,
line breaks, character references): the charts escape it and drop control/bidi characters."""

from __future__ import annotations

import pandas as pd
import pytest

from app.components import transparency_charts as charts

HOSTILE = [
    "<a href='https://evil.example'>Città Studi</a>",
    "Città<br>Studi",
    "Città &#60;b&#62;",
    "Città \u202eidutS",
    "Città\u2066Studi\x1b[31m",
]


def _inert(text: str) -> bool:
    return "<" not in text and not any(c in text for c in "\u202e\u2066\x1b") and "&#" not in text


def _per_config(name: str) -> pd.DataFrame:
    return pd.DataFrame({"name": [name], "incentives_eur": [10.0]})


@pytest.mark.parametrize("name", HOSTILE)
def test_configuration_names_are_inert_in_bar_labels(name):
    fig = charts.configuration_bars(_per_config(name), {"incentives_eur": "Incentivi"}, "€")
    (label,) = fig.to_dict()["data"][0]["y"]
    assert _inert(label)
    assert "Citt" in label  # the name is still shown, as text


@pytest.mark.parametrize("name", HOSTILE)
def test_configuration_names_are_inert_in_map_hover(name):
    per_municipio = pd.DataFrame(
        {"municipio": [3], "configurations": [name], "projects_eur": [5.0]}
    )
    square = [[[9.2, 45.4], [9.3, 45.4], [9.3, 45.5], [9.2, 45.4]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"municipio": 3, "centroid": [9.25, 45.45]},
                "geometry": {"type": "Polygon", "coordinates": square},
            }
        ],
    }
    fig = charts.municipi_choropleth(
        per_municipio, geojson, "projects_eur", "€", "Municipio", number_format=str
    )
    hover = fig.to_dict()["data"][0]["text"]
    data_part = hover.split("<br>", 2)[2]  # after the chart's own bold title and value
    assert _inert(data_part)


def test_plain_shows_punctuation_as_typed():
    assert charts.plain("A & B < 1 MW") == "A &amp; B &lt; 1 MW"
    assert charts.plain("Niguarda-Affori") == "Niguarda-Affori"


def test_sankey_labels_are_inert():
    flows = pd.DataFrame({"source": ["gse"], "target": ["<b>x</b>"], "amount_eur": [1.0]})
    fig = charts.sankey(flows, {"gse": "GSE"}, "€")
    assert all(_inert(label) for label in fig.to_dict()["data"][0]["node"]["label"])
