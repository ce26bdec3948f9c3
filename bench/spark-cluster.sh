#!/usr/bin/env bash
# The kill-a-worker tests on a real standalone Spark cluster (orca-spark, tag spark-cluster): a Master and two Workers
# started from the Maven-resolved Spark jars, a search, one Worker and its executor killed with SIGKILL mid-rung.
#   SparkClusterTest      the tests' search driver and runner: every rung finishes once, the killed rung reruns from
#                         its checkpoint, results equal local threads (220 s here)
#   SparkTuneClusterTest  orca tune --executor spark (ASHA, trial store): the search finishes, a task was lost and
#                         rerun, same rungs, scores and choice as --executor local (255 s here)
# Not in .ci/run: about 8 minutes together on this shared 2-core machine (load average ~25), too long for CI's budget.
# Logs: orca-spark/target/spark-cluster/ and target/spark-tune-cluster/.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
mvn -B -q -ntp -o -P '!cuda-ptx' -DskipTests install
cd orca-spark
exec mvn -B -q -ntp -o test -Dtest='SparkClusterTest,SparkTuneClusterTest' -Dtest.excludedGroups=none
