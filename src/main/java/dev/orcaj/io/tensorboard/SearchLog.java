package dev.orcaj.io.tensorboard;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A hyperparameter search as TensorBoard's HParams tab shows it: every trial is a session in
 * {@code SEARCH_DIR/tb/<trial id>/} whose hyperparameters are the trial's run flags (numbers, booleans and strings
 * as TensorBoard types them) and whose metrics are each rung's {@code score} and {@code validation/<metric>} at the
 * rung's epoch count. Call {@link #rung} when a rung finishes, {@link #failed} when a trial fails and {@link #close}
 * when the search ends (sessions end there as successful; ASHA may promote a stopped trial until then). Write errors
 * are reported once on {@code warnings} and end the log; the search goes on.
 */
public final class SearchLog implements AutoCloseable {
    private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");
    private final Path tbDir;
    private final PrintStream warnings;
    private final Map<String, HParams.Session> sessions = new LinkedHashMap<>();
    private boolean broken;

    public SearchLog(Path searchDir, PrintStream warnings) {
        this.tbDir = searchDir.resolve("tb");
        this.warnings = warnings;
    }

    /** Rung results of trial {@code trialId} (its {@code config}: flag to value) after {@code epochs} epochs. */
    public synchronized void rung(String trialId, Map<String, String> config, int epochs, double score, Map<String, Double> validation) {
        HParams.Session s = session(trialId, config);
        if (s == null) return;
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("score", score);
        for (var e : validation.entrySet()) metrics.put("validation/" + e.getKey(), e.getValue());
        try {
            s.metrics(epochs, "", metrics);
        } catch (IOException e) {
            fail(trialId, e);
        }
    }

    public synchronized void failed(String trialId, Map<String, String> config) {
        HParams.Session s = session(trialId, config);
        if (s == null) return;
        try {
            s.end(HParams.Status.FAILURE);
        } catch (IOException e) {
            fail(trialId, e);
        }
    }

    /** Ends every session still open as successful and closes the files. */
    @Override
    public synchronized void close() {
        for (var e : sessions.entrySet()) {
            try (HParams.Session s = e.getValue()) {
                if (!broken && !s.ended()) s.end(HParams.Status.SUCCESS);
            } catch (IOException ex) {
                fail(e.getKey(), ex);
            }
        }
        sessions.clear();
    }

    private HParams.Session session(String trialId, Map<String, String> config) {
        if (broken) return null;
        HParams.Session s = sessions.get(trialId);
        if (s != null) return s;
        Map<String, Object> hparams = new LinkedHashMap<>();
        for (var e : config.entrySet()) hparams.put(e.getKey().replaceFirst("^--", ""), typed(e.getValue()));
        try {
            s = HParams.startSession(tbDir.resolve(trialId), hparams);
        } catch (IOException | RuntimeException e) {
            fail(trialId, e);
            return null;
        }
        sessions.put(trialId, s);
        return s;
    }

    /** A flag value as the HParams tab should sort and filter it: a number, a boolean, or the text. */
    static Object typed(String v) {
        if (NUMBER.matcher(v).matches()) return Double.parseDouble(v);
        if (v.equals("true") || v.equals("false")) return Boolean.parseBoolean(v);
        return v;
    }

    private void fail(String trialId, Exception e) {
        if (!broken && warnings != null) warnings.println("warning: TensorBoard search log " + tbDir + " (trial " + trialId + "): " + e.getMessage() + "; no further HParams records");
        broken = true;
    }
}
