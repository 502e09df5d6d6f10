"""``locate``: a Milan address (or a clicked point) → coordinates, cabina-primaria area, NIL,
Municipio and the configuration serving it. Used by the map page, the calculator page
(``?indirizzo=``) and the command line (``python -m cer_core.geo locate ...``).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace

from cer_core.geo.areas import AreaHit, AreaIndex, default_index
from cer_core.geo.estimate import AreaEstimate, AreaEstimator, default_estimator
from cer_core.geo.gazetteer import Gazetteer, GazetteerHit, LocationNotFound
from cer_core.geo.geocode import OnlineHit, geocode, online_enabled
from cer_core.validation import number

#: Plain-English text of each warning code (the app translates the codes itself).
WARNING_TEXT = {
    "indicative_area": "Indicative area (not GSE's official polygon): check your POD on GSE's map.",
    "near_border": "Within 100 m of an area edge: only the POD check on GSE's map is decisive.",
    "area_estimated": "Estimated area (nearest GSE area centre, not GSE's polygon): check your "
    "POD on GSE's map.",
    "civic_not_found": "That civic number is not in the Comune's register: the position is the "
    "nearest civic number on the same side of the street.",
    "civic_missing": "No civic number: the position is a point in the middle of the street.",
    "street_spans_municipi": "This street crosses more than one Municipio: add the civic number.",
    "street_type_differs": "The street type differs from the one typed (e.g. 'via' for 'viale').",
    "name_corrected": "The street name was corrected: check it is the one you meant.",
    "place_centroid": "Neighbourhood name: the position is a point inside it, not an address.",
    "online_geocoder": "Found online by OpenStreetMap Nominatim (© OpenStreetMap contributors).",
    "clicked_point": "Point chosen on the map.",
}

#: GSE's interactive map of the cabine primarie (where the POD check is done).
GSE_MAP_URL = (
    "https://www.gse.it/servizi-per-te/autoconsumo/mappa-interattiva-delle-cabine-primarie"
)


@dataclass(frozen=True)
class Match:
    """How the query was matched.

    Attributes
    ----------
    kind : str
        ``exact`` (street and civic number as typed), ``corrected`` (street name or type
        corrected, civic number found), ``nearest_number`` (civic number not in the register:
        the nearest on the same side), ``street_only`` (no civic number), ``place`` (NIL),
        ``nominatim`` (online) or ``point`` (coordinates / map click).
    label : str
        What was matched ("Via Francesco Rezzonico 6").
    score : float
        Name similarity [0-100] (100 for exact, points and online answers).
    source : str
        Publisher of the matched record.
    street : str
        The street (or place) matched, "" for points.
    civic : str
        The register's civic number at the point ("12A"), "" when none.
    requested_civic : str
        The civic number typed, "" when none.
    """

    kind: str
    label: str
    score: float
    source: str
    street: str = ""
    civic: str = ""
    requested_civic: str = ""


@dataclass(frozen=True)
class Location:
    """Where a query lands and what serves it.

    Attributes
    ----------
    query : str
        The query as received (for display, escape it).
    lat, lon : float
        WGS84 [deg].
    match : Match
        What was matched and how.
    cabina_code, cabina_name : str or None
        The area polygon at the point (None when no polygon is known offline there). Indicative
        areas (a pilot's reference NIL) have codes ``IND-CPnn``, never a GSE ``AC…`` code.
    official : bool
        True only for official GSE polygons.
    area_estimate : AreaEstimate or None
        The estimated GSE area (nearest area centre, with its confidence); None where an
        official polygon answers.
    civic : str or None
        The register's civic number at the point, None when the match has none.
    configuration : str or None
        Configuration id (``data/configurations.toml``) or None.
    municipio : int
        Municipio 1-9.
    nil : str
        NIL name; ``id_nil`` its number 1-88.
    near_border : bool
        Within 100 m of an area edge.
    warnings : tuple of str
        Codes, see :data:`WARNING_TEXT`.
    """

    query: str
    lat: float
    lon: float
    match: Match
    cabina_code: str | None
    cabina_name: str | None
    official: bool
    configuration: str | None
    municipio: int
    nil: str
    id_nil: int
    near_border: bool
    warnings: tuple[str, ...]
    area_estimate: AreaEstimate | None = None
    civic: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready dictionary (the CLI's ``--json`` output)."""
        out = asdict(self)
        out["area_estimate"] = self.area_estimate.to_dict() if self.area_estimate else None
        out["warnings"] = list(self.warnings)
        out["warning_text"] = [WARNING_TEXT.get(w, w) for w in self.warnings]
        return out


def _area_warnings(area: AreaHit) -> list[str]:
    warnings = []
    if area.area_code is not None and not area.official:
        warnings.append("indicative_area")
    if not area.official:
        warnings.append("area_estimated")
    if area.near_border:
        warnings.append("near_border")
    return warnings


def _build(
    query,
    lat,
    lon,
    match,
    area: AreaHit,
    extra,
    municipio=None,
    id_nil=None,
    estimator: AreaEstimator | None = None,
):
    if not area.inside_milan:
        raise LocationNotFound("outside_milan", "the point is outside the Comune di Milano")
    warnings = list(extra) + _area_warnings(area)
    estimate = None
    if not area.official:
        estimate = (estimator or default_estimator()).estimate(lat, lon, area.configuration)
    index = default_index() if id_nil is not None else None
    nil_name = area.nil
    if id_nil is not None and id_nil != area.id_nil and index is not None:
        nil_name = index.nil_name(id_nil) or area.nil
    return Location(
        query=query,
        lat=round(float(lat), 7),
        lon=round(float(lon), 7),
        match=match,
        cabina_code=area.area_code,
        cabina_name=area.area_name,
        official=area.official,
        configuration=area.configuration,
        municipio=int(municipio if municipio is not None else area.municipio),
        nil=str(nil_name),
        id_nil=int(id_nil if id_nil is not None else area.id_nil),
        near_border=area.near_border,
        warnings=tuple(dict.fromkeys(warnings)),
        area_estimate=estimate,
        civic=match.civic or None,
    )


def locate(
    query: str,
    online: bool = False,
    *,
    gazetteer: Gazetteer | None = None,
    index: AreaIndex | None = None,
    online_geocoder=None,
) -> Location:
    """Locate a Milan address.

    Parameters
    ----------
    query : str
        Free text, e.g. "Piazza Leonardo da Vinci 32", "v.le Monza 120", "Città Studi".
    online : bool
        Also ask Nominatim when the offline gazetteer has no confident answer.

    Raises
    ------
    LocationNotFound
        Empty, too long, not in Milan, or nothing matches; ``suggestions`` lists close names.
    """
    coordinates = parse_coordinates(query)
    if coordinates is not None:
        return replace(locate_point(*coordinates, index=index), query=query)
    hit = geocode(query, online=online, gazetteer=gazetteer, online_geocoder=online_geocoder)
    index = index or default_index()
    area = index.at(hit.lat, hit.lon)
    if isinstance(hit, OnlineHit):
        match = Match("nominatim", hit.label, 100.0, "OpenStreetMap Nominatim (ODbL)")
        return _build(query, hit.lat, hit.lon, match, area, ["online_geocoder"])
    assert isinstance(hit, GazetteerHit)
    match = Match(
        hit.kind, hit.label, hit.score, hit.source, hit.street, hit.civic, hit.requested_civic
    )
    return _build(query, hit.lat, hit.lon, match, area, hit.warnings, hit.municipio, hit.id_nil)


def lookup(query: str) -> Location:
    """The one address lookup of the app (map and calculator alike): :func:`locate` with the
    deployment's online setting (``CER_ONLINE_GEOCODER``) and the process-wide indexes.

    Raises
    ------
    LocationNotFound
        As :func:`locate`.
    """
    return locate(query, online=online_enabled())


_COORDINATES = re.compile(r"^\s*(-?\d{1,2}\.\d{2,9})\s*[,; ]\s*(-?\d{1,3}\.\d{2,9})\s*$")


def parse_coordinates(query: object) -> tuple[float, float] | None:
    """``"45.47919, 9.22633"`` → ``(45.47919, 9.22633)`` (lat, lon [deg]); None otherwise."""
    match = _COORDINATES.match(query) if isinstance(query, str) else None
    return (float(match.group(1)), float(match.group(2))) if match else None


def locate_point(lat: float, lon: float, *, index: AreaIndex | None = None) -> Location:
    """Locate a point (a map click): same answer as a search, without geocoding.

    Raises
    ------
    LocationNotFound
        When the point is outside Milan.
    """
    lat = number("lat", lat, -90.0, 90.0, unit="°")
    lon = number("lon", lon, -180.0, 180.0, unit="°")
    index = index or default_index()
    area = index.at(lat, lon)
    label = f"{lat:.5f}, {lon:.5f}"
    match = Match("point", label, 100.0, "map")
    if not area.inside_milan:
        raise LocationNotFound(
            "outside_milan", "the point is outside the Comune di Milano", field="point"
        )
    return _build(label, lat, lon, match, area, ["clicked_point"])
