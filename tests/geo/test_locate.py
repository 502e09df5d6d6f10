"""locate(): the public entry point, the CLI and the online geocoder (always faked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cer_core.geo import Location, LocationNotFound, locate, locate_point
from cer_core.geo.__main__ import main
from cer_core.geo.geocode import OnlineGeocoder, OnlineHit

REPO = Path(__file__).resolve().parents[2]


def test_locate_pilot_address():
    found = locate("Piazza Leonardo da Vinci 32")
    assert isinstance(found, Location)
    assert (found.configuration, found.municipio, found.nil) == ("citta-studi", 3, "Città Studi")
    assert found.official is False
    assert "indicative_area" in found.warnings
    assert found.cabina_code == "IND-CP09"
    assert 45.47 < found.lat < 45.49
    assert 9.21 < found.lon < 9.24


def test_locate_outside_every_area_says_so():
    found = locate("Via Rezzonico Francesco 6")
    assert found.cabina_code is None
    assert found.configuration is None
    assert "area_unknown_offline" in found.warnings
    assert (found.municipio, found.id_nil) == (4, 26)


def test_locate_is_frozen():
    found = locate("Bovisa")
    with pytest.raises(AttributeError):
        found.lat = 0  # type: ignore[misc]


def test_coordinates_and_clicks_give_the_same_answer_as_a_search():
    by_name = locate("Piazza Leonardo da Vinci")
    by_click = locate_point(by_name.lat, by_name.lon)
    by_text = locate(f"{by_name.lat:.6f}, {by_name.lon:.6f}")
    for other in (by_click, by_text):
        assert (other.configuration, other.municipio, other.id_nil) == (
            by_name.configuration,
            by_name.municipio,
            by_name.id_nil,
        )
    assert by_click.match.kind == "point"


def test_click_outside_milan_is_refused():
    with pytest.raises(LocationNotFound) as caught:
        locate_point(45.0703, 7.6869)
    assert caught.value.reason == "outside_milan"


# -- online geocoder: injected fakes only, the network is never touched ------------------------


class FakeFetch:
    def __init__(self, answer):
        self.answer, self.calls = answer, []

    def __call__(self, query):
        self.calls.append(query)
        return self.answer


def test_online_fallback_used_only_when_offline_fails(tmp_path):
    fetch = FakeFetch((45.5035, 9.1549, "Via Giuseppe La Masa 34, Bovisa, Milano"))
    online = OnlineGeocoder(fetch=fetch, cache_path=tmp_path / "cache.json")
    found = locate("Via Giuseppe La Masa 34", online=True, online_geocoder=online)
    assert found.match.kind == "nominatim"
    assert found.configuration == "bovisa"
    assert "online_geocoder" in found.warnings
    locate("Via Giuseppe La Masa 34", online=True, online_geocoder=online)
    assert len(fetch.calls) == 1  # cached
    assert "via giuseppe la masa 34" in json.loads((tmp_path / "cache.json").read_text())
    locate("Via Rezzonico Francesco 6", online=True, online_geocoder=online)
    assert len(fetch.calls) == 1  # exact offline match: no online request


def test_online_answer_outside_milan_is_ignored(tmp_path):
    online = OnlineGeocoder(fetch=FakeFetch((41.9, 12.48, "Roma")), cache_path=tmp_path / "c.json")
    with pytest.raises(LocationNotFound):
        locate("Via Giuseppe La Masa 34", online=True, online_geocoder=online)


def test_network_errors_fall_back_to_the_offline_answer(tmp_path):
    def broken(_query):
        raise OSError("no network")

    online = OnlineGeocoder(fetch=broken, cache_path=tmp_path / "c.json")
    assert online("Via Padova 3") is None
    found = locate("Via Padova 3", online=True, online_geocoder=online)
    assert found.match.kind == "street"


def test_online_hit_type():
    assert OnlineHit(45.0, 9.0, "x").label == "x"


# -- command line --------------------------------------------------------------------------------


def test_cli_json(capsys):
    assert main(["locate", "Piazza Leonardo da Vinci 32", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("lat", "lon", "match", "cabina_code", "cabina_name", "official", "configuration"):
        assert key in out
    assert (out["municipio"], out["nil"], out["official"]) == (3, "Città Studi", False)
    assert out["match"]["kind"] == "street"
    assert out["configuration"] == "citta-studi"


def test_cli_configuration_is_null_outside_the_pilots(capsys):
    assert main(["locate", "Via Rezzonico Francesco 6", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["configuration"] is None


@pytest.mark.parametrize("query", ["asdf", "Via del Corso 1, Roma", ""])
def test_cli_exit_status_2_with_a_message(capsys, query):
    assert main(["locate", query]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Not found:")
    assert "Traceback" not in err


def test_cli_as_a_subprocess():
    ok = subprocess.run(
        [sys.executable, "-m", "cer_core.geo", "locate", "Bovisa", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0
    assert json.loads(ok.stdout)["configuration"] == "bovisa"
    bad = subprocess.run(
        [sys.executable, "-m", "cer_core.geo", "locate", "qwertyuiop"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert "Not found" in bad.stderr
    assert not bad.stdout
