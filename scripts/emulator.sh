#!/usr/bin/env bash
# Start or stop the Graph/Entra emulator in the background for the demo and for manual use.
#   scripts/emulator.sh start   -> prints the env vars to point the collection at it (eval-able)
#   scripts/emulator.sh stop
# GRAPHOPS_EMULATOR_SEED picks another seed file (default tests/emulator/seed.yml).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
state="${GRAPHOPS_EMULATOR_DIR:-$root/.emulator}"
info="$state/info.json"
case "${1:-}" in
  start)
    mkdir -p "$state"
    if [ -f "$state/pid" ] && kill -0 "$(cat "$state/pid")" 2>/dev/null; then
      kill "$(cat "$state/pid")" 2>/dev/null || true
      sleep 0.5
    fi
    rm -f "$info"
    "$venv/bin/python" "$root/tests/emulator/run.py" --seed "${GRAPHOPS_EMULATOR_SEED:-$root/tests/emulator/seed.yml}" --port "${GRAPHOPS_EMULATOR_PORT:-0}" \
      --state-dir "$state" --info-file "$info" > "$state/emulator.log" 2>&1 &
    echo $! > "$state/pid"
    for _ in $(seq 1 100); do
      [ -s "$info" ] && break
      kill -0 "$(cat "$state/pid")" 2>/dev/null || { cat "$state/emulator.log" >&2; echo "emulator failed to start" >&2; exit 1; }
      sleep 0.2
    done
    [ -s "$info" ] || { echo "emulator did not start within 20 s" >&2; exit 1; }
    url="$("$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["url"])' "$info")"
    ca="$("$venv/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["ca_bundle"])' "$info")"
    cat <<ENV
export GRAPH_ENDPOINT='$url'
export AZURE_AUTHORITY_HOST='$url'
export REQUESTS_CA_BUNDLE='$ca'
export AZURE_TENANT_ID='11111111-1111-1111-1111-111111111111'
export AZURE_CLIENT_ID='22222222-2222-2222-2222-222222222222'
export AZURE_CLIENT_SECRET='emulator-demo-secret'
export GRAPH_TOKEN_CACHE='$state/token_cache.json'
ENV
    ;;
  stop)
    if [ -f "$state/pid" ]; then
      kill "$(cat "$state/pid")" 2>/dev/null || true
      rm -f "$state/pid" "$info"
    fi
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
