#!/usr/bin/env bash
# Bindery demo: two XMPP users chat through Bindery over BOSH, and a chat page in the browser.
#
#   deploy/demo/run-demo.sh
#
# It installs what is missing (a JDK, Maven, Prosody; needs root and apt-get), builds the
# project, starts a private Prosody on 127.0.0.1:5222 with its own config and data in a
# temporary directory, registers admin/mypassword1 and myself/mypassword2 on domain localhost,
# starts Bindery on 127.0.0.1:5280 in front of it, and runs the chat demo until Ctrl-C.
# Bindery also serves a chat page, http://127.0.0.1:5280/, with Converse.js (fetched once from
# the npm registry into target/demo-web) that finds Bindery's WebSocket (or, with
# ?transport=bosh, its BOSH endpoint) by XEP-0156 host-meta: log in as admin (mypassword1) and
# chat with myself, the terminal's user.
# On exit it stops everything it started and removes the temporary directory.
#
# Environment:
#   BINDERY_UPSTREAM=host:port   use this XMPP server instead of starting Prosody; the two
#                                users must already be registered there
#   BINDERY_PORT=5280            HTTP port for Bindery (or for Prosody's BOSH, see below)
#   BINDERY_DEMO_URL=URL         don't start Bindery; run the demo against this BOSH URL
#   BINDERY_DEMO_PROSODY_BOSH=1  don't start Bindery; the demo Prosody serves its own BOSH
#                                (mod_bosh) on 127.0.0.1:$BINDERY_PORT, for comparison
#   BINDERY_DEMO_LOGS=DIR        where logs go (default: target/demo-logs in the repository)
#   BINDERY_SKIP_BUILD=1         use the jars already built
#   BINDERY_DEMO_NO_PAGE=1       no chat page: nothing is fetched from the npm registry
set -euo pipefail

readonly DOMAIN=localhost
readonly USER1=admin PASSWORD1=mypassword1
readonly USER2=myself PASSWORD2=mypassword2
readonly XMPP_HOST=127.0.0.1 XMPP_PORT=5222
readonly HTTP_PORT="${BINDERY_PORT:-5280}"
readonly STARTUP_SECONDS=30

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
readonly ROOT
readonly LOG_DIR="${BINDERY_DEMO_LOGS:-$ROOT/target/demo-logs}"
readonly SERVER_JAR="$ROOT/server/target/bindery.jar"
readonly LOADTEST_JAR="$ROOT/loadtest/target/bindery-loadtest.jar"
readonly WEB_ROOT="$ROOT/target/demo-web"
# Converse.js as published on the npm registry, checked against the integrity the browser
# tests' package-lock.json pins (server/src/test/browser)
readonly CONVERSE_VERSION=14.0.0
readonly CONVERSE_SHA512=LFUg030jDalV47vI/vyVPqYPZfJYXFbubq8v0cFDe2zXNeeGEk3Up0Fj/WTzT6t+6do+cAIToy73eAj7RNDj2Q==

STATE_DIR=""
PROSODY_PID=""
BINDERY_PID=""
POLICY_RC_D=""

