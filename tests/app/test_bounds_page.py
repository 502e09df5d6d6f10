"""The Calcolatore refuses what the engine refuses (cer_core.bounds), and shows the engine's
messages in the page's language (cer_core.notices codes → app/locales/*/engine.toml)."""

from __future__ import annotations

import pytest

from app.i18n import translate
from cer_core import bounds
from tests.app.apptest import open_tab, run_page


def errors(at) -> list[str]:
    assert not at.exception, [e.value for e in at.exception]
    return [e.value for e in at.error]


def test_sliders_stop_at_the_table_bounds():
    at = run_page("calcolatore", "en", query={"scelta": "pv"})
    tilt, shading = at.slider(key="calc_incl"), at.slider(key="calc_ombra")
    assert (tilt.min, tilt.max) == (bounds.SURFACE_TILT_DEG.low, bounds.SURFACE_TILT_DEG.high)
    assert (shading.min, shading.max) == (bounds.SHADING_PCT.low, bounds.SHADING_PCT.high)


@pytest.mark.parametrize(
    ("query", "key", "bound"),
    [
        ({"classe": ">6"}, "calc_kwh", bounds.ANNUAL_KWH["household"]),
        ({"chi": "shop"}, "calc_kwh", bounds.ANNUAL_KWH["nonresidential"]),
        ({"scelta": "pv"}, "calc_kwp", bounds.PLANT_KWP),
    ],
)
def test_typed_numbers_refused_exactly_outside_the_table(query, key, bound):
    at = run_page("calcolatore", "en", query=query)
    at.number_input(key=key).set_value(float(bound.high)).run()
    assert errors(at) == []
    assert at.metric  # the highest allowed value gives an estimate
    at.number_input(key=key).set_value(float(bound.high) + 1).run()
    refused = errors(at)
    assert len(refused) == 1
    assert f"{bound.high:,.0f}" in refused[0]
    assert not at.metric
    at.number_input(key=key).set_value(float(bound.low)).run()  # 0 kWh / 0 kWp: more than 0
    assert len(errors(at)) == 1


def test_engine_warnings_and_sources_in_italian():
    at = run_page("calcolatore", "it", query={"scelta": "pv_join", "kwp": "6"})
    open_tab(at, "results_tab", translate("it", "calcolatore.tab_explain"))  # built when open
    assert errors(at) == []
    # engine texts are shown inert (Markdown-escaped): compare what the reader sees
    captions = " ".join(c.value for c in at.caption).replace("\\", "")
    markdown = " ".join(m.value for m in at.markdown).replace("\\", "")
    # economics_year1_scaled, in Italian, never the English sentence
    assert "i risultati orari del primo anno si ripetono ogni anno" in captions
    assert "year-1 hourly results" not in captions
    # the weather and price sources of the explanations
    assert "anno tipo PVGIS 45,0 N 8,0 E" in markdown
    assert "al posto di Milano" in markdown
    assert "prezzi orari del mercato del giorno prima GME, zona NORD, 2024" in markdown
    assert "stand-in for" not in markdown
    # a plant below CER.ca.MI's 10 kW: the engine's eligibility reason, in Italian
    assert "Il mio impianto: regola della comunità: gli impianti sotto 10 kW" in captions
    assert "community rule" not in captions
