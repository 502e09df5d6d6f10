"""Calcolatore: a resident's estimate — join as a consumer, PV on my roof, or host a plant.

Thin page: widgets (every value in the URL) → ``cer_core.resident.ResidentInputs`` →
``estimate()`` (cached) → cards, charts, explanations, downloads.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from app.components import calculator_charts as charts
from app.components import calculator_engine as engine
from app.components.report import render_report
from app.components.sportello import contact_lines, sportello_box
from app.components.text import escape_markdown
from app.data_access import configurations
from app.i18n import current_language, follow_language, t, tn, translate
from cer_core import formatting as fmt
from cer_core import resident
from cer_core.errors import InputError
from cer_core.parameters import parameter_table
from cer_core.paths import DataFileError
from cer_core.profiles import MAX_ANNUAL_KWH, POWER_CLASSES

STATIC = Path(__file__).resolve().parents[1] / "static"
P = "calc_"  # session-state key prefix
COMPASS = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
AZIMUTH = {d: 45.0 * i for i, d in enumerate(COMPASS)}
SUMMARY_STYLE = """<style>
.st-key-calc_summary { display: none; }
@media (max-width: 640px) {
  /* sticky on the wrapper Streamlit puts around the container (same height as the box) */
  [data-testid="stLayoutWrapper"]:has(> .st-key-calc_summary) {
    position: sticky; top: 3.5rem; z-index: 10; }
  .st-key-calc_summary { display: flex; background: #FFFFFF; border: 1px solid #C9D3CD;
    border-radius: 0.5rem; padding: 0.4rem 0.75rem; box-shadow: 0 2px 6px rgba(0, 0, 0, 0.08); }
}
</style>"""
CHART_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}


# --- cached engine calls ------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=256)
def _locate(query: str) -> dict:
    from cer_core.geo import lookup  # the map's lookup, online setting included

    try:
        found = lookup(query)
    except InputError as err:
        return {"error": getattr(err, "reason", "no_match")}
    return {
        "configuration": found.configuration,
        "nil": found.nil,
        "municipio": found.municipio,
        "cabina": found.cabina_name,
        "official": found.official,
    }


@st.cache_data(show_spinner=False)
def _parameters(year: int) -> pd.DataFrame:
    rows = parameter_table(year)
    frame = pd.DataFrame(rows)[["name", "value", "unit", "source", "valid_from", "uncertain"]]
    frame["value"] = frame["value"].map(str)
    return frame


# --- formatting ---------------------------------------------------------------------------------


def num(x: float | None, digits: int = 0) -> str:
    """Number in the page language (IT: 1.234,5; EN: 1,234.5)."""
    return fmt.number(x, current_language(), digits)


def smart(x: float) -> str:
    """Whole number from 100 up, one decimal below (without a trailing ",0")."""
    return fmt.smart_number(x, current_language())


def eur(x: float | None, digits: int = 0) -> str:
    return fmt.money(x, current_language(), digits)


def kwh(x: float | None) -> str:
    return fmt.quantity(x, "kWh", current_language())


def payback_text(years: float | None) -> str:
    """``8,1 anni`` / ``1 year`` / ``beyond the horizon``."""
    if years is None:
        return t("calcolatore.never")
    return tn("calcolatore.years", round(years, 1), n=num(years, 1))


def estimate_link(lang: str) -> str:
    """The address of this page with this estimate's inputs (what the URL holds now)."""
    base = (st.context.url or "").split("?", 1)[0]
    params = st.query_params.to_dict() | ({"lang": lang} if lang != "it" else {})
    return base + ("?" + urlencode(params) if params else "")


def plot(figure, key: str) -> None:
    """A chart with the page language's number separators and no Plotly toolbar (its English
    tooltips and buttons covered the legend on phones; Streamlit's own toolbar stays)."""
    figure.update_layout(separators=fmt.separators(current_language()))
    st.plotly_chart(figure, config=CHART_CONFIG, key=key)


