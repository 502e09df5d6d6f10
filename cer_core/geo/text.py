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
    "cavalcavia",
    "sottopasso",
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
    "alz": "alzaia",
    "vlo": "vicolo",
    "pzale": "piazzale",
    "gll": "galleria",
    "bst": "bastioni",
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

#: Towns that are not Milan, normalised. Many are also Milan street names ("Viale Monza", "Via
#: Padova"): alone they are a question ("which one?"), after a street they mean "not Milan".
#: Comuni around Milan (with the short forms people use) and Italy's larger cities.
OTHER_TOWNS = frozenset(
    {
        "monza",
        "sesto",
        "sesto san giovanni",
        "cinisello",
        "cinisello balsamo",
        "cologno",
        "cologno monzese",
        "bresso",
        "cormano",
        "novate",
        "novate milanese",
        "bollate",
        "baranzate",
        "pero",
        "rho",
        "arese",
        "settimo milanese",
        "cusago",
        "cesano boscone",
        "corsico",
        "buccinasco",
        "trezzano",
        "trezzano sul naviglio",
        "assago",
        "rozzano",
        "opera",
        "locate di triulzi",
        "san donato",
        "san donato milanese",
        "san giuliano",
        "san giuliano milanese",
        "peschiera",
        "peschiera borromeo",
        "segrate",
        "pioltello",
        "vimodrone",
        "brugherio",
        "bareggio",
        "lainate",
        "paderno dugnano",
        "legnano",
        "abbiategrasso",
        "lodi",
        "pavia",
        "bergamo",
        "brescia",
        "como",
        "lecco",
        "varese",
        "cremona",
        "mantova",
        "torino",
        "genova",
        "venezia",
        "verona",
        "padova",
        "bologna",
        "firenze",
        "roma",
        "napoli",
        "bari",
        "palermo",
    }
)

#: Number words met in Milan toponyms ("Cinque Giornate", "Otto Ottobre 2001") → digits.
NUMBER_WORDS = {
    "uno": "1",
    "due": "2",
    "tre": "3",
    "quattro": "4",
    "cinque": "5",
    "sei": "6",
    "sette": "7",
    "otto": "8",
    "nove": "9",
    "dieci": "10",
    "undici": "11",
    "dodici": "12",
    "venti": "20",
    "ventidue": "22",
    "ventiquattro": "24",
    "ventisei": "26",
    "ventotto": "28",
    "trenta": "30",
    "primo": "1",
    "secondo": "2",
    "terzo": "3",
    "quarto": "4",
}

_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
#: Letters after a civic number written as words ("5 bis").
CIVIC_WORDS = ("bis", "ter", "quater")

_TRAILING_CIVIC = re.compile(
    r"(?:^|\s)(?:n\.?|nr\.?|num\.?|no\.?|civico)?\s*(\d{1,4})"
    r"(?:\s*/?\s*(bis|ter|quater|[a-z])(?![a-z]))?"
    r"(?:\s*/\s*(\d{1,3}))?(?:\s*-\s*\d{1,4}[a-z]?)?\s*$"
)
_LEADING_CIVIC = re.compile(r"^(\d{1,4})(?:\s*/?\s*(bis|ter|[a-z])(?![a-z]))?\s*,?\s+(?=[a-z])")
_CAP = re.compile(r"\b(\d{5})\b")
_MILAN_TAIL = re.compile(r"(?:\s+|^)(?:milano|milan|mi|italia|italy|lombardia)\s*$")


def fold(text: str) -> str:
    """Lower case, accents removed, apostrophes and punctuation to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().replace("’", "'").replace("`", "'")
    text = re.sub(r"[^a-z0-9./\s-]", " ", text.replace("'", " "))
    return re.sub(r"\s+", " ", text).strip()


def _roman_value(word: str) -> int | None:
    if len(word) < 2 or not _ROMAN.fullmatch(word):
        return None
    total, previous = 0, 0
    for ch in reversed(word):
        value = _ROMAN_VALUES[ch]
        total += -value if value < previous else value
        previous = max(previous, value)
    return total or None


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


def _number_word(word: str) -> str:
    roman = _roman_value(word)
    if roman is not None:
        return str(roman)
    return NUMBER_WORDS.get(word, word)


def normalise_name(text: str) -> str:
    """Normalised street or place name: folded, abbreviations expanded, no punctuation,
    roman numerals and number words as digits ("XXII Marzo" = "22 marzo")."""
    words = _expand_name_words(fold(text).replace("-", " ").replace("/", " ").split())
    return " ".join(_number_word(w) for w in words)


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
        The civic number as typed, normalised ("32", "4a", "5bis", "72/1"), or "".
    civic_number : int | None
        Leading integer of the civic number.
    other_place : str
        A place named after the address that is not Milan ("roma"), or "".
    cap : str
        A five-digit postcode found in the query, or "".
    civic_letter : str
        Letter or word after the number ("a", "bis"), "" when none.
    civic_bar : int
        Number after a slash ("72/1" → 1), 0 when none.
    """

    street_type: str
    name: str
    civic: str
    civic_number: int | None
    other_place: str
    cap: str
    civic_letter: str = ""
    civic_bar: int = 0


