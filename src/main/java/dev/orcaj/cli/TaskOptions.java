package dev.orcaj.cli;

import dev.orcaj.orca.TaskLoader;
import dev.orcaj.orca.TaskSpec;
import dev.orcaj.tune.RungInputs;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.util.Map;

/** Which task data, how it is split, the seed and the CPU threads: shared by run, align, finetune and evaluate. */
public final class TaskOptions {
    @Option(names = "--data", defaultValue = "pde:advection:64:240", description = "Task data (default: ${DEFAULT-VALUE}, generated in-process).")
    String data;
    @Option(names = "--task", defaultValue = "auto", description = "Task family: auto (read from the targets), classes, multilabel, regression or dense (default: ${DEFAULT-VALUE}).")
    String family;
    @Option(names = "--loss", defaultValue = "auto", description = "Loss of a dense task: relative-l2 (Darcy), mse (PSICOV) or masked-bce (COSMIC); auto = the family's default (default: ${DEFAULT-VALUE}).")
    String loss;
    @Option(names = "--val-fraction", defaultValue = "0.2", description = "Share of the training data held out for model selection (default: ${DEFAULT-VALUE}).")
    double valFraction;
    @Option(names = "--seed", defaultValue = "0", description = "Seed of the data split, initialization and batch order (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores).")
    int threads;
    @Option(names = "--device", defaultValue = "cpu", description = "cpu, cuda or cuda:N; without a usable GPU it falls back to the CPU with a message (default: ${DEFAULT-VALUE}).")
    String device;

    /**
     * A saved model fixes which split it was trained and selected on: --data, --seed and --val-fraction default to its
     * settings (the values stored in the model file) unless given on this command line.
     */
    void defaultsFrom(Map<String, String> saved, ParseResult parsed) {
        if (!parsed.hasMatchedOption("--data") && saved.containsKey("--data")) data = saved.get("--data");
        if (!parsed.hasMatchedOption("--seed") && saved.containsKey("--seed")) seed = Long.parseLong(saved.get("--seed"));
        if (!parsed.hasMatchedOption("--task") && saved.containsKey("--task")) family = saved.get("--task");
        if (!parsed.hasMatchedOption("--loss") && saved.containsKey("--loss")) loss = saved.get("--loss");
        if (!parsed.hasMatchedOption("--val-fraction") && saved.containsKey("--val-fraction")) valFraction = Double.parseDouble(saved.get("--val-fraction"));
    }

    /**
     * Places new models on the selected device (their ops then run where their parameters live); an unusable GPU
     * falls back to the CPU, saying why.
     */
    static void useDevice(String device) {
        if (device.equals("cpu")) return; // the default: no need to probe for a GPU driver
        var selection = dev.orcaj.backend.cuda.DeviceSelector.select(device);
        System.err.println("orca: " + selection.message());
        if (selection.backend() instanceof dev.orcaj.tensor.Device d) dev.orcaj.backend.Backends.placeModelsOn(d);
    }

    /** Applies --threads and --device and loads the task, after checking the split fraction. */
    TaskLoader.LoadedTask load() throws IOException { return load(false); }

    /** {@link #load()}; {@code keep}: take the task from (and leave it in) the JVM's {@link RungInputs} (a search's rungs). */
    TaskLoader.LoadedTask load(boolean keep) throws IOException {
        TaskLoader.Family f = family();
        FlagChecks.applyThreads(threads);
        useDevice(device);
        if (!(valFraction > 0 && valFraction < 1)) throw new IllegalArgumentException("--val-fraction must be in (0, 1), got " + valFraction);
        return keep ? RungInputs.task(data, valFraction, seed, f) : TaskLoader.load(data, valFraction, seed, f);
    }

    /** Below this many validation rows, selecting an epoch or a configuration on them is mostly chance. */
    static final int FEW_VALIDATION_ROWS = 30;

    /**
     * The task line every training command prints (its splits' sizes), and below it a warning when the validation
     * split is too small to select on: ECG200's 20 rows score accuracy in steps of 0.05, TwoLeadECG's 4 in steps of 0.25,
     * so a search's rungs and the best epoch are then decided by a few rows.
     */
    static void printSplits(TaskLoader.LoadedTask t, double valFraction) {
        System.out.println("task " + t.spec() + " from " + t.description() + ": train " + t.train().size() + ", validation " + t.val().size() + ", test " + t.test().size());
        String warning = fewValidationRows(t.val().size(), valFraction);
        if (warning != null) System.out.println(warning); // stdout, beside the task line: stderr's first line stays a failure's error
    }

    /** The warning of {@link #printSplits}, or null when the validation split has at least {@value #FEW_VALIDATION_ROWS} rows. */
    static String fewValidationRows(int validationRows, double valFraction) {
        if (validationRows >= FEW_VALIDATION_ROWS) return null;
        return "orca: warning: the validation split has only " + validationRows + " rows (--val-fraction " + valFraction + "): the best epoch and a search's"
                + " rungs are chosen on them, and an accuracy on them moves in steps of " + String.format(java.util.Locale.ROOT, "%.3g", 1.0 / Math.max(1, validationRows))
                + "; a larger --val-fraction gives selection more rows (and training fewer)";
    }

    /** --task and --loss, parsed once (a bad value fails here, before any data is read). */
    TaskLoader.Family family() {
        return new TaskLoader.Family(family.equals("auto") ? null : TaskSpec.OutputKind.parse(family), loss.equals("auto") ? null : TaskSpec.Loss.parse(loss));
    }
}
