package dev.orcaj.tune;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The search's record in an embedded SQLite database ({@value #FILE} in the search directory): the settings, every
 * trial's configuration, every rung (status running, done or failed; score, validation metrics, attempts,
 * timestamps) and every promotion. Each change is one transaction in WAL mode with synchronous=FULL, so a process
 * killed at any point (kill -9) leaves the last committed state; a rung still "running" in it was cut off and runs
 * again on resume. One connection, used under this object's lock.
 */
public final class TrialStore implements AutoCloseable {
    public static final String FILE = "tune.db";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, Double>> NUMBERS = new TypeReference<>() {};

    public enum Status { RUNNING, DONE, FAILED }

    /** One row of the rungs table. */
    public record Rung(String trialId, int rung, int epochs, Status status, double score, Map<String, Double> validation, double seconds,
                       String error, int attempts, String startedAt, String finishedAt) {}

    /** One row of the trials table. */
    public record Trial(String trialId, int index, Map<String, String> config, String createdAt) {}

    private final Connection db;

    private TrialStore(Connection db) { this.db = db; }

    /** Opens (creating if needed) {@code dir}/{@value #FILE}. */
    public static TrialStore open(Path dir) {
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(FILE).toAbsolutePath());
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=10000");
                s.execute("CREATE TABLE IF NOT EXISTS search(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS trials(trial_id TEXT PRIMARY KEY, idx INTEGER NOT NULL UNIQUE, config TEXT NOT NULL, created_at TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS rungs(trial_id TEXT NOT NULL REFERENCES trials(trial_id), rung INTEGER NOT NULL, epochs INTEGER NOT NULL,"
                        + " status TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')), score REAL, validation TEXT, seconds REAL, error TEXT,"
                        + " attempts INTEGER NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, PRIMARY KEY (trial_id, rung))");
                s.execute("CREATE TABLE IF NOT EXISTS promotions(trial_id TEXT NOT NULL REFERENCES trials(trial_id), from_rung INTEGER NOT NULL,"
                        + " to_rung INTEGER NOT NULL, decided_at TEXT NOT NULL, PRIMARY KEY (trial_id, to_rung))");
            }
            c.setAutoCommit(false);
            return new TrialStore(c);
        } catch (SQLException e) {
            throw new IllegalStateException("trial store " + dir.resolve(FILE) + ": " + e.getMessage(), e);
        }
    }

    /** The saved search settings (empty for a new store). */
    public synchronized Map<String, String> settings() {
        Map<String, String> out = new TreeMap<>();
        query("SELECT key, value FROM search", rs -> out.put(rs.getString(1), rs.getString(2)));
        return out;
    }

    public synchronized void saveSettings(Map<String, String> settings) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("INSERT OR REPLACE INTO search(key, value) VALUES (?, ?)")) {
                for (var e : settings.entrySet()) {
                    p.setString(1, e.getKey());
                    p.setString(2, e.getValue());
                    p.executeUpdate();
                }
            }
        });
    }

    /**
     * A rung starts: the trial row on its first rung, the promotion on later rungs, and the rung row as running (its
     * attempt count goes up when a rung cut off by a crash runs again).
     */
    public synchronized void started(String trialId, int index, Map<String, String> config, int rung, int epochs) {
        String now = Instant.now().toString();
        transaction(() -> {
            if (rung == 0) {
                try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO trials(trial_id, idx, config, created_at) VALUES (?, ?, ?, ?)")) {
                    p.setString(1, trialId);
                    p.setInt(2, index);
                    p.setString(3, JSON.writeValueAsString(config));
                    p.setString(4, now);
                    p.executeUpdate();
                }
            } else {
                try (PreparedStatement p = db.prepareStatement("INSERT OR IGNORE INTO promotions(trial_id, from_rung, to_rung, decided_at) VALUES (?, ?, ?, ?)")) {
                    p.setString(1, trialId);
                    p.setInt(2, rung - 1);
                    p.setInt(3, rung);
                    p.setString(4, now);
                    p.executeUpdate();
                }
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO rungs(trial_id, rung, epochs, status, attempts, started_at) VALUES (?, ?, ?, 'running', 1, ?)"
                    + " ON CONFLICT(trial_id, rung) DO UPDATE SET status = 'running', attempts = attempts + 1, started_at = excluded.started_at, finished_at = NULL, error = NULL")) {
                p.setString(1, trialId);
                p.setInt(2, rung);
                p.setInt(3, epochs);
                p.setString(4, now);
                p.executeUpdate();
            }
        });
    }

    public synchronized void finished(RungResult r) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("UPDATE rungs SET status = 'done', score = ?, validation = ?, seconds = ?, finished_at = ? WHERE trial_id = ? AND rung = ?")) {
                p.setDouble(1, r.score());
                p.setString(2, JSON.writeValueAsString(new TreeMap<>(r.validation())));
                p.setDouble(3, r.seconds());
                p.setString(4, Instant.now().toString());
                p.setString(5, r.trialId());
                p.setInt(6, r.rung());
                if (p.executeUpdate() != 1) throw new IllegalStateException("trial store: no running rung " + r.rung() + " of trial " + r.trialId());
            }
        });
    }

    public synchronized void failed(String trialId, int rung, String error) {
        transaction(() -> {
            try (PreparedStatement p = db.prepareStatement("UPDATE rungs SET status = 'failed', error = ?, finished_at = ? WHERE trial_id = ? AND rung = ?")) {
                p.setString(1, error);
                p.setString(2, Instant.now().toString());
                p.setString(3, trialId);
                p.setInt(4, rung);
                if (p.executeUpdate() != 1) throw new IllegalStateException("trial store: no running rung " + rung + " of trial " + trialId);
            }
        });
    }

    public synchronized List<Trial> trials() {
        List<Trial> out = new ArrayList<>();
        query("SELECT trial_id, idx, config, created_at FROM trials ORDER BY idx", rs -> out.add(new Trial(rs.getString(1), rs.getInt(2), JSON.readValue(rs.getString(3), STRINGS), rs.getString(4))));
        return out;
    }

    /** Every rung row, by trial index then rung. */
    public synchronized List<Rung> rungs() {
        List<Rung> out = new ArrayList<>();
        query("SELECT r.trial_id, r.rung, r.epochs, r.status, r.score, r.validation, r.seconds, r.error, r.attempts, r.started_at, r.finished_at"
                + " FROM rungs r JOIN trials t ON t.trial_id = r.trial_id ORDER BY t.idx, r.rung", rs -> {
            String v = rs.getString(6);
            double score = rs.getDouble(5);
            if (rs.wasNull()) score = Double.NaN;
            out.add(new Rung(rs.getString(1), rs.getInt(2), rs.getInt(3), Status.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), score,
                    v == null ? Map.of() : JSON.readValue(v, NUMBERS), rs.getDouble(7), rs.getString(8), rs.getInt(9), rs.getString(10), rs.getString(11)));
        });
        return out;
    }

    /** The finished (done) rungs as results, keyed by trial id and rung: what a resumed search does not run again. */
    public synchronized Map<String, RungResult> doneResults() {
        Map<String, RungResult> out = new LinkedHashMap<>();
        for (Rung r : rungs()) {
            if (r.status() == Status.DONE) out.put(key(r.trialId(), r.rung()), new RungResult(r.trialId(), r.rung(), r.epochs(), r.score(), r.validation(), r.seconds()));
        }
        return out;
    }

    public static String key(String trialId, int rung) { return trialId + "@" + rung; }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            throw new IllegalStateException("trial store: " + e.getMessage(), e);
        }
    }

    private interface Work { void run() throws Exception; }

    private interface Row { void read(ResultSet rs) throws Exception; }

    private void transaction(Work w) {
        try {
            w.run();
            db.commit();
        } catch (Exception e) {
            try {
                db.rollback();
            } catch (SQLException ignored) {
                // the original failure is the one to report
            }
            throw e instanceof RuntimeException re ? re : new IllegalStateException("trial store: " + e.getMessage(), e);
        }
    }

    private void query(String sql, Row row) {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) row.read(rs);
            db.commit();
        } catch (Exception e) {
            throw new IllegalStateException("trial store: " + e.getMessage(), e);
        }
    }
}
