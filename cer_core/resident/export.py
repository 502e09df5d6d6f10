"""CSV downloads of the estimate, safe to open in a spreadsheet."""

from __future__ import annotations

import pandas as pd

from cer_core.resident.estimation import ResidentEstimate

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Neutralise spreadsheet formula injection: text starting with = + - @ gets a ``'``."""
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def to_csv(frame: pd.DataFrame) -> str:
    """CSV text of a frame with every text cell (and header) neutralised by :func:`csv_safe`."""
    out = frame.copy()
    out.columns = [csv_safe(str(c)) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(csv_safe)
    return out.to_csv(index=True)


def hourly_csv(est: ResidentEstimate) -> str:
    """Hourly CSV (local time with UTC offset) of my energies and the zonal price."""
    frame = est.hourly.copy()
    frame.index = [ts.isoformat() for ts in frame.index]
    frame.index.name = "hour"
    return to_csv(frame.round(4))


def yearly_csv(est: ResidentEstimate) -> str:
    """Yearly CSV: cash flows of my plant, or the year-1 totals for a consumer."""
    if len(est.cash_flows):
        return to_csv(est.cash_flows.set_index("year").round(2))
    totals = pd.DataFrame(
        [
            {
                "year": est.inputs.year,
                "consumption_kwh": est.consumption_kwh,
                "shared_thanks_to_me_kwh": est.shared_thanks_to_me_kwh,
                "delta_net_incentives_eur": est.delta_net_incentives_eur,
                "solidarity_eur": est.solidarity_eur,
                "my_total_eur": est.my_total_eur,
            }
        ]
    ).set_index("year")
    return to_csv(totals.round(2))
