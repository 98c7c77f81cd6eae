#!/usr/bin/env bash
# Two controllers share one Redis (community.general.redis, Debian's redis-server with a password on 127.0.0.1): the
# first asks the API once per endpoint, the second never; the keyspace reveals nothing; with Redis stopped a run still
# succeeds, with one warning. Run by the cache-redis nox session, which sets ANSIBLE_COLLECTIONS_PATH (this collection
# and the `ansible` package's community.general) and OUTPUT_DIR.
set -eu
source ../setup_simulator/simulator.sh
source ../cache/leaks.sh
start_simulator --scenario default

fail() { echo "FAIL: $*"; exit 1; }

WORK=$(mktemp -d)
REDIS_PORT=$("$SIM_PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
REDIS_PASSWORD=redis-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
SECRETS+=("$REDIS_PASSWORD")  # run_playbook fails on any output that shows it
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --requirepass "$REDIS_PASSWORD" \
    --dir "$WORK" > "$LOG_DIR/redis.log" 2>&1 &
REDIS_PID=$!
# Replaces simulator.sh's trap: stops the simulator as well.
trap 'kill "$REDIS_PID" "$SIM_PID" 2>/dev/null || true; rm -rf "$WORK"; [ -z "${_LOG_TMP:-}" ] || rm -rf "$_LOG_TMP"' EXIT

redis_cli() { redis-cli -h 127.0.0.1 -p "$REDIS_PORT" -a "$REDIS_PASSWORD" --no-auth-warning --raw "$@"; }
for _ in $(seq 100); do
    [ "$(redis_cli ping 2>/dev/null)" != PONG ] || break
    kill -0 "$REDIS_PID" 2>/dev/null || { cat "$LOG_DIR/redis.log"; fail "redis-server did not start"; }
    sleep 0.1
done

# The connection string as an AAP credential would inject it; fleet.yml reads the cache options from the environment.
export THOUSANDEYES_CACHE_PLUGIN=community.general.redis THOUSANDEYES_CACHE_TIMEOUT=600
export THOUSANDEYES_CACHE_CONNECTION=127.0.0.1:$REDIS_PORT:0:$REDIS_PASSWORD

# controller NAME ARGS...: fleet.yml on a controller of its own (ANSIBLE_HOME, temporary directories).
controller() {
    local name=$1
    shift
    mkdir -p "$WORK/$name/home" "$WORK/$name/tmp"
    ANSIBLE_HOME=$WORK/$name/home TMPDIR=$WORK/$name/tmp ANSIBLE_LOCAL_TEMP=$WORK/$name/tmp \
        run_playbook "$name" ../cache/fleet.yml -i ../cache/inventory --forks 10 "$@"
}

# backend_warnings NAME EXPECTED: how many lines of NAME's output warn that Redis failed.
backend_warnings() {
    local found
    found=$(grep -c -F '[WARNING]: thousandeyes.usage: the cache backend community.general.redis failed' "$LOG_DIR/$1.log" || true)
    [ "$found" = "$2" ] || fail "$1 warned $found times that the Redis backend failed, expected $2"
    echo "ok: $1 warned $2 times that the Redis backend failed"
}

controller controller_a -e expected_requests=1
backend_warnings controller_a 0
controller controller_b -e expected_requests=0
backend_warnings controller_b 0

# The 4 answers and community.general.redis's key set; every key, member and value reveals nothing.
mapfile -t keys < <(redis_cli keys '*')
[ "${#keys[@]}" = 5 ] || fail "Redis holds ${#keys[@]} keys, expected 5"
mapfile -t members < <(redis_cli zrange ansible_cache_keys 0 -1)
keyed_names "the Redis keyspace" "${keys[@]}" "${members[@]}"
for key in "${keys[@]}"; do
    printf '%s\n' "$key"
    if [ "$(redis_cli type "$key")" = string ]; then redis_cli get "$key"; fi
done > "$WORK/keyspace.txt"
printf '%s\n' "${members[@]}" >> "$WORK/keyspace.txt"
no_leak "the Redis keyspace" "$WORK/keyspace.txt"

# Redis down: the run asks the API (one request per endpoint: the run cache still works) and warns once.
kill "$REDIS_PID"
wait "$REDIS_PID" || true
controller controller_c -e expected_requests=1
backend_warnings controller_c 1
