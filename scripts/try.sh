#!/usr/bin/env bash
# Try the collection by hand, with no Microsoft tenant: README.md, "Try it".
#   scripts/try.sh start   builds .venv if needed, starts the emulator in the background with the
#                          showcase tenant (tests/emulator/showcase.yml) and prints the export lines
#                          to paste (or: eval "$(bash scripts/try.sh start)"); the notes go to stderr
#   scripts/try.sh stop    stops that emulator, and returns once it has exited (at most 20 s: then
#                          it is killed)
# GRAPHOPS_EMULATOR_DIR (default .try) holds its state; GRAPHOPS_EMULATOR_SEED picks another seed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
export GRAPHOPS_EMULATOR_DIR="${GRAPHOPS_EMULATOR_DIR:-$root/.try}"
export GRAPHOPS_EMULATOR_SEED="${GRAPHOPS_EMULATOR_SEED:-$root/tests/emulator/showcase.yml}"
# Whether process $1 still runs and is the emulator of this state directory (a zombie waiting for its
# parent to reap it has exited; a pid reused by another program is not the emulator).
running() {
  if [ -r "/proc/$1/stat" ]; then
    [ "$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" != Z ] &&
      { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null | grep -qF -- "$GRAPHOPS_EMULATOR_DIR"
  else
    kill -0 "$1" 2>/dev/null
  fi
}
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
    pid="$(cat "$GRAPHOPS_EMULATOR_DIR/pid" 2>/dev/null || true)"
    bash "$root/scripts/emulator.sh" stop
    if [ -n "$pid" ]; then
      # The emulator finishes its requests and exits within a few seconds of the signal: wait for it,
      # then kill it if it is still there, so that the port and the state directory are free on return.
      for _ in $(seq 1 200); do
        running "$pid" || break
        sleep 0.1
      done
      if running "$pid"; then
        echo "The emulator (pid $pid) did not exit within 20 s: killing it." >&2
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
          running "$pid" || break
          sleep 0.1
        done
      fi
      if running "$pid"; then
        echo "The emulator (pid $pid) is still running." >&2
        exit 1
      fi
    fi
    echo "Emulator stopped." >&2
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac
