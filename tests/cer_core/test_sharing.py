"""Hourly configuration balance: invariants (hypothesis), GSE order, no monthly netting."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.sharing import balance, behind_the_meter

HOURS = 48
energy = st.floats(min_value=0.0, max_value=500.0, allow_nan=False, allow_infinity=False)


@st.composite
def configurations(draw):
    n_plants = draw(st.integers(1, 5))
    n_members = draw(st.integers(1, 6))
    inj = draw(arrays(float, (n_plants, HOURS), elements=energy))
    wd = draw(arrays(float, (n_members, HOURS), elements=energy))
    dates = draw(st.lists(st.integers(0, 3), min_size=n_plants, max_size=n_plants))
    return inj, wd, dates


@settings(max_examples=150, deadline=None)
@given(configurations())
def test_shared_bounded_and_attribution_sums(cfg):
    inj, wd, dates = cfg
    b = balance(inj, wd, dates)
    tol = 1e-9
    assert (b.shared_kwh >= 0).all()
    assert (b.shared_kwh <= inj.sum(axis=0) + tol).all()
    assert (b.shared_kwh <= wd.sum(axis=0) + tol).all()
    np.testing.assert_allclose(b.per_plant_kwh.sum(axis=0), b.shared_kwh, atol=1e-7)
    assert (b.per_plant_kwh >= -tol).all()
    assert (b.per_plant_kwh <= inj + tol).all()


@settings(max_examples=100, deadline=None)
@given(configurations(), arrays(float, HOURS, elements=energy))
def test_adding_a_consumer_never_lowers_shared(cfg, extra):
    inj, wd, dates = cfg
    before = balance(inj, wd, dates).shared_kwh
    after = balance(inj, np.vstack([wd, extra]), dates).shared_kwh
    assert (after >= before - 1e-9).all()


@settings(max_examples=100, deadline=None)
@given(configurations())
def test_oldest_plant_served_first(cfg):
    inj, wd, dates = cfg
    b = balance(inj, wd, dates)
    order = b.order
    # a plant gets energy only when every older plant is fully used (hour by hour)
    for pos in range(1, len(order)):
        newer, older = order[pos], order[:pos]
        gets = b.per_plant_kwh[newer] > 1e-9
        full = np.all(np.isclose(b.per_plant_kwh[older], inj[older], atol=1e-7), axis=0)
        assert (~gets | full).all()


def test_ties_keep_input_order():
    b = balance(np.array([[10.0], [10.0]]), np.array([12.0]), ["2025-01-01", "2025-01-01"])
    assert b.per_plant_kwh[:, 0].tolist() == [10.0, 2.0]
    b = balance(np.array([[10.0], [10.0]]), np.array([12.0]), ["2025-02-01", "2025-01-01"])
    assert b.per_plant_kwh[:, 0].tolist() == [2.0, 10.0]


def test_hourly_not_monthly_netting():
    # a day with solar surplus at noon and consumption only at night, every day of January
    index = year_index(2025)
    hour = np.asarray(index.hour)
    inj = np.where((hour >= 11) & (hour < 14), 10.0, 0.0)
    wd = np.where(hour >= 20, 7.5, 0.0)
    b = balance(inj, wd)
    # the wrong rule, written here only to test against: min of the monthly totals
    month = np.asarray(index.month)
    monthly = sum(min(inj[month == m].sum(), wd[month == m].sum()) for m in range(1, 13))
    assert b.total_shared_kwh == 0.0  # never at the same hour
    assert monthly == pytest.approx(inj.sum())  # monthly totals would claim it all shared
    assert monthly > b.total_shared_kwh


def test_behind_the_meter_split():
    prod = np.array([0.0, 3.0, 5.0])
    cons = np.array([1.0, 1.0, 6.0])
    sc, inj, wd = behind_the_meter(prod, cons)
    assert sc.tolist() == [0, 1, 5]
    assert inj.tolist() == [0, 2, 0]
    assert wd.tolist() == [1, 0, 1]


@pytest.mark.parametrize(
    ("inj", "wd", "field"),
    [
        (np.array([[1.0, -1.0]]), np.array([1.0, 1.0]), "injection_kwh"),
        (np.array([[1.0, np.nan]]), np.array([1.0, 1.0]), "injection_kwh"),
        (np.array([[1.0, 1.0]]), np.array([1.0, 1.0, 1.0]), "withdrawal_kwh"),
        (np.array([[1.0, 1.0]]), np.array(["a", "b"]), "withdrawal_kwh"),
    ],
)
def test_bad_arrays_name_the_field(inj, wd, field):
    with pytest.raises(InputError) as err:
        balance(inj, wd)
    assert err.value.field == field


def test_wrong_number_of_dates():
    with pytest.raises(InputError) as err:
        balance(np.ones((2, 3)), np.ones(3), ["2025-01-01"])
    assert err.value.field == "commissioning_order"


def _gse_loop(inj, shared, dates):
    """docs/rules.md §2.2 literally: sort oldest first, serve each plant up to its injection."""
    order = sorted(range(len(dates)), key=lambda i: dates[i])
    out = np.zeros_like(inj)
    for h in range(inj.shape[1]):
        rem = shared[h]
        for i in order:
            out[i, h] = min(rem, inj[i, h])
            rem -= out[i, h]
    return out


@settings(max_examples=100, deadline=None)
@given(configurations())
def test_vectorised_attribution_equals_the_gse_loop(cfg):
    inj, wd, dates = cfg
    b = balance(inj, wd, dates)
    np.testing.assert_allclose(b.per_plant_kwh, _gse_loop(inj, b.shared_kwh, dates), atol=1e-7)
