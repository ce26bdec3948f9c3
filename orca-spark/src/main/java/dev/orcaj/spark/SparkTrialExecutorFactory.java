package dev.orcaj.spark;

import dev.orcaj.tune.TrialExecutor;
import dev.orcaj.tune.TrialExecutorFactory;
import org.apache.spark.SparkConf;

import java.util.Map;

/**
 * {@code orca tune --executor spark}: found through {@code META-INF/services} when orca-spark.jar is on the class path
 * (spark-submit). Options ({@code --executor-option KEY=VALUE}): {@code master} (local[N], spark://HOST:PORT,
 * k8s://...; default: spark-submit's --master) and any {@code spark.*} setting, passed to Spark as is.
 */
public final class SparkTrialExecutorFactory implements TrialExecutorFactory {
    @Override
    public String name() { return "spark"; }

    @Override
    public TrialExecutor create(int parallelism, int threadsPerTrial, Map<String, String> options) {
        SparkConf conf = new SparkConf();
        options.forEach((key, value) -> {
            if (key.equals("master")) conf.setMaster(value);
            else if (key.startsWith("spark.")) conf.set(key, value);
            else throw new IllegalArgumentException("--executor-option " + key + "=" + value + ": the spark executor takes master=URL and spark.* settings");
        });
        return SparkTrialExecutor.start(conf, "search", new OrcaRunnerFactory(), parallelism);
    }
}
