package dev.orcaj.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's HTTP surface: what it lists and serves, and the requests it refuses. */
class DashboardServerTest {
    @TempDir Path tmp;
    private DashboardServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("runs"));
        Path run = DashboardFixtures.finishedRun(root, "ecg");
        Files.writeString(root.resolve("secret.txt"), "inside the root, outside the run");
        Files.writeString(tmp.resolve("outside.txt"), "outside every given directory");
        Files.createSymbolicLink(run.resolve("link.txt"), tmp.resolve("outside.txt"));
        Files.createSymbolicLink(run.resolve("linkdir"), tmp);
        server = new DashboardServer(List.of(root), "127.0.0.1", 0).start();
    }

    @AfterEach
    void stop() { server.close(); }

    @Test
    void listsRunsWithSettingsMetricsAndCurves() throws Exception {
        JsonNode runs = new ObjectMapper().readTree(get("/api/runs").body());
        assertEquals(1, runs.size());
        JsonNode run = runs.get(0);
        assertEquals("0/ecg", run.path("id").asText());
        assertEquals("ecg", run.path("name").asText());
        assertEquals("ucr:data/ECG200", run.path("run").path("options").path("--data").asText());
        assertEquals(0.64, run.path("metrics").path("reference").path("trivial").path("test").path("accuracy").asDouble(), 0.0);
        assertEquals("[\"finetune-seed0\",\"orca-seed0\"]", run.path("tensorboard").toString());
        assertEquals("[\"curves.svg\",\"report.html\"]", run.path("files").toString());
        assertEquals("finished", run.path("state").asText());

        JsonNode scalars = new ObjectMapper().readTree(get("/api/scalars?run=0%2Fecg").body());
        JsonNode acc = scalars.path("orca-seed0").path("validation/accuracy");
        assertEquals(3, acc.size());
        assertEquals(12, acc.get(2).get(0).asLong());
        assertEquals((float) 0.75, (float) acc.get(2).get(1).asDouble());
        assertEquals(12, scalars.path("finetune-seed0").path("train/loss").size());
    }

    @Test
    void showsASearchsTrialStoreTableByTable() throws Exception {
        DashboardFixtures.search(tmp.resolve("runs"), "search-1");
        JsonNode runs = new ObjectMapper().readTree(get("/api/runs").body());
        assertEquals(2, runs.size());
        JsonNode search = runs.get(1);
        assertEquals("search-1", search.path("name").asText());
        JsonNode store = search.path("trial_stores").get(0);
        assertEquals("tune.db", store.path("file").asText(), store.toString());
        JsonNode tables = store.path("tables");
        assertEquals("promotions rungs trials", tables.get(0).path("name").asText() + " " + tables.get(1).path("name").asText() + " " + tables.get(2).path("name").asText());
        assertEquals("[\"trial_id\",\"rung\",\"epochs\",\"status\",\"score\"]", tables.get(1).path("columns").toString());
        assertEquals("[[\"t0\",0,1,\"done\",0.71],[\"<b>t1</b>\",0,1,\"done\",0.64],[\"t0\",1,3,\"running\",null]]", tables.get(1).path("rows").toString());
        assertEquals("[[\"t0\",0,1,\"2026-12-07T03:01:00Z\"]]", tables.get(0).path("rows").toString());
    }

    @Test
    void aTuneDirectoryShowsItselfAndOneSearchPerMethod() throws Exception {
        Path tune = Files.createDirectories(tmp.resolve("tune"));
        Files.writeString(tune.resolve("run.json"), "{\"command\": \"tune\", \"options\": {\"--methods\": \"finetune\"}}");
        DashboardFixtures.search(tune, "finetune");
        try (DashboardServer s = new DashboardServer(List.of(tune), "127.0.0.1", 0).start()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/api/runs")).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode runs = new ObjectMapper().readTree(r.body());
            assertEquals(2, runs.size(), r.body());
            assertEquals("0/ tune", runs.get(0).path("id").asText() + " " + runs.get(0).path("name").asText());
            assertEquals("0/finetune", runs.get(1).path("id").asText());
            assertEquals(3, runs.get(1).path("trial_stores").get(0).path("tables").size());
        }
    }

    @Test
    void tellsRunningFromInterruptedRuns() throws Exception {
        DashboardFixtures.runningRun(tmp.resolve("runs"), "live").close();
        Path interrupted = tmp.resolve("runs").resolve("killed");
        DashboardFixtures.runningRun(tmp.resolve("runs"), "killed").close();
        Files.writeString(interrupted.resolve(".orca.lock"), "pid 2147483646"); // its owner is gone
        JsonNode runs = new ObjectMapper().readTree(get("/api/runs").body());
        assertEquals("[\"finished\",\"interrupted\",\"running\"]", List.of(runs.get(0), runs.get(1), runs.get(2)).stream().map(r -> "\"" + r.path("state").asText() + "\"").toList().toString().replace(", ", ","));
        assertEquals("[\"ecg\",\"killed\",\"live\"]", List.of(runs.get(0), runs.get(1), runs.get(2)).stream().map(r -> "\"" + r.path("name").asText() + "\"").toList().toString().replace(", ", ","));
    }

    @Test
    void servesTheRunsOwnFilesSandboxed() throws Exception {
        HttpResponse<String> r = get("/files?run=0/ecg&path=report.html");
        assertEquals(200, r.statusCode());
        assertEquals("<html><body>report</body></html>", r.body());
        assertEquals("sandbox", r.headers().firstValue("Content-Security-Policy").orElse(""));
        assertEquals("image/svg+xml", get("/files?run=0/ecg&path=curves.svg").headers().firstValue("Content-Type").orElse(""));
    }

    @Test
    void refusesPathsOutsideTheRun() throws Exception {
        for (String path : List.of("../secret.txt", "%2e%2e%2fsecret.txt", "%2E%2E/%2E%2E/outside.txt", "..%2F..%2Foutside.txt", "sub/../../secret.txt",
                "%2Fetc%2Fpasswd", "/etc/passwd", "link.txt", "linkdir/outside.txt", "linkdir/runs/secret.txt", ".", "", "%00report.html")) {
            HttpResponse<String> r = get("/files?run=0/ecg&path=" + path);
            assertEquals(403, r.statusCode(), path + " -> " + r.body());
            assertFalse(r.body().contains("outside"), path);
        }
        assertEquals(404, get("/files?run=0/..&path=secret.txt").statusCode());
        assertEquals(404, get("/files?run=..%2Fruns&path=ecg/report.html").statusCode());
        // a raw request line, which an HTTP client would normalize first
        for (String target : List.of("/../outside.txt", "/files/../../outside.txt", "/%2e%2e/%2e%2e/outside.txt")) {
            String response = raw("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            assertFalse(response.startsWith("HTTP/1.1 200"), target + " -> " + response);
            assertFalse(response.contains("outside every"), target);
        }
    }

    @Test
    void isReadOnly() throws Exception {
        for (String method : List.of("POST", "PUT", "DELETE")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri("/api/runs")).method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(405, r.statusCode(), method);
        }
        assertTrue(get("/").body().contains("ORCA-J dashboard"));
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(pathAndQuery)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) { return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery); }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
