package dev.orcaj.orca;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The optimizer of both training stages (spec section 4): SGD with momentum, Adam (L2 weight decay in the gradient)
 * or AdamW (decoupled weight decay). {@link #flag()} is the text used on the command line and in run.json/metrics.json.
 */
public enum OptimizerKind {
    SGD("sgd"), ADAM("adam"), ADAMW("adamw");

    private final String flag;

    OptimizerKind(String flag) { this.flag = flag; }

    public String flag() { return flag; }

    @Override
    public String toString() { return flag; }

    /** {@code value} as written after {@code flag} (e.g. "--optimizer"); the error names the flag and the choices. */
    public static OptimizerKind parse(String flag, String value) {
        for (OptimizerKind o : values()) if (o.flag.equals(value.toLowerCase(Locale.ROOT))) return o;
        throw new IllegalArgumentException(flag + ": expected " + Arrays.stream(values()).map(OptimizerKind::flag).collect(Collectors.joining(", ")) + ", got '" + value + "'");
    }
}
