#!/usr/bin/env bash
# Scale-out on one machine: N Bindery nodes and HAProxy with the shipped configuration
# (deploy/haproxy/haproxy.cfg, affinity by the node name in the sid), all on loopback, in front
# of an XMPP server you already run.
#
#   deploy/haproxy/run-local.sh --nodes 3 --upstream 127.0.0.1:5222 --domain localhost --port 5280
#
# Prints BOSH_URL=http://127.0.0.1:PORT/http-bind on a line of its own once every node is ready
# and HAProxy listens, then one NODE line per node (name, pid, ports) for scripts that drain or
# kill one. Runs until SIGTERM or Ctrl-C, then stops everything it started (HAProxy first, then
# the nodes with SIGTERM, which drains them) and removes its state directory.
#
# Options (defaults in brackets):
#   --nodes N            Bindery nodes, named b1..bN [2]
#   --upstream HOST:PORT the XMPP server's client-to-server port [127.0.0.1:5222]
#   --domain D           the XMPP domain served [localhost]
#   --port P             HAProxy's BOSH port on 127.0.0.1 [5280]
#   --h2                 HAProxy speaks HTTP/2 (h2c) to the nodes (the config's proto h2 line)
#   --app HOST:PORT      a web server for every path but /http-bind: the web client and BOSH
#                        on one origin, as a site serves them (default: none)
#   --jar FILE           Bindery's executable jar [server/target/bindery.jar, built if missing]
#   -- ARGS...           more flags for every node, e.g. -- --allowed-origins http://app.test
# Environment: BINDERY_JAVA_OPTS [-XX:+UseG1GC -Xmx512m], JAVA [java], HAPROXY [haproxy].
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly HOST=127.0.0.1
NODES=2
UPSTREAM=127.0.0.1:5222
DOMAIN=localhost
PORT=5280
H2=no
APP=""
JAR="$ROOT/server/target/bindery.jar"
EXTRA=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'; }
fail() { printf 'run-local: %s\n' "$*" >&2; exit 1; }

while (($#)); do
  case $1 in
    --nodes) NODES=${2:?}; shift 2 ;;
    --upstream) UPSTREAM=${2:?}; shift 2 ;;
    --domain) DOMAIN=${2:?}; shift 2 ;;
    --port) PORT=${2:?}; shift 2 ;;
    --h2) H2=yes; shift ;;
    --app) APP=${2:?}; shift 2 ;;
    --jar) JAR=${2:?}; shift 2 ;;
    --help | -h) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) fail "unknown option: $1 (see --help)" ;;
  esac
done
[[ "$NODES" =~ ^[1-9][0-9]?$ ]] || fail "--nodes: 1 to 99"
[[ "$PORT" =~ ^[0-9]+$ ]] || fail "--port: a port number"
[[ "$UPSTREAM" == *:* ]] || fail "--upstream: HOST:PORT"
[[ -z "$APP" || "$APP" == *:* ]] || fail "--app: HOST:PORT"

JAVA=${JAVA:-java}
HAPROXY=${HAPROXY:-$(command -v haproxy || echo /usr/sbin/haproxy)}
[[ -x "$HAPROXY" ]] || fail "HAProxy not found (apt-get install haproxy)"
read -r -a JAVA_OPTS <<<"${BINDERY_JAVA_OPTS:--XX:+UseG1GC -Xmx512m}"

listening() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# A port nothing listens on, from a random start: good enough for one machine.
free_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 30000))
    listening "$p" || { echo "$p"; return 0; }
  done
  fail "no free port found"
}

# The status code of GET /health/ready on an admin port, or nothing.
ready_status() {
  local line
  exec 4<>"/dev/tcp/$HOST/$1" 2>/dev/null || return 0
  printf 'GET /health/ready HTTP/1.0\r\nHost: %s\r\n\r\n' "$HOST" >&4
  read -r -t 2 line <&4 || true
  exec 4<&- 4>&-
  echo "$line" | awk '{print $2}'
}

STATE=$(mktemp -d "${TMPDIR:-/tmp}/bindery-local.XXXXXX")
PIDS=()
HAPROXY_PID=""

# Stops one child by pid: TERM, then KILL after $2 seconds.
stop_pid() {
  local pid=$1 patience=$2
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((patience * 10))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  local status=$? pid
  trap - EXIT INT TERM
  set +e
  [[ -n "$HAPROXY_PID" ]] && stop_pid "$HAPROXY_PID" 5
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null; done # drain all at once
  for pid in "${PIDS[@]}"; do stop_pid "$pid" 40; done
  rm -rf "$STATE"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ! -f "$JAR" ]]; then
  printf 'run-local: building %s\n' "$JAR" >&2
  (cd "$ROOT" && mvn -B -q -DskipTests -pl server -am package) >&2 || fail "the build failed"
