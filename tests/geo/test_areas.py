"""Point-in-polygon: area, NIL, Municipio, border warning; loaders of the shared layers."""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from cer_core.geo import area_at, layers
from cer_core.geo.areas import BORDER_WARNING_M, AreaIndex, default_index


def test_municipi_and_nil_layers_keep_their_interface():
    municipi = layers.load_municipi()
    assert sorted(municipi.municipio) == list(range(1, 10))
    assert municipi.crs.to_epsg() == 4326
    assert not municipi.approximate.any()  # the official ds379 polygons
    assert municipi.source.str.contains("ds379").all()
    assert {"municipio", "name", "approximate", "source", "geometry"} <= set(municipi.columns)
    nil = layers.load_nil()
    assert len(nil) == 88
    assert nil.crs.to_epsg() == 4326
    assert {"id_nil", "nil", "municipio", "geometry"} <= set(nil.columns)
    assert nil.municipio.between(1, 9).all()


def test_areas_are_indicative_and_tied_to_the_five_pilots():
    areas = layers.load_areas()
    assert not areas.official.any()  # no GSE polygon held offline: never presented as official
    assert set(areas.configuration) == {
        "citta-studi",
        "niguarda-affori",
        "chiaravalle",
        "bovisa",
        "campus-ghisolfa",
    }
    assert all(not code.startswith("AC") for code in areas.code)


def test_point_inside_an_indicative_area():
    hit = area_at(45.4780, 9.2270)  # Piazza Leonardo da Vinci, Politecnico
    assert (hit.configuration, hit.id_nil, hit.municipio) == ("citta-studi", 22, 3)
    assert hit.area_code == "IND-CP09"
    assert hit.official is False
    assert hit.near_border is False
    assert hit.border_distance_m > BORDER_WARNING_M


def test_point_in_milan_outside_every_area():
    hit = area_at(45.4642, 9.1900)  # Duomo
    assert hit.inside_milan
    assert hit.area_code is None
    assert hit.configuration is None
    assert (hit.municipio, hit.nil) == (1, "Duomo")


def test_point_outside_milan():
    hit = area_at(45.0703, 7.6869)  # Torino
    assert not hit.inside_milan
    assert hit.municipio is None


@pytest.mark.parametrize("inside", [True, False])
def test_points_near_an_area_edge_get_the_border_warning(inside):
    index = default_index()
    areas = layers.load_areas()
    geom = areas.loc[areas.code == "IND-CP09"].geometry.iloc[0]
    # walk from the centre towards the east until crossing the edge, then step back/forward 40 m
    centre = geom.representative_point()
    lat, lon = centre.y, centre.x
    step = 0.00005
    while geom.contains(shapely.Point(lon + step, lat)):
        lon += step
    lon += -0.0005 if inside else 0.0005  # ~39 m
    hit = index.at(lat, lon)
    assert hit.near_border is True
    assert (hit.configuration == "citta-studi") is inside
    assert hit.border_distance_m <= BORDER_WARNING_M


def test_municipio_by_official_polygon_agrees_with_the_register():
    """The Municipio found from the coordinates (ds379 polygon) against the Comune's own label of
    every 10th civic number of the register."""
    from cer_core.geo.geocode import default_gazetteer

    index = default_index()
    points = default_gazetteer().civic_points().iloc[::10]
    points = points[points.municipio > 0]
    hits = [index.at(r.lat, r.lon).municipio == r.municipio for r in points.itertuples()]
    assert sum(hits) / len(hits) >= 0.999, sum(hits) / len(hits)


def test_municipio_by_polygon_on_points_labelled_in_other_datasets():
    """Leave nothing out: the Comune's labels of 1,830 points of other datasets (fountains,
    charging points, shops)."""
    index = default_index()
    points = layers.load_labelled_points()
    hits = [index.at(r.lat, r.lon).municipio == r.municipio for r in points.itertuples()]
    assert sum(hits) / len(hits) >= 0.98, sum(hits) / len(hits)


def test_index_on_custom_layers_official_polygon_wins():
    nil = layers.load_nil()
    areas = layers.load_areas()
    official = gpd.GeoDataFrame(
        [
            {
                "code": "AC999E00001",
                "name": "test",
                "distributor": "x",
                "source": "fixture",
                "as_of": "",
                "official": True,
                "configuration": "citta-studi",
                "cp_number": 9,
                "status": "active",
                "geometry": shapely.box(9.20, 45.47, 9.25, 45.49),
            }
        ],
        crs="EPSG:4326",
    )
    index = AreaIndex(nil, gpd.pd.concat([areas, official]), layers.load_municipi())
    hit = index.at(45.4780, 9.2270)
    assert (hit.area_code, hit.official) == ("AC999E00001", True)
