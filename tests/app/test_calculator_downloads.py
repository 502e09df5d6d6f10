"""The Calcolatore's CSV for Italian spreadsheets holds the same numbers as the machine CSV."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from app.components import calculator_downloads as downloads
from cer_core import resident
from cer_core.resident import tables


@pytest.fixture(scope="module", params=["pv_join", "consumer"])
def est(request):
    return resident.estimate(resident.ResidentInputs(option=request.param))


def read_italian(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel keeps the accents"
    return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")


def read_machine(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text))


def test_hourly_italian_csv_reads_back_to_the_machine_values(est):
    italian = read_italian(downloads.hourly_italian(est))
    machine = read_machine(resident.hourly_csv(est))
    headers = downloads.italian_headers()
    assert len(italian) == len(machine) == len(est.hourly)
    assert list(italian.columns[:2]) == [headers["local_time"], headers["utc_offset"]]
    assert "Consumo (kWh)" in italian.columns
    for column in machine.columns.drop("hour"):
        assert italian[headers[column]].tolist() == machine[column].tolist(), column
    # date, time and offset give back the machine's ISO hour, the repeated autumn hour included
    local = pd.to_datetime(italian[headers["local_time"]], format="%d/%m/%Y %H:%M")
    offset = italian[headers["utc_offset"]].str.removeprefix("UTC")
    rebuilt = local.dt.strftime("%Y-%m-%dT%H:%M:%S") + offset
    assert rebuilt.tolist() == machine["hour"].tolist()
    assert set(italian[headers["utc_offset"]]) == {"UTC+01:00", "UTC+02:00"}


def test_yearly_italian_csv_reads_back_to_the_machine_values(est):
    italian = read_italian(downloads.yearly_italian(est))
    machine = read_machine(resident.yearly_csv(est))
    headers = downloads.italian_headers()
    assert [headers[c] for c in machine.columns] == list(italian.columns)
    for column in machine.columns:
        assert italian[headers[column]].tolist() == machine[column].tolist(), column
    raw = downloads.yearly_italian(est).decode("utf-8-sig")
    header = raw.splitlines()[0]
    assert ";" in header or len(machine.columns) == 1
    assert "," not in header


def test_money_is_written_with_a_decimal_comma_and_no_thousands_mark():
    est = resident.estimate(resident.ResidentInputs(option="pv_join", pv_kwp=6.0))
    raw = downloads.yearly_italian(est).decode("utf-8-sig")
    capex = tables.yearly_table(est)["capex_eur"].iloc[0]
    assert capex < -1000
    assert f"{capex:.2f}".rstrip("0").rstrip(".").replace(".", ",") in raw
    assert "." not in raw.split("\r\n", 1)[1], "no decimal point or thousands dot in the numbers"


def test_the_dictionary_describes_every_column_of_both_tables(est):
    dictionary = read_italian(downloads.dictionary())
    titles = [downloads.translate("it", f"csv.dict_{f}") for f in downloads.DICTIONARY_FIELDS]
    assert list(dictionary.columns) == titles
    described = set(dictionary[titles[1]])
    assert set(read_machine(resident.hourly_csv(est)).columns) <= described
    assert set(read_machine(resident.yearly_csv(est)).columns) <= described
    assert dictionary[titles[3]].notna().all(), "every column has a description"
    headers = downloads.italian_headers()
    assert set(dictionary[titles[0]]) == set(headers.values())
