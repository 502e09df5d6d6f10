#!/usr/bin/env bash
# Install the Debian packages CER Milano needs, only when missing.
#   (no argument)   : Python's venv + every package of PROGRAMS below (the one list of the
#                     programs the deploy recipe and the tests start: Chromium, nginx, PostgreSQL…)
#   --python-only   : just make sure `python3 -m venv` works (Debian ships venv separately)
#   --print         : print the packages this script would consider, install nothing
set -euo pipefail
cd "$(dirname "$0")/.."

# The one list of the programs outside Python that deploy/stack.py and the test suite start, with
# the Debian package that provides each; deploy/programs.py reads this table (program_path) and
# tests/test_system_programs.py keeps it complete. Paths are globs (the highest version wins),
# comma-separated; a program not found there is looked up on PATH. "file:" rows are files.
#   program        Debian package      paths
PROGRAMS="
chromium           chromium            /usr/bin/chromium
nginx              nginx               /usr/sbin/nginx
initdb             postgresql          /usr/lib/postgresql/*/bin/initdb
pg_ctl             postgresql          /usr/lib/postgresql/*/bin/pg_ctl
createdb           postgresql          /usr/lib/postgresql/*/bin/createdb
runuser            util-linux          /usr/sbin/runuser,/sbin/runuser
bash               bash                /usr/bin/bash,/bin/bash
file:dejavu-fonts  fonts-dejavu-core   /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
"

py=$(command -v python3.11 || command -v python3 || true)
if [ -z "$py" ]; then echo "Python 3.11+ is required (apt-get install python3)" >&2; exit 1; fi
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python >= 3.11 is required; found $("$py" --version)" >&2; exit 1
fi

if [ "${1:-}" = "--print" ]; then
  "$py" deploy/programs.py --packages
  exit 0
fi

need=()
if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then need+=(python3-venv); fi
if [ "${1:-}" != "--python-only" ]; then
  read -r -a listed <<< "$("$py" deploy/programs.py --missing-packages)"
  need+=("${listed[@]}")
fi

[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Please run as root: apt-get update && apt-get install -y ${need[*]}" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
# a package that installed but did not bring its program is a broken list: say so now
missing=$("$py" deploy/programs.py --missing-packages)
if [ -n "$missing" ]; then
  echo "Installed, yet still missing programs of: $missing (check the PROGRAMS paths above)" >&2
  exit 1
fi
