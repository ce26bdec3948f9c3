package dev.orcaj.tune;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orcaj.io.AtomicFiles;

import java.nio.file.Path;

/**
 * The child side of {@link ChildJvmTrialRunner}: reads a {@link TrialRung} from JSON, runs it, writes the
 * {@link RungResult} as JSON (atomically: a killed child leaves no half-written result). The child stops as soon as
 * the search process that started it has gone (kill -9 included), instead of training on as an orphan.
 */
public final class TrialProcess {
    /** System property: the pid of the search process to watch. */
    public static final String PARENT = "orcaj.tune.parent";
    static final String ERROR_PREFIX = "orca: error: ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrialProcess() {}

    /** Exit code 0 with the result written, 1 with one {@value #ERROR_PREFIX} line on stderr. */
    public static int serve(String[] args, TrialRunner runner) {
        if (args.length != 2) {
            System.err.println(ERROR_PREFIX + "usage: RUNG.json RESULT.json");
            return 2;
        }
        watchParent();
        try {
            TrialRung rung = JSON.readValue(Path.of(args[0]).toFile(), TrialRung.class);
            System.out.println(started(rung));
            RungResult r = runner.run(rung);
            AtomicFiles.write(Path.of(args[1]), s -> JSON.writeValue(s, r));
            System.out.println(finished(r));
            return 0;
        } catch (Throwable e) {
            e.printStackTrace(System.out);
            System.err.println(failed(e));
            return 1;
        }
    }

    /** A trial log's line when a rung starts (also {@link InProcessTrialRunner}'s). */
    static String started(TrialRung rung) {
        return "== trial " + rung.trialId() + " rung " + rung.rung() + ": " + rung.epochs() + " of " + rung.maxEpochs() + " epochs, " + rung.config();
    }

    /** A trial log's line when a rung has finished. */
    static String finished(RungResult r) {
        return "== score " + r.score() + ", validation " + r.validation();
    }

    /** A trial log's line when a rung failed: the {@link ChildJvmTrialRunner} quotes it. */
    static String failed(Throwable e) {
        return ERROR_PREFIX + (e.getMessage() != null ? e.getMessage() : e.toString());
    }

    private static void watchParent() {
        String pid = System.getProperty(PARENT);
        if (pid == null) return;
        Runnable stop = () -> {
            System.err.println(ERROR_PREFIX + "the search process (pid " + pid + ") has ended; stopping this trial");
            Runtime.getRuntime().halt(3);
        };
        ProcessHandle.of(Long.parseLong(pid)).ifPresentOrElse(h -> h.onExit().thenRun(stop), stop);
    }
}
