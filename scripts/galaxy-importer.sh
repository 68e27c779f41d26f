#!/usr/bin/env bash
# Build the collection tarball and import it with galaxy-importer, as Galaxy would on upload.
# Fails on any WARNING or ERROR line, not only on a failed import. Settings: galaxy-importer.cfg
# beside this script (no container: ansible-test sanity runs in scripts/sanity.sh instead).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv/bin/ansible-galaxy" collection build --force --output-path "$work" "$root" >/dev/null
tarball="$(ls "$work"/graphops-intune-*.tar.gz)"
echo "importing $(basename "$tarball")"
status=0
(cd "$work" && PATH="$venv/bin:$PATH" ANSIBLE_HOME="$work/ansible-home" GALAXY_IMPORTER_CONFIG="$root/scripts/galaxy-importer.cfg" \
  "$venv/bin/python" -m galaxy_importer.main "$tarball") > "$work/importer.log" 2>&1 || status=$?
problems="$(grep -E '(WARNING|ERROR)' "$work/importer.log" || true)"
if [ "$status" != 0 ] || [ -n "$problems" ]; then
  cat "$work/importer.log" >&2
  echo "galaxy-importer: exit $status, $(grep -c . <<<"$problems") warning or error line(s)" >&2
  exit 1
fi
docs="$("$venv/bin/python" -c 'import json,sys; d=json.load(open(sys.argv[1])); print(" ".join(f["name"] for f in d["docs_blob"]["documentation_files"] or []))' "$work/importer_result.json")"
echo "galaxy-importer: no warning, no error; docs shown: ${docs:-none}"
