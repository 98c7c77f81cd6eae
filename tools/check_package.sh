#!/usr/bin/env bash
# Packaging check on an installed copy of the collection (built tarball, installed into an empty collections path):
# it holds what users need and nothing dev-only, every plugin's documentation renders, and the demo runs from it.
set -euo pipefail
installed=${1:?usage: check_package.sh INSTALLED_COLLECTION_DIR}
repo=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "package check: $*" >&2; exit 1; }

for path in MANIFEST.json FILES.json README.md LICENSE requirements.txt meta/runtime.yml meta/execution-environment.yml \
            plugins/modules/usage_info.py plugins/lookup/usage.py plugins/test/within_quota.py \
            plugins/plugin_utils/_cache.py examples/quota_gate.yml tests/simulator/__main__.py changelogs/config.yaml \
            docs/docsite/extra-docs.yml docs/docsite/rst/guide.rst meta/extensions.yml \
            extensions/eda/plugins/event_source/usage_monitor.py extensions/eda/rulebooks/quota_watch.yml \
            examples/decision-environment.yml; do
    [ -e "$installed/$path" ] || fail "missing $path"
done
for path in .venv .nox .ruff_cache .git .ci tools Makefile noxfile.py antsibull-nox.toml requirements-nox.txt .yamllint \
            benchmarks tests/output tests/integration/integration_config.yml .ansible-lint ruff.toml; do
    [ ! -e "$installed/$path" ] || fail "$path must not be in the tarball (build_ignore)"
done
for path in "$installed"/.venv-*; do  # .venv-nox, and the per-version venvs of earlier layouts
    [ ! -e "$path" ] || fail "${path#"$installed"/} must not be in the tarball (build_ignore)"
done

# Every plugin in the source tree is found and rendered from the installed copy (run outside the repository).
cd "$installed/.."
for type in module lookup test; do
    case $type in
        module) files=$(cd "$repo/plugins/modules" && ls -- *.py) ;;
        lookup) files=$(cd "$repo/plugins/lookup" && ls -- *.py) ;;
        test) files=$(cd "$repo/plugins/test" && ls -- *.py) ;;
    esac
    for file in $files; do
        name=thousandeyes.usage.${file%.*}
        ansible-doc -t "$type" "$name" > /dev/null || fail "ansible-doc -t $type $name failed"
        ansible-doc -t "$type" --json "$name" | python -c 'import json, sys; d = json.load(sys.stdin); v = next(iter(d.values())); sys.exit(0 if v.get("doc") and "examples" in v and "return" in v else 1)' \
            || fail "$name lacks DOCUMENTATION, EXAMPLES or RETURN"
        echo "ok: ansible-doc -t $type $name"
    done
done

# Event sources, rendered as galaxy-importer renders them: as modules of their directory.
sources=$installed/extensions/eda/plugins/event_source
for file in $(cd "$repo/extensions/eda/plugins/event_source" && ls -- *.py); do
    name=${file%.*}
    ansible-doc -t module -M "$sources" "$name" > /dev/null || fail "ansible-doc -M $sources $name failed"
    ansible-doc -t module -M "$sources" --json "$name" | python -c 'import json, sys; d = json.load(sys.stdin); v = next(iter(d.values())); sys.exit(0 if v.get("doc") and v.get("examples") else 1)' \
        || fail "event source $name lacks DOCUMENTATION or EXAMPLES"
    echo "ok: ansible-doc -M extensions/eda/plugins/event_source $name"
done

DEMO_ROOT=$installed "$repo/tools/demo.sh"
