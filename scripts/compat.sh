#!/usr/bin/env bash
# The older ansible-core releases the collection claims (meta/runtime.yml), each in its own venv
# (.venv-compat/<version>, with requirements.txt): the demo playbook against the emulator, twice,
# changed then ok (scripts/demo.sh with GRAPHOPS_DEMO_VENV). ansible-core 2.19, the dev venv's,
# runs the whole test suite. GRAPHOPS_COMPAT_VERSIONS overrides the list (exact pins).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
versions="${GRAPHOPS_COMPAT_VERSIONS:-2.16.19 2.17.14 2.18.19}"
for version in $versions; do
  venv="$root/.venv-compat/$version"
  if [ ! -x "$venv/bin/ansible-playbook" ]; then
    echo "compat: ansible-core $version into $venv"
    rm -rf "$venv"
    "${PYTHON:-python3}" -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "ansible-core==$version" -r "$root/requirements.txt" \
      2> >(grep -v '^WARNING: Location' >&2)
  fi
  echo "compat: $("$venv/bin/ansible-playbook" --version | head -1)"
  GRAPHOPS_DEMO_VENV="$venv" GRAPHOPS_EMULATOR_DIR="$root/.emulator-compat" bash "$root/scripts/demo.sh" > "$root/.venv-compat/demo-$version.log" 2>&1 \
    || { tail -40 "$root/.venv-compat/demo-$version.log" >&2; echo "compat: the demo failed under ansible-core $version" >&2; exit 1; }
  tail -1 "$root/.venv-compat/demo-$version.log"
done
