#!/usr/bin/env bash
# Changelog with antsibull-changelog, for the version in galaxy.yml:
#   scripts/changelog.sh           lint the fragments, then (re)write that version's entry in
#                                  changelogs/changelog.yaml and CHANGELOG.md / CHANGELOG.rst
#   scripts/changelog.sh --check   lint, and fail if those files are not what a rerun would write
#                                  (run by scripts/test.sh)
#
# Why rebuild instead of a one-off `antsibull-changelog release`: the version in galaxy.yml is the
# one being prepared, and fragments keep arriving until it is tagged. `release` only adds fragments
# it has not seen, and keeps stale text of edited or deleted ones. So this script drops the entry of
# the galaxy.yml version and releases it again from all fragments that no earlier release holds, and
# from the plugins/modules/roles whose version_added is that version. Fragments are kept after a
# release (changelogs/config.yaml: keep_fragments), which is what makes the rebuild possible; entries
# of earlier versions are never touched. The release date, once written, is kept; a new entry gets
# today's date (GRAPHOPS_RELEASE_DATE=YYYY-MM-DD overrides it). After tagging, bump galaxy.yml's version:
# the next run starts the next entry.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_VENV:-$root/.venv}"
export PATH="$venv/bin:$PATH"
export ANSIBLE_HOME="${ANSIBLE_HOME:-$root/.ansible}"
outputs=(changelogs/changelog.yaml CHANGELOG.md CHANGELOG.rst)

if [ "${1:-}" = "--check" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  # Tracked files plus new, not ignored ones: what a commit would hold (as scripts/sanity.sh copies).
  (cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) \
    | (cd "$root" && xargs -0 cp --parents -t "$work")
  mkdir -p "$work/scripts" && cp "$root/scripts/changelog.sh" "$work/scripts/"
  GRAPHOPS_VENV="$venv" ANSIBLE_HOME="$work/.ansible" bash "$work/scripts/changelog.sh" >/dev/null
  stale=0
  for file in "${outputs[@]}"; do
    if ! diff -u "$root/$file" "$work/$file" >"$work/diff.txt" 2>&1; then
      echo "changelog: $file is not up to date" >&2
      head -40 "$work/diff.txt" >&2
      stale=1
    fi
  done
  if [ "$stale" != 0 ]; then
    echo "changelog: run scripts/changelog.sh and commit the result" >&2
    exit 1
  fi
  echo "changelog: fragments lint clean, ${outputs[*]} up to date"
  exit 0
fi

cd "$root"
antsibull-changelog lint
version="$(python -c 'import yaml; print(yaml.safe_load(open("galaxy.yml"))["version"])')"
date="$(python - "$version" <<'PY'
import datetime, os, sys, yaml
version = sys.argv[1]
path = 'changelogs/changelog.yaml'
data = {}
if os.path.exists(path):
    with open(path) as handle:
        data = yaml.safe_load(handle) or {}
release = (data.get('releases') or {}).pop(version, None)
if release is not None:
    with open(path, 'w') as handle:
        yaml.safe_dump(data, handle, default_flow_style=False, sort_keys=False)
print(os.environ.get('GRAPHOPS_RELEASE_DATE') or (release or {}).get('release_date') or datetime.date.today().isoformat())
PY
)"
if [ ! -f changelogs/changelog.yaml ]; then
  printf -- '---\nancestor: null\nreleases: {}\n' > changelogs/changelog.yaml
fi
antsibull-changelog release --version "$version" --date "$date" --reload-plugins
rm -f changelogs/.plugin-cache.yaml
antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
echo "changelog: $version ($date) written to ${outputs[*]}"
