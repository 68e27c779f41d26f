#!/usr/bin/env bash
# Print a collections path in which ansible_collections/graphops/intune is this checkout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.ansible/collections"
mkdir -p "$dir/ansible_collections/graphops"
link="$dir/ansible_collections/graphops/intune"
# Re-linked only when wrong: concurrent runs (try.sh, demo.sh, docs.sh) never see it missing.
[ "$(readlink "$link" 2>/dev/null)" = "$root" ] || ln -sfn "$root" "$link"
echo "$dir"
