#!/usr/bin/env bash
# Spark executor overhead vs the local executor for one 16-trial search (orca-spark/.../SparkOverheadBench.java):
# the same in-process runner on local threads vs Spark local[2] and a standalone cluster, then the whole orca tune
# command with --executor local vs --executor spark.
#   bench/spark-overhead.sh [ROUNDS]      (default 3 counted rounds after a warm-up round)
# Installs the root artifact, builds orca-spark's test classes, runs the benchmark JVM (the Spark driver, -Xmx1g); it
# starts a standalone Master and two Workers (-Xmx256m each, executors 512m) and stops them at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -ntp -o -P '!cuda-ptx' -DskipTests install
cd orca-spark
mvn -B -q -ntp -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test
rm -rf target/spark-overhead-local target/spark-overhead-standalone target/spark-overhead-tune
cp="$PWD/target/test-classes:$PWD/target/classes:$(cat target/test.classpath)"
flags=$(sed -n 's:.*<spark.jvm.flags>\(.*\)</spark.jvm.flags>.*:\1:p' pom.xml)
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads=2 $flags -cp "$cp" \
  dev.orcaj.spark.SparkOverheadBench local "${1:-3}" target/spark-overhead-local
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads=2 $flags -cp "$cp" \
  dev.orcaj.spark.SparkOverheadBench standalone "${1:-3}" target/spark-overhead-standalone
# the whole orca tune command: its local executor (child JVM per rung) vs --executor spark on local[2]; 1 round
# shellcheck disable=SC2086
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector -Xmx1g -XX:+UseParallelGC -XX:ParallelGCThreads=2 $flags -cp "$cp" \
  dev.orcaj.spark.SparkOverheadBench tune 1 target/spark-overhead-tune
