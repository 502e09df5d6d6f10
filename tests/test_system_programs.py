"""The one list of external programs (PROGRAMS in scripts/system_deps.sh) is complete and installed.

A fresh Debian machine gets exactly the Debian packages of that list from ``make test``
(``scripts/system_deps.sh``). These tests keep that true: the script installs the list, every
listed program is on the machine after it ran, every program the code starts by name is listed,
and starting an unlisted program during the tests fails (``tests/programs_audit.py``).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from deploy import programs
from tests import programs_audit

REPO_ROOT = Path(__file__).resolve().parents[1]
SUBPROCESS_CALLS = {"run", "Popen", "call", "check_call", "check_output"}
SCANNED = ("tests", "deploy", "benchmarks", "scripts", "cer_core", "app")


def test_setup_script_installs_exactly_the_listed_packages():
    bash = programs.program_path("bash")
    printed = subprocess.run(
        [bash, str(REPO_ROOT / "scripts" / "system_deps.sh"), "--print"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert printed == programs.packages()
    assert {"chromium", "nginx", "postgresql"} <= set(printed)


@pytest.mark.parametrize("name", sorted(programs.load()))
def test_every_listed_program_is_on_this_machine(name):
    entry = programs.load()[name]
    assert entry.find() is not None, (
        f"{name} is listed but absent: scripts/system_deps.sh should have installed "
        f"{entry.package}; {entry.install_hint()}"
    )


def _programs_named_in(path: Path) -> list[tuple[int, str]]:
    """(line, program) for every program the file starts or looks up by a literal name."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        first = node.args[0]
        if name in {"program_path", "which"} and isinstance(first, ast.Constant):
            found.append((node.lineno, str(first.value)))
        elif name in SUBPROCESS_CALLS and isinstance(first, ast.List) and first.elts:
            head = first.elts[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                found.append((node.lineno, Path(head.value).name))
    return found


def test_every_program_the_code_starts_by_name_is_listed():
    listed = {name for name, entry in programs.load().items() if entry.kind == "programs"}
    unlisted = []
    for folder in SCANNED:
        for path in sorted((REPO_ROOT / folder).rglob("*.py")):
            if path == Path(__file__).resolve():  # its own examples of unlisted programs
                continue
            for line, program in _programs_named_in(path):
                if program not in listed:
                    unlisted.append(f"{path.relative_to(REPO_ROOT)}:{line} starts {program!r}")
    assert unlisted == [], (
        "add these to the PROGRAMS list of scripts/system_deps.sh with their Debian package"
    )


def test_the_scan_sees_a_literal_program(tmp_path):
    sample = tmp_path / "sample.py"
    # the names are assembled here so that this file itself names no unlisted program
    server, cache = "red" + "is-server", "memc" + "ached"
    sample.write_text(
        f"import subprocess, shutil\nsubprocess.run([{server!r}, '--port', '0'])\n"
        f"shutil.which({cache!r})\n"
    )
    assert _programs_named_in(sample) == [(2, server), (3, cache)]


def test_starting_an_unlisted_program_fails_the_test():
    with pytest.raises(
        programs_audit.UnlistedProgram, match="the PROGRAMS list of scripts/system_deps.sh"
    ):
        subprocess.run(["true"], check=False)
    # the interpreter of this environment (and what pip installed) is always allowed
    done = subprocess.run([sys.executable, "-c", "print('ok')"], capture_output=True, text=True)
    assert done.stdout.strip() == "ok"


def test_a_missing_program_names_its_debian_package(tmp_path, monkeypatch):
    listing = tmp_path / "system_deps.sh"
    listing.write_text('PROGRAMS="\nfrobnicate  frobnicate-tools  /nonexistent/frob*\n"\n')
    monkeypatch.setattr(programs, "LIST_PATH", listing)
    with pytest.raises(programs.MissingProgram, match="apt-get install frobnicate-tools"):
        programs.program_path("frobnicate")
    assert programs.missing_packages() == ["frobnicate-tools"]
    with pytest.raises(KeyError, match="not in the PROGRAMS list"):
        programs.program_path("nginx")
