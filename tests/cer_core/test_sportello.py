"""data/sportello.toml: the Comune edits it, the loader refuses what the app could not show."""

from __future__ import annotations

import pytest

from cer_core.paths import DataFileError
from cer_core.sportello import load_sportello, parse_sportello


def test_shipped_file_is_valid_and_cites_its_sources():
    contact = load_sportello()
    assert contact.name_it
    assert contact.sources, "every contact detail must cite a public source"
    assert contact.website.startswith("https://")
    # the phone is shown only once confirmed by a current public page (see the file's comment)
    if contact.phone:
        assert contact.phone_uri.startswith("tel:+39")
        assert " " not in contact.phone_uri


def test_a_phone_becomes_a_tel_link_without_spaces():
    contact = parse_sportello({"name_it": "Sportello", "phone": "+39 02 1234567"}, "x.toml")
    assert contact.phone_uri == "tel:+39021234567"


def test_empty_fields_are_allowed_and_english_falls_back_to_italian():
    contact = parse_sportello({"name_it": "Sportello", "hours_it": "lun 10-13"}, "x.toml")
    assert contact.email == ""
    assert contact.phone_uri == ""
    assert contact.text("hours", "en") == "lun 10-13"
    assert contact.text("name", "it") == "Sportello"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("website", "http://example.org"),
        ("website", "https://a.it/x) [y](javascript:alert(1)"),
        ("join_url", "javascript:alert(1)"),
        ("email", "not an email"),
        ("phone", "02-8846 ext"),
        ("nickname", "x"),
        ("phone", 288468300),
    ],
)
def test_bad_values_name_the_field(field, value):
    with pytest.raises(DataFileError, match=field):
        parse_sportello({"name_it": "Sportello", field: value}, "x.toml")


def test_name_is_required():
    with pytest.raises(DataFileError, match="name_it"):
        parse_sportello({"email": "a@b.it"}, "x.toml")
