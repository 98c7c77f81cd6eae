#!/usr/bin/env bash
# make demo: run examples/quota_gate.yml against the API simulator, once for an organization with room (the gate
# opens) and once for one near its quota (the gate stops the play).
set -euo pipefail
# DEMO_ROOT: a collection directory holding examples/ and tests/simulator/ (default: this repository; the
# packaging check points it at the installed copy).
root=${DEMO_ROOT:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
source tests/integration/targets/setup_simulator/simulator.sh  # start_simulator, shared with the integration tests
start_simulator --scenario default
sim_url=$TE_SIM

export THOUSANDEYES_API_URL="$sim_url/v7" THOUSANDEYES_TOKEN=te-sim-token-0123456789abcdef ANSIBLE_NOCOLOR=${ANSIBLE_NOCOLOR:-}
echo "== ThousandEyes API simulator at $THOUSANDEYES_API_URL"
echo "== 1. An organization with room in its contract: the gate opens"
ansible-playbook -i examples/inventory.ini examples/quota_gate.yml

echo "== 2. The same organization near its quota (97% projected): the gate stops the rollout"
PYTHONPATH="$root/tests" python -c 'import sys; from simulator.client import admin
answer = admin(sys.argv[1], "POST", "/_sim/reset", {"scenario": "near_quota"})
sys.exit(0 if answer.status == 200 else "simulator reset failed: HTTP %d" % answer.status)' "$sim_url"
rc=0
ansible-playbook -i examples/inventory.ini examples/quota_gate.yml || rc=$?
if [ "$rc" = 2 ]; then
    echo "== The gate stopped the play before any test was created (exit code 2), as it should."
else
    echo "== Unexpected: the play exited with $rc instead of stopping at the gate."
    exit 1
fi
