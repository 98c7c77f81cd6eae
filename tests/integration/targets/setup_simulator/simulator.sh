# shellcheck shell=bash
# Sourced by the runme.sh of targets that need the ThousandEyes API simulator (aliases: needs/target/setup_simulator).
# Starts it on 127.0.0.1 on a free port, stops it when the target ends, and runs playbooks at -vvvv with a scan of
# everything they print for the simulator's tokens, which must never appear.

# The collection root: ansible-test runs targets from a temporary copy inside the collection's tests/output.
_dir=$PWD
while [ "$_dir" != / ] && [ ! -f "$_dir/galaxy.yml" ] && [ ! -f "$_dir/MANIFEST.json" ]; do _dir=$(dirname "$_dir"); done
COLLECTION_ROOT=$_dir
SETUP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SIM_PYTHON=${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}
# ansible-test keeps logs in OUTPUT_DIR; other callers (make demo) get a temporary directory, removed at exit.
LOG_DIR=${OUTPUT_DIR:-}
[ -n "$LOG_DIR" ] || { LOG_DIR=$(mktemp -d); _LOG_TMP=$LOG_DIR; }
# Every token the simulator knows, and the bad ones the tests send: none may show up in any output.
SECRETS=(te-sim-token-0123456789abcdef te-sim-noperm-token-0123456789 te-sim-other-org-token-012345
         te-sim-viewer-token-0123456789 te-sim-partner-token-0123456789 not-a-valid-token-6f5e4d)

start_simulator() {
    local port_file="$LOG_DIR/simulator.port"
    rm -f "$port_file"
    PYTHONPATH="$COLLECTION_ROOT/tests" "$SIM_PYTHON" -m simulator --port 0 --port-file "$port_file" "$@" \
        > "$LOG_DIR/simulator.log" 2>&1 &
    SIM_PID=$!
    trap 'kill "$SIM_PID" 2>/dev/null || true; [ -z "${_LOG_TMP:-}" ] || rm -rf "$_LOG_TMP"' EXIT
    for _ in $(seq 100); do
        [ -s "$port_file" ] && break
        kill -0 "$SIM_PID" 2>/dev/null || { cat "$LOG_DIR/simulator.log"; return 1; }
        sleep 0.1
    done
    TE_SIM="http://127.0.0.1:$(cat "$port_file")"
    export TE_SIM
}

# sim_count: how many API requests the simulator served since its last reset (no proxy: it is on 127.0.0.1).
sim_count() {
    "$SIM_PYTHON" -c 'import json, sys, urllib.request as u
print(json.load(u.build_opener(u.ProxyHandler({})).open(sys.argv[1]))["count"])' "$TE_SIM/_sim/requests"
}

# run_playbook NAME ARGS...: ansible-playbook -vvvv, output kept in LOG_DIR/NAME.log, failing on a leaked token.
run_playbook() {
    local name=$1 log="$LOG_DIR/$1.log" rc=0
    shift
    ANSIBLE_NOCOLOR=1 ansible-playbook -vvvv -i "$SETUP_DIR/inventory" -e "te_sim=$TE_SIM" "$@" > "$log" 2>&1 || rc=$?
    grep -E '^(TASK|PLAY RECAP|ok:|changed:|fatal:|failed:|skipping:|testhost +:)' "$log" || true
    for secret in "${SECRETS[@]}"; do
        if grep -q -F -- "$secret" "$log" "$LOG_DIR/simulator.log"; then
            echo "FAIL: a token appeared in the output of $name ($log)"
            return 1
        fi
    done
    # requires_ansible (meta/runtime.yml) admits the ansible-core under test: no version warning in any run.
    if grep -q -F 'does not support Ansible version' "$log"; then
        grep -F 'does not support Ansible version' "$log" | head -n 1
        echo "FAIL: ansible-core warned that it is not supported by the collection ($name: $log)"
        return 1
    fi
    if [ "$rc" != 0 ]; then
        tail -n 80 "$log"
        echo "FAIL: playbook $name exited with $rc"
        return "$rc"
    fi
    echo "ok: $name (-vvvv output scanned for tokens and version warnings: none found)"
}
