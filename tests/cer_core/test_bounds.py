"""One table of input bounds (cer_core.bounds): the calculator's engine, the scenario classes and
the scenario TOML reader refuse exactly the same values (the page's own refusals are checked in
tests/app/test_bounds_page.py)."""

from __future__ import annotations

import datetime as dt
import io
import math

import numpy as np
import pytest

from cer_core import bounds, pv
from cer_core.errors import InputError
from cer_core.parameters import load_parameters
from cer_core.prices import prices_from_csv
from cer_core.profiles import household_profile_kwh, nonresidential_profile_kwh
from cer_core.resident import ResidentInputs
from cer_core.scenario import MemberGroup, Plant, Scenario, scenario_from_dict


def refused(call) -> str | None:
    """The refused field, or None when the value is accepted."""
    try:
        call()
    except InputError as err:
        return err.field
    return None


def toml_member(**member) -> dict:
    return {
        "scenario": {"year": 2025},
        "plants": [{"name": "P", "kwp": 20, "commissioning_date": "2025-01-01"}],
        "members": [{"name": "m", **member}],
    }


def toml_plant(**plant) -> dict:
    return {
        "scenario": {"year": 2025},
        "plants": [{"name": "P", "commissioning_date": "2025-01-01", **plant}],
        "members": [{"name": "m"}],
    }


def just_outside(bound: bounds.Bound) -> list[float]:
    below = bound.low if bound.low_open else math.nextafter(bound.low, -math.inf)
    return [below, math.nextafter(bound.high, math.inf), bound.high * 2 + 1]


def just_inside(bound: bounds.Bound) -> list[float]:
    low = math.nextafter(bound.low, math.inf) if bound.low_open else bound.low
    return [low, bound.high]


def allowed(bound: bounds.Bound, value: float) -> bool:
    """The bound's rule written out independently of ``Bound.check`` (the oracle of the tests)."""
    above_low = value > bound.low if bound.low_open else value >= bound.low
    return above_low and value <= bound.high


HOUSEHOLD = bounds.ANNUAL_KWH["household"]
NONRESIDENTIAL = bounds.ANNUAL_KWH["nonresidential"]


@pytest.mark.parametrize("value", just_inside(HOUSEHOLD) + just_outside(HOUSEHOLD))
def test_household_annual_kwh_same_everywhere(value):
    expected = None if allowed(HOUSEHOLD, value) else "annual_kwh"
    # ">6": no contract-power bound, only the table's
    resident = refused(lambda: ResidentInputs(annual_kwh=value, power_class=">6"))
    group = refused(lambda: MemberGroup("m", 1, "household", annual_kwh=value))
    toml = refused(lambda: scenario_from_dict(toml_member(profile=">6", annual_kwh=value)))
    profile = refused(lambda: household_profile_kwh(value, ">6", 2025))
    assert resident == group == profile == expected
    assert (toml is None) == (expected is None)
    assert toml in (None, "members[0].annual_kwh")


@pytest.mark.parametrize("value", just_inside(NONRESIDENTIAL) + just_outside(NONRESIDENTIAL))
def test_nonresidential_annual_kwh_same_everywhere(value):
    expected = None if allowed(NONRESIDENTIAL, value) else "annual_kwh"
    resident = refused(lambda: ResidentInputs(who="shop", annual_kwh=value))
    group = refused(lambda: MemberGroup("m", 1, "shop", annual_kwh=value))
    toml = refused(lambda: scenario_from_dict(toml_member(profile="shop", annual_kwh=value)))
    profile = refused(lambda: nonresidential_profile_kwh("shop", value, 2025))
    assert resident == group == profile == expected
    assert toml == (None if expected is None else "members[0].annual_kwh")


def test_household_members_of_a_scenario_get_the_household_bound():
    # before the table a household group accepted up to 10 GWh and failed later in the profile
    assert refused(lambda: MemberGroup("m", 1, "household", annual_kwh=200_000)) == "annual_kwh"
    assert refused(lambda: MemberGroup("m", 1, "3-4.5", annual_kwh=200_000)) == "annual_kwh"
    assert refused(lambda: MemberGroup("m", 1, "office", annual_kwh=200_000)) is None


