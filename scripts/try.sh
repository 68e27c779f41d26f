#!/usr/bin/env bash
# Try the collection by hand, with no Microsoft tenant: README.md, "Try it".
#   scripts/try.sh start   builds .venv if needed, starts the emulator in the background with the
#                          showcase tenant (tests/emulator/showcase.yml) and prints the export lines
#                          to paste (or: eval "$(bash scripts/try.sh start)"); the notes go to stderr
#   scripts/try.sh stop    stops that emulator
# GRAPHOPS_EMULATOR_DIR (default .try) holds its state; GRAPHOPS_EMULATOR_SEED picks another seed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
export GRAPHOPS_EMULATOR_DIR="${GRAPHOPS_EMULATOR_DIR:-$root/.try}"
export GRAPHOPS_EMULATOR_SEED="${GRAPHOPS_EMULATOR_SEED:-$root/tests/emulator/showcase.yml}"
case "${1:-}" in
  start)
    bash "$root/scripts/bootstrap.sh" >&2
    env="$(bash "$root/scripts/emulator.sh" start)"
    collections="$(bash "$root/scripts/collection-path.sh")"
    url="$(sed -n "s/^export GRAPH_ENDPOINT='\(.*\)'$/\1/p" <<<"$env")"
    # A token cached for an earlier emulator run is of no use to this one.
    rm -f "$GRAPHOPS_EMULATOR_DIR/token_cache.json"
    {
      echo "Emulator running at $url (log: $GRAPHOPS_EMULATOR_DIR/emulator.log; stop: bash scripts/try.sh stop)."
      echo "Paste these lines into your shell, then run the README's examples:"
      echo
    } >&2
    cat <<ENV
$env
export ANSIBLE_COLLECTIONS_PATH='$collections'
export PATH='$venv/bin':"\$PATH"
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
ENV
    ;;
  stop)
    bash "$root/scripts/emulator.sh" stop
    echo "Emulator stopped." >&2
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
