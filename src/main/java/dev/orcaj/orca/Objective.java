package dev.orcaj.orca;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The stage-2 distance the embedder is aligned with (spec 3.3/3.4): class-wise OTDD with exact inner OT (the paper's
 * default), OTDD with the Gaussian approximation of the label distances, MMD, or the row-paired Euclidean loss.
 * {@link #flag()} is the text used on the command line and in run.json/metrics.json.
 */
public enum Objective {
    OTDD("otdd"), OTDD_GAUSSIAN("otdd-gaussian"), MMD("mmd"), EUCLIDEAN("euclidean");

    private final String flag;

    Objective(String flag) { this.flag = flag; }

    public String flag() { return flag; }

    @Override
    public String toString() { return flag; }

    /**
     * {@code value} as written after {@code flag} (e.g. "--objective"); the older spellings otdd-exact and l2 are
     * accepted so that run.json files written before the enum still resume.
     */
    public static Objective parse(String flag, String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (v.equals("otdd-exact")) return OTDD;
        if (v.equals("l2")) return EUCLIDEAN;
        for (Objective o : values()) if (o.flag.equals(v)) return o;
        throw new IllegalArgumentException(flag + ": expected " + Arrays.stream(values()).map(Objective::flag).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
