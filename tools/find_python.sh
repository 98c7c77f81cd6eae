#!/usr/bin/env bash
# Print the path of a working python X.Y: pythonX.Y on PATH, else a pyenv install (whose shims may not run).
set -euo pipefail
version=${1:?usage: find_python.sh X.Y}
candidates=("$(command -v "python$version" || true)")
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in "$root"/versions/"$version".*; do
    candidates+=("$dir/bin/python$version")
done
for python in "${candidates[@]}"; do
    if [ -n "$python" ] && "$python" -c 'import sys, venv' 2>/dev/null; then
        echo "$python"
        exit 0
    fi
done
echo "find_python.sh: no working Python $version found (tried PATH and $root/versions)" >&2
exit 1
