"""Folium helpers for the Mappa page: GeoJSON layers, the base map, the searched place, clicks.

The layers are drawn as vector GeoJSON, so they show even when the background tiles cannot be
loaded (no internet, an office proxy): the map then says so in one line, switches to the plain
background by itself and frames Milan's outline, the area and the marker together. A metric
scale bar sits bottom left, away from the attribution.

Two parts, so that a search does not rebuild the map: the **base map** (tiles, city outline,
areas, Municipi) depends only on the language and the Municipi switch and is rendered once per
process (``app/components/map_component.py``); the **searched place** (marker, centres of the
estimated areas, their lines, the frame) is plain data (:func:`place_data`) that the base map's
own script draws with Leaflet when it arrives. Data, not code: streamlit-folium's
``feature_group_to_add`` would send JavaScript that its frontend runs with ``eval``, which the
deployment's Content-Security-Policy forbids (no ``'unsafe-eval'``, ``deploy/stack.py``).
Leaflet itself is a static file of the app (``app/static/leaflet-1.9.3``, served by Streamlit's
static file serving), not inlined into every map.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from cer_core.bounds import MILAN_CENTRE_DEG

#: Centre of Milan (Duomo) [deg].
MILAN_CENTRE = MILAN_CENTRE_DEG  # Piazza del Duomo (lat, lon), cer_core.bounds
#: Milan's extent [(south, west), (north, east)] in deg, from the NIL outline (ds964).
CITY_BOUNDS = [(45.3867, 9.0406), (45.5360, 9.2780)]
#: Display simplification of the polygons [deg] (~10 m; lookups use the full geometry).
DISPLAY_TOLERANCE_DEG = 0.0001

#: Colours (WCAG-checked against white for the outlines) per configuration status.
STATUS_COLOURS = {"active": "#0B5D3B", "planned": "#9A4A00", "official": "#0A5A8C"}
MUNICIPI_COLOUR = "#4B3F72"
BOUNDARY_COLOUR = "#555555"
NO_TILES_URL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMB"
    "/aurHYQAAAAASUVORK5CYII="
)
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)


#: The vendored Leaflet (no CDN: works offline), served by Streamlit's static file serving
#: (``server.enableStaticServing``: ``app/static/`` → ``/app/static/``).
LEAFLET_DIR = Path(__file__).resolve().parents[1] / "static" / "leaflet-1.9.3"
#: The same files as seen from the map's component frame
#: (``/component/streamlit_folium.st_folium/index.html``): relative, so that the app also works
#: under a path prefix (``server.baseUrlPath``).
LEAFLET_BASE_URL = "../../app/static/leaflet-1.9.3"
LEAFLET_JS_URL = f"{LEAFLET_BASE_URL}/leaflet.js"
LEAFLET_CSS_URL = f"{LEAFLET_BASE_URL}/leaflet.css"


@dataclass(frozen=True)
class MapLabels:
    """Translated texts used inside the map (tooltips, layer names)."""

    osm: str
    no_tiles: str
    areas: str
    municipi: str
    boundary: str
    indicative: str
    official: str
    status_active: str
    status_planned: str
    you_are_here: str
    data_attribution: str
    no_tiles_notice: str = "Background map unreachable: plain background."
    area_centre: str = "Centre of GSE area {code} (estimate)"


def layers_geojson(areas, municipi, boundary, configurations_by_id: dict) -> dict[str, str]:
    """GeoJSON strings of the display layers (simplified), ready for folium.

    Parameters
    ----------
    areas, municipi, boundary : GeoDataFrame
        From :mod:`cer_core.geo.layers`.
    configurations_by_id : dict
        Configuration id → object with ``name`` and ``status`` (adds them to the area properties).
    """
    areas = areas.copy()
    areas["geometry"] = areas.geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    areas["config_name"] = [
        getattr(configurations_by_id.get(c), "name", "") for c in areas["configuration"]
    ]
    areas["status"] = [
        getattr(configurations_by_id.get(c), "status", s)
        for c, s in zip(areas["configuration"], areas["status"], strict=True)
    ]
    municipi = municipi.copy()
    municipi["geometry"] = municipi.geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    label_points = municipi.geometry.representative_point()
    municipi["label_lat"] = label_points.y.round(6)
    municipi["label_lon"] = label_points.x.round(6)
    boundary = boundary.copy()
    boundary["geometry"] = boundary.geometry.simplify(DISPLAY_TOLERANCE_DEG, preserve_topology=True)
    keep = ["code", "name", "official", "configuration", "config_name", "status", "geometry"]
    return {
        "areas": areas[keep].to_json(drop_id=True),
        "municipi": municipi[
            ["municipio", "name", "approximate", "label_lat", "label_lon", "geometry"]
        ].to_json(drop_id=True),
        "boundary": boundary[["name", "geometry"]].to_json(drop_id=True),
    }


def area_style(properties: dict) -> dict:
    """Leaflet style of one area: colour by status, dashed outline when indicative."""
    official = bool(properties.get("official"))
    colour = STATUS_COLOURS.get(str(properties.get("status")), STATUS_COLOURS["active"])
    if official and not properties.get("configuration"):
        colour = STATUS_COLOURS["official"]
    return {
        "color": colour,
        "weight": 2.5 if official else 2,
        "dashArray": None if official else "6 5",
        "fillColor": colour,
        "fillOpacity": 0.28 if properties.get("configuration") else 0.08,
    }


#: Milliseconds without a single background tile after which the map gives up on them.
TILE_TIMEOUT_MS = 4000
ESTIMATE_COLOUR = "#9A4A00"
CENTRES_PANE = "cer-area-centres"


def frame_bounds(
    marker: tuple[float, float] | None, extra: list[tuple[float, float]] | tuple = ()
) -> list[tuple[float, float]]:
    """[(south, west), (north, east)] holding Milan's outline, the marker and ``extra`` points."""
    lats = [CITY_BOUNDS[0][0], CITY_BOUNDS[1][0]] + [p[0] for p in ([marker] if marker else [])]
    lons = [CITY_BOUNDS[0][1], CITY_BOUNDS[1][1]] + [p[1] for p in ([marker] if marker else [])]
    lats += [p[0] for p in extra]
    lons += [p[1] for p in extra]
    return [(min(lats), min(lons)), (max(lats), max(lons))]


