"""Text normalisation and address parsing for Milan street names.

Pure functions shared by the gazetteer builder and the run-time matcher, so that both sides see
the same keys. Milan's official toponyms are upper case, often with the person's surname first
("VIA REZZONICO FRANCESCO"); residents type "via Francesco Rezzonico", "v.le Monza", "p.za
Leonardo da Vinci", without accents or with typos. Normalisation lower-cases, strips accents and
apostrophes, expands abbreviations of the street type; word order is handled by the matcher.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Street types (DUG, *denominazione urbanistica generica*) met in Milan, canonical lower case.
STREET_TYPES = (
    "via",
    "viale",
    "piazza",
    "piazzale",
    "piazzetta",
    "corso",
    "largo",
    "galleria",
    "vicolo",
    "alzaia",
    "foro",
    "ripa",
    "bastioni",
    "passaggio",
    "strada",
    "vialetto",
    "cascina",
    "rotonda",
    "ponte",
    "passaggio",
)

#: Abbreviations → street type. Keys are normalised (lower case, no dots/spaces).
TYPE_ABBREVIATIONS = {
    "v": "via",
    "vle": "viale",
    "vl": "viale",
    "pza": "piazza",
    "pzza": "piazza",
    "pz": "piazza",
    "p": "piazza",
    "pa": "piazza",
    "piaz": "piazza",
    "ple": "piazzale",
    "pzle": "piazzale",
    "p.le": "piazzale",
    "ple.": "piazzale",
    "cso": "corso",
    "c": "corso",
    "lgo": "largo",
    "lg": "largo",
    "gall": "galleria",
    "vic": "vicolo",
    "pta": "piazzetta",
    "str": "strada",
}

#: Abbreviations inside names ("S. Vittore", "P.ta Venezia", "Q.re Feltre").
NAME_ABBREVIATIONS = {
    "s": "san",
    "ss": "santi",
    "sta": "santa",
    "p.ta": "porta",
    "pta": "porta",
    "q.re": "quartiere",
    "qre": "quartiere",
    "f.lli": "fratelli",
    "flli": "fratelli",
    "gen": "generale",
    "prof": "professore",
    "dott": "dottore",
    "mons": "monsignore",
}

#: Words that say "Milan" in a trailing part of the query.
MILAN_WORDS = {"milano", "milan", "mi", "italia", "italy", "lombardia", "comune di milano"}

_CIVIC = re.compile(r"^(\d{1,4})(?:\s*([a-z]{1,2}|/\s*[a-z0-9]{1,3}|[a-z]\d{2}))?$")
_TRAILING_CIVIC = re.compile(
    r"(?:^|\s|,)(?:n\.?|no\.?|num\.?|nr\.?)?\s*(\d{1,4})(?:\s*([a-z]{1,2}|/\s*[a-z0-9]{1,3}|[a-z]\d{2}))?"
    r"(?:\s*-\s*\d{1,4}[a-z]?)?\s*$"
)
_CAP = re.compile(r"\b(\d{5})\b")


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"[^a-z0-9./\s-]", " ", text.replace("'", " "))
    return re.sub(r"\s+", " ", text).strip()


def _expand_name_words(words: list[str]) -> list[str]:
    out = []
    for word in words:
        key = word.strip(".")
        if word in NAME_ABBREVIATIONS:
            out.append(NAME_ABBREVIATIONS[word])
        elif word.endswith(".") and key in NAME_ABBREVIATIONS:
            out.append(NAME_ABBREVIATIONS[key])
        elif "." in word and word.replace(".", "") in NAME_ABBREVIATIONS:
            out.append(NAME_ABBREVIATIONS[word.replace(".", "")])
        else:
            out.extend(w for w in word.replace(".", " ").split() if w)
    return out


def normalise_name(text: str) -> str:
    """Normalised street or place name: folded, abbreviations expanded, no punctuation."""
    words = _expand_name_words(fold(text).replace("-", " ").replace("/", " ").split())
    return " ".join(words)


@dataclass(frozen=True)
class ParsedAddress:
    """A query split into its parts (all normalised).

    Attributes
    ----------
    street_type : str
        Canonical street type ("via", "viale", ...) or "" when the query names none.
    name : str
        Normalised street/place name without the type.
    civic : str
        The civic number as typed, normalised ("32", "4b", "1/a"), or "".
    civic_number : int | None
        Leading integer of the civic number.
    other_place : str
        A trailing place name that is not Milan ("roma"), or "" (the query is taken as Milan).
    cap : str
        A five-digit postcode found in the query, or "".
    """

    street_type: str
    name: str
    civic: str
    civic_number: int | None
    other_place: str
    cap: str


def split_street_type(words: list[str]) -> tuple[str, list[str]]:
    """Split a leading street type (or its abbreviation) off a list of folded words."""
    if not words:
        return "", words
    first = words[0]
    bare = first.replace(".", "")
    if bare in STREET_TYPES and (first == bare or first.endswith(".")):
        return bare, words[1:]
    if first in TYPE_ABBREVIATIONS:
        return TYPE_ABBREVIATIONS[first], words[1:]
    if bare in TYPE_ABBREVIATIONS and ("." in first or len(words) > 1):
        return TYPE_ABBREVIATIONS[bare], words[1:]
    return "", words


def parse_query(query: str) -> ParsedAddress:
    """Parse a free-text address as typed by a resident.

    Examples
    --------
    >>> parse_query("P.za Leonardo da Vinci, 32 Milano").name
    'leonardo da vinci'
    """
    cap_match = _CAP.search(query)
    cap = cap_match.group(1) if cap_match else ""
    parts = [fold(_CAP.sub(" ", p)) for p in query.split(",")]
    parts = [p for p in parts if p]
    other_place = ""
    main_parts: list[str] = []
    for index, part in enumerate(parts):
        bare = re.sub(r"[.\s()]+", " ", part).strip()
        if index > 0 and (bare in MILAN_WORDS or set(bare.split()) <= MILAN_WORDS):
            continue
        if index > 0 and re.fullmatch(r"[a-z ]{2,40}", bare):
            # "Via Roma 1, Roma": a trailing place name. Kept aside: the caller decides.
            other_place = bare
            continue
        main_parts.append(part)
    text = " ".join(main_parts)
    # "(MI)" / "milano" at the end of the main part
    text = re.sub(r"\s+(?:milano|milan|\(?mi\)?)\s*$", "", text).strip()
    civic, civic_number = "", None
    match = _TRAILING_CIVIC.search(text)
    if match and match.start() > 0:
        civic_number = int(match.group(1))
        suffix = (match.group(2) or "").replace(" ", "").replace("/", "")
        civic = f"{civic_number}{suffix}"
        text = text[: match.start()].strip(" ,")
    words = text.replace(",", " ").split()
    street_type, rest = split_street_type(words)
    name = normalise_name(" ".join(rest))
    return ParsedAddress(street_type, name, civic, civic_number, other_place, cap)


def parse_official_address(address: str) -> tuple[str, str, str, str]:
    """Split an address as the Comune writes it into (type, name, civic, cross street).

    ``"VIA DELLA MOSCOVA 49-VIA di Porta Tenaglia"`` → ``("via", "della moscova", "49",
    "via di porta tenaglia")``; ``"Via ROVELLO 1N07"`` → ``("via", "rovello", "1", "")``
    (the Comune's "1N07" codes a shop window, the civic number is 1).
    """
    head, _, cross = address.partition("-")
    cross = cross.strip()
    # "4-6": a civic range, not a cross street
    range_match = re.match(r"^(\d+)\s*(.*)$", cross)
    if range_match and re.search(r"\d\s*$", head):
        cross = range_match.group(2).strip(" -")
    words = fold(head).split()
    street_type, rest = split_street_type(words)
    civic = ""
    if rest and re.match(r"^\d", rest[-1]):
        raw = rest.pop().replace("/", "")
        if re.fullmatch(r"\d+[a-z]\d+", raw):  # "1N07": shop window 07 of civic 1
            civic = re.match(r"\d+", raw).group(0)
        else:
            number = re.match(r"^(\d+)([a-z]?)", raw)
            civic = f"{number.group(1)}{number.group(2)}" if number else raw
    name = normalise_name(" ".join(rest))
    cross_type, cross_rest = split_street_type(fold(cross).split())
    cross_norm = (
        f"{cross_type} {normalise_name(' '.join(cross_rest))}".strip() if cross_type else ""
    )
    return street_type, name, civic, cross_norm


def civic_int(civic: str) -> int | None:
    """Leading integer of a civic number string (``"4b"`` → 4), or None."""
    match = re.match(r"^(\d+)", civic or "")
    return int(match.group(1)) if match else None


_SMALL_WORDS = {"di", "da", "de", "del", "della", "delle", "dei", "degli", "dell", "in", "e", "sul"}
_ACCENTED = {"a": "à", "e": "è", "i": "ì", "o": "ò", "u": "ù"}


def display_name(text: str) -> str:
    """Title-case an official upper-case toponym for display, restoring final accents.

    ``"CITTA' STUDI"`` → ``"Città Studi"``; ``"VIA DI RUDINI' ANTONIO"`` → ``"Via di Rudinì
    Antonio"``; ``"CA' GRANDA"`` keeps its apostrophe (*Ca'* is an elision, not an accent).
    """
    words = []
    for index, word in enumerate(re.split(r"(\s+)", text.strip())):
        if not word.strip():
            words.append(word)
            continue
        lower = word.lower()
        if lower.endswith("'") and len(lower) > 2 and lower[-2] in _ACCENTED and lower != "ca'":
            lower = lower[:-2] + _ACCENTED[lower[-2]]
        if index > 0 and lower in _SMALL_WORDS:
            words.append(lower)
        elif lower in {"qt"}:
            words.append(lower.upper())
        elif re.fullmatch(r"[ivxlc]+", lower) and lower not in {"di", "vi", "ci", "li"}:
            words.append(lower.upper())  # roman numerals: "XXII Marzo"
        elif "'" in lower[:-1]:
            head, _, tail = lower.partition("'")
            head = head if index > 0 and head in _SMALL_WORDS else head.capitalize()
            words.append(f"{head}'{tail.capitalize()}")
        else:
            words.append(lower[:1].upper() + lower[1:])
    return "".join(words)
