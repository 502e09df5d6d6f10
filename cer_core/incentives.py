"""CACER incentives: tariffa premio (TIP), F factor, eligibility, excess rule, valorisation, GSE fee.

Rules from DM MASE 414/2023 (Annex 1), the GSE Regole Operative 2025 and ARERA TIAD, as summarised
in docs/rules.md §3-5; every number comes from :mod:`cer_core.parameters`.

Examples
--------
>>> from cer_core.parameters import load_parameters
>>> p = load_parameters(2025)
>>> float(tip_eur_per_mwh(100, 150.0, params=p))    # Example 1a: 80 + 30, + 10 North
120.0
>>> float(tip_eur_per_mwh(100, 150.0, grant_share=0.30, params=p))   # Example 1n: F = 0.375
75.0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from cer_core.errors import InputError
from cer_core.notices import Notice, notice
from cer_core.parameters import Parameters
from cer_core.validation import date

NORTH_REGIONS = frozenset(
    {
        "emilia-romagna",
        "friuli-venezia giulia",
        "liguria",
        "lombardia",
        "piemonte",
        "trentino-alto adige",
        "valle d'aosta",
        "veneto",
    }
)
"""Regions with the +10 €/MWh PV correction (docs/rules.md §3.2)."""
CENTRE_REGIONS = frozenset({"lazio", "marche", "toscana", "umbria", "abruzzo"})
"""Regions with the +4 €/MWh PV correction (docs/rules.md §3.2)."""
SOUTH_REGIONS = frozenset(
    {"basilicata", "calabria", "campania", "molise", "puglia", "sardegna", "sicilia"}
)
"""Regions without a PV correction (docs/rules.md §3.2)."""

HOLDER_TYPES = (
    "persona_fisica",
    "impresa",
    "ente_territoriale",
    "ente_religioso",
    "terzo_settore",
    "protezione_ambientale",
    "altro",
)
"""Holder types of withdrawal points / plants known to the engine."""

SOURCES = ("pv", "wind", "hydro", "biomass", "other")
"""Renewable source types; only ``"pv"`` gets the geographic correction."""


def macro_area(region: str) -> str:
    """Macro area (``"north"``, ``"centre"``, ``"south"``) of a region, zone or area name.

    Parameters
    ----------
    region : str
        ``"north"``/``"centre"``/``"south"``, the market zone ``"NORD"`` (all northern regions) or an
        Italian region name (``"Lombardia"``).
    """
    key = str(region).strip().lower()
    if key in {"north", "nord"} or key in NORTH_REGIONS:
        return "north"
    if key in {"centre", "center", "centro"} or key in CENTRE_REGIONS:
        return "centre"
    if key in {"south", "sud", "islands"} or key in SOUTH_REGIONS:
        return "south"
    raise InputError("region", f"unknown region or zone {region!r}; use north, centre or south")


def geo_correction_eur_per_mwh(
    region: str = "north", source: str = "pv", *, params: Parameters
) -> float:
    """Geographic correction FC added outside the cap (PV only) [€/MWh] (docs/rules.md §3.2)."""
    p = params
    if source != "pv":
        return 0.0
    return float(p[f"tip.geo_correction_pv_{macro_area(region)}_eur_per_mwh"])


def tier_index(plant_kw: float, *, params: Parameters) -> int:
    """Power tier of a plant (0: ≤ 200 kW, 1: ≤ 600 kW, 2: ≤ 1,000 kW).

    Raises
    ------
    InputError
        ``plant_kw`` not positive or above the 1 MW eligibility limit.
    """
    p = params
    kw = _positive(plant_kw, "plant_kw")
    bounds = p["tip.tier_max_kw"]
    for i, upper in enumerate(bounds):
        if kw <= upper:
            return i
    raise InputError(
        "plant_kw",
        f"{kw:g} kW is not eligible for the TIP: allowed 0 < power ≤ {bounds[-1]:g} kW per plant",
    )


def _positive(value, field: str) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise InputError(field, f"must be a number > 0, not {value!r}") from None
    if not np.isfinite(out) or out <= 0:
        raise InputError(field, f"must be a number > 0, not {value!r}")
    return out


def f_factor(grant_share: float = 0.0, *, params: Parameters) -> float:
    """Reduction factor F for a capital grant (docs/rules.md §3.3).

    ``F = f_max × g / f_at_grant_share`` (0.50 × g / 40 %), linear from 0 (no grant) to 0.5
    (grant = 40 % of the investment).

    Parameters
    ----------
    grant_share : float
        Capital grant as a share of the investment [0-1].

    Raises
    ------
    InputError
        ``grant_share`` outside 0-0.40: above 40 % the TIP is not cumulable with the grant.
    """
    p = params
    try:
        g = float(grant_share)
    except (TypeError, ValueError):
        raise InputError("grant_share", f"must be a number 0-0.40, not {grant_share!r}") from None
    limit = float(p["tip.grant_not_cumulable_above"])
    if not np.isfinite(g) or g < 0:
        raise InputError("grant_share", f"must be between 0 and {limit:g}, not {grant_share!r}")
    if g > limit + 1e-12:
        raise InputError(
            "grant_share",
            f"{g:.0%} of the investment: above {limit:.0%} the capital grant is not cumulable with "
            f"the TIP (allowed 0-{limit:g}; docs/rules.md §3.3)",
        )
    return float(p["tip.f_max"]) * g / float(p["tip.f_at_grant_share"])


def tip_full_eur_per_mwh(
    plant_kw: float,
    zonal_price_eur_per_mwh,
    region: str = "north",
    source: str = "pv",
    *,
    params: Parameters,
) -> np.ndarray:
    """Unit TIP before the grant factor: ``min(CAP, TB + max(0, 180 − Pz)) + FC`` [€/MWh]."""
    p = params
    tier = tier_index(plant_kw, params=p)
    base = float(p["tip.tier_base_eur_per_mwh"][tier])
    cap = float(p["tip.tier_cap_eur_per_mwh"][tier])
    ref = float(p["tip.variable_ref_price_eur_per_mwh"])
    pz = np.asarray(zonal_price_eur_per_mwh, dtype=float)
    variable = np.maximum(0.0, ref - pz)
    return np.minimum(cap, base + variable) + geo_correction_eur_per_mwh(region, source, params=p)


def tip_eur_per_mwh(
    plant_kw: float,
    zonal_price_eur_per_mwh,
    region: str = "north",
    source: str = "pv",
    grant_share: float = 0.0,
    *,
    params: Parameters,
) -> np.ndarray:
    """Unit tariffa premio per hour (docs/rules.md §3.1), vectorised over prices.

    ``TIP = (min(CAP, TB + max(0, 180 − Pz)) + FC) × (1 − F)``

    Parameters
    ----------
    plant_kw : float
        Plant power (tier selection) [kW]; must be ≤ 1,000 kW.
    zonal_price_eur_per_mwh : array_like
        Hourly zonal day-ahead price Pz [€/MWh] (negative allowed).
    region : str
        Macro area, zone or region of the plant (Milan: ``"north"``).
    source : str
        ``"pv"`` gets the geographic correction; other sources do not.
    grant_share : float
        Capital grant share of the investment [0-0.40].
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).

    Returns
    -------
    numpy.ndarray
        TIP [€/MWh], same shape as the prices.

    Raises
    ------
    InputError
        Plant above 1 MW, grant above 40 %, unknown region.
    """
    p = params
    f = f_factor(grant_share, params=p)
    return tip_full_eur_per_mwh(plant_kw, zonal_price_eur_per_mwh, region, source, params=p) * (
        1.0 - f
    )


# --- eligibility --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    """Whether a plant joins the configuration and gets the TIP.

    Attributes
    ----------
    in_configuration : bool
        The plant's injection counts in the configuration balance (valorisation applies).
    tip_eligible : bool
        The plant's attributed shared energy earns the TIP.
    reasons : tuple of str
        Why not (empty when fully eligible); national rules and community rules are labelled.
    """

    in_configuration: bool
    tip_eligible: bool
    reasons: tuple[str, ...] = ()


def check_eligibility(
    plant_kw: float,
    commissioning_date,
    source: str = "pv",
    grant_share: float = 0.0,
    cer_constitution_date=None,
    community_min_kw: float | None = None,
    *,
    params: Parameters,
) -> Eligibility:
    """Eligibility of a plant for the configuration and for the TIP (docs/rules.md §3.4, §9).

    National rules (DM 414/2023): power ≤ 1 MW (a larger plant is an input error), commissioning
    on or after 16/12/2021 and not after the access deadline, for a CER after the CER was
    constituted (unless ``tip.cer_timing_exception``); a grant above 40 % is an input error.
    Community rule (CER.ca.MI, optional): plants below ``community_min_kw`` do not join.

    Parameters
    ----------
    plant_kw : float
        Plant power [kW].
    commissioning_date : date or ISO str
        Entry into operation.
    source : str
        Renewable source.
    grant_share : float
        Capital grant share [0-0.40].
    cer_constitution_date : date or ISO str, optional
        Legal constitution of the CER (``None``: not a CER or not checked).
    community_min_kw : float, optional
        Community minimum plant power [kW] (``None``: rule off).
    params : Parameters
        Parameter values of the settlement year (:func:`cer_core.parameters.load_parameters`).

    Returns
    -------
    Eligibility
    """
    p = params
    tier_index(plant_kw, params=p)  # raises above 1 MW
    f_factor(grant_share, params=p)  # raises above 40 %
    if source not in SOURCES:
        raise InputError("source", f"must be one of {', '.join(SOURCES)}, not {source!r}")
    when = date("commissioning_date", commissioning_date)
    reasons: list[Notice] = []
    in_config = True
    if community_min_kw is not None and plant_kw < community_min_kw:
        in_config = False
        reasons.append(notice("below_community_min_kw", min_kw=float(community_min_kw)))
    first = date("tip.min_commissioning_date", p["tip.min_commissioning_date"])
    if when < first:
        reasons.append(notice("before_first_commissioning_date", date=first.isoformat()))
    deadline = date("tip.access_deadline", p["tip.access_deadline"])
    if when > deadline:
        reasons.append(notice("after_access_deadline", date=deadline.isoformat()))
    if cer_constitution_date is not None and not p["tip.cer_timing_exception"]:
        constituted = date("cer_constitution_date", cer_constitution_date)
        if when < constituted:
            reasons.append(notice("before_cer_constitution", date=constituted.isoformat()))
    tip_ok = in_config and not reasons
    return Eligibility(in_configuration=in_config, tip_eligible=tip_ok, reasons=tuple(reasons))


# --- money ------------------------------------------------------------------------------------


def tip_money_eur(
    incentivised_kwh,
    tip_full_eur_per_mwh_,
    f: float = 0.0,
    exempt_kwh=None,
) -> float:
    """TIP money of one plant [€]: ``Σ_h (E_ex·TIP_full + (E − E_ex)·TIP_full·(1−F)) / 1000``.

    Parameters
    ----------
    incentivised_kwh : array_like, shape (H,)
        Incentivised shared energy attributed to the plant, E_ACI [kWh].
    tip_full_eur_per_mwh_ : array_like, shape (H,) or scalar
        Unit TIP before the grant factor [€/MWh].
    f : float
        Grant reduction factor F of the plant [0-0.5].
    exempt_kwh : array_like, shape (H,), optional
        Part of ``incentivised_kwh`` afferent to F-exempt withdrawal points [kWh].
    """
    e = np.asarray(incentivised_kwh, dtype=float)
    tip = np.broadcast_to(np.asarray(tip_full_eur_per_mwh_, dtype=float), e.shape)
    if f == 0.0 or exempt_kwh is None:
        return float(np.dot(e, tip)) * (1.0 - f) / 1000.0
    ex = np.minimum(np.asarray(exempt_kwh, dtype=float), e)
    return float(np.dot(ex, tip) + np.dot(e - ex, tip) * (1.0 - f)) / 1000.0


def exempt_energy_kwh(
    per_plant_kwh: np.ndarray,
    exempt_withdrawal_kwh,
    total_withdrawal_kwh,
    grant_plant: Sequence[bool],
    order: Sequence[int],
    mode: str = "prorata_withdrawals",
) -> np.ndarray:
    """Part of each plant's hourly incentivised energy afferent to F-exempt withdrawal points.

    The rule exists (RO 2025 §2.2.2.1.2) but the split is not prescribed (⚠ docs/rules.md §14.2).

    Parameters
    ----------
    per_plant_kwh : numpy.ndarray, shape (n_plants, H)
        Incentivised shared energy per plant [kWh].
    exempt_withdrawal_kwh, total_withdrawal_kwh : array_like, shape (H,)
        Hourly withdrawal of exempt holders and of all members [kWh].
    grant_plant : sequence of bool
        Which plants have F > 0 (only they need the split).
    order : sequence of int
        Commissioning priority (used by ``priority_grant_plants``).
    mode : str
        ``"prorata_withdrawals"``: each plant's energy is exempt in the share
        ``exempt withdrawal / total withdrawal`` of that hour (FORMULE's choice);
        ``"priority_grant_plants"``: the hour's exempt energy (same share of the total shared
        energy) goes first to grant-funded plants, oldest first; ``"none"``: no exemption.

    Returns
    -------
    numpy.ndarray, shape (n_plants, H)
        Exempt energy per plant [kWh].
    """
    e = np.asarray(per_plant_kwh, dtype=float)
    if mode == "none":
        return np.zeros_like(e)
    ex_w = np.asarray(exempt_withdrawal_kwh, dtype=float)
    tot_w = np.asarray(total_withdrawal_kwh, dtype=float)
    frac = np.divide(ex_w, tot_w, out=np.zeros_like(tot_w), where=tot_w > 0)
    frac = np.clip(frac, 0.0, 1.0)
    if mode == "prorata_withdrawals":
        return e * frac[np.newaxis, :]
    if mode == "priority_grant_plants":
        pool = frac * e.sum(axis=0)
        out = np.zeros_like(e)
        grant_first = [i for i in order if grant_plant[i]] + [
            i for i in order if not grant_plant[i]
        ]
        for i in grant_first:
            take = np.minimum(pool, e[i])
            out[i] = take
            pool = pool - take
        return out
    raise InputError(
        "parameters.tip.f_exempt_split",
        f"must be prorata_withdrawals, priority_grant_plants or none, not {mode!r}",
    )


@dataclass(frozen=True)
class ExcessSet:
    """One set j of incentivised plants for the annual excess check (docs/rules.md §4).

    Attributes
    ----------
    injection_kwh : float
        Annual injection of the set's plants, E_imm,j [kWh].
    incentivised_kwh : float
        Annual incentivised shared energy of the set, E_ACI,j [kWh].
    tip_eur : float
        Annual TIP money of the set, C_ACI,j [€].
    threshold : float
        Soglia: 0.55 (TIP only) or 0.45 (TIP + capital grant) [1].
    """

    injection_kwh: float
    incentivised_kwh: float
    tip_eur: float
    threshold: float

    @property
    def excess_points(self) -> float:
        """``max(0, E_ACI/E_imm − soglia)`` in percentage points as a fraction [1]."""
        if self.injection_kwh <= 0:
            return 0.0
        return max(0.0, self.incentivised_kwh / self.injection_kwh - self.threshold)

    @property
    def excess_eur(self) -> float:
        """``excess_points × C_ACI`` [€] (not (r − s)/r)."""
        return self.excess_points * self.tip_eur


def cu_af_eur_per_mwh(*, params: Parameters) -> float:
    """Unit valorisation CU_Af = TRAS_E (+ BTAU if ``include_btau_for_cer``) [€/MWh] (§5)."""
    p = params
    value = float(p["valorisation.tras_e_eur_per_mwh"])
    if p["valorisation.include_btau_for_cer"]:
        value += float(p["valorisation.btau_eur_per_mwh"])
    return value


def valorisation_eur(shared_kwh, *, params: Parameters) -> float:
    """ARERA valorisation on **all** shared energy [€]: ``CU_Af × Σ E_AC / 1000`` (§5.1)."""
    return cu_af_eur_per_mwh(params=params) * float(np.sum(shared_kwh)) / 1000.0


def gse_fee_eur(plant_kw: float, *, params: Parameters) -> float:
    """Annual GSE administrative fee of one plant [€/yr] (DM 106/2024, docs/rules.md §3.5).

    0 € up to 3 kW; 15 € up to 20 kW; 15 € + 1 €/kW for each kW above 20.
    """
    p = params
    kw = _positive(plant_kw, "plant_kw")
    if kw <= float(p["gse_fee.free_up_to_kw"]):
        return 0.0
    above = max(0.0, kw - float(p["gse_fee.variable_above_kw"]))
    return float(p["gse_fee.fixed_eur"]) + above * float(p["gse_fee.variable_eur_per_kw"])
