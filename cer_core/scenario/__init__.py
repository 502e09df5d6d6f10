"""Scenarios: a configuration's plants and member groups → hour-by-hour energy and money.

A :class:`Scenario` (frozen dataclasses, or a TOML file read by :func:`load_scenario`, format in
``docs/scenario-format.md``) describes the site, the plants, the member groups (``count`` members
sharing one profile), the price series, parameter overrides and the economic horizon.
:func:`simulate` returns a :class:`Result` with hourly arrays, annual totals, a per-plant
breakdown and yearly cash flows; :func:`marginal_effect` answers "what does adding this member or
this plant change?" by reusing the base run's settled arrays, with the same functions.

Modules (one idea each):

* :mod:`~cer_core.scenario.inputs` — :class:`Plant`, :class:`MemberGroup`, :class:`Scenario`;
* :mod:`~cer_core.scenario.toml_reader` — :func:`load_scenario`, :func:`scenario_from_dict`;
* :mod:`~cer_core.scenario.hourly_inputs` — production, consumption and price series (bounded
  caches);
* :mod:`~cer_core.scenario.settlement` — hourly shared energy and incentive money, :class:`Money`;
* :mod:`~cer_core.scenario.investment` — capex, grants, tax deduction, owners' cash-flow totals;
* :mod:`~cer_core.scenario.simulation` — :func:`simulate` and its per-plant steps;
* :mod:`~cer_core.scenario.results` — :class:`Result`, :class:`PlantResult`;
* :mod:`~cer_core.scenario.marginal` — :func:`marginal_effect`, :class:`Marginal`.
"""

from cer_core.errors import InputError
from cer_core.scenario.hourly_inputs import member_consumption_kwh, plant_production_kwh
from cer_core.scenario.inputs import (
    CUSTOMERS,
    MILAN_LATITUDE,
    MILAN_LONGITUDE,
    TAX_DEDUCTION_CHOICES,
    MemberGroup,
    Plant,
    Scenario,
)
from cer_core.scenario.marginal import (
    AddedEnergy,
    Marginal,
    PlantFlows,
    added_energy,
    marginal_effect,
    marginal_money,
)
from cer_core.scenario.results import PlantResult, Result
from cer_core.scenario.settlement import Money
from cer_core.scenario.simulation import simulate
from cer_core.scenario.toml_reader import (
    MAX_MEMBER_GROUPS,
    MAX_PLANTS,
    MAX_TOML_BYTES,
    load_scenario,
    scenario_from_dict,
)

__all__ = [
    "CUSTOMERS",
    "AddedEnergy",
    "MAX_MEMBER_GROUPS",
    "MAX_PLANTS",
    "MAX_TOML_BYTES",
    "MILAN_LATITUDE",
    "MILAN_LONGITUDE",
    "TAX_DEDUCTION_CHOICES",
    "InputError",
    "Marginal",
    "MemberGroup",
    "Money",
    "Plant",
    "PlantFlows",
    "PlantResult",
    "Result",
    "Scenario",
    "added_energy",
    "load_scenario",
    "marginal_effect",
    "marginal_money",
    "member_consumption_kwh",
    "plant_production_kwh",
    "scenario_from_dict",
    "simulate",
]
