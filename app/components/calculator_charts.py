"""Plotly figures of the Calcolatore page. Pure functions: a ResidentEstimate and labels in."""

from __future__ import annotations

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cer_core.resident import SEASONS, ResidentEstimate

GREEN, BLUE, ORANGE, GREY, YELLOW = "#0B5D3B", "#0A5A8C", "#B85C00", "#6B7770", "#E0A100"
LIGHT_GREEN = "#3C8D5A"


def _layout(fig: go.Figure, height: int = 340, top: int = 40) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": top, "b": 10},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return fig


def monthly(est: ResidentEstimate, labels: dict) -> go.Figure:
    """Monthly production vs consumption (and self-consumption, shared thanks to me) [kWh]."""
    m = est.monthly
    x = [labels["months"][i - 1] for i in m.index]
    fig = go.Figure()
    if est.production_kwh > 0:
        fig.add_bar(x=x, y=m["production_kwh"], name=labels["production"], marker_color=YELLOW)
    if est.consumption_kwh > 0:
        fig.add_bar(x=x, y=m["consumption_kwh"], name=labels["consumption"], marker_color=BLUE)
    if est.self_consumption_kwh > 0:
        fig.add_scatter(
            x=x,
            y=m["self_consumption_kwh"],
            name=labels["self_consumption"],
            mode="lines+markers",
            line={"color": GREEN},
        )
    if est.shared_thanks_to_me_kwh > 0:
        fig.add_scatter(
            x=x,
            y=m["shared_thanks_to_me_kwh"],
            name=labels["shared"],
            mode="lines+markers",
            line={"color": ORANGE, "dash": "dot"},
        )
    fig.update_layout(barmode="group", yaxis_title="kWh")
    return _layout(fig)


def typical_days(est: ResidentEstimate, labels: dict) -> go.Figure:
    """A typical day per season: my plant's self-consumed / shared / sold energy, or the part of
    my consumption shared in the configuration (consumer) [kWh per hour]."""
    td = est.typical_days
    fig = make_subplots(
        rows=2,
        cols=2,
        shared_yaxes=True,
        subplot_titles=[labels["seasons"][s] for s in SEASONS],
        vertical_spacing=0.14,
        horizontal_spacing=0.06,
    )
    has_pv = est.production_kwh > 0
    series = (
        [
            ("self_consumption_kwh", labels["self_consumed"], GREEN),
            ("my_plant_shared_kwh", labels["shared_plant"], ORANGE),
            ("sold_not_shared_kwh", labels["sold"], YELLOW),
        ]
        if has_pv
        else [("shared_thanks_to_me_kwh", labels["shared_consumer"], ORANGE)]
    )
    for k, season in enumerate(SEASONS):
        row, col = k // 2 + 1, k % 2 + 1
        d = td[td["season"] == season]
        for column, name, colour in series:
            fig.add_bar(
                x=d["hour_of_day"],
                y=d[column],
                name=name,
                marker_color=colour,
                showlegend=k == 0,
                legendgroup=column,
                row=row,
                col=col,
            )
        if est.consumption_kwh > 0:
            fig.add_scatter(
                x=d["hour_of_day"],
                y=d["consumption_kwh"],
                name=labels["consumption"],
                line={"color": BLUE},
                mode="lines",
                showlegend=k == 0,
                legendgroup="consumption",
                row=row,
                col=col,
            )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(dtick=6, title_text=None)
    fig.update_yaxes(title_text="kWh", col=1)
    _layout(fig, height=520, top=110)
    fig.update_layout(legend={"y": 1.12, "yanchor": "bottom"})
    return fig


def cash_flow(est: ResidentEstimate, labels: dict) -> go.Figure:
    """Yearly net cash flow of my plant over the horizon and the cumulative balance [€]."""
    cf = est.cash_flows
    fig = go.Figure()
    colours = [GREEN if v >= 0 else ORANGE for v in cf["net_eur"]]
    fig.add_bar(x=cf["year"], y=cf["net_eur"], name=labels["net"], marker_color=colours)
    fig.add_scatter(
        x=cf["year"],
        y=cf["cumulative_eur"],
        name=labels["cumulative"],
        mode="lines+markers",
        line={"color": BLUE},
    )
    fig.add_hline(y=0, line_color=GREY, line_width=1)
    fig.update_layout(yaxis_title="€")
    return _layout(fig)


def where_incentive_goes(est: ResidentEstimate, labels: dict) -> go.Figure:
    """Split of the extra incentives my joining generates [€/yr]: my producers' share, other
    producers' share, the solidarity fund."""
    parts = [
        (labels["me"], est.producer_share_eur, ORANGE),
        (labels["others"], est.other_producers_eur, GREY),
        (labels["fund"], est.solidarity_eur, GREEN),
    ]
    parts = [(n, max(v, 0.0), c) for n, v, c in parts if v > 0.005]
    fig = go.Figure()
    if parts:
        fig.add_pie(
            labels=[p[0] for p in parts],
            values=[round(p[1], 2) for p in parts],
            marker={"colors": [p[2] for p in parts]},
            hole=0.5,
            sort=False,
            texttemplate=labels.get("money_template", "%{value:.0f} €") + "<br>%{percent}",
        )
    return _layout(fig, height=320)
