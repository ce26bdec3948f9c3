#!/usr/bin/env bash
# The kill-a-worker test on a real standalone Spark cluster (orca-spark SparkClusterTest, tag spark-cluster): a Master
# and two Workers started from the Maven-resolved Spark jars, a search, one Worker and its executor killed with SIGKILL
# mid-rung; every rung must finish once and the results must equal local threads. Not in .ci/run: it took 220 s on
# this shared 2-core machine (load average ~30), too long for CI's budget. Logs: orca-spark/target/spark-cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -ntp -o -P '!cuda-ptx' -DskipTests install
cd orca-spark
exec mvn -B -q -ntp -o test -Dtest=SparkClusterTest -Dtest.excludedGroups=none
