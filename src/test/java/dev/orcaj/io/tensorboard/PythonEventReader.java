package dev.orcaj.io.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent Python reader (src/test/resources/tensorboard/read_events.py: its own CRC32C and protobuf wire
 * decoder) on an event file. Tests using it skip, saying why, where no python3 is on the PATH.
 */
public final class PythonEventReader {
    /** The reader's verdict: the events it decoded (one JSON object each) or its error message and exit code. */
    public record Result(int exitCode, List<JsonNode> events, String stderr) {}

    private PythonEventReader() {}

    public static Result read(Path eventFile) throws IOException, InterruptedException {
        Path script = Files.createTempFile("read_events", ".py");
        try (InputStream in = PythonEventReader.class.getResourceAsStream("/tensorboard/read_events.py")) {
            Files.write(script, in.readAllBytes());
        }
        Process p;
        try {
            p = new ProcessBuilder("python3", script.toString(), eventFile.toString()).start();
        } catch (IOException e) {
            Assumptions.abort("python3 is not installed, so the independent event-file reader cannot run: " + e.getMessage());
            throw e;
        }
        try {
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IOException("read_events.py did not finish in 60 s");
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> events = new ArrayList<>();
            for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) if (!line.isBlank()) events.add(json.readTree(line));
            return new Result(p.exitValue(), events, err);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The events of a file the reader accepted (fails the test with the reader's message otherwise). */
    public static List<JsonNode> events(Path eventFile) throws IOException, InterruptedException {
        Result r = read(eventFile);
        if (r.exitCode() != 0) throw new AssertionError("read_events.py rejected " + eventFile + ": " + r.stderr());
        return r.events();
    }
}
