"""data/configurations.toml: the Comune-editable list of configurations passes its schema."""

from __future__ import annotations

import shutil

import pytest

from cer_core.configurations import load_configurations
from cer_core.paths import DataFileError, data_dir


def test_the_five_pilots_are_there_with_their_cabina_numbers():
    found = {c.name: c.cp_number for c in load_configurations()}
    assert found == {
        "Città Studi": 9,
        "Niguarda-Affori": 2,
        "Chiaravalle": 17,
        "Bovisa": 10,
        "Campus Ghisolfa": 12,
    }


def test_every_configuration_cites_a_source():
    assert all(c.sources for c in load_configurations())


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    target = tmp_path / "data"
    shutil.copytree(data_dir(), target)
    monkeypatch.setenv("CER_DATA_DIR", str(target))
    return target


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('status = "planned"', 'status = "maybe"', "status"),
        ("municipi = [8]", "municipi = [12]", "municipi"),
        ("nil_ids = [34]", "nil_ids = [99]", "nil_ids"),
        (
            'gse_area_code = ""\nstatus = "planned"',
            'gse_area_code = "XX1"\nstatus = "planned"',
            "gse_area_code",
        ),
        (
            'gse_area_code_inferred = "AC012E00012"',
            'gse_area_code_inferred = "12"',
            "gse_area_code_inferred",
        ),
        (
            'gse_area_code_status = "inferred_awaiting_confirmation"',
            'gse_area_code_status = "probably"',
            "gse_area_code_status",
        ),
    ],
)
def test_schema_violations_name_the_field(data_copy, old, new, message):
    path = data_copy / "configurations.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_configurations()


def test_missing_file_names_the_file(data_copy):
    (data_copy / "configurations.toml").unlink()
    with pytest.raises(DataFileError, match="configurations.toml"):
        load_configurations()


def test_every_configuration_names_a_cer_with_join_and_help_details():
    from cer_core.configurations import load_cers

    cers = load_cers()
    assert {c.cer for c in load_configurations()} <= set(cers)
    assert cers["CER.ca.MI"].join_url.startswith("https://")
    assert all(c.help_it and c.help_en and c.help_source for c in cers.values())


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'join_url = "https://cercami.info/chi-siamo/"',
            'join_url = "javascript:alert(1)"',
            "join_url",
        ),
        ("members_published = 300", "members_published = -1", "members_published"),
        (
            'name = "CERS Campus Ghisolfa"\nwebsite',
            'name = "Other CER"\nwebsite',
            "no \\[\\[cer\\]\\]",
        ),
    ],
)
def test_cer_schema_violations_name_the_field(data_copy, old, new, message):
    from cer_core.configurations import load_cers

    path = data_copy / "configurations.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError, match=message):
        load_cers()
