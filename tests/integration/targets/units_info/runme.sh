#!/usr/bin/env bash
# units_info through ansible-playbook against the API simulator on 127.0.0.1: pagination, totals, errors.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default
run_playbook pagination pagination.yml
run_playbook units_errors errors.yml
