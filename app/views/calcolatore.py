"""Calcolatore: a resident's estimate — join as a consumer, PV on my roof, or host a plant.

Thin page: widgets (every value in the URL) → ``cer_core.resident.ResidentInputs`` →
``estimate()`` (cached) → cards, charts, explanations, downloads.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import streamlit as st

from app.components import calculator_charts as charts
from app.components import calculator_engine as engine
from app.components.calculator_downloads import download_buttons
from app.components.calculator_layout import card_grid, sticky_summary
from app.components.calculator_text import error_message, note_text, payback_text, range_text
from app.components.charts import show_chart
from app.components.compass import AZIMUTH, COMPASS, compass_svg
from app.components.engine_text import engine_text
from app.components.numbers import date, kwh, plotly_money
from app.components.numbers import money as eur
from app.components.numbers import number as num
from app.components.numbers import percent as pct
from app.components.report import render_report
from app.components.sportello import contact_lines, sportello_box
from app.components.text import escape_markdown
from app.components.url_state import UrlState, current_link
from app.data_access import configurations
from app.i18n import current_language, labeller, t
from cer_core import bounds, finance, resident
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.paths import DataFileError
from cer_core.profiles import POWER_CLASSES

STATIC = Path(__file__).resolve().parents[1] / "static"


def url_ignored(name: str, label: str, raw: str) -> None:
    """A link value the page cannot use: say so where the field is (the value shown inert)."""
    st.warning(
        t("calcolatore.url_ignored", name=label, value=escape_markdown(raw, 40)),
        icon=":material/link_off:",
    )


def tr(prefix: str):
    """A ``format_func`` for the options of a calculator field (``who_``, ``compass_``…)."""
    return labeller(f"calcolatore.{prefix}")


def plot(figure, key: str) -> None:
    show_chart(figure, key, responsive=True)


url = UrlState("calc_", url_ignored)
url_widget = url.widget
number = url.number


# --- page ---------------------------------------------------------------------------------------

st.title(t("calcolatore.title"))
st.markdown(t("calcolatore.lead"))

configs = {c.id: c for c in configurations()}
refs = resident.load_reference_configurations()
lang = current_language()

# On a phone the two columns stack and the results sit far below the inputs: a one-line summary
# above the inputs, sticky under the header, shows the effect of every change (hidden when wide).
summary = sticky_summary()
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
    located = engine.locate(address) if address else None
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
    if st.session_state.get(url.key("who_shown"), who) != who:
        for name in ("kwh", "f1", "f2", "f3"):
            url.forget(name)
    st.session_state[url.key("who_shown")] = who
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
    max_kwh = bounds.ANNUAL_KWH["household" if who == "household" else "nonresidential"].high
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
    deduction_text = ""  # the chosen deduction in words, for the printable report
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
            st.slider,
            t("calcolatore.tilt_label"),
            "incl",
            30,
            min_value=int(bounds.SURFACE_TILT_DEG.low),
            max_value=int(bounds.SURFACE_TILT_DEG.high),
            step=5,
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
            st.image(
                compass_svg(
                    azimuth,
                    {d: t(f"calcolatore.compass_{d}") for d in "NESW"},
                    t("calcolatore.compass_alt"),
                ),
                width=96,
                alt=t("calcolatore.compass_alt"),
            )
        shading = url_widget(
            st.slider,
            t("calcolatore.shading_label"),
            "ombra",
            0,
            min_value=int(bounds.SHADING_PCT.low),
            max_value=int(bounds.SHADING_PCT.high),
            step=5,
            format="%d %%",
            help=t("calcolatore.shading_help"),
        )
        slots["shading_pct"] = st.empty()
        if resident.HOLDER_OF[who] == "persona_fisica":
            # The rates of the year computed, written in the labels (they change in 2027).
            year = resident.ResidentInputs().year
            rates = finance.tax_deduction_rates(load_parameters(year))
            rate_text = {kind: pct(rate) for kind, rate in rates.items()}
            # A condominium's common parts are nobody's main home: each condomino deducts at
            # the rate of their own flat; the estimate takes the lower one for all.
            condominium = who == "condominium"
            prefix = (
                "calcolatore.deduction_condominium_" if condominium else "calcolatore.deduction_"
            )
            deduction = url_widget(
                st.selectbox,
                t("calcolatore.deduction_label"),
                "detr",
                "other" if condominium else "main_home",
                options=[
                    d for d in resident.TAX_DEDUCTIONS if not (condominium and d == "main_home")
                ],
                format_func=lambda d: t(f"{prefix}{d}", rate=rate_text[d]),
                help=t(
                    "calcolatore.deduction_condominium_help"
                    if condominium
                    else "calcolatore.deduction_help",
                    main=rate_text["main_home"],
                    other=rate_text["other"],
                    year=year,
                ),
            )
            deduction_text = t(f"{prefix}{deduction}", rate=rate_text[deduction])
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
    message = error_message(err)
    (slots.get(err.field) or general_error).error(message, icon=":material/error:")
    with results_col:
        st.warning(t("calcolatore.fix_inputs"), icon=":material/edit:")

# --- results ---------------------------------------------------------------------------------------


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
                range_text(est.ranges, "my_total_eur", eur),
            )
        )
        cards.append(
            (
                t("calcolatore.m_solidarity"),
                eur(est.solidarity_eur),
                t("calcolatore.m_solidarity_help", share=num(100 * (1 - est.producer_share))),
                range_text(est.ranges, "solidarity_eur", eur),
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
                    range_text(est.ranges, "npv_eur", eur),
                )
            )
        card_grid(cards)

        note_texts = []
        address_unknown = not address and conf_choice == "auto"
        for code, values in est.notes:
            text = note_text(code, values, address_unknown)
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
            "money_template": plotly_money(),
        }
        # Only the open tab is built (a tab change is a rerun): the hidden ones were a fifth of
        # the server's work on every input change. A language switch reopens the first tab.
        tab_charts, tab_explain, tab_params, tab_download = st.tabs(
            [
                t("calcolatore.tab_charts"),
                t("calcolatore.tab_explain"),
                t("calcolatore.tab_params"),
                t("calcolatore.tab_download"),
            ],
            key="results_tab",
            on_change="rerun",
        )
        with tab_charts:
            if tab_charts.open:
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
            if tab_explain.open:
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
                            weather=escape_markdown(engine_text(e["weather_source"], lang), None),
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
                            source=escape_markdown(engine_text(e["price_source"], lang), None),
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
                    own = {resident.MY_PLANT: t("calcolatore.my_plant")}
                    for w in est.warnings:
                        st.caption(escape_markdown(engine_text(w, lang, own), None))
        with tab_params:
            if tab_params.open:
                st.caption(t("calcolatore.params_caption"))
                st.dataframe(engine.parameters(est.inputs.year), hide_index=True, width="stretch")
        with tab_download:
            if tab_download.open:
                download_buttons(est)
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
                    if deduction_text:
                        input_rows.append((t("calcolatore.deduction_label"), deduction_text))
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
                        range_text(est.ranges, "my_total_eur", eur) or "",
                    ),
                    (
                        t("calcolatore.m_solidarity"),
                        eur(est.solidarity_eur),
                        range_text(est.ranges, "solidarity_eur", eur) or "",
                    ),
                ]
                if has_pv:
                    result_rows += [
                        (t("calcolatore.m_payback"), payback_text(est.payback_years)),
                        (
                            t("calcolatore.m_npv"),
                            eur(est.npv_eur),
                            range_text(est.ranges, "npv_eur", eur) or "",
                        ),
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
                        date=date(dt.date.today()),
                        year=est.inputs.year,
                    ),
                    link=(
                        t("calcolatore.report_link"),
                        current_link({"lang": lang} if lang != "it" else {}),
                    ),
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
                    on_click="ignore",  # no rerun: it could drop the file being built
                )
                st.caption(t("calcolatore.dl_caption"))