# --- URL-bound widgets --------------------------------------------------------------------------


BAD = object()


def _parse(raw: str, default, max_chars: int | None = None):
    """URL text → a value of the default's type, or ``BAD``."""
    if isinstance(default, bool):
        return (
            raw in ("1", "true", "True")
            if raw in ("0", "1", "true", "false", "True", "False")
            else BAD
        )
    if isinstance(default, int | float):
        try:
            value = float(raw)
        except (ValueError, OverflowError):
            return BAD
        if not math.isfinite(value):
            return BAD
        if isinstance(default, int):
            return int(value) if value == int(value) else BAD
        return value
    if max_chars is not None and len(raw) > max_chars:
        return BAD
    return raw


def _in_range(value, limits: tuple | None) -> bool:
    """Whether a number from the URL lies in ``limits`` = (low, high[, low_open])."""
    if limits is None:
        return True
    low, high, *rest = limits
    low_open = bool(rest and rest[0])
    return (low < value if low_open else low <= value) and value <= high


def url_widget(widget, label: str, name: str, default, options=None, url_range=None, **kwargs):
    """A widget whose value lives in the URL as ``?name=`` (dropped when equal to the default).

    Streamlit 1.67's ``bind="query-params"`` ignores the URL for widgets with a ``format_func``
    (our options are translated), so the URL is read and written here for every input. A URL
    value the widget cannot show or the engine would refuse (not a number, NaN, infinite,
    outside the slider or ``url_range`` = (low, high[, low_open]), not in the list, too long) is
    replaced by the default, and a notice says so; the link's text is shown inert (escaped).
    A value typed in the widget is validated by the engine, with the message next to the field.
    """
    key = P + name
    if key not in st.session_state:
        raw = st.query_params.get(name)
        value = (
            default if raw is None or raw == "" else _parse(raw, default, kwargs.get("max_chars"))
        )
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        if url_range is None and low is not None:
            url_range = (low, high)
        bad = value is BAD or (options is not None and value not in options)
        bad = bad or (isinstance(value, int | float) and not _in_range(value, url_range))
        if bad:
            st.warning(
                t("calcolatore.url_ignored", name=label, value=escape_markdown(raw, 40)),
                icon=":material/link_off:",
            )
            value = default
        st.session_state[key] = value
    if options is not None:
        follow_language(key)
        value = widget(label, options, key=key, **kwargs)
    else:
        value = widget(label, key=key, **kwargs)
    if value is None:
        value = default
    if value == default:
        if name in st.query_params:
            del st.query_params[name]
    else:
        st.query_params[name] = ("1" if value else "0") if isinstance(value, bool) else str(value)
    return value


def number(
    label: str,
    name: str,
    default: float,
    step: float,
    url_range: tuple,
    help_text=None,
    fmt="%.0f",
):
    """A number input (no min/max: the engine checks what the user types); a URL value outside
    ``url_range`` = (low, high[, low_open]) is ignored with a notice."""
    return url_widget(
        st.number_input,
        label,
        name,
        float(default),
        url_range=url_range,
        step=float(step),
        format=fmt,
        help=help_text,
    )


def tr(prefix: str):
    """A ``format_func`` translating ``prefix + option`` in the page's language (bound now, so
    it also works when Streamlit formats options outside the script run)."""
    lang_now = current_language()
    return lambda option: translate(lang_now, f"calcolatore.{prefix}{option}")


