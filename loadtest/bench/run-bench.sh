#!/usr/bin/env bash
# Bindery side by side with Prosody's and ejabberd's own BOSH, on this machine.
#
#   loadtest/bench/run-bench.sh            # everything, about 30 minutes
#   BENCH_SCENARIOS="chat" BENCH_REPEATS=1 loadtest/bench/run-bench.sh
#
# For each scenario, each repeat and each endpoint (the order alternates between repeats) it
# starts a fresh server stack on 127.0.0.1, runs bindery-loadtest.jar against it while the load
# generator samples the servers' CPU time and memory from /proc (and Bindery's heap with jcmd),
# then stops the stack. Endpoints:
#   bindery   Bindery (server/target/bindery.jar) relaying to a Prosody c2s port; Bindery's
#             and Prosody's costs are reported separately and together
#   prosody   Prosody's own BOSH (mod_bosh)
#   ejabberd  ejabberd's own BOSH (mod_bosh)
#   bindery-ejabberd  Bindery relaying to ejabberd's c2s port (not in the default set)
#   bindery-h2, bindery-ejabberd-h2  the same, the generator speaking HTTP/2 (h2c) to Bindery
#             over BENCH_H2_CONNECTIONS shared connections, as a proxy's h2 backend would
# Results: one JSON and one HTML report per run, and summary.md (medians and spread), in
# $BENCH_OUT (default target/bench/<date>). docs/benchmarks.md explains the method.
#
# Environment (defaults in brackets):
#   BENCH_ENDPOINTS ["bindery prosody ejabberd"]   BENCH_REPEATS [2]
#   BENCH_SCENARIOS ["chat idle idle-max login-storm"]
#   BENCH_CHAT_SESSIONS [2000]  BENCH_CHAT_RATE [0.2]  BENCH_CHAT_SECONDS [60]
#   BENCH_IDLE_SESSIONS [2000]  BENCH_IDLE_MAX_SESSIONS [6000]  BENCH_IDLE_SECONDS [30]
#   BENCH_STORM_SESSIONS [200]  BENCH_STORM_RATE [100]  BENCH_STORM_SECONDS [30]
#   soak (not in the default set; bindery endpoints only; loadtest/bench/run-soak.sh runs it):
#   SOAK_SESSIONS [1000] chatting at BENCH_CHAT_RATE, SOAK_MINUTES [60],
#   SOAK_CHURN_RATE [2] logins/s of SOAK_CHURN_SESSIONS [100] more users, each online
#   SOAK_CHURN_LINGER [10] s, SOAK_SAMPLE_EVERY [60] s; writes soak.json and soak.html
#   BENCH_ARRIVAL_RATE [200]    BENCH_WARMUP [10] (seconds of unmeasured chat first)
#   BENCH_H2_CONNECTIONS [4]    the *-h2 endpoints' shared connections
#   BENCH_PROSODY_NAGLE [false] (Prosody's network_settings.nagle)
#   BENCH_PROSODY_NETWORK [""]  more network_settings, e.g. "opportunistic_writes = true"
#   BINDERY_JAVA_OPTS [""]  (e.g. "-XX:+UseZGC")
#   GEN_JAVA_OPTS ["-Xms1g -Xmx4g"]  the load generator's JVM options
#   BINDERY_JAVA [java]         (e.g. /usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
#   BENCH_SKIP_BUILD            use the jars already built
#   BENCH_CLIENT [loadtest]     "tsung": drive the chat scenario with Tsung's BOSH client
#             (Debian's tsung, loadtest/bench/tsung/chat.xml) instead of the load generator, as
#             the independent cross-check of its figures; not for the *-h2 endpoints
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly SERVER_JAR="$ROOT/server/target/bindery.jar"
readonly LOADTEST_JAR="$ROOT/loadtest/target/bindery-loadtest.jar"
readonly DOMAIN=localhost
readonly HOST=127.0.0.1
readonly C2S_PORT="${BENCH_C2S_PORT:-25222}"
readonly HTTP_PORT="${BENCH_HTTP_PORT:-25280}"
readonly ADMIN_PORT="${BENCH_ADMIN_PORT:-25290}"
readonly EJ_C2S_PORT="${BENCH_EJ_C2S_PORT:-25322}"
readonly EJ_DIST_PORT="${BENCH_EJ_DIST_PORT:-25999}"
# ejabberd's own HTTP listener when Bindery fronts its c2s port (bindery-ejabberd)
readonly EJ_HTTP_PORT="${BENCH_EJ_HTTP_PORT:-25380}"
# many client addresses, as real users have: Bindery limits new sessions per address
# (limits.new-sessions-per-ip-per-second, 20 by default)
readonly SOURCES="127.0.0.2-127.0.0.65"

