"""The two lock files: production has no test tool, the dev lock sits on top of it without pinning a
package twice, every declared dependency is pinned at a version its lower bound allows, and the
production lock holds everything its packages require (so ``make run`` installs nothing unpinned)."""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SELF = canonicalize_name(PROJECT["name"])


def pins(path: Path) -> dict[str, str]:
    """``name -> version`` of the ``name==version`` lines of a lock file."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "-r ")):
            name, version = line.split("==")
            assert canonicalize_name(name) not in found, f"{name} pinned twice in {path.name}"
            found[canonicalize_name(name)] = version
    return found


PRODUCTION = pins(REPO / "requirements.lock")
DEV = pins(REPO / "requirements-dev.lock")


def declared(extra: str | None) -> list[Requirement]:
    lines = PROJECT["dependencies"] if extra is None else PROJECT["optional-dependencies"][extra]
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) != SELF]


def test_the_dev_lock_starts_from_the_production_lock_and_pins_nothing_twice():
    lines = [
        line
        for line in (REPO / "requirements-dev.lock").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "-r requirements.lock"
    assert set(PRODUCTION) & set(DEV) == set()


def test_the_production_lock_has_no_test_tool():
    runtime = {canonicalize_name(r.name) for r in declared(None)}
    tools = {canonicalize_name(r.name) for r in declared("dev")} - runtime
    assert tools, "the dev extra lists the test tools"
    assert tools & set(PRODUCTION) == set()
    assert tools <= set(DEV)


def test_every_declared_dependency_is_pinned_within_its_bounds():
    locked = PRODUCTION | DEV
    for extra, lock in ((None, PRODUCTION), ("build", locked), ("dev", locked)):
        for req in declared(extra):
            name = canonicalize_name(req.name)
            assert name in lock, f"{req.name} ({extra or 'run time'}) is not pinned"
            assert req.specifier.contains(lock[name], prereleases=True), (
                f"{req.name}=={lock[name]} is outside {req.specifier}"
            )


def test_the_production_lock_holds_what_its_packages_require():
    # Read from the installed metadata: `make test` installs exactly the locked versions.
    missing = []
    for name, version in PRODUCTION.items():
        dist = metadata.distribution(name)
        assert dist.version == version, f"{name} {dist.version} installed, {version} locked"
        extras = {e for r in declared(None) if canonicalize_name(r.name) == name for e in r.extras}
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in extras or {""}):
                continue
            needed = canonicalize_name(req.name)
            if needed not in PRODUCTION or not req.specifier.contains(
                PRODUCTION[needed], prereleases=True
            ):
                missing.append(f"{name} needs {req}")
    assert missing == []
