#!/usr/bin/env bash
# Execution environment checks: ansible-builder finds the collection's Python requirements (requests) through
# meta/execution-environment.yml of the installed copy, and builds a context from examples/execution-environment.yml
# and from examples/decision-environment.yml.
set -euo pipefail
collections=${1:?usage: check_ee.sh COLLECTIONS_PATH}
repo=$(cd "$(dirname "$0")/.." && pwd)
introspect=$(ansible-builder introspect --sanitize "$collections")
echo "$introspect"
grep -q "^- 'requests.*from collection thousandeyes.usage'" <<< "$introspect" \
    || { echo "ee check: ansible-builder introspect does not list requests for thousandeyes.usage" >&2; exit 1; }
contexts=$(mktemp -d)
trap 'rm -rf "$contexts"' EXIT
for definition in execution-environment decision-environment; do
    context=$contexts/$definition
    ansible-builder create -f "$repo/examples/$definition.yml" -c "$context" > /dev/null
    grep -q 'name: thousandeyes.usage' "$context/_build/requirements.yml" \
        || { echo "ee check: the build context of $definition.yml does not install thousandeyes.usage" >&2; exit 1; }
    [ -f "$context/Containerfile" ] || [ -f "$context/Dockerfile" ] \
        || { echo "ee check: ansible-builder create wrote no Containerfile for $definition.yml" >&2; exit 1; }
    echo "ok: ansible-builder create wrote a build context for examples/$definition.yml"
done
echo "ok: ansible-builder introspect lists requests"
