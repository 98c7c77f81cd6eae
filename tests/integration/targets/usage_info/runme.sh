#!/usr/bin/env bash
# usage_info through ansible-playbook against the API simulator over real HTTP on 127.0.0.1.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default
run_playbook facts facts.yml
run_playbook auth auth.yml
THOUSANDEYES_TOKEN=${SECRETS[0]} THOUSANDEYES_API_URL=$TE_SIM/v7 \
    run_playbook env_auth env_auth.yml -e '{"expected_aid": null}'
TE_TOKEN=${SECRETS[0]} TE_AID=5678 THOUSANDEYES_API_URL=$TE_SIM/v7 \
    run_playbook env_auth_te env_auth.yml -e '{"expected_aid": ["5678"]}'
run_playbook thresholds thresholds.yml
run_playbook scenarios scenarios.yml
run_playbook api_errors api_errors.yml
run_playbook transport_errors transport_errors.yml
run_playbook bad_input bad_input.yml
run_playbook rate_limit rate_limit.yml
