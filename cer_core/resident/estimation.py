"""The estimate: the reference configuration with and without the user, and the difference.

The difference is "the energy shared in the configuration thanks to me" (marginal effect) and
the incentives it generates, split under the configuration's allocation rule (docs/rules.md §9).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cer_core.errors import InputError
from cer_core.resident.inputs import ME, MY_PLANT, ResidentInputs
from cer_core.resident.notes import _money_notes, _notes, _size_notes
from cer_core.resident.price_scenarios import PRICE_SCENARIO_NAMES
from cer_core.resident.references import (
    ReferenceConfiguration,
    load_reference_configurations,
    reference_for,
)
from cer_core.resident.scenarios import reference_scenario, user_scenario
from cer_core.scenario import Result, simulate

PRODUCTION_BAND = 0.07
"""Stated ± band on yearly PV production [1] [A]: year-to-year weather variation in northern
Italy is about ±5 % (PVGIS TMY vs single years) plus modelling error; one weather year is
embedded, so a band is stated instead of several years."""


SEASONS = {"winter": (12, 1, 2), "spring": (3, 4, 5), "summer": (6, 7, 8), "autumn": (9, 10, 11)}


@dataclass(frozen=True)
class ResidentEstimate:
    """What the calculator shows (year-1 energies [kWh], money [€/yr] unless stated).

    Attributes
    ----------
    inputs : ResidentInputs
    reference : ReferenceConfiguration
    base, with_me : Result
        Engine results without and with the user (``base`` is the reference configuration;
        for ``option="pv"`` ``with_me`` is the user alone).
    production_kwh : float
        Yearly production of my plant [kWh] (0 for a consumer).
    production_range_kwh : tuple of float
        (low, high) with the stated band :data:`PRODUCTION_BAND`.
    consumption_kwh, self_consumption_kwh, injection_kwh, withdrawal_kwh : float
        My consumption, physical self-consumption, injection and grid withdrawal [kWh].
    shared_thanks_to_me_kwh : float
        Configuration shared energy with me − without me [kWh] (marginal effect).
    delta_tip_eur, delta_valorisation_eur, delta_gse_fee_eur, delta_net_incentives_eur : float
        Change of the configuration's incentives [€/yr].
    bill_savings_eur, rid_eur, producer_share_eur : float
        Money to me: avoided bill, energy sale (RID), my plant's producers' share [€/yr].
    tax_deduction_eur_per_year : float
        Deduction instalment [€/yr] (for ``deduction_years`` years).
    my_total_eur : float
        Year-1 money to me (bill + RID + producers' share + deduction instalment) [€/yr].
    solidarity_eur : float
        Part of the extra incentives going to the solidarity fund [€/yr].
    other_producers_eur : float
        Part of the extra incentives going to the other plants' owners [€/yr].
    capex_eur, npv_eur, irr, payback_years : float or None
        PV investment and economics over the horizon (``None`` without PV).
    cash_flows : pandas.DataFrame
        Yearly cash flows of my plant (year 0 investment) [€], with ``cumulative_eur``.
    hourly : pandas.DataFrame
        My hourly energies [kWh] and the zonal price [€/MWh], indexed by local hour.
    monthly : pandas.DataFrame
        Monthly sums of ``hourly`` energies [kWh].
    typical_days : pandas.DataFrame
        Mean kWh per hour of day (0-23) per season (``season`` column).
    ranges : dict
        name -> (low, central, high) over the price scenarios (``my_total_eur``, ``npv_eur``,
        ``solidarity_eur``, ``delta_net_incentives_eur``), and production.
    explain : dict
        Numbers used by the explanation texts (unit TIP, CU_Af, producers' share …).
    notes : tuple of (code, dict)
        Messages for the user, translated by the page (e.g. ``("below_community_min", {...})``).
    warnings : tuple of str
        Engine warnings (modelling choices) of the run with the user.
    """

    inputs: ResidentInputs
    reference: ReferenceConfiguration
    base: Result
    with_me: Result
    production_kwh: float
    production_range_kwh: tuple
    consumption_kwh: float
    self_consumption_kwh: float
    injection_kwh: float
    withdrawal_kwh: float
    shared_thanks_to_me_kwh: float
    delta_tip_eur: float
    delta_valorisation_eur: float
    delta_gse_fee_eur: float
    delta_net_incentives_eur: float
    bill_savings_eur: float
    rid_eur: float
    producer_share_eur: float
    tax_deduction_eur_per_year: float
    my_total_eur: float
    solidarity_eur: float
    other_producers_eur: float
    producer_share: float
    capex_eur: float | None
    npv_eur: float | None
    irr: float | None
    payback_years: float | None
    cash_flows: pd.DataFrame
    hourly: pd.DataFrame
    monthly: pd.DataFrame
    typical_days: pd.DataFrame
    ranges: dict = field(default_factory=dict)
    explain: dict = field(default_factory=dict)
    notes: tuple = ()
    warnings: tuple = ()

    def headline(self) -> dict:
        """The headline numbers (the page's metric cards)."""
        return {
            "production_kwh": self.production_kwh,
            "self_consumption_kwh": self.self_consumption_kwh,
            "shared_thanks_to_me_kwh": self.shared_thanks_to_me_kwh,
            "my_total_eur": self.my_total_eur,
            "solidarity_eur": self.solidarity_eur,
            "payback_years": self.payback_years,
            "npv_eur": self.npv_eur,
        }


def _clean(x):
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _core(inputs: ResidentInputs, price_scenario: str, base: Result | None = None):
    """Engine runs without and with the user for one price scenario."""
    if base is None:
        base = simulate(reference_scenario(inputs.configuration_id, inputs.year, price_scenario))
    with_me = simulate(user_scenario(inputs, price_scenario))
    return base, with_me


def _money(inputs: ResidentInputs, base: Result, with_me: Result) -> dict:
    share = with_me.producer_share
    mine = next((p for p in with_me.plants if p.name == MY_PLANT), None)
    if inputs.joins:
        delta_net = with_me.money.net_incentives_eur - base.money.net_incentives_eur
        delta_shared = with_me.money.shared_kwh - base.money.shared_kwh
        d_tip = with_me.money.tip_eur - base.money.tip_eur
        d_val = with_me.money.valorisation_eur - base.money.valorisation_eur
        d_fee = with_me.money.gse_fee_eur - base.money.gse_fee_eur
    else:
        delta_net = delta_shared = d_tip = d_val = d_fee = 0.0
    my_incentive = 0.0
    if mine is not None and inputs.joins:
        my_incentive = mine.tip_eur + mine.valorisation_eur - mine.gse_fee_eur
    producer_share_eur = share * my_incentive
    solidarity = (1.0 - share) * delta_net
    other = share * delta_net - producer_share_eur
    deduction = 0.0
    if mine is not None:
        deduction = float(mine.cash_flows.tax_deduction_eur[1])
    bill = mine.bill_savings_eur if mine else 0.0
    rid = mine.rid_eur if mine else 0.0
    return {
        "shared_thanks_to_me_kwh": delta_shared,
        "delta_tip_eur": d_tip,
        "delta_valorisation_eur": d_val,
        "delta_gse_fee_eur": d_fee,
        "delta_net_incentives_eur": delta_net,
        "bill_savings_eur": bill,
        "rid_eur": rid,
        "producer_share_eur": producer_share_eur,
        "tax_deduction_eur_per_year": deduction,
        "my_total_eur": bill + rid + producer_share_eur + deduction,
        "solidarity_eur": solidarity,
        "other_producers_eur": other,
        "producer_share": share,
        "npv_eur": _clean(mine.cash_flows.npv_eur) if mine else None,
        "irr": _clean(mine.cash_flows.irr) if mine else None,
        "payback_years": _clean(mine.cash_flows.payback_years) if mine else None,
        "capex_eur": float(mine.capex_eur) if mine else None,
        "mine": mine,
    }


def _hourly(inputs: ResidentInputs, base: Result, with_me: Result) -> pd.DataFrame:
    names = [p.name for p in with_me.scenario.plants]
    n_h = len(with_me.hours)
    zeros = np.zeros(n_h)
    me_cons = with_me._settlement.group_consumption.get(ME, zeros)
    if inputs.option == "producer":
        me_cons = zeros
    if MY_PLANT in names:
        i = names.index(MY_PLANT)
        prod = with_me.production_kwh[i]
        selfc = with_me.self_consumption_kwh[i]
        inj = with_me.injection_kwh[i]
        plant_shared = with_me.shared_per_plant_kwh[i]
    else:
        prod = selfc = inj = plant_shared = zeros
    if inputs.joins:
        shared_delta = with_me.shared_kwh - base.shared_kwh
    else:
        shared_delta = zeros
    frame = pd.DataFrame(
        {
            "consumption_kwh": me_cons,
            "production_kwh": prod,
            "self_consumption_kwh": selfc,
            "injection_kwh": inj,
            "withdrawal_kwh": me_cons - selfc,
            "my_plant_shared_kwh": plant_shared,
            "sold_not_shared_kwh": inj - plant_shared,
            "shared_thanks_to_me_kwh": shared_delta,
            "price_eur_per_mwh": with_me.price_eur_per_mwh,
        },
        index=with_me.hours,
    )
    frame.index.name = "hour"
    return frame


def _typical_days(hourly: pd.DataFrame) -> pd.DataFrame:
    idx = hourly.index
    month = np.asarray(idx.month)
    hour = np.asarray(idx.hour)
    cols = [c for c in hourly.columns if c.endswith("_kwh")]
    parts = []
    for season, months in SEASONS.items():
        sel = np.isin(month, months)
        g = hourly.loc[sel, cols].groupby(hour[sel]).mean()
        g.index.name = "hour_of_day"
        g = g.reset_index()
        g.insert(0, "season", season)
        parts.append(g)
    return pd.concat(parts, ignore_index=True)


def _cash_flow_frame(mine) -> pd.DataFrame:
    if mine is None:
        return pd.DataFrame(
            columns=[
                "year",
                "capex_eur",
                "revenue_eur",
                "opex_eur",
                "tax_deduction_eur",
                "net_eur",
                "cumulative_eur",
                "production_kwh",
            ]
        )
    cf = mine.cash_flows
    frame = pd.DataFrame(
        {
            "year": cf.year.astype(int),
            "capex_eur": cf.capex_eur,
            "revenue_eur": cf.revenue_eur,
            "opex_eur": cf.opex_eur,
            "tax_deduction_eur": cf.tax_deduction_eur,
            "net_eur": cf.net_eur,
            "cumulative_eur": np.cumsum(cf.net_eur),
            "production_kwh": cf.production_kwh,
        }
    )
    return frame


def estimate(inputs: ResidentInputs, base: Result | None = None) -> ResidentEstimate:
    """The resident's estimate, hour by hour through the engine.

    Parameters
    ----------
    inputs : ResidentInputs
    base : Result, optional
        ``simulate(reference_scenario(inputs.configuration_id, inputs.year,
        inputs.price_scenario))`` if already computed (the page caches it).

    Returns
    -------
    ResidentEstimate

    Raises
    ------
    InputError
        Bad input, naming the field.
    """
    if not isinstance(inputs, ResidentInputs):
        raise InputError("inputs", "must be a ResidentInputs")
    ref_id = reference_for(inputs.configuration_id)
    ref = load_reference_configurations()[ref_id]
    base, with_me = _core(inputs, inputs.price_scenario, base)
    m = _money(inputs, base, with_me)
    mine = m.pop("mine")
    hourly = _hourly(inputs, base, with_me)
    monthly = hourly.drop(columns="price_eur_per_mwh").groupby(hourly.index.month).sum()
    monthly.index.name = "month"

    ranges = {}
    per_scenario = {}
    for ps in PRICE_SCENARIO_NAMES:
        if ps == inputs.price_scenario:
            per_scenario[ps] = m
        else:
            b, w = _core(inputs, ps)
            per_scenario[ps] = _money(inputs, b, w)
    for key in ("my_total_eur", "npv_eur", "solidarity_eur", "delta_net_incentives_eur"):
        values = [per_scenario[ps][key] for ps in PRICE_SCENARIO_NAMES]
        if all(v is not None for v in values):
            ranges[key] = tuple(float(v) for v in values)
    prod = float(hourly["production_kwh"].sum())
    prod_range = (prod * (1 - PRODUCTION_BAND), prod * (1 + PRODUCTION_BAND))
    ranges["production_kwh"] = (prod_range[0], prod, prod_range[1])

    p = with_me.parameters
    delta_shared = m["shared_thanks_to_me_kwh"]
    explain = {
        "reference_label_it": ref.label_it,
        "reference_label_en": ref.label_en,
        "reference_kwp": ref.kwp,
        "reference_members": ref.member_count,
        "base_shared_kwh": base.money.shared_kwh,
        "unit_tip_eur_per_mwh": (1000 * m["delta_tip_eur"] / delta_shared)
        if delta_shared > 1e-6
        else None,
        "cu_af_eur_per_mwh": 1000 * m["delta_valorisation_eur"] / delta_shared
        if delta_shared > 1e-6
        else None,
        "producer_share": m["producer_share"],
        "min_plant_kw": float(p["community.min_plant_kw"]),
        "specific_yield_kwh_per_kwp": prod / inputs.kwp if inputs.kwp else None,
        "self_consumption_share": float(hourly["self_consumption_kwh"].sum()) / prod
        if prod > 0
        else None,
        "mean_price_eur_per_mwh": float(with_me.price_eur_per_mwh.mean()),
        "price_source": with_me.price_source,
        "weather_source": with_me.weather_source,
        "deduction_years": int(p["finance.tax_deduction_years"]),
        "horizon_years": with_me.scenario.horizon_years,
        "discount_rate": float(p["finance.discount_rate"]),
        "kwp": inputs.kwp,
        "production_band": PRODUCTION_BAND,
    }
    return ResidentEstimate(
        inputs=inputs,
        reference=ref,
        base=base,
        with_me=with_me,
        production_kwh=prod,
        production_range_kwh=prod_range,
        consumption_kwh=float(hourly["consumption_kwh"].sum()),
        self_consumption_kwh=float(hourly["self_consumption_kwh"].sum()),
        injection_kwh=float(hourly["injection_kwh"].sum()),
        withdrawal_kwh=float(hourly["withdrawal_kwh"].sum()),
        cash_flows=_cash_flow_frame(mine),
        hourly=hourly,
        monthly=monthly,
        typical_days=_typical_days(hourly),
        ranges=ranges,
        explain=explain,
        notes=tuple(
            _notes(inputs, with_me, mine, ref_id)
            + _size_notes(inputs, mine)
            + _money_notes(inputs, m)
        ),
        warnings=with_me.warnings,
        **m,
    )
