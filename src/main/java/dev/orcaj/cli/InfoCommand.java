package dev.orcaj.cli;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.Safetensors;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.orca.Checkpoint;
import dev.orcaj.orca.OrcaModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code orca info}: what a model or body checkpoint is: architecture, parameter count, sequence limit, hidden size. */
@Command(name = "info", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Summarize a saved ORCA model, a run checkpoint or a body checkpoint.",
                "For an ORCA model or checkpoint: task, patch size, progress. For every model and body (Hugging Face directory,",
                "'orca convert' output or the built-in --minilm): architecture, parameter count, sequence limit and hidden size."},
        footer = {"%nExamples:", "  orca info runs/ecg/models/orca-seed0.safetensors", "  orca info --minilm"})
public final class InfoCommand implements Callable<Integer> {
    static final class What {
        @Parameters(paramLabel = "PATH", description = "A .safetensors file (ORCA model, checkpoint or converted body) or a Hugging Face directory.")
        Path path;
        @Option(names = "--minilm", description = "The all-MiniLM-L6-v2 body embedded in this jar.")
        boolean minilm;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Override
    public Integer call() throws Exception {
        if (what.minilm) {
            body("built-in all-MiniLM-L6-v2", Bodies.miniLm());
            return 0;
        }
        Path p = what.path;
        if (Files.isRegularFile(p) && Checkpoint.KIND.equals(Safetensors.read(p).metadata().get(Checkpoint.KIND_KEY))) {
            orcaModel(Checkpoint.read(p));
        } else {
            body(p.toString(), Bodies.load(p));
        }
        return 0;
    }

    private static void orcaModel(Checkpoint.Loaded c) {
        OrcaModel m = c.model();
        Checkpoint.State s = c.state();
        System.out.println(c.file() + ": ORCA model, " + switch (s.stage()) {
            case ALIGN -> "checkpoint in stage 2 after epoch " + s.align().epochsDone();
            case REFINE -> s.refine().epoch() == 1 && s.refine().batch() == 0 ? "ready for stage 3 (aligned" + (s.alignResult() == null ? "" : ", " + fmt(s.alignResult().before()) + " -> " + fmt(s.alignResult().after())) + ")"
                    : "checkpoint in stage 3 at epoch " + s.refine().epoch() + ", batch " + s.refine().batch() + " (" + s.refine().steps() + " optimizer steps)";
            case DONE -> "finished (" + s.outcome().method().name().toLowerCase(Locale.ROOT) + ", test " + s.outcome().refine().test() + ")";
        });
        System.out.println("  task: " + c.task());
        System.out.println("  embedder: patch k=" + m.embedder.plan.k() + ", " + m.embedder.plan.tokens() + " tokens of width " + m.embedder.dim
                + "; head: " + (m.predictor.linear == null ? "pooled dense (no parameters)" : "linear"));
        System.out.println("  parameters: " + m.parameterCount() + " (embedder " + m.embedder.parameterCount() + ", body " + m.body.module().parameterCount()
                + ", head " + m.predictor.parameterCount() + ")");
        if (!c.optimizer().isEmpty()) System.out.println("  optimizer state: " + c.optimizer().size() + " tensors");
        architecture(c.config(), m.body);
    }

    private static void body(String source, Body b) {
        System.out.println(source + ": " + b.config().modelType() + " body");
        System.out.println("  parameters: " + b.module().parameterCount());
        architecture(b.config(), b);
    }

    private static void architecture(HfConfig config, Body b) {
        switch (config) {
            case BertConfig c -> System.out.println("  architecture: " + c.modelType() + ", " + c.numHiddenLayers() + " layers, " + c.numAttentionHeads() + " heads, intermediate "
                    + c.intermediateSize() + ", " + c.hiddenAct() + ", vocabulary " + c.vocabSize() + (b.module().namedParameters().keySet().stream().noneMatch(n -> n.startsWith("pooler.")) ? ", no pooler" : ""));
            case SwinConfig c -> System.out.println("  architecture: swin, image " + c.imageSize() + ", patch " + c.patchSize() + ", window " + c.windowSize() + ", depths "
                    + Arrays.toString(c.depths()) + ", heads " + Arrays.toString(c.numHeads()));
        }
        System.out.println("  hidden size: " + b.hiddenSize() + " (token width " + b.inputDim() + "), sequence limit: " + b.sequenceLimit() + " tokens");
    }

    private static String fmt(double v) { return String.format(Locale.ROOT, "%.4g", v); }
}
