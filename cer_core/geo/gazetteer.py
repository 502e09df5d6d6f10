"""Offline gazetteer: free-text Milan address → coordinates, forgiving the usual slips.

The gazetteer is a table of points (``data/geo/gazetteer.parquet``):

========== =====================================================================================
column     meaning
========== =====================================================================================
kind       ``address`` (street + civic number), ``street_point`` (a point on a street without
           civic number, e.g. a crossing) or ``place`` (a NIL neighbourhood, at a point inside it)
street_type canonical street type ("via", "viale", ...), "" for places
name       normalised name (see :func:`cer_core.geo.text.normalise_name`)
label      display label ("Via Rezzonico Francesco 6")
civic      civic number as a string ("6", "4b"), "" when none
lat, lon   WGS84 [deg]
municipio  the publisher's Municipio label (1-9) or <NA>
id_nil     the publisher's NIL label (1-88) or <NA>
source     publisher of the row
========== =====================================================================================

Matching forgives accents, case, abbreviations of the street type ("v.le", "p.za", "c.so",
"p.le", "l.go"), the Comune's inverted word order ("VIA REZZONICO FRANCESCO" = "via Francesco
Rezzonico"), missing civic numbers and typos (rapidfuzz similarity 0-100).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from cer_core.errors import InputError
from cer_core.geo.text import (
    civic_int,
    display_name,
    fold,
    normalise_name,
    parse_official_address,
    parse_query,
)

#: Longest query accepted [characters]; longer text is refused before any matching.
MAX_QUERY_CHARS = 200
#: Similarity at or above which a street name is accepted [0-100].
STREET_ACCEPT = 82.0
#: Similarity at or above which a place (NIL) name is accepted [0-100].
PLACE_ACCEPT = 88.0
#: Similarity above which a name is offered as a suggestion [0-100].
SUGGEST_FLOOR = 72.0
#: Penalty when the typed street type differs from the candidate's [score points].
TYPE_PENALTY = 6.0

GAZETTEER_COLUMNS = (
    "kind",
    "street_type",
    "name",
    "label",
    "civic",
    "lat",
    "lon",
    "municipio",
    "id_nil",
    "source",
)


class LocationNotFound(InputError):
    """Nothing in Milan matches the query.

    Attributes
    ----------
    reason : str
        ``empty``, ``too_long``, ``no_letters``, ``outside_milan``, ``no_match``.
    suggestions : tuple of str
        Close names from the gazetteer (may be empty).
    """

    def __init__(
        self,
        reason: str,
        message: str,
        suggestions: tuple[str, ...] = (),
        field: str = "indirizzo",
    ):
        self.reason = reason
        self.suggestions = tuple(suggestions)
        super().__init__(field, message)


@dataclass(frozen=True)
class GazetteerHit:
    """One gazetteer answer.

    Attributes
    ----------
    kind : str
        ``address_exact`` (street and civic number found), ``address_fuzzy`` (street found by
        similarity, civic number found), ``street`` (street found, civic number missing or not in
        the gazetteer: nearest known point), ``place`` (a NIL name: a point inside the NIL).
    label : str
        What was matched, for display.
    score : float
        Similarity of the name [0-100].
    lat, lon : float
        WGS84 [deg].
    municipio, id_nil : int or None
        The publisher's labels of the matched point (None for places and derived points).
    warnings : tuple of str
        Codes: ``civic_not_found``, ``civic_missing``, ``street_type_differs``, ``place_centroid``.
    source : str
        Publisher of the matched row.
    """

    kind: str
    label: str
    score: float
    lat: float
    lon: float
    municipio: int | None
    id_nil: int | None
    warnings: tuple[str, ...] = ()
    source: str = ""


@dataclass
class _Street:
    street_type: str
    name: str
    label: str
    civics: list[str] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    loose_rows: list[int] = field(default_factory=list)


def build_gazetteer_frame(addresses: pd.DataFrame, nil) -> pd.DataFrame:
    """Build the gazetteer table from official addresses and NIL polygons.

    Parameters
    ----------
    addresses : DataFrame
        Columns ``address`` (as the Comune writes it, "VIA REZZONICO FRANCESCO 6"), ``lat``,
        ``lon`` [deg], ``municipio``, ``id_nil`` (labels, may be missing) and ``source``.
    nil : GeoDataFrame
        NIL polygons with ``id_nil``, ``nil`` (official name), ``municipio``.

    Returns
    -------
    DataFrame
        Columns :data:`GAZETTEER_COLUMNS`, duplicates (same kind, street, civic) removed.
    """
    rows = []
    for rec in addresses.itertuples(index=False):
        street_type, name, civic, cross = parse_official_address(str(rec.address))
        if not name:
            continue
        head = str(rec.address).split("-")[0] if cross else str(rec.address)
        if civic and not cross:
            head = re.sub(r"\s+\d+\S*(\s*-\s*\d+\S*)?\s*$", "", str(rec.address))
        label = display_name(re.sub(r"\s+\d+\S*\s*$", "", head).strip())
        common = {
            "lat": float(rec.lat),
            "lon": float(rec.lon),
            "municipio": rec.municipio,
            "id_nil": rec.id_nil,
            "source": rec.source,
        }
        rows.append(
            {
                "kind": "address" if civic else "street_point",
                "street_type": street_type,
                "name": name,
                "label": f"{label} {civic}".strip() if civic else label,
                "civic": civic,
                **common,
            }
        )
        if cross:
            cross_type, _, cross_name = cross.partition(" ")
            tail = str(rec.address).split("-", 1)[1]
            rows.append(
                {
                    "kind": "street_point",
                    "street_type": cross_type,
                    "name": cross_name,
                    "label": display_name(re.sub(r"^\d+\S*\s*", "", tail).strip()),
                    "civic": "",
                    **common,
                }
            )
    for rec in nil.itertuples(index=False):
        point = rec.geometry.representative_point()
        official = str(rec.nil)
        names = {normalise_name(official)}
        names |= {normalise_name(part) for part in official.split(" - ") if part.strip()}
        for name in sorted(names):
            rows.append(
                {
                    "kind": "place",
                    "street_type": "",
                    "name": name,
                    "label": display_name(official),
                    "civic": "",
                    "lat": round(point.y, 7),
                    "lon": round(point.x, 7),
                    "municipio": pd.NA,
                    "id_nil": int(rec.id_nil),
                    "source": "Comune di Milano, ds964 NIL (PGT 2030)",
                }
            )
    frame = pd.DataFrame(rows, columns=list(GAZETTEER_COLUMNS))
    frame = frame.drop_duplicates(subset=["kind", "street_type", "name", "civic"], keep="first")
    frame["municipio"] = pd.array(frame["municipio"], dtype="Int64")
    frame["id_nil"] = pd.array(frame["id_nil"], dtype="Int64")
    return frame.reset_index(drop=True)


_STOP_WORDS = {
    "di",
    "da",
    "de",
    "del",
    "della",
    "delle",
    "dei",
    "degli",
    "dell",
    "la",
    "le",
    "lo",
    "il",
    "e",
    "d",
    "l",
    "al",
    "alla",
}


def _significant(name: str) -> list[str]:
    """Words of a normalised name that carry meaning (articles and prepositions dropped)."""
    return [w for w in name.split() if w not in _STOP_WORDS] or name.split()


def _int_or_none(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


class Gazetteer:
    """Fuzzy matcher over a gazetteer table (build once, query many times)."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)
        self._lat = self.frame["lat"].to_numpy(float)
        self._lon = self.frame["lon"].to_numpy(float)
        self._streets: dict[tuple[str, str], _Street] = {}
        self._places: dict[str, int] = {}
        for index, rec in enumerate(self.frame.itertuples(index=False)):
            if rec.kind == "place":
                self._places.setdefault(rec.name, index)
                continue
            key = (rec.street_type, rec.name)
            street = self._streets.get(key)
            if street is None:
                label = re.sub(r"\s+\d+\S*$", "", rec.label) if rec.civic else rec.label
                street = self._streets[key] = _Street(rec.street_type, rec.name, label)
            if rec.kind == "address":
                street.civics.append(rec.civic)
                street.numbers.append(civic_int(rec.civic) or 0)
                street.rows.append(index)
            else:
                street.loose_rows.append(index)
        self._street_keys = list(self._streets)
        self._street_names = [name for _, name in self._street_keys]
        self._place_names = list(self._places)
        # token index for word-by-word matching ("rezonico" finds "rezzonico francesco")
        tokens = [_significant(name) for name in self._street_names]
        self._vocab = sorted({t for words in tokens for t in words})
        position = {t: i for i, t in enumerate(self._vocab)}
        width = max((len(words) for words in tokens), default=1) or 1
        self._street_tokens = np.full((len(tokens), width), len(self._vocab), dtype=np.int32)
        for row, words in enumerate(tokens):
            self._street_tokens[row, : len(words)] = [position[t] for t in words]
        self._street_token_count = np.asarray([len(words) for words in tokens])

    # -- public -------------------------------------------------------------------------------

    def search(self, query: str) -> GazetteerHit:
        """Best match for ``query``.

        Raises
        ------
        LocationNotFound
            With a reason and suggestions when the query is empty, too long, has no letters,
            names a place outside Milan, or matches nothing well enough.
        """
        text = check_query(query)
        parsed = parse_query(text)
        if parsed.cap and not parsed.cap.startswith("201"):
            raise LocationNotFound(
                "outside_milan", f"postcode {parsed.cap} is not a Milan postcode (201xx)"
            )
        if parsed.other_place and not self._is_milan_place(parsed.other_place):
            raise LocationNotFound(
                "outside_milan", f"'{parsed.other_place}' is not Milan: this map covers Milan only"
            )
        if not parsed.name:
            raise LocationNotFound("no_match", "no street or place name in the query")
        if not parsed.street_type and not parsed.civic:
            place = self._match_place(parsed.name)
            if place is not None:
                return place
        hit = self._match_street(parsed)
        if hit is not None:
            return hit
        if not parsed.street_type:
            place = self._match_place(parsed.name)
            if place is not None:
                return place
        raise LocationNotFound(
            "no_match", "no Milan street or place matches", self.suggest(parsed.name)
        )

    def suggest(self, text: str, limit: int = 3) -> tuple[str, ...]:
        """Up to ``limit`` street or place labels that look like ``text``."""
        name = normalise_name(parse_query(text).name or text) if text else ""
        if not name:
            return ()
        found = process.extract(
            name, self._street_names, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST_FLOOR
        )
        found = [item for item in found if item[1] >= found[0][1] - 10] if found else []
        labels = [self._streets[self._street_keys[i]].label for _, _, i in found]
        places = process.extract(
            name, self._place_names, scorer=fuzz.WRatio, limit=1, score_cutoff=SUGGEST_FLOOR + 15
        )
        labels += [self.frame.at[self._places[p], "label"] for p, _, _ in places]
        return tuple(dict.fromkeys(labels))[:limit]

    def street_labels(self) -> list[str]:
        """Display labels of every street in the gazetteer."""
        return sorted({s.label for s in self._streets.values()})

    # -- internals ----------------------------------------------------------------------------

    def _is_milan_place(self, text: str) -> bool:
        name = normalise_name(text)
        found = process.extractOne(name, self._place_names, scorer=fuzz.ratio)
        return bool(found and found[1] >= PLACE_ACCEPT)

    def _match_place(self, name: str) -> GazetteerHit | None:
        found = process.extractOne(name, self._place_names, scorer=fuzz.ratio)
        if not found or found[1] < PLACE_ACCEPT:
            return None
        row = self._places[found[0]]
        rec = self.frame.iloc[row]
        return GazetteerHit(
            kind="place",
            label=rec.label,
            score=round(float(found[1]), 1),
            lat=float(rec.lat),
            lon=float(rec.lon),
            municipio=None,
            id_nil=_int_or_none(rec.id_nil),
            warnings=("place_centroid",),
            source=rec.source,
        )

    def _street_candidates(self, name: str, street_type: str) -> list[tuple[float, int]]:
        sort_scores = process.extract(
            name, self._street_names, scorer=fuzz.token_sort_ratio, limit=8, score_cutoff=50
        )
        set_scores = process.extract(
            name, self._street_names, scorer=fuzz.token_set_ratio, limit=8, score_cutoff=70
        )
        best: dict[int, float] = {}
        query_tokens = _significant(name)
        if query_tokens and self._vocab:
            sim = process.cdist(query_tokens, self._vocab, scorer=fuzz.ratio, dtype=np.float32)
            sim = np.hstack([sim, np.zeros((len(query_tokens), 1), np.float32)])  # padding
            per_token = sim[:, self._street_tokens].max(axis=2)  # (query tokens, streets)
            token_score = per_token.min(axis=0)
            token_score = np.where(
                self._street_token_count > len(query_tokens), 0.95 * token_score, token_score
            )
            for index in np.flatnonzero(token_score >= 70):
                best[int(index)] = float(token_score[index])
        for _, score, index in sort_scores:
            best[index] = max(best.get(index, 0.0), float(score))
        for _, score, index in set_scores:
            best[index] = max(best.get(index, 0.0), 0.95 * float(score))
        ranked = []
        for index, score in best.items():
            candidate_type = self._street_keys[index][0]
            if street_type and candidate_type != street_type:
                # "via" is what people type for any street: a smaller penalty
                score -= TYPE_PENALTY / 2 if street_type == "via" else TYPE_PENALTY
            ranked.append((score, index))
        size = {i: -len(self._streets[self._street_keys[i]].rows) for _, i in ranked}
        ranked.sort(key=lambda item: (-round(item[0], 1), size[item[1]], item[1]))
        return ranked

    def _match_street(self, parsed) -> GazetteerHit | None:
        ranked = self._street_candidates(parsed.name, parsed.street_type)
        if not ranked or ranked[0][0] < STREET_ACCEPT:
            return None
        score, index = ranked[0]
        street = self._streets[self._street_keys[index]]
        warnings = []
        if parsed.street_type and street.street_type != parsed.street_type:
            warnings.append("street_type_differs")
        exact_name = score >= 99.5
        if parsed.civic and street.rows:
            row, found_civic = self._civic_row(street, parsed.civic, parsed.civic_number)
            if found_civic:
                kind = "address_exact" if exact_name else "address_fuzzy"
                return self._hit(kind, row, score, warnings)
            warnings.append("civic_not_found")
            return self._hit("street", row, score, warnings, label=street.label)
        if parsed.civic:
            warnings.append("civic_not_found")
        else:
            warnings.append("civic_missing")
        rows = street.rows + street.loose_rows
        row = self._medoid(rows)
        return self._hit("street", row, score, warnings, label=street.label)

    def _civic_row(self, street: _Street, civic: str, number: int | None) -> tuple[int, bool]:
        civic_key = civic.replace("/", "").replace(" ", "")
        for i, known in enumerate(street.civics):
            if known.replace("/", "") == civic_key:
                return street.rows[i], True
        if number is not None:
            for i, known in enumerate(street.numbers):
                if known == number and not re.search(r"[a-z]", civic_key):
                    return street.rows[i], True
            numbers = np.asarray(street.numbers)
            same_side = (numbers % 2) == (number % 2)
            pool = np.flatnonzero(same_side) if same_side.any() else np.arange(len(numbers))
            nearest = pool[np.argmin(np.abs(numbers[pool] - number))]
            return street.rows[int(nearest)], False
        return street.rows[0], False

    def _medoid(self, rows: list[int]) -> int:
        if len(rows) <= 2:
            return rows[0]
        lat, lon = self._lat[rows], self._lon[rows]
        centre_lat, centre_lon = np.median(lat), np.median(lon)
        return rows[int(np.argmin((lat - centre_lat) ** 2 + (lon - centre_lon) ** 2))]

    def _hit(self, kind, row, score, warnings, label=None) -> GazetteerHit:
        rec = self.frame.iloc[row]
        exact_point = kind.startswith("address")
        return GazetteerHit(
            kind=kind,
            label=label or rec.label,
            score=round(float(score), 1),
            lat=float(rec.lat),
            lon=float(rec.lon),
            municipio=_int_or_none(rec.municipio) if exact_point else None,
            id_nil=_int_or_none(rec.id_nil) if exact_point else None,
            warnings=tuple(warnings),
            source=rec.source,
        )


def check_query(query: object) -> str:
    """Validate raw user text before matching; returns it stripped.

    Raises
    ------
    LocationNotFound
        ``empty`` (blank), ``too_long`` (over :data:`MAX_QUERY_CHARS`), ``no_letters`` (no
        letter at all, e.g. only emoji or digits).
    """
    text = query.strip() if isinstance(query, str) else ""
    if not text:
        raise LocationNotFound("empty", "type a Milan address, e.g. 'Via Padova 12'")
    if len(text) > MAX_QUERY_CHARS:
        raise LocationNotFound(
            "too_long", f"the address is {len(text)} characters long; at most {MAX_QUERY_CHARS}"
        )
    if not re.search(r"[a-z]", fold(text)):
        raise LocationNotFound("no_letters", "the query has no street or place name")
    return text
