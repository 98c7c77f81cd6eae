# make demo: set everything up and run the quota-gate playbook against the API simulator.
# make test: set everything up and run every test: lint, then sanity, units and integration on every ansible-core
#            version of the support matrix, then the packaging check.
# make bench: the on-demand benchmarks (benchmarks/README.md; not part of make test).
# make docs:  build the documentation site into $(BUILD)/docs.
# make real-api: the integration target against the real ThousandEyes API (tests/integration/integration_config.yml).

# Support matrix: every ansible-core minor from requires_ansible (meta/runtime.yml) to the newest, each with the
# Python it runs on. The first entry is the default for demo, docs and single-version targets.
MATRIX := 2.19:3.11 2.20:3.12 2.21:3.13
DEFAULT := $(firstword $(MATRIX))
CORE ?= $(firstword $(subst :, ,$(DEFAULT)))
PY_VERSION ?= $(lastword $(subst :, ,$(filter $(CORE):%,$(MATRIX))))

# The oldest Python modules must run on (managed hosts) for the default ansible-core: compile and import are
# also checked on it.
TARGET_PY := $(if $(filter $(DEFAULT),$(CORE):$(PY_VERSION)),3.8)

VENV := $(CURDIR)/$(if $(filter $(DEFAULT),$(CORE):$(PY_VERSION)),.venv,.venv-$(CORE))
BIN := $(VENV)/bin
# Outside the repository: ansible-test finds the nearest .git upwards and would then see only tracked files.
BUILD ?= $(shell echo "$${TMPDIR:-/tmp}/thousandeyes.usage-build-$$(echo '$(CURDIR)' | cksum | cut -d' ' -f1)")
WORK := $(BUILD)/$(CORE)
STAGE := $(WORK)/src/ansible_collections/thousandeyes/usage
COLLECTIONS := $(WORK)/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/thousandeyes/usage
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)

.PHONY: demo test matrix check sanity units integration install venv lint docs real-api package-check bench clean

LINT_STAMP := $(CURDIR)/.venv/.lint-installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	"$$(tools/find_python.sh $(PY_VERSION))" -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt "ansible-core==$(CORE).*"
	tools/prepare_ansible_test.sh $(BIN)/python
	touch $@

venv: $(VENV)/.installed

# Build the collection tarball and install it into an empty collections path, as a user would: the demo,
# integration tests and the packaging check use this copy.
install: venv
	rm -rf $(WORK)/dist $(COLLECTIONS)
	$(BIN)/ansible-galaxy collection build --force --output-path $(WORK)/dist .
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) $(WORK)/dist/thousandeyes-usage-*.tar.gz

demo: install
	tools/demo.sh

test: lint docs matrix package-check

# Linters, documentation, changelog and execution environment checks (default ansible-core version).
$(LINT_STAMP): requirements-lint.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-lint.txt "ansible-core==$(CORE).*"
	touch $@

lint: install $(LINT_STAMP)
	ruff check plugins tests
	ansible-lint --offline
	antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs .
	antsibull-changelog lint
	antsibull-changelog lint-changelog-yaml changelogs/changelog.yaml
	antsibull-changelog generate && git diff --exit-code -- CHANGELOG.rst  # committed CHANGELOG.rst is current
	tools/check_ee.sh $(COLLECTIONS)

docs: install
	tools/build_docs.sh $(BUILD)/docs
	@echo "Documentation site: $(BUILD)/docs/index.html"

# sanity, units and integration on every ansible-core version of the matrix, one after the other.
matrix:
	set -e; for entry in $(MATRIX); do \
	    echo "=== ansible-core $${entry%%:*} on Python $${entry##*:}"; \
	    $(MAKE) --no-print-directory CORE=$${entry%%:*} PY_VERSION=$${entry##*:} check; \
	done

check: sanity units integration

sanity: venv
	tools/stage.sh $(STAGE)
	cd $(STAGE) && ansible-test sanity --venv --python $(PY_VERSION) --color no
	$(if $(TARGET_PY),cd $(STAGE) && PATH="$$(dirname "$$($(CURDIR)/tools/find_python.sh $(TARGET_PY))"):$$PATH" \
	    ansible-test sanity --venv --python $(TARGET_PY) --test compile --test import --color no)

units: venv
	tools/stage.sh $(STAGE)
	cd $(STAGE) && ansible-test units --local --python $(PY_VERSION) --color no

integration: install
	cd $(INSTALLED) && ansible-test integration --local --python $(PY_VERSION) --color no

# The tarball holds what users need (and nothing dev-only); every plugin's docs render and the demo runs from it.
# Its own build and empty collections path: the shared installed copy may hold ansible-test output by now.
PKG := $(WORK)/package-check
package-check: venv
	rm -rf $(PKG)
	$(BIN)/ansible-galaxy collection build --output-path $(PKG)/dist .
	ANSIBLE_COLLECTIONS_PATH=$(PKG)/collections \
	    $(BIN)/ansible-galaxy collection install -p $(PKG)/collections $(PKG)/dist/thousandeyes-usage-*.tar.gz
	ANSIBLE_COLLECTIONS_PATH=$(PKG)/collections tools/check_package.sh $(PKG)/collections/ansible_collections/thousandeyes/usage

real-api: install
	test -f tests/integration/integration_config.yml || \
	    { echo "Copy tests/integration/integration_config.yml.template to integration_config.yml and fill it in."; exit 1; }
	cp tests/integration/integration_config.yml $(INSTALLED)/tests/integration/
	cd $(INSTALLED) && ansible-test integration --local --python $(PY_VERSION) --color no --allow-unsupported real_api

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf $(BUILD) $(CURDIR)/.venv $(CURDIR)/.venv-* build
