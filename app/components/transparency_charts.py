"""Plotly figures of the Trasparenza page. Pure functions: DataFrames and labels in, figures out.

Built as plain specs and wrapped without Plotly's per-property validation
(:func:`app.components.charts.figure`; ``tests/app/test_chart_specs.py`` validates them).
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go

from app.components.charts import figure
from cer_core.bounds import MILAN_CENTRE_DEG

GREEN, BLUE, ORANGE, GREY = "#0B5D3B", "#0A5A8C", "#B85C00", "#6B7770"
NODE_COLOURS = {
    "gse": "#0A5A8C",
    "producers": "#B85C00",
    "management": "#6B7770",
    "social_fund": "#0B5D3B",
    "unallocated": "#C9D3CD",
    "unassigned": "#C9D3CD",
}
CATEGORY_COLOUR = "#3C8D5A"

#: Control and bidirectional-text characters: dropped from data text before it is drawn.
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain(text: object) -> str:
    """Database text made inert for Plotly, which renders a subset of HTML (``<a href>``,
    ``<br>``, ``<b>``, character references) in labels and hover text: markup is escaped (shown
    as typed) and control / bidirectional characters are dropped. The importer refuses them
    already; this guards the page whatever reached the database."""
    return html.escape(_INVISIBLE.sub("", str(text)), quote=False)


def _layout(height: int = 380, **extra) -> dict:
    return {
        **extra,
        "height": height,
        "margin": {"l": 10, "r": 10, "t": 30, "b": 10},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    }


def sankey(flows: pd.DataFrame, labels: dict[str, str], value_label: str) -> go.Figure:
    """GSE → producers / management / social fund → project categories.

    ``flows`` has ``source``, ``target``, ``amount_eur``; ``labels`` maps node ids to text.
    """
    nodes = list(dict.fromkeys([*flows["source"], *flows["target"]]))
    index = {node: i for i, node in enumerate(nodes)}
    trace = {
        "type": "sankey",
        "arrangement": "snap",
        "textfont": {"color": "#1B1F1D", "size": 13, "shadow": "none"},
        "valueformat": ",.0f",
        "valuesuffix": " €",
        "node": {
            "label": [plain(labels.get(n, n)) for n in nodes],
            "color": [NODE_COLOURS.get(n, CATEGORY_COLOUR) for n in nodes],
            "pad": 18,
            "thickness": 16,
        },
        "link": {
            "source": [index[s] for s in flows["source"]],
            "target": [index[t] for t in flows["target"]],
            "value": flows["amount_eur"].tolist(),
            "color": "rgba(11, 93, 59, 0.25)",
            "hovertemplate": f"%{{source.label}} → %{{target.label}}<br>{value_label}: "
            "%{value}<extra></extra>",
        },
    }
    return figure({"data": [trace], "layout": _layout(420)})


def monthly_energy(
    monthly: pd.DataFrame, labels: dict[str, str], axis_title: str, month_names: list[str]
) -> go.Figure:
    """Bars of measured / estimated shared energy per month, with the forecast as a line [kWh]."""
    x = [
        f"{month_names[pd.Timestamp(m).month - 1]} {pd.Timestamp(m).year}" for m in monthly["month"]
    ]
    data = []
    if monthly["measured_kwh"].notna().any():
        data.append(
            {
                "type": "bar",
                "x": x,
                "y": monthly["measured_kwh"].to_numpy(),
                "name": labels["measured"],
                "marker": {"color": GREEN},
            }
        )
    if monthly["estimated_kwh"].notna().any():
        data.append(
            {
                "type": "bar",
                "x": x,
                "y": monthly["estimated_kwh"].to_numpy(),
                "name": labels["estimated"],
                "marker": {"color": GREEN, "pattern": {"shape": "/"}},
                "opacity": 0.75,
            }
        )
    if monthly["forecast_shared_kwh"].notna().any():
        data.append(
            {
                "type": "scatter",
                "x": x,
                "y": monthly["forecast_shared_kwh"].to_numpy(),
                "name": labels["forecast"],
                "mode": "lines+markers",
                "line": {"color": ORANGE, "width": 3},
            }
        )
    layout = _layout(
        barmode="stack",
        yaxis={"title": {"text": axis_title}, "tickformat": ",.0f"},
        hovermode="x unified",
    )
    return figure({"data": data, "layout": layout})


def configuration_bars(
    per_config: pd.DataFrame, columns: dict[str, str], axis_title: str
) -> go.Figure:
    """Grouped horizontal bars per configuration for the given money columns [EUR]."""
    colours = [GREEN, BLUE, ORANGE, GREY]
    names = [plain(name) for name in per_config["name"]]
    data = [
        {
            "type": "bar",
            "y": names,
            "x": per_config[column].to_numpy(),
            "name": label,
            "orientation": "h",
            "marker": {"color": colour},
        }
        for (column, label), colour in zip(columns.items(), colours, strict=False)
    ]
    layout = _layout(
        120 + 60 * len(per_config),
        barmode="group",
        xaxis={"title": {"text": axis_title}, "tickformat": ",.0f"},
        yaxis={"autorange": "reversed"},
    )
    return figure({"data": data, "layout": layout})


LOW, HIGH = (241, 246, 243), (11, 93, 59)


def _shade(fraction: float) -> str:
    fraction = min(max(fraction, 0.0), 1.0)
    r, g, b = (round(lo + (hi - lo) * fraction) for lo, hi in zip(LOW, HIGH, strict=True))
    return f"rgb({r},{g},{b})"


def municipi_choropleth(
    per_municipio: pd.DataFrame,
    geojson: dict | None,
    value: str,
    value_label: str,
    municipio_label: str,
    number_format: Callable[[float], str],
) -> go.Figure:
    """Choropleth of the 9 Municipi coloured by ``value``; a bar chart when no outlines exist.

    ``geojson`` is a FeatureCollection whose features carry ``properties.municipio`` (1-9) and
    ``properties.centroid``. The outlines are drawn as filled polygons on plain axes (longitude,
    latitude scaled by cos(latitude)): no map tiles, no WebGL, no download, so the map works
    offline and in every browser (plotly's geo maps fetch their base map from a CDN and stay
    blank offline). One trace per Municipio, named ``"<label> <n>"``. ``number_format`` writes
    the hover's value in the page's language (the page passes its number helper).
    """
    names = [f"{municipio_label} {m}" for m in per_municipio["municipio"]]
    if not geojson:
        bars = {
            "type": "bar",
            "x": names,
            "y": per_municipio[value].tolist(),
            "marker": {"color": GREEN},
        }
        return figure({"data": [bars], "layout": _layout(yaxis={"title": {"text": value_label}})})
    numbers = per_municipio["municipio"].astype(int)
    values = dict(zip(numbers, per_municipio[value].astype(float), strict=True))
    configs = dict(zip(numbers, per_municipio["configurations"], strict=True))
    top = max(values.values()) or 1.0
    data = []
    label_x, label_y, label_text, label_colour = [], [], [], []
    for feature in geojson.get("features", []):
        number = int(feature["properties"]["municipio"])
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        xs, ys = [], []
        for polygon in polygons:
            xs += [p[0] for p in polygon[0]] + [None]
            ys += [p[1] for p in polygon[0]] + [None]
        amount = values.get(number, 0.0)
        data.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "fill": "toself",
                "fillcolor": _shade(amount / top),
                "line": {"color": "#1B1F1D", "width": 1},
                "mode": "lines",
                "name": f"{municipio_label} {number}",
                "hoveron": "fills",
                "hoverinfo": "text",
                "text": f"<b>{municipio_label} {number}</b><br>{value_label}: "
                f"{number_format(amount)}<br>{plain(configs.get(number, ''))}",
                "showlegend": False,
            }
        )
        centroid = feature["properties"].get("centroid")
        if centroid:
            label_x.append(centroid[0])
            label_y.append(centroid[1])
            label_text.append(str(number))
            label_colour.append("#FFFFFF" if amount / top > 0.55 else "#1B1F1D")
    data.append(
        {
            "type": "scatter",
            "x": label_x,
            "y": label_y,
            "text": label_text,
            "mode": "text",
            "textfont": {"size": 15, "color": label_colour},
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "labels",
        }
    )
    data.append(  # the colour scale
        {
            "type": "scatter",
            "x": [None],
            "y": [None],
            "mode": "markers",
            "marker": {
                "colorscale": [[0, _shade(0)], [1, _shade(1)]],
                "cmin": 0,
                "cmax": top,
                "color": [0],
                "showscale": True,
                "colorbar": {"title": {"text": value_label, "side": "right"}, "thickness": 12},
            },
            "hoverinfo": "skip",
            "showlegend": False,
            "name": "scale",
        }
    )
    layout = _layout(
        480,
        xaxis={"visible": False},
        yaxis={
            "visible": False,
            "scaleanchor": "x",
            "scaleratio": 1 / math.cos(math.radians(MILAN_CENTRE_DEG[0])),
        },
        plot_bgcolor="rgba(0,0,0,0)",
        dragmode=False,
    )
    return figure({"data": data, "layout": layout})


def municipi_geojson(gdf) -> dict:
    """FeatureCollection of the Municipi (simplified for display) with label points."""
    shapes = gdf[["municipio", "name", "geometry"]].copy()
    shapes["geometry"] = shapes.geometry.simplify(0.0002, preserve_topology=True)
    points = gdf.geometry.representative_point()
    shapes["centroid"] = [[round(p.x, 5), round(p.y, 5)] for p in points]
    shapes["municipio"] = shapes["municipio"].astype(int)
    return json.loads(shapes.to_json())
