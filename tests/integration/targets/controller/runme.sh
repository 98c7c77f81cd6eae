#!/usr/bin/env bash
# The modules' action plugins: every thousandeyes.usage task runs on the controller, whatever the managed host, and
# runs the module on the host only when the task is delegated to one. Against the API simulator on 127.0.0.1.
set -eu
source ../setup_simulator/simulator.sh
start_simulator --scenario default

# jumphost's interpreter (recording_python.sh) writes a line here each time Ansible runs it, then runs this Python.
export TE_INTERPRETER_LOG=$LOG_DIR/jumphost-interpreter.log
TE_REAL_PYTHON=$(command -v "${ANSIBLE_TEST_PYTHON_INTERPRETER:-python3}")
export TE_REAL_PYTHON
rm -f "$TE_INTERPRETER_LOG"

# no_ssh NAME: the -vvvv output of playbook NAME shows no SSH connection attempt.
no_ssh() {
    if grep -n -E 'ESTABLISH SSH CONNECTION|SSH: EXEC' "$LOG_DIR/$1.log"; then
        echo "FAIL: $1 tried to connect to a managed host over SSH"
        return 1
    fi
    echo "ok: $1 (no SSH connection attempted)"
}

# count_lines NAME PATTERN EXPECTED: how many lines of the -vvvv output of NAME match the extended regex PATTERN.
count_lines() {
    local found
    found=$(grep -c -E -- "$2" "$LOG_DIR/$1.log" || true)
    if [ "$found" != "$3" ]; then
        echo "FAIL: $1 printed $found lines matching '$2', expected $3"
        return 1
    fi
    echo "ok: $1 printed $3 lines matching '$2'"
}

# Control: a module without an action plugin does try SSH to these hosts, fails, and -vvvv shows the attempt.
run_playbook ssh_control ssh_control.yml -i inventory
grep -q 'ESTABLISH SSH CONNECTION' "$LOG_DIR/ssh_control.log" || { echo "FAIL: no SSH attempt in ssh_control"; exit 1; }

run_playbook all_modules all_modules.yml -i inventory
no_ssh all_modules

# 30 hosts, 10 forks, no run_once: one request with the run cache (the default), which -vvv reports for the 29
# hosts that reused it, and which the lookup reuses later in the run; one per host with cache=none.
reused='^<ssh-[0-9]+> thousandeyes\.usage\.usage_info: reused an answer from the cache$'
lookup_reused='^thousandeyes\.usage\.usage: reused an answer from the cache$'
run_playbook fleet_run_cache fleet.yml -i inventory --forks 10 \
    -e te_cache=run -e expected_module_requests=1 -e expected_lookup_requests=0
no_ssh fleet_run_cache
count_lines fleet_run_cache "$reused" 29
count_lines fleet_run_cache "$lookup_reused" 30
run_playbook fleet_no_cache fleet.yml -i inventory --forks 10 \
    -e te_cache=none -e expected_module_requests=30 -e expected_lookup_requests=1
no_ssh fleet_no_cache
count_lines fleet_no_cache "$reused" 0
count_lines fleet_no_cache "$lookup_reused" 29

# delegate_to: a managed host runs the module there, the usual way (jumphost's interpreter records each run).
run_playbook delegation delegation.yml -i inventory
no_ssh delegation

# quota: check mode and diff without a POST, then the change, then nothing to do.
run_playbook quota quota.yml -i inventory --diff
no_ssh quota

# The environment: keyword, applied on the controller for one task; its token is never printed.
run_playbook environment environment.yml -i inventory
no_ssh environment

# Errors are never stored: each of the 30 hosts of a task either asks or gets the error of the request it waited for
# (which of the two depends on timing), and each of the 3 attempts of the retried task asks. So the requests and the
# -vvv lines of waiting hosts add up to 30 + 30 + 3, however the hosts overlapped.
run_playbook errors errors.yml -i inventory --forks 10
no_ssh errors
count_lines errors '^FAILED - RETRYING: \[ssh-01\]: ' 2
waited=$(grep -c -E '^<ssh-[0-9]+> thousandeyes\.usage\.usage_info: the request it waited for failed$' "$LOG_DIR/errors.log" || true)
requests=$(sim_count)
if [ $((waited + requests)) != 63 ]; then
    echo "FAIL: errors made $requests requests and $waited hosts waited for one; expected 63 in all"
    exit 1
fi
echo "ok: errors made $requests requests and $waited hosts got the error of the request they waited for (63 in all)"
