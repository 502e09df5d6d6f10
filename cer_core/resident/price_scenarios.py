"""Price scenarios of the estimate: low, central, high hourly zonal prices."""

from __future__ import annotations

from cer_core.parameters import load_parameters
from cer_core.prices import load_zonal_prices

PRICE_SCENARIO_NAMES = ("low", "central", "high")


PRICE_SCENARIOS = {
    # hourly GME NORD shape (embedded years, docs/rules.md §6) and an optional annual mean
    "low": {"price_year": 2024, "mean_eur_per_mwh": 80.0},  # [A] 2024 shape scaled to 80 €/MWh
    "central": {"price_year": 2024, "mean_eur_per_mwh": None},  # GME NORD 2024 (≈107 €/MWh)
    "high": {"price_year": 2023, "mean_eur_per_mwh": None},  # GME NORD 2023 (≈128 €/MWh)
}
"""Price scenarios: hourly zonal prices used for RID, TIP and business bills; the domestic
energy component of the bill moves by the same change of the annual mean (wholesale pass-through
[A])."""


def price_terms(scenario_name: str, year: int) -> tuple[dict, dict]:
    """Scenario keyword arguments and parameter overrides of a price scenario.

    Parameters
    ----------
    scenario_name : str
        ``low`` / ``central`` / ``high``.
    year : int
        Settlement year (its domestic energy price is moved by the change of the mean).

    Returns
    -------
    kwargs : dict
        ``price_year`` and ``price_mean_eur_per_mwh`` of :class:`~cer_core.scenario.Scenario`.
    overrides : dict
        ``bills.domestic.energy_eur_per_kwh`` moved with the annual mean [€/kWh] (none for
        ``central``).
    """
    spec = PRICE_SCENARIOS[scenario_name]
    kwargs = {
        "price_year": spec["price_year"],
        "price_mean_eur_per_mwh": spec["mean_eur_per_mwh"],
    }
    central = PRICE_SCENARIOS["central"]
    central_mean = float(load_zonal_prices(central["price_year"]).mean())
    mean = spec["mean_eur_per_mwh"] or float(load_zonal_prices(spec["price_year"]).mean())
    overrides = {}
    if scenario_name != "central":
        p = load_parameters(year)
        key = "bills.domestic.energy_eur_per_kwh"
        overrides[key] = max(0.0, float(p[key]) + (mean - central_mean) / 1000.0)
    return kwargs, overrides
