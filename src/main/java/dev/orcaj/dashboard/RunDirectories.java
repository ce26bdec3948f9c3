package dev.orcaj.dashboard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run directories under the dashboard's roots, found afresh on every request so new runs appear: a root that is
 * itself a run (it has run.json, metrics.json, tb/ or a trial store) and the runs directly inside it (a folder of runs;
 * an {@code orca tune} directory, whose run.json sits beside one search per method and the refit runs). A run is known to clients only by
 * an id ("root index/directory name") looked up here, never by a path they send.
 */
final class RunDirectories {
    /** The trial store of a search (dev.orcaj.tune.TrialStore.FILE; named here so the dashboard does not depend on tune). */
    static final String TRIAL_STORE = "tune.db";

    record Run(String id, String name, Path dir) {}

    private final List<Path> roots;

    RunDirectories(List<Path> roots) throws IOException {
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            if (!Files.isDirectory(r)) throw new IllegalArgumentException(r + ": expected a run directory (the --out of orca run) or a folder of them");
            real.add(r.toRealPath());
        }
        this.roots = List.copyOf(real);
    }

    Map<String, Run> scan() throws IOException {
        Map<String, Run> runs = new LinkedHashMap<>();
        for (int i = 0; i < roots.size(); i++) {
            Path root = roots.get(i);
            if (isRun(root)) add(runs, new Run(i + "/", root.getFileName() == null ? root.toString() : root.getFileName().toString(), root));
            List<Path> children;
            try (Stream<Path> s = Files.list(root)) {
                children = s.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isRun(p)).sorted().toList();
            }
            for (Path c : children) add(runs, new Run(i + "/" + c.getFileName(), c.getFileName().toString(), c));
        }
        return runs;
    }

    private static void add(Map<String, Run> runs, Run r) { runs.put(r.id(), r); }

    /** A run (run.json, metrics.json, tb/) or a search (its trial store, tune.db). */
    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("run.json")) || Files.isRegularFile(dir.resolve("metrics.json")) || Files.isDirectory(dir.resolve("tb"))
                || Files.isRegularFile(dir.resolve(TRIAL_STORE));
    }

    /**
     * {@code relative} inside run {@code run}, or null when it leaves the run's directory: by "..", an absolute path, or
     * a symbolic link anywhere on the way whose target lies outside (the real path is checked, not the spelling).
     */
    static Path inside(Run run, String relative) throws IOException {
        if (relative.isEmpty() || relative.indexOf('\0') >= 0) return null;
        Path p = run.dir().resolve(relative).normalize();
        if (!p.startsWith(run.dir()) || p.equals(run.dir())) return null;
        if (!Files.exists(p)) return null;
        Path real = p.toRealPath();
        return real.startsWith(run.dir()) && Files.isRegularFile(real) ? real : null;
    }
}
