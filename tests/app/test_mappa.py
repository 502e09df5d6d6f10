"""Mappa page through AppTest: search in both languages, shareable ?indirizzo=, bad input gets a
clear, escaped message; the click → area path is a pure function (st_folium can't be clicked)."""

from __future__ import annotations

import re

import pytest

from app.components.map_view import (
    area_style,
    build_base_map,
    clicked_point,
    layers_geojson,
    place_data,
    place_script,
)
from app.i18n import translate
from cer_core.geo import layers, locate_point
from tests.app.apptest import run_page


def _texts(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning] + [i.value for i in at.info]
    return "\n".join(parts)


def _search(at, query: str):
    at.text_input(key="mappa_input").input(query)
    at.button[0].click()  # the form's submit button
    return at.run()


def _map_rendered(at) -> bool:
    return any(
        getattr(el.proto, "component_name", "") == "streamlit_folium.st_folium"
        for el in at.get("component_instance")
    )


@pytest.mark.parametrize("lang", ["it", "en"])
def test_search_shows_the_result_card(lang):
    at = run_page("mappa", lang)
    assert not at.exception
    assert _map_rendered(at)
    at = _search(at, "p.za Leonardo da Vinci 32")
    assert not at.exception
    text = _texts(at)
    assert "Città Studi" in text
    assert "CER.ca.MI" in text
    assert translate(lang, "mappa.indicative_badge") in text
    assert "mappa-interattiva-delle-cabine-primarie" in text  # the GSE link in the advice
    assert at.query_params["indirizzo"] == "p.za Leonardo da Vinci 32"
    assert _map_rendered(at)


def test_shared_link_opens_the_result():
    at = run_page("mappa", "en", query={"indirizzo": "Bovisa"})
    assert not at.exception
    assert "Configuration Bovisa" in _texts(at)
    assert at.text_input(key="mappa_input").value == "Bovisa"


def test_address_outside_the_pilots_gets_an_estimated_area():
    at = run_page("mappa", "it", query={"indirizzo": "Via Rezzonico Francesco 6"})
    text = _texts(at)
    assert "Municipio 4" in text
    assert translate("it", "mappa.no_config") in text
    assert "mappa GSE" in text
    assert "**Area GSE stimata:**" in text
    assert ":orange-badge[:material/help: stimata]" in text
    assert "AC012E000" in text
    assert translate("it", "mappa.match_exact") in text


@pytest.mark.parametrize("lang", ["it", "en"])
def test_pilot_shows_the_inferred_code_and_its_doubt(lang):
    at = run_page("mappa", lang, query={"indirizzo": "Piazza Leonardo da Vinci 32"})
    text = _texts(at)
    assert "AC012E00009" in text
    assert translate(lang, "mappa.estimate_badge") in text
    expected = "da confermare" if lang == "it" else "awaiting confirmation"
    assert expected in text


@pytest.mark.parametrize("lang", ["it", "en"])
def test_an_indicative_and_estimated_area_gets_one_note(lang):
    """A pilot's indicative area whose GSE code is also estimated: one note says both."""
    at = run_page("mappa", lang, query={"indirizzo": "Piazza Leonardo da Vinci 32"})
    assert not at.exception
    notes = [i.value for i in at.info]
    one = translate(lang, "mappa.warn_indicative_and_estimated", url="X").split("X")[0]
    assert sum(one in n for n in notes) == 1
    for alone in ("mappa.warn_indicative_area", "mappa.warn_area_estimated"):
        assert not any(translate(lang, alone, url="X").split("X")[0] in n for n in notes)


def test_an_estimated_area_alone_keeps_its_note():
    at = run_page("mappa", "it", query={"indirizzo": "Via Rezzonico Francesco 6"})
    notes = [i.value for i in at.info]
    assert any(
        translate("it", "mappa.warn_area_estimated", url="X").split("X")[0] in n for n in notes
    )


def test_a_town_name_asks_which_was_meant():
    at = run_page("mappa", "it", query={"indirizzo": "Monza"})
    assert not at.exception
    assert any("è un altro comune" in w.value for w in at.warning)
    labels = [b.label for b in at.button if b.key and b.key.startswith("mappa_suggestion_")]
    assert "Viale Monza" in labels


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("asdf", "mappa.error_no_match"),
        ("Via del Corso 1, Roma", "mappa.error_outside_milan"),
        ("x" * 2000, "mappa.error_too_long"),
        ("🙂🙂", "mappa.error_no_letters"),
        ("   ", "mappa.error_empty"),
    ],
)
def test_bad_input_gets_a_clear_message(query, key):
    at = run_page("mappa", "it")
    at = _search(at, query)
    assert not at.exception
    expected = translate("it", key, query="").split("«")[0]
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    assert _map_rendered(at)


@pytest.mark.parametrize(
    "query", ["<img src=x onerror=alert(1)>", "'; DROP TABLE civici; --", "**bold** [x](http://e)"]
)
def test_user_text_is_escaped_never_rendered(query):
    at = run_page("mappa", "en", query={"indirizzo": query})
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "No Milan street" in warning
    # every Markdown/HTML character of the user's text reaches Markdown backslash-escaped

    assert not re.search(r"(?<!\\)[<>*\[\]()`]", warning.split("“", 1)[1].rsplit("”", 1)[0])


