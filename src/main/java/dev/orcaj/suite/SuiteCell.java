package dev.orcaj.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a suite: a method (with its stage-2 objective for orca) on a task with a seed. {@code label} names the
 * column it lands in: the method, or "orca-OBJECTIVE" for an ablation run.
 */
public record SuiteCell(SuiteSpec.Task task, String method, String objective, int seed, String label) {

    /** results/TASK/LABEL-seedS.json */
    public Path rawFile(Path results) {
        return results.resolve(task.name()).resolve(label + "-seed" + seed + ".json");
    }

    public String id() {
        return task.name() + "/" + label + "/seed" + seed;
    }

    /** The {@code orca run} flags of this run apart from method, objective, seed and output: common ones, then the task's. */
    public Map<String, String> flags(SuiteSpec suite) {
        Map<String, String> f = new LinkedHashMap<>(suite.common());
        f.putAll(task.flags());
        return f;
    }
}