#: Zoom of the map on a searched place.
PLACE_ZOOM = 14
#: Zoom of the whole city before any search (the base map also fits ``CITY_BOUNDS``).
CITY_ZOOM = 11
#: Searched point: white ring, red fill (the e2e tests find it by its fill).
MARKER_STYLE = {
    "radius": 9,
    "color": "#FFFFFF",
    "weight": 3,
    "fill": True,
    "fillColor": "#C62828",
    "fillOpacity": 1.0,
}
CENTRE_LABEL_STYLE = (
    f"font:600 11px sans-serif;color:{ESTIMATE_COLOUR};"
    "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;transform:translate(-6px,-6px)"
)


def place_data(
    labels: MapLabels,
    marker: tuple[float, float] | None = None,
    marker_label: str = "",
    area_centres: list[tuple[str, float, float]] | tuple = (),
) -> dict:
    """The searched place as plain data for the base map's script (:func:`build_base_map`).

    Parameters
    ----------
    labels : MapLabels
        Translated texts (the centres' tooltips, the marker's default tooltip).
    marker : (lat, lon), optional
        The located point [deg]; the map is centred on it.
    marker_label : str
        Tooltip of the marker (plain text: the map sets it as text, never as markup).
    area_centres : list of (code, lat, lon)
        Centres of the candidate GSE areas of an estimate, most likely first [deg].

    Returns
    -------
    dict
        ``marker`` ([lat, lon] or None), ``label``, ``centres`` (code, lat, lon, tooltip) and
        ``frame`` ([[south, west], [north, east]] holding Milan, the marker and the centres:
        shown when the tiles fail).
    """
    bounds = frame_bounds(marker, [(lat, lon) for _, lat, lon in area_centres])
    return {
        "marker": list(marker) if marker else None,
        "label": str(marker_label or labels.you_are_here),
        "centres": [
            {
                "code": str(code),
                "lat": lat,
                "lon": lon,
                "tooltip": labels.area_centre.format(code=code),
            }
            for code, lat, lon in area_centres
        ],
        "frame": [list(bounds[0]), list(bounds[1])],
    }


