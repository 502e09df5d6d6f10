"""The programs outside the Python environment that CER Milano starts, and where to find them.

The list itself is the ``PROGRAMS`` table of ``scripts/system_deps.sh``, the script that installs
them: one place, read here.

    python deploy/programs.py --packages          # every Debian package of the list
    python deploy/programs.py --missing-packages  # only those whose programs/files are absent

Standard library only: ``scripts/system_deps.sh`` runs this before any virtual environment exists.
"""

from __future__ import annotations

import argparse
import glob
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

LIST_PATH = Path(__file__).resolve().parents[1] / "scripts" / "system_deps.sh"
_TABLE = re.compile(r'^PROGRAMS="\n(.*?)^"', re.S | re.M)


class MissingProgram(RuntimeError):
    """A listed program (or file) is not on this machine; the message names its Debian package."""


@dataclass(frozen=True)
class Requirement:
    """One entry of the list: a program (``kind='programs'``) or a file (``kind='files'``)."""

    name: str
    kind: str
    package: str
    paths: tuple[str, ...]
    why: str

    def find(self) -> str | None:
        """Absolute path of the program or file on this machine, or None."""
        for pattern in self.paths:
            # the highest version wins (/usr/lib/postgresql/15 before 13)
            found = sorted(glob.glob(pattern))
            if found:
                return found[-1]
        if self.kind == "programs":
            return shutil.which(self.name)
        return None

    def install_hint(self) -> str:
        return f"apt-get install {self.package} (or run `make system-deps` as root)"


def load(path: Path | None = None) -> dict[str, Requirement]:
    """Every entry of the list (the ``PROGRAMS`` table of ``path``, default the set-up script)."""
    found = _TABLE.search((path or LIST_PATH).read_text())
    if found is None:
        raise ValueError(f"no PROGRAMS table in {path or LIST_PATH}")
    entries: dict[str, Requirement] = {}
    for line in found.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, package, paths = line.split()
        kind = "files" if name.startswith("file:") else "programs"
        name = name.removeprefix("file:")
        entries[name] = Requirement(name, kind, package, tuple(paths.split(",")), "")
    return entries


def program_path(name: str) -> str:
    """Absolute path of the listed program ``name``.

    Raises
    ------
    KeyError
        ``name`` is not in the list: add it there with its Debian package.
    MissingProgram
        the program is listed but not installed; the message says which package to install.
    """
    entries = load()
    if name not in entries:
        raise KeyError(
            f"{name!r} is not in the PROGRAMS list of scripts/system_deps.sh: add it there with "
            "the Debian package that provides it"
        )
    requirement = entries[name]
    found = requirement.find()
    if found is None:
        raise MissingProgram(f"{name} not found on this machine: {requirement.install_hint()}")
    return found


def packages(entries: dict[str, Requirement] | None = None) -> list[str]:
    """Debian packages of the list, sorted, without repeats."""
    entries = load() if entries is None else entries
    return sorted({entry.package for entry in entries.values()})


def missing_packages(entries: dict[str, Requirement] | None = None) -> list[str]:
    """Packages at least one of whose programs or files is absent."""
    entries = load() if entries is None else entries
    return sorted({entry.package for entry in entries.values() if entry.find() is None})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--packages", action="store_true", help="every package of the list")
    group.add_argument("--missing-packages", action="store_true", help="packages to install")
    args = parser.parse_args(argv)
    print(" ".join(packages() if args.packages else missing_packages()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