fi
listening "$PORT" && fail "port $PORT on $HOST is in use"

declare -a NAMES HTTP_PORTS ADMIN_PORTS
for ((i = 1; i <= NODES; i++)); do
  name="b$i" http=$(free_port) admin=$(free_port)
  while [[ "$admin" == "$http" ]]; do admin=$(free_port); done
  NAMES+=("$name") HTTP_PORTS+=("$http") ADMIN_PORTS+=("$admin")
  # --node-name: the sids this node issues start with "b$i.", HAProxy's server name for it
  setsid "$JAVA" "${JAVA_OPTS[@]}" -jar "$JAR" --bind "$HOST" --port "$http" \
    --admin-bind "$HOST" --admin-port "$admin" --upstream "$UPSTREAM" --domain "$DOMAIN" \
    --node-name "$name" --trusted-proxies "$HOST" "${EXTRA[@]}" \
    >"$STATE/$name.log" 2>&1 </dev/null &
  PIDS+=($!)
done

for ((i = 0; i < NODES; i++)); do
  for _ in $(seq 1 600); do
    [[ "$(ready_status "${ADMIN_PORTS[$i]}")" == 200 ]] && break
    kill -0 "${PIDS[$i]}" 2>/dev/null || { tail -n 20 "$STATE/${NAMES[$i]}.log" >&2
      fail "node ${NAMES[$i]} exited during startup"; }
    sleep 0.1
  done
  [[ "$(ready_status "${ADMIN_PORTS[$i]}")" == 200 ]] ||
    fail "node ${NAMES[$i]} not ready after 60 s; see $STATE/${NAMES[$i]}.log"
done

# The shipped configuration with loopback addresses: its server lines replaced by one per node,
# its error pages taken from the repository, maxconn within this shell's descriptor limit.
servers=""
for ((i = 0; i < NODES; i++)); do
  servers+="    server ${NAMES[$i]} $HOST:${HTTP_PORTS[$i]} port ${ADMIN_PORTS[$i]}"$'\n'
done
maxconn=$(( $(ulimit -n) / 3 ))
awk -v servers="$servers" -v h2="$H2" -v app="$APP" '
  /^    server b[0-9]+ / { if (!done) { printf "%s", servers; done = 1 } next }
  h2 == "yes" && /^    # default-server proto h2$/ { print "    default-server proto h2"; next }
  app != "" && /^    default_backend bindery$/ {
    print "    use_backend app unless { path_beg /http-bind }"
  }
  { print }
  END { if (app != "") printf "\nbackend app\n    server app %s\n", app }
' "$ROOT/deploy/haproxy/haproxy.cfg" |
  sed -e "s|^    bind :5280$|    bind $HOST:$PORT|" \
    -e "s|/etc/haproxy/errors/|$ROOT/deploy/haproxy/errors/|" \
    -e "s|maxconn 20000|maxconn $maxconn|" >"$STATE/haproxy.cfg"
"$HAPROXY" -c -q -f "$STATE/haproxy.cfg" || fail "HAProxy refused $STATE/haproxy.cfg"
"$HAPROXY" -db -f "$STATE/haproxy.cfg" >"$STATE/haproxy.log" 2>&1 </dev/null &
HAPROXY_PID=$!
for _ in $(seq 1 100); do
  listening "$PORT" && break
  kill -0 "$HAPROXY_PID" 2>/dev/null || { cat "$STATE/haproxy.log" >&2; fail "HAProxy exited"; }
  sleep 0.1
done
listening "$PORT" || fail "HAProxy is not listening on $HOST:$PORT"

echo "BOSH_URL=http://$HOST:$PORT/http-bind"
for ((i = 0; i < NODES; i++)); do
  echo "NODE ${NAMES[$i]} pid=${PIDS[$i]} http=${HTTP_PORTS[$i]} admin=${ADMIN_PORTS[$i]}" \
    "log=$STATE/${NAMES[$i]}.log"
done
echo "HAPROXY pid=$HAPROXY_PID config=$STATE/haproxy.cfg log=$STATE/haproxy.log"
echo "Ctrl-C stops everything."

# Until a signal: `wait` returns early on a trapped signal, so the trap runs at once.
while kill -0 "$HAPROXY_PID" 2>/dev/null; do
  wait "$HAPROXY_PID" || true
done
fail "HAProxy exited; see $STATE/haproxy.log"
