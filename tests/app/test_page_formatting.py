"""Numbers, money, dates and plurals on the pages follow the page's language (cer_core.formatting),
in cards, tables (pre-formatted display values, independent of the browser) and charts."""

from __future__ import annotations

import io
import json

import pyarrow as pa
import pytest

from app.i18n import catalogue
from tests.app.apptest import run_page


def shown_cells(dataframe_element):
    """The cells as the browser shows them (the Styler's display values)."""
    raw = dataframe_element.proto.arrow_data.styler.display_values
    return pa.ipc.open_stream(io.BytesIO(raw)).read_all().to_pandas()


def charts(at):
    return [json.loads(e.proto.spec) for e in at.get("plotly_chart")]


@pytest.mark.parametrize(
    ("lang", "approved", "date"),
    [("it", "4.599,00", "15 aprile 2026"), ("en", "4,599.00", "15 April 2026")],
)
def test_transparency_table_cells_follow_the_page_language(lang, approved, date):
    at = run_page("trasparenza", lang, query={"vista": "progetti", "municipio": "3"})
    assert not at.exception
    cells = shown_cells(at.dataframe[0])
    assert approved in set(cells["approved_eur"])
    assert any(date in c.value for c in at.caption)


def test_one_project_is_singular():
    at = run_page(
        "trasparenza", "it", query={"vista": "progetti", "municipio": "9", "stato": "completed"}
    )
    counts = [c.value for c in at.caption if " · " in c.value and "€" in c.value]
    assert counts[0].startswith("1 progetto ·"), counts
    at = run_page("trasparenza", "it", query={"vista": "progetti", "municipio": "9"})
    counts = [c.value for c in at.caption if " · " in c.value and "€" in c.value]
    assert counts[0].startswith("2 progetti ·"), counts


def test_every_plural_message_has_the_other_form():
    for lang in ("it", "en"):
        keys = set(catalogue(lang))
        for key in keys:
            if key.endswith("_one"):
                assert key.removesuffix("_one") + "_other" in keys, key


@pytest.mark.parametrize(("lang", "separators"), [("it", ",."), ("en", ".,")])
def test_calculator_charts_use_the_page_separators(lang, separators):
    at = run_page("calcolatore", lang)
    figures = charts(at)
    assert figures
    assert all(f["layout"]["separators"] == separators for f in figures)
    assert all(
        not e.proto.config or "displayModeBar" in e.proto.config for e in at.get("plotly_chart")
    )


def test_payback_says_years_in_both_languages():
    for lang, word in (("it", "anni"), ("en", "years")):
        at = run_page("calcolatore", lang, query={"scelta": "pv"})
        payback = [m.value for m in at.metric if word in m.value]
        assert payback, [m.value for m in at.metric]


def test_report_reads_well_in_both_languages():
    import datetime as dt

    from app.components.report import render_report
    from cer_core.resident import ResidentInputs, estimate

    est = estimate(ResidentInputs(option="pv"))
    html = render_report(
        est,
        title="Stima",
        subtitle="Configurazione tipo",
        inputs_rows=[("Indirizzo", "Via Roma 1")],
        result_rows=[("Produzione", "4.000 kWh", "intervallo: 3.600 – 4.400 kWh")],
        notes=[],
        footer="f",
        lang="it",
        today=dt.date(2026, 12, 2),
        link=("Riapri questa stima", "https://example.org/calcolatore?scelta=pv&kwp=3"),
        contact_title="Sportello Energia",
        contact_rows=[("Telefono", "+39 02 88468300", "tel:+390288468300")],
    )
    assert "2 dicembre 2026" in html
    assert "2026-12-02" not in html
    assert "size: A4" in html
    assert html.count("Produzione") == 1  # the range sits under the value, not in a new row
    assert 'href="https://example.org/calcolatore?scelta=pv&amp;kwp=3"' in html
    assert 'href="tel:+390288468300"' in html


def test_transparency_offers_the_italian_spreadsheet_csv_and_the_dictionary():
    at = run_page("trasparenza", "en", query={"vista": "progetti"})
    keys = {b.key for b in at.get("download_button")}
    assert {"download_it_progetti-2025", "download_progetti-2025", "download_dictionary"} <= keys


def test_without_an_address_the_results_do_not_claim_no_configuration_in_your_area():
    at = run_page("calcolatore", "it")
    texts = [i.value for i in at.info]
    assert not any("Nella tua zona non c'è" in x for x in texts), texts
    assert any("Scrivi il tuo indirizzo" in x for x in texts)


def test_switching_to_condominium_gives_its_own_consumption_and_no_main_home():
    at = run_page("calcolatore", "it", query={"kwh": "3500", "scelta": "pv"})
    assert at.number_input(key="calc_kwh").value == 3500
    at.selectbox(key="calc_chi").set_value("condominium").run()
    assert not at.exception
    assert at.number_input(key="calc_kwh").value == 8000  # the condominium default
    deduction = at.selectbox(key="calc_detr")
    assert "main_home" not in deduction.options
    assert not any("Abitazione principale" in o for o in deduction.options)


@pytest.mark.parametrize(
    ("lang", "fee", "balance"), [("it", "15\u00a0€", "-11\u00a0€"), ("en", "€15", "-€11")]
)
def test_money_in_notes_follows_the_language(lang, fee, balance):
    at = run_page(
        "calcolatore", lang, query={"conf": "citta-studi", "scelta": "pv_join", "kwp": "10"}
    )
    saturated = [i.value for i in at.info if fee in i.value]
    assert saturated, [i.value for i in at.info]
    assert "€ €" not in saturated[0]
    assert balance in saturated[0]  # the negative balance keeps its sign
