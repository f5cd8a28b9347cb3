# Settings and helpers shared by cluster-deploy/local/start and stop (sourced from the repository
# root). Everything the local cluster keeps is under one folder, git-ignored with the rest of data/.
# shellcheck shell=bash

STATE="${MESSENGER_LOCAL_CLUSTER_DIR:-data/local-cluster}"
# The ring: three Cassandra nodes on 127.0.0.1-3, off the development node's 9042/7000.
CASSANDRA_NODES=3
CQL_PORT="${MESSENGER_LOCAL_CQL_PORT:-9142}"
STORAGE_PORT="${MESSENGER_LOCAL_STORAGE_PORT:-7100}"
# Server node i (1-3) serves HTTP on 8080+i and talks Artery on 25520+i.
HTTP_BASE_PORT=8080
ARTERY_BASE_PORT=25520

if [[ -n "${JAVA_HOME:-}" ]]; then
  java="$JAVA_HOME/bin/java"
else
  java="java"
fi

absolute_state() {
  mkdir -p "$STATE"
  STATE="$(cd "$STATE" && pwd)"
}

server_classpath() {
  echo "target/classes:$(cat target/server.classpath)"
}

# The pid of server node $1 if it runs: the pid file names a live messenger.Main whose data dir is
# this node's (a pid reused by another process after a reboot is not ours to signal).
server_pid() {
  local file="$STATE/server-$1.pid" pid
  [[ -f "$file" ]] || return 1
  pid="$(cat "$file")"
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'messenger\.Main' || return 1
  tr '\0' '\n' < "/proc/$pid/environ" 2>/dev/null | grep -qx "MESSENGER_DATA_DIR=$STATE/server-$1" || return 1
  echo "$pid"
}
