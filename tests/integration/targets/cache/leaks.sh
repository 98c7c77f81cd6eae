# shellcheck shell=bash
# Sourced after simulator.sh by the targets that check what the cache keeps (cache, cache_redis): no key or value may
# reveal a token or the default scenario's data.

# Plain data shows as JSON field names, or as account group IDs and organization names between quotes or spaces (as
# whole words only: hex keys and base64 values hold such runs of letters and digits by chance).
LEAK_FIELDS=('"org_id"' '"orgId"' '"aid"' '"account_group_name"' '"accountGroupName"' cloud_units_used cloudUnitsUsed)
LEAK_WORDS=(1234 5678 9001 Acme Globex)

# no_leak WHAT PATH...: no file under PATH holds a secret of SECRETS, the hex SHA-256, SHA-1 or MD5 digest of one, or
# plain scenario data. A failure names the file and the kind of string, never a secret.
no_leak() {
    local what=$1 secret value hit=''
    shift
    for secret in "${SECRETS[@]}"; do
        for value in "$secret" "$(printf %s "$secret" | sha256sum)" "$(printf %s "$secret" | sha1sum)" \
                     "$(printf %s "$secret" | md5sum)"; do
            value=${value%% *}  # a digest without sha256sum's file name
            grep -r -l -F -e "$value" -- "$@" && hit=1 && echo "FAIL: $what: the file above holds a secret or a digest of one"
        done
    done
    for value in "${LEAK_FIELDS[@]}"; do
        grep -r -l -F -e "$value" -- "$@" && hit=1 && echo "FAIL: $what: the file above holds $value"
    done
    for value in "${LEAK_WORDS[@]}"; do
        grep -r -l -w -F -e "$value" -- "$@" && hit=1 && echo "FAIL: $what: the file above holds the word $value"
    done
    [ -z "$hit" ] || return 1
    echo "ok: $what: no secret, no digest of one, no plain scenario data"
}

# keyed_names WHAT NAME...: every name is a keyed hash (64 hex digits) with an optional prefix and suffix, or one of
# the names Ansible's cache plugins use for themselves (redis: ansible_cache_keys).
keyed_names() {
    local what=$1 name index=0
    shift
    for name in "$@"; do
        index=$((index + 1))
        if ! [[ $name =~ ^(thousandeyes_usage_)?(s1_)?[0-9a-f]{64}(-failed|\.lock)?$|^ansible_cache_keys$ ]]; then
            echo "FAIL: entry $index of $what is not named by a keyed hash (not shown: it might hold a token)"
            return 1
        fi
    done
    echo "ok: $what names its $# entries by keyed hashes only"
}
