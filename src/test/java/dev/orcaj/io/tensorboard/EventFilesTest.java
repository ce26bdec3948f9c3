package dev.orcaj.io.tensorboard;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Event files as an independent reader (Python, its own CRC32C and protobuf decoder) and our Java reader see them. */
class EventFilesTest {
    @TempDir Path dir;

    @Test
    void maskedCrcIsTensorFlowsMask() {
        // CRC32C("123456789") = 0xE3069283 (the Castagnoli check value, RFC 3720 B.4); the mask by hand:
        // rotate right 15 -> 0x2507C60D, + 0xa282ead8 -> 0xC78AB0E5
        byte[] check = "123456789".getBytes();
        CRC32C c = new CRC32C();
        c.update(check);
        assertEquals(0xE3069283L, c.getValue());
        assertEquals(0xC78AB0E5, TfRecord.maskedCrc(check, 0, check.length));
    }

    @Test
    void scalarsReadBackByAnIndependentReader() throws Exception {
        Path file;
        try (EventFileWriter w = new EventFileWriter(dir)) {
            file = w.file();
            w.scalar("train/loss", 1, 0.75);
            w.scalar("train/loss", 2, 0.5);
            w.scalar("validation/accuracy", 2, 0.625);
            w.scalar("weird tag/π", 1L << 40, -3.25e-7);
        }
        assertTrue(file.getFileName().toString().startsWith("events.out.tfevents."), file.toString());
        List<JsonNode> events = PythonEventReader.events(file);
        assertEquals(5, events.size());
        assertEquals("brain.Event:2", events.get(0).path("file_version").asText());
        assertEquals(0, events.get(0).path("values").size());
        Object[][] expected = {{"train/loss", 1L, 0.75f}, {"train/loss", 2L, 0.5f}, {"validation/accuracy", 2L, 0.625f}, {"weird tag/π", 1L << 40, -3.25e-7f}};
        for (int i = 0; i < expected.length; i++) {
            JsonNode e = events.get(i + 1), v = e.path("values").get(0);
            assertEquals(expected[i][0], v.path("tag").asText());
            assertEquals(expected[i][1], e.path("step").asLong());
            assertEquals((float) expected[i][2], (float) v.path("simple_value").asDouble());
            assertTrue(Math.abs(e.path("wall_time").asDouble() - System.currentTimeMillis() / 1000.0) < 600, "wall_time is now: " + e);
        }
        List<EventFileReader.Scalar> java = EventFileReader.read(file);
        assertEquals(4, java.size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], java.get(i).tag());
            assertEquals(expected[i][1], java.get(i).step());
            assertEquals((float) expected[i][2], (float) java.get(i).value());
        }
    }

    @Test
    void aCorruptedCrcIsRejectedByBothReaders() throws Exception {
        Path file;
        try (EventFileWriter w = new EventFileWriter(dir)) {
            file = w.file();
            w.scalar("train/loss", 1, 0.75);
        }
        byte[] good = Files.readAllBytes(file);
        int second = firstRecordLength(good); // the scalar record starts after the file_version record

        byte[] payloadFlip = good.clone();
        payloadFlip[second + 12 + 3] ^= 0x10; // a bit of the Event bytes
        Files.write(file, payloadFlip);
        assertRejected(file, "data CRC mismatch", "data CRC does not match");

        byte[] lengthCrcFlip = good.clone();
        lengthCrcFlip[second + 8] ^= 0x01; // the masked CRC of the length
        Files.write(file, lengthCrcFlip);
        assertRejected(file, "length CRC mismatch", "length CRC does not match");

        byte[] footerFlip = good.clone();
        footerFlip[good.length - 1] ^= (byte) 0x80; // the masked CRC of the data
        Files.write(file, footerFlip);
        assertRejected(file, "data CRC mismatch", "data CRC does not match");
    }

    @Test
    void aLiveFilesPartialLastRecordIsNotYetThere() throws Exception {
        Path file;
        try (EventFileWriter w = new EventFileWriter(dir)) {
            file = w.file();
            w.scalar("train/loss", 1, 0.75);
            w.scalar("train/loss", 2, 0.5);
        }
        byte[] all = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(all, all.length - 5)); // the writer is mid-record
        EventFileReader.Chunk first = EventFileReader.readFrom(file, 0);
        assertEquals(1, first.scalars().size());
        assertEquals(1, first.scalars().get(0).step());
        Files.write(file, all); // the record is complete now: reading on from where the last read stopped finds just it
        EventFileReader.Chunk next = EventFileReader.readFrom(file, first.end());
        assertEquals(1, next.scalars().size());
        assertEquals(2, next.scalars().get(0).step());
        assertEquals(all.length, next.end());
    }

    @Test
    void hparamsSessionRecordsDecodeAsThePluginDefinesThem() throws Exception {
        Path search = dir.resolve("search");
        HParams.writeExperiment(search, List.of(new HParams.HParam("lr", Double.class), new HParams.HParam("optimizer", String.class),
                new HParams.HParam("layernorm_only", Boolean.class)), List.of("validation/accuracy"));
        Path session;
        try (HParams.Session s = HParams.startSession(search.resolve("trial-3"), Map.of("lr", 3e-4, "optimizer", "adamw", "layernorm_only", true))) {
            session = s.file();
            s.metrics(4, "validation/", Map.of("accuracy", 0.8125));
            s.end(HParams.Status.SUCCESS);
        }
        Path experimentFile;
        try (var files = Files.list(search)) {
            experimentFile = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        JsonNode experiment = pluginValue(PythonEventReader.events(experimentFile).get(1), "_hparams_/experiment");
        JsonNode exp = experiment.path("hparams").path("experiment");
        assertEquals("[{\"name\":\"lr\",\"type\":3},{\"name\":\"optimizer\",\"type\":1},{\"name\":\"layernorm_only\",\"type\":2}]", exp.path("hparams").toString());
        assertEquals("[{\"group\":\"\",\"tag\":\"validation/accuracy\"}]", exp.path("metrics").toString());

        List<JsonNode> events = PythonEventReader.events(session);
        assertEquals(4, events.size());
        JsonNode start = pluginValue(events.get(1), "_hparams_/session_start_info").path("hparams");
        assertEquals(0, start.path("version").asInt());
        JsonNode values = start.path("session_start_info").path("hparams");
        assertEquals(3e-4, values.path("lr").asDouble(), 0.0);
        assertEquals("adamw", values.path("optimizer").asText());
        assertTrue(values.path("layernorm_only").asBoolean());
        JsonNode metric = events.get(2).path("values").get(0);
        assertEquals("validation/accuracy", metric.path("tag").asText());
        assertEquals(4, events.get(2).path("step").asLong());
        assertEquals(0.8125f, (float) metric.path("simple_value").asDouble());
        JsonNode end = pluginValue(events.get(3), "_hparams_/session_end_info").path("hparams").path("session_end_info");
        assertEquals(1, end.path("status").asInt(), "STATUS_SUCCESS");
    }

    /** The one value of {@code event}, checked to be an hparams plugin record with the plugin's empty float tensor. */
    private static JsonNode pluginValue(JsonNode event, String tag) {
        JsonNode v = event.path("values").get(0);
        assertEquals(tag, v.path("tag").asText());
        assertEquals("hparams", v.path("plugin_name").asText());
        assertEquals(1, v.path("tensor").path("dtype").asInt(), "DT_FLOAT");
        assertEquals("[0]", v.path("tensor").path("dims").toString(), "a length-0 vector");
        return v;
    }

    private static void assertRejected(Path file, String python, String java) throws Exception {
        PythonEventReader.Result r = PythonEventReader.read(file);
        assertEquals(1, r.exitCode(), "python reader accepted a corrupted file");
        assertTrue(r.stderr().contains(python), r.stderr());
        IOException e = assertThrows(IOException.class, () -> EventFileReader.read(file));
        assertTrue(e.getMessage().contains(java) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    private static int firstRecordLength(byte[] b) {
        long n = 0;
        for (int i = 7; i >= 0; i--) n = (n << 8) | (b[i] & 0xFF);
        return (int) n + 16;
    }

    @Test
    void aSearchLogsOneSessionPerTrialWithTypedHyperparameters() throws Exception {
        try (SearchLog log = new SearchLog(dir, System.err)) {
            log.rung("t000", Map.of("--lr", "1e-3", "--optimizer", "adamw", "--layernorm-only", "false"), 1, 0.7, Map.of("accuracy", 0.7));
            log.rung("t001", Map.of("--lr", "3e-4", "--optimizer", "sgd", "--layernorm-only", "true"), 1, 0.6, Map.of("accuracy", 0.6));
            log.failed("t001", Map.of());
            log.rung("t000", Map.of("--lr", "1e-3", "--optimizer", "adamw", "--layernorm-only", "false"), 3, 0.8, Map.of("accuracy", 0.8));
        }
        List<JsonNode> t0 = PythonEventReader.events(onlyFile(dir.resolve("tb").resolve("t000")));
        JsonNode start = pluginValue(t0.get(1), "_hparams_/session_start_info").path("hparams").path("session_start_info").path("hparams");
        assertEquals(1e-3, start.path("lr").asDouble(), 0.0);
        assertTrue(start.path("lr").isNumber() && start.path("layernorm-only").isBoolean() && start.path("optimizer").isTextual(), start.toString());
        // rung 1 at step 1, rung 2 at step 3: score and validation/accuracy, then the end record (success at close)
        assertEquals("[score@1=0.7, validation/accuracy@1=0.7, score@3=0.8, validation/accuracy@3=0.8]", scalars(t0).toString());
        assertEquals(1, pluginValue(t0.get(t0.size() - 1), "_hparams_/session_end_info").path("hparams").path("session_end_info").path("status").asInt());
        List<JsonNode> t1 = PythonEventReader.events(onlyFile(dir.resolve("tb").resolve("t001")));
        assertEquals(2, pluginValue(t1.get(t1.size() - 1), "_hparams_/session_end_info").path("hparams").path("session_end_info").path("status").asInt(), "STATUS_FAILURE");
        assertEquals(1, t1.stream().filter(e -> e.path("values").toString().contains("session_end_info")).count(), "one end record");
    }

    private static List<String> scalars(List<JsonNode> events) {
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode e : events) {
            for (JsonNode v : e.path("values")) {
                if (v.has("simple_value")) out.add(v.path("tag").asText() + "@" + e.path("step").asLong() + "=" + (float) v.path("simple_value").asDouble());
            }
        }
        return out;
    }

    private static Path onlyFile(Path d) throws IOException {
        try (var files = Files.list(d)) {
            List<Path> all = files.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }
}
