#!/usr/bin/env bash
# Put the offline get-pip stand-in where ansible-test looks for its cached bootstrap script: ansible-test bootstraps pip
# in each of its venvs from a download site CI machines cannot reach, unless ~/.ansible/test/cache holds the script
# for the pip version that ansible-core version pins. PYTHON: a Python with that ansible-core installed.
set -euo pipefail
python=${1:?usage: prepare_ansible_test.sh PYTHON}
here=$(cd "$(dirname "$0")" && pwd)
version=$("$python" - <<'PY'
from ansible_test._internal.python_requirements import get_venv_packages
from ansible_test._internal.host_configs import NativePythonConfig
import sys
print(get_venv_packages(NativePythonConfig(version='%d.%d' % sys.version_info[:2]))['pip'])
PY
)
mkdir -p ~/.ansible/test/cache
cp "$here/ansible_test_get_pip.py" ~/.ansible/test/cache/"get_pip_${version//./_}.py"
