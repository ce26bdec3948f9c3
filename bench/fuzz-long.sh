#!/usr/bin/env bash
# Long coverage-guided fuzzing of every parser (Jazzer), each in its own JVM for SECONDS (default 600):
#   bench/fuzz-long.sh [SECONDS] [CLASS_PATTERN]      e.g. bench/fuzz-long.sh 600  or  bench/fuzz-long.sh 120 NpyFuzzTest
# The same fuzz tests run in `mvn verify` for a few seconds (AllParsersFuzzer, -Dfuzz.seconds). A finding stops that
# parser's run, fails it, and is saved as src/test/resources/dev/orcaj/fuzz/<Class>Inputs/fuzz/crash-<sha1>: minimize it
# into a plain @Test in ParserRegressionTest, fix the parser, delete the crash file.
# The growing corpus is kept in .cifuzz-corpus/ (git-ignored), so later runs continue from it.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
seconds="${1:-600}"
pattern="${2:-*FuzzTest}"
exec mvn -B -ntp -P '!cuda-ptx' test-compile surefire:test@fuzz -Dfuzz.seconds="$seconds" -Dfuzz.tests="$pattern" \
  -Dtest.argLine="--add-modules jdk.incubator.vector -Xmx2g -XX:+UseParallelGC"
