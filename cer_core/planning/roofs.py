"""Municipal roofs first: the Comune's own plants under *autoconsumo individuale a distanza* (AID).

The Comune (one legal entity, an *ente territoriale*) owns candidate roofs and many supply points
(offices, schools, …). Each plant it builds feeds first the building under it, if that building
has one of the Comune's supply points (``host_pod``, physical self-consumption behind the meter,
docs/rules.md §2.3), and injects the rest; the injected energy meets the Comune's other supply
points hour by hour as energy self-consumed at a distance.

Rules used (every number through :mod:`cer_core.parameters`):

* **Hourly** netting, never monthly: shared energy in hour h = ``min(Σ injection, Σ withdrawal)``
  over the plants and supply points inside one perimeter (docs/rules.md §2.1;
  :func:`cer_core.sharing.balance`).
* **Tariffa premio** only on the energy shared **inside one cabina-primaria area** (parameter
  ``aid.tip_perimeter`` = ``"cabina_primaria"``; docs/rules.md §1 "energia incentivata", §3),
  unit TIP per plant by its power tier and the hourly zonal price
  (:func:`cer_core.incentives.tip_full_eur_per_mwh`). The Comune is an *ente territoriale*, whose
  withdrawal points are exempt from the grant factor F (``tip.f_exempt_holders``, §3.3): with
  every supply point the Comune's, F never reduces the TIP here.
* **ARERA valorisation** on the energy shared **inside one market zone** (parameter
  ``aid.valorisation_perimeter`` = ``"market_zone"`` ⚠: TIAD defines *energia condivisa* on the
  market-zone perimeter, docs/rules.md §1; set ``"cabina_primaria"`` for the narrower reading of
  §1's "energia autoconsumata" row), at ``CU_Af`` (§5, :func:`cer_core.incentives.cu_af_eur_per_mwh`).
* Inside each perimeter the shared energy goes to plants **by commissioning date, oldest first**
  (GSE rule, §2.2): the order of construction proposed here is that order, so a new plant only
  takes what earlier plants leave.
* Every injected kWh is sold (Ritiro Dedicato at the hourly zonal price with the PMG true-up, §6.1,
  :func:`cer_core.market.rid_eur`); the incentives come on top (virtual model).
* Behind-the-meter self-consumption avoids the per-kWh parts of a business bill
  (:func:`cer_core.bills.bill_savings_eur`, customer ``"business"``); whether the Comune recovers
  VAT is the parameter ``aid.host_vat_recoverable`` ⚠ (default false: institutional supplies).
* Costs: reference capex by size band (:func:`cer_core.finance.capex_eur`) unless the roof gives
  its own, O&M ``finance.opex_eur_per_kwp_year``, GSE fee (:func:`cer_core.incentives.gse_fee_eur`).
* Not modelled: the annual *importo eccedentario* (§4) only redirects TIP money to social
  purposes, it does not reduce it — for a public body this changes no €/year; storage; the
  inverter replacement (payback uses year-1 money with degradation only).

Order of construction: greedy. At each step every roof not yet chosen is valued by the
**marginal** net €/year it adds to the Comune's portfolio (exactly: value of the portfolio with it
minus without it), divided by its capex (``objective="per_eur"``) or its kWp (``"per_kwp"``);
the best roof that still fits the budget (€ or kWp) is built. The sum of the marginal values along
the order equals the value of the final portfolio (tested).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from cer_core import bills, finance, incentives, market
from cer_core.errors import InputError
from cer_core.parameters import Parameters, load_parameters
from cer_core.sharing import attribute
from cer_core.validation import choice, number

OBJECTIVES = ("per_eur", "per_kwp")
"""Greedy objectives: marginal €/year per € of capex, or per kWp."""
PERIMETERS = ("cabina_primaria", "market_zone")
DEFAULT_PARAMETERS_YEAR = 2026
"""Parameters of the year the plants are planned to start (the Comune expects 2026)."""


@dataclass(frozen=True)
class PlanInputs:
    """Everything the planner needs as hourly arrays (H hours), independent of files and pvlib.

    Attributes
    ----------
    roof_ids : tuple of str
        One id per candidate roof.
    production_kwh : numpy.ndarray, shape (n_roofs, H)
        Hourly AC production of each roof's plant [kWh].
    kwp : numpy.ndarray, shape (n_roofs,)
        Peak power of each plant [kWp] (TIP tier, GSE fee, O&M, capex band).
    capex_eur : numpy.ndarray, shape (n_roofs,)
        Investment of each plant [€].
    roof_area : tuple of str
        Cabina-primaria area code of each roof.
    roof_zone : tuple of str
        Market zone of each roof.
    host_point : numpy.ndarray of int, shape (n_roofs,)
        Index of the supply point under the roof (behind the same meter), -1 for none.
    consumption_kwh : numpy.ndarray, shape (n_points, H)
        Hourly withdrawal of each of the Comune's supply points [kWh].
    point_area, point_zone : tuple of str
        Area code and market zone of each supply point.
    price_eur_per_mwh : numpy.ndarray, shape (H,)
        Hourly zonal price Pz [€/MWh].
    roof_names : tuple of str, optional
        Display names (default: the ids).
    """

    roof_ids: tuple[str, ...]
    production_kwh: np.ndarray
    kwp: np.ndarray
    capex_eur: np.ndarray
    roof_area: tuple[str, ...]
    roof_zone: tuple[str, ...]
    host_point: np.ndarray
    consumption_kwh: np.ndarray
    point_area: tuple[str, ...]
    point_zone: tuple[str, ...]
    price_eur_per_mwh: np.ndarray
    roof_names: tuple[str, ...] = ()

    def __post_init__(self):
        prod = np.asarray(self.production_kwh, dtype=float)
        cons = np.asarray(self.consumption_kwh, dtype=float)
        n, h = prod.shape
        if cons.ndim != 2 or cons.shape[1] != h:
            raise InputError("consumption_kwh", f"must be (n_points, {h}) hourly values")
        if len(self.price_eur_per_mwh) != h:
            raise InputError("price_eur_per_mwh", f"must have {h} hourly values")
        for name, seq, size in (
            ("roof_ids", self.roof_ids, n),
            ("kwp", self.kwp, n),
            ("capex_eur", self.capex_eur, n),
            ("roof_area", self.roof_area, n),
            ("roof_zone", self.roof_zone, n),
            ("host_point", self.host_point, n),
            ("point_area", self.point_area, cons.shape[0]),
            ("point_zone", self.point_zone, cons.shape[0]),
        ):
            if len(seq) != size:
                raise InputError(name, f"needs {size} entries, got {len(seq)}")
        if (prod < 0).any() or (cons < 0).any() or not np.isfinite(prod).all():
            raise InputError("production_kwh", "hourly energies must be finite and ≥ 0 [kWh]")
        host = np.asarray(self.host_point, dtype=int)
        if (host >= cons.shape[0]).any():
            raise InputError("host_point", "refers to a supply point that does not exist")
        for i in np.flatnonzero(host >= 0):
            if self.point_area[host[i]] != self.roof_area[i]:
                raise InputError(
                    "host_pod",
                    f"roof {self.roof_ids[i]}: the supply point under the roof is in area "
                    f"{self.point_area[host[i]]}, the roof in {self.roof_area[i]}",
                    "host_area_mismatch",
                    roof=self.roof_ids[i],
                    pod_area=self.point_area[host[i]],
                    area=self.roof_area[i],
                )
        object.__setattr__(self, "production_kwh", prod)
        object.__setattr__(self, "consumption_kwh", cons)
        object.__setattr__(self, "kwp", np.asarray(self.kwp, dtype=float))
        object.__setattr__(self, "capex_eur", np.asarray(self.capex_eur, dtype=float))
        object.__setattr__(self, "host_point", host)
        object.__setattr__(self, "price_eur_per_mwh", np.asarray(self.price_eur_per_mwh, float))
        if not self.roof_names:
            object.__setattr__(self, "roof_names", tuple(self.roof_ids))


@dataclass(frozen=True)
class PlantFigures:
    """Year-1 figures of one plant inside the final portfolio (energies [kWh], money [€/yr]).

    ``shared_at_distance_kwh`` is the energy self-consumed at a distance inside the valorisation
    perimeter (market zone by default); ``incentivised_kwh`` the energy shared inside the TIP
    perimeter (the plant's cabina-primaria area by default); ``surplus_kwh`` = injection − shared at a distance
    (sold only). ``net_eur_per_year`` = TIP + valorisation + RID + bill savings − GSE fee − O&M.
    """

    roof_id: str
    name: str
    area_code: str
    kwp: float
    capex_eur: float
    production_kwh: float
    self_consumed_on_site_kwh: float
    injection_kwh: float
    shared_at_distance_kwh: float
    incentivised_kwh: float
    surplus_kwh: float
    tip_eur: float
    valorisation_eur: float
    rid_eur: float
    bill_savings_eur: float
    gse_fee_eur: float
    opex_eur: float
    net_eur_per_year: float
    payback_years: float | None


@dataclass(frozen=True)
class Step:
    """One step of the order of construction.

    ``marginal_eur_per_year`` is what the roof added to the portfolio's net €/year when it was
    built (later roofs can lower a roof's own figures by competing for the same consumption);
    ``marginal_score`` is that divided by € of capex or by kWp (the greedy objective).
    """

    rank: int
    roof_id: str
    name: str
    area_code: str
    kwp: float
    capex_eur: float
    marginal_eur_per_year: float
    marginal_score: float
    cumulative_kwp: float
    cumulative_capex_eur: float
    cumulative_eur_per_year: float


@dataclass(frozen=True)
class RoofPlan:
    """Result of :func:`plan_roofs`.

    Attributes
    ----------
    steps : tuple of Step
        Order of construction within the budget.
    plants : tuple of PlantFigures
        Figures of each built plant in the final portfolio (same order as ``steps``).
    left_out : tuple of dict
        Roofs not built, each ``{"roof_id", "name", "reason", "marginal_eur_per_year"}`` with
        reason ``"budget"`` (does not fit what is left) or ``"no_value"`` (adds nothing).
    total_eur_per_year : float
        Net €/year of the final portfolio (= Σ marginal values).
    rules : dict
        The perimeters and parameter values used (for the page and the JSON output).
    """

    steps: tuple[Step, ...]
    plants: tuple[PlantFigures, ...]
    left_out: tuple[dict, ...]
    total_eur_per_year: float
    rules: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready dictionary (plain floats, ``None`` for a payback never reached)."""
        from dataclasses import asdict

        return {
            "total_eur_per_year": round(self.total_eur_per_year, 2),
            "steps": [asdict(s) for s in self.steps],
            "plants": [asdict(p) for p in self.plants],
            "left_out": list(self.left_out),
            "rules": self.rules,
        }


# --- the portfolio -------------------------------------------------------------------------------


class _Portfolio:
    """Plants built so far (in commissioning order) and the consumption they leave."""

    def __init__(self, inputs: PlanInputs, p: Parameters, bill_params: Parameters, rules: dict):
        self.x, self.p, self.bill_params = inputs, p, bill_params
        self.tip_key = rules["tip_perimeter"]
        self.val_key = rules["valorisation_perimeter"]
        self.cu_af = incentives.cu_af_eur_per_mwh(params=p)
        exempt = "ente_territoriale" in p["tip.f_exempt_holders"]
        self.tip_keep = 1.0 if exempt else 1.0 - incentives.f_factor(0.0, params=p)
        pz = inputs.price_eur_per_mwh
        self.tip_unit = [
            incentives.tip_full_eur_per_mwh(float(k), pz, "north", "pv", params=p) * self.tip_keep
            for k in inputs.kwp
        ]
        self.remaining = inputs.consumption_kwh.copy()  # after behind-the-meter self-consumption
        self.built: list[int] = []
        self.perimeter_of_roof = {
            "cabina_primaria": inputs.roof_area,
            "market_zone": inputs.roof_zone,
        }
        self.perimeter_of_point = {
            "cabina_primaria": np.asarray(inputs.point_area),
            "market_zone": np.asarray(inputs.point_zone),
        }
        self._withdrawal_cache: dict[tuple[str, str], np.ndarray] = {}
        self._own_cache: dict[int, float] = {}
        self._tip_state: dict[tuple[str, str], tuple] = {}
        self.cum_injection: dict[tuple[str, str], np.ndarray] = {}
        self.injections: dict[int, np.ndarray] = {}
        self.on_site_kwh: dict[int, np.ndarray] = {}

    # withdrawal of the Comune's points inside one perimeter, after on-site self-consumption
    def withdrawal(self, kind: str, key: str) -> np.ndarray:
        cached = self._withdrawal_cache.get((kind, key))
        if cached is None:
            mask = self.perimeter_of_point[kind] == key
            cached = self.remaining[mask].sum(axis=0)
            self._withdrawal_cache[(kind, key)] = cached
        return cached

    def on_site(self, i: int) -> np.ndarray:
        """Behind-the-meter self-consumption of roof i if built now [kWh per hour]."""
        host = self.x.host_point[i]
        if host < 0:
            return np.zeros_like(self.x.production_kwh[i])
        return np.minimum(self.x.production_kwh[i], self.remaining[host])

    def injection(self, i: int, on_site: np.ndarray) -> np.ndarray:
        return self.x.production_kwh[i] - on_site

    def own_money(self, i: int, on_site: np.ndarray, injection: np.ndarray) -> float:
        """RID + bill savings − GSE fee − O&M of roof i [€/yr] (do not depend on other plants)."""
        kw = float(self.x.kwp[i])
        pz = self.x.price_eur_per_mwh
        rid = market.rid_eur(injection, pz, kw, "pv", True, params=self.p)
        saving = bills.bill_savings_eur(
            on_site, "business", price_eur_per_mwh=pz, params=self.bill_params
        )
        fee = incentives.gse_fee_eur(kw, params=self.p)
        opex = kw * float(self.p["finance.opex_eur_per_kwp_year"])
        return rid + saving - fee - opex

    def _members(self, kind: str, key: str) -> list[int]:
        return [j for j in self.built if self.perimeter_of_roof[kind][j] == key]

    def _cumulative(self, kind: str, key: str) -> np.ndarray:
        found = self.cum_injection.get((kind, key))
        return found if found is not None else np.zeros_like(self.x.price_eur_per_mwh)

    def _area_state(self, kind: str, key: str):
        """Injection, injection of the earlier plants and unit TIP of the plants built in one
        perimeter, as (k, H) matrices in commissioning order, and their TIP money now."""
        state = self._tip_state.get((kind, key))
        if state is None:
            plants = self._members(kind, key)
            if plants:
                inj = np.vstack([self.injections[j] for j in plants])
                earlier = np.cumsum(inj, axis=0) - inj
                unit = np.vstack([self.tip_unit[j] for j in plants])
                shared = np.minimum(inj.sum(axis=0), self.withdrawal(kind, key))
                money = float(np.einsum("kh,kh->", np.clip(shared - earlier, 0.0, inj), unit))
                state = (inj, earlier, unit, money / 1000.0)
            else:
                state = (None, None, None, 0.0)
            self._tip_state[(kind, key)] = state
        return state

    def _tip_change_with_host(self, kind, key, i, inj_i, cum, wd_after) -> float:
        """TIP gained in a perimeter by building roof i, whose host point withdraws less.

        The earlier plants keep their order (GSE attribution, docs/rules.md §2.2) but share less
        withdrawal: each gets ``clip(shared − injection of the plants before it, 0, own)``
        (the cumulative form of :func:`cer_core.sharing.attribute`), roof i what is left.
        """
        inj, earlier, unit, before = self._area_state(kind, key)
        shared = np.minimum(cum + inj_i, wd_after)
        after = float(np.dot(np.clip(shared - cum, 0.0, inj_i), self.tip_unit[i]))
        if inj is not None:
            after += float(np.einsum("kh,kh->", np.clip(shared - earlier, 0.0, inj), unit))
        return after / 1000.0 - before

    def marginal(self, i: int) -> float:
        """Net €/year the portfolio gains by building roof i now (exact, built last).

        A roof without a supply point under it leaves the earlier plants' attributions as they
        are (it is served last), so its gain needs only the perimeter's running sums; a roof
        with one lowers that point's withdrawal, so its cabina-primaria area is recomputed.
        """
        on_site = self.on_site(i)
        inj_i = self.injection(i, on_site)
        host = self.x.host_point[i]
        if host < 0 and i in self._own_cache:
            gain = self._own_cache[i]
        else:
            gain = self.own_money(i, on_site, inj_i)
            if host < 0:
                self._own_cache[i] = gain
        for kind in {self.tip_key, self.val_key}:
            key = self.perimeter_of_roof[kind][i]
            wd = self.withdrawal(kind, key)
            cum = self._cumulative(kind, key)
            wd_after = wd - on_site if host >= 0 else wd
            if self.val_key == kind:
                before = np.minimum(cum, wd).sum()
                after = np.minimum(cum + inj_i, wd_after).sum()
                gain += self.cu_af * float(after - before) / 1000.0
            if self.tip_key == kind:
                if host < 0:
                    mine = np.clip(wd - cum, 0.0, inj_i)
                    gain += float(np.dot(mine, self.tip_unit[i])) / 1000.0
                else:
                    gain += self._tip_change_with_host(kind, key, i, inj_i, cum, wd_after)
        return gain

    def build(self, i: int) -> None:
        on_site = self.on_site(i)
        host = self.x.host_point[i]
        if host >= 0:
            self.remaining[host] -= on_site
            self._withdrawal_cache.clear()
        inj = self.injection(i, on_site)
        self._tip_state.clear()
        self.injections[i] = inj
        self.on_site_kwh[i] = on_site
        for kind in PERIMETERS:
            key = (kind, self.perimeter_of_roof[kind][i])
            self.cum_injection[key] = self._cumulative(*key) + inj
        self.built.append(i)

    def figures(self) -> list[PlantFigures]:
        """Per-plant figures of the portfolio as built (attribution by commissioning order)."""
        x, p = self.x, self.p
        shared_by = {}
        for kind in PERIMETERS:
            for key in {self.perimeter_of_roof[kind][j] for j in self.built}:
                plants = self._members(kind, key)
                inj = np.vstack([self.injections[j] for j in plants])
                shared = np.minimum(inj.sum(axis=0), self.withdrawal(kind, key))
                per_plant = attribute(shared, inj, np.arange(len(plants)))
                for n, j in enumerate(plants):
                    shared_by[(kind, j)] = per_plant[n]
        horizon = int(p["tip.duration_years"])
        degradation = finance.degradation_factors(horizon, float(p["finance.degradation_per_year"]))
        out = []
        for j in self.built:
            kw = float(x.kwp[j])
            inj = self.injections[j]
            incentivised = shared_by[(self.tip_key, j)]
            at_distance = shared_by[(self.val_key, j)]
            tip_money = float(np.dot(shared_by[(self.tip_key, j)], self.tip_unit[j])) / 1000.0
            val_money = self.cu_af * float(at_distance.sum()) / 1000.0
            rid = market.rid_eur(inj, x.price_eur_per_mwh, kw, "pv", True, params=p)
            saving = bills.bill_savings_eur(
                self.on_site_kwh[j], "business", price_eur_per_mwh=x.price_eur_per_mwh,
                params=self.bill_params,
            )  # fmt: skip
            fee = incentives.gse_fee_eur(kw, params=p)
            opex = kw * float(p["finance.opex_eur_per_kwp_year"])
            energy_money = tip_money + val_money + rid + saving
            net = energy_money - fee - opex
            flows = np.concatenate(
                [[-float(x.capex_eur[j])], energy_money * degradation - fee - opex]
            )
            out.append(
                PlantFigures(
                    roof_id=x.roof_ids[j],
                    name=x.roof_names[j],
                    area_code=x.roof_area[j],
                    kwp=kw,
                    capex_eur=float(x.capex_eur[j]),
                    production_kwh=float(x.production_kwh[j].sum()),
                    self_consumed_on_site_kwh=float(self.on_site_kwh[j].sum()),
                    injection_kwh=float(inj.sum()),
                    shared_at_distance_kwh=float(at_distance.sum()),
                    incentivised_kwh=float(incentivised.sum()),
                    surplus_kwh=float(inj.sum() - at_distance.sum()),
                    tip_eur=tip_money,
                    valorisation_eur=val_money,
                    rid_eur=rid,
                    bill_savings_eur=saving,
                    gse_fee_eur=fee,
                    opex_eur=opex,
                    net_eur_per_year=net,
                    payback_years=finance.payback_years(flows),
                )
            )
        return out


def aid_rules(p: Parameters) -> dict:
    """The perimeters and values the planner uses, for display and JSON output."""
    tip_perimeter = choice("aid.tip_perimeter", p["aid.tip_perimeter"], PERIMETERS)
    val_perimeter = choice(
        "aid.valorisation_perimeter", p["aid.valorisation_perimeter"], PERIMETERS
    )
    return {
        "tip_perimeter": tip_perimeter,
        "valorisation_perimeter": val_perimeter,
        "cu_af_eur_per_mwh": incentives.cu_af_eur_per_mwh(params=p),
        "f_exempt_ente_territoriale": "ente_territoriale" in p["tip.f_exempt_holders"],
        "host_vat_recoverable": bool(p["aid.host_vat_recoverable"]),
        "opex_eur_per_kwp_year": float(p["finance.opex_eur_per_kwp_year"]),
        "parameters_year": p.year,
        "sources": "docs/rules.md §1, §2.1-2.3, §3, §5, §6.1, §7, §8",
    }


def plan_roofs(
    inputs: PlanInputs,
    budget_eur: float | None = None,
    budget_kwp: float | None = None,
    objective: str = "per_eur",
    params: Parameters | None = None,
) -> RoofPlan:
    """Greedy order of construction of the Comune's roofs under AID, within a budget.

    Parameters
    ----------
    inputs : PlanInputs
        Hourly production, consumption and prices (see :func:`build_inputs` for files).
    budget_eur : float, optional
        Cap on the total capex [€] (None: no cap).
    budget_kwp : float, optional
        Cap on the total peak power [kWp] (None: no cap).
    objective : {"per_eur", "per_kwp"}
        Greedy score: marginal €/year per € of capex, or per kWp.
    params : Parameters, optional
        Default: :data:`DEFAULT_PARAMETERS_YEAR`.

    Returns
    -------
    RoofPlan
    """
    choice("objective", objective, OBJECTIVES)
    cap_eur = (
        np.inf if budget_eur is None else number("budget_eur", budget_eur, 0.0, 1e9, unit=" €")
    )
    cap_kwp = (
        np.inf if budget_kwp is None else number("budget_kwp", budget_kwp, 0.0, 1e6, unit=" kWp")
    )
    p = params if params is not None else load_parameters(DEFAULT_PARAMETERS_YEAR)
    rules = aid_rules(p)
    bill_params = load_parameters(
        p.year,
        {
            **{n: p[n] for n in p.overridden},
            "bills.business.vat_recoverable": rules["host_vat_recoverable"],
        },
    )
    book = _Portfolio(inputs, p, bill_params, rules)
    left = list(range(len(inputs.roof_ids)))
    steps: list[Step] = []
    spent_eur = spent_kwp = total = 0.0
    left_out: list[dict] = []
    while left:
        fits = [
            i
            for i in left
            if spent_eur + inputs.capex_eur[i] <= cap_eur + 1e-9
            and spent_kwp + inputs.kwp[i] <= cap_kwp + 1e-9
        ]
        for i in [i for i in left if i not in fits]:
            left_out.append(_left(inputs, i, "budget", None))
        left = fits
        if not left:
            break
        gains = {i: book.marginal(i) for i in left}
        scale = inputs.capex_eur if objective == "per_eur" else inputs.kwp
        best = max(left, key=lambda i: (gains[i] / scale[i], -i))
        if gains[best] <= 0:
            left_out.extend(_left(inputs, i, "no_value", gains[i]) for i in left)
            break
        book.build(best)
        left.remove(best)
        spent_eur += float(inputs.capex_eur[best])
        spent_kwp += float(inputs.kwp[best])
        total += gains[best]
        steps.append(
            Step(
                rank=len(steps) + 1,
                roof_id=inputs.roof_ids[best],
                name=inputs.roof_names[best],
                area_code=inputs.roof_area[best],
                kwp=float(inputs.kwp[best]),
                capex_eur=float(inputs.capex_eur[best]),
                marginal_eur_per_year=gains[best],
                marginal_score=gains[best] / float(scale[best]),
                cumulative_kwp=spent_kwp,
                cumulative_capex_eur=spent_eur,
                cumulative_eur_per_year=total,
            )
        )
    return RoofPlan(
        steps=tuple(steps),
        plants=tuple(book.figures()),
        left_out=tuple(left_out),
        total_eur_per_year=total,
        rules=rules,
    )


def _left(inputs: PlanInputs, i: int, reason: str, gain: float | None) -> dict:
    return {
        "roof_id": inputs.roof_ids[i],
        "name": inputs.roof_names[i],
        "reason": reason,
        "marginal_eur_per_year": None if gain is None else round(gain, 2),
    }


def portfolio_value_eur(
    inputs: PlanInputs, order: Sequence[int], params: Parameters | None = None
) -> float:
    """Net €/year of a portfolio built in ``order`` (sum of its plants' figures)."""
    p = params if params is not None else load_parameters(DEFAULT_PARAMETERS_YEAR)
    rules = aid_rules(p)
    bill_params = load_parameters(
        p.year,
        {
            **{n: p[n] for n in p.overridden},
            "bills.business.vat_recoverable": rules["host_vat_recoverable"],
        },
    )
    book = _Portfolio(inputs, p, bill_params, rules)
    for i in order:
        book.build(int(i))
    return float(sum(f.net_eur_per_year for f in book.figures()))
