"""XLSX files are zip archives: one whose parts expand enormously (a zip bomb) is refused from
the sizes the archive declares, before openpyxl unpacks anything."""

from __future__ import annotations

import io
import time
import zipfile

import pandas as pd
import pytest

from cer_core.transparency import store
from cer_core.transparency.ingest import (
    MAX_XLSX_PARTS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNCOMPRESSED_BYTES,
    XlsxTooLargeError,
    check_xlsx_archive,
    import_file,
)

CONFIGS = pd.DataFrame(
    {
        "configuration_id": ["cs"],
        "name": ["Città Studi"],
        "cer": ["CER.ca.MI"],
        "cp_number": ["9"],
        "municipi": ["3"],
        "status": ["active"],
        "activation_date": ["2024-11-01"],
        "source": ["test"],
    }
)


def workbook(extra_part: bytes | None = None, parts: int = 0) -> bytes:
    """A valid one-sheet workbook, plus an optional extra part and ``parts`` empty parts."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        CONFIGS.to_excel(writer, sheet_name="configurations", index=False)
    if extra_part is None and not parts:
        return buffer.getvalue()
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        if extra_part is not None:
            archive.writestr("xl/media/padding.bin", extra_part)
        for number in range(parts):
            archive.writestr(f"xl/media/p{number}.bin", b"")
    return buffer.getvalue()


def errors_of(data: bytes) -> list[str]:
    engine = store.open_store("sqlite://", seed_demo=False)
    try:
        report = import_file(engine, data, file_name="cer.xlsx", dry_run=True)
    finally:
        engine.dispose()
    return [e.message for e in report.errors]


def test_a_real_workbook_passes_the_check_and_imports():
    data = workbook()
    check_xlsx_archive(data)  # no exception
    assert errors_of(data) == []


def test_workbook_unpacking_beyond_the_limit_is_refused_quickly():
    data = workbook(b"\0" * (MAX_XLSX_UNCOMPRESSED_BYTES + 1))
    assert len(data) < 200_000  # tiny on disk
    started = time.perf_counter()
    errors = errors_of(data)
    assert time.perf_counter() - started < 2
    assert len(errors) == 1
    assert "zip bomb" in errors[0]
    assert f"{MAX_XLSX_UNCOMPRESSED_BYTES / 1e6:.0f} MB" in errors[0]


def test_workbook_with_a_huge_compression_ratio_is_refused():
    data = workbook(b"a" * (4 * 1024 * 1024))  # below the size limit, ~1000 times smaller packed
    with pytest.raises(XlsxTooLargeError, match=f"limit is {MAX_XLSX_RATIO} times"):
        check_xlsx_archive(data)
    assert "zip bomb" in errors_of(data)[0]


def test_workbook_with_too_many_parts_is_refused():
    with pytest.raises(XlsxTooLargeError, match="parts"):
        check_xlsx_archive(workbook(parts=MAX_XLSX_PARTS))
