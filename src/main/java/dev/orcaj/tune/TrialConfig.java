package dev.orcaj.tune;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One point of a {@link SearchSpace}. {@link #flags()} is how it travels in a {@link TrialRung}: {@code orca run}
 * flags, except {@value #TARGET_SEQ_LEN_FLAG}, which the trial runner turns into the embedder's patch once the task's
 * input length is known.
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
        String sci = String.format(Locale.ROOT, "%.0e", v);
        return Double.parseDouble(sci) == v && sci.length() < plain.length() ? sci : plain;
    }
}
