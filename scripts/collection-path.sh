#!/usr/bin/env bash
# Print a collections path in which ansible_collections/graphops/intune is this checkout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$root/.ansible/collections"
mkdir -p "$dir/ansible_collections/graphops"
ln -sfn "$root" "$dir/ansible_collections/graphops/intune"
echo "$dir"