def compass_svg(azimuth: float) -> str:
    """A small compass with the panels' facing direction (SVG text, no external resource)."""
    letters = "".join(
        f'<text x="{50 + 38 * math.sin(math.radians(a))}" '
        f'y="{54 - 38 * math.cos(math.radians(a))}" text-anchor="middle" font-size="11" '
        f'fill="#4a5a52">{tr("compass_")(d)}</text>'
        for d, a in (("N", 0), ("E", 90), ("S", 180), ("W", 270))
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="96" height="96" '
        f'role="img" aria-label="{t("calcolatore.compass_alt")}">'
        '<circle cx="50" cy="50" r="46" fill="#f3f6f4" stroke="#c9d3cd"/>'
        f"{letters}"
        f'<g transform="rotate({azimuth} 50 50)">'
        '<polygon points="50,18 57,52 50,46 43,52" fill="#B85C00"/>'
        '<circle cx="50" cy="50" r="3" fill="#0B5D3B"/></g></svg>'
    )


# --- page ---------------------------------------------------------------------------------------

st.title(t("calcolatore.title"))
st.markdown(t("calcolatore.lead"))

configs = {c.id: c for c in configurations()}
refs = resident.load_reference_configurations()
lang = current_language()

# On a phone the two columns stack and the results sit far below the inputs: a one-line summary
# above the inputs, sticky under the header, shows the effect of every change (hidden when wide).
summary = st.container(key="calc_summary")
st.html(SUMMARY_STYLE)
inputs_col, results_col = st.columns([2, 3], gap="large")
slots: dict[str, st.delta_generator.DeltaGenerator] = {}

