package dev.orcaj.tune;

import dev.orcaj.models.Body;
import dev.orcaj.orca.PatchPlan;
import dev.orcaj.orca.TaskSpec;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One point of a {@link SearchSpace}. {@link #flags()} is its record in the trial store (run flags plus
 * {@value #TARGET_SEQ_LEN_FLAG}); {@link #runFlags} is how it travels in a {@link TrialRung}: {@code orca run} flags,
 * the target sequence length turned into the embedder's patch for the task and body at hand.
 */
public record TrialConfig(int targetSeqLen, int batchSize, double clip, double dropout, String optimizer, double lr, double weightDecay) {
    public static final String TARGET_SEQ_LEN_FLAG = "--target-seq-len";

    /** The run flags of this configuration (clip -1 = none: the engine clips only when the value is positive). */
    public Map<String, String> flags() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(TARGET_SEQ_LEN_FLAG, Integer.toString(targetSeqLen));
        m.put("--batch-size", Integer.toString(batchSize));
        m.put("--clip", number(clip));
        m.put("--dropout", number(dropout));
        m.put("--optimizer", optimizer);
        m.put("--lr", number(lr));
        m.put("--weight-decay", number(weightDecay));
        return m;
    }

    /** The {@code orca run} flags: {@link #flags()} with the target sequence length replaced by {@code --patch} (see {@link #patch}). */
    public Map<String, String> runFlags(TaskSpec task, Body body) {
        Map<String, String> m = flags();
        m.remove(TARGET_SEQ_LEN_FLAG);
        m.put("--patch", Integer.toString(patch(task, body, targetSeqLen)));
        return m;
    }

    /**
     * The patch k for a target sequence length (spec 1.1): the smallest divisor of the input length (2D: of both
     * extents) giving at most min(target, the body's limit) tokens. Bodies with their own patch (Swin) ignore the
     * target, as the official code's 2D tasks do: 0, the engine's automatic choice. A 2D task on a text body does
     * not: ignoring it there meant k = 1, e.g. 256 tokens for a 16 x 16 Darcy field, 16x the work of the suite's
     * --patch 4.
     */
    public static int patch(TaskSpec task, Body body, int targetSeqLen) {
        if (body.patchSize() != 0) return 0;
        return PatchPlan.choose(task.spatial(), Math.min(targetSeqLen, body.sequenceLimit()), 0).k();
    }

    /** Back from {@link #flags()} (the trial store keeps configurations in that form). */
    public static TrialConfig ofFlags(Map<String, String> f) {
        return new TrialConfig(Integer.parseInt(f.get(TARGET_SEQ_LEN_FLAG)), Integer.parseInt(f.get("--batch-size")), Double.parseDouble(f.get("--clip")),
                Double.parseDouble(f.get("--dropout")), f.get("--optimizer"), Double.parseDouble(f.get("--lr")), Double.parseDouble(f.get("--weight-decay")));
    }

    /** One readable line, the names of {@link SearchSpace#NAMES}. */
    @Override
    public String toString() {
        return "target_seq_len=" + targetSeqLen + " batch_size=" + batchSize + " clip=" + number(clip) + " dropout=" + number(dropout)
                + " optimizer=" + optimizer + " lr=" + number(lr) + " weight_decay=" + number(weightDecay);
    }

    /** Shortest text that parses back to the same double (1e-05, not 1.0E-5). */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) return Long.toString((long) v);
        String plain = new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
        String sci = String.format(Locale.ROOT, "%.0e", v).replaceAll("e([+-])0*(\\d)", "e$1$2").replace("e+", "e");
        return Double.parseDouble(sci) == v && sci.length() < plain.length() ? sci : plain;
    }
}
