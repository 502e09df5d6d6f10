"""Limits of the engine's command line (issue 14): oversized or hostile scenario files and CSVs
end with exit 2 and a message naming the field, never a traceback, a MemoryError or a silent
coercion; ``| head`` does not print a BrokenPipe traceback; names are printed inert."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cer_core.cli import main
from cer_core.errors import InputError
from cer_core.io.hourly_csv import MAX_CSV_BYTES, MAX_LINE_CHARS, read_hourly_csv
from cer_core.scenario import MAX_MEMBER_GROUPS, MAX_PLANTS, MAX_TOML_BYTES, load_scenario

REPO = Path(__file__).resolve().parents[2]
BASE = """
[scenario]
name = "t"
year = 2025

[[plants]]
name = "roof"
kwp = 10

[[members]]
name = "homes"
count = 12
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused(path: Path, capsys, field: str) -> str:
    assert main(["simulate", str(path)]) == 2
    err = capsys.readouterr().err
    assert field in err, err
    return err


def test_huge_csv_is_refused_before_reading(tmp_path, capsys):
    csv = tmp_path / "big.csv"
    with csv.open("wb") as handle:  # sparse: 1 GB without writing it
        handle.truncate(1024**3)
    path = _write(tmp_path, BASE.replace("count = 12", 'count = 1\nconsumption_csv = "big.csv"'))
    err = _refused(path, capsys, "members[0].consumption_csv")
    assert f"{MAX_CSV_BYTES / 1e6:.0f} MB" in err


def test_csv_with_an_endless_line_is_refused(tmp_path):
    csv = tmp_path / "long.csv"
    csv.write_text("value\n" + "1" * 200_000 + "\n" + "0.5\n" * 8759, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_hourly_csv(csv, "members[0].consumption_csv")
    assert caught.value.field == "members[0].consumption_csv"
    assert "line 2" in caught.value.message
    assert f"{MAX_LINE_CHARS:,}" in caught.value.message


def test_csv_with_a_quote_spanning_the_file_is_refused(tmp_path):
    csv = tmp_path / "quote.csv"
    csv.write_text('value\n"' + "1\n" * 9000, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_hourly_csv(csv, "f")
    assert caught.value.field == "f"


@pytest.mark.parametrize(
    ("table", "limit", "field"),
    [("plants", MAX_PLANTS, "plants"), ("members", MAX_MEMBER_GROUPS, "members")],
)
def test_too_many_plants_or_member_groups(tmp_path, capsys, table, limit, field):
    item = (
        '\n[[plants]]\nname = "p{n}"\nkwp = 1\n'
        if table == "plants"
        else ('\n[[members]]\nname = "m{n}"\ncount = 1\n')
    )
    text = BASE + "".join(item.format(n=n) for n in range(limit + 1))
    err = _refused(_write(tmp_path, text), capsys, field)
    assert f"{limit:,}" in err


def test_big_toml_is_refused_before_parsing(tmp_path, capsys):
    text = BASE + "# " + "x" * MAX_TOML_BYTES + "\n"
    _refused(_write(tmp_path, text), capsys, "scenario")


def test_deep_nesting_is_an_input_error(tmp_path, capsys):
    text = BASE.replace('name = "t"', "name = " + "[" * 5000 + "]" * 5000)
    _refused(_write(tmp_path, text), capsys, "scenario")


@pytest.mark.parametrize(
    ("snippet", "field"),
    [
        ("scenario = 5\n", "scenario"),
        ("plants = 5\n", "plants"),
        ("plants = [5]\n", "plants[0]"),
        ("parameters = 3\n", "parameters"),
        ("prices = 3\n", "prices"),
    ],
)
def test_tables_of_the_wrong_kind(tmp_path, capsys, snippet, field):
    _refused(_write(tmp_path, snippet), capsys, field)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("kwp = 10", 'kwp = "10"', "plants[0].kwp"),
        ("count = 12", 'count = "12"', "members[0].count"),
        ("count = 12", "count = 12.0", "members[0].count"),
        ("count = 12", "count = true", "members[0].count"),
        ("year = 2025", 'year = "2025"', "scenario.year"),
        ('name = "roof"', "name = 5", "plants[0].name"),
    ],
)
def test_text_is_not_a_number_and_a_number_is_not_text(tmp_path, capsys, old, new, field):
    _refused(_write(tmp_path, BASE.replace(old, new)), capsys, field)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ('"finance.discount_rate" = 1e308', "parameters.finance.discount_rate"),
        ('"finance.discount_rate" = inf', "parameters.finance.discount_rate"),
        ('"finance.discount_rate" = { a = 1 }', "parameters.finance.discount_rate"),
        ('"tip.duration_years" = 1e9', "parameters.tip.duration_years"),
        ('"tip.tier_max_kw" = [200.0, "x", 1000.0]', "parameters.tip.tier_max_kw"),
        ('"tip.tier_max_kw" = [200.0]', "parameters.tip.tier_max_kw"),
        ('"tip.min_commissioning_date" = "yesterday"', "parameters.tip.min_commissioning_date"),
    ],
)
def test_parameter_overrides_are_checked(tmp_path, capsys, override, field):
    _refused(_write(tmp_path, BASE + f"\n[parameters]\n{override}\n"), capsys, field)


def test_sane_override_still_works(tmp_path):
    scenario = load_scenario(
        _write(tmp_path, BASE + '\n[parameters]\n"finance.discount_rate" = 0.05\n')
    )
    assert dict(scenario.parameter_overrides)["finance.discount_rate"] == 0.05


def test_control_characters_in_names_are_printed_escaped(tmp_path, capsys):
    text = BASE.replace('name = "roof"', 'name = "roof\\u001b[2J\\u202eevil"')
    assert main(["simulate", str(_write(tmp_path, text))]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\u202e" not in out
    assert "roof\\x1b[2J\\u202eevil" in out


def test_closed_pipe_is_quiet(tmp_path):
    """``python -m cer_core simulate … | head``: the reader is gone before the table is written."""
    path = _write(tmp_path, BASE)
    run = subprocess.Popen(
        [sys.executable, "-m", "cer_core", "simulate", str(path)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    run.stdout.close()  # long before the engine has a result to print
    err = run.stderr.read()
    assert run.wait(timeout=180) == 1
    assert b"Traceback" not in err
    assert b"BrokenPipe" not in err
