#!/usr/bin/env bash
# Copy the working tree (tracked and untracked-but-not-ignored files) to a real ansible_collections/thousandeyes/usage
# directory: ansible-test refuses a symlinked collection path and must not see .venv or build output.
set -euo pipefail
dest=${1:?usage: stage.sh DEST}
rm -rf "$dest"
mkdir -p "$dest"
git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
  [ -e "$f" ] && printf '%s\0' "$f"
done | xargs -0 cp --parents -t "$dest"
