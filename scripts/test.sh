#!/usr/bin/env bash
# Every check, as CI runs it: unit, emulator and integration tests (pytest; they include the
# AWX credential type, ansible-runner jobs, the build/install, the EE context, the README's
# commands and the HTML report in headless Chromium), the changelog (antsibull-changelog) and docs
# (antsibull-docs) lint, ansible-test sanity, ansible-lint (production profile), and the
# collection build imported by galaxy-importer. Names each stage as it starts, fails on the first
# failing stage, and ends with a summary: the pytest counts of each suite and every stage's time.
# About 15 to 21 minutes on 2 cores (the README says how measured). Extra arguments go to each pytest run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
venv="${GRAPHOPS_VENV:-$root/.venv}"
export PATH="$venv/bin:$PATH"

started=$SECONDS
stage_started=$SECONDS
stages=()
counts=()
current=''
finish_stage() {
  if [ -n "$current" ]; then stages+=("$(printf '%5d s  %s' $((SECONDS - stage_started)) "$current")"); fi
}
stage() {
  finish_stage
  current="$*"
  stage_started=$SECONDS
  printf '\n== [%d] %s\n' $((${#stages[@]} + 1)) "$*"
}
summary() {
  local rc=$? failed_stage="$current"
  finish_stage
  current=''
  printf '\n== summary\n'
  printf '%s\n' "${stages[@]}"
  if [ ${#counts[@]} -gt 0 ]; then printf '%s\n' "${counts[@]}"; fi
  if [ "$rc" = 0 ]; then
    echo "all checks passed in $(((SECONDS - started) / 60)) min $(((SECONDS - started) % 60)) s"
    echo "$totals"
  else
    echo "FAILED in stage: ${failed_stage:-set-up} (exit $rc)"
  fi
}
trap summary EXIT

stage "system packages: shellcheck (sanity), chromium (report browser test)"
# Installed here when missing and the machine allows it (root and apt-get), as CI runs. Without
# them, sanity skips shellcheck and the browser test is skipped (it fails under CI=true).
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "apt-get install ${missing[*]}"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null 2>&1 \
    || echo "could not install ${missing[*]}"
elif [ ${#missing[@]} -gt 0 ]; then
  echo "not installed (needs root and apt-get): ${missing[*]}"
else
  echo "present: shellcheck, chromium"
fi

stage "virtualenv: ansible-core 2.21 on Python 3.13 (scripts/bootstrap.sh)"
bash scripts/bootstrap.sh

# Three pytest runs: each suite has its own conftest.py (unit: import path and fakes;
# emulator and integration: the emulator process), which must not share one session.
# pytest exits 5 when it collected no test: that is a failure here, never a pass.
# Integration tests spawn ansible-playbook and wait on it: two workers (each with its own
# emulator) keep both cores busy; one line per test with the percentage done shows progress.
total_passed=0
total_failed=0
totals=''
for suite in tests/unit tests/emulator_tests tests/integration; do
  stage "pytest $suite"
  args=(-q)
  if [ "$suite" = tests/integration ]; then args=(-v --no-header -n "${GRAPHOPS_TEST_WORKERS:-2}"); fi
  log="$(mktemp)"
  set +e
  "$venv/bin/python" -m pytest "$suite" -p no:cacheprovider "${args[@]}" "$@" | tee "$log"
  rc=${PIPESTATUS[0]}
  set -e
  line="$({ grep -E '^=* ?[0-9]+ (passed|failed|errors?|skipped|deselected)' "$log" || true; } | tail -1 | sed -E 's/^=+ //; s/ =+$//')"
  rm -f "$log"
  counts+=("$(printf 'pytest %-22s %s' "$suite:" "${line:-no result line (exit $rc)}")")
  passed="$(sed -nE 's/(^|.* )([0-9]+) passed.*/\2/p' <<<"$line")"
  failed="$(sed -nE 's/(^|.* )([0-9]+) failed.*/\2/p' <<<"$line")"
  total_passed=$((total_passed + ${passed:-0}))
  total_failed=$((total_failed + ${failed:-0}))
  [ "$rc" = 0 ] || exit "$rc"
done

stage "older ansible-core (2.16 to 2.20, on Python 3.11 and 3.12): the demo, changed then ok, and the bulk, auth and check-mode tests (scripts/compat.sh)"
bash scripts/compat.sh

stage "antsibull-changelog: fragments lint, changelog.yaml and CHANGELOG.md up to date"
bash scripts/changelog.sh --check

stage "antsibull-docs lint-collection-docs --plugin-docs"
bash scripts/docs.sh --lint

stage "ansible-test sanity from ansible-core 2.21 (compile and import on Python 3.11, 3.12, 3.13; no ignore file)"
# Sanity passes with no ignore entry at all; galaxy-importer warns about any ignore file, even an empty one.
if compgen -G 'tests/sanity/ignore-*.txt' >/dev/null; then
  echo "tests/sanity/ignore-*.txt must not exist: fix the code instead" >&2
  exit 1
fi
bash scripts/sanity.sh

stage "ansible-lint (production profile)"
ANSIBLE_COLLECTIONS_PATH="$(bash scripts/collection-path.sh)" "$venv/bin/ansible-lint" --profile production --offline

stage "ansible-galaxy collection build + galaxy-importer (no warning, no error)"
bash scripts/galaxy-importer.sh

# The last line, in the plain form CI readers take: the pytest counts of the three suites together.
totals="total: $total_passed passed, $total_failed failed"
