package dev.orcaj.spark;

import dev.orcaj.tune.TrialRunner;

import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How an executor JVM gets its {@link TrialRunner}: this small serializable value travels with every Spark task, and
 * {@link #runnerInThisJvm()} builds the runner from it at most once per JVM. The runner keeps what it loaded (the
 * task's datasets from the shared path, the body's weights) for every later rung that lands on the same executor, so
 * data and body reach an executor once, not once per trial. Implementations must be values (records): equal
 * factories share one runner.
 */
public interface TrialRunnerFactory extends Serializable {
    TrialRunner create() throws Exception;

    /** The runner this JVM built from an equal factory, built now if none. */
    default TrialRunner runnerInThisJvm() throws Exception {
        TrialRunner existing = Built.RUNNERS.get(this);
        if (existing != null) return existing;
        synchronized (Built.RUNNERS) {
            TrialRunner again = Built.RUNNERS.get(this);
            if (again != null) return again;
            TrialRunner made = create();
            Built.RUNNERS.put(this, made);
            return made;
        }
    }

    /** Holder of the per-JVM runners (an interface cannot have a private static field). */
    final class Built {
        static final Map<TrialRunnerFactory, TrialRunner> RUNNERS = new ConcurrentHashMap<>();

        private Built() {}
    }
}
