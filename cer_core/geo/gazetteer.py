"""Offline gazetteer: every civic number of Milan's register, matched forgivingly.

Two tables in ``data/geo/`` (built by ``scripts/build_gazetteer.py`` from the Comune di Milano's
civic-number register, CC BY 4.0):

``gazetteer_streets.parquet`` — one row per street (``kind = "street"``) or NIL neighbourhood
(``kind = "place"``): ``code`` (the Comune's CODICE_VIA), ``street_type`` ("via", "viale" …),
``label`` ("Via Pietro Borsieri"), ``names`` (normalised name forms, ``|``-separated: usual
order, the Comune's inverted order, ANNCSU form), ``start``/``stop`` (the street's rows in the
civic table), ``lat``/``lon``/``id_nil`` (places only).

``gazetteer_civici.parquet`` — one row per civic number, sorted by street then number:
``street`` (row of the street table), ``number``, ``letter`` ("", "a", "bis"), ``bar`` (the
"/1" of "72/1", 0 when none), ``lat``/``lon`` (WGS84 [deg], float32 ≈ 0.4 m), ``municipio``
(the Comune's own), ``residential``, ``cap`` (last three digits of the postcode, 0 unknown).

Matching forgives case, accents, apostrophes, abbreviations of the street type, a missing street
type, the Comune's inverted names, initials ("Via G. Verdi"), omitted first names, one or two
wrong letters per word, roman numerals and number words ("Corso 22 Marzo"), postcodes and
"Milano (MI)" tails. A hit says what was matched and how: ``exact``, ``corrected`` (spelling or
street type corrected), ``nearest_number`` (civic number not in the register: the nearest one
on the same side of the street), ``street_only`` (no civic number typed) or ``place``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from cer_core.errors import InputError
from cer_core.geo.text import (
    OTHER_TOWNS,
    civic_label,
    fold,
    normalise_name,
    parse_query,
)

#: Longest query accepted [characters]; longer text is refused before any matching.
MAX_QUERY_CHARS = 200
#: Similarity every typed word must reach with a word of the street's name [0-100]: two wrong
#: letters in a word of seven, one in a word of four.
WORD_ACCEPT = 70.0
#: A typed word counts as "found" in a name from this similarity on [0-100].
WORD_FOUND = 80.0
#: Similarity at or above which a place (NIL) name is accepted [0-100].
PLACE_ACCEPT = 88.0
#: Similarity of the whole name, for names typed without spaces ("leonardodavinci") [0-100].
WHOLE_ACCEPT = 88.0
#: Similarity above which a name is offered as a suggestion [0-100].
SUGGEST_FLOOR = 70.0
#: ... and, for a name shorter than what was typed, the whole-name similarity it must also reach
#: [0-100]: WRatio alone scores a short name matching a fragment of the query ("Lima" inside
#: "Inventatissima") as high as a typo of a real street. Longer names ("Porta Romana" for
#: "Roma") keep WRatio's partial match.
SUGGEST_WHOLE_FLOOR = 60.0
#: Ranking penalties [score points]: another street type than the one typed ("via" typed for a
#: "viale" costs half), a word of the name not typed (first names), an initial with no word.
TYPE_PENALTY = 6.0
EXTRA_WORD_PENALTY = 2.0
INITIAL_PENALTY = 15.0
#: Ranking penalty of a match found only by leaving a typed word out [score points].
WORD_DROPPED_PENALTY = 10.0
#: Ranking bonus when the street has the typed civic number / the typed postcode.
CIVIC_BONUS = 3.0
CAP_BONUS = 3.0

_STOP_WORDS = frozenset(
    "di da de del della delle dei degli dell la le lo il e d l al alla ai agli in".split()
)


class LocationNotFound(InputError):
    """Nothing in Milan matches the query.

    Attributes
    ----------
    reason : str
        ``empty``, ``too_long``, ``no_letters``, ``outside_milan``, ``town_name`` (a town that is
        not Milan, alone: "which one did you mean?"), ``no_match``.
    suggestions : tuple of str
        Real Milan street or place names close to the query (may be empty).
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
        ``exact``, ``corrected``, ``nearest_number``, ``street_only`` or ``place``.
    label : str
        What was matched, for display ("Via Pietro Borsieri 12A").
    street : str
        The street matched ("Via Pietro Borsieri"), or the place name.
    civic : str
        The register's civic number shown ("12A", "72/1"), "" when none.
    requested_civic : str
        The civic number as typed (normalised, "10"), "" when none.
    score : float
        Similarity of the name [0-100].
    lat, lon : float
        WGS84 [deg].
    municipio : int or None
        The register's Municipio of the civic number (None for streets and places).
    id_nil : int or None
        The NIL of a place (None otherwise: NIL comes from the polygon at the point).
    street_municipi : tuple of int
        Every Municipio the street's civic numbers lie in (street hits).
    warnings : tuple of str
        ``civic_not_found``, ``civic_missing``, ``street_type_differs``, ``name_corrected``,
        ``place_centroid``, ``street_spans_municipi``.
    source : str
        Publisher of the matched record.
    """

    kind: str
    label: str
    street: str
    civic: str
    requested_civic: str
    score: float
    lat: float
    lon: float
    municipio: int | None
    id_nil: int | None
    street_municipi: tuple[int, ...] = ()
    warnings: tuple[str, ...] = ()
    source: str = ""


SOURCE = "Comune di Milano, numeri civici (ds634, CC BY 4.0, 2020-03-02)"
PLACE_SOURCE = "Comune di Milano, NIL (ds964, CC BY 4.0)"


#: Words people add that a street's name may not have: titles and "fronte civico 6"-style notes.
_OPTIONAL_WORDS = frozenset(
    "fra frate don padre beato santo papa suor monsignore fronte angolo ang presso "
    "interno int scala piano".split()
)
#: Typed words this short must be spelled right (one slip in "Roma" makes "Rosa").
SHORT_WORD = 4


def _significant(words: list[str]) -> list[str]:
    """Words that carry meaning (articles and prepositions dropped)."""
    return [w for w in words if w not in _STOP_WORDS] or words


class Gazetteer:
    """Fuzzy matcher over the street and civic tables (build once, query many times).

    Parameters
    ----------
    streets, civici : DataFrame
        See the module docstring.
    """

    def __init__(self, streets: pd.DataFrame, civici: pd.DataFrame):
        streets = streets.reset_index(drop=True)
        is_street = streets["kind"].to_numpy() == "street"
        self._n_streets = int(is_street.sum())
        if not is_street[: self._n_streets].all():
            raise ValueError("gazetteer: street rows must come before place rows")
        self._types = streets["street_type"].tolist()
        self._labels = streets["label"].tolist()
        self._start = streets["start"].to_numpy(np.int64)
        self._stop = streets["stop"].to_numpy(np.int64)
        self._place_lat = streets["lat"].to_numpy(float)
        self._place_lon = streets["lon"].to_numpy(float)
        self._place_nil = streets["id_nil"].to_numpy(int)
        self.street_count = self._n_streets
        self.civic_count = len(civici)
        self._number = civici["number"].to_numpy(np.int32)
        self._letter = np.asarray(civici["letter"].astype(str))
        self._bar = civici["bar"].to_numpy(np.int32)
        self._lat = civici["lat"].to_numpy(np.float32)
        self._lon = civici["lon"].to_numpy(np.float32)
        self._municipio = civici["municipio"].to_numpy(np.int8)
        self._cap = civici["cap"].to_numpy(np.int16)
        self._sizes = self._stop - self._start

        # one entry per name form: the street it names and its significant words
        variant_street, variant_words, variant_text = [], [], []
        self._places: dict[str, int] = {}
        for row, names in enumerate(streets["names"]):
            for name in str(names).split("|"):
                if not name:
                    continue
                if row >= self._n_streets:
                    self._places.setdefault(name, row)
                    continue
                variant_street.append(row)
                variant_words.append(_significant(name.split()))
                variant_text.append(name)
        self._variant_street = np.asarray(variant_street, dtype=np.int32)
        self._variant_text = variant_text
        self._vocab = sorted({w for words in variant_words for w in words})
        position = self._vocab_index = {w: i for i, w in enumerate(self._vocab)}
        width = max(len(words) for words in variant_words)
        pad = len(self._vocab)
        self._variant_tokens = np.full((len(variant_words), width), pad, dtype=np.int32)
        for i, words in enumerate(variant_words):
            self._variant_tokens[i, : len(words)] = [position[w] for w in words]
        self._variant_len = np.asarray([len(w) for w in variant_words], dtype=np.int32)
        lengths = np.asarray([len(w) for w in self._vocab])
        self._by_length = np.argsort(lengths, kind="stable")
        self._length_sorted = lengths[self._by_length]
        self._vocab_by_length = [self._vocab[i] for i in self._by_length]
        # posting lists: vocabulary word → the name forms holding it
        owners = [[] for _ in self._vocab]
        for form, words in enumerate(variant_words):
            for word in set(words):
                owners[position[word]].append(form)
        self._postings = [np.asarray(o, dtype=np.int32) for o in owners]
        self._vocab_digit = np.asarray([w.isdigit() for w in self._vocab] + [False])
        self._vocab_first = np.asarray([w[0] for w in self._vocab] + [""])
        self._place_names = list(self._places)
        # streets by name, for suggestions and the town question
        self._street_names = [self._labels[s] for s in range(self._n_streets)]
        self._street_folded: list[set[str]] | None = None  # built on the first town question

    # -- public -------------------------------------------------------------------------------

    def search(self, query: str) -> GazetteerHit:
        """Best match for ``query``.

        Raises
        ------
        LocationNotFound
            With a reason and suggestions when the query is empty, too long, has no letters,
            names a place outside Milan or a town alone, or matches nothing well enough.
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
            if parsed.name in OTHER_TOWNS and parsed.name not in self._places:
                raise LocationNotFound(
                    "town_name",
                    f"'{parsed.name.title()}' is another town, not a Milan street: this map covers Milan only",
                    self._streets_named(parsed.name),
                )
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
        """Up to ``limit`` real street or place names that look like ``text``."""
        name = parse_query(text).name if text else ""
        if not name:
            return ()
        found = [
            item
            for item in process.extract(
                name, self._variant_text, scorer=fuzz.WRatio, limit=12, score_cutoff=SUGGEST_FLOOR
            )
            if len(item[0]) >= len(name)
            or max(fuzz.ratio(name, item[0]), fuzz.token_set_ratio(name, item[0]))
            >= SUGGEST_WHOLE_FLOOR
        ]
        labels = []
        if found:
            top = found[0][1]
            ranked = sorted(
                (item for item in found if item[1] >= top - 8),
                key=lambda item: (-item[1], -self._sizes[self._variant_street[item[2]]]),
            )
            labels = [self._labels[self._variant_street[i]] for _, _, i in ranked]
        places = process.extract(
            name, self._place_names, scorer=fuzz.WRatio, limit=1, score_cutoff=SUGGEST_FLOOR + 15
        )
        labels += [self._labels[self._places[p]] for p, _, _ in places]
        return tuple(dict.fromkeys(labels))[:limit]

    def street_labels(self) -> list[str]:
        """Display labels of every street in the gazetteer."""
        return sorted(set(self._street_names))

    def civic_points(self) -> pd.DataFrame:
        """Every civic number's point (``lat``, ``lon`` [deg]) and register ``municipio``."""
        return pd.DataFrame(
            {
                "lat": self._lat.astype(float),
                "lon": self._lon.astype(float),
                "municipio": self._municipio,
            }
        )

    # -- internals ----------------------------------------------------------------------------

    def _streets_named(self, name: str) -> tuple[str, ...]:
        if self._street_folded is None:
            self._street_folded = [set(normalise_name(x).split()) for x in self._street_names]
        words = set(name.split())
        named = [s for s in range(self._n_streets) if words <= self._street_folded[s]]
        named.sort(key=lambda s: -self._sizes[s])
        return tuple(self._labels[s] for s in named[:3])

    def _is_milan_place(self, text: str) -> bool:
        found = process.extractOne(normalise_name(text), self._place_names, scorer=fuzz.ratio)
        return bool(found and found[1] >= PLACE_ACCEPT)

    def _match_place(self, name: str) -> GazetteerHit | None:
        found = process.extractOne(name, self._place_names, scorer=fuzz.ratio)
        if not found or found[1] < PLACE_ACCEPT:
            return None
        row = self._places[found[0]]
        return GazetteerHit(
            kind="place",
            label=self._labels[row],
            street=self._labels[row],
            civic="",
            requested_civic="",
            score=round(float(found[1]), 1),
            lat=float(self._place_lat[row]),
            lon=float(self._place_lon[row]),
            municipio=None,
            id_nil=int(self._place_nil[row]),
            warnings=("place_centroid",),
            source=PLACE_SOURCE,
        )

    def _rank_streets(self, parsed, words: list[str]) -> list[tuple[float, float, int]]:
        """Candidate streets as (rank, name score, street row), best first."""
        initials = [w for w in words if len(w) == 1 and w.isalpha() and w not in _STOP_WORDS]
        typed = _significant([w for w in words if w not in initials]) if initials else None
        typed = typed or _significant(words)
        if not typed:  # only stop words and initials ("A:A:A"): no street name to rank
            return []
        sim = np.zeros((len(typed), len(self._vocab) + 1), np.float32)  # last: padding column
        cutoff = (WORD_ACCEPT - 1) / 100
        for row, word in enumerate(typed):
            # a similarity ≥ cutoff needs lengths within that ratio: compare with those only
            lo = np.searchsorted(self._length_sorted, math.ceil(len(word) * cutoff), "left")
            hi = np.searchsorted(self._length_sorted, math.floor(len(word) / cutoff), "right")
            window = self._by_length[lo:hi]
            sim[row, window] = (
                100
                * process.cdist(
                    [word],
                    self._vocab_by_length[lo:hi],
                    scorer=OSA.normalized_similarity,
                    dtype=np.float32,
                    score_cutoff=cutoff,
                )[0]
            )
        for row, word in enumerate(typed):
            if word.isdigit():  # numbers in names must be equal ("22 marzo" is not "25 aprile")
                sim[row] = np.where(self._vocab_digit, 0, sim[row])
                if word in self._vocab_index:
                    sim[row, self._vocab_index[word]] = 100
        for row, word in enumerate(typed):
            if len(word) <= SHORT_WORD and not word.isdigit():
                sim[row] = np.where(
                    sim[row] >= 100, sim[row], np.minimum(sim[row], WORD_ACCEPT - 1)
                )
        # only name forms holding a close word for every typed word can qualify: intersect the
        # posting lists of the close vocabulary words, then score those forms alone
        pool = None
        for row in range(len(typed)):
            close = np.flatnonzero(sim[row, :-1] >= WORD_ACCEPT)
            if close.size == 0:
                return []
            forms = np.unique(
                np.concatenate([self._postings[i] for i in close])
                if close.size > 1
                else self._postings[close[0]]
            )
            pool = forms if pool is None else np.intersect1d(pool, forms, assume_unique=True)
            if pool.size == 0:
                return []
        per_word = sim[:, self._variant_tokens[pool]].max(axis=2)  # (typed words, forms)
        name_score = per_word.min(axis=0)
        keep = np.flatnonzero(name_score >= WORD_ACCEPT)
        if keep.size == 0:
            return []
        candidates, per_word, name_score = pool[keep], per_word[:, keep], name_score[keep]
        found_words = sim.max(axis=0) >= WORD_FOUND  # vocabulary words the query found
        tokens = self._variant_tokens[candidates]
        real = tokens < len(self._vocab)
        matched = (found_words[tokens] & real).sum(axis=1)
        extra = self._variant_len[candidates] - matched
        missing_initials = np.zeros(candidates.size)
        for letter in initials:
            has = ((self._vocab_first[tokens] == letter) & ~found_words[tokens] & real).any(axis=1)
            extra = extra - has
            missing_initials += ~has
        scores = name_score
        mean = per_word.mean(axis=0)
        rank = 0.8 * scores + 0.2 * mean - EXTRA_WORD_PENALTY * np.maximum(extra, 0)
        rank -= INITIAL_PENALTY * missing_initials
        best: dict[int, tuple[float, float]] = {}
        for i, variant in enumerate(candidates):
            street = int(self._variant_street[variant])
            value = float(rank[i])
            value -= self._type_penalty(parsed.street_type, self._types[street])
            if value > best.get(street, (-1e9, 0))[0]:
                best[street] = (value, float(scores[i]) - 100 * float(missing_initials[i] > 0))
        ranked = []
        for street, (value, score) in best.items():
            s0, s1 = self._start[street], self._stop[street]
            if (
                parsed.civic_number is not None
                and (self._number[s0:s1] == parsed.civic_number).any()
            ):
                value += CIVIC_BONUS
            if parsed.cap and (self._cap[s0:s1] == int(parsed.cap[2:])).any():
                value += CAP_BONUS
            ranked.append((value, score, street))
        ranked.sort(key=lambda item: (-round(item[0], 3), -self._sizes[item[2]], item[2]))
        return ranked

    @staticmethod
    def _type_penalty(typed: str, actual: str) -> float:
        """Ranking cost of a street type other than the one typed: "via" is what people type
        for any street (half), and nearly always for a "via privata" (a sixth)."""
        if not typed or typed == actual:
            return 0.0
        if typed == "via":
            return TYPE_PENALTY / 6 if actual == "via privata" else TYPE_PENALTY / 2
        return TYPE_PENALTY

    def _retry_words(self, words: list[str]) -> list[list[str]]:
        """Second tries when some typed word is in no street name: "S." as an initial rather
        than "San" ("Via S. Altamura"), then each word left out in turn ("Fra' Paolo Sarpi",
        "Piazza Gerusalemme fronte civico 6")."""
        tries = []
        if "san" in words:
            tries.append([("s" if w == "san" else w) for w in words])
        plain = [w for w in words if w not in _OPTIONAL_WORDS]
        if plain and plain != words:
            tries.append(plain)
        meaningful = _significant(words)
        if len(meaningful) >= 3:
            for word in dict.fromkeys(meaningful):
                tries.append([w for w in words if w != word])
        return tries

    def _match_street(self, parsed) -> GazetteerHit | None:
        words = parsed.name.split()
        ranked = self._rank_streets(parsed, words)
        if parsed.street_type and (not ranked or self._types[ranked[0][2]] != parsed.street_type):
            # the "type" may be part of the name: "Cascina Bianca" is a Via named Cascina Bianca
            as_name = replace(parsed, street_type="")
            alternative = self._rank_streets(as_name, parsed.street_type.split() + words)
            if (
                alternative
                and alternative[0][1] >= 100
                and (not ranked or alternative[0][0] > ranked[0][0])
            ):
                ranked, parsed = alternative, as_name
        if not ranked:
            retries = []
            for attempt in self._retry_words(words):
                found = self._rank_streets(parsed, attempt)
                if found:
                    value, score, street = found[0]
                    retries.append((value - WORD_DROPPED_PENALTY, min(score, 99.0), street))
            ranked = sorted(retries, key=lambda item: -item[0])[:1]
        if ranked:
            _, score, street = ranked[0]
        else:
            # names typed without their spaces, or with too many slips word by word
            whole = process.extractOne(
                parsed.name, self._variant_text, scorer=fuzz.ratio, score_cutoff=WHOLE_ACCEPT
            )
            if whole is None:
                return None
            score, street = float(whole[1]), int(self._variant_street[whole[2]])
        warnings = []
        if parsed.street_type and self._types[street] != parsed.street_type:
            if not (parsed.street_type == "via" and self._types[street] == "via privata"):
                warnings.append("street_type_differs")
        if score < 100:
            warnings.append("name_corrected")
        if parsed.civic_number is None:
            return self._street_point(street, score, warnings)
        row, found = self._civic_row(street, parsed)
        kind = ("exact" if not warnings else "corrected") if found else "nearest_number"
        if not found:
            warnings.append("civic_not_found")
        civic = civic_label(int(self._number[row]), self._letter[row], int(self._bar[row]))
        return GazetteerHit(
            kind=kind,
            label=f"{self._labels[street]} {civic}",
            street=self._labels[street],
            civic=civic,
            requested_civic=civic_label(parsed.civic_number, parsed.civic_letter, parsed.civic_bar),
            score=round(score, 1),
            lat=float(self._lat[row]),
            lon=float(self._lon[row]),
            municipio=int(self._municipio[row]) or None,
            id_nil=None,
            street_municipi=self._street_municipi(street),
            warnings=tuple(warnings),
            source=SOURCE,
        )

    def _street_municipi(self, street: int) -> tuple[int, ...]:
        s0, s1 = self._start[street], self._stop[street]
        return tuple(int(m) for m in np.unique(self._municipio[s0:s1]) if m)

    def _civic_row(self, street: int, parsed) -> tuple[int, bool]:
        """Row of the typed civic number, or of the nearest one on the same side (False)."""
        s0, s1 = int(self._start[street]), int(self._stop[street])
        numbers = self._number[s0:s1]
        letters = self._letter[s0:s1]
        bars = self._bar[s0:s1]
        number, letter, bar = parsed.civic_number, parsed.civic_letter, parsed.civic_bar
        same = numbers == number
        exact = np.flatnonzero(same & (letters == letter) & (bars == bar))
        if exact.size:
            return s0 + int(exact[0]), True
        if same.any():  # the number exists, not with that letter or bar: its plain door first
            pool = np.flatnonzero(same)
            plain = pool[(letters[pool] == "") & (bars[pool] == 0)]
            return s0 + int((plain if plain.size else pool)[0]), False
        side = np.flatnonzero(numbers % 2 == number % 2)
        pool = side if side.size else np.arange(numbers.size)
        distance = np.abs(numbers[pool] - number) * 4 + (letters[pool] != "") + (bars[pool] != 0)
        return s0 + int(pool[np.argmin(distance)]), False

    def _street_point(self, street: int, score: float, warnings: list[str]) -> GazetteerHit:
        """A street without civic number: its civic number nearest the median point."""
        s0, s1 = int(self._start[street]), int(self._stop[street])
        lat, lon = self._lat[s0:s1].astype(float), self._lon[s0:s1].astype(float)
        centre = np.argmin((lat - np.median(lat)) ** 2 + (lon - np.median(lon)) ** 2)
        municipi = self._street_municipi(street)
        warnings = [*warnings, "civic_missing"]
        if len(municipi) > 1:
            warnings.append("street_spans_municipi")
        return GazetteerHit(
            kind="street_only",
            label=self._labels[street],
            street=self._labels[street],
            civic="",
            requested_civic="",
            score=round(score, 1),
            lat=float(lat[centre]),
            lon=float(lon[centre]),
            municipio=None,
            id_nil=None,
            street_municipi=municipi,
            warnings=tuple(warnings),
            source=SOURCE,
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
