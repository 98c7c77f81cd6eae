#!/usr/bin/env bash
# Run Galaxy's importer (galaxy-importer from PyPI) on a built collection tarball the way Galaxy runs it on upload:
# ansible-doc, flake8 and ansible-lint on, only the ansible-test step off (it needs a container engine). Fails when
# the import fails or logs any warning or error, so what Galaxy would show on the collection's import page stays empty.
#
#   tools/galaxy_importer.sh dist/thousandeyes-usage-X.Y.Z.tar.gz VENV_DIR|VENV_PYTHON
#
# VENV_DIR (or VENV_DIR/bin/python) is a virtualenv with galaxy-importer installed, e.g.
#   python3.11 -m venv /tmp/gi-venv && /tmp/gi-venv/bin/pip install galaxy-importer
# The importer calls ansible-doc, ansible-lint and flake8 from PATH, so that venv's bin is put first on PATH.
set -euo pipefail

usage="usage: galaxy_importer.sh TARBALL VENV_DIR|VENV_PYTHON"
tarball=${1:?$usage}
venv=${2:?$usage}
fail() { echo "galaxy_importer: $*" >&2; exit 1; }

[ -f "$tarball" ] || fail "no such tarball: $tarball"
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
# A venv's python is a symlink to the base interpreter: take its directory as it is, without resolving the link.
if [ -d "$venv" ]; then bin=$(cd "$venv/bin" && pwd); else bin=$(cd "$(dirname "$venv")" && pwd); fi
python=$bin/python
"$python" -c 'import galaxy_importer' 2> /dev/null ||
    fail "$python cannot import galaxy_importer; install it into that venv: $bin/pip install galaxy-importer"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/galaxy-importer.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# The importer's own ini file (what GALAXY_IMPORTER_CONFIG points at). Kept here, not in the repository's tests/,
# because tests/ ships in the tarball and tools/ does not. Option names are those of galaxy_importer/config.py.
cat > "$tmp/galaxy-importer.cfg" << EOF
[galaxy-importer]
RUN_ANSIBLE_DOC = True
RUN_ANSIBLE_LINT = True
OFFLINE_ANSIBLE_LINT = True
RUN_FLAKE8 = True
RUN_ANSIBLE_TEST = False
ANSIBLE_TEST_LOCAL_IMAGE = False
CHECK_CHANGELOG = True
CHECK_REQUIRED_TAGS = True
REQUIRE_V1_OR_GREATER = True
LOG_LEVEL_MAIN = INFO
ANSIBLE_LOCAL_TMP = $tmp/ansible-tmp
TMP_ROOT_DIR = $tmp
EOF

# GALAXY_IMPORTER_<OPTION> variables override the ini file (a stray GALAXY_IMPORTER_RUN_FLAKE8=false would quietly
# skip flake8), and ANSIBLE_* variables (a caller's ANSIBLE_COLLECTIONS_PATH, say) would change what ansible-doc and
# ansible-lint see: Galaxy runs with neither.
while IFS= read -r name; do
    case $name in GALAXY_IMPORTER_* | ANSIBLE_*) unset "$name" ;; esac
done < <(compgen -e)
export GALAXY_IMPORTER_CONFIG=$tmp/galaxy-importer.cfg VIRTUAL_ENV=${bin%/bin} PATH=$bin:$PATH

# python -m galaxy_importer.main, plus a handler on the root logger that counts every record of level WARNING or
# above: those of the importer's logger (printed as "WARNING: ..." / "ERROR: ...") and those of its module loggers,
# which would otherwise only reach stderr without a level.
status=0
(cd "$tmp" && "$python" - "$tarball" << 'PY') 2>&1 | tee "$tmp/importer.log" || status=$?
import logging
import sys

from galaxy_importer import main


class Count(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record):
        self.count += 1
        if record.name != main.logger.name:  # the importer's own logger prints its records itself
            print('%s: %s' % (record.levelname, record.getMessage()), flush=True)


count = Count()
logging.getLogger().addHandler(count)
rc = main.main(sys.argv[1:])
sys.stdout.flush()
print('galaxy_importer: %d record(s) at WARNING or above, importer exit status %s' % (count.count, rc or 0),
      file=sys.stderr)
sys.exit(1 if rc or count.count else 0)
PY

# The same verdict from the log text, independently of the counting handler.
if grep -Eq '^(WARNING|ERROR|CRITICAL):' "$tmp/importer.log"; then
    echo "galaxy_importer: the importer logged warnings or errors:" >&2
    grep -E '^(WARNING|ERROR|CRITICAL):' "$tmp/importer.log" >&2
    exit 1
fi
grep -q '^Importer processing completed successfully$' "$tmp/importer.log" || fail "the import did not complete"
[ "$status" -eq 0 ] || fail "the importer exited with status $status"
echo "galaxy_importer: $(basename "$tarball") imported with no warnings in ${SECONDS}s"
