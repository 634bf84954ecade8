#!/usr/bin/env bash
# A soak of one Bindery node in front of Prosody: SOAK_SESSIONS users chat while a steady churn
# of other users logs in and out, for MINUTES (default 60; 10 is the routine run), the node
# sampled every SOAK_SAMPLE_EVERY seconds; then its live sessions, heap after GC, descriptors
# and threads must be back to their baseline and no message lost (exit 1 otherwise).
#
#   loadtest/bench/run-soak.sh          # one hour
#   loadtest/bench/run-soak.sh 10       # the routine ten minutes
#
# The report: soak.html (plots) and soak.json in $BENCH_OUT/soak-<endpoint>-1/. Everything else
# (ports, accounts, BENCH_SKIP_BUILD, SOAK_* and BENCH_* knobs, SOAK_ENDPOINT=bindery-ejabberd
# for ejabberd behind Bindery) is run-bench.sh's; docs/reliability.md explains the figures.
set -euo pipefail
minutes="${1:-${SOAK_MINUTES:-60}}"
[[ "$minutes" =~ ^[0-9]+$ && "$minutes" -gt 0 ]] || { echo "usage: $0 [MINUTES]" >&2; exit 2; }
export SOAK_MINUTES="$minutes"
export BENCH_SCENARIOS=soak BENCH_REPEATS=1 BENCH_ENDPOINTS="${SOAK_ENDPOINT:-bindery}"
# The load is moderate; the baseline and the last sample must not be a JIT's or a ramp's.
export BENCH_ARRIVAL_RATE="${BENCH_ARRIVAL_RATE:-50}"
exec "$(dirname "${BASH_SOURCE[0]}")/run-bench.sh"
