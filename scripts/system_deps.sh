#!/usr/bin/env bash
# Install the Debian packages CER Milano's tests need, only when missing.
#   --python-only : just make sure `python3 -m venv` works (Debian ships venv separately).
set -euo pipefail

need=()
py=$(command -v python3.11 || command -v python3 || true)
if [ -z "$py" ]; then echo "Python 3.11+ is required (apt-get install python3)" >&2; exit 1; fi
if ! "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Python >= 3.11 is required; found $("$py" --version)" >&2; exit 1
fi
if ! "$py" -c 'import ensurepip, venv' 2>/dev/null; then need+=(python3-venv); fi

if [ "${1:-}" != "--python-only" ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
  fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
fi

[ ${#need[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${need[*]}"
if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; else
  echo "Please run as root: apt-get update && apt-get install -y ${need[*]}" >&2; exit 1
fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
