#!/usr/bin/env bash
# The usage_monitor event source under the real ansible-rulebook (which needs Java 17+), against the API simulator.
# Run by the eda-rulebook nox session: ansible-rulebook, ansible-galaxy and ansible-playbook on PATH, the built
# collection on ANSIBLE_COLLECTIONS_PATH. Each ansible-rulebook run has 60 s; its -vvv output must hold no token.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default
export THOUSANDEYES_API_URL=$TE_SIM/v7 ANSIBLE_NOCOLOR=1

# rulebook NAME: ansible-rulebook -vvv on rulebook.yml, output in LOG_DIR/NAME.log.
rulebook() {
    timeout 60 ansible-rulebook --rulebook rulebook.yml -i ../setup_simulator/inventory \
        --env-vars THOUSANDEYES_TOKEN,THOUSANDEYES_API_URL -vvv > "$LOG_DIR/$1.log" 2>&1
}

fail() {
    tail -n 80 "$log"
    echo "FAIL: $*"
    exit 1
}

# no_token NAME: none of the tokens appears in the run's output.
no_token() {
    for secret in "${SECRETS[@]}"; do
        ! grep -q -F -- "$secret" "$LOG_DIR/$1.log" "$LOG_DIR/simulator.log" || fail "a token appeared in $LOG_DIR/$1.log"
    done
}

# The usage climbs past the threshold between two polls: changed once the state event is recorded.
log=$LOG_DIR/crossing.log
rc=0
THOUSANDEYES_TOKEN=${SECRETS[0]} rulebook crossing &
pid=$!
until grep -q '^EVENT state' "$log" 2> /dev/null; do
    kill -0 "$pid" 2> /dev/null || break
    sleep 0.2
done
PYTHONPATH=$COLLECTION_ROOT/tests "$SIM_PYTHON" -c 'import sys; from simulator.client import admin
sys.exit(admin(sys.argv[1], "POST", "/_sim/usage", {"org": "10", "set": {"cloudUnitsProjected": 95000}}).status != 200)' "$TE_SIM"
wait "$pid" || rc=$?
[ "$rc" = 0 ] || fail "ansible-rulebook exited with $rc (124: still running after 60 s)"
for event in state threshold_crossed threshold_cleared; do
    count=$(grep -c "^EVENT $event " "$log" || true)
    [ "$count" = 1 ] || fail "$count $event events, not one"
done
grep -q -E 'ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$log" || fail "the playbook run on the crossing failed"
no_token crossing
echo "ok: state, then one threshold_crossed while above the threshold, usage_info agreed, threshold_cleared, exit 0"

# A bad token stops the source at the first poll, and ansible-rulebook with it.
log=$LOG_DIR/bad_token.log
rc=0
THOUSANDEYES_TOKEN=${SECRETS[5]} rulebook bad_token || rc=$?
[ "$rc" != 0 ] && [ "$rc" != 124 ] || fail "ansible-rulebook exited with $rc on a bad token"
grep -F "Source plugin failed with error message: 'GET /v7/usage failed: HTTP 401" "$log" || fail "no one-line 401 error"
no_token bad_token
echo "ok: a bad token ended ansible-rulebook with exit status $rc"
