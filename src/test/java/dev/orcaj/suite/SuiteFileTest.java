package dev.orcaj.suite;

import dev.orcaj.tune.SearchSpace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteFileTest {
    @TempDir Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String OK = """
            name: demo
            results: out/demo
            methods: [orca, finetune]
            seeds: 2
            common: {epochs: 3, lr: 3e-4, layernorm-only: true, align-epochs: 2}
            tasks:
              - name: adv
                data: pde:advection:16:24
                metric: relative_l2
                flags: {epochs: 5, batch-size: 8}
              - name: tab
                data: arff:x.arff
            ablation: {objectives: [mmd], tasks: [adv]}
            """;

    @Test
    void readsTheGridAndOrdersCellsTaskBySeed() throws IOException {
        SuiteSpec s = SuiteFile.read(write(OK));
        assertEquals("demo", s.name());
        assertEquals("otdd", s.objective());
        assertEquals(Path.of("out/demo"), s.results());
        List<String> ids = s.cells().stream().map(SuiteCell::id).toList();
        assertEquals(List.of("adv/orca/seed0", "adv/finetune/seed0", "adv/orca-mmd/seed0", "adv/orca/seed1", "adv/finetune/seed1", "adv/orca-mmd/seed1",
                "tab/orca/seed0", "tab/finetune/seed0", "tab/orca/seed1", "tab/finetune/seed1"), ids);
        SuiteCell first = s.cells().getFirst();
        // the task's epochs override the common one; YAML scalars come back as orca run flag values
        assertEquals(Map.of("epochs", "5", "lr", "3e-4", "layernorm-only", "true", "align-epochs", "2", "batch-size", "8"), first.flags(s));
        assertEquals(Path.of("out/demo/adv/orca-seed0.json"), first.rawFile(s.results()));
        assertEquals("mmd", s.cells().get(2).objective());
        assertEquals(null, s.cells().get(1).objective());
    }

    private void fails(String yaml, String... parts) throws IOException {
        Path f = write(yaml);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SuiteFile.read(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String p : parts) assertTrue(e.getMessage().contains(p), e.getMessage());
    }

    @Test
    void aTaskSpaceReplacesOnlyTheDimensionsItNames() throws IOException {
        String tuned = OK.replace("data: arff:x.arff", "data: arff:x.arff\n    space: \"target_seq_len=41;lr=1e-3\"")
                + "tune: {trials: 4, max-epochs: 3, space: \"target_seq_len=16;batch_size=8,16;lr=1e-4,3e-4\"}\n";
        SuiteSpec s = SuiteFile.read(write(tuned));
        assertEquals("target_seq_len=16;batch_size=8,16;lr=1e-4,3e-4", s.tuneSpace(s.task("adv")), "a task without space keeps the suite's text");
        SearchSpace tab = SearchSpace.parse(s.tuneSpace(s.task("tab")), SearchSpace.paper());
        assertEquals(List.of(41), tab.targetSeqLen());
        assertEquals(List.of(1e-3), tab.lr());
        assertEquals(List.of(8, 16), tab.batchSize(), "the suite's batch sizes stay");
        assertEquals(SearchSpace.paper().optimizer(), tab.optimizer(), "dimensions neither names stay the paper's");
        fails(tuned.replace("target_seq_len=41;", "seq=41;"), "tasks[1].space", "'seq=41'");
        fails(OK.replace("data: arff:x.arff", "data: arff:x.arff\n    space: \"lr=1e-3\""), "tasks[1].space", "needs a tune: block");
    }

    @Test
    void badFilesFailNamingTheKey() throws IOException {
        fails(OK.replace("seeds: 2", "seeds: two"), "seeds", "whole number");
        fails(OK.replace("methods: [orca, finetune]", "methods: [orca, lora]"), "methods", "'lora'");
        fails(OK.replace("batch-size: 8", "seed: 3"), "tasks[0].flags.seed", "set by the suite");
        fails(OK.replace("metric: relative_l2", "metric: f2"), "tasks[0].metric", "unknown metric 'f2'");
        fails(OK.replace("tasks: [adv]", "tasks: [nope]"), "ablation.tasks", "'nope'");
        fails(OK.replace("objectives: [mmd]", "objectives: [otdd]"), "ablation.objectives", "already the objective");
        fails(OK.replace("name: tab", "name: adv"), "tasks[1].name", "twice");
        fails(OK + "tune: {trials: 8}\n", "tune.max-epochs", "whole number");
        fails(OK + "tune: {trials: 8, max-epochs: 9, rungs: 3}\n", "tune.rungs", "unknown key");
        assertEquals(new SuiteSpec.Tune(8, 1, 9, 3, ""), SuiteFile.read(write(OK + "tune: {trials: 8, max-epochs: 9}\n")).tune());
        fails(OK + "colour: blue\n", "colour", "unknown key");
        fails(OK.replace("name: demo", "name: ../up"), "name", "names folders");
        fails("name: [unclosed\n", "malformed YAML");
    }
}
