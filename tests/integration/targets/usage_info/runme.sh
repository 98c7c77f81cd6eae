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
run_playbook reserve reserve.yml

# The demo's refused rollout, as a user sees it on the default callback: the failing gate task's output fits on one
# screen (40 rows of 100 columns), says what the rollout would do and how much would fit.
log=$LOG_DIR/quota_gate_refused.log
rc=0
THOUSANDEYES_TOKEN=${SECRETS[0]} THOUSANDEYES_API_URL=$TE_SIM/v7 ANSIBLE_NOCOLOR=1 COLUMNS=100 \
    ansible-playbook -i "$COLLECTION_ROOT/examples/inventory.ini" "$COLLECTION_ROOT/examples/quota_gate.yml" \
    -e tests_to_create=15 > "$log" 2>&1 || rc=$?
[ "$rc" = 2 ] || { cat "$log"; echo "FAIL: the refused rollout exited with $rc, not 2"; exit 1; }
rows=$(awk '/^TASK \[Gate the organization/ {on = 1; next} /^TASK / {on = 0} on' "$log" |
    awk '{rows += (length($0) > 100) ? int((length($0) + 99) / 100) : 1} END {print rows + 0}')
grep -q -F 'would be 97.5% with the reserve (7,500 cloud units per period)' "$log" || { cat "$log"; echo "FAIL: no breach line"; exit 1; }
grep -q -F 'Room for 10 tests like these' "$log" || { cat "$log"; echo "FAIL: no headroom"; exit 1; }
if [ "$rows" -gt 40 ] || [ "$rows" -lt 5 ]; then
    cat "$log"
    echo "FAIL: the failing gate task printed $rows rows of 100 columns (at most 40)"
    exit 1
fi
! grep -q -F -- "${SECRETS[0]}" "$log" || { echo "FAIL: the token appeared in $log"; exit 1; }
echo "ok: the refused rollout's gate task printed $rows rows of 100 columns"
