"""Sale of injected energy: Ritiro Dedicato at the hourly zonal price, PMG annual true-up.

docs/rules.md §6.1: the GSE pays the plant's hourly injection at the hourly zonal day-ahead price
Pz of its zone (Milan: NORD). For small plants the minimum guaranteed prices (PMG) apply as an
annual true-up on the first 1,500 MWh: ``RID = max(Σ_h Pz_h·E_h, PMG·Σ_h E_h)`` for that band.
The PMG can be switched off explicitly — parameter ``rid.apply_pmg`` (a scenario's
``[parameters]`` table) or ``apply_pmg=False`` — to value injection at zonal prices only.

Examples
--------
>>> import numpy as np
>>> from cer_core.parameters import load_parameters
>>> p = load_parameters(2025)
>>> rid_eur(np.full(10, 500.0), np.full(10, 40.0), plant_kw=4.5, params=p, pmg_eur_per_mwh=47.5)
237.5
"""

from __future__ import annotations

import numpy as np

from cer_core.parameters import Parameters


def zonal_value_eur(injection_kwh, price_eur_per_mwh) -> float:
    """Value of hourly injection at the hourly zonal price [€]: ``Σ_h E_h × Pz_h / 1000``.

    Parameters
    ----------
    injection_kwh : array_like, shape (H,)
        Hourly injection [kWh].
    price_eur_per_mwh : array_like, shape (H,)
        Hourly zonal price Pz [€/MWh].
    """
    return (
        float(np.dot(np.asarray(injection_kwh, float), np.asarray(price_eur_per_mwh, float))) / 1e3
    )


def pmg_applies(
    plant_kw: float,
    source: str = "pv",
    incentivised: bool = True,
    *,
    params: Parameters,
    apply_pmg: bool | None = None,
) -> bool:
    """Whether the minimum guaranteed prices apply (docs/rules.md §6.1).

    PMG apply to renewable plants ≤ 1 MW, but incentivised PV only up to 100 kW; whether the
    CACER TIP makes a plant "incentivised" is the ⚠ parameter ``rid.tip_counts_as_incentive``.
    Only the PV PMG value is in the parameters, so other sources get zonal prices here.

    Parameters
    ----------
    apply_pmg : bool, optional
        The explicit switch: ``False`` = never (zonal prices only); ``None`` = the parameter
        ``rid.apply_pmg`` (true unless a scenario overrides it).
    """
    p = params
    switched_on = bool(p["rid.apply_pmg"]) if apply_pmg is None else bool(apply_pmg)
    if not switched_on:
        return False
    if source != "pv" or plant_kw > float(p["tip.max_plant_kw"]):
        return False
    if incentivised and p["rid.tip_counts_as_incentive"]:
        return plant_kw <= float(p["rid.pmg_max_kw_incentivised"])
    return True


def pmg_true_up_eur(
    zonal_value: float, injected_kwh: float, pmg_eur_per_mwh: float, max_kwh: float = 1.5e6
) -> float:
    """Annual RID amount with the PMG true-up [€].

    On the first ``max_kwh`` of the year the GSE pays ``max(zonal value, PMG × energy)``; energy
    beyond it is paid at the zonal value (the band's zonal value is taken pro rata).

    Parameters
    ----------
    zonal_value : float
        ``Σ_h Pz_h·E_h`` of the year [€].
    injected_kwh : float
        Annual injection [kWh].
    pmg_eur_per_mwh : float
        Minimum guaranteed price [€/MWh].
    max_kwh : float
        Energy band covered by the PMG [kWh/yr].
    """
    if injected_kwh <= 0:
        return 0.0
    band = min(injected_kwh, max_kwh)
    share = band / injected_kwh
    band_zonal = zonal_value * share
    return max(band_zonal, pmg_eur_per_mwh * band / 1000.0) + zonal_value * (1.0 - share)


def rid_eur(
    injection_kwh,
    price_eur_per_mwh,
    plant_kw: float,
    source: str = "pv",
    incentivised: bool = True,
    *,
    params: Parameters,
    pmg_eur_per_mwh: float | None = None,
    apply_pmg: bool | None = None,
) -> float:
    """Annual Ritiro Dedicato revenue of one plant [€].

    Parameters
    ----------
    injection_kwh : array_like, shape (H,)
        Hourly injection [kWh].
    price_eur_per_mwh : array_like, shape (H,)
        Hourly zonal price [€/MWh].
    plant_kw : float
        Plant power [kW].
    source : str
        Renewable source.
    incentivised : bool
        Whether the plant gets the TIP.
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).
    pmg_eur_per_mwh : float, optional
        Override of the PMG (default ``rid.pmg_pv_eur_per_mwh``).
    apply_pmg : bool, optional
        Switch for the minimum guaranteed prices (``None`` = parameter ``rid.apply_pmg``).
    """
    p = params
    zonal = zonal_value_eur(injection_kwh, price_eur_per_mwh)
    if not pmg_applies(plant_kw, source, incentivised, params=p, apply_pmg=apply_pmg):
        return zonal
    pmg = float(p["rid.pmg_pv_eur_per_mwh"]) if pmg_eur_per_mwh is None else pmg_eur_per_mwh
    energy = float(np.sum(injection_kwh))
    return pmg_true_up_eur(zonal, energy, pmg, float(p["rid.pmg_max_kwh"]))
