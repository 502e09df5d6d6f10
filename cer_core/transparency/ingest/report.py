"""What an import tells its caller: the errors found (:class:`RowError`) and the outcome
(:class:`ImportReport`), shared by every step of :mod:`cer_core.transparency.ingest`."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True)
class RowError:
    """One problem found in the file.

    ``row`` is the spreadsheet row number (the header is row 1), ``None`` for the whole file.
    """

    template: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.template} row {self.row}" if self.row else (self.template or "file")
        column = f" [{self.column}]" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass
class ImportReport:
    """What an import found and did.

    ``preview`` holds, per template, the rows read from the file (as text) with their row number.
    ``inserted`` / ``updated`` / ``unchanged`` count rows; ``committed`` is true only when the
    database was changed. ``import_id`` is the audit-log entry of a committed import.
    """

    file_name: str
    sha256: str
    size_bytes: int
    encoding: str = ""
    preview: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    committed: bool = False
    import_id: int | None = None
    demo_removed: int = 0

    @property
    def ok(self) -> bool:
        """True when the file has no error (whether or not it was committed)."""
        return not self.errors

    @property
    def rows(self) -> int:
        """Number of data rows read."""
        return sum(len(frame) for frame in self.preview.values())

    def errors_frame(self) -> pd.DataFrame:
        """The error list as a table (template, row, column, message)."""
        return pd.DataFrame(
            [(e.template, e.row, e.column, e.message) for e in self.errors],
            columns=["template", "row", "column", "message"],
        )


class InvalidData(Exception):
    """Raised inside the import's transaction to roll it back; carries the errors."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def first_line(exc: BaseException, limit: int = 300) -> str:
    """First line of an exception's text, at most ``limit`` characters (for error lists)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:limit]
