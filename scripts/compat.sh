#!/usr/bin/env bash
# The older ansible-core releases the collection claims (meta/runtime.yml: >=2.16.0), each on a
# Python its controller supports, in its own venv (.venv-compat/<version>-py<X.Y>: ansible-core,
# requirements.txt, and pytest, xdist and trustme at the dev venv's pins). ansible-core 2.21 on Python 3.13,
# the dev venv's, runs the whole test suite; here each older release runs a smaller stage:
#   - the demo playbook against the emulator, twice, changed then ok (scripts/demo.sh with
#     GRAPHOPS_DEMO_VENV), with no deprecation warning in its output;
#   - the bulk, authentication and check-mode integration tests, run by that venv's pytest (two
#     xdist workers, as the test command's integration stage) so that their ansible-playbook is
#     that release's (tests/integration/conftest.py fails any run that prints a deprecation warning).
# GRAPHOPS_COMPAT_VERSIONS overrides the list: exact pins, each as VERSION@PYTHON (2.20.10@3.12)
# or VERSION alone (on 3.11 up to 2.19, on 3.12 from 2.20). scripts/python.sh finds the Pythons.
# Venvs are kept between runs and pip's cache is used, so a second run installs nothing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
versions="${GRAPHOPS_COMPAT_VERSIONS:-2.16.19@3.11 2.17.14@3.11 2.18.19@3.11 2.19.14@3.12 2.20.10@3.12}"
# The integration tests of this stage: whole files (authentication, bulk) and the check-mode
# tests of the resource modules.
tests=(
  tests/integration/test_authentication.py
  tests/integration/test_device_update_state_bulk.py
  tests/integration/test_device_update_state.py
  tests/integration/test_windows_update_ring.py
  tests/integration/test_windows_update_policy.py
  tests/integration/test_wufb_configuration.py
)
# Which national cloud asks for which Graph scope is the collection's own logic: the global one is enough here.
selection='(test_authentication or test_device_update_state_bulk or check_mode) and not (usgov or china)'
# The test tools at the dev venv's pins (requirements-dev.txt), so every release runs the same pytest.
mapfile -t test_tools < <(grep -E '^(pytest|pytest-xdist|execnet|pluggy|iniconfig|trustme)==' "$root/requirements-dev.txt")
mkdir -p "$root/.venv-compat"
for entry in $versions; do
  version="${entry%@*}"
  python_version="${entry#*@}"
  if [ "$python_version" = "$entry" ]; then
    minor="${version#2.}"; minor="${minor%%.*}"
    if [ "$minor" -ge 20 ]; then python_version=3.12; else python_version=3.11; fi
  fi
  venv="$root/.venv-compat/$version-py$python_version"
  stamp="$venv/.compat-requirements"
  want="$(printf '%s\n' "ansible-core==$version" "${test_tools[@]}" | cat - "$root/requirements.txt")"
  if [ ! -x "$venv/bin/python" ]; then
    python="$(bash "$root/scripts/python.sh" "$python_version")"
    echo "compat: ansible-core $version on Python $python_version into $venv"
    "$python" -m venv "$venv"
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ansible-core==$version" -r "$root/requirements.txt" \
      "${test_tools[@]}" 2> >(grep -v '^WARNING: Location' >&2)
    printf '%s\n' "$want" > "$stamp"
  fi
  about="$("$venv/bin/ansible-playbook" --version)"
  echo "compat: ${about%%$'\n'*} on Python $("$venv/bin/python" -c 'import platform; print(platform.python_version())')"
  log="$root/.venv-compat/demo-$version.log"
  GRAPHOPS_DEMO_VENV="$venv" GRAPHOPS_EMULATOR_DIR="$root/.emulator-compat" bash "$root/scripts/demo.sh" > "$log" 2>&1 \
    || { tail -40 "$log" >&2; echo "compat: the demo failed under ansible-core $version" >&2; exit 1; }
  if grep -n 'DEPRECATION' "$log" >&2; then
    echo "compat: the demo printed a deprecation warning under ansible-core $version ($log)" >&2
    exit 1
  fi
  tail -1 "$log"
  log="$root/.venv-compat/tests-$version.log"
  (cd "$root" && "$venv/bin/python" -m pytest -p no:cacheprovider -q --no-header -n "${GRAPHOPS_TEST_WORKERS:-2}" "${tests[@]}" -k "$selection") > "$log" 2>&1 \
    || { tail -40 "$log" >&2; echo "compat: integration tests failed under ansible-core $version" >&2; exit 1; }
  echo "compat: integration tests: $(tail -1 "$log" | sed -E 's/^=+ //; s/ =+$//')"
done
