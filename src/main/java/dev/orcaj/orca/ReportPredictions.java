package dev.orcaj.orca;

import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.Splits;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Test-split outputs of a run's reported model, for the report's pictures: the first {@value #DENSE_FIELDS} test fields
 * of a dense task (predicted against true), otherwise up to {@value #MAX_ROWS} test rows (a confusion matrix for classes,
 * a scatter for regression). Kept out of metrics.json and checkpoints: only report.html draws them.
 *
 * @param rows    test rows, in order
 * @param outputs the model's outputs for those rows, row-major
 */
public record ReportPredictions(int[] rows, float[] outputs) {
    static final int DENSE_FIELDS = 3, MAX_ROWS = 2000;

    /** The rows the report draws for this task. */
    static int[] rowsFor(TaskSpec task, ArrayDataset test) {
        int n = task.kind() == TaskSpec.OutputKind.DENSE ? Math.min(DENSE_FIELDS, test.size()) : Math.min(MAX_ROWS, test.size());
        return Splits.range(0, n);
    }

    /** Outputs of {@code model} on the report's test rows. */
    public static ReportPredictions of(OrcaModel model, TaskSpec task, ArrayDataset test) {
        int[] rows = rowsFor(task, test);
        return new ReportPredictions(rows, Evaluator.predict(model, test.subset(rows), 256));
    }

    /**
     * The report's rows of {@code outputs}, a model's outputs for the whole test split (row-major, as
     * {@link Evaluator#predict} gives them): what {@link #of} computes, without a second forward pass.
     */
    static ReportPredictions ofTestOutputs(TaskSpec task, ArrayDataset test, float[] outputs) {
        int[] rows = rowsFor(task, test);
        if (test.size() == 0 || outputs.length % test.size() != 0) {
            throw new IllegalArgumentException("report predictions: " + outputs.length + " outputs for " + test.size() + " test rows");
        }
        int width = outputs.length / test.size();
        return new ReportPredictions(rows, java.util.Arrays.copyOf(outputs, rows.length * width));
    }

    /** As {@link #of}, for the model a finished run saved (its reported model). */
    public static ReportPredictions ofSavedModel(Path modelFile, TaskSpec task, ArrayDataset test) throws IOException {
        return of(Checkpoint.read(modelFile).model(), task, test);
    }

    /** The output row of the i-th drawn test row. */
    float[] row(int i) {
        int width = outputs.length / rows.length;
        return java.util.Arrays.copyOfRange(outputs, i * width, (i + 1) * width);
    }
}
