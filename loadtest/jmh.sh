#!/usr/bin/env bash
# Runs the JMH micro-benchmarks of the hot paths (dev.bindery.loadtest.jmh), e.g.
#   loadtest/jmh.sh                      # all, about 2 minutes
#   loadtest/jmh.sh StreamDecoder -prof gc
# Arguments go to JMH (org.openjdk.jmh.Main). They are not part of 'mvn verify'.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [[ -z "${JMH_SKIP_BUILD:-}" ]]; then
  mvn -B -q -DskipTests install -pl protocol,client,server >/dev/null
  mvn -B -q -DskipTests compile -pl loadtest
fi
cp_file="$ROOT/loadtest/target/jmh.classpath"
mvn -B -q -pl loadtest dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
exec "${JAVA:-java}" -cp "$ROOT/loadtest/target/classes:$(cat "$cp_file")" \
  org.openjdk.jmh.Main "$@"
