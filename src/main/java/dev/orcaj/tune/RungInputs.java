package dev.orcaj.tune;

import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.orca.BodySource;
import dev.orcaj.orca.TaskLoader;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What a rung loads before it trains, kept for the next rung in the same JVM: the loaded task (per data spec, split
 * fraction, seed and family) and the body's pretrained weights (per --body value). A JVM that runs many rungs (a
 * Spark executor keeps its runner for every rung it gets) so reads the data and the body once, not once per rung
 * (issue 14). Bounded: the last {@value #TASKS_KEPT} tasks and the last body only, since a search's rungs share one
 * task and one body and anything older would only raise the peak heap. Each rung still gets a fresh body: its
 * parameters are copied from the kept weights (which training never touches), so a cached rung computes exactly
 * what an uncached one does. The kept task is shared read-only by the rungs (nothing writes into its datasets).
 */
public final class RungInputs {
    static final int TASKS_KEPT = 2;

    private record TaskKey(String data, double valFraction, long seed, TaskLoader.Family family) {}

    private static final Map<TaskKey, TaskLoader.LoadedTask> TASKS = lastOnes(TASKS_KEPT);
    private static final Map<String, Bodies.Weights> BODIES = lastOnes(1);
    private static final AtomicInteger TASK_READS = new AtomicInteger(), BODY_READS = new AtomicInteger();

    private RungInputs() {}

    /** {@link TaskLoader#load(String, double, long, TaskLoader.Family)}, read only when not kept from an earlier rung. */
    public static TaskLoader.LoadedTask task(String data, double valFraction, long seed, TaskLoader.Family family) throws IOException {
        TaskKey key = new TaskKey(data, valFraction, seed, family);
        synchronized (TASKS) { // rungs running at once in one JVM wait for one read
            TaskLoader.LoadedTask t = TASKS.get(key);
            if (t == null) {
                TASKS.put(key, t = TaskLoader.load(data, valFraction, seed, family));
                TASK_READS.incrementAndGet();
            }
            return t;
        }
    }

    /** Fresh bodies of {@code source}, built from its weights read once per JVM (read now, so a bad file fails here). */
    public static Supplier<Body> bodies(BodySource source) throws IOException {
        Bodies.Weights w;
        synchronized (BODIES) {
            w = BODIES.get(source.name());
            if (w == null) {
                BODIES.clear(); // the old body's weights go before the new one's are read
                BODIES.put(source.name(), w = source.weights());
                BODY_READS.incrementAndGet();
            }
        }
        Bodies.Weights weights = w;
        return weights::build;
    }

    /** How many times this JVM has read a task's data (a test's view of the cache). */
    public static int taskReads() { return TASK_READS.get(); }

    /** How many times this JVM has read a body's weights. */
    public static int bodyReads() { return BODY_READS.get(); }

    private static <K, V> Map<K, V> lastOnes(int n) {
        return new LinkedHashMap<>(4, 0.75f, true) {
            @Override protected boolean removeEldestEntry(Map.Entry<K, V> eldest) { return size() > n; }
        };
    }
}
