#!/usr/bin/env bash
# The usage lookup and the within_quota test through ansible-playbook against the API simulator on 127.0.0.1.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default
run_playbook lookup lookup.yml
run_playbook within_quota within_quota.yml
# 50 hosts, 10 forks, the lookup in play vars used by three tasks: one request with the run cache, one per
# evaluation (50 x 3) without it.
run_playbook fleet_run_cache fleet.yml -i fleet_inventory --forks 10 -e te_cache=run -e expected_requests=1
run_playbook fleet_no_cache fleet.yml -i fleet_inventory --forks 10 -e te_cache=none -e expected_requests=150
