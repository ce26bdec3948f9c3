package dev.orcaj.cli;

import dev.orcaj.backend.cpu.CpuPool;

/**
 * Range checks of numeric flag values, run before any work starts: NaN, infinities and out-of-range values are
 * refused with the flag's name and the accepted range instead of being carried silently into training.
 */
final class FlagChecks {
    private FlagChecks() {}

    /** --threads: 0 (all cores) or 1 .. 4 x cores; more only exhausts memory creating threads that wait for cores. */
    static void applyThreads(int threads) {
        int cores = Runtime.getRuntime().availableProcessors(), max = 4 * cores;
        if (threads < 0 || threads > max) {
            throw new IllegalArgumentException("--threads must be 0 (all " + cores + " cores) or 1.." + max + " (4 x the cores), got " + threads);
        }
        if (threads > 0) CpuPool.setThreads(threads);
    }

    static void atLeast(String flag, long value, long min) {
        if (value < min) throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + value);
    }

    static void between(String flag, long value, long min, long max, String why) {
        if (value < min || value > max) throw new IllegalArgumentException(flag + " must be in " + min + ".." + max + why + ", got " + value);
    }

    static void finite(String flag, double value) {
        if (!Double.isFinite(value)) throw new IllegalArgumentException(flag + " must be a finite number, got " + value);
    }

    static void atLeast(String flag, double value, double min) {
        finite(flag, value);
        if (value < min) throw new IllegalArgumentException(flag + " must be >= " + min + ", got " + value);
    }

    static void positive(String flag, double value) {
        finite(flag, value);
        if (value <= 0) throw new IllegalArgumentException(flag + " must be > 0, got " + value);
    }

    /** {@code [0, 1)}: a probability or a decay factor. */
    static void fraction(String flag, double value) {
        finite(flag, value);
        if (value < 0 || value >= 1) throw new IllegalArgumentException(flag + " must be in [0, 1), got " + value);
    }
}
