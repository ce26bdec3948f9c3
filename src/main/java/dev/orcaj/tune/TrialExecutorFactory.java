package dev.orcaj.tune;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Where {@code orca tune --executor NAME} finds executors other than {@code local}: a module on the class path (e.g.
 * orca-spark) lists its implementation in {@code META-INF/services/dev.orcaj.tune.TrialExecutorFactory}.
 */
public interface TrialExecutorFactory {
    /** The {@code --executor} value that selects this executor. */
    String name();

    /**
     * @param parallelism     rungs in flight at once ({@code --parallel})
     * @param threadsPerTrial CPU threads of each trial ({@code --threads-per-trial})
     * @param options         the {@code --executor-option KEY=VALUE} pairs (e.g. master=spark://host:7077)
     */
    TrialExecutor create(int parallelism, int threadsPerTrial, Map<String, String> options);

    /** The factory named {@code name} on the class path; the error lists those found. */
    static TrialExecutorFactory find(String name) {
        List<String> found = new ArrayList<>(List.of("local"));
        for (TrialExecutorFactory f : ServiceLoader.load(TrialExecutorFactory.class)) {
            if (f.name().equals(name)) return f;
            found.add(f.name());
        }
        throw new IllegalArgumentException("--executor " + name + ": not on the class path (available: " + String.join(", ", found)
                + "; the Spark executor comes with the orca-spark module's jar)");
    }
}
