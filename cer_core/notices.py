"""Codes, not sentences: what the engine tells a user, as a code with values.

The engine's warnings, a plant's eligibility reasons and the weather and price source labels are
:class:`Notice` objects: a code (the key of :data:`ENGLISH` here and of ``engine.<code>`` in the
app's catalogues ``app/locales/{it,en}/engine.toml``) and the values to fill in. A notice *is* its
English sentence (a ``str``), so the command line, the JSON summary and the logs read as before;
the pages translate ``notice.code`` with ``notice.values`` into the page's language
(``app/components/engine_text.py``). ``tests/app/test_i18n.py`` checks that every code here has a
key with the same placeholders in both languages.

Values are plain numbers and texts (dates as ISO ``YYYY-MM-DD``), or other notices (a plant's
reason inside a warning). Names follow the project's units rule: ``_eur``, ``_kw``, ``share``
(a fraction 0-1), ``date``.

Examples
--------
>>> n = notice("below_community_min_kw", min_kw=10.0)
>>> str(n), n.code, n.values
('community rule: plants below 10 kW do not join', 'below_community_min_kw', {'min_kw': 10.0})
"""

from __future__ import annotations

from collections.abc import Mapping

ENGLISH: dict[str, str] = {
    # eligibility of a plant (incentives.check_eligibility; docs/rules.md §3.4, §9)
    "below_community_min_kw": "community rule: plants below {min_kw:g} kW do not join",
    "before_first_commissioning_date": "national rule: commissioned before {date} (no TIP)",
    "after_access_deadline": "national rule: commissioned after the {date} deadline",
    "before_cer_constitution": (
        "national rule: commissioned before the CER was constituted ({date}) (DM 414 art. 3)"
    ),
    "grant_not_cumulable": (
        "grant + tax deduction counted as grant = {grant_share:.0%} > {limit_share:.0%}: TIP not "
        "cumulable (parameter finance.deduction_counts_as_grant)"
    ),
    # warnings of a simulation
    "plant_reason": "{plant}: {reason}",
    "f_exempt_split": ("F-factor exemption split: {mode} (not prescribed, docs/rules.md §14.2)"),
    "deduction_with_tip_unconfirmed": (
        "tax deduction combined with the TIP without F: unconfirmed under DM 414 "
        "(docs/rules.md §8, §14.6)"
    ),
    "excess_tip": (
        "{excess_eur:,.2f} € of TIP exceed the 55 %/45 % threshold: it may go only to "
        "non-business consumers or social purposes (docs/rules.md §4)"
    ),
    "extrapolated_parameters": "values extrapolated from an earlier year: {names}",
    "economics_year1_scaled": (
        "economics: year-1 hourly results scaled by production degradation; real prices constant"
    ),
    "commissioned_after_year": (
        "{plant}: commissioned in {commissioning_year}, after the settlement year {year}; "
        "simulated as operating the whole year"
    ),
    "commissioned_during_year": (
        "{plant}: commissioned on {date}, during the settlement year {year}, but simulated as "
        "operating the whole year: {before_share:.0%} of that year's modelled production falls "
        "before the date (set prorate_first_year = true to count only the hours from it)"
    ),
    "first_year_prorated": (
        "{plant}: commissioned on {date}: the settlement year {year} counts only the hours from "
        "that date ({before_share:.0%} of a full year's production left out); the economics "
        "count full years after it"
    ),
    "cer_constitution_from_parameter": (
        "CER constitution date not given: {date} (parameter community.constitution_date, "
        "CER.ca.MI) used for the DM 414 art. 3 check"
    ),
    "cer_constitution_check_off": (
        "the DM 414 art. 3 check (plants commissioned after the CER was constituted) is off"
    ),
    "pmg_off": (
        "RID at hourly zonal prices only: the minimum guaranteed prices are switched off "
        "(parameter rid.apply_pmg)"
    ),
    "weather_online_unavailable": (
        "PVGIS online TMY for {latitude:.2f} N {longitude:.2f} E unavailable ({reason}); "
        "using the embedded PVGIS TMY for 45.0 N 8.0 E."
    ),
    # where the weather and the prices come from
    "weather_embedded_milan": (
        "PVGIS TMY {tmy_latitude:.1f} N {tmy_longitude:.1f} E (stand-in for Milan)"
    ),
    "weather_embedded_site": (
        "PVGIS TMY {tmy_latitude:.1f} N {tmy_longitude:.1f} E (stand-in for {latitude:.2f} N "
        "{longitude:.2f} E)"
    ),
    "weather_online": "PVGIS TMY {latitude:.2f} N {longitude:.2f} E",
    "weather_series_given": "plant production series given",
    "source_with_note": "{source} — {note}",
    "prices_gme": "GME MGP hourly NORD {price_year}",
    "prices_own_csv": "own hourly price series (CSV)",
    "prices_scaled": "{source}, scaled to a mean of {mean_eur_per_mwh:g} €/MWh",
}
"""English template of every code (``str.format`` with the notice's values)."""


class Notice(str):
    """An English sentence that also carries its ``code`` and ``values`` (see the module)."""

    code: str
    values: dict

    def __new__(cls, code: str, values: Mapping | None = None) -> Notice:
        values = dict(values or {})
        text = ENGLISH[code].format(**values)
        self = super().__new__(cls, text)
        self.code = code
        self.values = values
        return self

    def __reduce__(self):
        return (Notice, (self.code, self.values))

    def as_dict(self) -> dict:
        """``{"code", "values", "text"}``, nested notices as dicts too (JSON-friendly)."""
        return {
            "code": self.code,
            "values": {
                k: (v.as_dict() if isinstance(v, Notice) else v) for k, v in self.values.items()
            },
            "text": str(self),
        }


def notice(code: str, **values) -> Notice:
    """The notice ``code`` with ``values`` (raises ``KeyError`` for an unknown code)."""
    return Notice(code, values)


def codes_of(notices) -> list[dict]:
    """The JSON form (:meth:`Notice.as_dict`) of each notice; plain texts as ``{"text"}``."""
    return [n.as_dict() if isinstance(n, Notice) else {"text": str(n)} for n in notices]
