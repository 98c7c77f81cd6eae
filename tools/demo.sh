#!/usr/bin/env bash
# make demo: run examples/quota_gate.yml against the API simulator, once with a rollout that fits (the gate opens and
# says how much more would fit) and once with one that does not (the gate refuses it and says what would fit). After
# each run it prints the API requests the simulator served: one, shared by the play's two usage_info tasks.
set -euo pipefail
# DEMO_ROOT: a collection directory holding examples/ and tests/simulator/ (default: this repository; the
# packaging check points it at the installed copy).
root=${DEMO_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
source tests/integration/targets/setup_simulator/simulator.sh  # start_simulator, shared with the integration tests
start_simulator --scenario default
sim_url=$TE_SIM

# api_requests: print the API requests the simulator served since it started or was last reset (GET /_sim/requests),
# and fail unless the play's two usage_info tasks made exactly one.
api_requests() {
    PYTHONPATH="$root/tests" python -c 'import sys
from urllib.parse import urlencode
from simulator.client import admin
log = admin(sys.argv[1], "GET", "/_sim/requests").json()
calls = ", ".join("%s %s%s" % (r["method"], r["path"], "?" + urlencode(r["query"], doseq=True) if r["query"] else "")
                  for r in log["requests"])
count = log["count"]
print("== The simulator served %d API request%s for the two usage_info tasks: %s" % (
    count, "" if count == 1 else "s", calls or "none"))
if count != 1:
    sys.exit("== Unexpected: the second usage_info task should reuse the answer of the first (cache).")' "$sim_url"
}

export THOUSANDEYES_API_URL="$sim_url/v7" THOUSANDEYES_TOKEN=te-sim-token-0123456789abcdef ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-}
echo "== ThousandEyes API simulator at $THOUSANDEYES_API_URL"
echo "== 1. A rollout of 5 tests in an organization with room in its contract: the gate opens"
ansible-playbook -i examples/inventory.ini examples/quota_gate.yml
api_requests

echo "== 2. The same organization, a rollout three times as big (15 tests): the gate refuses it and says what fits"
PYTHONPATH="$root/tests" python -c 'import sys; from simulator.client import admin
answer = admin(sys.argv[1], "POST", "/_sim/reset", {"scenario": "default"})
sys.exit(0 if answer.status == 200 else "simulator reset failed: HTTP %d" % answer.status)' "$sim_url"
rc=0
ansible-playbook -i examples/inventory.ini examples/quota_gate.yml -e tests_to_create=15 || rc=$?
if [ "$rc" = 2 ]; then
    echo "== The gate stopped the play before any test was created (exit code 2), as it should."
    api_requests
else
    echo "== Unexpected: the play exited with $rc instead of stopping at the gate."
    exit 1
fi
