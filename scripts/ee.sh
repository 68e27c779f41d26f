#!/usr/bin/env bash
# Execution environment for AWX/AAP with this collection, from tests/ee/execution-environment.yml:
#   scripts/ee.sh [CONTEXT_DIR]                 build the collection tarball and write the build context
#                                               (ansible-builder create; default build/ee)
#   scripts/ee.sh --build TAG [CONTEXT_DIR]     also build the image (ansible-builder build; needs podman or docker)
# The context holds a Containerfile and everything it copies, so it can also be built elsewhere
# with `podman build -f Containerfile -t TAG CONTEXT_DIR`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
tag=""
if [ "${1:-}" = "--build" ]; then
  tag="${2:?usage: $0 [--build TAG] [CONTEXT_DIR]}"
  shift 2
fi
context="${1:-$root/build/ee}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$root/tests/ee/execution-environment.yml" "$root/tests/ee/requirements.yml" "$work/"
"$venv/bin/ansible-galaxy" collection build --force --output-path "$work/dist" "$root" >/dev/null
cp "$work"/dist/graphops-intune-*.tar.gz "$work/graphops-intune.tar.gz"
rm -rf "$context"
"$venv/bin/ansible-builder" create --file "$work/execution-environment.yml" --context "$context" \
  --output-filename Containerfile
if [ -n "$tag" ]; then
  runtime=""
  for candidate in podman docker; do
    if command -v "$candidate" >/dev/null 2>&1; then runtime="$candidate"; break; fi
  done
  [ -n "$runtime" ] || { echo "ee.sh: --build needs podman or docker" >&2; exit 1; }
  "$venv/bin/ansible-builder" build --file "$work/execution-environment.yml" --context "$context" \
    --container-runtime "$runtime" --tag "$tag"
fi
