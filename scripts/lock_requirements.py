"""Write the two lock files from the environment the dev install made (``make lock``).

- ``requirements.lock``: every package the app needs at run time — ``[project.dependencies]`` of
  ``pyproject.toml`` and everything they require — pinned to the version installed here;
- ``requirements-dev.lock``: starts with ``-r requirements.lock`` and pins only what the tests and
  tools add (the ``dev`` extra, which includes the ``build`` extra).

The split follows the packages' own metadata (``Requires-Dist``, environment markers evaluated for
this interpreter), so a test tool can never slip into the production lock: a package is production
only if a run-time dependency leads to it.

Usage: ``python scripts/lock_requirements.py [--check]`` from the repository root, in the venv
that ``make install-dev`` set up. ``--check`` writes nothing and exits 1 when a file would change.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = "cer-milano"
PRODUCTION_LOCK = REPO / "requirements.lock"
DEV_LOCK = REPO / "requirements-dev.lock"

PRODUCTION_HEADER = """\
# Production: the exact version of every package the app needs at run time (pyproject.toml
# [project.dependencies] and what they require). No test tool here. Written by `make lock`.
"""
DEV_HEADER = """\
# Development: the production lock plus what the tests, the builders and the tools add
# (pyproject.toml extras `dev` and `build`). Written by `make lock`.
-r requirements.lock
"""


def _installed() -> dict[str, metadata.Distribution]:
    return {canonicalize_name(d.metadata["Name"]): d for d in metadata.distributions()}


def _requirements(dist: metadata.Distribution, extras: set[str]) -> list[Requirement]:
    """What ``dist`` requires with ``extras`` selected, markers evaluated here."""
    wanted = []
    for line in dist.requires or []:
        req = Requirement(line)
        if req.marker and not any(
            req.marker.evaluate({"extra": extra}) for extra in (extras or {""})
        ):
            continue
        wanted.append(req)
    return wanted


def closure(roots: list[Requirement], installed: dict[str, metadata.Distribution]) -> set[str]:
    """Canonical names of ``roots`` and everything they require, transitively.

    Raises
    ------
    SystemExit
        When a required package is not installed (run ``make install-dev`` first).
    """
    extras_seen: dict[str, set[str]] = {}
    stack = list(roots)
    while stack:
        req = stack.pop()
        name = canonicalize_name(req.name)
        if name not in installed:
            raise SystemExit(f"{req.name} is required but not installed: run `make install-dev`")
        new = set(req.extras) - extras_seen.get(name, set())
        if name in extras_seen and not new:
            continue
        extras_seen.setdefault(name, set()).update(req.extras)
        stack.extend(
            r
            for r in _requirements(installed[name], extras_seen[name])
            if canonicalize_name(r.name) != PROJECT
        )
    return set(extras_seen)


def _pins(names: set[str], installed: dict[str, metadata.Distribution]) -> str:
    rows = sorted((installed[n].metadata["Name"], installed[n].version) for n in names)
    return "".join(
        f"{name}=={version}\n" for name, version in sorted(rows, key=lambda r: r[0].lower())
    )


def lock_texts() -> tuple[str, str]:
    """The production and dev lock files for the environment this runs in."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    installed = _installed()
    runtime = [Requirement(r) for r in project["dependencies"]]
    tools = [
        Requirement(r)
        for extra in ("dev", "build")
        for r in project["optional-dependencies"][extra]
        if canonicalize_name(Requirement(r).name) != PROJECT
    ]
    production = closure(runtime, installed)
    development = closure(runtime + tools, installed) - production
    return (
        PRODUCTION_HEADER + _pins(production, installed),
        DEV_HEADER + _pins(development, installed),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report a difference, write nothing")
    args = parser.parse_args(argv)
    production, development = lock_texts()
    changed = [
        path
        for path, text in ((PRODUCTION_LOCK, production), (DEV_LOCK, development))
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if args.check:
        for path in changed:
            print(f"{path.name} differs from the installed environment")
        return 1 if changed else 0
    PRODUCTION_LOCK.write_text(production, encoding="utf-8")
    DEV_LOCK.write_text(development, encoding="utf-8")
    print(
        f"{PRODUCTION_LOCK.name}: {production.count('==')} pins; {DEV_LOCK.name}: {development.count('==')} more"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
