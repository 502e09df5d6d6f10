"""AppTest of the Calcolatore: the main paths show the engine's numbers; inputs live in the URL;
validation messages appear next to the field."""

from __future__ import annotations

import re

import pytest

from app.i18n import translate
from cer_core.resident import ResidentInputs, estimate
from tests.app.apptest import open_tab, run_page


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def parse_en(text: str) -> float:
    """'1,234 kWh' / '€4,279' / '-€12' / '8.5 years' → float (English page)."""
    match = re.search(r"-?[\d,]+(?:\.\d+)?", text.replace("€", ""))
    assert match, text
    return float(match.group().replace(",", ""))


def parse_it(text: str) -> float:
    match = re.search(r"-?[\d.]+(?:,\d+)?", text)
    assert match, text
    return float(match.group().replace(".", "").replace(",", "."))


def assert_no_exception(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_defaults_show_a_result_in_italian():
    at = run_page("calcolatore", "it")
    assert_no_exception(at)
    shown = metric_values(at)
    est = estimate(ResidentInputs())
    assert parse_it(shown["Consumo annuo"]) == round(est.consumption_kwh)
    assert parse_it(shown["Condivisa grazie a me"]) == round(est.shared_thanks_to_me_kwh)
    assert parse_it(shown["Al fondo di solidarietà"]) == round(est.solidarity_eur)
    assert any("configurazione tipo" in i.value for i in at.info)


def test_consumer_path_equals_engine():
    at = run_page("calcolatore", "en", query={"conf": "citta-studi"})
    assert_no_exception(at)
    shown = metric_values(at)
    est = estimate(ResidentInputs(configuration_id="citta-studi"))
    assert parse_en(shown["Shared thanks to me"]) == round(est.shared_thanks_to_me_kwh)
    assert parse_en(shown["To the solidarity fund"]) == round(est.solidarity_eur)
    assert parse_en(shown["Bill savings"]) == 0
    assert parse_en(shown["Euros to me per year"]) == 0
    assert any("Città Studi" in s.value for s in at.success)


@pytest.mark.parametrize(
    ("query", "kwargs"),
    [
        (
            {"conf": "citta-studi", "scelta": "pv", "kwp": "4.5", "orient": "SE", "ombra": "10"},
            {"option": "pv", "pv_kwp": 4.5, "surface_azimuth": 135.0, "shading_pct": 10.0},
        ),
        (
            {"conf": "bovisa", "scelta": "pv_join", "kwp": "6", "incl": "20", "prezzi": "high"},
            {"option": "pv_join", "pv_kwp": 6.0, "surface_tilt": 20.0, "price_scenario": "high"},
        ),
        (
            {"conf": "default", "scelta": "producer", "kwp": "40", "chi": "school"},
            {"option": "producer", "pv_kwp": 40.0, "who": "school", "tax_deduction": "none"},
        ),
    ],
    ids=["pv-only", "pv-and-join", "producer"],
)
def test_pv_paths_equal_engine(query, kwargs):
    at = run_page("calcolatore", "en", query=query)
    assert_no_exception(at)
    shown = metric_values(at)
    conf = query["conf"]
    est = estimate(ResidentInputs(configuration_id=conf, **kwargs))
    assert parse_en(shown["Yearly production"]) == round(est.production_kwh)
    assert parse_en(shown["Self-consumption"]) == round(est.self_consumption_kwh)
    assert parse_en(shown["Shared thanks to me"]) == round(est.shared_thanks_to_me_kwh)
    assert parse_en(shown["Euros to me per year"]) == round(est.my_total_eur)
    assert parse_en(shown["To the solidarity fund"]) == round(est.solidarity_eur)
    assert parse_en(shown["Net present value"]) == round(est.npv_eur)
    assert parse_en(shown["Payback"]) == round(est.payback_years, 1)


def test_address_from_the_map_selects_the_configuration():
    at = run_page("calcolatore", "en", query={"indirizzo": "Piazza Leonardo da Vinci 32"})
    assert_no_exception(at)
    assert any("Città Studi" in s.value for s in at.success)
    est = estimate(ResidentInputs(configuration_id="citta-studi"))
    shown = metric_values(at)
    assert parse_en(shown["Shared thanks to me"]) == round(est.shared_thanks_to_me_kwh)


def test_changing_an_input_updates_the_url_and_the_result():
    at = run_page("calcolatore", "en")
    before = metric_values(at)["Shared thanks to me"]
    at.number_input(key="calc_kwh").set_value(5000.0).run()
    assert_no_exception(at)
    assert at.query_params["kwh"] == ["5000.0"] or at.query_params["kwh"] == "5000.0"
    after = metric_values(at)["Shared thanks to me"]
    assert after != before
    est = estimate(ResidentInputs(annual_kwh=5000.0))
    assert parse_en(after) == round(est.shared_thanks_to_me_kwh)


def test_40_kwp_on_20_m2_message_next_to_the_field():
    at = run_page("calcolatore", "it", query={"scelta": "pv_join", "kwp": "40", "area": "20"})
    assert_no_exception(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "40 kWp non entrano in 20 m²" in errors[0]
    assert "4 kWp" in errors[0]
    assert not at.metric  # no numbers from an impossible input


def test_3_kw_household_using_60000_kwh_is_explained():
    at = run_page("calcolatore", "en", query={"kwh": "60000"})
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "60,000 kWh" in errors[0]
    assert "3 kW contract" in errors[0]


def test_bad_number_in_the_url_is_reported_not_crashing():
    at = run_page("calcolatore", "en", query={"scelta": "pv", "ombra": "95", "kwp": "-3"})
    assert_no_exception(at)
    # the link's values are not put into the widgets: defaults, a notice naming each field
    assert at.slider(key="calc_ombra").value == 0
    assert at.number_input(key="calc_kwp").value == 3.0
    notices = [w.value for w in at.warning]
    assert any("«\\-3»" in n and "Power (kWp)" in n for n in notices), notices
    assert any("«95»" in n for n in notices), notices
    assert at.metric  # the default estimate is shown
    est = estimate(ResidentInputs(option="pv"))
    assert parse_en(metric_values(at)["Shared thanks to me"]) == round(est.shared_thanks_to_me_kwh)


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("kwh", "-5"),
        ("kwh", "0"),
        ("kwh", "1e300"),
        ("kwh", "100001"),
        ("kwp", "1001"),
        ("area", "-1"),
        ("costo", "2e8"),
        ("kwh", "NaN"),
        ("kwh", "inf"),
    ],
)
def test_out_of_range_url_number_gives_the_default_and_a_notice(name, raw):
    at = run_page("calcolatore", "it", query={"scelta": "pv", name: raw})
    assert_no_exception(at)
    default = run_page("calcolatore", "it", query={"scelta": "pv"})
    assert at.number_input(key=f"calc_{name}").value == (
        default.number_input(key=f"calc_{name}").value
    )
    assert len(at.warning) == len(default.warning) + 1
    assert "del link per" in at.warning[0].value
    assert not at.error


