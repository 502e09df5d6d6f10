"""Trasparenza: where every euro of the solidarity CER goes, as public open data.

Views (``?vista=``): riepilogo, configurazioni, municipi, progetti, flussi, energia. The period is
``?anno=`` (a year or ``tutti``); the projects view filters with ``?municipio=``, ``?stato=``,
``?categoria=``; the energy view with ``?configurazione=``; the map with ``?indicatore=``.
Every table can be downloaded as CSV (formulas neutralised) and the whole dataset as JSON with its
data dictionary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from app.components import transparency_charts as charts
from app.components import transparency_data as data
from app.components.charts import show_chart
from app.components.csv_downloads import CsvButton, csv_pair
from app.components.numbers import date, month_year, number
from app.components.numbers import money as euro
from app.components.url_state import UrlState
from app.i18n import catalogue, t, tn, translate
from cer_core.spreadsheet import dictionary_csv, italian_csv
from cer_core.transparency.models import PROJECT_CATEGORIES, PROJECT_STATUSES
from cer_core.transparency.store import data_dictionary, to_csv_bytes

VIEWS = ("riepilogo", "configurazioni", "municipi", "progetti", "flussi", "energia")
ALL_YEARS = "tutti"
ALL = "tutti"  # "no filter" in the URL and in the filter widgets
INDICATORS = ("projects_eur", "incentives_eur", "shared_kwh", "households")
VIEW_ICONS = {
    "riepilogo": ":material/dashboard:",
    "configurazioni": ":material/hub:",
    "municipi": ":material/map:",
    "progetti": ":material/volunteer_activism:",
    "flussi": ":material/account_tree:",
    "energia": ":material/bolt:",
}
VIEW_TABLES = {
    "riepilogo": ("energy", "payments", "allocations", "projects", "members"),
    "configurazioni": ("energy", "payments", "allocations", "projects", "members", "plants"),
    "municipi": ("energy", "payments", "projects"),
    "progetti": ("projects",),
    "flussi": ("payments", "allocations", "projects"),
    "energia": ("energy",),
}

DICTIONARY_FIELDS = ("label", "column", "unit", "codes", "description")
#: Whole-number columns that are codes or years, written without a thousands separator.
CODE_COLUMNS = {"municipio", "year", "cp_number", "cp"}

KPI_GRID_STYLE = """<style>
.st-key-trasparenza_kpis [data-testid="stHorizontalBlock"] {
  display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; }
.st-key-trasparenza_kpis [data-testid="stColumn"] {
  width: auto !important; min-width: 0 !important; flex: none !important; }
@media (max-width: 640px) {
  .st-key-trasparenza_kpis [data-testid="stHorizontalBlock"] {
    grid-template-columns: repeat(2, minmax(0, 1fr)); } }
