"""Folium helpers for the Mappa page: GeoJSON layers, the map, the legend, click parsing.

The layers are drawn as vector GeoJSON, so they show even when the background tiles cannot be
loaded (no internet, an office proxy): the map then says so in one line, switches to the plain
background by itself and frames Milan's outline, the area and the marker together. A metric
scale bar sits bottom left, away from the attribution.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from functools import cache
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


LEAFLET_DIR = Path(__file__).parent / "vendor" / "leaflet-1.9.3"


@cache
def leaflet_assets() -> tuple[str, str]:
    """Leaflet's JS and CSS as data: URIs (vendored copy: no CDN, works offline)."""
    js = (LEAFLET_DIR / "leaflet.js").read_bytes()
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    for name in ("layers.png", "layers-2x.png"):
        png = base64.b64encode((LEAFLET_DIR / "images" / name).read_bytes()).decode()
        css = css.replace(f"url(images/{name})", f"url(data:image/png;base64,{png})")
    return (
        "data:text/javascript;base64," + base64.b64encode(js).decode(),
        "data:text/css;base64," + base64.b64encode(css.encode()).decode(),
    )


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


def _fallback_script(map_name: str, osm_name: str, plain_name: str, bounds, notice: str) -> str:
    """Leaflet code: metric scale bar; no tile within the timeout (or a tile error before any
    loaded) → plain background, a one-line notice, the whole frame in view."""
    return f"""
(function() {{
  var map = {map_name}, osm = {osm_name}, plain = {plain_name};
  L.control.scale({{metric: true, imperial: false, position: "bottomleft"}}).addTo(map);
  var loaded = false, failed = false;
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
    map.fitBounds({json.dumps(bounds)}, {{padding: [16, 16]}});
  }}
  osm.on("tileerror", function() {{ if (!loaded) fallback(); }});
  setTimeout(fallback, {TILE_TIMEOUT_MS});
}})();
"""


def build_map(
    geojson: dict[str, str],
    labels: MapLabels,
    marker: tuple[float, float] | None = None,
    marker_label: str = "",
    show_municipi: bool = False,
    area_centres: list[tuple[str, float, float]] | tuple = (),
) -> folium.Map:
    """The folium map: base layers (OpenStreetMap, no tiles), city outline, areas, Municipi,
    the marker and the centres of the estimated GSE areas.

    Parameters
    ----------
    geojson : dict
        From :func:`layers_geojson`.
    labels : MapLabels
        Translated texts.
    marker : (lat, lon), optional
        The located point [deg]; the map is centred on it.
    marker_label : str
        Tooltip of the marker (plain text; escaped here).
    show_municipi : bool
        Draw the Municipi outlines.
    area_centres : list of (code, lat, lon)
        Centres of the candidate GSE areas of an estimate, most likely first [deg].
    """
    centre = marker or MILAN_CENTRE
    fmap = folium.Map(
        location=centre,
        zoom_start=14 if marker else 11,
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
    leaflet_js, leaflet_css = leaflet_assets()
    fmap.default_js = [("leaflet", leaflet_js)]
    fmap.default_css = [("leaflet_css", leaflet_css)]
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
    if not marker:
        fmap.fit_bounds(CITY_BOUNDS)
    if area_centres:
        # below the vector layers, so a centre's label never hides the searched point
        folium.map.CustomPane(CENTRES_PANE, z_index=390, pointer_events=True).add_to(fmap)
    for rank, (code, lat, lon) in enumerate(area_centres):
        text = _escape_html(labels.area_centre.format(code=code))
        folium.Marker(
            (lat, lon),
            pane=CENTRES_PANE,
            icon=folium.DivIcon(
                html=(
                    f'<div style="font:600 11px sans-serif;color:{ESTIMATE_COLOUR};'
                    "text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;"
                    f'transform:translate(-6px,-6px)">&#9670; {_escape_html(code)}</div>'
                ),
                icon_size=(0, 0),
            ),
            tooltip=folium.Tooltip(text),
        ).add_to(fmap)
        if marker:
            folium.PolyLine(
                [marker, (lat, lon)],
                color=ESTIMATE_COLOUR,
                weight=2 if rank == 0 else 1,
                dash_array="4 6",
                opacity=0.8,
                interactive=False,
            ).add_to(fmap)
    if marker:
        folium.CircleMarker(
            marker,
            radius=9,
            color="#FFFFFF",
            weight=3,
            fill=True,
            fill_color="#C62828",
            fill_opacity=1.0,
            tooltip=folium.Tooltip(_escape_html(marker_label or labels.you_are_here)),
        ).add_to(fmap)
    folium.LayerControl(collapsed=True).add_to(fmap)
    bounds = frame_bounds(marker, [(lat, lon) for _, lat, lon in area_centres])
    script = _fallback_script(
        fmap.get_name(),
        osm.get_name(),
        plain.get_name(),
        [list(bounds[0]), list(bounds[1])],
        labels.no_tiles_notice,
    )
    fallback = MacroElement()
    # a child of the map, so its code runs after the map and both tile layers exist
    fallback._template = Template("{% macro script(this, kwargs) %}" + script + "{% endmacro %}")
    fmap.add_child(fallback)
    return fmap


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


def _escape_html(text: str) -> str:
    return (
        str(text)
        .replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )
