#!/usr/bin/env bash
# The README's report picture, made the way a user makes the report: the emulator with the
# showcase tenant (tests/emulator/showcase.yml), `ansible-playbook graphops.intune.report`, then a
# screenshot of that page in headless Chromium (tests/report_browser.py, the browser the tests use).
#   scripts/screenshot.sh [OUT.png]     default docs/images/update_report.png (recompressed losslessly
#                                       with optipng when installed); the report stays in
#                                       .try-screenshot/report
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
out="${1:-$root/docs/images/update_report.png}"
work="$root/.try-screenshot"
rm -rf "$work"
mkdir -p "$work"
export GRAPHOPS_EMULATOR_DIR="$work/emulator"
trap 'bash "$root/scripts/try.sh" stop 2>/dev/null' EXIT
eval "$(bash "$root/scripts/try.sh" start 2>/dev/null)"
echo "== report from the showcase tenant"
# As "Try it" runs it: the playbook finds the devices that have configuration states itself.
(cd "$work" && ANSIBLE_HOME="$work/ansible-home" ansible-playbook graphops.intune.report \
  -e update_report_dir="$work/report" | grep -A2 'Show where the report is')
echo "== screenshot (headless Chromium, 1280x1400)"
"$venv/bin/python" "$root/tests/report_browser.py" screenshot "$work/report/update-report.html" "$out" --width 1280 --height 1400
# Lossless recompression (the pixels stay the same): about a third smaller than Chromium's PNG.
if command -v optipng >/dev/null; then
  before="$(stat -c %s "$out")"
  optipng -quiet -o7 -strip all "$out"
  echo "optipng: $before -> $(stat -c %s "$out") bytes"
else
  echo "optipng not found (apt-get install optipng): $out is left as Chromium wrote it" >&2
fi
