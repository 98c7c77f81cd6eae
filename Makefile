# make demo: set everything up and run the quota-gate playbook against the API simulator.
# make test: set everything up and run every test (sanity, units, integration).
# make bench: install the collection and run the on-demand benchmarks (benchmarks/README.md; not part of make test).
PYTHON ?= python3
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin
# Outside the repository: ansible-test finds the nearest .git upwards and would then see only tracked files.
BUILD ?= $(shell echo "$${TMPDIR:-/tmp}/thousandeyes.usage-build-$$(echo '$(CURDIR)' | cksum | cut -d' ' -f1)")
STAGE := $(BUILD)/src/ansible_collections/thousandeyes/usage
COLLECTIONS := $(BUILD)/collections
INSTALLED := $(COLLECTIONS)/ansible_collections/thousandeyes/usage
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)

.PHONY: demo test sanity units integration install venv clean bench

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	tools/prepare_ansible_test.sh $(BIN)/python
	touch $@

venv: $(VENV)/.installed

# Build the collection tarball and install it, as a user would: demo and integration tests use this copy.
install: venv
	rm -rf $(BUILD)/dist $(COLLECTIONS)
	$(BIN)/ansible-galaxy collection build --force --output-path $(BUILD)/dist .
	$(BIN)/ansible-galaxy collection install --force -p $(COLLECTIONS) $(BUILD)/dist/thousandeyes-usage-*.tar.gz

demo: install
	tools/demo.sh

bench: install
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

test: sanity units integration

sanity: venv
	tools/stage.sh $(STAGE)
	cd $(STAGE) && ansible-test sanity --venv --python $(PY_VERSION) --color no

units: venv
	tools/stage.sh $(STAGE)
	cd $(STAGE) && ansible-test units --local --python $(PY_VERSION) --color no

integration: install
	cd $(INSTALLED) && ansible-test integration --local --python $(PY_VERSION) --color no

clean:
	rm -rf $(BUILD) $(VENV) build
