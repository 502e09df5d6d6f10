"""Builders: embedded layers, official GSE areas (fixture in GSE's GeoJSON shape), ds634 gazetteer
(fixture in ds634's published CSV format; coordinates illustrative). Nothing is downloaded."""

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
    hit = AreaIndex(layers.load_nil(), areas, layers.load_labelled_points()).at(45.4780, 9.2270)
    assert (hit.official, hit.area_code, hit.configuration) == (True, "AC999E00001", "citta-studi")
    hit = AreaIndex(layers.load_nil(), areas, layers.load_labelled_points()).at(45.4642, 9.1900)
    assert (hit.official, hit.area_code, hit.configuration) == (True, "AC999E00002", None)


def test_gse_builder_rejects_a_file_without_gse_codes(tmp_path):
    gse = _script("build_gse_areas")
    data = json.loads((FIXTURES / "gse_areas_sample.geojson").read_text())
    data["features"][0]["properties"]["COD_AC"] = "12345"
    bad = tmp_path / "bad.geojson"
    bad.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="COD_AC"):
        gse.build(bad, layers.load_boundary(), None, "")


def test_ds634_builder_reads_the_published_format():
    ds634 = _script("build_gazetteer_ds634")
    rows = ds634.read_ds634(FIXTURES / "ds634_sample.csv")
    assert len(rows) == 4  # the suppressed civic number and the point outside Milan are dropped
    assert "VIA GIUSEPPE LA MASA 19/A" in set(rows.address)
    frame = ds634.build(FIXTURES / "ds634_sample.csv", layers.load_nil(), layers.load_gazetteer())
    gaz = Gazetteer(frame)
    hit = gaz.search("via giuseppe la masa 19a")
    assert (hit.kind, hit.municipio, hit.id_nil) == ("address_exact", 9, 77)
    assert gaz.search("Piazza Leonardo da Vinci 32").kind == "address_exact"
    assert gaz.search("via rezzonico 6").source.startswith("Comune di Milano, ds634")
    assert gaz.search("Città Studi").kind == "place"  # NIL names kept


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
