package dev.orcaj.dashboard;

import dev.orcaj.io.tensorboard.EventFileWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Run directories as orca run leaves them (run.json, metrics.json with reference baselines, tb/ event files, report files). */
final class DashboardFixtures {
    private DashboardFixtures() {}

    /** A finished run of orca and finetune (seed 0) over 3 epochs, with a reference block and a report picture. */
    static Path finishedRun(Path root, String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("run.json"), """
                {"command": "run", "options": {"--data": "ucr:data/ECG200", "--body": "tiny", "--methods": "orca,finetune", "--epochs": "3"}}""");
        Files.writeString(dir.resolve("metrics.json"), """
                {"task": {"name": "ECG200"}, "settings": {"data": "ucr:data/ECG200", "methods": ["orca", "finetune"]},
                 "runs": [{"method": "orca", "seed": 0, "test": {"accuracy": 0.84, "f1": 0.8}},
                          {"method": "finetune", "seed": 0, "test": {"accuracy": 0.79, "f1": 0.75}}],
                 "reference": {"trivial": {"test": {"accuracy": 0.64, "f1": 0.39}}, "linear": {"test": {"accuracy": 0.77, "f1": 0.74}}}}""");
        Files.writeString(dir.resolve("report.html"), "<html><body>report</body></html>");
        Files.writeString(dir.resolve("curves.svg"), "<svg xmlns='http://www.w3.org/2000/svg' width='40' height='20'><rect width='40' height='20' fill='#8ac'/></svg>");
        for (String method : new String[] {"orca", "finetune"}) {
            try (EventFileWriter w = new EventFileWriter(dir.resolve("tb").resolve(method + "-seed0"))) {
                for (int epoch = 1; epoch <= 3; epoch++) {
                    for (int s = 1; s <= 4; s++) w.scalar("train/loss", (epoch - 1) * 4 + s, 1.0 / ((epoch - 1) * 4 + s));
                    w.scalar("validation/accuracy", epoch * 4, (method.equals("orca") ? 0.6 : 0.5) + 0.05 * epoch);
                }
            }
        }
        return dir;
    }

    /**
     * A search directory with a trial store in the tune helper's schema (dev.orcaj.tune.TrialStore): two trials, their
     * rungs, one promotion, in WAL mode as the search writes it.
     */
    static Path search(Path root, String name) throws Exception {
        Path dir = Files.createDirectories(root.resolve(name));
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tune.db")); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("CREATE TABLE trials(trial_id TEXT PRIMARY KEY, idx INTEGER NOT NULL UNIQUE, config TEXT NOT NULL, created_at TEXT NOT NULL)");
            s.execute("CREATE TABLE rungs(trial_id TEXT NOT NULL, rung INTEGER NOT NULL, epochs INTEGER NOT NULL, status TEXT NOT NULL, score REAL, PRIMARY KEY (trial_id, rung))");
            s.execute("CREATE TABLE promotions(trial_id TEXT NOT NULL, from_rung INTEGER NOT NULL, to_rung INTEGER NOT NULL, decided_at TEXT NOT NULL)");
            s.execute("INSERT INTO trials VALUES ('t0', 0, '{\"--lr\": \"1e-4\"}', '2026-12-07T03:00:00Z'), ('<b>t1</b>', 1, '{\"--lr\": \"1e-3\"}', '2026-12-07T03:00:01Z')");
            s.execute("INSERT INTO rungs VALUES ('t0', 0, 1, 'done', 0.71), ('<b>t1</b>', 0, 1, 'done', 0.64), ('t0', 1, 3, 'running', NULL)");
            s.execute("INSERT INTO promotions VALUES ('t0', 0, 1, '2026-12-07T03:01:00Z')");
        }
        return dir;
    }

    /** A run in stage 3: run.json, a checkpoint, one epoch in its event file (the writer is returned to add more). */
    static EventFileWriter runningRun(Path root, String name) throws IOException {
        Path dir = Files.createDirectories(root.resolve(name));
        Files.writeString(dir.resolve("run.json"), "{\"command\": \"run\", \"options\": {\"--data\": \"pde:darcy\", \"--methods\": \"orca\"}}");
        Files.writeString(dir.resolve(".orca.lock"), "pid " + ProcessHandle.current().pid()); // as orca.RunDirectory holds it
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints").resolve("orca-seed0.safetensors"), "x");
        EventFileWriter w = new EventFileWriter(dir.resolve("tb").resolve("orca-seed0"));
        w.scalar("train/loss", 1, 0.9);
        w.scalar("validation/accuracy", 1, 0.55);
        w.flush();
        return w;
    }
}
