"""Estimated cabina-primaria area for any Milan point, from GSE's area codes and area centres.

GSE's area polygons are not held offline; only each area's code and the centre point (centroid)
of its polygon are. The estimate is the **nearest area centre** among the areas of Milan's
distributor (Unareti, codes ``AC012E…``), with an honest confidence:

* ``clear`` — the point is at least :data:`CLEAR_MARGIN_M` inside the nearest centre's cell of
  the Voronoi diagram of the centres ("probabilmente AC012E00013");
* ``between`` — closer than that to a cell edge: every centre within the margin is a candidate
  ("tra AC012E00013 e AC012E00007");
* ``disputed`` — the point lies in a pilot configuration's reference area whose GSE code is
  inferred from the Comune's numbering (``data/configurations.toml``) and the nearest centre
  disagrees with it: both are shown, neither is preferred.

Centroids of irregular areas can fall far from where the area's members are, and areas are large
(centres 1-4 km from the districts they serve), so the estimate is never presented as the answer:
only the POD check on GSE's map is. See ``docs/geo.md`` for the validation.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import numpy as np

from cer_core.geo import layers
from cer_core.geo.areas import to_metric

#: Name of the method, in every estimate.
METHOD = "nearest_area_centre"
#: Distance inside the nearest centre's Voronoi cell from which the estimate is "clear" [m].
CLEAR_MARGIN_M = 500.0
#: At most this many candidate codes are shown.
MAX_CANDIDATES = 3
#: Licence of GSE's area codes as shipped here.
LICENCE = "CC BY-NC-SA 3.0 (GSE, aree convenzionali, as redistributed by ondata)"


@dataclass(frozen=True)
class AreaCandidate:
    """A candidate area: GSE ``code`` and the distance to its centre [m]."""

    code: str
    distance_m: float


@dataclass(frozen=True)
class AreaEstimate:
    """An estimated GSE area (never official).

    Attributes
    ----------
    code : str
        The most likely code (nearest centre).
    confidence : str
        ``clear``, ``between`` or ``disputed`` (see the module docstring).
    candidates : tuple of AreaCandidate
        The codes in play, most likely first (one when ``clear``).
    margin_m : float
        Distance from the point to the nearest edge of its Voronoi cell [m].
    inferred_code : str or None
        The GSE code inferred (awaiting confirmation) for the pilot configuration whose reference
        area holds the point, or whose inferred code equals ``code``.
    inferred_configuration : str or None
        That configuration's id.
    method : str
        :data:`METHOD`.
    official : bool
        Always False.
    """

    code: str
    confidence: str
    candidates: tuple[AreaCandidate, ...]
    margin_m: float
    inferred_code: str | None
    inferred_configuration: str | None
    method: str = METHOD
    official: bool = False

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.candidates)

    def to_dict(self) -> dict:
        """JSON-ready dictionary (the CLI's ``area_estimate``)."""
        out = asdict(self)
        out["candidates"] = [asdict(c) for c in self.candidates]
        out["licence"] = LICENCE
        return out


class AreaEstimator:
    """Nearest-area-centre estimates (build once per process).

    Parameters
    ----------
    centres : DataFrame
        ``code``, ``lat``, ``lon`` [deg], ``milan_distributor`` (see
        :func:`cer_core.geo.layers.load_area_centres`).
    inferred : dict
        Configuration id → inferred GSE code (awaiting confirmation).
    """

    def __init__(self, centres, inferred: dict[str, str]):
        own = centres[centres["milan_distributor"].astype(bool)].reset_index(drop=True)
        self.codes = own["code"].tolist()
        x, y = to_metric(own["lon"].to_numpy(float), own["lat"].to_numpy(float))
        self._xy = np.column_stack([x, y])
        self._latlon = own[["lat", "lon"]].to_numpy(float)
        self._inferred = dict(inferred)
        self._configuration_of = {code: config for config, code in self._inferred.items()}

    def estimate(self, lat: float, lon: float, configuration: str | None = None) -> AreaEstimate:
        """Estimated area at ``(lat, lon)`` [deg].

        ``configuration`` is the pilot configuration whose reference area holds the point (from
        the areas layer), if any: its inferred code then either agrees or makes it ``disputed``.
        """
        x, y = to_metric(lon, lat)
        point = np.array([float(x), float(y)])
        distance = np.hypot(*(self._xy - point).T)
        order = np.argsort(distance)
        nearest = int(order[0])
        # distance to the bisector with each other centre = distance to that Voronoi edge
        gap = np.hypot(*(self._xy - self._xy[nearest]).T)
        with np.errstate(divide="ignore", invalid="ignore"):
            edge = (distance**2 - distance[nearest] ** 2) / (2 * gap)
        edge[nearest] = np.inf
        margin = float(edge.min())
        near_edges = [int(i) for i in order[1:] if edge[i] < CLEAR_MARGIN_M]
        chosen = [nearest, *near_edges][:MAX_CANDIDATES]
        confidence = "clear" if margin >= CLEAR_MARGIN_M else "between"
        code = self.codes[nearest]
        inferred_code = self._inferred.get(configuration) if configuration else None
        inferred_configuration = configuration if inferred_code else None
        if inferred_code and inferred_code != code:
            confidence = "disputed"
            if inferred_code in self.codes:
                chosen = [nearest, self.codes.index(inferred_code)]
        elif not inferred_code and code in self._configuration_of:
            inferred_code, inferred_configuration = code, self._configuration_of[code]
        candidates = tuple(
            AreaCandidate(self.codes[i], round(float(distance[i]), 0)) for i in chosen
        )
        return AreaEstimate(
            code=code,
            confidence=confidence,
            candidates=candidates,
            margin_m=round(margin, 0),
            inferred_code=inferred_code,
            inferred_configuration=inferred_configuration,
        )

    def centre(self, code: str) -> tuple[float, float] | None:
        """(lat, lon) [deg] of an area's centre, None when unknown."""
        if code not in self.codes:
            return None
        lat, lon = self._latlon[self.codes.index(code)]
        return float(lat), float(lon)


def describe_estimate(estimate: AreaEstimate) -> str:
    """Plain-English one-liner: "probably AC012E00013", "between AC012E00013 and AC012E00007"."""
    if estimate.confidence == "clear":
        text = f"probably {estimate.code}"
    else:
        codes = estimate.codes
        text = "between " + ", ".join(codes[:-1]) + f" and {codes[-1]}"
    if estimate.inferred_configuration:
        text += (
            f" ({estimate.inferred_code} is the code inferred for configuration "
            f"{estimate.inferred_configuration}, awaiting confirmation)"
        )
    return text + f" [{estimate.method}, {estimate.confidence}]"


@cache
def default_estimator() -> AreaEstimator:
    """The process-wide estimator over ``data/geo/area_centres.parquet`` and the inferred codes
    of ``data/configurations.toml``."""
    from cer_core.configurations import load_configurations

    inferred = {
        c.id: c.gse_area_code_inferred
        for c in load_configurations()
        if c.gse_area_code_inferred and not c.gse_area_code
    }
    return AreaEstimator(layers.load_area_centres(), inferred)