with inputs_col:
    # 1. where ------------------------------------------------------------------------------
    st.subheader(t("calcolatore.where_title"), divider="green")
    address = url_widget(
        st.text_input,
        t("calcolatore.address_label"),
        "indirizzo",
        "",
        placeholder=t("calcolatore.address_placeholder"),
        max_chars=200,
    ).strip()
    conf_options = ["auto", *[c for c in configs if c in refs], resident.DEFAULT_REFERENCE]
    conf_names = {
        "auto": t("calcolatore.conf_auto"),
        resident.DEFAULT_REFERENCE: t("calcolatore.conf_default"),
        **{c: configs[c].name for c in configs},
    }
    conf_choice = url_widget(
        st.selectbox,
        t("calcolatore.conf_label"),
        "conf",
        "auto",
        options=conf_options,
        format_func=lambda c: conf_names.get(c, c),
    )
    where = st.container()
    located = _locate(address) if address else None
    if conf_choice == "auto":
        config_id = located.get("configuration") if located else None
    else:
        config_id = None if conf_choice == resident.DEFAULT_REFERENCE else conf_choice
    ref_id = resident.reference_for(config_id)
    with where:
        if located and "error" in located and conf_choice == "auto":
            st.warning(
                t("calcolatore.address_not_found", query=escape_markdown(address)),
                icon=":material/help:",
            )
        elif located and conf_choice == "auto":
            st.caption(
                t("calcolatore.address_found", nil=located["nil"], municipio=located["municipio"])
            )
        if config_id and config_id in configs:
            c = configs[config_id]
            status = t(f"calcolatore.status_{c.status}")
            st.success(
                t("calcolatore.config_applies", name=c.name, cer=c.cer, status=status),
                icon=":material/bolt:",
            )
        elif not address and conf_choice == "auto":
            st.info(t("calcolatore.config_no_address"), icon=":material/info:")
        else:
            st.info(t("calcolatore.config_none"), icon=":material/info:")

    # 2. who ----------------------------------------------------------------------------------
    st.subheader(t("calcolatore.who_title"), divider="green")
    who = url_widget(
        st.selectbox,
        t("calcolatore.who_label"),
        "chi",
        "household",
        options=list(resident.WHO),
        format_func=tr("who_"),
    )
    # A new kind of user gets its own typical consumption, not the one typed for the previous.
    if st.session_state.get(P + "who_shown", who) != who:
        for name in ("kwh", "f1", "f2", "f3"):
            st.session_state.pop(P + name, None)
            if name in st.query_params:
                del st.query_params[name]
    st.session_state[P + "who_shown"] = who
    power_class = "1.5-3"
    if who == "household":
        power_class = url_widget(
            st.selectbox,
            t("calcolatore.power_class_label"),
            "classe",
            "1.5-3",
            options=list(POWER_CLASSES),
            format_func=lambda c: f"{c} kW",
            help=t("calcolatore.power_class_help"),
        )
    max_kwh = MAX_ANNUAL_KWH["household" if who == "household" else "nonresidential"]
    use_bands = url_widget(st.toggle, t("calcolatore.bands_toggle"), "bande", False)
    bands = None
    annual = None
    if use_bands:
        with st.expander(t("calcolatore.bands_where"), icon=":material/receipt_long:"):
            st.image(
                str(STATIC / "bolletta_fasce.svg"),
                width="stretch",
                alt=t("calcolatore.bands_image_alt"),
            )
            st.caption(t("calcolatore.bands_where_text"))
        b1, b2, b3 = st.columns(3)
        with b1:
            f1 = number("F1 (kWh)", "f1", 900, 50, (0, max_kwh))
        with b2:
            f2 = number("F2 (kWh)", "f2", 850, 50, (0, max_kwh))
        with b3:
            f3 = number("F3 (kWh)", "f3", 950, 50, (0, max_kwh))
        slots["f1_kwh"] = slots["f2_kwh"] = slots["f3_kwh"] = st.empty()
        bands = (f1, f2, f3)
    else:
        annual = number(
            t("calcolatore.annual_label"),
            "kwh",
            resident.DEFAULT_ANNUAL_KWH[who],
            100,
            (0, max_kwh, True),
            help_text=t("calcolatore.annual_help"),
        )
        slots["annual_kwh"] = st.empty()

    # 3. what ---------------------------------------------------------------------------------
    st.subheader(t("calcolatore.what_title"), divider="green")
    option = url_widget(
        st.radio,
        t("calcolatore.option_label"),
        "scelta",
        "consumer",
        options=list(resident.OPTIONS),
        format_func=tr("option_"),
        captions=[t(f"calcolatore.option_{o}_caption") for o in resident.OPTIONS],
    )
    kwp, area, tilt, azimuth, shading, deduction, capex = 3.0, None, 30.0, 180.0, 0.0, "none", None
    sizing = "kwp"
    if option != "consumer":
        sizing = url_widget(
            st.segmented_control,
            t("calcolatore.sizing_label"),
            "dim",
            "kwp",
            options=list(resident.PV_SIZING),
            format_func=tr("sizing_"),
            required=True,
        )
        k1, k2 = st.columns(2)
        default_kwp = 20.0 if option == "producer" else 3.0
        with k1:
            kwp = number(
                t("calcolatore.kwp_label"),
                "kwp",
                default_kwp,
                0.5,
                (0, resident.MAX_USER_KWP, True),
                fmt="%.1f",
            )
        with k2:
            area_value = number(
                t("calcolatore.area_label"),
                "area",
                0.0,
                5,
                (0, resident.MAX_ROOF_AREA_M2),
                help_text=t("calcolatore.area_help"),
            )
            area = area_value if area_value != 0 else None
        slots["pv_kwp"] = slots["roof_area_m2"] = st.empty()
        tilt = url_widget(
            st.slider, t("calcolatore.tilt_label"), "incl", 30, min_value=0, max_value=90, step=5
        )
        slots["surface_tilt"] = st.empty()
        o1, o2 = st.columns([3, 1], vertical_alignment="center")
        with o1:
            direction = url_widget(
                st.select_slider,
                t("calcolatore.orientation_label"),
                "orient",
                "S",
                options=list(COMPASS),
                format_func=tr("compass_"),
                help=t("calcolatore.orientation_help"),
            )
        azimuth = AZIMUTH[direction]
        with o2:
            st.image(compass_svg(azimuth), width=96, alt=t("calcolatore.compass_alt"))
        shading = url_widget(
            st.slider,
            t("calcolatore.shading_label"),
            "ombra",
            0,
            min_value=0,
            max_value=80,
            step=5,
            format="%d %%",
            help=t("calcolatore.shading_help"),
        )
        slots["shading_pct"] = st.empty()
        if resident.HOLDER_OF[who] == "persona_fisica":
            # A condominium's common parts are nobody's main home: no 50 % "main home" choice.
            condominium = who == "condominium"
            deduction = url_widget(
                st.selectbox,
                t("calcolatore.deduction_label"),
                "detr",
                "other" if condominium else "main_home",
                options=[
                    d for d in resident.TAX_DEDUCTIONS if not (condominium and d == "main_home")
                ],
                format_func=tr("deduction_condominium_" if condominium else "deduction_"),
            )
        capex_value = number(
            t("calcolatore.capex_label"),
            "costo",
            0.0,
            500,
            (0, resident.MAX_CAPEX_EUR),
            help_text=t("calcolatore.capex_help"),
        )
        capex = capex_value if capex_value != 0 else None
        slots["capex_eur"] = st.empty()

    st.subheader(t("calcolatore.prices_title"), divider="green")
    price_scenario = url_widget(
        st.segmented_control,
        t("calcolatore.prices_label"),
        "prezzi",
        "central",
        options=list(resident.PRICE_SCENARIO_NAMES),
        format_func=tr("prices_"),
        required=True,
        help=t("calcolatore.prices_help"),
    )
    general_error = st.empty()

