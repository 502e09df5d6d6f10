"""The hourly settlement: shared energy, its attribution to plants and the incentive money.

Rules (docs/rules.md): only residual injection and withdrawal enter the hourly balance (§2.1),
attributed to plants oldest first (§2.2) — both by :func:`cer_core.sharing.balance`, the function
the worked examples and the invariants test; TIP per plant and hour (§3), annual excess rule per
set (§4), valorisation on all shared energy (§5).

:func:`~cer_core.scenario.simulate` and :func:`~cer_core.scenario.marginal_effect` both settle
with the same two steps — :func:`shared_energy` (the balance: no price enters it) then
:func:`settle_money` (:func:`settle` is both) — and judge each plant with
:func:`plant_eligibility` and :func:`unit_tip_eur_per_mwh`, so the marginal effect is computed by
the same code as a full run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cer_core import commissioning, incentives
from cer_core.errors import InputError
from cer_core.parameters import Parameters
from cer_core.scenario.inputs import Plant, Scenario
from cer_core.scenario.investment import grant_terms
from cer_core.sharing import balance


@dataclass(frozen=True, eq=False)
class Settlement:
    """The arrays of one settled configuration, kept so that an addition can reuse them.

    Rows are plants in the scenario's order; ``H`` is the number of hours of the year.

    Attributes
    ----------
    params : Parameters
        Values of the settlement year (with the scenario's overrides).
    spend_params : dict
        Parameters of each plant's commissioning (spending) year, by year: the tax deduction
        rate is the one in force when the money is spent (docs/rules.md §8).
    prices : numpy.ndarray, shape (H,)
        Hourly zonal price [€/MWh].
    month : numpy.ndarray of int, shape (H,)
        Month (1-12) of each hour.
    dates : tuple of datetime.date
        Commissioning dates (attribution order, oldest first).
    injection : numpy.ndarray, shape (n, H)
        Injection that counts in the configuration [kWh] (zero rows for plants left out).
    tip_full : tuple of (numpy.ndarray, shape (H,), or None)
        Unit TIP before the F factor of each plant [€/MWh] (``None`` when not eligible; rows,
        not one array, so that adding a plant copies no hourly array).
    f : numpy.ndarray, shape (n,)
        F factor (reduction for capital grants) [1].
    eligible : numpy.ndarray of bool, shape (n,)
        The plant's attributed energy earns the TIP.
    tip_share : numpy.ndarray, shape (n,)
        Share of the attributed energy that earns the TIP (power eligible) [1].
    in_config : numpy.ndarray of bool, shape (n,)
        The plant's injection counts in the configuration balance.
    fees : numpy.ndarray, shape (n,)
        GSE fee of each plant in the configuration [€/yr].
    reasons : tuple of tuple of str
        Why each plant is left out or gets no TIP (empty when fully eligible).
    withdrawal : numpy.ndarray, shape (H,)
        Total residual withdrawal of the members [kWh].
    exempt_withdrawal : numpy.ndarray, shape (H,)
        Part of ``withdrawal`` by holders exempt from the F factor [kWh].
    group_withdrawal, group_consumption : dict of str to numpy.ndarray
        Residual withdrawal and consumption of each member group (all its members) [kWh].
    exempt_holders : frozenset of str
        Holder types exempt from the F factor (``tip.f_exempt_holders``).
    """

    params: Parameters
    spend_params: dict
    prices: np.ndarray
    month: np.ndarray
    dates: tuple
    injection: np.ndarray
    tip_full: tuple
    f: np.ndarray
    eligible: np.ndarray
    tip_share: np.ndarray
    in_config: np.ndarray
    fees: np.ndarray
    reasons: tuple
    withdrawal: np.ndarray
    exempt_withdrawal: np.ndarray
    group_withdrawal: dict
    group_consumption: dict
    exempt_holders: frozenset


@dataclass(frozen=True)
class Money:
    """Configuration incentives of one year [€] (see :func:`~cer_core.scenario.simulate`)."""

    shared_kwh: float
    tip_eur: float
    valorisation_eur: float
    gse_fee_eur: float
    excess_eur: float

    @property
    def net_incentives_eur(self) -> float:
        """TIP + valorisation − GSE fee [€]."""
        return self.tip_eur + self.valorisation_eur - self.gse_fee_eur


@dataclass(frozen=True, eq=False)
class Settled:
    """Hourly balance and incentive money of one settlement (rows = plants).

    Attributes
    ----------
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy E_AC [kWh].
    per_plant_kwh : numpy.ndarray, shape (n, H)
        Shared energy attributed to each plant [kWh].
    tip_eur, valorisation_eur, excess_eur : numpy.ndarray, shape (n,)
        TIP, valorisation and the TIP above the excess threshold of each plant [€/yr].
    money : Money
        The configuration's totals (with the GSE fees) [€/yr].
    """

    shared_kwh: np.ndarray
    per_plant_kwh: np.ndarray
    tip_eur: np.ndarray
    valorisation_eur: np.ndarray
    excess_eur: np.ndarray
    money: Money


def plant_eligibility(
    plant: Plant, scenario: Scenario, p: Parameters, spend_p: Parameters, where: str
) -> tuple[incentives.Eligibility, float]:
    """Eligibility and F factor of one plant in a configuration (no price involved).

    Parameters
    ----------
    plant : Plant
    scenario : Scenario
        The configuration (constitution date, community rule).
    p : Parameters
        Settlement-year parameters.
    spend_p : Parameters
        Parameters of the plant's commissioning year (tax deduction rate).
    where : str
        Field prefix of an input error (e.g. ``plants[2]``).

    Returns
    -------
    eligibility : incentives.Eligibility
    f : float
        F factor [1].
    """
    min_kw = float(p["community.min_plant_kw"]) if scenario.community_min_plant_kw_rule else None
    try:
        eligibility = incentives.check_eligibility(
            plant.kwp,
            plant.commissioning_date,
            plant.source,
            plant.grant_share,
            commissioning.constitution_date(
                scenario.cer_constitution_date, scenario.check_cer_constitution, p
            )[0],
            min_kw,
            params=p,
        )
    except InputError as err:
        raise InputError(f"{where}.{err.field}", err.message) from None
    # ⚠ finance.deduction_counts_as_grant: treat the tax deduction as a capital grant for F
    # (and above 40 % as not cumulable with the TIP); docs/rules.md §8, §14.6
    return grant_terms(plant, eligibility, p, spend_p)


def unit_tip_eur_per_mwh(
    plant: Plant,
    scenario: Scenario,
    p: Parameters,
    prices: np.ndarray,
    eligibility: incentives.Eligibility,
) -> np.ndarray | None:
    """Hourly unit TIP of one plant before the F factor [€/MWh]; ``None`` when it gets no TIP.

    Parameters
    ----------
    plant : Plant
    scenario : Scenario
        The configuration (region).
    p : Parameters
        Settlement-year parameters.
    prices : numpy.ndarray, shape (H,)
        Hourly zonal price [€/MWh].
    eligibility : incentives.Eligibility
        From :func:`plant_eligibility`.
    """
    if not eligibility.tip_eligible:
        return None
    return incentives.tip_full_eur_per_mwh(
        plant.kwp, prices, scenario.region, plant.source, params=p
    )


def plant_incentive_terms(
    plant: Plant,
    scenario: Scenario,
    p: Parameters,
    spend_p: Parameters,
    prices: np.ndarray,
    where: str,
) -> tuple[incentives.Eligibility, float, np.ndarray | None]:
    """Eligibility, F factor and unit TIP of one plant in a configuration.

    :func:`plant_eligibility` and :func:`unit_tip_eur_per_mwh` together.

    Parameters
    ----------
    plant : Plant
    scenario : Scenario
        The configuration (constitution date, community rule, region).
    p : Parameters
        Settlement-year parameters.
    spend_p : Parameters
        Parameters of the plant's commissioning year (tax deduction rate).
    prices : numpy.ndarray, shape (H,)
        Hourly zonal price [€/MWh].
    where : str
        Field prefix of an input error (e.g. ``plants[2]``).

    Returns
    -------
    eligibility : incentives.Eligibility
    f : float
        F factor [1].
    tip_full : numpy.ndarray, shape (H,), or None
        Unit TIP before F [€/MWh]; ``None`` when the plant gets no TIP.
    """
    eligibility, f = plant_eligibility(plant, scenario, p, spend_p, where)
    return eligibility, f, unit_tip_eur_per_mwh(plant, scenario, p, prices, eligibility)


@dataclass(frozen=True, eq=False)
class SharedEnergy:
    """The energy side of a settlement: the hourly balance and what earns the TIP [kWh].

    Prices play no part in it: the base runs of one configuration under other prices (the
    estimate's price scenarios) share it, and only :func:`settle_money` is redone for each.

    Attributes
    ----------
    shared_kwh : numpy.ndarray, shape (H,)
        Hourly shared energy E_AC [kWh].
    per_plant_kwh : numpy.ndarray, shape (n, H)
        Shared energy attributed to each plant [kWh].
    tip_factor : numpy.ndarray, shape (n,)
        Share of each plant's attributed energy that earns the TIP: eligible × power share [1]
        (:meth:`incentivised_kwh`).
    exempt_kwh : numpy.ndarray, shape (n, H), or None
        The part of the incentivised energy afferent to F-exempt withdrawal [kWh]; ``None`` when
        no plant has a grant (no F, nothing to exempt).
    per_plant_total_kwh, injection_total_kwh, incentivised_total_kwh : numpy.ndarray, shape (n,)
        Annual shared energy attributed, injection, and incentivised energy of each plant [kWh].
    """

    shared_kwh: np.ndarray
    per_plant_kwh: np.ndarray
    tip_factor: np.ndarray
    exempt_kwh: np.ndarray | None
    per_plant_total_kwh: np.ndarray
    injection_total_kwh: np.ndarray
    incentivised_total_kwh: np.ndarray

    def incentivised_kwh(self, i: int) -> np.ndarray:
        """Hourly incentivised energy E_ACI of plant ``i`` [kWh], shape (H,).

        Row by row, not one (plants × hours) array: a plant earning the TIP on all its energy
        is its attributed row itself (the same floats as a product by 1.0).
        """
        return _incentivised(self.per_plant_kwh[i], self.tip_factor[i])


def _incentivised(attributed_kwh: np.ndarray, tip_factor: float) -> np.ndarray:
    """Attributed energy × share earning the TIP [kWh] (the row itself for a share of 1)."""
    return attributed_kwh if tip_factor == 1.0 else attributed_kwh * tip_factor


ENERGY_FIELDS = (
    "injection",
    "withdrawal",
    "exempt_withdrawal",
    "f",
    "eligible",
    "tip_share",
    "in_config",
)
"""The arrays of a :class:`Settlement` that :func:`shared_energy` reads (with ``dates``)."""


def same_energies(a: Settlement, b: Settlement) -> bool:
    """Whether two settlements have the same energies (the same :func:`shared_energy`).

    True for one configuration's runs under other prices; the price, the unit TIP, the fees
    and the bill parameters (``bills.*``) may differ. Every other parameter must be equal: a
    plant added to ``a`` is judged (eligibility, F factor, minimum size) with ``a``'s rules, so
    a run under other rules is not "the same energies" even where its arrays happen to be.
    """
    if a is b:
        return True
    return (
        a.dates == b.dates
        and a.exempt_holders == b.exempt_holders
        and _rules(a.params) == _rules(b.params)
        and all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ENERGY_FIELDS)
    )


def _rules(params) -> dict:
    """The parameters that are not bill prices (what a price scenario must leave alone)."""
    return {name: params[name] for name in params if not name.startswith("bills.")}


def shared_energy(s: Settlement) -> SharedEnergy:
    """Hourly balance of a settlement and the energy that earns the TIP (no money, no price).

    Parameters
    ----------
    s : Settlement

    Returns
    -------
    SharedEnergy
    """
    b = balance(s.injection, s.withdrawal, s.dates)
    per_plant = b.per_plant_kwh
    tip_factor = s.eligible * s.tip_share
    exempt_kwh = None  # no grant, no F: nothing to exempt
    if (s.f > 0).any():
        exempt_kwh = incentives.exempt_energy_kwh(
            per_plant * tip_factor[:, None],
            s.exempt_withdrawal,
            s.withdrawal,
            grant_plant=s.f > 0,
            order=b.order,
            mode=s.params["tip.f_exempt_split"],
        )
    return SharedEnergy(
        shared_kwh=b.shared_kwh,
        per_plant_kwh=per_plant,
        tip_factor=tip_factor,
        exempt_kwh=exempt_kwh,
        # per-plant annual totals, summed per set by settle_money (no copy of hourly rows)
        per_plant_total_kwh=per_plant.sum(axis=1),
        injection_total_kwh=s.injection.sum(axis=1),
        incentivised_total_kwh=np.array(
            [_incentivised(row, f).sum() for row, f in zip(per_plant, tip_factor, strict=True)]
        ),
    )


def settle_money(s: Settlement, energy: SharedEnergy) -> Settled:
    """Incentive money of a settlement on its shared energy [€/yr].

    Parameters
    ----------
    s : Settlement
        Prices, unit TIP rows, F factors, fees and parameters of the settlement.
    energy : SharedEnergy
        :func:`shared_energy` of ``s``, or of a settlement with the same energies under other
        prices.

    Returns
    -------
    Settled
    """
    p = s.params
    n = s.injection.shape[0]
    tip = np.zeros(n)
    for i in np.nonzero(s.eligible)[0]:
        tip[i] = incentives.tip_money_eur(
            energy.incentivised_kwh(i),
            s.tip_full[i],
            float(s.f[i]),
            None if energy.exempt_kwh is None else energy.exempt_kwh[i],
        )
    cu = incentives.cu_af_eur_per_mwh(params=p)
    val = cu * energy.per_plant_total_kwh / 1000.0
    # annual excess rule per set j (TIP only / TIP + grant); each plant carries its part
    # excess_i = points_j × TIP_i, so that Σ_i excess_i = points_j × C_ACI,j (docs/rules.md §4)
    excess = np.zeros(n)
    for with_grant, key in (
        (False, "excess.threshold_tip_only"),
        (True, "excess.threshold_with_grant"),
    ):
        sel = s.eligible & ((s.f > 0) == with_grant)
        if sel.any():
            points = incentives.ExcessSet(
                injection_kwh=float(energy.injection_total_kwh[sel].sum()),
                incentivised_kwh=float(energy.incentivised_total_kwh[sel].sum()),
                tip_eur=float(tip[sel].sum()),
                threshold=float(p[key]),
            ).excess_points
            excess[sel] = points * tip[sel]
    money = Money(
        shared_kwh=float(energy.shared_kwh.sum()),
        tip_eur=float(tip.sum()),
        valorisation_eur=float(val.sum()),
        gse_fee_eur=float(s.fees.sum()),
        excess_eur=float(excess.sum()),
    )
    return Settled(energy.shared_kwh, energy.per_plant_kwh, tip, val, excess, money)


def settle(s: Settlement) -> Settled:
    """Hourly balance and incentive money of a settlement.

    Parameters
    ----------
    s : Settlement

    Returns
    -------
    Settled
    """
    return settle_money(s, shared_energy(s))