read -r -a ENDPOINTS <<<"${BENCH_ENDPOINTS:-bindery prosody ejabberd}"
read -r -a SCENARIOS <<<"${BENCH_SCENARIOS:-chat idle idle-max login-storm}"
REPEATS="${BENCH_REPEATS:-2}"
CHAT_SESSIONS="${BENCH_CHAT_SESSIONS:-2000}"
CHAT_RATE="${BENCH_CHAT_RATE:-0.2}"
CHAT_SECONDS="${BENCH_CHAT_SECONDS:-60}"
IDLE_SESSIONS="${BENCH_IDLE_SESSIONS:-2000}"
IDLE_MAX_SESSIONS="${BENCH_IDLE_MAX_SESSIONS:-6000}"
IDLE_SECONDS="${BENCH_IDLE_SECONDS:-30}"
STORM_SESSIONS="${BENCH_STORM_SESSIONS:-200}"
STORM_RATE="${BENCH_STORM_RATE:-100}"
STORM_SECONDS="${BENCH_STORM_SECONDS:-30}"
SOAK_SESSIONS="${SOAK_SESSIONS:-1000}"
SOAK_MINUTES="${SOAK_MINUTES:-60}"
SOAK_CHURN_RATE="${SOAK_CHURN_RATE:-2}"
SOAK_CHURN_SESSIONS="${SOAK_CHURN_SESSIONS:-100}"
SOAK_CHURN_LINGER="${SOAK_CHURN_LINGER:-10}"
SOAK_SAMPLE_EVERY="${SOAK_SAMPLE_EVERY:-60}"
ARRIVAL_RATE="${BENCH_ARRIVAL_RATE:-200}"
WARMUP="${BENCH_WARMUP:-10}"
H2_CONNECTIONS="${BENCH_H2_CONNECTIONS:-4}"
# Prosody leaves Nagle's algorithm on by default; with delayed ACKs that holds a small write for
# up to 40 ms. Off here, as on any latency-sensitive deployment (docs/operations.md).
PROSODY_NAGLE="${BENCH_PROSODY_NAGLE:-false}"
PROSODY_NETWORK="${BENCH_PROSODY_NETWORK:-}"
BINDERY_JAVA="${BINDERY_JAVA:-java}"
read -r -a BINDERY_OPTS <<<"${BINDERY_JAVA_OPTS:-}"
read -r -a GEN_OPTS <<<"${GEN_JAVA_OPTS:--Xms1g -Xmx4g}"
CLIENT="${BENCH_CLIENT:-loadtest}"
OUT="${BENCH_OUT:-$ROOT/target/bench/$(date +%Y%m%d-%H%M%S)}"

STATE=""
PIDS=()

say() { printf -- '-- %s\n' "$*"; }
fail() { printf -- '!! %s\n' "$*" >&2; exit 1; }

listening() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

await_listening() {
  local port=$1 pid=$2 name=$3 log=$4
  for _ in $(seq 1 600); do
    listening "$HOST" "$port" && return 0
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$log" >&2; fail "$name exited during startup"; }
    sleep 0.1
  done
  fail "$name is not listening on $HOST:$port after 60 s; see $log"
}

# Stops one process we started, by pid: TERM, then KILL after 15 s.
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# The descendants of a pid, depth first (ejabberdctl -> su -> sh -> beam.smp).
descendants() {
  local child
  for child in $(pgrep -P "$1" || true); do
    echo "$child"
    descendants "$child"
  done
}

stop_stack() {
  local i
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${PIDS[$i]}"
  done
  PIDS=()
}

cleanup() {
  local status=$?
  set +e
  stop_stack
  [[ -n "$STATE" && -d "$STATE" ]] && rm -rf "$STATE"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

lua_string() { printf '"%s"' "$1"; }

# A Prosody data directory with $1 accounts user0..user(N-1), passwords password0..: the
# internal_plain store is one small Lua file per account, so this is a file write each.
make_prosody_accounts() {
  local dir=$1 n=$2
  mkdir -p "$dir/localhost/accounts"
  awk -v n="$n" -v d="$dir/localhost/accounts" 'BEGIN {
    for (i = 0; i < n; i++) {
      f = d "/user" i ".dat"
      printf "return {\n\t[\"password\"] = \"password%d\";\n};\n", i > f
      close(f)
    }
  }'
}