# --- validate and compute ------------------------------------------------------------------------

est = None
try:
    inputs = resident.ResidentInputs(
        configuration_id=ref_id,
        who=who,
        power_class=power_class,
        annual_kwh=annual,
        f_bands_kwh=bands,
        option=option,
        pv_sizing=sizing or "kwp",
        pv_kwp=kwp,
        roof_area_m2=area,
        surface_tilt=tilt,
        surface_azimuth=azimuth,
        shading_pct=shading,
        tax_deduction=deduction,
        capex_eur=capex,
        price_scenario=price_scenario or "central",
    )
    with results_col, st.spinner(t("calcolatore.computing"), show_time=True):
        est = engine.estimate(inputs)
except InputError as err:
    code = getattr(err, "code", None)
    values = dict(getattr(err, "values", {}) or {})
    if code in ("roof_too_small", "area_too_large", "power_class_too_small", "range"):
        shown = {k: (smart(v) if isinstance(v, float | int) else v) for k, v in values.items()}
        message = t(f"calcolatore.err_{code}", **shown)
    elif code in ("area_missing", "bands_zero"):
        message = t(f"calcolatore.err_{code}")
    else:
        message = t("calcolatore.err_generic", field=err.field, message=err.message)
    (slots.get(err.field) or general_error).error(message, icon=":material/error:")
    with results_col:
        st.warning(t("calcolatore.fix_inputs"), icon=":material/edit:")

# --- results ---------------------------------------------------------------------------------------


def card(column, label: str, value: str, help_text: str, caption: str | None = None) -> None:
    with column:
        st.metric(label, value, help=help_text, border=True)
        if caption:
            st.caption(caption)


def range_text(key: str, fmt) -> str | None:
    r = est.ranges.get(key)
    if not r or abs(r[2] - r[0]) < 0.5:
        return None
    lo, hi = min(r[0], r[2]), max(r[0], r[2])
    return t("calcolatore.range_prices", low=fmt(lo), high=fmt(hi))