</style>"""
VIEW_PARAMS = {
    "municipi": ("indicatore",),
    "progetti": ("municipio", "stato", "categoria"),
    "energia": ("configurazione",),
}

#: URL parameters whose value was not understood in this run (named in a notice).
ignored: list[str] = []


def ignore(name: str, label: str, raw: str) -> None:
    """Note a link parameter whose value this page cannot use (named later, never echoed)."""
    ignored.append(name)


url = UrlState("trasparenza_", ignore)


def italian_labels() -> dict[str, dict]:
    """Italian words for the codes a CSV may hold, per column (for the spreadsheet form)."""
    catalogue_it = catalogue("it")

    def words(prefix: str) -> dict[str, str]:
        return {
            k.removeprefix(f"trasparenza.{prefix}"): v
            for k, v in catalogue_it.items()
            if k.startswith(f"trasparenza.{prefix}")
        }

    status = words("status_") | words("config_")
    nodes = words("node_") | words("cat_")
    return {
        "status": status,
        "category": words("cat_"),
        "owner_type": words("owner_"),
        "from": nodes,
        "to": nodes,
        "source": nodes,
        "target": nodes,
    }


def italian_header(column: str) -> str:
    """The Italian spreadsheet header of a machine column (with € for money)."""
    key = f"trasparenza.col_{column}"
    if key not in catalogue("it"):
        return column
    label = translate("it", key)
    return f"{label} (€)" if column.endswith("_eur") else label


def download(frame: pd.DataFrame, name: str) -> None:
    """Two CSV downloads of ``frame``: for Italian spreadsheets (``;``, decimal comma, Italian
    headers and labels) and machine-readable (raw column names and codes, as in the data
    dictionary)."""
    csv_pair(
        f"cer-milano-{name}",
        CsvButton(
            t("trasparenza.download_csv_it"),
            t("trasparenza.download_csv_it_help"),
            f"download_it_{name}",
            lambda frame=frame: italian_csv(
                frame,
                {c: italian_header(c) for c in frame.columns},
                italian_labels(),
                date_columns=[c for c in frame.columns if c.endswith("_date")],
            ),
        ),
        CsvButton(
            t("trasparenza.download_csv"),
            t("trasparenza.download_csv_help"),
            f"download_{name}",
            lambda frame=frame: to_csv_bytes(frame),
        ),
    )


def dictionary_rows() -> list[dict[str, str]]:
    """One row per column any table download may hold: Italian header, machine name, unit,
    allowed codes with their Italian words, description (from the store's data dictionary)."""
    known: dict[str, dict] = {}
    for table_spec in data_dictionary().values():
        for column, spec in table_spec["columns"].items():
            known.setdefault(column, spec)
    labels = italian_labels()
    rows = []
    columns = sorted({k.removeprefix("trasparenza.col_") for k in catalogue("it") if ".col_" in k})
    for column in columns:
        spec = known.get(column, {})
        unit = spec.get("unit") or ("kWh" if column.endswith("_kwh") else "")
        unit = unit or (
            "EUR" if column.endswith("_eur") else "kW" if column.endswith("_kw") else ""
        )
        allowed = spec.get("allowed") or []
        codes = "; ".join(f"{a} = {labels.get(column, {}).get(a, a)}" for a in allowed)
        rows.append(
            {
                "label": italian_header(column),
                "column": column,
                "unit": unit,
                "codes": codes,
                "description": spec.get("description", ""),
            }
        )
    return rows


def column_labels(columns: Sequence[str]) -> dict:
    """Translated headers for ``st.dataframe`` (the CSV keeps the raw names)."""
    config = {}
    for column in columns:
        label = t(f"trasparenza.col_{column}")
        config[column] = st.column_config.Column(
            f"{label} (€)" if column.endswith("_eur") else label
        )
    return config


def _whole(values: pd.Series) -> bool:
    """Every value a whole number (a count or a zero), so no decimals are written."""
    present = values.dropna()
    return bool(len(present)) and bool((present % 1 == 0).all())


def cell_formats(frame: pd.DataFrame) -> dict[str, Callable]:
    """How each column's cells are written: the page's language, never the browser's."""
    formats: dict[str, Callable] = {}
    for column in frame.columns:
        if column.endswith("_eur"):
            formats[column] = lambda v: number(v, 2)
        elif pd.api.types.is_float_dtype(frame[column]) and _whole(frame[column]):
            formats[column] = number  # counts that became floats in a join: 60, not 60.0
        elif pd.api.types.is_float_dtype(frame[column]) or column.endswith(("_kwh", "_kw")):
            formats[column] = lambda v: number(v, 1 if abs(v or 0) < 100 else 0)
        elif pd.api.types.is_integer_dtype(frame[column]) and column not in CODE_COLUMNS:
            formats[column] = number
        elif column.endswith("_date") or pd.api.types.is_datetime64_any_dtype(frame[column]):
            formats[column] = lambda v: date(v, "medium") if v else ""
    return formats


def table(frame: pd.DataFrame, **kwargs) -> None:
    """``st.dataframe`` with translated headers and cells written by :mod:`cer_core.formatting`
    (a pandas Styler: the numbers stay numbers, so columns still sort by value)."""
    styled = frame.style.format(cell_formats(frame), na_rep="")
    st.dataframe(styled, hide_index=True, column_config=column_labels(frame.columns), **kwargs)


def plot(figure, key: str) -> None:
    show_chart(figure, key)


def show_table(frame: pd.DataFrame, name: str) -> None:
    table(frame, width="stretch")
    download(frame, name)


def read(function: Callable, *args):
    """``function(*args)`` from the store; when the database cannot be read, say so and stop."""
    try:
        return function(*args)
    except data.StoreUnavailableError:
        st.error(t("trasparenza.db_unavailable"), icon=":material/cloud_off:")
        show_ignored()
        st.stop()


def show_ignored() -> None:
    """Name the URL parameters whose value was ignored (the parameter, never the value)."""
    if ignored:
        notice.warning(
            t("trasparenza.url_ignored", params=", ".join(f"`{n}`" for n in ignored)),
            icon=":material/link_off:",
        )
        ignored.clear()


st.title(t("trasparenza.title"))
notice = st.empty()  # filled at the end when the link held values the page could not use
st.markdown(t("trasparenza.lead"))

years = read(data.years)
year_options = [ALL_YEARS, *years]
default_year = years[0] if years else ALL_YEARS
vista = url.widget(
    st.segmented_control,
    t("trasparenza.view_label"),
    "vista",
    "riepilogo",
    options=VIEWS,
    format_func=lambda v: f"{VIEW_ICONS[v]} {t(f'trasparenza.view_{v}')}",
    required=True,
)
for other, names in VIEW_PARAMS.items():  # a view's filters leave the URL with the view
    if other != vista:
        for name in names:
            url.forget(name)
period_column, _ = st.columns([1, 3])
with period_column:
    year_choice = url.widget(
        st.selectbox,
        t("trasparenza.period_label"),
        "anno",
        default_year,
        options=year_options,
        format_func=lambda y: t("trasparenza.all_years") if y == ALL_YEARS else str(y),
    )
year = None if year_choice == ALL_YEARS else int(year_choice)
view = read(data.view, year)

as_of = read(data.as_of)
period = t("trasparenza.all_years") if year is None else str(year)
st.caption(
    t(
        "trasparenza.as_of",
        period=period,
        date=date(as_of) if as_of else t("trasparenza.no_date"),
    )
)
stale_shown = data.stale()
if stale_shown:
    st.warning(t("trasparenza.db_stale"), icon=":material/cloud_off:")
if view.is_demo(*VIEW_TABLES[vista]):
    st.warning(t("trasparenza.demo_banner"), icon=":material/science:")

kpi_slot = st.container()  # the headline figures, drawn once the view's filters are known
filters: dict = {}  # View.totals() arguments set by the views that filter
scope: list[str] = []  # the filters in words, for the caption under the figures
st.divider()

if vista == "riepilogo":
    st.header(t("trasparenza.summary_title"))
    st.markdown(t("trasparenza.summary_body"))
    st.subheader(t("trasparenza.poverty_title"))
    st.markdown(t("trasparenza.poverty_body"))
    per_config = read(data.by_configuration, year)
    per_config["status"] = per_config["status"].map(lambda s: t(f"trasparenza.config_{s}"))
    show_table(
        per_config[["name", "status", "members", "shared_kwh", "incentives_eur", "projects_eur"]],
        f"riepilogo-{period}",
    )

elif vista == "configurazioni":
    st.header(t("trasparenza.config_title"))
    per_config = read(data.by_configuration, year)
    per_config["status"] = per_config["status"].map(lambda s: t(f"trasparenza.config_{s}"))
    plot(
        charts.configuration_bars(
            per_config,
            {
                "incentives_eur": t("trasparenza.col_incentives_eur"),
                "social_fund_eur": t("trasparenza.col_social_fund_eur"),
                "projects_eur": t("trasparenza.col_projects_eur"),
            },
            "€",
        ),
        "chart_configurations",
    )
    show_table(per_config, f"configurazioni-{period}")
    st.subheader(t("trasparenza.plants_title"))
    plants = view["plants"].drop(columns=["demo"])
    table(plants.assign(owner_type=plants["owner_type"].map(lambda o: t(f"trasparenza.owner_{o}"))))
    download(plants, "impianti")

elif vista == "municipi":
    st.header(t("trasparenza.municipi_title"))
    indicator = url.widget(
        st.selectbox,
        t("trasparenza.indicator_label"),
        "indicatore",
        "projects_eur",
        options=INDICATORS,
        format_func=lambda c: t(f"trasparenza.col_{c}"),
    )
    per_municipio = read(data.by_municipio, year)
    geojson = data.municipi_geojson()
    plot(
        charts.municipi_choropleth(
            per_municipio,
            geojson,
            indicator,
            t(f"trasparenza.col_{indicator}"),
            t("trasparenza.municipio"),
            number_format=number,
        ),
        "chart_municipi",
    )
    st.caption(t("trasparenza.municipi_note") if geojson else t("trasparenza.municipi_no_map"))
    show_table(per_municipio, f"municipi-{period}")

elif vista == "progetti":
    st.header(t("trasparenza.projects_title"))
    columns = st.columns(3)
    with columns[0]:
        municipio = url.widget(
            st.selectbox,
            t("trasparenza.municipio"),
            "municipio",
            ALL,
            options=[ALL, *range(1, 10)],
            format_func=lambda m: t("trasparenza.all") if m == ALL else f"Municipio {m}",
        )
    with columns[1]:
        status = url.widget(
            st.selectbox,
            t("trasparenza.col_status"),
            "stato",
            ALL,
            options=[ALL, *PROJECT_STATUSES],
            format_func=lambda s: (
                t("trasparenza.all") if s == ALL else t(f"trasparenza.status_{s}")
            ),
        )
    with columns[2]:
        category = url.widget(
            st.selectbox,
            t("trasparenza.col_category"),
            "categoria",
            ALL,
            options=[ALL, *PROJECT_CATEGORIES],
            format_func=lambda c: t("trasparenza.all") if c == ALL else t(f"trasparenza.cat_{c}"),
        )
    filters = {
        "municipio": None if municipio == ALL else municipio,
        "status": None if status == ALL else status,
        "category": None if category == ALL else category,
    }
    scope = [
        *([f"Municipio {municipio}"] if municipio != ALL else []),
        *([t(f"trasparenza.status_{status}")] if status != ALL else []),
        *([t(f"trasparenza.cat_{category}")] if category != ALL else []),
    ]
    projects = view.projects(**filters)
    st.caption(
        tn(
            "trasparenza.projects_count",
            len(projects),
            approved=euro(projects["approved_eur"].sum()),
            spent=euro(projects["spent_eur"].sum()),
        )
    )
    shown = projects.assign(
        status=projects["status"].map(lambda s: t(f"trasparenza.status_{s}")),
        category=projects["category"].map(lambda c: t(f"trasparenza.cat_{c}")),
    )
    columns = [
        "title",
        "municipio",
        "category",
        "status",
        "approved_eur",
        "spent_eur",
        "beneficiaries",
        "vote_date",
        "configuration_id",
        "proposer",
    ]
    if projects.empty:
        st.info(t("trasparenza.projects_none"), icon=":material/filter_alt_off:")
    table(shown[columns])
    download(projects.drop(columns=["demo"]), f"progetti-{period}")

elif vista == "flussi":
    st.header(t("trasparenza.flows_title"))
    st.markdown(t("trasparenza.flows_body"))
    flows = read(data.flows, year)
    if flows.empty:
        st.info(t("trasparenza.flows_none"), icon=":material/info:")
    else:
        node_labels = {
            node: t(f"trasparenza.node_{node}")
            for node in (
                "gse",
                "producers",
                "management",
                "social_fund",
                "unallocated",
                "unassigned",
            )
        }
        node_labels |= {c: t(f"trasparenza.cat_{c}") for c in PROJECT_CATEGORIES}
        plot(charts.sankey(flows, node_labels, t("trasparenza.amount")), key="chart_sankey")
        shown = flows.rename(columns={"source": "from", "target": "to"})
        table(
            shown.assign(
                **{c: shown[c].map(lambda n: node_labels.get(n, n)) for c in ("from", "to")}
            )
        )
        download(shown, f"flussi-{period}")

elif vista == "energia":
    st.header(t("trasparenza.energy_title"))
    configs = view["configurations"]
    names = dict(zip(configs["configuration_id"], configs["name"], strict=True))
    configuration = url.widget(
        st.selectbox,
        t("trasparenza.configuration_label"),
        "configurazione",
        ALL,
        options=[ALL, *names],
        format_func=lambda c: t("trasparenza.all_configurations") if c == ALL else names[c],
    )
    if configuration != ALL:
        filters = {"configuration_id": configuration}
        scope = [names[configuration]]
    monthly = read(data.monthly_energy, year, None if configuration == ALL else configuration)
    if monthly.empty:
        st.info(t("trasparenza.energy_none"), icon=":material/info:")
    else:
        plot(
            charts.monthly_energy(
                monthly,
                {
                    "measured": t("trasparenza.energy_measured"),
                    "estimated": t("trasparenza.energy_estimated"),
                    "forecast": t("trasparenza.energy_forecast"),
                },
                "kWh",
                t("trasparenza.month_names").split(","),
            ),
            "chart_energy",
        )
        st.caption(t("trasparenza.energy_note"))
        monthly = monthly.dropna(axis="columns", how="all")
        table(
            monthly.assign(month=monthly["month"].map(lambda m: month_year(str(m)[:7]))),
            width="stretch",
        )
        download(
            monthly.assign(month=monthly["month"].map(lambda m: str(m)[:7])), f"energia-{period}"
        )

with kpi_slot:
    totals = read(data.totals, year, *(filters.get(k) for k in data.TOTALS_FILTERS))
    # One row of six columns laid out as a grid: three per row on a wide screen, two on a phone
    # (Streamlit would stack them one per row, ~550 px before the filters).
    st.html(KPI_GRID_STYLE)
    metrics = st.container(key="trasparenza_kpis").columns(6)
    metrics[0].metric(t("trasparenza.kpi_shared"), f"{number(totals['shared_kwh'] / 1000, 1)} MWh")
    metrics[1].metric(t("trasparenza.kpi_incentives"), euro(totals["incentives_eur"]))
    metrics[2].metric(t("trasparenza.kpi_social"), euro(totals["social_fund_eur"]))
    metrics[3].metric(
        t("trasparenza.kpi_projects"),
        number(totals["projects_funded"]),
        help=t("trasparenza.kpi_projects_help", amount=euro(totals["projects_eur"])),
    )
    metrics[4].metric(t("trasparenza.kpi_households"), number(totals["households"]))
    metrics[5].metric(t("trasparenza.kpi_members"), number(totals["members"]))
    if scope:
        st.caption(t("trasparenza.kpi_scope", scope=" · ".join(scope)))

st.divider()
st.subheader(t("trasparenza.open_data_title"))
st.markdown(t("trasparenza.open_data_body"))
st.download_button(
    t("trasparenza.download_dictionary"),
    data=lambda: dictionary_csv(
        dictionary_rows(),
        {k: translate("it", f"trasparenza.dict_{k}") for k in DICTIONARY_FIELDS},
    ),
    file_name="cer-milano-dizionario-dei-dati.csv",
    mime="text/csv",
    icon=":material/menu_book:",
    key="download_dictionary",
    on_click="ignore",  # no rerun: it could drop the file being built
)
st.download_button(
    t("trasparenza.download_json"),
    data=read(data.dataset_json),
    file_name="cer-milano-trasparenza.json",
    mime="application/json",
    icon=":material/data_object:",
    key="download_json",
    on_click="ignore",  # no rerun: it could drop the file being built
)
if data.stale() and not stale_shown:  # only the JSON came from an earlier copy
    st.warning(t("trasparenza.db_stale"), icon=":material/cloud_off:")
show_ignored()
