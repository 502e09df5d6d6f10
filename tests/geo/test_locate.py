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


def test_locate_outside_the_pilots_gives_an_estimated_area():
    found = locate("Via Rezzonico Francesco 6")
    assert found.cabina_code is None  # no polygon here...
    assert found.configuration is None
    assert "area_estimated" in found.warnings
    assert (found.municipio, found.id_nil) == (4, 26)
    estimate = found.area_estimate  # ...but an estimated GSE area, never official
    assert estimate is not None
    assert estimate.official is False
    assert estimate.code.startswith("AC012E")
    assert estimate.method == "nearest_area_centre"
    assert estimate.confidence in {"clear", "between"}
    assert found.civic == "6"


def test_a_register_hit_uses_the_register_municipio_and_the_nil_polygon():
    found = locate("Via Padova 10")
    assert (found.match.kind, found.match.label, found.civic) == ("exact", "Via Padova 10", "10")
    assert (found.municipio, found.id_nil) == (2, 20)


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
    found = locate("Via Giuseppe La Masa 9999", online=True, online_geocoder=online)
    assert found.match.kind == "nominatim"
    assert found.configuration == "bovisa"
    assert "online_geocoder" in found.warnings
    locate("Via Giuseppe La Masa 9999", online=True, online_geocoder=online)
    assert len(fetch.calls) == 1  # cached
    assert "via giuseppe la masa 9999" in json.loads((tmp_path / "cache.json").read_text())
    locate("Via Rezzonico Francesco 6", online=True, online_geocoder=online)
    assert len(fetch.calls) == 1  # exact offline match: no online request


def test_online_answer_outside_milan_is_ignored(tmp_path):
    online = OnlineGeocoder(fetch=FakeFetch((41.9, 12.48, "Roma")), cache_path=tmp_path / "c.json")
    with pytest.raises(LocationNotFound):
        locate("Via Qwertyuiop Asdfgh 3", online=True, online_geocoder=online)
    found = locate("Via Giuseppe La Masa 9999", online=True, online_geocoder=online)
    assert found.match.kind == "nearest_number"  # the offline answer stands


def test_network_errors_fall_back_to_the_offline_answer(tmp_path):
    def broken(_query):
        raise OSError("no network")

    online = OnlineGeocoder(fetch=broken, cache_path=tmp_path / "c.json")
    assert online("Via Padova 3") is None
    found = locate("Via Padova 9999", online=True, online_geocoder=online)
    assert found.match.kind == "nearest_number"


def test_the_lock_is_not_held_during_the_network_call(tmp_path):
    """A slow Nominatim answer must not stop other sessions from reading the cache."""
    import threading

    online = OnlineGeocoder(fetch=FakeFetch((45.5, 9.2, "x")), cache_path=tmp_path / "c.json")
    online("Via Padova 3")  # cached now
    seen = {}

    def slow_fetch(_query):
        reader = threading.Thread(target=lambda: seen.setdefault("hit", online("Via Padova 3")))
        reader.start()
        reader.join(timeout=5)
        seen["blocked"] = reader.is_alive()
        return (45.4, 9.1, "y")

    online._fetch = slow_fetch
    assert online("Via Novara 9") == OnlineHit(45.4, 9.1, "y")
    assert seen == {"hit": OnlineHit(45.5, 9.2, "x"), "blocked": False}


def test_disk_cache_keeps_the_newest_answers_and_is_valid_json(tmp_path, monkeypatch):
    from cer_core.geo import geocode

    monkeypatch.setattr(geocode, "MAX_CACHE_ENTRIES", 3)
    online = OnlineGeocoder(fetch=FakeFetch((45.5, 9.2, "x")), cache_path=tmp_path / "c.json")
    for number in range(5):
        online(f"Via Padova {number}")
    assert list(json.loads((tmp_path / "c.json").read_text())) == [
        "via padova 2",
        "via padova 3",
        "via padova 4",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["c.json"]  # no temporary file left


def test_without_an_operator_contact_nominatim_is_never_asked(tmp_path, monkeypatch):
    from cer_core.shared_limits import CONTACT_ENV

    monkeypatch.delenv(CONTACT_ENV, raising=False)
    online = OnlineGeocoder(cache_path=tmp_path / "c.json")  # the real Nominatim client
    assert online("Via Padova 3") is None
    assert not (tmp_path / "c.json").exists()


def test_online_hit_type():
    assert OnlineHit(45.0, 9.0, "x").label == "x"


# -- command line --------------------------------------------------------------------------------


def test_cli_json(capsys):
    assert main(["locate", "Piazza Leonardo da Vinci 32", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("lat", "lon", "match", "cabina_code", "cabina_name", "official", "configuration"):
        assert key in out
    assert (out["municipio"], out["nil"], out["official"]) == (3, "Città Studi", False)
    assert out["match"]["kind"] == "exact"
    assert out["civic"] == "32"
    assert out["configuration"] == "citta-studi"
    estimate = out["area_estimate"]
    assert estimate["official"] is False
    assert estimate["method"] == "nearest_area_centre"
    # the pilot's inferred code and the nearest centre disagree here: the estimate says so
    assert estimate["confidence"] == "disputed"
    assert "AC012E00009" in [c["code"] for c in estimate["candidates"]]
    assert estimate["inferred_code"] == "AC012E00009"
    assert "CC BY-NC-SA" in estimate["licence"]


def test_cli_configuration_is_null_outside_the_pilots(capsys):
    assert main(["locate", "Via Rezzonico Francesco 6", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["configuration"] is None


def test_cli_nearest_number_is_said(capsys):
    assert main(["locate", "V.le Fulvio Testi 10", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["match"]["kind"] == "nearest_number"
    assert out["match"]["requested_civic"] == "10"
    assert out["civic"] != "10"


def test_cli_town_name_asks_which_was_meant(capsys):
    assert main(["locate", "Monza", "--json"]) == 2
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert out["error"] == "town_name"
    assert "Viale Monza" in out["suggestions"]
    assert "Viale Monza" in captured.err


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
