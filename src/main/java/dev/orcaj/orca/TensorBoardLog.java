package dev.orcaj.orca;

import dev.orcaj.io.tensorboard.EventFileWriter;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run's {@link RunEvents} as TensorBoard scalars, in {@code RUN_DIR/tb/<method>-seed<S>/} (one TensorBoard "run" per
 * method and seed, so {@code tensorboard --logdir RUN_DIR/tb} overlays them). Tags: stage 3 {@code train/loss} and
 * {@code train/lr} per optimizer step; per epoch {@code train/epoch_loss}, {@code validation/<metric>} and
 * {@code time/epoch_seconds} at the epoch's last step; stage 2 {@code align/distance} and {@code align/lr} per embedder
 * epoch (gradient-only epochs, whose distance is NaN, write no distance); {@code time/<stage>_seconds} when a stage ends.
 * Flushed at every epoch end (and every few seconds of steps) so a live TensorBoard follows. A write failure is
 * reported once and ends the log; the run goes on.
 */
public final class TensorBoardLog implements RunEvents, AutoCloseable {
    public static final String DIR = "tb";
    private static final long FLUSH_NANOS = 2_000_000_000L;

    private final PrintStream warnings;
    private EventFileWriter writer; // null after a failure
    private long lastStep, lastFlush = System.nanoTime();

    private TensorBoardLog(EventFileWriter writer, PrintStream warnings) {
        this.writer = writer;
        this.warnings = warnings;
    }

    /** The log of run {@code name} (e.g. "orca-seed0") of the run directory {@code runDir}. */
    public static TensorBoardLog open(Path runDir, String name, PrintStream warnings) throws IOException {
        return new TensorBoardLog(new EventFileWriter(logDir(runDir, name)), warnings);
    }

    /**
     * As {@link #open}, for a run that must go on without its log: when the event file cannot be created, a warning on
     * {@code warnings} and a listener that records nothing.
     */
    public static RunEvents openOrWarn(Path runDir, String name, PrintStream warnings) {
        try {
            return open(runDir, name, warnings);
        } catch (IOException e) {
            if (warnings != null) warnings.println("warning: no TensorBoard log for " + name + ": cannot create " + logDir(runDir, name) + " (" + e.getMessage() + ")");
            return RunEvents.NONE;
        }
    }

    public static Path logDir(Path runDir, String name) { return runDir.resolve(DIR).resolve(name); }

    /** The event file being written (null after a write failure). */
    public Path file() { return writer == null ? null : writer.file(); }

    @Override
    public synchronized void alignEpoch(int epoch, double distance, double lr) {
        if (!Double.isNaN(distance)) scalar("align/distance", epoch, distance);
        scalar("align/lr", epoch, lr);
        flush();
    }

    @Override
    public synchronized void trainStep(int epoch, long step, double loss, double lr) {
        lastStep = step;
        scalar("train/loss", step, loss);
        scalar("train/lr", step, lr);
        if (System.nanoTime() - lastFlush > FLUSH_NANOS) flush();
    }

    @Override
    public synchronized void epochEnded(int epoch, double trainLoss, Map<String, Double> validation, double seconds) {
        scalar("train/epoch_loss", lastStep, trainLoss);
        for (var m : validation.entrySet()) scalar("validation/" + m.getKey(), lastStep, m.getValue());
        scalar("time/epoch_seconds", lastStep, seconds);
        flush();
    }

    @Override
    public synchronized void stageEnded(String stage, double seconds) {
        scalar("time/" + stage + "_seconds", stage.equals("refine") ? lastStep : 0, seconds);
        flush();
    }

    @Override
    public synchronized void close() {
        if (writer == null) return;
        try {
            writer.close();
        } catch (IOException e) {
            fail(e);
        }
        writer = null;
    }

    private void scalar(String tag, long step, double value) {
        if (writer == null) return;
        try {
            writer.scalar(tag, step, value);
        } catch (IOException e) {
            fail(e);
        }
    }

    private void flush() {
        if (writer == null) return;
        lastFlush = System.nanoTime();
        try {
            writer.flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void fail(IOException e) {
        if (warnings != null) warnings.println("warning: TensorBoard log " + writer.file() + ": " + e.getMessage() + "; no further TensorBoard events for this run");
        try {
            writer.close();
        } catch (IOException ignored) {
            // already reported the first failure; the run goes on
        }
        writer = null;
    }
}