# ejabberd's users as a Mnesia text dump for 'ejabberdctl load': plain passwords, as Prosody's.
make_ejabberd_accounts() {
  local file=$1 n=$2
  {
    echo '{tables,[{passwd,[{record_name,passwd},{attributes,[us,password]}]}]}.'
    awk -v n="$n" 'BEGIN { for (i = 0; i < n; i++)
      printf "{passwd,{<<\"user%d\">>,<<\"localhost\">>},<<\"password%d\">>}.\n", i, i }'
  } >"$file"
}

write_prosody_config() {
  local dir=$1 with_bosh=$2 modules='"saslauth"' http_ports="" c2s_ports="$C2S_PORT"
  if [[ "$with_bosh" == yes ]]; then
    modules='"saslauth"; "bosh"'
    http_ports=$HTTP_PORT
  fi
  cat >"$dir/prosody.cfg.lua" <<EOF
-- Written by run-bench.sh.
run_as_root = true
data_path = $(lua_string "$STATE/prosody-data")
certificates = $(lua_string "$dir/certs")
pidfile = $(lua_string "$dir/prosody.pid")
log = { warn = $(lua_string "$dir/prosody.log") }
interfaces = { "$HOST" }
c2s_interfaces = { "$HOST" }
c2s_ports = { $c2s_ports }
s2s_ports = { }
http_interfaces = { "$HOST" }
http_ports = { $http_ports }
https_ports = { }
consider_bosh_secure = true
bosh_max_inactivity = 60
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"
-- No mod_limits: c2s is not rate limited. No roster or offline storage is involved.
modules_enabled = { $modules }
modules_disabled = { "s2s" }
network_settings = { read_size = 65536; tcp_backlog = 4096; nagle = $PROSODY_NAGLE; $PROSODY_NETWORK }
VirtualHost "$DOMAIN"
EOF
}

start_prosody() {
  local with_bosh=$1 dir="$STATE/prosody-$RANDOM"
  mkdir -p "$dir/certs"
  write_prosody_config "$dir" "$with_bosh"
  setsid prosody --config "$dir/prosody.cfg.lua" -F >"$dir/out.log" 2>&1 </dev/null &
  PROSODY_PID=$!
  PIDS+=("$PROSODY_PID")
  await_listening "$C2S_PORT" "$PROSODY_PID" Prosody "$dir/out.log"
  [[ "$with_bosh" == yes ]] && await_listening "$HTTP_PORT" "$PROSODY_PID" Prosody "$dir/out.log"
  return 0
}

# Starts Bindery relaying to the c2s port $1 (Prosody's by default).
start_bindery() {
  local log="$RUN_DIR/bindery.log" upstream_port=${1:-$C2S_PORT}
  setsid "$BINDERY_JAVA" "${BINDERY_OPTS[@]}" -jar "$SERVER_JAR" --port "$HTTP_PORT" \
    --admin-port "$ADMIN_PORT" --bind "$HOST" --upstream "$HOST:$upstream_port" --domain "$DOMAIN" >"$log" 2>&1 </dev/null &
  BINDERY_PID=$!
  PIDS+=("$BINDERY_PID")
  await_listening "$HTTP_PORT" "$BINDERY_PID" Bindery "$log"
}