say() { printf -- '-- %s\n' "$*" || true; }
# Prints its first argument after '!!' and the others as indented lines, then exits.
fail() {
  printf -- '!! %s\n' "$1" >&2
  shift
  (($# == 0)) || printf -- '   %s\n' "$@" >&2
  exit 1
}

# Stops a child we started: TERM, then KILL if it is still there after 10 s.
# shellcheck disable=SC2317 # called from the EXIT trap
stop_child() {
  local name=$1 pid=$2
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
  say "Stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  say "$name did not stop within 10 s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317 # the EXIT trap
cleanup() {
  local status=$?
  # Stop what we started even if the terminal or a pipe on stdout is gone.
  set +e
  trap '' PIPE INT
  trap - EXIT TERM
  [[ -n "$POLICY_RC_D" ]] && rm -f "$POLICY_RC_D"
  stop_child Bindery "$BINDERY_PID"
  stop_child Prosody "$PROSODY_PID"
  if [[ -n "$STATE_DIR" && -d "$STATE_DIR" ]]; then
    rm -rf "$STATE_DIR"
    say "Removed $STATE_DIR"
  fi
  [[ -d "$LOG_DIR" ]] && say "Logs are kept in $LOG_DIR"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# True if something accepts TCP connections on host:port.
listening() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Waits until host:port accepts connections while pid lives; $4 is a name for messages.
await_listening() {
  local host=$1 port=$2 pid=$3 name=$4 log=$5
  for _ in $(seq 1 $((STARTUP_SECONDS * 10))); do
    listening "$host" "$port" && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      printf -- '!! %s exited during startup. Last lines of %s:\n' "$name" "$log" >&2
      tail -n 20 "$log" >&2 || true
      exit 1
    fi
    sleep 0.1
  done
  fail "$name is not listening on $host:$port after $STARTUP_SECONDS s; see $log"
}

# Starts a command in its own session, so that Ctrl-C reaches only the demo in the
# foreground and the servers stay up until the demo has logged out.
start_detached() {
  local log=$1; shift
  if command -v setsid >/dev/null; then
    setsid "$@" >>"$log" 2>&1 </dev/null &
  else
    "$@" >>"$log" 2>&1 </dev/null &
  fi
}

lua_string() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

use_bindery() { [[ -z "${BINDERY_DEMO_URL:-}" && -z "${BINDERY_DEMO_PROSODY_BOSH:-}" ]]; }
use_prosody() { [[ -z "${BINDERY_UPSTREAM:-}" ]]; }
use_page() { use_bindery && [[ -z "${BINDERY_DEMO_NO_PAGE:-}" ]]; }

java_major() {
  java -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -n 1
}

# Prints the Debian packages whose commands are missing, one per line.
missing_packages() {
  command -v javac >/dev/null && command -v java >/dev/null || echo default-jdk-headless
  command -v mvn >/dev/null || echo maven
  if use_page; then
    command -v curl >/dev/null || echo curl
    command -v openssl >/dev/null || echo openssl
  fi
  if use_prosody && ! { command -v prosody >/dev/null && command -v prosodyctl >/dev/null; }; then
    echo prosody
  fi
}

install_missing() {
  local packages
  mapfile -t packages < <(missing_packages)
  if ((${#packages[@]} > 0)); then
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
      fail "Missing: ${packages[*]}." \
        "Install them and run this script again, e.g. on Debian or Ubuntu:" \
        "  sudo apt-get install ${packages[*]}" \
        "(a JDK 17 or newer, Maven 3.8 or newer, Prosody 0.12 or newer)."
    fi
    say "Installing ${packages[*]} with apt-get (log: $LOG_DIR/apt.log)"
    if [[ " ${packages[*]} " == *" prosody "* && ! -e /usr/sbin/policy-rc.d ]]; then
      # Keep the package from starting the system's Prosody: it would take port 5222.
      POLICY_RC_D=/usr/sbin/policy-rc.d
      printf '#!/bin/sh\nexit 101\n' >"$POLICY_RC_D"
      chmod +x "$POLICY_RC_D"
    fi
    {
      apt-get update -q
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${packages[@]}"
    } >>"$LOG_DIR/apt.log" 2>&1 || fail "apt-get failed; see $LOG_DIR/apt.log"
    if [[ -n "$POLICY_RC_D" ]]; then
      rm -f "$POLICY_RC_D"
      POLICY_RC_D=""
      say "Note: the prosody package's own service was not started; it may start at the next" \
        "boot (systemctl disable prosody to prevent that)."
    fi
    mapfile -t packages < <(missing_packages)
    ((${#packages[@]} == 0)) \
      || fail "Still missing after apt-get: the commands of ${packages[*]} (PATH: $PATH)."
  fi
  local major
  major=$(java_major)
  [[ -n "$major" && "$major" -ge 17 ]] \
    || fail "Java 17 or newer is needed; 'java -version' says ${major:-nothing}." \
      "Install e.g. openjdk-17-jdk-headless and make it the default java."
}

build() {
  if [[ -n "${BINDERY_SKIP_BUILD:-}" ]]; then
    say "Skipping the build (BINDERY_SKIP_BUILD is set)"
  else
    say "Building with Maven; the first build downloads dependencies and takes a few minutes" \
      "(log: $LOG_DIR/build.log)"
    if ! (cd "$ROOT" && mvn -B -q -DskipTests package) >"$LOG_DIR/build.log" 2>&1; then
      tail -n 40 "$LOG_DIR/build.log" >&2
      fail "The build failed; the whole output is in $LOG_DIR/build.log."
    fi
  fi
  [[ -f "$LOADTEST_JAR" ]] || fail "Missing $LOADTEST_JAR after the build."
  ! use_bindery || [[ -f "$SERVER_JAR" ]] || fail "Missing $SERVER_JAR after the build."
}

write_prosody_config() {
  local config=$1 bosh_modules="" http_ports="" bosh_options=""
  if [[ -n "${BINDERY_DEMO_PROSODY_BOSH:-}" ]]; then
    bosh_modules='; "bosh"'
    http_ports=$HTTP_PORT
    bosh_options='consider_bosh_secure = true'
  fi
  cat >"$config" <<EOF
-- Written by run-demo.sh for the Bindery demo; removed when the demo stops.
run_as_root = true
data_path = $(lua_string "$STATE_DIR/data")
certificates = $(lua_string "$STATE_DIR/certs")
pidfile = $(lua_string "$STATE_DIR/prosody.pid")
log = { info = $(lua_string "$LOG_DIR/prosody.log") }

interfaces = { "$XMPP_HOST" }
c2s_interfaces = { "$XMPP_HOST" }
c2s_ports = { $XMPP_PORT }
s2s_ports = { }
http_interfaces = { "$XMPP_HOST" }
http_ports = { $http_ports }
https_ports = { }
$bosh_options

c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_plain"

modules_enabled = { "roster"; "saslauth"; "disco"; "ping"$bosh_modules }
modules_disabled = { "s2s" }

VirtualHost "$DOMAIN"
EOF
}

start_prosody() {
  if listening "$XMPP_HOST" "$XMPP_PORT"; then
    fail "Port $XMPP_PORT on $XMPP_HOST is already in use, probably by an XMPP server" \
      "(e.g. the system's Prosody or ejabberd). Either stop it (e.g. systemctl stop prosody)," \
      "or let the demo use it instead of starting its own Prosody:" \
      "  1. register the two users there, e.g. with Prosody:" \
      "       prosodyctl register $USER1 $DOMAIN $PASSWORD1" \
      "       prosodyctl register $USER2 $DOMAIN $PASSWORD2" \
      "     or with ejabberd: ejabberdctl register $USER1 $DOMAIN $PASSWORD1 (and $USER2)" \
      "     (it must serve the domain '$DOMAIN' and allow PLAIN login from 127.0.0.1)" \
      "  2. run: BINDERY_UPSTREAM=$XMPP_HOST:$XMPP_PORT $0"
  fi
  if [[ -n "${BINDERY_DEMO_PROSODY_BOSH:-}" ]] && listening "$XMPP_HOST" "$HTTP_PORT"; then
    fail "Port $HTTP_PORT on $XMPP_HOST is already in use; pick another with BINDERY_PORT=..."
  fi
  STATE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/bindery-demo.XXXXXX")
  mkdir -p "$STATE_DIR/data" "$STATE_DIR/certs"
  local config="$STATE_DIR/prosody.cfg.lua" log="$LOG_DIR/prosody.log"
  write_prosody_config "$config"
  : >"$log"
  say "Registering $USER1@$DOMAIN and $USER2@$DOMAIN"
  prosodyctl --config "$config" register "$USER1" "$DOMAIN" "$PASSWORD1" >>"$log" 2>&1 \
    || fail "prosodyctl could not register $USER1; see $log"
  prosodyctl --config "$config" register "$USER2" "$DOMAIN" "$PASSWORD2" >>"$log" 2>&1 \
    || fail "prosodyctl could not register $USER2; see $log"
  say "Starting Prosody: XMPP on $XMPP_HOST:$XMPP_PORT, domain $DOMAIN, data in $STATE_DIR"
  start_detached "$log" prosody --config "$config" -F
  PROSODY_PID=$!
  await_listening "$XMPP_HOST" "$XMPP_PORT" "$PROSODY_PID" Prosody "$log"
  if [[ -n "${BINDERY_DEMO_PROSODY_BOSH:-}" ]]; then
    await_listening "$XMPP_HOST" "$HTTP_PORT" "$PROSODY_PID" Prosody "$log"
  fi
  say "Prosody is up (pid $PROSODY_PID, log: $log)"
}

# The chat page: deploy/demo/web and Converse.js's dist from the npm registry, in $WEB_ROOT.
prepare_page() {
  local tarball="$ROOT/target/converse.js-$CONVERSE_VERSION.tgz"
  mkdir -p "$WEB_ROOT"
  if [[ ! -f "$WEB_ROOT/converse/dist/converse.min.js" ]]; then
    say "Fetching Converse.js $CONVERSE_VERSION from the npm registry for the chat page"
    curl -fsSL --retry 3 -o "$tarball.part" \
      "https://registry.npmjs.org/converse.js/-/converse.js-$CONVERSE_VERSION.tgz" \
      || fail "Could not download Converse.js from registry.npmjs.org." \
        "Run with BINDERY_DEMO_NO_PAGE=1 for the terminal demo alone."
    local sum
    sum=$(openssl dgst -sha512 -binary "$tarball.part" | base64 -w0)
    [[ "$sum" == "$CONVERSE_SHA512" ]] || fail "Converse.js's checksum does not match."
    mv "$tarball.part" "$tarball"
    rm -rf "$WEB_ROOT/converse"
    mkdir -p "$WEB_ROOT/converse"
    tar -xzf "$tarball" -C "$WEB_ROOT/converse" --strip-components=1 package/dist
  fi
  cp "$ROOT/deploy/demo/web/index.html" "$ROOT/deploy/demo/web/demo.js" "$WEB_ROOT/"
}

start_bindery() {
  local upstream=$1
  if listening 127.0.0.1 "$HTTP_PORT"; then
    fail "Port $HTTP_PORT on 127.0.0.1 is already in use; pick another with BINDERY_PORT=..."
  fi
  : >"$LOG_DIR/bindery.log"
  say "Starting Bindery on 127.0.0.1:$HTTP_PORT, upstream $upstream"
  local page=()
  use_page && page=(--web-root "$WEB_ROOT")
  start_detached "$LOG_DIR/bindery.log" java -jar "$SERVER_JAR" --port "$HTTP_PORT" \
    --bind 127.0.0.1 --upstream "$upstream" --domain "$DOMAIN" "${page[@]}"
  BINDERY_PID=$!
  await_listening 127.0.0.1 "$HTTP_PORT" "$BINDERY_PID" Bindery "$LOG_DIR/bindery.log"
  say "Bindery is up (pid $BINDERY_PID, log: $LOG_DIR/bindery.log)"
}

main() {
  mkdir -p "$LOG_DIR"
  say "Repository: $ROOT; logs: $LOG_DIR"
  install_missing
  build

  local upstream url
  if use_prosody; then
    start_prosody
    upstream="$XMPP_HOST:$XMPP_PORT"
  else
    upstream=$BINDERY_UPSTREAM
    say "Using the XMPP server at $upstream (BINDERY_UPSTREAM); $USER1 and $USER2 must be" \
      "registered there"
  fi

  if [[ -n "${BINDERY_DEMO_URL:-}" ]]; then
    url=$BINDERY_DEMO_URL
    say "Not starting Bindery: the demo uses $url (BINDERY_DEMO_URL)"
  elif [[ -n "${BINDERY_DEMO_PROSODY_BOSH:-}" ]]; then
    url="http://$XMPP_HOST:$HTTP_PORT/http-bind"
    say "Not starting Bindery: the demo uses Prosody's own BOSH at $url"
  else
    use_page && prepare_page
    start_bindery "$upstream"
    url="http://127.0.0.1:$HTTP_PORT/http-bind"
    if use_page; then
      say "Chat page: http://127.0.0.1:$HTTP_PORT/ (WebSocket; ?transport=bosh for BOSH):" \
        "log in as $USER1@$DOMAIN with $PASSWORD1 and chat with $USER2@$DOMAIN"
    fi
  fi

  say "Running the chat demo against $url; press Ctrl-C to stop"
  local status=0
  java -jar "$LOADTEST_JAR" demo --url "$url" --domain "$DOMAIN" \
    --user1 "$USER1" --password1 "$PASSWORD1" --user2 "$USER2" --password2 "$PASSWORD2" \
    || status=$?
  if ((status != 0 && status != 130)); then
    say "The demo exited with status $status."
  fi
  exit "$status"
}

main "$@"