def _script_json(value) -> str:
    """``value`` as a JavaScript literal safe inside a ``<script>`` element."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _map_script(map_name: str, osm_name: str, plain_name: str, notice: str) -> str:
    """Leaflet code of the base map: metric scale bar; the searched place drawn from data
    (``window.cerShowPlace``, and on every render event of the component whose ``cer_place``
    argument changed); no tile within the timeout (or a tile error before any loaded) → plain
    background, a one-line notice, the frame of Milan and the place in view."""
    city = [list(CITY_BOUNDS[0]), list(CITY_BOUNDS[1])]
    return f"""
(function() {{
  var map = {map_name}, osm = {osm_name}, plain = {plain_name};
  var city = {json.dumps(city)}, frame = city, loaded = false, failed = false;
  var layer = null, shown = null;
  L.control.scale({{metric: true, imperial: false, position: "bottomleft"}}).addTo(map);
  // below the vector layers, so a centre's label never hides the searched point
  map.createPane({json.dumps(CENTRES_PANE)}).style.zIndex = 390;
  function text(tag, content, style) {{
    var el = document.createElement(tag);
    if (style) el.setAttribute("style", style);
    el.textContent = content;  // user text: never markup
    return el;
  }}
  function showPlace(place) {{
    var key = JSON.stringify(place);
    if (!place || key === shown) return;
    shown = key;
    if (layer) map.removeLayer(layer);
    layer = L.featureGroup().addTo(map);
    frame = place.frame || city;
    place.centres.forEach(function(c, rank) {{
      L.marker([c.lat, c.lon], {{
        pane: {json.dumps(CENTRES_PANE)},
        icon: L.divIcon({{
          html: text("div", "\\u25C6 " + c.code, {json.dumps(CENTRE_LABEL_STYLE)}),
          iconSize: [0, 0], className: "cer-area-centre"
        }})
      }}).bindTooltip(text("span", c.tooltip)).addTo(layer);
      if (place.marker) {{
        L.polyline([place.marker, [c.lat, c.lon]], {{
          color: {json.dumps(ESTIMATE_COLOUR)}, weight: rank === 0 ? 2 : 1,
          dashArray: "4 6", opacity: 0.8, interactive: false
        }}).addTo(layer);
      }}
    }});
    if (place.marker) {{
      L.circleMarker(place.marker, {json.dumps(MARKER_STYLE)})
        .bindTooltip(text("span", place.label)).addTo(layer);
    }}
    // no animation: a tile error during a zoom animation would see its frame replaced by
    // the animation's end
    if (failed) map.fitBounds(frame, {{padding: [16, 16], animate: false}});
    else if (place.marker) map.setView(place.marker, {PLACE_ZOOM}, {{animate: false}});
    else map.setView({json.dumps(list(MILAN_CENTRE))}, {CITY_ZOOM}, {{animate: false}});
  }}
  window.cerShowPlace = showPlace;
  if (window.Streamlit && window.Streamlit.events) {{
    // later searches: the same map, only the place changes (streamlit-folium's frontend
    // ignores the arguments it does not know)
    window.Streamlit.events.addEventListener("streamlit:render", function(event) {{
      showPlace(event.detail.args.cer_place);
    }});
  }}
  osm.on("tileload", function() {{ loaded = true; }});
  function fallback() {{
    if (failed || loaded) return;
    failed = true;
    map.removeLayer(osm);
    plain.addTo(map);
    var note = L.control({{position: "topright"}});
    note.onAdd = function() {{
      var div = L.DomUtil.create("div", "cer-no-tiles");
      div.setAttribute("role", "status");
      div.textContent = {json.dumps(notice)};
      return div;
    }};
    note.addTo(map);
    map.fitBounds(frame, {{padding: [16, 16], animate: false}});
  }}
  osm.on("tileerror", function() {{ if (!loaded) fallback(); }});
  setTimeout(fallback, {TILE_TIMEOUT_MS});
}})();
"""


def build_base_map(
    geojson: dict[str, str], labels: MapLabels, show_municipi: bool = False
) -> folium.Map:
    """The folium map without the searched place: base layers (OpenStreetMap, no tiles), city
    outline, areas, Municipi, and the script that draws a place (:func:`place_data`).

    Parameters
    ----------
    geojson : dict
        From :func:`layers_geojson`.
    labels : MapLabels
        Translated texts.
    show_municipi : bool
        Draw the Municipi outlines.
    """
    fmap = folium.Map(
        location=MILAN_CENTRE,
        zoom_start=CITY_ZOOM,
        tiles=None,
        control_scale=False,
        zoom_snap=0.25,
        min_zoom=10,
        max_bounds=True,
        min_lat=45.30,
        max_lat=45.62,
        min_lon=8.95,
        max_lon=9.40,
    )
    # Only Leaflet itself, from the vendored copy: folium's defaults (jQuery, Bootstrap, Font
    # Awesome from CDNs) are not needed and would not load offline.
    fmap.default_js = [("leaflet", LEAFLET_JS_URL)]
    fmap.default_css = [("leaflet_css", LEAFLET_CSS_URL)]
    # A plain background, so that the vector layers read well when tiles fail to load.
    fmap.get_root().header.add_child(
        Element(
            "<style>.leaflet-container{background:#F3F5F1;}"
            ".leaflet-control-attribution{font-size:11px;line-height:1.3;max-width:60%;}"
            ".cer-no-tiles{background:#fff;border:1px solid #999;border-radius:4px;"
            "padding:2px 8px;font:12px/1.5 sans-serif;color:#333;white-space:nowrap;}</style>"
        )
    )
    osm = folium.TileLayer(
        tiles=OSM_TILES, attr=OSM_ATTRIBUTION, name=labels.osm, max_zoom=19, overlay=False
    ).add_to(fmap)
    plain = folium.TileLayer(
        tiles=NO_TILES_URL,
        attr=labels.data_attribution,
        name=labels.no_tiles,
        overlay=False,
        show=False,
    ).add_to(fmap)
    folium.GeoJson(
        geojson["boundary"],
        name=labels.boundary,
        style_function=lambda _f: {
            "color": BOUNDARY_COLOUR,
            "weight": 1.5,
            "fill": False,
        },
        interactive=False,
        control=False,
    ).add_to(fmap)
    tooltip = folium.GeoJsonTooltip(
        fields=["name", "config_name"], aliases=["", ""], labels=False, sticky=True
    )
    folium.GeoJson(
        geojson["areas"],
        name=labels.areas,
        style_function=lambda feature: area_style(feature["properties"]),
        highlight_function=lambda _f: {"weight": 4},
        tooltip=tooltip,
    ).add_to(fmap)
    if show_municipi:
        group = folium.FeatureGroup(name=labels.municipi, show=True)
        folium.GeoJson(
            geojson["municipi"],
            style_function=lambda _f: {
                "color": MUNICIPI_COLOUR,
                "weight": 2,
                "dashArray": "2 4",
                "fill": False,
            },
            interactive=False,
        ).add_to(group)
        for feature in json.loads(geojson["municipi"])["features"]:
            props = feature["properties"]
            folium.Marker(
                (props["label_lat"], props["label_lon"]),
                icon=folium.DivIcon(
                    html=(
                        '<div style="font:600 13px sans-serif;color:#4B3F72;'
                        "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;"
                        f'transform:translate(-50%,-50%)">M{int(props["municipio"])}</div>'
                    ),
                    icon_size=(0, 0),
                ),
            ).add_to(group)
        group.add_to(fmap)
    fmap.fit_bounds(CITY_BOUNDS)
    folium.LayerControl(collapsed=True).add_to(fmap)
    script = _map_script(fmap.get_name(), osm.get_name(), plain.get_name(), labels.no_tiles_notice)
    place_script = MacroElement()
    # a child of the map, so its code runs after the map and both tile layers exist
    place_script._template = Template(
        "{% macro script(this, kwargs) %}" + script + "{% endmacro %}"
    )
    fmap.add_child(place_script)
    return fmap


def place_script(place: dict) -> str:
    """JavaScript drawing ``place`` (:func:`place_data`) on a base map that has just been
    created (the component's first render; later places arrive as data)."""
    return f"\nwindow.cerShowPlace({_script_json(place)});\n"


def clicked_point(returned: object) -> tuple[float, float] | None:
    """(lat, lon) [deg] of the last map click in ``st_folium``'s return value, or None.

    >>> clicked_point({"last_clicked": {"lat": 45.47, "lng": 9.22}})
    (45.47, 9.22)
    """
    if not isinstance(returned, dict):
        return None
    click = returned.get("last_clicked")
    if not isinstance(click, dict):
        return None
    try:
        lat, lon = float(click["lat"]), float(click["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return round(lat, 6), round(lon, 6)
