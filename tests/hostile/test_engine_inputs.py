"""Property tests over every public input of ``cer_core``: a valid result or an InputError naming
the field, never another exception (see ``strategies.valid_or_input_error``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math

import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st

from cer_core import prices as prices_module
from cer_core import profiles as profiles_module
from cer_core import pv, resident
from cer_core import scenario as scenario_module
from cer_core import weather as weather_module
from cer_core.geo import Location, locate, locate_point
from tests.hostile.strategies import (
    HOSTILE_SETTINGS,
    NASTY_STRINGS,
    hostile_values,
    valid_or_input_error,
)

PV_FIELDS = [f.name for f in dataclasses.fields(pv.PVSystemSpec)]
PLANT_FIELDS = [f.name for f in dataclasses.fields(scenario_module.Plant)]
MEMBER_FIELDS = [f.name for f in dataclasses.fields(scenario_module.MemberGroup)]
SCENARIO_FIELDS = [
    f.name
    for f in dataclasses.fields(scenario_module.Scenario)
    if f.name not in ("plants", "members")
]
RESIDENT_FIELDS = [f.name for f in dataclasses.fields(resident.ResidentInputs)]
#: Fields whose errors are reported under another name (cross-field checks, sub-fields).
ALIASES = {
    "f_bands_kwh": ("f_bands_kwh", "f1_kwh", "f2_kwh", "f3_kwh", "csv"),
    "price_year": ("price_year", "year"),
    "year": ("year", "price_year"),
    "annual_kwh": ("annual_kwh", "power_class"),
    "power_class": ("power_class", "annual_kwh"),
    "profile": ("profile", "csv", "consumption_kwh"),
    "prices_eur_per_mwh": ("prices_eur_per_mwh", "prices"),
    "parameter_overrides": ("parameter_overrides", "parameters"),
    "region": ("region", "macro_area"),
}


def fields_for(name: str) -> tuple[str, ...]:
    return ALIASES.get(name, (name,))


# --- pv ---------------------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(field=st.sampled_from(PV_FIELDS), value=hostile_values)
@example(field="kwp", value=10**400)
@example(field="albedo", value=float("nan"))
def test_pv_system_spec(field, value):
    spec = valid_or_input_error(lambda: pv.PVSystemSpec(**{"kwp": 3.0, field: value}), field)
    if spec is not None:
        assert math.isfinite(getattr(spec, field))


@HOSTILE_SETTINGS
@given(area=hostile_values, density=hostile_values)
def test_kwp_from_roof_area(area, density):
    kwp = valid_or_input_error(
        lambda: pv.kwp_from_roof_area(area, density), "area_m2", "kwp_per_m2"
    )
    if kwp is not None:
        assert math.isfinite(kwp)
        assert kwp > 0


# --- profiles ---------------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(annual=hostile_values, power_class=hostile_values, year=hostile_values)
@example(annual=2700, power_class="1.5-3", year=10**400)
def test_household_profile(annual, power_class, year):
    result = valid_or_input_error(
        lambda: profiles_module.household_profile_kwh(annual, power_class, year),
        "annual_kwh",
        "power_class",
        "year",
    )
    if result is not None:
        assert np.isfinite(result).all()
        assert (result >= 0).all()


@HOSTILE_SETTINGS
@given(
    kind=st.one_of(st.sampled_from(profiles_module.NONRESIDENTIAL_KINDS), hostile_values),
    annual=hostile_values,
    year=st.one_of(st.just(2025), hostile_values),
)
def test_nonresidential_and_generic_profile(kind, annual, year):
    valid_or_input_error(
        lambda: profiles_module.nonresidential_profile_kwh(kind, annual, year),
        "kind",
        "annual_kwh",
        "year",
    )
    valid_or_input_error(
        lambda: profiles_module.profile_kwh(kind, annual, year),
        "profile",
        "annual_kwh",
        "year",
        "power_class",
        "kind",
    )


@HOSTILE_SETTINGS
@given(bands=hostile_values)
def test_reshape_to_bands(bands):
    shape = profiles_module.household_profile_kwh(2700, "1.5-3", 2025)
    result = valid_or_input_error(
        lambda: profiles_module.reshape_to_bands(shape, 2025, bands), "f_bands_kwh"
    )
    if result is not None:
        assert np.isfinite(result).all()


HOURLY_CSV_TEXTS = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200),
    st.sampled_from(NASTY_STRINGS),
    # a year of good values with one hostile token somewhere, and a wrong length nearby
    st.tuples(
        st.integers(8758, 8785),
        st.integers(0, 8757),
        st.sampled_from(["nan", "inf", "-1", "1e400", "", "abc", "0,5", "=1+1", "<b>"]),
    ).map(lambda t: "\n".join(["0.5"] * t[1] + [t[2]] + ["0.5"] * (t[0] - t[1] - 1))),
    st.integers(0, 3).map(
        lambda k: (
            ["value\n", "\ufeffkwh\n", "time;kwh\n", ""][k]
            + "\n".join(["0.5"] * (8760 - k) + ["=cmd|' /C calc'!A0"] * k)
        )
    ),
)


@HOSTILE_SETTINGS
@given(content=HOURLY_CSV_TEXTS)
@example(content="\n".join(["0,5"] * 8760).encode("utf-16"))
@example(content="\n".join(["1e400"] * 8760))
def test_hourly_and_price_csv(content):
    data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
    valid_or_input_error(
        lambda: profiles_module.hourly_from_csv(io.BytesIO(data), "hourly_csv", 2025),
        "hourly_csv",
    )
    valid_or_input_error(
        lambda: prices_module.prices_from_csv(io.BytesIO(data), "prices_csv", 2025),
        "prices_csv",
    )


# --- prices, weather --------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(year=hostile_values, zone=st.one_of(st.just("NORD"), hostile_values))
def test_load_zonal_prices(year, zone):
    result = valid_or_input_error(
        lambda: prices_module.load_zonal_prices(year, zone), "price_year", "zone"
    )
    if result is not None:
        assert np.isfinite(result).all()


@HOSTILE_SETTINGS
@given(
    series=st.one_of(
        hostile_values, st.lists(st.floats(allow_nan=True, allow_infinity=True), max_size=30)
    ),
    mean=hostile_values,
)
def test_scale_to_mean(series, mean):
    valid_or_input_error(
        lambda: prices_module.scale_to_mean(series, mean), "prices", "mean_eur_per_mwh"
    )


@HOSTILE_SETTINGS
@given(lat=hostile_values, lon=hostile_values)
def test_load_weather(lat, lon):
    year = valid_or_input_error(
        lambda: weather_module.load_weather(lat, lon), "latitude", "longitude"
    )
    if year is not None:
        assert len(year.data) == 8760


# --- scenario ---------------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(field=st.sampled_from(PLANT_FIELDS), value=hostile_values)
@example(field="commissioning_date", value="2025-02-30")
@example(field="production_kwh", value=[float("nan")] * 8760)
def test_plant(field, value):
    valid_or_input_error(
        lambda: scenario_module.Plant(**{"name": "p", "kwp": 20, field: value}), *fields_for(field)
    )


@HOSTILE_SETTINGS
@given(field=st.sampled_from(MEMBER_FIELDS), value=hostile_values)
@example(field="count", value=1.5)
def test_member_group(field, value):
    valid_or_input_error(
        lambda: scenario_module.MemberGroup(**{"name": "m", field: value}), *fields_for(field)
    )


@HOSTILE_SETTINGS
@given(field=st.sampled_from(SCENARIO_FIELDS), value=hostile_values)
@example(field="cer_constitution_date", value=dt.date.max)
def test_scenario(field, value):
    plant = scenario_module.Plant("p", 20)
    member = scenario_module.MemberGroup("m", count=10)
    valid_or_input_error(
        lambda: scenario_module.Scenario(plants=(plant,), members=(member,), **{field: value}),
        *fields_for(field),
    )


BASE_DICT = {
    "scenario": {"name": "x", "year": 2025, "latitude": 45.5, "longitude": 9.2},
    "prices": {"year": 2024},
    "plants": [{"name": "roof", "kwp": 20, "commissioning_date": "2025-03-01"}],
    "members": [{"name": "homes", "count": 10, "profile": "household", "annual_kwh": 2700}],
}
DICT_PATHS = [
    (section, key)
    for section, table in BASE_DICT.items()
    for key in (table[0] if isinstance(table, list) else table)
] + [("scenario", "horizon_years"), ("plants", "surface_tilt"), ("members", "f_bands_kwh")]


@HOSTILE_SETTINGS
@given(where=st.sampled_from(DICT_PATHS), value=hostile_values)
def test_scenario_from_dict(where, value, tmp_path_factory):
    section, key = where
    raw = {k: ([dict(v[0])] if isinstance(v, list) else dict(v)) for k, v in BASE_DICT.items()}
    table = raw[section][0] if section in ("plants", "members") else raw[section]
    table[key] = value
    allowed = {key, section, f"{section}.{key}", "scenario", "csv", "year", "price_year"}
    allowed |= {f"{section}[0].{key}", f"plants[0].{key}", f"members[0].{key}"}
    allowed |= set(fields_for(key))
    base = tmp_path_factory.getbasetemp()
    valid_or_input_error(lambda: scenario_module.scenario_from_dict(raw, base), *allowed)


@HOSTILE_SETTINGS
@given(content=st.one_of(st.binary(max_size=300), st.text(max_size=300)))
@example(content=b"\xff\xfe[scenario]\n")
@example(content="[scenario]\nyear = 2025\n[[plants]]\nname='a'\nkwp=1e400\n")
def test_load_scenario_file(content, tmp_path_factory):
    path = tmp_path_factory.mktemp("scenario") / "hostile.toml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "replace"))
    fields = {"scenario", "plants", "members", "prices", "parameters", "year", "price_year"}
    try:
        scenario_module.load_scenario(path)
    except scenario_module.InputError as exc:
        err = exc
    else:
        return
    assert err.field.split(".")[0].split("[")[0] in fields, err


@HOSTILE_SETTINGS
@given(
    kwp=st.floats(0.001, 1000),
    count=st.integers(1, 1_000_000),
    annual=st.floats(0, 1e5, exclude_min=True),  # 0 kWh is refused (cer_core.bounds)
)
def test_simulate_extreme_but_valid_inputs(kwp, count, annual):
    scenario = scenario_module.Scenario(
        plants=(scenario_module.Plant("p", kwp),),
        members=(scenario_module.MemberGroup("m", count=count, annual_kwh=annual),),
        horizon_years=5,
    )
    result = scenario_module.simulate(scenario)
    summary = result.summary()
    assert all(math.isfinite(v) for v in summary.values() if isinstance(v, float)), summary


# --- resident calculator ------------------------------------------------------------------------


@HOSTILE_SETTINGS
@given(field=st.sampled_from(RESIDENT_FIELDS), value=hostile_values)
@example(field="pv_kwp", value=10**400)
@example(field="configuration_id", value=["not", "hashable"])
def test_resident_inputs(field, value):
    valid_or_input_error(
        lambda: resident.ResidentInputs(**{"option": "pv", field: value}),
        *fields_for(field),
        "pv_kwp",
        "roof_area_m2",
    )


# --- geo --------------------------------------------------------------------------------------

QUERIES = st.one_of(
    st.text(max_size=120),
    st.sampled_from(NASTY_STRINGS),
    st.sampled_from(
        ["45.46, 9.19", "nan, nan", "1e400, 9", "-91, 200", "45.4642,9.19", "Via " + "a" * 300]
    ),
    st.builds(lambda a, b: f"{a}, {b}", st.floats(), st.floats()),
)


@HOSTILE_SETTINGS
@given(query=st.one_of(QUERIES, hostile_values))
def test_locate(query):
    found = valid_or_input_error(lambda: locate(query), "query", "indirizzo", "address")
    if found is not None:
        assert isinstance(found, Location)
        assert found.municipio in range(1, 10)


@HOSTILE_SETTINGS
@given(lat=hostile_values, lon=hostile_values)
@example(lat="abc", lon=9.19)
def test_locate_point(lat, lon):
    valid_or_input_error(lambda: locate_point(lat, lon), "query", "point", "lat", "lon")
