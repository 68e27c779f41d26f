#!/usr/bin/env bash
# Every check, as CI runs it: unit, emulator and integration tests (pytest; they include the
# AWX credential type, ansible-runner jobs, the build/install and the EE context), the changelog
# (antsibull-changelog) and docs (antsibull-docs) lint, ansible-test sanity, ansible-lint
# (production profile), and the collection build. Fails on the first
# failing stage and prints a summary line of the pytest counts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/bootstrap.sh
venv="${GRAPHOPS_VENV:-$root/.venv}"
export PATH="$venv/bin:$PATH"

stage() { printf '\n== %s\n' "$*"; }

# Three pytest runs: each suite has its own conftest.py (unit: import path and fakes;
# emulator and integration: the emulator process), which must not share one session.
# pytest exits 5 when it collected no test: that is a failure here, never a pass.
# Integration tests spawn ansible-playbook and wait on it: two workers (each with its own
# emulator) keep both cores busy.
for suite in tests/unit tests/emulator_tests tests/integration; do
  stage "pytest $suite"
  workers=()
  if [ "$suite" = tests/integration ]; then workers=(-n "${GRAPHOPS_TEST_WORKERS:-2}"); fi
  "$venv/bin/python" -m pytest "$suite" -q -p no:cacheprovider "${workers[@]}" "$@"
done

stage "antsibull-changelog: fragments lint, changelog.yaml and CHANGELOG.md up to date"
bash scripts/changelog.sh --check

stage "antsibull-docs lint-collection-docs --plugin-docs"
bash scripts/docs.sh --lint

stage "ansible-test sanity (empty ignore files)"
for ignore in tests/sanity/ignore-*.txt; do
  if [ -s "$ignore" ]; then echo "$ignore is not empty" >&2; exit 1; fi
done
bash scripts/sanity.sh

stage "ansible-lint (production profile)"
ANSIBLE_COLLECTIONS_PATH="$(bash scripts/collection-path.sh)" "$venv/bin/ansible-lint" --profile production --offline

stage "ansible-galaxy collection build"
out="$(mktemp -d)"
"$venv/bin/ansible-galaxy" collection build --force --output-path "$out" . >/dev/null
ls "$out"/graphops-intune-*.tar.gz
rm -rf "$out"

stage "all checks passed"
