#!/usr/bin/env bash
# Create (or refresh) the project's virtualenv in .venv with the pinned dev/test set.
# Idempotent: re-running only installs what changed in requirements-dev.txt, and says nothing
# when nothing changed. Otherwise it says what it installs, one line per package.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
# The newest ansible-core the collection claims runs the whole test suite, on its newest Python:
# ansible-core 2.21 on Python 3.13 (scripts/python.sh finds it: pyenv, then python3.13 on the PATH).
# PYTHON overrides the interpreter.
want_python="3.13"
python="${PYTHON:-}"
if [ -n "$python" ]; then want_python="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"; fi
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$want_python" ]; then
  echo "bootstrap: $venv is not on Python $want_python: making it again"
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  python="${python:-$(bash "$root/scripts/python.sh" "$want_python")}"
  echo "bootstrap: creating the virtualenv $venv ($("$python" --version))"
  "$python" -m venv "$venv"
fi
stamp="$venv/.requirements-dev.sha256"
want="$(sha256sum "$root/requirements-dev.txt" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  total="$(grep -c '==' "$root/requirements-dev.txt")"
  echo "bootstrap: installing the $total pinned packages of requirements-dev.txt into $venv"
  echo "bootstrap: (ansible-core, msal, requests, pytest, ansible-lint, antsibull-*, playwright, galaxy-importer and"
  echo "bootstrap:  their dependencies; about a minute on a fresh machine, seconds when pip's cache has them)"
  start=$SECONDS
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | awk '!/^WARNING: Location/'
  # pip's own output, cut down to one numbered line per package it resolves.
  "$venv/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$root/requirements-dev.txt" 2>&1 \
    | awk -v total="$total" '
        /^Collecting / { n++; printf "bootstrap: [%3d/%d] %s\n", n, total, $2; fflush(); next }
        /^Processing .*\.whl/ { n++; k = split($2, p, "/"); printf "bootstrap: [%3d/%d] %s\n", n, total, p[k]; fflush(); next }
        /^Installing collected packages/ { print "bootstrap: installing what was collected..."; fflush(); next }
        /^Successfully installed/ { printf "bootstrap: installed %d package(s)\n", NF - 2; fflush(); next }
        /^(ERROR|error)/ { print; fflush() }'
  echo "$want" > "$stamp"
  echo "bootstrap: done in $((SECONDS - start)) s"
fi
# The Graph SDK models the tests check request bodies against (a test dependency only; quiet when already installed).
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$root/requirements-sdk.txt" 2>&1 | awk '!/^WARNING: Location/'