write_ejabberd_config() {
  local dir=$1 http_port=$2
  # ejabberdctl starts Erlang through su, whose pam_limits sets the soft descriptor limit back
  # to 1024: ejabberd then refuses connections beyond about 1,000 sessions. Raise it again.
  printf '#!/bin/sh\nulimit -n %s\nexec /usr/bin/erl "$@"\n' "$(ulimit -Hn)" >"$dir/erl"
  chmod 755 "$dir/erl"
  cat >"$dir/ejabberdctl.cfg" <<EOF
ERL=$dir/erl
ERL_DIST_PORT=$EJ_DIST_PORT
INET_DIST_INTERFACE=$HOST
ERL_MAX_PORTS=65536
ERL_PROCESSES=1000000
ERL_OPTIONS="-env ERL_CRASH_DUMP_BYTES 0"
EJABBERD_PID_PATH=$dir/ejabberd.pid
EOF
  cat >"$dir/ejabberd.yml" <<EOF
# Written by run-bench.sh.
hosts: [$DOMAIN]
loglevel: warning
certfiles: []
auth_method: internal
auth_password_format: plain
max_fsm_queue: 100000
listen:
  - {port: $EJ_C2S_PORT, ip: "$HOST", module: ejabberd_c2s, shaper: none, access: all,
     backlog: 4096, starttls_required: false}
  - port: $http_port
    ip: "$HOST"
    module: ejabberd_http
    backlog: 4096
    request_handlers:
      /http-bind: mod_bosh
shaper_rules:
  max_user_sessions: 10
  c2s_shaper: none
  s2s_shaper: none
modules:
  mod_bosh: {max_inactivity: 60, queue_type: ram}
  mod_disco: {}
EOF
}

# Starts ejabberd with its own BOSH on $1 (the benchmark's HTTP port by default).
start_ejabberd() {
  local dir="$STATE/ejabberd-$RANDOM" http_port=${1:-$HTTP_PORT}
  mkdir -p "$dir/spool" "$dir/logs"
  write_ejabberd_config "$dir" "$http_port"
  cp "$STATE/ejabberd-users.txt" "$dir/users.txt"
  chown -R ejabberd: "$dir" 2>/dev/null || true
  EJ=(ejabberdctl --ctl-config "$dir/ejabberdctl.cfg" --config "$dir/ejabberd.yml"
    --spool "$dir/spool" --logs "$dir/logs" --node "bench$$@localhost")
  setsid "${EJ[@]}" foreground >"$dir/out.log" 2>&1 </dev/null &
  local pid=$!
  PIDS+=("$pid")
  await_listening "$http_port" "$pid" ejabberd "$dir/out.log"
  await_listening "$EJ_C2S_PORT" "$pid" ejabberd "$dir/out.log"
  "${EJ[@]}" load "$dir/users.txt" >>"$dir/out.log" 2>&1 || fail "ejabberd: loading users failed"
  EJABBERD_PID=""
  local p
  for p in $(descendants "$pid"); do
    [[ "$(cat "/proc/$p/comm" 2>/dev/null)" == beam.smp ]] && EJABBERD_PID=$p
  done
  [[ -n "$EJABBERD_PID" ]] || fail "ejabberd: no beam.smp under pid $pid"
  PIDS+=("$EJABBERD_PID")
}

