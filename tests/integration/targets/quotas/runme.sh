#!/usr/bin/env bash
# quotas_info and quota through ansible-playbook against the API simulator on 127.0.0.1.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default
run_playbook quotas_info quotas_info.yml
run_playbook quota quota.yml
run_playbook quota_diff quota_diff.yml --check --diff
