#!/usr/bin/env bash
# ansible-rulebook (the eda-rulebook nox session) needs a Java 17+ runtime. Installs Debian's openjdk-17-jre-headless
# only when there is no java at all; as root, or through sudo when it is there.
set -euo pipefail
if command -v java > /dev/null; then
    echo "install_java: $(java -version 2>&1 | head -n 1)"
    exit 0
fi
command -v apt-get > /dev/null || { echo "install_java: no java and no apt-get: install a Java 17+ runtime" >&2; exit 1; }
sudo=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo > /dev/null || { echo "install_java: no java: install openjdk-17-jre-headless as root" >&2; exit 1; }
    sudo=(sudo)
fi
echo "install_java: no java: installing openjdk-17-jre-headless"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless
java -version 2>&1 | head -n 1
