#!/usr/bin/env bash
# The README's report picture, made the way a user makes the report: the emulator with the
# showcase tenant (tests/emulator/showcase.yml), `ansible-playbook graphops.intune.report`, then a
# screenshot of that page in headless Chromium (tests/report_browser.py, the browser the tests use).
#   scripts/screenshot.sh [OUT.png]     default docs/images/update_report.png; the report stays in
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
# The four showcase devices that have configuration states (one per state kind worth showing).
devices=d1e2f3a4-0000-4000-8000-000000000001,d1e2f3a4-0000-4000-8000-000000000003
devices="$devices,d1e2f3a4-0000-4000-8000-000000000005,d1e2f3a4-0000-4000-8000-000000000012"
(cd "$work" && ANSIBLE_HOME="$work/ansible-home" ansible-playbook graphops.intune.report \
  -e update_report_dir="$work/report" -e managed_device_ids="$devices" | grep -A2 'Show where the report is')
echo "== screenshot (headless Chromium, 1280x1400)"
"$venv/bin/python" "$root/tests/report_browser.py" screenshot "$work/report/update-report.html" "$out" --width 1280 --height 1400
