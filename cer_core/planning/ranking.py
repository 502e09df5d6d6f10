"""Re-weightable ranking of the GSE areas for the Municipi's "Fase 1" (where to look first).

Each criterion is rescaled to 0-1 across the areas shown (min-max: the lowest area 0, the highest
1; all equal → 0) and the score is the weighted mean of the rescaled criteria, ×100. Weights are
the staff's choice (sliders); a weight of 0 leaves a criterion out. Every criterion points the
same way: a higher value means "look here sooner".

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"area_code": ["A", "B"], "residents": [100, 300],
...                   "one_person_share": [0.6, 0.4], "heat_exposure_mean": [0.5, 0.5],
...                   "schools": [2, 0], "configuration": ["x", ""]})
>>> rank_areas(t, {"residents": 1, "one_person_share": 1})[["area_code", "score"]].values.tolist()
[['A', 50.0], ['B', 50.0]]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from cer_core.errors import InputError
from cer_core.validation import number

CRITERIA = {
    "residents": "residents",
    "one_person_share": "one_person_share",
    "heat_exposure": "heat_exposure_mean",
    "public_roofs": "schools",
    "not_served": None,  # 1 when no configuration serves the area yet
}
"""Criterion → column of the area table (``not_served`` is derived from ``configuration``)."""

DEFAULT_WEIGHTS = {
    "residents": 1.0,
    "one_person_share": 1.0,
    "heat_exposure": 1.0,
    "public_roofs": 1.0,
    "not_served": 1.0,
}
MAX_WEIGHT = 10.0


def check_weights(weights: Mapping[str, float]) -> dict[str, float]:
    """Weights as floats 0-10, names from :data:`CRITERIA`, at least one above 0."""
    out = {}
    for name, value in weights.items():
        if name not in CRITERIA:
            raise InputError(
                f"weights.{name}", f"unknown criterion; use {', '.join(CRITERIA)}", "choice"
            )
        out[name] = number(f"weights.{name}", value, 0.0, MAX_WEIGHT)
    if not any(v > 0 for v in out.values()):
        raise InputError("weights", "at least one weight must be above 0", "all_zero")
    return out


def _rescaled(values: pd.Series) -> pd.Series:
    v = values.astype(float)
    low, high = v.min(), v.max()
    if not np.isfinite(low) or high - low <= 0:
        return pd.Series(0.0, index=values.index)
    return (v - low) / (high - low)


def rank_areas(table: pd.DataFrame, weights: Mapping[str, float] | None = None) -> pd.DataFrame:
    """Areas sorted by weighted score (best first).

    Parameters
    ----------
    table : pandas.DataFrame
        One row per area with ``area_code`` and the columns named in :data:`CRITERIA`
        (``configuration`` empty when no configuration serves the area).
    weights : mapping, optional
        ``{criterion: weight 0-10}``; missing criteria weigh 0. Default :data:`DEFAULT_WEIGHTS`.

    Returns
    -------
    pandas.DataFrame
        The input columns plus ``<criterion>_0to1`` for each weighted criterion, ``score``
        (0-100, 1 decimal) and ``rank`` (1 = look here first; ties share the rank).
    """
    w = check_weights(DEFAULT_WEIGHTS if weights is None else weights)
    out = table.copy()
    total = sum(w.values())
    score = pd.Series(0.0, index=out.index)
    for name, weight in w.items():
        if weight == 0:
            continue
        column = CRITERIA[name]
        if column is None:
            raw = (out["configuration"].fillna("").astype(str).str.strip() == "").astype(float)
        else:
            if column not in out.columns:
                raise InputError(f"weights.{name}", f"the area table has no column {column!r}")
            raw = out[column].fillna(out[column].min())
        out[f"{name}_0to1"] = _rescaled(raw).round(4)
        score += weight * out[f"{name}_0to1"]
    out["score"] = (100.0 * score / total).round(1)
    out["rank"] = out["score"].rank(method="min", ascending=False).astype(int)
    return out.sort_values(["rank", "area_code"]).reset_index(drop=True)