def test_in_range_url_numbers_still_reach_the_widgets():
    query = {"scelta": "pv", "kwh": "4200", "kwp": "4.5", "area": "40", "costo": "7000"}
    at = run_page("calcolatore", "en", query=query)
    assert_no_exception(at)
    assert not at.warning
    assert at.number_input(key="calc_kwh").value == 4200.0
    assert at.number_input(key="calc_kwp").value == 4.5
    assert at.number_input(key="calc_area").value == 40.0
    assert at.number_input(key="calc_costo").value == 7000.0


def test_a_typed_negative_number_is_refused_next_to_the_field():
    at = run_page("calcolatore", "en", query={"scelta": "pv"})
    at.number_input(key="calc_kwp").set_value(-3.0).run()
    assert_no_exception(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert not at.metric


def test_escape_markdown_makes_user_text_inert():
    from app.components.text import escape_markdown

    raw = (
        "<b>x</b> [a](https://e.example) ![i](p.png) **b** _i_ `c` $x^2$ :red[r] :material/home: #"
    )
    safe = escape_markdown(raw, limit=None)
    for token in ("<b>", "](", "**", "_i_", "`c`", "$x^2$", ":red[", ":material/", "https:"):
        assert token not in safe, token
    # every markup character is backslash-escaped: none is left once the escapes are removed
    assert not set(re.sub(r"\\.", "", safe)) & set("<>[]()!*_`$:#\\")
    # backslash escapes only: removing them gives the original text back
    assert re.sub(r"\\(.)", r"\1", safe).replace("\u2060", "") == raw
    # no bare-address autolink (GitHub Markdown makes them after resolving the escapes)
    for bare in ("https://e.example/x", "www.e.example", "a@e.example"):
        shown = re.sub(r"\\(.)", r"\1", escape_markdown(bare))
        assert shown != bare
        assert shown.replace("\u2060", "") == bare
    assert escape_markdown("a\nb\x00c") == "a b c"
    assert escape_markdown("x" * 100, limit=10) == "x" * 9 + "…"
    assert escape_markdown("Via Roma 1") == "Via Roma 1"


def test_hidden_tabs_are_not_built_until_opened():
    """Only the open result tab is built on a rerun (the page's server cost per change)."""
    at = run_page("calcolatore", "en", query={"scelta": "pv_join", "conf": "citta-studi"})
    assert_no_exception(at)
    assert len(at.get("plotly_chart")) == 4  # the charts tab, open by default
    assert not at.get("download_button")
    assert not at.dataframe
    open_tab(at, "results_tab", translate("en", "calcolatore.tab_explain"))
    assert_no_exception(at)
    assert not at.get("plotly_chart")
    assert any(translate("en", "calcolatore.x_warnings") == e.label for e in at.expander)


def test_downloads_and_parameter_table_present():
    at = run_page("calcolatore", "en", query={"scelta": "pv_join"})
    open_tab(at, "results_tab", translate("en", "calcolatore.tab_download"))
    assert_no_exception(at)
    labels = [b.label for b in at.get("download_button")]
    # hourly and yearly, each for Italian Excel and for programs; the dictionary; the report
    assert labels.count(translate("en", "csv.download_it")) == 2
    assert translate("en", "calcolatore.dl_hourly") in labels
    assert translate("en", "calcolatore.dl_yearly") in labels
    assert translate("en", "csv.download_dictionary") in labels
    assert translate("en", "calcolatore.dl_report") in labels
    assert len(labels) == 6
    open_tab(at, "results_tab", translate("en", "calcolatore.tab_params"))
    frames = [d.value for d in at.dataframe]
    assert any("community.producer_share" in list(f["name"]) for f in frames)


def test_report_escapes_user_text():
    from app.components.report import render_report

    est = estimate(ResidentInputs())
    html = render_report(
        est,
        title="Stima <b>",
        subtitle="x",
        inputs_rows=[("Indirizzo", "<script>alert(1)</script>")],
        result_rows=[("Condivisa", "1 kWh")],
        notes=["a & b"],
        footer="f",
    )
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "a &amp; b" in html
    assert "Stima &lt;b&gt;" in html


def test_bill_bands_path_equals_engine():
    at = run_page("calcolatore", "en", query={"bande": "1", "f1": "1200", "f2": "700", "f3": "800"})
    assert_no_exception(at)
    assert at.get("image")  # the picture of where F1/F2/F3 are on a bill
    est = estimate(ResidentInputs(f_bands_kwh=(1200.0, 700.0, 800.0)))
    shown = metric_values(at)
    assert parse_en(shown["Yearly consumption"]) == 2700
    assert parse_en(shown["Shared thanks to me"]) == round(est.shared_thanks_to_me_kwh)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_deduction_labels_carry_the_rates_of_the_year_computed(lang):
    from cer_core import formatting as fmt
    from cer_core.finance import tax_deduction_rates
    from cer_core.parameters import load_parameters

    rates = tax_deduction_rates(load_parameters(ResidentInputs().year))
    at = run_page("calcolatore", lang, query={"scelta": "pv_join"})
    assert_no_exception(at)
    label = translate(lang, "calcolatore.deduction_label")
    box = next(s for s in at.selectbox if s.label == label)
    main = translate(
        lang, "calcolatore.deduction_main_home", rate=fmt.percent(rates["main_home"], lang)
    )
    assert box.value == "main_home"
    assert main in box.options
    condo = run_page("calcolatore", lang, query={"scelta": "pv_join", "chi": "condominium"})
    box = next(s for s in condo.selectbox if s.label == label)
    other = fmt.percent(rates["other"], lang)
    assert box.options == [
        translate(lang, "calcolatore.deduction_condominium_other", rate=other),
        translate(lang, "calcolatore.deduction_condominium_none"),
    ]
