"""A resident's self-service estimate: join as a consumer, put PV on my roof, or host a plant.

Composed only from the engine (:mod:`cer_core.scenario`): the user is added to a documented
**reference configuration** of the chosen cabina primaria (``data/reference_configurations.toml``,
illustrative assumptions built from published figures, docs/rules.md §9) and the configuration is
simulated hour by hour without the user (once, reused) and the user is added to that run
(:func:`cer_core.scenario.marginal_effect`). The difference is "the energy shared in the
configuration thanks to me" (marginal effect) and the incentives it generates, split under the
configuration's allocation rule: the producers' share (``community.producer_share``, CER.ca.MI
20 % ⚠) to plant owners, the rest to the community's solidarity fund (CER.ca.MI does not
redistribute incentives to members, docs/rules.md §9).

Options (:data:`OPTIONS`):

* ``consumer``   — join as a consumer; the bill does not change (virtual model, docs/rules.md §7.4);
* ``pv``         — PV on my roof without joining (self-consumption + sale via RID, §6-§8);
* ``pv_join``    — PV on my roof and join; the plant joins the configuration only if it reaches
  the community's minimum (CER.ca.MI 10 kW ⚠), otherwise only my residual withdrawal counts;
* ``producer``   — host a larger plant for the configuration on its own connection (all
  production injected, no self-consumption); owner gets RID + producers' share.

Uncertainty: production ± :data:`PRODUCTION_BAND` (stated band, one embedded weather year) and
three price scenarios (:data:`PRICE_SCENARIOS`).

Modules (one idea each):

* :mod:`~cer_core.resident.inputs` — :class:`ResidentInputs` and the defaults per kind of user;
* :mod:`~cer_core.resident.references` — reference configurations (TOML);
* :mod:`~cer_core.resident.price_scenarios` — low / central / high prices;
* :mod:`~cer_core.resident.scenarios` — engine scenarios without the user, and the additions;
* :mod:`~cer_core.resident.reference_runs` — :class:`ReferenceRuns`, the base runs reused by
  every estimate (bounded cache);
* :mod:`~cer_core.resident.estimation` — :func:`estimate` (the marginal effect of the user on
  the base runs), :class:`ResidentEstimate`;
* :mod:`~cer_core.resident.notes` — notes for the user (codes);
* :mod:`~cer_core.resident.tables` — the hourly and yearly tables and their columns' units;
* :mod:`~cer_core.resident.export` — CSV downloads, for programs and for Italian spreadsheets.
"""

from cer_core.resident.estimation import (
    HOURLY_COLUMNS,
    PRODUCTION_BAND,
    SEASONS,
    ResidentEstimate,
    estimate,
)
from cer_core.resident.export import (
    csv_safe,
    dictionary_italian_csv,
    hourly_csv,
    hourly_italian_csv,
    to_csv,
    yearly_csv,
    yearly_italian_csv,
)
from cer_core.resident.inputs import (
    CLASS_MAX_KW,
    CUSTOMER_OF,
    DEFAULT_ANNUAL_KWH,
    HOLDER_OF,
    MAX_CAPEX_EUR,
    MAX_ROOF_AREA_M2,
    MAX_USER_KWP,
    ME,
    MY_PLANT,
    OPTIONS,
    POWER_TOLERANCE,
    PROFILE_OF,
    PV_SIZING,
    TAX_DEDUCTIONS,
    WHO,
    ResidentInputs,
)
from cer_core.resident.price_scenarios import PRICE_SCENARIO_NAMES, PRICE_SCENARIOS
from cer_core.resident.reference_runs import REFERENCE_RUNS_ENTRIES, ReferenceRuns
from cer_core.resident.references import (
    DEFAULT_REFERENCE,
    REFERENCE_FILE,
    ReferenceConfiguration,
    load_reference_configurations,
    reference_for,
)
from cer_core.resident.scenarios import (
    additions,
    alone_scenario,
    base_scenario,
    reference_scenario,
    user_scenario,
)

__all__ = [
    "CLASS_MAX_KW",
    "CUSTOMER_OF",
    "DEFAULT_ANNUAL_KWH",
    "DEFAULT_REFERENCE",
    "HOLDER_OF",
    "HOURLY_COLUMNS",
    "MAX_CAPEX_EUR",
    "MAX_ROOF_AREA_M2",
    "MAX_USER_KWP",
    "ME",
    "MY_PLANT",
    "OPTIONS",
    "POWER_TOLERANCE",
    "PRICE_SCENARIOS",
    "PRICE_SCENARIO_NAMES",
    "PRODUCTION_BAND",
    "PROFILE_OF",
    "PV_SIZING",
    "REFERENCE_FILE",
    "REFERENCE_RUNS_ENTRIES",
    "SEASONS",
    "TAX_DEDUCTIONS",
    "WHO",
    "ReferenceConfiguration",
    "ReferenceRuns",
    "ResidentEstimate",
    "ResidentInputs",
    "additions",
    "alone_scenario",
    "base_scenario",
    "csv_safe",
    "estimate",
    "hourly_csv",
    "hourly_italian_csv",
    "dictionary_italian_csv",
    "load_reference_configurations",
    "reference_for",
    "reference_scenario",
    "to_csv",
    "user_scenario",
    "yearly_csv",
    "yearly_italian_csv",
]