def split_street_type(words: list[str]) -> tuple[str, list[str]]:
    """Split a leading street type (or its abbreviation) off a list of folded words."""
    if not words:
        return "", words
    first = words[0]
    bare = first.replace(".", "")
    street_type, rest = "", words
    if bare in STREET_TYPES and (first == bare or first.endswith(".")):
        street_type, rest = bare, words[1:]
    elif first in TYPE_ABBREVIATIONS:
        street_type, rest = TYPE_ABBREVIATIONS[first], words[1:]
    elif bare in TYPE_ABBREVIATIONS and ("." in first or len(words) > 1):
        street_type, rest = TYPE_ABBREVIATIONS[bare], words[1:]
    if street_type == "via" and rest and rest[0].rstrip(".") in {"privata", "priv"}:
        street_type, rest = "via privata", rest[1:]  # the Comune's own street type
    return street_type, rest


def civic_label(number: int, letter: str = "", bar: int = 0) -> str:
    """The civic number as the Comune writes it: ``5``, ``5A``, ``16BIS``, ``72/1``."""
    return f"{number}{letter.upper()}" + (f"/{bar}" if bar else "")


def _is_town(text: str) -> bool:
    return normalise_name(text) in OTHER_TOWNS


def parse_query(query: str) -> ParsedAddress:
    """Parse a free-text address as typed by a resident.

    Postcodes, "Milano", "(MI)", "Italia" and commas may appear anywhere; the civic number may
    come after the name ("Via Padova 10", "Via Padova, n. 10/A") or before it ("10 Via Padova").

    Examples
    --------
    >>> parse_query("P.za Leonardo da Vinci, 32 Milano").name
    'leonardo da vinci'
    >>> parse_query("v.le Monza 5 bis, 20127 Milano (MI), Italia").civic
    '5bis'
    """
    cap_match = _CAP.search(query)
    cap = cap_match.group(1) if cap_match else ""
    parts = [fold(_CAP.sub(" ", p)) for p in query.split(",")]
    parts = [p for p in parts if p]
    other_place = ""
    main_parts: list[str] = []
    seen_number = False
    for index, part in enumerate(parts):
        bare = re.sub(r"[.\s()]+", " ", part).strip()
        if index > 0 and (bare in MILAN_WORDS or set(bare.split()) <= MILAN_WORDS):
            continue
        if index > 0 and re.fullmatch(r"[a-z ]{2,40}", bare):
            # "Via Roma 1, Roma": a place after the address. A known town, or any name after the
            # civic number, is kept aside (the caller decides); otherwise it is part of the name
            # ("Via, Padova 10").
            if _is_town(bare) or (seen_number and not other_place):
                other_place = bare
                continue
        seen_number = seen_number or bool(re.search(r"\d", part))
        main_parts.append(part)
    text = " ".join(main_parts)
    while True:  # "... milano mi", "... milano (mi) italia"
        stripped = _MILAN_TAIL.sub("", text).strip()
        if stripped == text or not stripped:
            break
        text = stripped
    civic, civic_number, letter, bar = "", None, "", 0
    match = _TRAILING_CIVIC.search(text)
    if match and match.start() > 0:
        civic_number = int(match.group(1))
        letter = match.group(2) or ""
        bar = int(match.group(3) or 0)
        text = text[: match.start()].strip(" ,")
    else:
        lead = _LEADING_CIVIC.match(text)
        if lead and split_street_type(text[lead.end() :].split())[0]:
            civic_number = int(lead.group(1))
            letter = lead.group(2) or ""
            text = text[lead.end() :]
    if civic_number is not None:
        civic = f"{civic_number}{letter}" + (f"/{bar}" if bar else "")
    words = text.replace(",", " ").split()
    street_type, rest = split_street_type(words)
    name = normalise_name(" ".join(rest))
    return ParsedAddress(street_type, name, civic, civic_number, other_place, cap, letter, bar)


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