# The chat scenario with Tsung's BOSH client: $1 the run's name, then the monitors as NAME=PID.
# Tsung's users come from the same 64 loopback addresses as the generator's.
run_tsung() {
  local name=$1 ips="" i
  shift
  for ((i = 2; i <= 65; i++)); do ips+="      <ip value=\"127.0.0.$i\"/>"$'\n'; done
  local arrival=$(( (CHAT_SESSIONS + ARRIVAL_RATE - 1) / ARRIVAL_RATE ))
  # every user still chatting until the steady window (after the arrivals and the warm-up) ends
  local loops=$(( (arrival + WARMUP + CHAT_SECONDS + 40) / 5 ))
  awk -v ips="$ips" '{ sub(/@IPS@/, ips); print }' "$ROOT/loadtest/bench/tsung/chat.xml" |
    sed -e "s/@HOST@/$HOST/" -e "s/@PORT@/$HTTP_PORT/" -e "s/@DOMAIN@/$DOMAIN/" \
      -e "s/@USERS@/$CHAT_SESSIONS/g" -e "s/@ARRIVAL_RATE@/$ARRIVAL_RATE/" \
      -e "s/@ARRIVAL_SECONDS@/$((arrival + 5))/" -e "s/@LOOPS@/$loops/" >"$RUN_DIR/tsung.xml"
  python3 "$ROOT/loadtest/bench/tsung_result.py" sample "$RUN_DIR/samples.tsv" "$@" &
  local sampler=$!
  (cd "$RUN_DIR" && tsung -f tsung.xml -l "$RUN_DIR/tsung" start) >"$RUN_DIR/progress.log" 2>&1 \
    </dev/null || say "$name: Tsung failed"
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  python3 "$ROOT/loadtest/bench/tsung_result.py" result "$RUN_DIR"/tsung/*/ \
    "$RUN_DIR/samples.tsv" "$name" "$CHAT_SESSIONS" "$WARMUP" "$CHAT_SECONDS" \
    >"$RUN_DIR/tsung-result.json" || say "$name: no result from Tsung's log"
  cat "$RUN_DIR/tsung-result.json"
}

# Runs one scenario against one endpoint: $1 endpoint, $2 scenario, $3 repeat.
run_one() {
  local endpoint=$1 scenario=$2 rep=$3 name="$2-$1-$3"
  RUN_DIR="$OUT/$name"
  mkdir -p "$RUN_DIR"
  local monitors=() http=()
  if [[ "$endpoint" == *-h2 ]]; then
    http=(--http 2 --h2-connections "$H2_CONNECTIONS")
  fi
  case ${endpoint%-h2} in
    bindery)
      start_prosody no
      start_bindery
      monitors=(--monitor-jvm "bindery=$BINDERY_PID" --monitor "prosody-c2s=$PROSODY_PID") ;;
    prosody)
      start_prosody yes
      monitors=(--monitor "prosody=$PROSODY_PID") ;;
    ejabberd)
      start_ejabberd
      monitors=(--monitor "ejabberd=$EJABBERD_PID") ;;
    bindery-ejabberd)
      start_ejabberd "$EJ_HTTP_PORT"
      start_bindery "$EJ_C2S_PORT"
      monitors=(--monitor-jvm "bindery=$BINDERY_PID" --monitor "ejabberd-c2s=$EJABBERD_PID") ;;
    *) fail "unknown endpoint: $endpoint" ;;
  esac
  if [[ "$CLIENT" == tsung ]]; then
    [[ "$scenario" == chat && "$endpoint" != *-h2 ]] || fail "Tsung runs the chat scenario over HTTP/1.1 only"
    say "$name (Tsung)"
    local targets=() m
    for m in "${monitors[@]}"; do [[ "$m" == --* ]] || targets+=("$m"); done
    run_tsung "$name" "${targets[@]}"
    stop_stack
    return 0
  fi
  if [[ "$scenario" == soak ]]; then
    [[ "$endpoint" == bindery || "$endpoint" == bindery-ejabberd ]] \
      || fail "soak: measures a Bindery node over HTTP/1.1 (bindery or bindery-ejabberd)"
    say "$name: $SOAK_MINUTES min"
    local status=0
    java "${GEN_OPTS[@]}" -jar "$LOADTEST_JAR" soak --url "http://$HOST:$HTTP_PORT/http-bind" \
      --domain "$DOMAIN" --users 'user%d' --password 'password%d' --sessions "$SOAK_SESSIONS" \
      --message-rate "$CHAT_RATE" --arrival-rate "$ARRIVAL_RATE" \
      --churn-rate "$SOAK_CHURN_RATE" --churn-sessions "$SOAK_CHURN_SESSIONS" \
      --churn-linger "$SOAK_CHURN_LINGER" --duration "$((SOAK_MINUTES * 60))" \
      --sample-every "$SOAK_SAMPLE_EVERY" --warmup "$WARMUP" \
      --metrics-url "http://$HOST:$ADMIN_PORT/metrics" --bindery-pid "$BINDERY_PID" \
      --source-addresses "$SOURCES" --label "$name" \
      --json "$RUN_DIR/soak.json" --html "$RUN_DIR/soak.html" \
      >"$RUN_DIR/summary.txt" 2>"$RUN_DIR/progress.log" </dev/null || status=$?
    cat "$RUN_DIR/summary.txt"
    stop_stack
    (( status == 0 )) || { say "$name: the soak failed (exit $status); see $RUN_DIR"; SOAK_FAILED=1; }
    return 0
  fi
  local args=()
  case $scenario in
    chat) args=(--scenario chat --sessions "$CHAT_SESSIONS" --message-rate "$CHAT_RATE"
      --duration "$CHAT_SECONDS" --arrival-rate "$ARRIVAL_RATE") ;;
    idle) args=(--scenario idle --sessions "$IDLE_SESSIONS" --duration "$IDLE_SECONDS"
      --arrival-rate "$ARRIVAL_RATE") ;;
    idle-max) args=(--scenario idle --sessions "$IDLE_MAX_SESSIONS" --duration "$IDLE_SECONDS"
      --arrival-rate "$ARRIVAL_RATE") ;;
    login-storm) args=(--scenario login-storm --sessions "$STORM_SESSIONS"
      --arrival-rate "$STORM_RATE" --duration "$STORM_SECONDS") ;;
    *) fail "unknown scenario: $scenario" ;;
  esac
  say "$name"
  java "${GEN_OPTS[@]}" -jar "$LOADTEST_JAR" run --url "http://$HOST:$HTTP_PORT/http-bind" \
    --domain "$DOMAIN" --users 'user%d' --password 'password%d' "${args[@]}" \
    --warmup "$WARMUP" "${http[@]}" \
    --source-addresses "$SOURCES" --label "$name" --monitor gen=self "${monitors[@]}" \
    --json "$RUN_DIR/result.json" --html "$RUN_DIR/report.html" \
    >"$RUN_DIR/summary.txt" 2>"$RUN_DIR/progress.log" </dev/null || say "$name: the generator failed"
  cat "$RUN_DIR/summary.txt"
  stop_stack
}

main() {
  ulimit -n "$(ulimit -Hn)"
  (( $(ulimit -n) >= 65536 )) || say "Note: ulimit -n is $(ulimit -n) (the hard limit here);" \
    "every process, the servers too, is capped there: see docs/benchmarks.md."
  if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
    say "Building"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || fail "the build failed"
  fi
  [[ -f "$SERVER_JAR" && -f "$LOADTEST_JAR" ]] || fail "missing jars; build first"
  for port in "$C2S_PORT" "$HTTP_PORT" "$ADMIN_PORT" "$EJ_C2S_PORT" "$EJ_HTTP_PORT"; do
    listening "$HOST" "$port" && fail "port $port on $HOST is in use"
  done
  mkdir -p "$OUT"
  STATE=$(mktemp -d "${TMPDIR:-/tmp}/bindery-bench.XXXXXX")
  chmod 755 "$STATE"
  if [[ "$CLIENT" == tsung ]]; then
    command -v tsung >/dev/null || fail "BENCH_CLIENT=tsung needs Tsung (apt-get install tsung)"
  fi
  # Tsung numbers its users from 1, the generator from 0: one account more serves both
  local most=$((CHAT_SESSIONS + 1))
  for n in "$IDLE_SESSIONS" "$IDLE_MAX_SESSIONS" "$STORM_SESSIONS" \
    "$((SOAK_SESSIONS + SOAK_CHURN_SESSIONS))"; do (( n > most )) && most=$n; done
  say "Creating $most accounts for Prosody and ejabberd"
  make_prosody_accounts "$STATE/prosody-data" "$most"
  make_ejabberd_accounts "$STATE/ejabberd-users.txt" "$most"
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores"
    echo "memory: $(free -g | awk '/Mem:/ {print $2}') GiB"
    echo "kernel: $(uname -r)"
    echo "java (bindery): $("$BINDERY_JAVA" -version 2>&1 | head -1) ${BINDERY_JAVA_OPTS:-}"
    echo "prosody: $(dpkg-query -W -f='${Version}' prosody 2>/dev/null || echo unknown)"
    echo "ejabberd: $(dpkg-query -W -f='${Version}' ejabberd 2>/dev/null || echo unknown)"
    echo "ulimit -n: $(ulimit -n)"
  } >"$OUT/environment.txt"
  cat "$OUT/environment.txt"
  local scenario rep order
  for scenario in "${SCENARIOS[@]}"; do
    for ((rep = 1; rep <= REPEATS; rep++)); do
      order=("${ENDPOINTS[@]}")
      if ((rep % 2 == 0)); then
        order=()
        for ((i = ${#ENDPOINTS[@]} - 1; i >= 0; i--)); do order+=("${ENDPOINTS[$i]}"); done
      fi
      for endpoint in "${order[@]}"; do
        run_one "$endpoint" "$scenario" "$rep"
      done
    done
  done
  if [[ " ${SCENARIOS[*]} " == " soak " ]]; then
    say "Reports: $OUT"
    return "${SOAK_FAILED:-0}"
  fi
  if [[ "$CLIENT" == tsung ]]; then
    python3 "$ROOT/loadtest/bench/summarize.py" --tsung "$OUT" >"$OUT/summary.md"
  else
    python3 "$ROOT/loadtest/bench/summarize.py" "$OUT" >"$OUT/summary.md"
  fi
  cat "$OUT/summary.md"
  say "Reports: $OUT"
}

main "$@"
