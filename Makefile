# make demo: set everything up and run the quota-gate playbook against the API simulator.
# make test: set everything up and run every test (every default nox session, see noxfile.py and antsibull-nox.toml):
#            lint, docs, packaging and Galaxy import checks, then sanity, units and integration on every ansible-core
#            version of the support matrix, as CI runs them. nox prints how long each session took.
# Both install nox and antsibull-nox into .venv-nox and call into noxfile.py; `make list` shows every session, and
# `make nox S=<session> ARGS=<posargs>` runs one (e.g. `make nox S=ansible-test-units-2.16`).
# What stays here and why: nox needs a Python to start from, and python-discovery needs each interpreter under its
# plain name (python3.10, ...) on PATH, which pyenv's shims do not provide for versions that are not global.

# Every Python a session or ansible-test --venv asks for: the controller Pythons of noxfile.py's MATRIX and the
# oldest target Python of tests/config.yml (noxfile.py says which one is missing here). The demo needs NOX_PYTHON only.
export PYTHONS := 3.8 3.10 3.11 3.12 3.13
NOX_PYTHON := 3.11
VENV := $(CURDIR)/.venv-nox
# Outside the repository, one per clone: nothing of it must reach the tarball or ansible-test's view of the collection.
export BUILD ?= $(shell echo "$${TMPDIR:-/tmp}/thousandeyes.usage-build-$$(echo '$(CURDIR)' | cksum | cut -d' ' -f1)")
PYBIN := $(BUILD)/pythons
export PATH := $(VENV)/bin:$(PYBIN):$(PATH)
NOX := nox --error-on-missing-interpreters --reuse-venv=yes
# nox's JSON report of the last `make test` (each session's result and duration; .ci/run prints it).
NOX_REPORT ?= $(BUILD)/nox-report.json

.PHONY: demo test setup packages list nox lint docs sanity units integration package-check galaxy-import real-api bench clean

$(VENV)/.installed: requirements-nox.txt
	"$$(tools/find_python.sh $(NOX_PYTHON))" -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-nox.txt
	touch $@

# Links the Pythons found; a session whose Python is missing fails naming it.
$(PYBIN)/.found: tools/find_python.sh Makefile
	rm -rf $(PYBIN) && mkdir -p $(PYBIN)
	for version in $(PYTHONS); do \
	    python=$$(tools/find_python.sh $$version) && ln -s "$$python" $(PYBIN)/python$$version \
	        || echo "make: no Python $$version: the sessions that need it will fail (make test needs every one of $(PYTHONS))"; \
	done
	touch $@

setup: $(VENV)/.installed $(PYBIN)/.found

# The Debian packages two test sessions need, each installed only where missing (CI machines start without them):
# redis-server for cache-redis, a Java 17+ runtime for ansible-rulebook in eda-rulebook. The demo needs neither.
packages:
	tools/install_redis_server.sh
	tools/install_java.sh

demo: setup
	$(NOX) -s demo

# CI=true: antsibull-nox's formatters check instead of rewriting, as in CI.
test: setup packages
	CI=true $(NOX) --report $(NOX_REPORT)

list: setup
	$(NOX) --list

nox: setup
	$(NOX) -s $(S) -- $(ARGS)

lint: setup
	$(NOX) -s lint docs-check extra-checks ansible-lint changelog ee-check

docs: setup
	$(NOX) -s docs -- $(BUILD)/docs
	@echo "Documentation site: $(BUILD)/docs/index.html"

# Every core version, or one: make units CORE=2.16.
sanity units integration: setup
	$(NOX) $(if $(CORE),-s ansible-test-$@-$(CORE),-t $@)

package-check galaxy-import real-api: setup
	$(NOX) -s $@

bench: setup
	$(NOX) -s bench -- $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(CURDIR)/.venv-nox $(CURDIR)/.nox
