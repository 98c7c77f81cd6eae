#!/usr/bin/env bash
# Build the collection's documentation site (plugin pages and docs/docsite/ guides) into DEST as HTML.
#
#   ANSIBLE_COLLECTIONS_PATH=<dir holding ansible_collections/thousandeyes/usage> tools/build_docs.sh DEST
#
# - The collection is documented as Ansible finds it through ANSIBLE_COLLECTIONS_PATH (the docs nox session sets it,
#   pointing at the copy installed from the built tarball). ansible-core (ansible, ansible-doc) comes from PATH.
# - antsibull-docs, Sphinx and the theme are installed from PyPI into DOCS_VENV (default: a venv under TMPDIR,
#   created with $PYTHON, default python3) when missing; pip honours PIP_CONSTRAINT to pin them. Nothing else uses
#   the network: references to the Ansible documentation resolve through a local intersphinx inventory
#   (DOCS_INTERSPHINX=online uses the published inventories instead).
# - The site is generated in a temporary directory (antsibull-docs sphinx-init, then its build.sh: Sphinx with
#   warnings as errors) and copied to DEST, which must be absent, empty or an earlier output of this script.
set -euo pipefail

dest=${1:?usage: build_docs.sh DEST}
collection=thousandeyes.usage
venv=${DOCS_VENV:-${TMPDIR:-/tmp}/thousandeyes.usage-docs-venv}
python=${PYTHON:-python3}

fail() { echo "build_docs: $*" >&2; exit 1; }

[ -n "${ANSIBLE_COLLECTIONS_PATH:-}" ] ||
    fail "set ANSIBLE_COLLECTIONS_PATH to the directory holding ansible_collections/thousandeyes/usage"
command -v ansible-doc > /dev/null || fail "ansible-doc not found: put ansible-core on PATH"
if [ -e "$dest" ] && [ -n "$(ls -A "$dest")" ] && [ ! -e "$dest/.buildinfo" ]; then
    fail "$dest exists and is not an earlier documentation build; remove it or choose another DEST"
fi

if [ ! -x "$venv/bin/antsibull-docs" ]; then
    echo "build_docs: installing antsibull-docs into $venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'antsibull-docs>=2.28.0,<3.0.0'
fi
export PATH="$venv/bin:$PATH"

# Which copy will be documented (the first one on ANSIBLE_COLLECTIONS_PATH), and the links for its index page.
found=$(ansible-galaxy collection list "$collection" --format json 2> /dev/null | python -c '
import json, os, sys
for path, collections in json.load(sys.stdin).items():
    if "thousandeyes.usage" in collections:
        print(os.path.join(path, "thousandeyes", "usage"))
        break
') || true
[ -n "$found" ] || fail "$collection not found on ANSIBLE_COLLECTIONS_PATH=$ANSIBLE_COLLECTIONS_PATH"
[ -f "$found/docs/docsite/extra-docs.yml" ] || fail "$found has no docs/docsite/extra-docs.yml (an old build?)"
repository=$(python - "$found" <<'EOF'
import json, os, sys, yaml
root = sys.argv[1]
if os.path.exists(os.path.join(root, 'MANIFEST.json')):
    with open(os.path.join(root, 'MANIFEST.json')) as handle:
        info = json.load(handle)['collection_info']
else:
    with open(os.path.join(root, 'galaxy.yml')) as handle:
        info = yaml.safe_load(handle)
print(info['repository'])
EOF
)
echo "build_docs: documenting $collection from $found"

work=$(mktemp -d)  # mode 0700: antsibull-docs wants a directory only its owner can write to
trap 'rm -rf "$work"' EXIT

antsibull-docs sphinx-init --use-current --squash-hierarchy --fail-on-error \
    --project "$collection" --copyright "$collection contributors" --title "$collection collection" \
    --dest-dir "$work" "$collection" > /dev/null
pip install --quiet --disable-pip-version-check -r "$work/requirements.txt"

# Not on Galaxy: point the install instructions and the collection link at the repository.
cat > "$work/antsibull-docs.cfg" <<EOF
breadcrumbs = true
indexes = true
use_html_blobs = false
add_antsibull_docs_version = true
collection_url = {
  * = "$repository"
}
collection_install = {
  * = "ansible-galaxy collection install git+$repository.git"
}
EOF

if [ "${DOCS_INTERSPHINX:-offline}" != online ]; then
    # The labels of the Ansible documentation that the generated pages refer to, in a local inventory.
    python - "$work/ansible_devel.inv" <<'EOF'
import sys, zlib
labels = [
    ('ansible_configuration_settings', 'reference_appendices/config.html#ansible-configuration-settings',
     'Ansible Configuration Settings'),
    ('common_return_values', 'reference_appendices/common_return_values.html#common-return-values',
     'Return Values'),
    ('action_plugins', 'plugins/action.html#action-plugins', 'Action plugins'),
]
body = ''.join('%s std:label -1 %s %s\n' % label for label in labels)
with open(sys.argv[1], 'wb') as handle:
    handle.write(b'# Sphinx inventory version 2\n# Project: Ansible\n# Version: devel\n'
                 b'# The remainder of this file is compressed using zlib.\n' + zlib.compress(body.encode()))
EOF
    cat >> "$work/conf.py" <<'EOF'

# tools/build_docs.sh: offline build, references to the Ansible documentation resolve through a local inventory.
intersphinx_mapping = {
    'ansible_devel': ('https://docs.ansible.com/projects/ansible/devel/', '../ansible_devel.inv'),
}
EOF
fi

"$work/build.sh"

html=$work/build/html
for page in index.html docsite/guide.html usage_info_module.html usage_lookup.html within_quota_test.html; do
    [ -f "$html/$page" ] || fail "the site lacks $page"
done
rm -rf "$dest"
mkdir -p "$(dirname "$dest")"
cp -R "$html" "$dest"
echo "build_docs: site written to $dest (open $dest/index.html)"
