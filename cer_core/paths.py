"""Where the embedded data lives.

The repository's ``data/`` folder holds every file the engine reads at run time. A deployment can
point elsewhere (for example a read-only copy shared by several app processes) with the
``CER_DATA_DIR`` environment variable; a disk cache for online downloads goes to ``CER_CACHE_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    """Folder of the embedded data files (``$CER_DATA_DIR`` or the repository's ``data/``)."""
    return Path(os.environ.get("CER_DATA_DIR", REPO_ROOT / "data"))


def cache_dir() -> Path:
    """Writable folder for cached downloads (``$CER_CACHE_DIR`` or ``~/.cache/cer-milano``)."""
    path = Path(os.environ.get("CER_CACHE_DIR", Path.home() / ".cache" / "cer-milano"))
    path.mkdir(parents=True, exist_ok=True)
    return path


class DataFileError(RuntimeError):
    """An embedded data file is missing or unreadable; the message names the file."""

    def __init__(self, path: Path, problem: str):
        self.path = Path(path)
        super().__init__(f"Data file {self.path}: {problem}")


def data_file(*parts: str) -> Path:
    """Path of an embedded data file, raising :class:`DataFileError` when it is missing."""
    path = data_dir().joinpath(*parts)
    if not path.is_file():
        raise DataFileError(path, "missing (rebuild it with the script named in data/SOURCES.md)")
    return path


def read_toml(path: Path) -> dict:
    """Parse an embedded TOML file, raising :class:`DataFileError` naming it when unreadable."""
    import tomllib

    try:
        with Path(path).open("rb") as handle:
            return tomllib.load(handle)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise DataFileError(path, f"not valid UTF-8 TOML ({exc})") from exc
    except OSError as exc:
        raise DataFileError(path, f"cannot be read ({exc.strerror})") from exc
