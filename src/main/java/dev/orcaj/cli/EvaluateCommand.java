package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.io.AtomicFiles;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.Evaluator;
import dev.orcaj.orca.OrcaModel;
import dev.orcaj.orca.TaskLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orca evaluate}: a saved model on the test split of a data specification, metrics as JSON. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, usageHelpAutoWidth = true, sortOptions = false,
        description = {"Evaluate a saved ORCA model on the test split of --data and print the metrics as JSON.",
                "--data, --seed and --val-fraction default to the values the model was trained with (they fix the split)."},
        footer = {"%nExample:", "  orca evaluate --model runs/ecg/models/orca-seed0.safetensors --out ecg-test.json"})
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A saved ORCA model (from run, finetune or align).")
    Path modelFile;
    @Mixin TaskOptions task;
    @Option(names = "--out", paramLabel = "FILE", description = "Also write the metrics JSON here (atomically).")
    Path out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (out != null) {
            OutputPaths.requireNotAnInput("--out", out, "--model", modelFile);
            OutputPaths.requireWritableFile("--out", out);
        }
        Checkpoint.Loaded saved = Checkpoint.read(modelFile);
        task.defaultsFrom(saved.settings(), spec.commandLine().getParseResult());
        TaskLoader.LoadedTask t = task.load();
        saved.requireTask(t.spec(), "--data " + task.data);
        OrcaModel model = saved.model();
        Map<String, Double> metrics = Evaluator.metrics(t.spec(), Evaluator.predict(model, t.test(), 256), t.test());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model", modelFile.toString());
        json.put("data", t.description());
        json.put("test_rows", t.test().size());
        json.put("metrics", metrics);
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(json);
        if (out != null) AtomicFiles.write(out, o -> o.write(bytes));
        System.out.println(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
        return 0;
    }
}