if est is not None:
    with summary:
        st.markdown(
            t(
                "calcolatore.summary",
                me=eur(est.my_total_eur),
                fund=eur(est.solidarity_eur),
                shared=kwh(est.shared_thanks_to_me_kwh),
            )
        )
    with results_col:
        st.subheader(t("calcolatore.results_title"), divider="green", anchor="results")
        ref_label = est.reference.label_it if lang == "it" else est.reference.label_en
        st.caption(t("calcolatore.reference_caption", label=ref_label))
        has_pv = est.production_kwh > 0
        cards = []  # (label, value, help, caption)
        if has_pv:
            lo, hi = est.production_range_kwh
            cards.append(
                (
                    t("calcolatore.m_production"),
                    kwh(est.production_kwh),
                    t("calcolatore.m_production_help"),
                    t("calcolatore.range_band", low=kwh(lo), high=kwh(hi)),
                )
            )
            cards.append(
                (
                    t("calcolatore.m_self_consumption"),
                    kwh(est.self_consumption_kwh),
                    t("calcolatore.m_self_consumption_help"),
                    None,
                )
            )
        else:
            cards.append(
                (
                    t("calcolatore.m_consumption"),
                    kwh(est.consumption_kwh),
                    t("calcolatore.m_consumption_help"),
                    None,
                )
            )
            cards.append(
                (
                    t("calcolatore.m_bill"),
                    eur(est.bill_savings_eur),
                    t("calcolatore.m_bill_help"),
                    None,
                )
            )
        cards.append(
            (
                t("calcolatore.m_shared"),
                kwh(est.shared_thanks_to_me_kwh),
                t("calcolatore.m_shared_help"),
                None,
            )
        )
        cards.append(
            (
                t("calcolatore.m_to_me"),
                eur(est.my_total_eur),
                t("calcolatore.m_to_me_help"),
                range_text("my_total_eur", eur),
            )
        )
        cards.append(
            (
                t("calcolatore.m_solidarity"),
                eur(est.solidarity_eur),
                t("calcolatore.m_solidarity_help", share=num(100 * (1 - est.producer_share))),
                range_text("solidarity_eur", eur),
            )
        )
        if has_pv:
            payback = payback_text(est.payback_years)
            cards.append(
                (t("calcolatore.m_payback"), payback, t("calcolatore.m_payback_help"), None)
            )
            cards.append(
                (
                    t("calcolatore.m_npv"),
                    eur(est.npv_eur),
                    t("calcolatore.m_npv_help", rate=num(100 * est.explain["discount_rate"], 1)),
                    range_text("npv_eur", eur),
                )
            )
        for i in range(0, len(cards), 2):
            columns = st.columns(2)
            for column, (label, value, help_text, caption) in zip(
                columns, cards[i : i + 2], strict=False
            ):
                card(column, label, value, help_text, caption)

        note_texts = []
        for code, values in est.notes:
            shown = {
                k: (eur(v) if k.endswith("_eur") else smart(v) if isinstance(v, float) else v)
                for k, v in values.items()
            }
            if code == "no_configuration" and not address and conf_choice == "auto":
                code = "no_address"  # not "no configuration in your area": we don't know it yet
            text = t(f"calcolatore.note_{code}", **shown)
            note_texts.append(text)
            st.info(text, icon=":material/info:")
        sportello_box(compact=True, key="calc_sportello")

        labels = {
            "months": t("calcolatore.months").split(","),
            "production": t("calcolatore.c_production"),
            "consumption": t("calcolatore.c_consumption"),
            "self_consumption": t("calcolatore.c_self_consumption"),
            "shared": t("calcolatore.c_shared"),
            "seasons": {s: t(f"calcolatore.season_{s}") for s in resident.SEASONS},
            "self_consumed": t("calcolatore.c_self_consumption"),
            "shared_plant": t("calcolatore.c_shared_plant"),
            "sold": t("calcolatore.c_sold"),
            "shared_consumer": t("calcolatore.c_shared_consumer"),
            "net": t("calcolatore.c_net"),
            "cumulative": t("calcolatore.c_cumulative"),
            "me": t("calcolatore.c_me"),
            "others": t("calcolatore.c_others"),
            "fund": t("calcolatore.c_fund"),
            "money_template": fmt.plotly_money(lang),
        }
        tab_charts, tab_explain, tab_params, tab_download = st.tabs(
            [
                t("calcolatore.tab_charts"),
                t("calcolatore.tab_explain"),
                t("calcolatore.tab_params"),
                t("calcolatore.tab_download"),
            ]
        )
        with tab_charts:
            st.markdown(f"**{t('calcolatore.chart_monthly')}**")
            plot(charts.monthly(est, labels), "ch_monthly")
            st.markdown(f"**{t('calcolatore.chart_days')}**")
            st.caption(t("calcolatore.chart_days_caption"))
            plot(charts.typical_days(est, labels), "ch_days")
            if has_pv:
                st.markdown(f"**{t('calcolatore.chart_cash')}**")
                plot(charts.cash_flow(est, labels), "ch_cash")
            st.markdown(f"**{t('calcolatore.chart_where')}**")
            if est.delta_net_incentives_eur > 0.005:
                plot(charts.where_incentive_goes(est, labels), "ch_where")
            st.caption(
                t(
                    "calcolatore.where_caption",
                    total=eur(est.delta_net_incentives_eur),
                    share=num(100 * est.producer_share),
                    fund=num(100 * (1 - est.producer_share)),
                )
            )
        e = est.explain
        with tab_explain:
            st.markdown(
                t(
                    "calcolatore.x_reference",
                    label=ref_label,
                    kwp=num(e["reference_kwp"]),
                    members=num(e["reference_members"]),
                    shared=kwh(e["base_shared_kwh"]),
                )
            )
            st.caption(
                est.reference.assumptions_it if lang == "it" else est.reference.assumptions_en
            )
            if has_pv:
                st.markdown(
                    t(
                        "calcolatore.x_production",
                        kwp=num(e["kwp"], 1),
                        yield_=num(e["specific_yield_kwh_per_kwp"]),
                        band=num(100 * e["production_band"]),
                        weather=e["weather_source"],
                    )
                )
                st.markdown(
                    t(
                        "calcolatore.x_self_consumption",
                        share=num(100 * (e["self_consumption_share"] or 0)),
                        bill=eur(est.bill_savings_eur),
                    )
                )
                st.markdown(
                    t(
                        "calcolatore.x_rid",
                        injection=kwh(est.injection_kwh),
                        rid=eur(est.rid_eur),
                        price=num(e["mean_price_eur_per_mwh"]),
                        source=e["price_source"],
                    )
                )
                st.markdown(
                    t(
                        "calcolatore.x_deduction",
                        amount=eur(est.tax_deduction_eur_per_year),
                        years=e["deduction_years"],
                    )
                )
                st.markdown(
                    t(
                        "calcolatore.x_npv",
                        capex=eur(est.capex_eur),
                        horizon=e["horizon_years"],
                        rate=num(100 * e["discount_rate"], 1),
                    )
                )
            st.markdown(
                t(
                    "calcolatore.x_shared",
                    shared=kwh(est.shared_thanks_to_me_kwh),
                    tip=eur(est.delta_tip_eur),
                    unit_tip=num(e["unit_tip_eur_per_mwh"]),
                    val=eur(est.delta_valorisation_eur),
                    fee=eur(est.delta_gse_fee_eur),
                )
            )
            st.markdown(
                t(
                    "calcolatore.x_allocation",
                    share=num(100 * est.producer_share),
                    fund=eur(est.solidarity_eur),
                    me=eur(est.producer_share_eur),
                )
            )
            with st.expander(t("calcolatore.x_warnings")):
                for w in est.warnings:
                    st.caption(w)
        with tab_params:
            st.caption(t("calcolatore.params_caption"))
            st.dataframe(_parameters(est.inputs.year), hide_index=True, width="stretch")
        with tab_download:
            st.download_button(
                t("calcolatore.dl_hourly"),
                data=lambda est=est: resident.hourly_csv(est).encode("utf-8"),
                file_name="cer-milano-calcolatore-orario.csv",
                mime="text/csv",
                icon=":material/download:",
                key="dl_hourly",
            )
            st.download_button(
                t("calcolatore.dl_yearly"),
                data=lambda est=est: resident.yearly_csv(est).encode("utf-8"),
                file_name="cer-milano-calcolatore-annuale.csv",
                mime="text/csv",
                icon=":material/download:",
                key="dl_yearly",
            )
            conf_name = configs[config_id].name if config_id in configs else ref_label
            input_rows = [
                (t("calcolatore.address_label"), address or "—"),
                (t("calcolatore.conf_label"), conf_name),
                (t("calcolatore.who_label"), t(f"calcolatore.who_{who}")),
                (t("calcolatore.m_consumption"), kwh(est.inputs.consumption_total_kwh())),
                (t("calcolatore.option_label"), t(f"calcolatore.option_{option}")),
                (t("calcolatore.prices_label"), t(f"calcolatore.prices_{price_scenario}")),
            ]
            if has_pv:
                input_rows += [
                    (t("calcolatore.kwp_label"), num(est.inputs.kwp, 1)),
                    (t("calcolatore.tilt_label"), f"{num(tilt)}°"),
                    (t("calcolatore.orientation_label"), t(f"calcolatore.compass_{direction}")),
                    (t("calcolatore.shading_label"), f"{num(shading)} %"),
                ]
            lo, hi = est.production_range_kwh
            result_rows = [
                (
                    t("calcolatore.m_production"),
                    kwh(est.production_kwh),
                    t("calcolatore.range_band", low=kwh(lo), high=kwh(hi)) if has_pv else "",
                ),
                (t("calcolatore.m_self_consumption"), kwh(est.self_consumption_kwh)),
                (t("calcolatore.m_shared"), kwh(est.shared_thanks_to_me_kwh)),
                (t("calcolatore.m_bill"), eur(est.bill_savings_eur)),
                (t("calcolatore.r_rid"), eur(est.rid_eur)),
                (t("calcolatore.r_deduction"), eur(est.tax_deduction_eur_per_year)),
                (
                    t("calcolatore.m_to_me"),
                    eur(est.my_total_eur),
                    range_text("my_total_eur", eur) or "",
                ),
                (
                    t("calcolatore.m_solidarity"),
                    eur(est.solidarity_eur),
                    range_text("solidarity_eur", eur) or "",
                ),
            ]
            if has_pv:
                result_rows += [
                    (t("calcolatore.m_payback"), payback_text(est.payback_years)),
                    (t("calcolatore.m_npv"), eur(est.npv_eur), range_text("npv_eur", eur) or ""),
                ]
            try:
                contact = [
                    (t(f"sportello.{label}"), shown, href)
                    for label, shown, href in contact_lines(lang)
                ]
            except DataFileError:
                contact = []
            report_args = dict(
                est=est,
                title=t("calcolatore.report_title"),
                subtitle=ref_label,
                inputs_rows=input_rows,
                result_rows=result_rows,
                notes=note_texts + [t("calcolatore.report_disclaimer")],
                footer=t("calcolatore.report_footer"),
                headings=(
                    t("calcolatore.report_inputs"),
                    t("calcolatore.report_results"),
                    t("calcolatore.report_notes"),
                ),
                lang=lang,
                date_text=t(
                    "calcolatore.report_date",
                    date=fmt.date(dt.date.today(), lang),
                    year=est.inputs.year,
                ),
                link=(t("calcolatore.report_link"), estimate_link(lang)),
                contact_title=t("sportello.title"),
                contact_rows=contact,
            )
            st.download_button(
                t("calcolatore.dl_report"),
                data=lambda: render_report(**report_args).encode("utf-8"),
                file_name="cer-milano-stima.html",
                mime="text/html",
                icon=":material/print:",
                key="dl_report",
            )
            st.caption(t("calcolatore.dl_caption"))
