"""A corrupt or missing embedded data file at start-up: a clear error naming the file.

``data/`` is copied to a temporary folder, one file is broken or deleted, and the app runs on it
(``CER_DATA_DIR``). Each case runs the real entrypoint through AppTest in its own Python process,
so no cache of an earlier test (``st.cache_resource``, ``functools.cache``) hides the broken file.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]

RUNNER = """
import json, sys
from tests.app.apptest import run_page
page, query = sys.argv[1], json.loads(sys.argv[2])
at = run_page(page, "en", query=query)
print("RESULT" + json.dumps({
    "exceptions": [e.message for e in at.exception],
    "errors": [e.value for e in at.error],
    "titles": [t.value for t in at.title],
}))
"""

#: (file under data/, what to do with it, page, query parameters)
CASES = [
    ("configurations.toml", "corrupt", "home", {}),
    ("configurations.toml", "missing", "calcolatore", {}),
    ("sportello.toml", "corrupt", "home", {}),
    ("geo/areas.parquet", "corrupt", "mappa", {}),
    ("geo/gazetteer_civici.parquet", "missing", "mappa", {"indirizzo": "Bovisa"}),
    ("geo/gazetteer_streets.parquet", "corrupt", "mappa", {"indirizzo": "Bovisa"}),
    ("transparency/projects.csv", "corrupt", "trasparenza", {}),
]


def run_isolated(page: str, query: dict, data_dir: Path, cache_dir: Path) -> dict:
    env = {**os.environ, "CER_DATA_DIR": str(data_dir), "CER_CACHE_DIR": str(cache_dir)}
    env.pop("CER_DATABASE_URL", None)  # the embedded SQLite store in the fresh cache folder
    done = subprocess.run(
        [sys.executable, "-c", RUNNER, page, json.dumps(query)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT")), None)
    assert line, f"AppTest run crashed:\n{done.stderr[-3000:]}"
    return json.loads(line.removeprefix("RESULT"))


@pytest.mark.parametrize(
    ("name", "how", "page", "query"), CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES]
)
def test_broken_data_file_is_named_not_a_traceback(tmp_path, name, how, page, query):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    target = data_dir / name
    if how == "missing":
        target.unlink()
    else:
        target.write_bytes(b"\x00\xffnot [valid = at all\n" + target.read_bytes()[:40][::-1])
    result = run_isolated(page, query, data_dir, tmp_path / "cache")
    assert result["exceptions"] == [], f"{name} {how}: an exception reached the page"
    assert any(Path(name).name in error for error in result["errors"]), (
        f"{name} {how}: no error names the file; errors shown: {result['errors']}"
    )


def test_intact_copy_of_the_data_renders_without_error(tmp_path):
    """Control case: the copy itself is fine (the failures above come from the broken file)."""
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    result = run_isolated("mappa", {"indirizzo": "Bovisa"}, data_dir, tmp_path / "cache")
    assert result["exceptions"] == []
    assert result["errors"] == []


def _clear_engine_caches() -> None:
    """Forget every ``functools`` cache of the engine (they key on arguments, not on files)."""
    import importlib
    import pkgutil

    import cer_core

    for info in pkgutil.walk_packages(cer_core.__path__, "cer_core."):
        if info.name.endswith("__main__") or ".migrations" in info.name:
            continue
        module = importlib.import_module(info.name)
        for value in list(vars(module).values()):
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()


def _loaders() -> dict[str, object]:
    from cer_core import configurations, parameters, prices, profiles, resident, sportello, weather
    from cer_core.geo import layers

    return {
        "configurations.toml": configurations.load_configurations,
        "reference_configurations.toml": resident.load_reference_configurations,
        "parameters.toml": lambda: parameters.load_parameters(2025),
        "sportello.toml": sportello.load_sportello,
        "prices/gme_mgp_hourly_2024_nord_pun.csv.gz": lambda: prices.load_zonal_prices(2024),
        "profiles/arera_domestic_lombardia.csv": lambda: profiles.household_profile_kwh(
            2700, "1.5-3", 2025
        ),
        "profiles/rse_nondomestic_hourly.csv": lambda: profiles.nonresidential_profile_kwh(
            "shop", 10_000, 2025
        ),
        "weather/pvgis_tmy_45.000_8.000.csv.gz": weather.load_weather,
        "geo/nil.parquet": layers.load_nil,
        "geo/areas.parquet": layers.load_areas,
        "geo/municipi.parquet": layers.load_municipi,
        "geo/boundary.parquet": layers.load_boundary,
        "geo/labelled_points.parquet": layers.load_labelled_points,
        "geo/gazetteer_streets.parquet": layers.load_gazetteer,
        "geo/gazetteer_civici.parquet": layers.load_gazetteer,
        "geo/area_centres.parquet": layers.load_area_centres,
    }


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data", data_dir)
    monkeypatch.setenv("CER_DATA_DIR", str(data_dir))
    _clear_engine_caches()
    yield data_dir
    _clear_engine_caches()


@pytest.mark.parametrize("how", ["missing", "corrupt"])
@pytest.mark.parametrize("name", list(_loaders()))
def test_engine_loader_raises_data_file_error_naming_the_file(broken_data, name, how):
    from cer_core.paths import DataFileError

    target = broken_data / name
    assert target.is_file(), f"{name} is not in data/ any more: update this list"
    if how == "missing":
        target.unlink()
    else:
        target.write_bytes(b"\x00\xffnot [valid = at all\n")
    with pytest.raises(DataFileError) as caught:
        _loaders()[name]()
    assert Path(name).name in str(caught.value)


def test_demo_transparency_file_corrupt_is_a_data_file_error(broken_data, tmp_path):
    from cer_core.paths import DataFileError
    from cer_core.transparency import store

    (broken_data / "transparency" / "projects.csv").write_bytes(b"\x00\xffgarbage\n")
    engine = store.open_store(f"sqlite:///{tmp_path / 'store.db'}", seed_demo=False)
    with pytest.raises(DataFileError, match="projects.csv"):
        store.seed_demo_data(engine)
    engine.dispose()
