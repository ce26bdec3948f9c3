package dev.orcaj.suite;

import dev.orcaj.tune.SearchSpace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A results suite as read from its YAML file ({@link SuiteFile}): tasks x methods x seeds, plus an optional stage-2
 * objective ablation of the orca method. Every run of the suite is one {@link SuiteCell}.
 *
 * @param results   folder of the raw per-run JSON files (one per cell, committed for the suite behind docs/RESULTS.md)
 * @param seeds     seeds 0 .. seeds-1; seed S sets the validation split, initialization and batch order of run S
 *                  (and the data of generated tasks), the same S for every method, so that runs pair by seed
 * @param objective stage-2 objective of the method labelled "orca"
 * @param tune      null = every method runs with the file's settings; else each task's methods are first tuned with ASHA
 * @param common    {@code orca run} flags (long names without dashes) for every task; a task's own flags override them
 */
public record SuiteSpec(Path file, String name, String description, Path results, List<String> methods, int seeds, String objective,
                        Map<String, String> common, List<Task> tasks, Ablation ablation, Tune tune) {

    /**
     * @param metric the test metric the tables compare; null = the run's model-selection metric
     * @param space  {@code orca tune --space} dimensions that replace the suite's for this task ("" = none), e.g. a
     *               target sequence length that divides this task's input length
     */
    public record Task(String name, String data, String metric, Map<String, String> flags, String space) {}

    /** orca re-run with other stage-2 objectives on {@code tasks}; its cells carry the label "orca-OBJECTIVE". */
    public record Ablation(List<String> objectives, List<String> tasks) {
        public static final Ablation NONE = new Ablation(List.of(), List.of());
    }

    /**
     * ASHA tuning ({@code orca tune}) of every method of a task with the same budget before its seeds run: the best
     * configuration's flags replace the file's, and every seed then trains {@code maxEpochs} epochs.
     *
     * @param space {@code orca tune --space} (empty = the paper appendix's search space)
     */
    public record Tune(int trials, int minEpochs, int maxEpochs, int eta, String space) {}

    /** Every run of the suite, task by task, seed by seed, so that paired results accumulate evenly. */
    public List<SuiteCell> cells() {
        List<SuiteCell> out = new ArrayList<>();
        for (Task t : tasks) {
            for (int s = 0; s < seeds; s++) {
                for (String m : methods) out.add(new SuiteCell(t, m, m.equals("orca") ? objective : null, s, m));
                if (ablation.tasks().contains(t.name())) {
                    for (String o : ablation.objectives()) out.add(new SuiteCell(t, "orca", o, s, "orca-" + o));
                }
            }
        }
        return out;
    }

    /**
     * The search space of {@code task}'s {@code orca tune}: the suite's {@code tune.space} with the task's own
     * dimensions replacing the suite's; the suite's text unchanged when the task names none.
     */
    public String tuneSpace(Task task) {
        if (task.space().isEmpty()) return tune.space();
        return SearchSpace.parse(task.space(), SearchSpace.parse(tune.space(), SearchSpace.paper())).toString();
    }

    public Task task(String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }
}
