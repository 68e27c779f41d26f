#!/usr/bin/env bash
# The main job: playbooks/demo.yml against the emulator, twice. The first run must report
# changes, the second none (idempotency). Exits non-zero otherwise.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/bootstrap.sh"
venv="${GRAPHOPS_VENV:-$root/.venv}"
# The venv whose ansible-playbook runs the demo (scripts/compat.sh points it at older ansible-core releases).
player="${GRAPHOPS_DEMO_VENV:-$venv}"
export GRAPHOPS_EMULATOR_DIR="${GRAPHOPS_EMULATOR_DIR:-$root/.emulator}"
trap 'bash "$root/scripts/emulator.sh" stop' EXIT
eval "$(bash "$root/scripts/emulator.sh" start)"
rm -f "$GRAPH_TOKEN_CACHE"
export ANSIBLE_COLLECTIONS_PATH
ANSIBLE_COLLECTIONS_PATH="$(bash "$root/scripts/collection-path.sh")"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
export ANSIBLE_HOME="$root/.ansible"
cd "$root"
run() {
  "$player/bin/ansible-playbook" -i localhost, -c local -e "ansible_python_interpreter=$player/bin/python" \
    playbooks/demo.yml "$@" | tee "$GRAPHOPS_EMULATOR_DIR/last-run.txt"
  recap="$(grep -E '^localhost +:' "$GRAPHOPS_EMULATOR_DIR/last-run.txt")"
  changed="$(sed -E 's/.*changed=([0-9]+).*/\1/' <<<"$recap")"
  failed="$(sed -E 's/.*failed=([0-9]+).*/\1/' <<<"$recap")"
}
echo "== demo, first run (expect changed)"
run "$@"
first_changed="$changed"
[ "$failed" = 0 ] || { echo "demo: first run failed" >&2; exit 1; }
echo "== demo, second run (expect ok, no change)"
run "$@"
[ "$failed" = 0 ] || { echo "demo: second run failed" >&2; exit 1; }
if [ "$first_changed" -gt 0 ] && [ "$changed" = 0 ]; then
  echo "demo: first run changed=$first_changed, second run changed=0: idempotent"
else
  echo "demo: expected changes on the first run and none on the second (got $first_changed, then $changed)" >&2
  exit 1
fi
