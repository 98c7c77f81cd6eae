#!/usr/bin/env bash
# make packages: the cache-redis nox session starts Debian's redis-server. Installs the package where the program is
# missing (CI: a fresh Debian machine, as root); elsewhere it says what is missing, and that session fails naming it.
set -euo pipefail
command -v redis-server > /dev/null && exit 0
if [ "$(id -u)" = 0 ]; then
    as_root=()
elif command -v sudo > /dev/null; then
    as_root=(sudo)
else
    echo "make: no redis-server, and neither root nor sudo to install it: the cache-redis session will fail"
    exit 0
fi
"${as_root[@]}" apt-get update
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server