@pytest.mark.parametrize(
    ("bound", "resident_field", "scenario_field"),
    [
        (bounds.PLANT_KWP, "pv_kwp", "kwp"),
        (bounds.SURFACE_TILT_DEG, "surface_tilt", "surface_tilt"),
        (bounds.SURFACE_AZIMUTH_DEG, "surface_azimuth", "surface_azimuth"),
        (bounds.SHADING_PCT, "shading_pct", "shading_pct"),
    ],
)
def test_plant_bounds_same_everywhere(bound, resident_field, scenario_field):
    for value in just_inside(bound) + just_outside(bound):
        ok = allowed(bound, value)
        plant_kw = {"kwp": 20.0} if scenario_field != "kwp" else {}
        roof = {} if resident_field == "pv_kwp" else {"pv_kwp": 3.0}
        resident = refused(
            lambda v=value, r=roof: ResidentInputs(option="pv", **{resident_field: v}, **r)
        )
        plant = refused(lambda v=value, k=plant_kw: Plant("P", **{scenario_field: v}, **k))
        spec = refused(lambda v=value: pv.PVSystemSpec(**{"kwp": 5.0, scenario_field: v}))
        toml = refused(
            lambda v=value, k=plant_kw: scenario_from_dict(toml_plant(**{scenario_field: v}, **k))
        )
        assert resident == (None if ok else resident_field), value
        assert plant == spec == (None if ok else scenario_field), value
        assert toml == (None if ok else f"plants[0].{scenario_field}"), value


def test_the_plant_bound_is_the_dm414_rule():
    assert bounds.PLANT_KWP.high == load_parameters(2025)["tip.max_plant_kw"]
    assert pv.MAX_PLANT_KWP == bounds.PLANT_KWP.high


def test_every_bound_names_its_unit_and_reason():
    table = [v for v in vars(bounds).values() if isinstance(v, bounds.Bound)]
    table += list(bounds.ANNUAL_KWH.values())
    assert len(table) >= 12
    for bound in table:
        assert bound.low < bound.high
        assert bound.unit.strip()
        assert len(bound.reason) > 20
        assert bound.reason.split(":")[0] in {
            "rule",
            "plausibility [A]",
            "geometry",
            "model validity [A]",
        }


def test_milan_is_inside_its_box():
    west, south, east, north = bounds.MILAN_BBOX_DEG
    lat, lon = bounds.MILAN_CENTRE_DEG
    assert west < lon < east
    assert south < lat < north
    assert bounds.near_milan(lat, lon)
    assert not bounds.near_milan(41.9, 12.5)  # Rome


HOURS = 8760


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(0.0, True), (bounds.HOURLY_KWH.high, True), (-0.5, False), (2e6, False)],
)
def test_hourly_kwh_series_passed_in_code_obey_the_hourly_bound(value, accepted):
    """A series passed in code is checked like a CSV file: every hour within ``HOURLY_KWH``."""
    series = np.full(HOURS, 0.5)
    series[100] = value
    when = dt.date(2025, 1, 1)
    fields = {
        refused(lambda: Plant("P", 20, when, production_kwh=series)),
        refused(lambda: MemberGroup("m", 1, "csv", consumption_kwh=series)),
    }
    assert fields == ({None} if accepted else {"production_kwh", "consumption_kwh"})
    if not accepted:
        with pytest.raises(InputError) as caught:
            Plant("P", 20, when, production_kwh=series)
        assert caught.value.code == "range"
        assert "hour 100" in caught.value.message


def test_nan_hours_are_refused_in_code():
    series = np.full(HOURS, 0.5)
    series[7] = np.nan
    assert refused(lambda: MemberGroup("m", 1, "csv", consumption_kwh=series)) == (
        "consumption_kwh"
    )


@pytest.mark.parametrize(
    ("value", "accepted"),
    [(-500.0, True), (4000.0, True), (-500.01, False), (4000.5, False), (math.nan, False)],
)
def test_price_bound_same_in_code_and_csv(value, accepted):
    """Own hourly prices obey one bound (``HOURLY_PRICE_EUR_PER_MWH``), passed in code or read
    from a CSV file."""
    series = np.full(HOURS, 100.0)
    series[42] = value
    in_code = refused(lambda: Scenario(year=2025, prices_eur_per_mwh=series))
    text = "\n".join(repr(float(x)) for x in series)
    from_csv = refused(lambda: prices_from_csv(io.StringIO(text), "prices_csv", 2025))
    assert (in_code is None, from_csv is None) == (accepted, accepted)
    if not accepted:
        assert in_code == "prices_eur_per_mwh"


def test_a_price_series_passed_in_code_is_kept_read_only():
    s = Scenario(year=2025, prices_eur_per_mwh=np.full(HOURS, 90.0))
    assert not s.prices_eur_per_mwh.flags.writeable
