"""What :func:`~cer_core.scenario.simulate` returns: the configuration's and each plant's figures."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from cer_core import finance
from cer_core.notices import codes_of
from cer_core.parameters import Parameters
from cer_core.scenario.inputs import Scenario
from cer_core.scenario.settlement import Money, Settlement


@dataclass(frozen=True, eq=False)
class PlantResult:
    """Year-1 figures of one plant (energies [kWh], money [€/yr]).

    ``in_configuration`` / ``tip_eligible`` / ``reasons`` come from
    :func:`cer_core.incentives.check_eligibility`; ``cash_flows`` is the owner's view
    (RID + bill savings + producer share of the plant's incentives).
    """

    name: str
    kwp: float
    commissioning_date: dt.date
    in_configuration: bool
    tip_eligible: bool
    reasons: tuple
    production_kwh: float
    self_consumption_kwh: float
    injection_kwh: float
    shared_kwh: float
    tip_eur: float
    valorisation_eur: float
    rid_eur: float
    gse_fee_eur: float
    bill_savings_eur: float
    capex_eur: float
    cash_flows: finance.CashFlows
    excess_eur: float = 0.0

    def as_dict(self) -> dict:
        """JSON-friendly dict of the plant's figures."""
        cf = self.cash_flows
        return {
            "name": self.name,
            "kwp": self.kwp,
            "commissioning_date": self.commissioning_date.isoformat(),
            "in_configuration": self.in_configuration,
            "tip_eligible": self.tip_eligible,
            "reasons": list(self.reasons),
            "reason_codes": codes_of(self.reasons),
            "production_kwh": self.production_kwh,
            "self_consumption_kwh": self.self_consumption_kwh,
            "injection_kwh": self.injection_kwh,
            "shared_kwh": self.shared_kwh,
            "tip_eur": self.tip_eur,
            "excess_eur": self.excess_eur,
            "valorisation_eur": self.valorisation_eur,
            "rid_eur": self.rid_eur,
            "gse_fee_eur": self.gse_fee_eur,
            "bill_savings_eur": self.bill_savings_eur,
            "capex_eur": self.capex_eur,
            "npv_eur": cf.npv_eur,
            "irr": cf.irr,
            "payback_years": cf.payback_years,
        }


@dataclass(frozen=True, eq=False)
class Result:
    """Outcome of :func:`simulate` (hourly arrays on ``year_index(year)``; year 1).

    Attributes
    ----------
    scenario : Scenario
    parameters : Parameters
        Values used (with overrides).
    hours : pandas.DatetimeIndex
        Local hours of the settlement year.
    price_eur_per_mwh : numpy.ndarray, shape (H,)
        Hourly zonal price Pz [€/MWh].
    production_kwh : numpy.ndarray, shape (n_plants, H)
        PV production per plant [kWh].
    self_consumption_kwh : numpy.ndarray, shape (n_plants, H)
        Physical self-consumption behind the meter per plant [kWh] (never shared).
    injection_kwh : numpy.ndarray, shape (n_plants, H)
        Grid injection per plant [kWh].
    consumption_kwh : numpy.ndarray, shape (H,)
        Total consumption of all members [kWh].
    withdrawal_kwh : numpy.ndarray, shape (H,)
        Total grid withdrawal of all members (after self-consumption) [kWh].
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy E_AC [kWh].
    shared_per_plant_kwh : numpy.ndarray, shape (n_plants, H)
        Shared energy attributed to each plant, oldest first [kWh].
    plants : tuple of PlantResult
        Per-plant breakdown (year 1).
    money : Money
        Configuration incentives of year 1 [€].
    rid_eur, bill_savings_eur : float
        Year-1 RID revenue and avoided bill cost of all plants [€].
    cash_flows : finance.CashFlows
        Owners' aggregate yearly cash flows over the horizon [€].
    community_cash_eur : numpy.ndarray, shape (N,)
        Incentives left to the community each operating year: the non-producer share of the net
        incentives plus the whole excess TIP (reserved for non-business consumers and social
        purposes, §4) [€].
    producer_share : float
        Share of net incentives paid to plant owners [1].
    weather_source : cer_core.notices.Notice
        Where the weather comes from (and a note if the online fetch failed).
    price_source : cer_core.notices.Notice
        Which price series was used.
    warnings : tuple of cer_core.notices.Notice
        Modelling choices and caveats the user must see: each is its English sentence and
        carries a ``code`` and ``values`` the pages translate.
    settlement : Settlement
        The settled arrays, reused by :func:`~cer_core.scenario.marginal_effect` to add a member
        or a plant without simulating the configuration again.
    """

    scenario: Scenario
    parameters: Parameters
    hours: Any
    price_eur_per_mwh: np.ndarray
    production_kwh: np.ndarray
    self_consumption_kwh: np.ndarray
    injection_kwh: np.ndarray
    consumption_kwh: np.ndarray
    withdrawal_kwh: np.ndarray
    shared_kwh: np.ndarray
    shared_per_plant_kwh: np.ndarray
    plants: tuple
    money: Money
    rid_eur: float
    bill_savings_eur: float
    cash_flows: finance.CashFlows
    community_cash_eur: np.ndarray
    producer_share: float
    weather_source: str
    price_source: str
    warnings: tuple
    settlement: Settlement = field(repr=False, compare=False, default=None)

    def monthly(self):
        """Monthly energy totals [kWh] and TIP money [€] as a ``pandas.DataFrame`` (index 1-12).

        Columns: ``production_kwh, self_consumption_kwh, injection_kwh, consumption_kwh,
        withdrawal_kwh, shared_kwh``.
        """
        month = np.asarray(self.hours.month) - 1

        def by_month(values):
            return np.bincount(month, weights=values, minlength=12)

        return pd.DataFrame(
            {
                "production_kwh": by_month(self.production_kwh.sum(axis=0)),
                "self_consumption_kwh": by_month(self.self_consumption_kwh.sum(axis=0)),
                "injection_kwh": by_month(self.injection_kwh.sum(axis=0)),
                "consumption_kwh": by_month(self.consumption_kwh),
                "withdrawal_kwh": by_month(self.withdrawal_kwh),
                "shared_kwh": by_month(self.shared_kwh),
            },
            index=pd.RangeIndex(1, 13, name="month"),
        )

    def cash_flow_table(self):
        """Owners' yearly cash flows [€] as a ``pandas.DataFrame`` indexed by calendar year.

        Columns: ``capex_eur, revenue_eur, opex_eur, tax_deduction_eur, net_eur,
        cumulative_eur, production_kwh, community_eur`` (year 0 = investment).
        """
        community = np.concatenate([[0.0], self.community_cash_eur])
        return self.cash_flows.table().assign(community_eur=community)

    def summary(self) -> dict:
        """JSON-serialisable summary (year-1 energies [kWh] and money [€/yr], economics).

        Keys: ``pv_production_kwh, self_consumption_kwh, injection_kwh, withdrawal_kwh,
        consumption_kwh, shared_kwh, tip_eur, valorisation_eur, rid_eur, gse_fee_eur,
        excess_eur, net_incentives_eur, bill_savings_eur, capex_eur, npv_eur, irr,
        payback_years, discounted_payback_years, lcoe_eur_per_mwh, producer_share,
        community_incentives_eur_per_year, year, horizon_years, weather_source, price_source,
        mean_price_eur_per_mwh, uncertain_parameters, warnings, plants``; ``warning_codes``
        and ``source_codes`` (and each plant's ``reason_codes``) give the same messages as
        ``{"code", "values", "text"}`` for programs that translate them.
        """
        cf = self.cash_flows

        def clean(x):
            if x is None:
                return None
            x = float(x)
            return None if not math.isfinite(x) else x

        p = self.parameters
        return {
            "scenario": self.scenario.name,
            "year": self.scenario.year,
            "horizon_years": self.scenario.horizon_years,
            "members": int(sum(m.count for m in self.scenario.members)),
            "plants_kwp": float(sum(pl.kwp for pl in self.scenario.plants)),
            "pv_production_kwh": float(self.production_kwh.sum()),
            "self_consumption_kwh": float(self.self_consumption_kwh.sum()),
            "injection_kwh": float(self.injection_kwh.sum()),
            "consumption_kwh": float(self.consumption_kwh.sum()),
            "withdrawal_kwh": float(self.withdrawal_kwh.sum()),
            "shared_kwh": float(self.shared_kwh.sum()),
            "tip_eur": self.money.tip_eur,
            "valorisation_eur": self.money.valorisation_eur,
            "gse_fee_eur": self.money.gse_fee_eur,
            "excess_eur": self.money.excess_eur,
            "net_incentives_eur": self.money.net_incentives_eur,
            "rid_eur": self.rid_eur,
            "bill_savings_eur": self.bill_savings_eur,
            "capex_eur": float(-cf.capex_eur[0]),
            "npv_eur": clean(cf.npv_eur),
            "irr": clean(cf.irr),
            "payback_years": clean(cf.payback_years),
            "discounted_payback_years": clean(cf.discounted_payback_years),
            "lcoe_eur_per_mwh": clean(cf.lcoe_eur_per_mwh),
            "discount_rate": cf.discount_rate,
            "producer_share": self.producer_share,
            "community_incentives_eur_per_year": float(self.community_cash_eur[0])
            if len(self.community_cash_eur)
            else 0.0,
            "mean_price_eur_per_mwh": float(self.price_eur_per_mwh.mean()),
            "weather_source": self.weather_source,
            "price_source": self.price_source,
            "uncertain_parameters": {
                k: (list(v) if isinstance(v, tuple) else v)
                for k, v in sorted(p.uncertain_choices().items())
            },
            "warnings": list(self.warnings),
            "warning_codes": codes_of(self.warnings),
            "source_codes": codes_of([self.weather_source, self.price_source]),
            "plants": [pl.as_dict() for pl in self.plants],
        }
