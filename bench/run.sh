#!/usr/bin/env bash
# Builds the main artifact and the JMH benchmarks, then runs JMH with the given arguments, e.g.
#   bench/run.sh 'GemmBench' -f 1 -wi 3 -i 5
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn -B -q -ntp -DskipTests install
mvn -B -q -ntp -f bench/pom.xml package
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar -jvmArgsAppend "--add-modules=jdk.incubator.vector" "$@"
