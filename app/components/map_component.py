"""The Mappa's map on the page: the base map rendered once, the searched place sent as data.

``st_folium`` renders the whole folium map on every call (twice: the figure, then the map) and
sends it whole; with the map rebuilt for each search that was ~60 ms of server CPU and, with
Leaflet inlined, ~230 KiB per search. Here the base map (:func:`map_view.build_base_map`:
tiles, outline, areas, Municipi) is rendered once per language and Municipi switch
(:func:`render_base`, kept by the page with ``st.cache_resource``), and each run passes
streamlit-folium's component the same arguments ``st_folium`` would for that map, plus the
searched place as plain data (``cer_place``, :func:`map_view.place_data`). The component's key
depends only on the base map, so a search updates the map already on screen (no new frame, no
reload of Leaflet): the base map's script draws the place from the new arguments.

Same component as ``st_folium`` (``streamlit_folium.st_folium``); the arguments are built with
streamlit-folium's own helpers, and ``tests/app/test_map_component.py`` checks they equal what
``st_folium`` sends for the same map, so an upgrade that changes them fails there.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import folium.elements
import streamlit as st
import streamlit_folium

from app.components.map_view import place_script

#: What the page reads back from the map (a click on the map picks a place).
RETURNED_OBJECTS = ("last_clicked",)


@dataclass(frozen=True)
class RenderedMap:
    """streamlit-folium's component arguments for one base map (strings rendered once)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: dict
    zoom: float | None


def _asset_links(fmap: folium.Map) -> tuple[list[str], list[str]]:
    """CSS and JS links of the map and its elements, first occurrence kept (as st_folium)."""
    css, js = [], []

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(fmap):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return list(dict.fromkeys(css)), list(dict.fromkeys(js))


def render_base(fmap: folium.Map) -> RenderedMap:
    """Render ``fmap`` as ``st_folium`` does (the map is changed by it: render it only once)."""
    fmap.get_root().render()
    fmap.render()
    html = streamlit_folium._get_html(fmap)
    header = streamlit_folium._get_header(fmap)
    script = streamlit_folium._get_map_string(fmap)
    southwest, northeast = fmap.get_bounds()
    css, js = _asset_links(fmap)
    return RenderedMap(
        script=script,
        header=header,
        html=html,
        map_id=streamlit_folium.get_full_id(fmap),
        css_links=tuple(css),
        js_links=tuple(js),
        bounds={
            "_southWest": {"lat": southwest[0], "lng": southwest[1]},
            "_northEast": {"lat": northeast[0], "lng": northeast[1]},
        },
        zoom=fmap.options.get("zoom"),
    )


def component_arguments(base: RenderedMap, place: dict, key: str, height: int) -> dict:
    """The arguments ``st_folium(fmap, key=key, height=height, use_container_width=True,
    returned_objects=RETURNED_OBJECTS)`` passes to the component, with the place added."""
    defaults = {"last_clicked": None, "bounds": base.bounds, "zoom": base.zoom}
    return {
        # run once, when the component first draws the map: the base, then the place
        "script": base.script + place_script(place),
        "header": base.header,
        "html": base.html,
        "id": base.map_id,
        # the same key for every place on this base map: the component stays mounted
        "key": streamlit_folium.generate_js_hash(base.script, key, False),
        "height": height,
        "width": None,
        "returned_objects": list(RETURNED_OBJECTS),
        "default": {k: v for k, v in defaults.items() if k in RETURNED_OBJECTS},
        "zoom": None,
        "center": None,
        "feature_group": None,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": list(base.css_links),
        "js_links": list(base.js_links),
        "wrap_longitude": False,
        "cer_place": place,
    }


def show_map(base: RenderedMap, place: dict, key: str, height: int = 520) -> object:
    """Draw the map with ``place`` on it; returns what the component reports (``last_clicked``).

    Parameters
    ----------
    base : RenderedMap
        From :func:`render_base` (cached by the page).
    place : dict
        From :func:`app.components.map_view.place_data`.
    key : str
        The widget key (as ``st_folium``'s ``key``).
    height : int
        Map height [px]; the width follows the container.
    """
    arguments = component_arguments(base, place, key, height)
    hash_key = arguments["key"]

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return streamlit_folium._component_func(**arguments, on_change=on_change)
