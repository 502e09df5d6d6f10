"""Pianificazione: where the next configurations should grow, and which municipal roofs first.

Two parts, public and read-only:

* **Areas (Fase 1)** — every GSE area with residents, households, energy-poverty indicators,
  schools and the serving configuration; a ranking the staff re-weight with sliders; map; CSV and
  XLSX export for a meeting.
* **Municipal roofs (autoconsumo individuale a distanza)** — the engine's order of construction
  within a budget, its cumulative curve and per-plant figures, from the illustrative example or
  from two uploaded files in the template format (every bad row listed, nothing half-read).

Every number comes from :mod:`cer_core.planning`; this page only gathers input and draws.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.components.charts import show_chart
from app.components.engine_text import error_text
from app.components.numbers import money, number, percent, quantity
from app.components.planning_data import public_candidates
from app.components.text import escape_markdown
from app.data_access import configurations
from app.i18n import current_language, t
from cer_core.bounds import MILAN_CENTRE_DEG
from cer_core.errors import InputError
from cer_core.paths import DataFileError, data_file
from cer_core.planning.area_table import area_overview, load_gse_areas, load_public_roofs
from cer_core.planning.export import to_csv_bytes, to_xlsx_bytes
from cer_core.planning.ranking import CRITERIA, DEFAULT_WEIGHTS, rank_areas
from cer_core.planning.roof_files import plan_from_files
from cer_core.planning.tables import RowProblem, TableError

lang = current_language()
MAX_SLIDER = 5


def show_figure(figure: go.Figure, key: str) -> None:
    figure.update_layout(margin=dict(l=0, r=0, t=30, b=0))
    show_chart(figure, key)


def choose(widget, label: str, values: tuple[str, ...], prefix: str, key: str, **kwargs) -> str:
    """A radio/selectbox showing translated labels and returning the chosen internal value.

    (The labels are the options themselves rather than a ``format_func``: AppTest evaluates a
    ``format_func`` outside the page's session, where the language is not known.)
    """
    labels = {t(f"pianificazione.{prefix}_{v}"): v for v in values}
    return labels.get(widget(label, list(labels), key=key, **kwargs), values[0])


@st.cache_data(show_spinner=False, max_entries=1)
def areas_table() -> pd.DataFrame:
    return area_overview()


@st.cache_resource(show_spinner=False, max_entries=1)
def municipi_outline() -> dict | None:
    """The 9 Municipi as a light GeoJSON (simplified ~30 m), drawn as vector lines so the maps
    stay readable when the background tiles cannot be loaded (offline); None if unavailable."""
    from cer_core.geo.layers import load_municipi

    try:
        frame = load_municipi()
    except DataFileError:
        return None
    return (
        frame[["municipio", "geometry"]]
        .assign(geometry=frame.geometry.simplify(0.0003))
        .__geo_interface__
    )


@st.cache_resource(show_spinner=False, max_entries=1)
def served_areas() -> dict | None:
    """The map page's areas of the pilot configurations (indicative or official polygons)."""
    from cer_core.geo.layers import load_areas

    try:
        frame = load_areas()
    except DataFileError:
        return None
    return (
        frame[["code", "geometry"]]
        .assign(geometry=frame.geometry.simplify(0.0002))
        .__geo_interface__
    )


def map_layout(figure: go.Figure, height: int, with_served: bool = False) -> None:
    """OpenStreetMap background (online) under the Municipi outlines (always drawn) and, on the
    areas map, the pilot configurations' areas as drawn on the Mappa page."""
    outline = municipi_outline()
    layers = []
    served = served_areas() if with_served else None
    if served:
        layers.append(
            dict(sourcetype="geojson", source=served, type="fill", color="rgba(30,120,80,0.25)")
        )
    if outline:
        layers.append(
            dict(
                sourcetype="geojson", source=outline, type="line", color="#556", line=dict(width=1)
            )
        )
    figure.update_layout(
        map=dict(
            style="open-street-map",
            center=dict(lat=MILAN_CENTRE_DEG[0], lon=MILAN_CENTRE_DEG[1]),
            zoom=10.3,
            layers=layers,
        ),
        height=height,
    )


@st.cache_data(show_spinner=False, max_entries=1)
def schools_table() -> pd.DataFrame:
    return load_public_roofs()


@st.cache_data(show_spinner=False, max_entries=32)
def roof_plan(roofs: bytes, points: bytes, budget_kwp, budget_eur, objective: str) -> dict:
    """The plan as a plain dict (cacheable); a refused table comes back as its problems."""
    try:
        plan = plan_from_files(roofs, points, budget_kwp, budget_eur, objective)
    except TableError as err:
        problems = [
            {
                "line": p.line,
                "column": p.column,
                "code": p.code,
                "message": p.message,
                "values": p.values,
            }
            for p in err.problems
        ]
        return {"error": err.field, "problems": problems}
    except InputError as err:  # a value the tables cannot catch row by row
        problem = {"line": None, "column": err.field, "code": err.code, "message": err.message}
        return {
            "error": "input",
            "field": err.field,
            "problems": [problem | {"values": err.values}],
        }
    result = plan.to_dict()
    result["xlsx"] = to_xlsx_bytes(
        {"ordine": pd.DataFrame(result["steps"]), "impianti": pd.DataFrame(result["plants"])}
    )
    return result


def with_candidates(ranked: pd.DataFrame) -> pd.DataFrame:
    """Add the number of candidates per area (0 when none or the database is unreachable)."""
    candidates = public_candidates()
    counts = (
        candidates.groupby("area_code").size()
        if candidates is not None and not candidates.empty
        else pd.Series(dtype=int)
    )
    return ranked.assign(candidates=ranked["area_code"].map(counts).fillna(0).astype(int))


@st.cache_data(show_spinner=False, max_entries=64, ttl=300)
def areas_exports(weights: tuple[tuple[str, float], ...]) -> tuple[bytes, bytes]:
    """CSV and XLSX of the ranking for one set of weights (XLSX writing is slow: cached)."""
    ranked = with_candidates(rank_areas(areas_table(), dict(weights)))
    export = ranked.drop(columns=[c for c in ("distributor",) if c in ranked.columns])
    weights_sheet = pd.DataFrame(
        {"criterion": [k for k, _ in weights], "weight": [v for _, v in weights]}
    )
    return to_csv_bytes(export), to_xlsx_bytes({"aree": export, "pesi": weights_sheet})


# --- areas ---------------------------------------------------------------------------------------


def configuration_label(config_id: str) -> str:
    """The serving configuration's published name (with its CER), or "none"."""
    if not config_id:
        return t("pianificazione.not_served")
    names = {c.id: f"{c.name} ({c.cer})" for c in configurations()}
    return t("pianificazione.served_by", configuration=names.get(config_id, config_id))


def weights_from_sliders() -> dict[str, float]:
    st.markdown(t("pianificazione.weights_intro"))
    columns = st.columns(len(CRITERIA))
    weights = {}
    for column, name in zip(columns, CRITERIA, strict=True):
        weights[name] = column.slider(
            t(f"pianificazione.w_{name}"),
            min_value=0,
            max_value=MAX_SLIDER,
            value=int(DEFAULT_WEIGHTS[name]),
            step=1,
            help=t(f"pianificazione.w_{name}_help"),
            key=f"pianificazione_w_{name}",
        )
    return weights


def areas_map(ranked: pd.DataFrame) -> None:
    hover = [
        t(
            "pianificazione.map_hover",
            area=row.area_code,
            rank=row.rank,
            score=number(row.score, 1),
            residents=number(row.residents),
            configuration=configuration_label(row.configuration),
        )
        for row in ranked.itertuples()
    ]
    size = 8 + 30 * (ranked["residents"] / max(ranked["residents"].max(), 1)) ** 0.5
    figure = go.Figure(
        go.Scattermap(
            lat=ranked["centre_lat"],
            lon=ranked["centre_lon"],
            mode="markers+text",
            text=ranked["rank"].astype(str),
            textposition="middle center",
            textfont=dict(color="#111", size=11),
            marker=dict(
                size=size,
                color=ranked["score"],
                colorscale="YlOrRd",
                cmin=0,
                cmax=100,
                colorbar=dict(title=t("pianificazione.col_score")),
            ),
            hovertext=hover,
            hoverinfo="text",
        )
    )
    map_layout(figure, 460, with_served=True)
    show_figure(figure, "pianificazione_areas_map")
    st.caption(t("pianificazione.map_caption"))


def areas_section() -> None:
    with st.expander(t("pianificazione.sources_title"), icon=":material/info:"):
        st.markdown(t("pianificazione.sources_body"))
    weights = weights_from_sliders()
    if not any(v > 0 for v in weights.values()):
        st.warning(t("pianificazione.all_zero"), icon=":material/tune:")
        return
    ranked = with_candidates(rank_areas(areas_table(), weights))
    areas_map(ranked)
    shown = pd.DataFrame(
        {
            t("pianificazione.col_rank"): ranked["rank"],
            t("pianificazione.col_area"): ranked["area_code"],
            t("pianificazione.col_configuration"): ranked["configuration"].map(configuration_label),
            t("pianificazione.col_residents"): ranked["residents"].map(number),
            t("pianificazione.col_households"): ranked["households"].map(number),
            t("pianificazione.col_one_person"): ranked["one_person_share"].map(
                lambda v: percent(v, 1)
            ),
            t("pianificazione.col_heat"): ranked["heat_exposure_mean"].map(lambda v: number(v, 2)),
            t("pianificazione.col_schools"): ranked["schools"].map(number),
            t("pianificazione.col_candidates"): ranked["candidates"].map(number),
            t("pianificazione.col_score"): ranked["score"].map(lambda v: number(v, 1)),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="pianificazione_areas_table")
    st.caption(t("pianificazione.table_caption"))
    csv_bytes, xlsx_bytes = areas_exports(tuple(weights.items()))
    left, right = st.columns(2)
    left.download_button(
        t("pianificazione.download_csv"),
        data=csv_bytes,
        file_name="cer-milano-aree.csv",
        mime="text/csv",
        icon=":material/download:",
        key="pianificazione_areas_csv",
        on_click="ignore",  # no rerun: it could drop the file being built
    )
    right.download_button(
        t("pianificazione.download_xlsx"),
        data=xlsx_bytes,
        file_name="cer-milano-aree.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="pianificazione_areas_xlsx",
        on_click="ignore",  # no rerun: it could drop the file being built
    )
    with st.expander(t("pianificazione.schools_title"), icon=":material/school:"):
        st.warning(t("pianificazione.schools_licence"), icon=":material/gavel:")
        schools = schools_table()
        st.dataframe(
            schools[["area_code", "name", "school_type", "address"]].rename(
                columns={
                    "area_code": t("pianificazione.col_area"),
                    "name": t("pianificazione.col_name"),
                    "school_type": t("pianificazione.col_type"),
                    "address": t("pianificazione.col_address"),
                }
            ),
            hide_index=True,
            width="stretch",
            key="pianificazione_schools",
        )
    candidates_section()


def candidates_section() -> None:
    """The Municipi's candidates, public columns only (no address, no contact, no private note)."""
    st.subheader(t("pianificazione.candidates_title"))
    frame = public_candidates()
    if frame is None:
        st.info(t("pianificazione.candidates_unavailable"), icon=":material/cloud_off:")
        return
    if frame.empty:
        st.caption(t("pianificazione.candidates_none"))
        return
    shown = pd.DataFrame(
        {
            t("pianificazione.col_area"): frame["area_code"],
            "Municipio": frame["municipio"],
            t("pianificazione.col_kind"): frame["kind"].map(
                lambda k: t(f"pianificazione.kind_{k}")
            ),
            t("pianificazione.col_status"): frame["contact_status"].map(
                lambda s: t(f"pianificazione.status_{s}")
            ),
            "kWp": frame["estimated_kwp"].map(lambda v: number(v, 1)),
            t("pianificazione.col_note"): frame["public_note"],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="pianificazione_candidates")
    st.caption(t("pianificazione.candidates_caption", count=len(frame)))


# --- municipal roofs -----------------------------------------------------------------------------


def template_downloads() -> None:
    left, right = st.columns(2)
    for column, name in ((left, "roofs"), (right, "supply_points")):
        path = data_file("planning", "templates", f"{name}_template.csv")
        column.download_button(
            t(f"pianificazione.template_{name}"),
            data=path.read_bytes(),
            file_name=path.name,
            mime="text/csv",
            icon=":material/download:",
            key=f"pianificazione_template_{name}",
            on_click="ignore",  # no rerun: it could drop the file being built
        )


def problem_text(problem: dict) -> str:
    """A refused row's detail in the page's language (the engine's code and values)."""
    keys = ("line", "column", "message", "code", "values")
    return error_text(RowProblem(*(problem[k] for k in keys)), current_language())


def show_problems(result: dict) -> None:
    if result["error"] == "input":
        st.error(
            t(
                "pianificazione.input_refused",
                field=result["field"],
                message=problem_text(result["problems"][0]),
            ),
            icon=":material/error:",
        )
        return
    table = t(f"pianificazione.table_{result['error']}")
    st.error(
        t("pianificazione.upload_refused", table=table, count=len(result["problems"])),
        icon=":material/error:",
    )
    rows = [
        {
            t("pianificazione.col_line"): "–" if p["line"] is None else p["line"],
            t("pianificazione.col_column"): p["column"] or "–",
            t("pianificazione.col_detail"): problem_text(p),
        }
        for p in result["problems"]
    ]
    st.dataframe(
        pd.DataFrame(rows), hide_index=True, width="stretch", key="pianificazione_problems"
    )


def cumulative_curve(steps: pd.DataFrame) -> None:
    x = [0.0, *steps["cumulative_kwp"]]
    y = [0.0, *steps["cumulative_eur_per_year"]]
    labels = ["", *steps["roof_id"]]
    figure = go.Figure(
        go.Scatter(
            x=x, y=y, mode="lines+markers+text", text=labels, textposition="top left",
            line=dict(shape="linear"),
            hovertemplate=t("pianificazione.curve_hover") + "<extra></extra>",
        )
    )  # fmt: skip
    figure.update_layout(
        xaxis_title=t("pianificazione.curve_x"),
        yaxis_title=t("pianificazione.curve_y"),
        height=360,
        # whole numbers with the language's separators ("250.000"), not Plotly's "250k"
        xaxis_tickformat=",.0f",
        yaxis_tickformat=",.0f",
    )
    show_figure(figure, "pianificazione_curve")


def roofs_map(plants: pd.DataFrame) -> None:
    built = plants.groupby("area_code")["kwp"].sum().reset_index()
    centres = load_gse_areas().set_index("area_code")[["centre_lat", "centre_lon"]]
    built = built.join(centres, on="area_code")
    hover = [
        t("pianificazione.roofs_map_hover", area=r.area_code, kwp=number(r.kwp))
        for r in built.itertuples()
    ]
    figure = go.Figure(
        go.Scattermap(
            lat=built["centre_lat"], lon=built["centre_lon"], mode="markers",
            marker=dict(size=10 + 30 * (built["kwp"] / built["kwp"].max()) ** 0.5, color="#e07b00"),
            hovertext=hover, hoverinfo="text",
        )
    )  # fmt: skip
    map_layout(figure, 380)
    show_figure(figure, "pianificazione_roofs_map")


def roofs_section() -> None:
    st.markdown(t("pianificazione.roofs_intro"))
    source = choose(
        st.radio, t("pianificazione.source"), ("example", "upload"), "source",
        key=f"pianificazione_source_{lang}", horizontal=True,
    )  # fmt: skip
    if source == "example":
        st.warning(t("pianificazione.illustrative"), icon=":material/science:")
        roofs = data_file("planning", "example_roofs.csv").read_bytes()
        points = data_file("planning", "example_supply_points.csv").read_bytes()
    else:
        st.caption(t("pianificazione.upload_help"))
        template_downloads()
        left, right = st.columns(2)
        roofs_file = left.file_uploader(
            t("pianificazione.upload_roofs"), type=["csv"], key="pianificazione_upload_roofs"
        )
        points_file = right.file_uploader(
            t("pianificazione.upload_points"), type=["csv"], key="pianificazione_upload_points"
        )
        if roofs_file is None or points_file is None:
            st.info(t("pianificazione.upload_waiting"), icon=":material/upload_file:")
            return
        roofs, points = roofs_file.getvalue(), points_file.getvalue()
    left, middle, right = st.columns(3)
    unit = choose(
        left.radio, t("pianificazione.budget_unit"), ("kwp", "eur"), "budget",
        key=f"pianificazione_budget_unit_{lang}", horizontal=True,
    )  # fmt: skip
    if unit == "kwp":
        budget = middle.number_input(
            t("pianificazione.budget_kwp_label"), min_value=0.0, max_value=100_000.0,
            value=1000.0, step=50.0, key="pianificazione_budget_kwp",
        )  # fmt: skip
    else:
        budget = middle.number_input(
            t("pianificazione.budget_eur_label"), min_value=0.0, max_value=1e9,
            value=1_200_000.0, step=50_000.0, key="pianificazione_budget_eur",
        )  # fmt: skip
    objective = choose(
        right.selectbox, t("pianificazione.objective"), ("per_eur", "per_kwp"), "objective",
        key=f"pianificazione_objective_{lang}",
    )  # fmt: skip
    with st.spinner(t("pianificazione.computing")):
        result = roof_plan(
            roofs,
            points,
            budget if unit == "kwp" else None,
            budget if unit == "eur" else None,
            objective,
        )
    if "error" in result:
        show_problems(result)
        return
    steps = pd.DataFrame(result["steps"])
    plants = pd.DataFrame(result["plants"])
    if steps.empty:
        st.warning(t("pianificazione.nothing_built"), icon=":material/block:")
        return
    a, b, c = st.columns(3)
    a.metric(t("pianificazione.metric_kwp"), quantity(steps["kwp"].sum(), "kWp"))
    b.metric(t("pianificazione.metric_capex"), money(steps["capex_eur"].sum()))
    c.metric(t("pianificazione.metric_value"), money(result["total_eur_per_year"]))
    cumulative_curve(steps)
    st.caption(t("pianificazione.curve_caption"))
    order = pd.DataFrame(
        {
            t("pianificazione.col_rank"): steps["rank"],
            t("pianificazione.col_roof"): steps["roof_id"] + " — " + steps["name"],
            t("pianificazione.col_area"): steps["area_code"],
            "kWp": steps["kwp"].map(lambda v: number(v, 1)),
            t("pianificazione.col_capex"): steps["capex_eur"].map(number),
            t("pianificazione.col_marginal"): steps["marginal_eur_per_year"].map(number),
            t("pianificazione.col_cumulative"): steps["cumulative_eur_per_year"].map(number),
        }
    )
    st.dataframe(order, hide_index=True, width="stretch", key="pianificazione_order")
    figures = pd.DataFrame(
        {
            t("pianificazione.col_roof"): plants["roof_id"],
            t("pianificazione.col_production"): plants["production_kwh"].map(number),
            t("pianificazione.col_on_site"): plants["self_consumed_on_site_kwh"].map(number),
            t("pianificazione.col_at_distance"): plants["shared_at_distance_kwh"].map(number),
            t("pianificazione.col_surplus"): plants["surplus_kwh"].map(number),
            t("pianificazione.col_eur_year"): plants["net_eur_per_year"].map(number),
            t("pianificazione.col_payback"): plants["payback_years"].map(lambda v: number(v, 1)),
        }
    )
    st.markdown(t("pianificazione.figures_title"))
    st.dataframe(figures, hide_index=True, width="stretch", key="pianificazione_figures")
    roofs_map(plants)
    if result["left_out"]:
        names = ", ".join(escape_markdown(d["roof_id"], 40) for d in result["left_out"])
        st.caption(t("pianificazione.left_out", roofs=names))
    rules = result["rules"]
    st.caption(
        t(
            "pianificazione.rules",
            tip=t(f"pianificazione.perimeter_{rules['tip_perimeter']}"),
            valorisation=t(f"pianificazione.perimeter_{rules['valorisation_perimeter']}"),
            cu_af=number(rules["cu_af_eur_per_mwh"], 2),
        )
    )
    st.download_button(
        t("pianificazione.download_plan"),
        data=result["xlsx"],
        file_name="cer-milano-tetti-comunali.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        key="pianificazione_plan_xlsx",
        on_click="ignore",  # no rerun: it could drop the file being built
    )


st.title(t("pianificazione.title"))
st.caption(t("pianificazione.intro"))
areas_tab, roofs_tab = st.tabs([t("pianificazione.tab_areas"), t("pianificazione.tab_roofs")])
for tab, section in ((areas_tab, areas_section), (roofs_tab, roofs_section)):
    with tab:
        try:
            section()
        except DataFileError as error:  # one broken file spoils its own part, not the page
            st.error(
                t("nav.data_error", file=error.path.name, path=str(error.path)),
                icon=":material/error:",
            )
