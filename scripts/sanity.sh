#!/usr/bin/env bash
# ansible-test sanity on a copy of the tracked tree laid out as ansible_collections/graphops/intune.
# ansible-test's pinned sanity tools live in their own venv (.venv-sanity) so that they do not
# clash with the dev tools. ansible-test makes a venv per test and bootstraps pip in it with a
# script it downloads from a host outside this network: tests/sanity/get_pip_offline.py stands in.
# ansible-test is ansible-core 2.21's, run by Python 3.13. Its compile and import tests run on every
# Python the modules claim (tests/config.yml's python_requires: 3.11, 3.12 and 3.13; the plugins,
# which only run in the controller, on 2.21's controller Pythons among them: 3.12 and 3.13), with
# the interpreters scripts/python.sh finds (pyenv's, or python3.X on the PATH).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${GRAPHOPS_SANITY_VENV:-$root/.venv-sanity}"
req="$root/tests/sanity/requirements.txt"
controller_version=3.13
target_versions=(3.11 3.12 3.13)
declare -A interpreter
for version in "${target_versions[@]}"; do
  interpreter[$version]="$(bash "$root/scripts/python.sh" "$version")"
done
if [ -x "$venv/bin/python" ] && [ "$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" != "$controller_version" ]; then
  rm -rf "$venv"
fi
if [ ! -x "$venv/bin/python" ]; then
  "${interpreter[$controller_version]}" -m venv "$venv"
fi
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$req" | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" 2> >(grep -v "^WARNING: Location" >&2)
  echo "$want" > "$stamp"
fi
# The pip version ansible-test bootstraps, and our stand-in under the name it looks for.
pip_version="$("$venv/bin/python" - <<'PY'
import pathlib, re, ansible_test
src = (pathlib.Path(ansible_test.__file__).parent / '_internal' / 'python_requirements.py').read_text()
print(re.search(r"pip='([0-9.]+)'", src).group(1))
PY
)"
mkdir -p "$HOME/.ansible/test/cache"
cp "$root/tests/sanity/get_pip_offline.py" "$HOME/.ansible/test/cache/get_pip_${pip_version//./_}.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
dest="$work/ansible_collections/graphops/intune"
mkdir -p "$dest"
# Tracked files plus new, not ignored ones: what a commit would hold.
(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done) \
  | (cd "$root" && xargs -0 cp --parents -t "$dest")
cd "$dest"
git init -q && git add -A >/dev/null
# ansible-test also looks some of them up by name on the PATH: the same interpreters come first
# there (pyenv's shims only run the version pyenv has selected).
mkdir -p "$work/bin"
targets=()
for version in "${target_versions[@]}"; do
  ln -s "${interpreter[$version]}" "$work/bin/python$version"
  targets+=(--target-python "$version@${interpreter[$version]}")
done
export PATH="$venv/bin:$work/bin:$PATH"
ansible-test sanity --controller "origin:python=$controller_version@$venv/bin/python" "${targets[@]}" --color no "$@"
