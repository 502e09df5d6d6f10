"""When plants start operating: the CER's constitution date and a start during the settlement year.

Two rules gaps closed here (docs/rules.md §3.4, §9; issue 12 item 6), hooked into
:func:`cer_core.scenario.simulate` with a few lines:

* **DM 414 art. 3** — in a CER a plant must enter operation after the community was constituted.
  A scenario that gives no ``cer_constitution_date`` is checked against the parameter
  ``community.constitution_date`` (CER.ca.MI, 14/10/2024 ⚠) and says so; ``check_cer_constitution
  = false`` turns the check off explicitly (a configuration that is not a CER, or a CER whose
  plants fall under the ``tip.cer_timing_exception``), and says that too.
* **A plant commissioned during the settlement year** — the simulated year is by default a *full
  year of operation* (the engine's year 1 is the typical year the economics repeat over the
  horizon), and a warning gives the share of that year's modelled production that falls before
  the commissioning date. ``prorate_first_year = true`` counts only the hours from the
  commissioning date instead: the year's energies and money are then those of that calendar year
  (what the GSE would settle for it); the economics take that partial year as the first operating
  year and full years after it (:func:`with_full_later_years`, a second simulation). Pro-rating is
  not the default because the reference cases — the examples in ``examples/`` (the 20-household
  CER.ca.MI-like case: plant commissioned 1/3/2025, settlement year 2025) and the regression
  snapshot built on them — are typical full years of plants commissioned in 2025: pro-rating
  would turn their year-1 figures into a partial year's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from cer_core.notices import Notice, notice
from cer_core.parameters import Parameters
from cer_core.validation import date


def _spliced(first, later):
    """``later``'s cash flows with the first operating year (index 1) taken from ``first``."""
    revenue = later.revenue_eur.copy()
    production = later.production_kwh.copy()
    net = later.net_eur.copy()
    revenue[1] = first.revenue_eur[1]
    production[1] = first.production_kwh[1]
    net[1] = later.net_eur[1] - later.revenue_eur[1] + first.revenue_eur[1]
    return replace(later, revenue_eur=revenue, production_kwh=production, net_eur=net)


def with_full_later_years(partial, full):
    """A pro-rated result whose economics count full years after the first.

    Parameters
    ----------
    partial : cer_core.scenario.Result
        Simulation with ``prorate_first_year``: hourly figures and year-1 money of the calendar
        year (plants produce from their commissioning day).
    full : cer_core.scenario.Result
        The same scenario as full years of operation.

    Returns
    -------
    Result
        ``partial`` with cash flows (total and per plant) and the community's yearly cash taken
        from ``full`` for every year but the first operating one, which stays ``partial``'s.
        Opex, capex and tax deductions are those of full years.
    """
    plants = tuple(
        replace(mine, cash_flows=_spliced(mine.cash_flows, whole.cash_flows))
        for mine, whole in zip(partial.plants, full.plants, strict=True)
    )
    community = full.community_cash_eur.copy()
    if len(community):
        community[0] = partial.community_cash_eur[0]
    return replace(
        partial,
        plants=plants,
        cash_flows=_spliced(partial.cash_flows, full.cash_flows),
        community_cash_eur=community,
    )


CONSTITUTION_NOTICES = frozenset({"cer_constitution_from_parameter", "cer_constitution_check_off"})
"""Codes of the notices :func:`constitution_date` gives: how a configuration's plants are checked
against its constitution date (they concern a member of that configuration only)."""


def constitution_date(
    given: dt.date | None, check: bool, params: Parameters
) -> tuple[dt.date | None, list[Notice]]:
    """The CER constitution date to check plants against, and what to tell the user.

    Parameters
    ----------
    given : datetime.date or None
        The scenario's ``cer_constitution_date``.
    check : bool
        The scenario's ``check_cer_constitution`` (False: no DM 414 art. 3 check).
    params : Parameters
        Values of the settlement year (``community.constitution_date``).

    Returns
    -------
    (datetime.date or None, list of Notice)
        ``None`` when the check is off.
    """
    if not check:
        return None, [notice("cer_constitution_check_off")]
    if given is not None:
        return given, []
    default = date("community.constitution_date", params["community.constitution_date"])
    return default, [notice("cer_constitution_from_parameter", date=default.isoformat())]


def _first_hour(commissioning_date: dt.date, hours: pd.DatetimeIndex) -> int:
    """Position of the first local hour of the commissioning day in ``hours`` (``len`` if later)."""
    start = pd.Timestamp(commissioning_date).tz_localize(hours.tz)
    return int(hours.searchsorted(start))


def before_share(production_kwh: np.ndarray, commissioning_date: dt.date, hours) -> float:
    """Share of a year's hourly production that falls before the commissioning day [0-1]."""
    production = np.asarray(production_kwh, dtype=float)
    total = float(production.sum())
    if total <= 0:
        return 0.0
    return float(production[: _first_hour(commissioning_date, hours)].sum()) / total


START_CODES = frozenset(
    {"commissioned_after_year", "commissioned_during_year", "first_year_prorated"}
)
"""Codes of the notices :func:`first_year` emits."""


def starts_of(warnings) -> tuple[Notice, ...]:
    """The notices about plants' starts among a result's warnings (kept when a run is reused)."""
    return tuple(w for w in warnings if getattr(w, "code", None) in START_CODES)


def first_year(
    plants, production_kwh: np.ndarray, hours: pd.DatetimeIndex, year: int, prorate: bool
) -> tuple[np.ndarray, list[Notice]]:
    """Production to simulate and the warnings about plants that start in or after ``year``.

    Parameters
    ----------
    plants : sequence of Plant
        The scenario's plants (``name``, ``commissioning_date``).
    production_kwh : numpy.ndarray, shape (n_plants, H)
        Full-year hourly production per plant [kWh].
    hours : pandas.DatetimeIndex
        Local hours of the settlement year.
    year : int
        Settlement year.
    prorate : bool
        Count only the hours from each plant's commissioning day.

    Returns
    -------
    (numpy.ndarray, list of Notice)
        The production to simulate (``production_kwh`` itself when nothing changes) and one
        notice per plant commissioned during or after ``year``.
    """
    notices: list[Notice] = []
    out = production_kwh
    for i, plant in enumerate(plants):
        when = plant.commissioning_date
        if when.year < year or when == dt.date(year, 1, 1):
            continue
        if not prorate and when.year > year:
            notices.append(
                notice(
                    "commissioned_after_year",
                    plant=plant.name,
                    commissioning_year=when.year,
                    year=year,
                )
            )
            continue
        share = before_share(production_kwh[i], when, hours)
        values = {"plant": plant.name, "date": when.isoformat(), "year": year}
        if prorate:
            if out is production_kwh:
                out = production_kwh.copy()
            out[i, : _first_hour(when, hours)] = 0.0
            notices.append(notice("first_year_prorated", **values, before_share=share))
        else:
            notices.append(notice("commissioned_during_year", **values, before_share=share))
    return out, notices
