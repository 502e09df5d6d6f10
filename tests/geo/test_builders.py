"""Builders: embedded layers, official GSE areas (fixture in GSE's GeoJSON shape), the gazetteer
from the civic-number register and the GSE area centres (small fixtures in the published column
layout; coordinates illustrative). Nothing is downloaded."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from cer_core.geo import layers
from cer_core.geo.areas import AreaIndex
from cer_core.geo.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
SHARED = REPO.parent / "shared" / "data"


def _script(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gse_builder_makes_official_areas_and_keeps_unmatched_indicative(monkeypatch):
    gse = _script("build_gse_areas")
    from cer_core import configurations

    real = configurations.load_configurations()
    patched = [
        c
        if c.id != "citta-studi"
        else c.__class__(**{**c.__dict__, "gse_area_code": "AC999E00001"})
        for c in real
    ]
    monkeypatch.setattr(gse, "load_configurations", lambda: patched)
    areas = gse.build(
        FIXTURES / "gse_areas_sample.geojson",
        layers.load_boundary(),
        layers.load_areas(),
        "2025-11-21",
    )
    official = areas[areas.official]
    assert sorted(official.code) == ["AC999E00001", "AC999E00002"]  # the Rome polygon is dropped
    row = official.set_index("code").loc["AC999E00001"]
    assert (row.configuration, row.distributor, row.as_of) == (
        "citta-studi",
        "DISTRIBUTORE DI PROVA S.P.A.",
        "2025-11-21",
    )
    indicative = areas[~areas.official]
    assert "citta-studi" not in set(indicative.configuration)
    assert len(indicative) == 4
    hit = AreaIndex(layers.load_nil(), areas, layers.load_municipi()).at(45.4780, 9.2270)
    assert (hit.official, hit.area_code, hit.configuration) == (True, "AC999E00001", "citta-studi")
    hit = AreaIndex(layers.load_nil(), areas, layers.load_municipi()).at(45.4642, 9.1900)
    assert (hit.official, hit.area_code, hit.configuration) == (True, "AC999E00002", None)


def test_gse_builder_rejects_a_file_without_gse_codes(tmp_path):
    gse = _script("build_gse_areas")
    data = json.loads((FIXTURES / "gse_areas_sample.geojson").read_text())
    data["features"][0]["properties"]["COD_AC"] = "12345"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="COD_AC"):
        gse.build(bad, layers.load_boundary(), None, "")


def test_gazetteer_builder_reads_the_register():
    builder = _script("build_gazetteer")
    streets, civici = builder.build(
        FIXTURES / "civici_sample.csv", layers.load_nil(), FIXTURES / "stradario_sample.csv"
    )
    assert (streets.kind == "street").sum() == 2
    assert (streets.kind == "place").sum() == 88
    # the suppressed civic number is dropped; a shop window (BARRA2) merges into its door
    assert len(civici) == 5
    assert civici.cap.tolist()[:2] == [159, 159]  # the second one from its neighbour
    gaz = Gazetteer(streets, civici)
    hit = gaz.search("via borsieri pietro 2")
    assert (hit.kind, hit.label, hit.municipio) == ("exact", "Via Pietro Borsieri 2", 9)
    assert gaz.search("Via Pietro Borsieri 4/A").civic == "4A"
    assert gaz.search("Via Pietro Borsieri 99").kind == "nearest_number"
    assert gaz.search("Città Studi").kind == "place"  # NIL names


def test_gazetteer_builder_rejects_a_file_without_register_columns(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("CODICE_VIA,NUMERO\n1,2\n")
    with pytest.raises(ValueError, match="register columns missing"):
        _script("build_gazetteer").build(bad, layers.load_nil())


def test_area_centres_builder(tmp_path):
    builder = _script("build_area_centres")
    source = tmp_path / "centres.csv"
    source.write_text(
        "codice_ac,operator,lat,lng\n"
        "AC012E00001,Unareti S.p.A.,45.4786,9.20723\n"
        "AC001E01348,e-distribuzione S.p.A.,45.41143,9.24969\n"
    )
    table = builder.build(source)
    assert table.milan_distributor.tolist() == [False, True]  # sorted by code
    assert table.licence.str.contains("CC BY-NC-SA 3.0").all()
    source.write_text("codice_ac,operator,lat,lng\nXX1,x,45,9\n")
    with pytest.raises(ValueError, match="GSE"):
        builder.build(source)


@pytest.mark.skipif(not SHARED.exists(), reason="raw public files (../shared/data) not present")
def test_embedded_layers_rebuild_identically(tmp_path):
    built = _script("build_geo").build(SHARED, tmp_path)
    assert built["nil"] == 88
    assert built["municipi"] == 9
    assert built["areas"] == 5
    for name in ("municipi", "areas", "nil"):
        fresh = gpd.read_parquet(tmp_path / f"{name}.parquet")
        shipped = gpd.read_parquet(REPO / "data" / "geo" / f"{name}.parquet")
        pd.testing.assert_frame_equal(
            fresh.drop(columns="geometry"), shipped.drop(columns="geometry")
        )
        assert fresh.geometry.geom_equals_exact(shipped.geometry, 1e-9).all()
