"""Which bytes an import accepts, before any parser runs: the size limit, the text encodings of a
CSV (UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252 / Latin-1) and the guards on an XLSX
archive (zip bombs, XML DTDs)."""

from __future__ import annotations

import io
import zipfile

from cer_core.transparency.ingest.report import ImportReport, RowError

#: Largest file accepted [bytes]. Larger files are refused before they are parsed.
MAX_FILE_BYTES = 5 * 1024 * 1024
#: Largest total unpacked size of an XLSX's parts [bytes] (50 000 rows of the widest template
#: are about 15 MB of sheet XML; anything far beyond is a zip bomb, not a data file).
MAX_XLSX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
#: Largest ratio unpacked / packed size of an XLSX (real workbooks compress 5-20 times); checked
#: only above :data:`XLSX_RATIO_FLOOR_BYTES` unpacked, where a tiny file cannot harm.
MAX_XLSX_RATIO = 100
#: Unpacked size [bytes] below which the compression ratio of an XLSX is not checked.
XLSX_RATIO_FLOOR_BYTES = 1024 * 1024
#: Most parts (zip members) accepted in an XLSX.
MAX_XLSX_PARTS = 1_000


def too_big(name: str, size: int, dry_run: bool = False) -> ImportReport:
    """The report of a file refused for its size (``size`` [bytes] above :data:`MAX_FILE_BYTES`)."""
    report = ImportReport(name, "", size, dry_run=dry_run)
    report.errors.append(
        RowError(
            "",
            None,
            "",
            f"the file is {size / 1e6:.1f} MB; the limit is {MAX_FILE_BYTES / 1e6:.1f} MB "
            "(split it by year or template)",
        )
    )
    return report


def decode(data: bytes) -> tuple[str, str]:
    """Decode CSV bytes; return ``(text, encoding)``.

    Raises
    ------
    ValueError
        For UTF-16/32 without a byte-order mark, or binary data.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise ValueError(
            "the file contains NUL bytes: it looks like UTF-16 without a byte-order mark or a "
            "binary file. Save it as 'CSV UTF-8' (or UTF-16 with BOM)"
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def is_xlsx(data: bytes, file_name: str) -> bool:
    """True when the file is a workbook (a zip archive, or named ``.xlsx`` / ``.xlsm``)."""
    return data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm"))


class XlsxTooLargeError(ValueError):
    """An XLSX whose parts would unpack to too much data (a zip bomb)."""


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an XLSX whose zip parts expand too much, before anything is unpacked.

    The sizes are those the archive declares; Python's ``zipfile`` never inflates a part beyond its
    declared size (and fails its CRC check if the data disagree), so the check bounds the work.

    Parameters
    ----------
    data : bytes
        The XLSX file.

    Raises
    ------
    XlsxTooLargeError
        When the parts would expand beyond :data:`MAX_XLSX_UNCOMPRESSED_BYTES`, beyond
        :data:`MAX_XLSX_RATIO` times the packed size, or number more than :data:`MAX_XLSX_PARTS`.
    zipfile.BadZipFile
        When ``data`` is not a zip archive.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
    if len(parts) > MAX_XLSX_PARTS:
        raise XlsxTooLargeError(
            f"the workbook holds {len(parts):,} parts; the limit is {MAX_XLSX_PARTS:,}"
        )
    unpacked = sum(part.file_size for part in parts)
    packed = max(sum(part.compress_size for part in parts), 1)
    limit_mb = MAX_XLSX_UNCOMPRESSED_BYTES / 1e6
    if unpacked > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise XlsxTooLargeError(
            f"the workbook unpacks to {unpacked / 1e6:,.0f} MB; the limit is {limit_mb:.0f} MB "
            "(save it as CSV, or split it by year or template)"
        )
    if unpacked > XLSX_RATIO_FLOOR_BYTES and unpacked / packed > MAX_XLSX_RATIO:
        raise XlsxTooLargeError(
            f"the workbook unpacks to {unpacked / packed:,.0f} times its size; the limit is "
            f"{MAX_XLSX_RATIO} times (save it as CSV)"
        )


class XlsxDtdError(ValueError):
    """An XLSX whose XML parts declare a DTD (entities): never written by spreadsheet programs."""


_DTD_MARKERS = tuple(
    marker.encode(encoding)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for encoding in ("ascii", "utf-16-le", "utf-16-be")
)


def check_xlsx_xml(data: bytes) -> None:
    """Refuse an XLSX whose XML parts declare a DTD, before any XML is parsed.

    A DTD must come before the root element, so the first 64 KB of each part are enough.

    Raises
    ------
    XlsxDtdError
        Naming the part.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for part in archive.infolist():
            if not part.filename.lower().endswith((".xml", ".rels", ".vml")):
                continue
            with archive.open(part) as stream:
                head = stream.read(64 * 1024)
            if any(marker in head for marker in _DTD_MARKERS):
                raise XlsxDtdError(
                    f"the part '{part.filename[:80]}' declares a DTD (<!DOCTYPE>/<!ENTITY>), "
                    "which spreadsheet programs never write: save the workbook again from "
                    "Excel or LibreOffice, or as CSV"
                )
