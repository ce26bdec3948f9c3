package dev.orcaj.orca;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress of long work: stage, epoch, step, loss (and OTDD during alignment), ETA. On a terminal it redraws one
 * line; otherwise (logs, CI) it prints at most one line every few seconds plus every epoch end.
 */
public class Progress {
    public static final Progress SILENT = new Progress(null);

    private final PrintStream out;
    private final RunEvents events;
    private final boolean tty = System.console() != null;
    private long stageStart, lastPrint;
    private String stage = "";

    public Progress(PrintStream out) { this(out, RunEvents.NONE); }

    public Progress(PrintStream out, RunEvents events) {
        this.out = out;
        this.events = events;
    }

    /** The same printer forwarding structured events to {@code listener} (one per method and seed). */
    public Progress withEvents(RunEvents listener) { return new Progress(out, listener); }

    /** The structured-event listener of this run ({@link RunEvents#NONE} when nobody listens). */
    public RunEvents events() { return events; }

    public void startStage(String name) {
        stage = name;
        stageStart = System.nanoTime();
        lastPrint = 0;
        if (out != null) out.println("== " + name);
    }

    /** One step done: {@code done} of {@code total} steps in this stage. */
    public void step(int epoch, int epochs, int done, int total, String metricName, double value) {
        if (out == null) return;
        long now = System.nanoTime();
        boolean epochEnd = total > 0 && done % Math.max(1, total / epochs) == 0;
        if (!tty && !epochEnd && now - lastPrint < 5_000_000_000L) return;
        lastPrint = now;
        double elapsed = (now - stageStart) / 1e9;
        double eta = done == 0 ? 0 : elapsed * (total - done) / done;
        int width = 24, filled = total == 0 ? width : (int) ((long) width * done / total);
        String bar = "#".repeat(filled) + ".".repeat(width - filled);
        String shown = Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.5g", value); // NaN: a gradient-only step
        String line = String.format(Locale.ROOT, "%s [%s] epoch %d/%d step %d/%d %s %s  %s elapsed, ETA %s",
                stage, bar, epoch, epochs, done, total, metricName, shown, clock(elapsed), clock(eta));
        if (tty) out.print("\r" + line + (done == total ? "\n" : ""));
        else out.println(line);
    }

    public void info(String message) { if (out != null) out.println(message); }

    static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
