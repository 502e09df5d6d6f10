"""What a simulation tells its user besides the numbers: warnings and the weather source, as
notices (codes with values, :mod:`cer_core.notices`) the pages translate.

Order of the warnings: how the CER's constitution was checked, then the modelling choices
(F-factor split, tax deduction, excess TIP, extrapolated parameters, the year-1 economics, the
RID without minimum prices), then plants that start during or after the settlement year, each
plant's eligibility reasons, and a failed weather download last.
"""

from __future__ import annotations

import numpy as np

from cer_core.notices import Notice, notice
from cer_core.parameters import Parameters
from cer_core.scenario.inputs import Scenario
from cer_core.scenario.investment import _deduction_used


def weather_label(weather) -> Notice:
    """Where the production's weather comes from (``None``: every plant gave its series)."""
    if weather is None:
        return notice("weather_series_given")
    if weather.note:
        return notice("source_with_note", source=weather.source_label, note=weather.note)
    return weather.source_label


def simulation_warnings(
    s: Scenario,
    p: Parameters,
    *,
    grant_factors: np.ndarray,
    excess_eur: float,
    eligibility,
    weather,
    before=(),
    starts=(),
) -> list[Notice]:
    """The warnings of one simulation (see the module for their order).

    Parameters
    ----------
    s : Scenario
    p : Parameters
        Values used by the simulation.
    grant_factors : numpy.ndarray, shape (n_plants,)
        F factor per plant.
    excess_eur : float
        TIP above the 55 %/45 % threshold [€].
    eligibility : sequence of incentives.Eligibility
        Per plant, in the scenario's order (``reasons`` are notices).
    weather : WeatherYear or None
    before, starts : sequence of Notice
        The constitution-date notices and the commissioning-year notices
        (:mod:`cer_core.commissioning`).
    """
    out: list[Notice] = list(before)
    if (np.asarray(grant_factors) > 0).any():
        out.append(notice("f_exempt_split", mode=str(p["tip.f_exempt_split"])))
    if any(_deduction_used(pl) for pl in s.plants) and not p["finance.deduction_counts_as_grant"]:
        out.append(notice("deduction_with_tip_unconfirmed"))
    if excess_eur > 0:
        out.append(notice("excess_tip", excess_eur=float(excess_eur)))
    if p.extrapolated:
        out.append(notice("extrapolated_parameters", names=", ".join(sorted(p.extrapolated))))
    out.append(notice("economics_year1_scaled"))
    if not p["rid.apply_pmg"]:
        out.append(notice("pmg_off"))
    out.extend(starts)
    for plant, e in zip(s.plants, eligibility, strict=True):
        out.extend(notice("plant_reason", plant=plant.name, reason=r) for r in e.reasons)
    if weather is not None and weather.note:
        out.append(weather.note)
    return out
