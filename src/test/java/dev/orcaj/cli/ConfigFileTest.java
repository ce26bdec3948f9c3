package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --config FILE} (JSON or flat YAML) expands into the command's flags; command-line flags win. */
class ConfigFileTest {
    @TempDir Path dir;

    @Test
    void yamlAndJsonExpandIntoFlags() throws Exception {
        Path y = dir.resolve("task.yaml");
        Files.writeString(y, "# an ORCA task\ndata: \"npy:x.npy,y.npy\"\nmethods: [orca, finetune]\nepochs: 3   # short\nlayernorm-only: true\npooled-dense: false\n");
        assertEquals(List.of("run", "--data", "npy:x.npy,y.npy", "--methods", "orca,finetune", "--epochs", "3", "--layernorm-only", "--seed", "4"),
                ConfigFile.expand(List.of("run", "--config", y.toString(), "--seed", "4")));
        Path j = dir.resolve("task.json");
        Files.writeString(j, "{\"data\": \"ucr:ECG200\", \"methods\": [\"orca\"], \"lr\": 0.001, \"class-weighted\": true}");
        assertEquals(List.of("run", "--data", "ucr:ECG200", "--methods", "orca", "--lr", "0.001", "--class-weighted"), ConfigFile.expand(List.of("--config", j.toString())));
    }

    @Test
    void runFromAConfigFileWithACommandLineOverride() throws Exception {
        Path body = Cli.tinyBody(dir);
        String data = Cli.tinyData(dir, 40, 24);
        Path cfg = dir.resolve("run.yaml");
        Files.writeString(cfg, "data: " + data + "\nbody: " + body + "\nmethods: [finetune]\nepochs: 1\nbatch-size: 8\nthreads: 2\nseed: 5\n");
        Path out = dir.resolve("out");
        Cli.Result r = Cli.orca("run", "--config", cfg.toString(), "--epochs", "2", "--out", out.toString());
        assertEquals(0, r.code(), r.all());
        var m = new ObjectMapper().readTree(out.resolve("metrics.json").toFile());
        assertEquals(2, m.at("/settings/epochs").asInt(), "the command line overrides the file");
        assertEquals(5, m.at("/runs/0/seed").asInt(), "the file's seed is used");
    }

    @Test
    void badConfigFilesGiveOneLineErrors() throws Exception {
        Cli.Result missing = Cli.orca("run", "--config", dir.resolve("nope.yaml").toString());
        assertEquals(OrcaCli.ERROR, missing.code());
        assertTrue(missing.err().contains("nope.yaml"), missing.err());
        Path nested = dir.resolve("nested.yaml");
        Files.writeString(nested, "train:\n  epochs: 3\n");
        Cli.Result n = Cli.orca("run", "--config", nested.toString());
        assertEquals(OrcaCli.ERROR, n.code());
        assertTrue(n.err().contains("nested.yaml:1") && n.err().contains("nested"), n.err());
        Path badJson = dir.resolve("bad.json");
        Files.writeString(badJson, "{\"epochs\": ");
        Cli.Result b = Cli.orca("run", "--config", badJson.toString());
        assertEquals(OrcaCli.ERROR, b.code());
        assertTrue(b.err().contains("bad.json") && b.err().contains("malformed JSON"), b.err());
        Path unknown = dir.resolve("unknown.yaml");
        Files.writeString(unknown, "epochz: 3\n");
        Cli.Result u = Cli.orca("run", "--config", unknown.toString());
        assertEquals(OrcaCli.ERROR, u.code());
        assertTrue(u.err().contains("--epochz"), u.err());
    }
}
