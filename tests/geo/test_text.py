"""Address parsing and normalisation (pure functions)."""

from __future__ import annotations

import pytest

from cer_core.geo.text import display_name, fold, parse_official_address, parse_query


@pytest.mark.parametrize(
    ("query", "street_type", "name", "civic"),
    [
        ("Piazza Leonardo da Vinci 32", "piazza", "leonardo da vinci", "32"),
        ("P.za Leonardo da Vinci, 32 Milano", "piazza", "leonardo da vinci", "32"),
        ("v.le Monza 120", "viale", "monza", "120"),
        ("c.so Buenos Aires 3, 20124 Milano", "corso", "buenos aires", "3"),
        ("p.le Loreto", "piazzale", "loreto", ""),
        ("l.go La Foppa 2", "largo", "la foppa", "2"),
        ("Corso di P.ta Ticinese 40", "corso", "di porta ticinese", "40"),
        ("via Padova, 12/a", "via", "padova", "12a"),
        ("VIALE MONZA N. 120", "viale", "monza", "120"),
        ("Città Studi", "", "citta studi", ""),
    ],
)
def test_parse_query(query, street_type, name, civic):
    parsed = parse_query(query)
    assert (parsed.street_type, parsed.name, parsed.civic) == (street_type, name, civic)


def test_trailing_other_town_and_postcode_are_kept_aside():
    assert parse_query("Via del Corso 1, Roma").other_place == "roma"
    assert parse_query("Via Padova 3, Milano (MI)").other_place == ""
    assert parse_query("Via Roma 1, 00186 Roma").cap == "00186"


def test_fold_strips_accents_and_apostrophes():
    assert fold("Città  dell’Ospedale") == "citta dell ospedale"


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("VIA REZZONICO FRANCESCO 6", ("via", "rezzonico francesco", "6", "")),
        ("Via ROVELLO 1N07", ("via", "rovello", "1", "")),
        ("VIA SAMMARTINI GIOVANNI BATTISTA 4-6", ("via", "sammartini giovanni battista", "4", "")),
        (
            "VIA DELLA MOSCOVA 49-VIA di Porta Tenaglia",
            ("via", "della moscova", "49", "via di porta tenaglia"),
        ),
        ("PIAZZA LEONARDO DA VINCI", ("piazza", "leonardo da vinci", "", "")),
    ],
)
def test_parse_official_address(address, expected):
    assert parse_official_address(address) == expected


def test_display_name_restores_accents():
    assert display_name("CITTA' STUDI") == "Città Studi"
    assert display_name("VIA DI RUDINI' ANTONIO") == "Via di Rudinì Antonio"
    assert display_name("NIGUARDA - CA' GRANDA") == "Niguarda - Ca' Granda"


@pytest.mark.parametrize(
    ("query", "name", "civic", "letter", "bar"),
    [
        ("Via Padova 5/A", "padova", "5a", "a", 0),
        ("Via Padova 5A", "padova", "5a", "a", 0),
        ("Via Padova 5 a", "padova", "5a", "a", 0),
        ("Via Padova 5 bis", "padova", "5bis", "bis", 0),
        ("Via Padova 72/1", "padova", "72/1", "", 1),
        ("10 Via Padova", "padova", "10", "", 0),
        ("Via Padova, n. 10, 20127 Milano (MI), Italia", "padova", "10", "", 0),
        ("Via Padova 10 Milano MI", "padova", "10", "", 0),
        ("Corso XXII Marzo 10", "22 marzo", "10", "", 0),
        ("Piazza Cinque Giornate", "5 giornate", "", "", 0),
        ("Via G. Verdi 2", "g verdi", "2", "", 0),
    ],
)
def test_civic_numbers_and_tails(query, name, civic, letter, bar):
    parsed = parse_query(query)
    assert (parsed.name, parsed.civic, parsed.civic_letter, parsed.civic_bar) == (
        name,
        civic,
        letter,
        bar,
    )


def test_a_name_after_a_comma_is_a_town_only_when_it_is_one():
    assert parse_query("Via, Padova 10").other_place == ""
    assert parse_query("Via Padova 10, Monza").other_place == "monza"
    assert parse_query("alz. Naviglio Grande 4").street_type == "alzaia"
    assert parse_query("Via privata Cesare Battisti 3").name == "cesare battisti"