def test_a_milan_street_with_a_civic_number_that_does_not_exist():
    at = run_page("mappa", "en", query={"indirizzo": "V.le Fulvio Testi 10"})
    text = _texts(at)
    assert "Civic number **10** is not in the Comune's register: we show **8**" in text
    assert "same side of the street" in text
    assert "Municipio 9" in text or "Municipio 2" in text


def test_suggestions_are_buttons_that_search():
    at = run_page("mappa", "en", query={"indirizzo": "Via Roma 5"})
    suggestions = [b for b in at.button if b.key and b.key.startswith("mappa_suggestion_")]
    assert suggestions
    label = suggestions[0].label
    suggestions[0].click()
    at = at.run()
    assert at.query_params["indirizzo"] == label
    assert not at.warning


# -- click → area (pure functions) --------------------------------------------------------------


def test_click_value_is_parsed_and_located():
    returned = {"last_clicked": {"lat": 45.478, "lng": 9.227}}
    point = clicked_point(returned)
    assert point == (45.478, 9.227)
    assert locate_point(*point).configuration == "citta-studi"


@pytest.mark.parametrize(
    "returned",
    [None, {}, {"last_clicked": None}, {"last_clicked": {"lat": "x", "lng": 1}}, "garbage"],
)
def test_no_click(returned):
    assert clicked_point(returned) is None


def test_map_has_both_base_layers_and_the_areas():
    from cer_core.configurations import load_configurations

    by_id = {c.id: c for c in load_configurations()}
    geojson = layers_geojson(
        layers.load_areas(), layers.load_municipi(), layers.load_boundary(), by_id
    )
    labels = dict.fromkeys(
        (
            "osm no_tiles areas municipi boundary indicative official status_active "
            "status_planned you_are_here data_attribution"
        ).split(),
        "L",
    )
    from app.components.map_view import MapLabels

    fmap = build_base_map(geojson, MapLabels(**labels), show_municipi=True)
    rendered = fmap.get_root().render()
    # no tile server: a notice and the plain layer; a metric scale bar on the left
    assert "tileerror" in rendered
    assert "Background map unreachable" in rendered
    assert 'imperial: false, position: "bottomleft"' in rendered  # metric only, left
    assert "tile.openstreetmap.org" in rendered
    assert "OpenStreetMap" in rendered
    assert "data:image/png;base64" in rendered  # the blank base layer
    assert "window.cerShowPlace = showPlace" in rendered  # the place arrives as data
    assert "leaflet-1.9.3/leaflet.js" in rendered  # Leaflet as a static file, not inlined
    assert "data:text/javascript" not in rendered
    assert "IND-CP09" in geojson["areas"]
    assert area_style({"official": False, "status": "active", "configuration": "x"})["dashArray"]
    assert (
        area_style({"official": True, "status": "active", "configuration": "x"})["dashArray"]
        is None
    )


def test_place_is_data_framing_milan_marker_and_centres():
    from app.components.map_view import MapLabels

    labels = MapLabels(*["L"] * 10, "data", area_centre="Centre of {code}")
    place = place_data(
        labels,
        marker=(45.47, 9.22),
        marker_label="Via <b>Padova</b> 10",
        area_centres=[("AC012E00004", 45.37642, 9.16523)],
    )
    # the frame holds Milan, the marker and the area's centre (south of the city, Rozzano)
    assert place["frame"] == [[45.37642, 9.0406], [45.536, 9.278]]
    assert place["marker"] == [45.47, 9.22]
    assert place["centres"] == [
        {"code": "AC012E00004", "lat": 45.37642, "lon": 9.16523, "tooltip": "Centre of AC012E00004"}
    ]
    # user text goes into the first draw as a JSON literal that cannot close the script
    script = place_script(place)
    assert "<b>" not in script
    assert "\\u003cb\\u003ePadova" in script
    assert place_data(labels)["frame"] == [[45.3867, 9.0406], [45.536, 9.278]]
    assert place_data(labels)["marker"] is None


# -- one lookup everywhere -----------------------------------------------------------------------


def test_map_and_calculator_give_the_same_answer_online_setting_included(monkeypatch, tmp_path):
    """With the online geocoder enabled, a street the register lacks is found online by both the
    map and the calculator (the network is faked): one lookup, the same answer."""
    from cer_core.geo import geocode

    calls = []

    def fake_fetch(query):
        calls.append(query)
        return (45.5035, 9.1549, "Via Inventata 3, Bovisa, Milano")  # inside Bovisa

    monkeypatch.setenv("CER_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv(geocode.ONLINE_ENV, "1")
    monkeypatch.setattr(geocode, "_nominatim_fetch", lambda: fake_fetch)
    geocode.default_online_geocoder.cache_clear()
    try:
        query = {"indirizzo": "Via Inventatissima Qwerty 3"}
        mappa = run_page("mappa", "en", query=query)
        assert "Configuration Bovisa" in _texts(mappa)
        calc = run_page("calcolatore", "en", query=query)
        assert not calc.exception
        assert any("Bovisa" in s.value for s in calc.success)
        assert calls  # asked online (then cached on disk for the second page)
    finally:
        geocode.default_online_geocoder.cache_clear()
