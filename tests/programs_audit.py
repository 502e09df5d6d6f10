"""Every program the project's code starts in the tests is in the list of scripts/system_deps.sh.

``install()`` wraps ``subprocess.Popen`` (which ``subprocess.run`` and ``check_output`` go
through) for the whole test session. When the call comes from the repository's own code (tests,
``deploy/``, ``cer_core/``, ``app/``, ``benchmarks/``, ``scripts/``), starting a program that is
neither inside this Python environment nor in the list raises :class:`UnlistedProgram`: a test
that quietly relies on a program the set-up script does not install turns the suite red on the
machine where it was written, not only on a fresh one. What the standard library or an installed
package starts for itself (``platform`` asking ``uname``) is theirs to ship, and not audited.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from deploy.programs import load

REPO_ROOT = Path(__file__).resolve().parents[1]


class UnlistedProgram(RuntimeError):
    """A test started a program that the PROGRAMS list of scripts/system_deps.sh does not list."""


_ORIGINAL_INIT = subprocess.Popen.__init__


def _inside_python_environment(path: str) -> bool:
    """True for the interpreter, the venv's console scripts and what packages ship (Playwright's
    node driver): pip installs those, not apt."""
    absolute = os.path.abspath(path)
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix}
    return any(absolute.startswith(os.path.join(root, "")) for root in roots)


def executable_of(args, executable: str | None = None, shell: bool = False) -> str:
    """The program a Popen call starts (its first argument, or the shell)."""
    if shell:
        return executable or "/bin/sh"
    if executable:
        return str(executable)
    if isinstance(args, str | bytes | os.PathLike):
        return os.fsdecode(args)
    return os.fsdecode(list(args)[0])


def check(program: str) -> None:
    """Raise :class:`UnlistedProgram` unless ``program`` may be started by the tests."""
    resolved = program if os.path.isabs(program) else (shutil.which(program) or program)
    if _inside_python_environment(resolved):
        return
    entries = load()
    for entry in entries.values():
        if entry.kind != "programs":
            continue
        found = entry.find()
        if Path(program).name == entry.name or (
            found is not None and os.path.realpath(found) == os.path.realpath(resolved)
        ):
            return
    raise UnlistedProgram(
        f"the tests started {program!r}, which the PROGRAMS list of scripts/system_deps.sh does not list: add it there "
        "with its Debian package, so that scripts/system_deps.sh installs it on a fresh machine"
    )


def _called_from_the_project() -> bool:
    """True when the code that asked for the process is the repository's own (not a library's)."""
    frame = sys._getframe(2)  # past _audited_init and its caller's subprocess wrapper
    while frame is not None and frame.f_code.co_filename == subprocess.__file__:
        frame = frame.f_back
    if frame is None:
        return False
    filename = os.path.abspath(frame.f_code.co_filename)
    inside_repo = filename.startswith(os.path.join(str(REPO_ROOT), ""))
    return inside_repo and not _inside_python_environment(filename)


def _audited_init(self, args, *rest, **kwargs):
    if _called_from_the_project():
        check(executable_of(args, kwargs.get("executable"), kwargs.get("shell", False)))
    _ORIGINAL_INIT(self, args, *rest, **kwargs)


def install() -> None:
    subprocess.Popen.__init__ = _audited_init


def uninstall() -> None:
    subprocess.Popen.__init__ = _ORIGINAL_INIT
