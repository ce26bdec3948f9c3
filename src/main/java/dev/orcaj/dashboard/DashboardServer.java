package dev.orcaj.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orcaj.io.tensorboard.EventFileReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

/**
 * {@code orca dashboard}: a read-only web view of run directories on the JDK's built-in HTTP server. The page
 * (resources/dashboard/index.html) polls two JSON endpoints and draws everything itself, inserting every name from a
 * file as text, never as markup:
 * <ul>
 * <li>{@code GET /api/runs}: every run with its settings (run.json), metrics (metrics.json, with the report's reference
 *     baselines), TensorBoard runs, report files and the search's trial store;</li>
 * <li>{@code GET /api/scalars?run=ID}: the scalar curves read back from the run's TensorBoard event files;</li>
 * <li>{@code GET /files?run=ID&path=REL}: a file of the run (report.html, pictures), refused (403) when the path leaves
 *     the run's directory by "..", an absolute path or a symbolic link.</li>
 * </ul>
 * Only GET and HEAD are answered.
 */
public final class DashboardServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "svg", "image/svg+xml", "png", "image/png",
            "json", "application/json", "csv", "text/csv; charset=utf-8", "txt", "text/plain; charset=utf-8");
    private final RunDirectories runs;
    private final EventFileCache eventFiles = new EventFileCache();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "dashboard-http");
        t.setDaemon(true);
        return t;
    });

    /** Binds {@code host:port} (port 0 = any free one) over the run directories {@code roots}; {@link #start()} serves. */
    public DashboardServer(List<Path> roots, String host, int port) throws IOException {
        this.runs = new RunDirectories(roots);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        server.setExecutor(pool);
        server.createContext("/", this::handle);
    }

    public DashboardServer start() {
        server.start();
        return this;
    }

    public int port() { return server.getAddress().getPort(); }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain; charset=utf-8", "read-only: only GET and HEAD\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> query = query(ex.getRequestURI().getRawQuery());
            switch (path) {
                case "/", "/index.html" -> send(ex, 200, "text/html; charset=utf-8", resource("index.html"));
                case "/api/runs" -> json(ex, runsJson());
                case "/api/scalars" -> withRun(ex, query, run -> json(ex, scalars(run)));
                case "/files" -> withRun(ex, query, run -> file(ex, run, query.getOrDefault("path", "")));
                default -> send(ex, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
            }
        } catch (RuntimeException | IOException e) {
            // a broken file in one run must not take the server down; the client sees a 500 with the reason
            try {
                send(ex, 500, "text/plain; charset=utf-8", (String.valueOf(e.getMessage()) + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException ignored) {
                // response already started; nothing more to tell the client
            }
        }
    }

    private interface RunHandler {
        void handle(RunDirectories.Run run) throws IOException;
    }

    private void withRun(HttpExchange ex, Map<String, String> query, RunHandler h) throws IOException {
        RunDirectories.Run run = runs.scan().get(query.getOrDefault("run", ""));
        if (run == null) send(ex, 404, "text/plain; charset=utf-8", "no such run\n".getBytes(StandardCharsets.UTF_8));
        else h.handle(run);
    }

    private List<Map<String, Object>> runsJson() throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (RunDirectories.Run r : runs.scan().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("name", r.name());
            m.put("run", readJson(r.dir().resolve("run.json")));
            m.put("metrics", readJson(r.dir().resolve("metrics.json")));
            m.put("tensorboard", tensorBoardRuns(r.dir()));
            m.put("files", reportFiles(r.dir()));
            m.put("state", state(r.dir()));
            m.put("updated", lastModified(r.dir()));
            List<Map<String, Object>> stores = new ArrayList<>();
            for (Path f : list(r.dir())) {
                String n = f.getFileName().toString();
                if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) && (n.endsWith(".sqlite") || n.endsWith(".db"))) stores.add(TrialStoreTables.read(f));
            }
            m.put("trial_stores", stores);
            out.add(m);
        }
        return out;
    }

    /** {tensorboard run: {tag: [[step, value], ...]}}; non-finite values become null (JSON has no NaN). */
    private Map<String, Map<String, List<Object[]>>> scalars(RunDirectories.Run run) throws IOException {
        Map<String, Map<String, List<Object[]>>> out = new TreeMap<>();
        for (String name : tensorBoardRuns(run.dir())) {
            Map<String, List<Object[]>> tags = new TreeMap<>();
            for (Path f : list(run.dir().resolve("tb").resolve(name))) {
                if (!f.getFileName().toString().startsWith("events.out.tfevents.") || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
                for (EventFileReader.Scalar s : eventFiles.read(f)) {
                    tags.computeIfAbsent(s.tag(), k -> new ArrayList<>()).add(new Object[] {s.step(), Double.isFinite(s.value()) ? s.value() : null});
                }
            }
            out.put(name, tags);
        }
        return out;
    }

    private void file(HttpExchange ex, RunDirectories.Run run, String relative) throws IOException {
        Path f = RunDirectories.inside(run, relative);
        if (f == null) {
            send(ex, 403, "text/plain; charset=utf-8", "refused: not a file inside the run directory\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        String name = f.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT), "application/octet-stream");
        // a report file is shown in a sandbox: a script in a crafted SVG or HTML file gets no access to the dashboard
        ex.getResponseHeaders().set("Content-Security-Policy", "sandbox");
        send(ex, 200, type, Files.readAllBytes(f));
    }

    private static List<String> tensorBoardRuns(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : list(dir.resolve("tb"))) if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) names.add(p.getFileName().toString());
        return names;
    }

    /** The report and its pictures (report.html, *.svg, *.png) at the top of the run directory. */
    private static List<String> reportFiles(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        for (Path p : list(dir)) {
            String n = p.getFileName().toString();
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (n.endsWith(".html") || n.endsWith(".svg") || n.endsWith(".png"))) names.add(n);
        }
        return names;
    }

    /**
     * running: the run directory's lock file names a live process (orca.RunDirectory writes "pid N" there while it
     * owns the directory and empties it at the end); interrupted: checkpoints but no live owner; finished: metrics.json
     * and no checkpoint; started: neither yet.
     */
    private static String state(Path dir) throws IOException {
        Path lock = dir.resolve(".orca.lock");
        if (Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS) && Files.size(lock) < 64) {
            String owner = Files.readString(lock).strip();
            if (owner.matches("pid \\d{1,18}") && ProcessHandle.of(Long.parseLong(owner.substring(4))).map(ProcessHandle::isAlive).orElse(false)) return "running";
        }
        if (!list(dir.resolve("checkpoints")).isEmpty()) return "interrupted";
        return Files.isRegularFile(dir.resolve("metrics.json")) ? "finished" : "started";
    }

    /** Seconds since the epoch of the newest of run.json, metrics.json, the trial store and the event files: how live the run is. */
    private static double lastModified(Path dir) throws IOException {
        long newest = 0;
        List<Path> candidates = new ArrayList<>(List.of(dir.resolve("metrics.json"), dir.resolve("run.json"), dir.resolve(RunDirectories.TRIAL_STORE)));
        for (Path tb : list(dir.resolve("tb"))) candidates.addAll(list(tb));
        for (Path p : candidates) {
            try {
                newest = Math.max(newest, Files.getLastModifiedTime(p).toMillis());
            } catch (java.nio.file.NoSuchFileException e) {
                // absent, or replaced by the run between listing and reading: it has no time to contribute
            }
        }
        return newest / 1000.0;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    /** The file's JSON, or {"error": ...} when it does not parse (a half-written file from an old writer, a hand edit); null when absent. */
    private static Object readJson(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return null;
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return n;
        } catch (IOException e) {
            return Map.of("error", file.getFileName() + ": " + e.getMessage().lines().findFirst().orElse("does not parse"));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new HashMap<>();
        if (raw == null) return q;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) q.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = DashboardServer.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) throw new IOException("dashboard resource " + name + " missing from the jar");
            return in.readAllBytes();
        }
    }

    private static void json(HttpExchange ex, Object value) throws IOException {
        send(ex, 200, "application/json", JSON.writeValueAsBytes(value));
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
        if (!head && body.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
