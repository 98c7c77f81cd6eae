#!/usr/bin/env bash
# The cache through ansible-playbook against the API simulator on 127.0.0.1: one request per question for 30 hosts and
# every reading plugin; the cache options as action group defaults; answers kept across runs by the default jsonfile
# backend with a cache_timeout, and nothing kept without one; invalidation by quota; the deprecated cache_ttl; nothing
# secret in any cache file. (cache_redis runs fleet.yml against a Redis.)
set -eu
source ../setup_simulator/simulator.sh
source leaks.sh
start_simulator --scenario default

# Each run's ANSIBLE_HOME (the backend's default directory) and ANSIBLE_LOCAL_TEMP (the run cache's) are the test's.
WORK=$LOG_DIR/cache-work
rm -rf "$WORK"
mkdir -p "$WORK"
export ANSIBLE_HOME=$WORK/home ANSIBLE_LOCAL_TEMP=$WORK/tmp TE_UNUSED_DIR=$WORK/unused
BACKEND=$ANSIBLE_HOME/cache/thousandeyes.usage
# Timeouts here are a day (86400 s), far longer than the test takes.

fail() { echo "FAIL: $*"; exit 1; }

# entries DIR: the names of the files in DIR, one a line.
entries() { find "$1" -type f -printf '%f\n'; }

run_playbook module_defaults module_defaults.yml -i inventory

# One request per endpoint, then none from the backend (every one of the 30 x 5 calls says so at -vvv), then with no
# timeout one again: the backend is not read.
THOUSANDEYES_CACHE_TIMEOUT=86400 run_playbook kept fleet.yml snapshot.yml -i inventory --forks 10 \
    -e expected_requests=1 -e snapshot="$WORK/run-kept"
THOUSANDEYES_CACHE_TIMEOUT=86400 run_playbook reused fleet.yml -i inventory --forks 10 -e expected_requests=0
hits=$(grep -c -E '^(<ssh-[0-9]+> )?thousandeyes\.usage\.[a-z_]+: reused an answer from the cache$' "$LOG_DIR/reused.log" || true)
[ "$hits" = 150 ] || fail "reused reported $hits answers reused from the cache, expected 150 (30 hosts x 5 plugins)"
echo "ok: reused reported 150 answers reused from the cache"
run_playbook no_timeout fleet.yml -i inventory --forks 10 -e expected_requests=1

# quota invalidates: the run cache alone, then the run cache and the backend that fleet.yml filled.
run_playbook invalidate invalidate.yml snapshot.yml -i inventory -e expected_quota_reads=2 -e snapshot="$WORK/run-invalidate"
THOUSANDEYES_CACHE_TIMEOUT=86400 run_playbook invalidate_backend invalidate.yml -i inventory -e expected_quota_reads=1

# cache_ttl keeps answers across runs, with a deprecation warning from the module and from the lookup.
TTL_HOME=$WORK/ttl-home
ANSIBLE_HOME=$TTL_HOME ANSIBLE_DEPRECATION_WARNINGS=true run_playbook ttl ttl.yml -e expected_requests=2
ANSIBLE_HOME=$TTL_HOME ANSIBLE_DEPRECATION_WARNINGS=true run_playbook ttl_again ttl.yml -e expected_requests=0
# Joined lines: ansible-core before 2.19 wraps warnings.
deprecations=$(grep -A 2 -F '[DEPRECATION WARNING]' "$LOG_DIR/ttl.log" | tr -s '\n' ' ')
[[ $deprecations == *"Alias 'cache_ttl' is deprecated"* ]] || fail "no deprecation warning for the module's cache_ttl"
[[ $deprecations == *"The cache_ttl option of thousandeyes.usage.usage is deprecated: use cache_timeout"* ]] ||
    fail "no deprecation warning for the lookup's cache_ttl"
echo "ok: ttl warned that cache_ttl is deprecated, for the module and for the lookup"

# The directories the collection creates are private; their entries are named by keyed hashes and reveal nothing.
# The backend holds the 4 questions of fleet.yml; the run cache also a lock per question, and an error entry.
for dir in "$BACKEND" "$TTL_HOME/cache/thousandeyes.usage" "$WORK"/run-*/ansible-local-*/thousandeyes.usage; do
    [ "$(stat -c %a "$dir")" = 700 ] || fail "$dir has mode $(stat -c %a "$dir"), expected 700"
done
echo "ok: the backend and run cache directories have mode 0700"
[ "$(entries "$BACKEND" | wc -l)" = 4 ] || fail "$BACKEND holds $(entries "$BACKEND" | wc -l) entries, expected 4"
RUN_KEPT=$(echo "$WORK"/run-kept/ansible-local-*/thousandeyes.usage)
[ "$(entries "$RUN_KEPT" | wc -l)" = 8 ] || fail "the run cache of kept holds $(entries "$RUN_KEPT" | wc -l) files, expected 8"
entries "$WORK"/run-invalidate | grep -q -e '-failed$' || fail "the run cache of invalidate holds no error entry"
for dir in "$BACKEND" "$TTL_HOME/cache/thousandeyes.usage" "$WORK"/run-*/ansible-local-*/thousandeyes.usage; do
    mapfile -t names < <(entries "$dir")
    keyed_names "$dir" "${names[@]}"
done
no_leak "the jsonfile backends" "$BACKEND" "$TTL_HOME/cache/thousandeyes.usage"
no_leak "the runs' temporary directories" "$WORK"/run-*
