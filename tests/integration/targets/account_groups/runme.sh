#!/usr/bin/env bash
# Account groups by name and every organization a token sees, through ansible-playbook against the API simulator's
# partner scenario on 127.0.0.1 (a token that sees two organizations, with a name used in both).
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario partner
run_playbook names names.yml -i inventory --forks 10
run_playbook refused refused.yml -i inventory

# The example, with the token and URL from the environment as it documents: one line per organization, and its gate.
example=$COLLECTION_ROOT/examples/all_organizations.yml
export THOUSANDEYES_TOKEN=te-sim-partner-token-0123456789 THOUSANDEYES_API_URL=$TE_SIM/v7
run_playbook all_organizations "$example"
grep -q -E '"Acme Corp \(org 10\): 85000 cloud units projected, 85\.0% of the 100000 included, runs out' \
    "$LOG_DIR/all_organizations.log" || { echo "FAIL: no line for Acme Corp"; exit 1; }
grep -q -E '"Globex Inc \(org 20\): 26000 cloud units projected, 52\.0% of the 50000 included, runs out' \
    "$LOG_DIR/all_organizations.log" || { echo "FAIL: no line for Globex Inc"; exit 1; }
grep -q 'All 2 organizations are within their thresholds.' "$LOG_DIR/all_organizations.log" \
    || { echo "FAIL: the gate did not pass"; exit 1; }
echo "ok: all_organizations printed one line per organization and passed the gate"

# The same example with a lower threshold: the gate stops the play naming the organization over it.
ANSIBLE_NOCOLOR=1 ansible-playbook -i "$SETUP_DIR/inventory" "$example" -e '{"te_thresholds": {"cloud_units_projected_pct": 60}}' \
    > "$LOG_DIR/all_organizations_over.log" 2>&1 && { echo "FAIL: the gate let an organization over its threshold through"; exit 1; }
grep -q '"msg": "Over their thresholds: Acme Corp"' "$LOG_DIR/all_organizations_over.log" \
    || { cat "$LOG_DIR/all_organizations_over.log"; echo "FAIL: the gate did not name Acme Corp alone"; exit 1; }
! grep -q -F "$THOUSANDEYES_TOKEN" "$LOG_DIR/all_organizations_over.log" || { echo "FAIL: the token appeared"; exit 1; }
echo "ok: all_organizations_over stopped at the gate, naming Acme Corp (no token in its output)"
