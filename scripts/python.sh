#!/usr/bin/env bash
# Prints the path of a Python interpreter of the version asked for, ready to make venvs with:
#   scripts/python.sh 3.13        -> /root/.pyenv/versions/3.13.0/bin/python3.13 (for instance)
# Looks, in this order, at GRAPHOPS_PYTHON_3_13 (an explicit path; any X.Y likewise), at pyenv's
# installed versions (newest X.Y.* under $(pyenv root)/versions, whatever pyenv's global
# version is), then at every pythonX.Y on the PATH (pyenv's shims included: they only count when
# they run that version). Each candidate must run, be that version and have venv and ensurepip
# (Debian splits them into pythonX.Y-venv). Downloads nothing: when none fits, it fails with a
# message that says what was looked at and what to install (pyenv install X.Y, or Debian 13's
# python3.13 and python3.13-venv packages). scripts/bootstrap.sh, compat.sh and sanity.sh use it.
set -euo pipefail
want="${1:?usage: $0 X.Y (for instance 3.13)}"
[[ "$want" =~ ^3\.[0-9]+$ ]] || { echo "python.sh: '$want' is not a Python version like 3.13" >&2; exit 2; }
tried=()

fits() {
  local found
  found="$("$1" -c 'import sys, venv, ensurepip; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)" || return 1
  [ "$found" = "$want" ]
}

pick() {
  if fits "$1"; then
    # The interpreter itself, not a shim or a symlink chain that pyenv's global version decides.
    "$1" -c 'import sys; print(sys.executable)'
    exit 0
  fi
  tried+=("$1")
}

override="GRAPHOPS_PYTHON_${want//./_}"
if [ -n "${!override:-}" ]; then
  pick "${!override}"
  echo "python.sh: $override=${!override} is not a Python $want with venv and ensurepip" >&2
  exit 1
fi

pyenv_root="${PYENV_ROOT:-}"
if [ -z "$pyenv_root" ] && command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root 2>/dev/null || true)"; fi
if [ -n "$pyenv_root" ] && [ -d "$pyenv_root/versions" ]; then
  # Newest patch release first (3.13.10 after 3.13.9), plain CPython builds only (not 3.13.0t or envs).
  while IFS= read -r dir; do
    [ -x "$dir/bin/python$want" ] && pick "$dir/bin/python$want"
  done < <(find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -name "$want.*" 2>/dev/null \
             | grep -E "/$want\.[0-9]+$" | sort -t. -k3,3nr)
fi

while IFS= read -r candidate; do
  pick "$candidate"
done < <(type -ap "python$want" 2>/dev/null || true)

{
  echo "python.sh: no usable Python $want found."
  if [ ${#tried[@]} -gt 0 ]; then
    echo "  tried (not Python $want, or without venv/ensurepip): ${tried[*]}"
  else
    where="python$want on the PATH ($PATH)"
    if [ -n "$pyenv_root" ] && [ -d "$pyenv_root/versions" ]; then where="$pyenv_root/versions/$want.*, $where"; else where="no pyenv, $where"; fi
    echo "  looked at: $where"
  fi
  echo "  install one of: pyenv install $want   (pyenv's interpreters are found whatever its global version)"
  echo "                  apt-get install python$want python$want-venv   (Debian 13 ships python3.13)"
  echo "  or point $override at an interpreter."
} >&2
exit 1
