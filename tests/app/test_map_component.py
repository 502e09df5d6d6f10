"""The Mappa's map component: the same arguments as ``st_folium`` for the same base map (so an
upgrade of streamlit-folium that changes them fails here), a key that stays the same from one
searched place to the next (the map on screen is updated, not rebuilt), and a message per
search far below the old one with Leaflet inlined."""

from __future__ import annotations

import json

import pytest
import streamlit_folium

from app.components import map_component
from app.components.map_view import MapLabels, build_base_map, layers_geojson, place_data
from cer_core.configurations import load_configurations
from cer_core.geo import layers

LABELS = MapLabels(*[f"label {i}" for i in range(11)])
PADOVA = place_data(LABELS, marker=(45.4995, 9.2262), marker_label="Via Padova 10")
ROZZANO = place_data(
    LABELS,
    marker=(45.3950, 9.1500),
    marker_label="Via Roma 1",
    area_centres=[("AC012E00004", 45.37642, 9.16523)],
)


@pytest.fixture(scope="module")
def geojson():
    by_id = {c.id: c for c in load_configurations()}
    return layers_geojson(
        layers.load_areas(), layers.load_municipi(), layers.load_boundary(), by_id
    )


def _st_folium_arguments(monkeypatch, fmap) -> dict:
    captured = {}
    monkeypatch.setattr(
        streamlit_folium, "_component_func", lambda **kwargs: captured.update(kwargs)
    )
    streamlit_folium.st_folium(
        fmap,
        key="mappa_map",
        height=520,
        use_container_width=True,
        returned_objects=list(map_component.RETURNED_OBJECTS),
    )
    return captured


@pytest.mark.parametrize("show_municipi", [False, True])
def test_same_arguments_as_st_folium(monkeypatch, geojson, show_municipi):
    expected = _st_folium_arguments(monkeypatch, build_base_map(geojson, LABELS, show_municipi))
    base = map_component.render_base(build_base_map(geojson, LABELS, show_municipi))
    ours = map_component.component_arguments(base, PADOVA, key="mappa_map", height=520)
    place = ours.pop("cer_place")
    assert place == PADOVA
    script = ours.pop("script")
    assert script.startswith(expected.pop("script"))
    assert "window.cerShowPlace(" in script  # the first draw also shows the place
    expected.pop("on_change")
    assert ours == expected


def test_key_and_base_stay_the_same_from_one_place_to_the_next(geojson):
    base = map_component.render_base(build_base_map(geojson, LABELS))
    first = map_component.component_arguments(base, PADOVA, key="mappa_map", height=520)
    second = map_component.component_arguments(base, ROZZANO, key="mappa_map", height=520)
    assert first["key"] == second["key"]
    assert first["header"] == second["header"]
    assert first["cer_place"] != second["cer_place"]
    with_municipi = map_component.render_base(build_base_map(geojson, LABELS, True))
    other = map_component.component_arguments(with_municipi, PADOVA, "mappa_map", 520)
    assert other["key"] != first["key"]  # another base map: a new frame


def test_a_search_sends_well_under_50_kib(geojson):
    base = map_component.render_base(build_base_map(geojson, LABELS))
    arguments = map_component.component_arguments(base, ROZZANO, key="mappa_map", height=520)
    size = len(json.dumps(arguments).encode())
    assert size < 50 * 1024
    assert not any(link.startswith("data:") for link in arguments["js_links"])
    assert arguments["js_links"] == ["../../app/static/leaflet-1.9.3/leaflet.js"]
