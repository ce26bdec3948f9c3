package dev.orcaj.models;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.HeapBudget;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.SafetensorsCheckpoint;
import dev.orcaj.io.SwinConfig;
import dev.orcaj.io.onnx.OnnxBertArtifact;
import dev.orcaj.io.onnx.PretrainedBert;
import dev.orcaj.models.bert.BertModel;
import dev.orcaj.models.swin.SwinModel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Builds a {@link Body} from a config and weights, whatever the checkpoint's form. */
public final class Bodies {
    private Bodies() {}

    /**
     * A Hugging Face directory (config.json + model.safetensors or a sharded index) or an ORCA-J checkpoint file
     * (one .safetensors with the config in metadata key {@value EngineCheckpoint#CONFIG_KEY}).
     */
    public static Body load(Path path) throws IOException {
        return readWeights(path).build();
    }

    /** The weights {@link #load} builds a body from, read once (safetensors are memory-mapped, not copied to the heap). */
    public static Weights readWeights(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            Path configJson = path.resolve("config.json");
            if (!Files.isRegularFile(configJson)) throw new NoSuchFileException(configJson.toString(), null, "a Hugging Face checkpoint directory needs config.json");
            return new Weights(HfConfig.read(configJson), SafetensorsCheckpoint.open(path).tensors(), path.toString());
        }
        if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "no such checkpoint file or directory");
        EngineCheckpoint c = EngineCheckpoint.load(path);
        return new Weights(c.config(), c.tensors(), path.toString());
    }

    /**
     * A body's config and pretrained tensors as read from its file. {@link #build()} gives a fresh body each call: the
     * body's parameters are its own copy (training changes them), the tensors here stay as read, so one {@code Weights}
     * can serve many bodies without being read again.
     */
    public record Weights(HfConfig config, Map<String, NdArray> tensors, String source) {
        public Body build() { return fromWeights(config, tensors, source); }
    }

    /** The all-MiniLM-L6-v2 BERT body embedded in the jar (no pooler). */
    public static BertModel miniLm() throws IOException {
        return pretrained(OnnxBertArtifact.classpath(PretrainedBert.MINILM));
    }

    /** A pretrained ONNX BERT (MiniLM, bge-small, e5-small; no pooler) read from wherever its artifact lies. */
    public static BertModel pretrained(OnnxBertArtifact artifact) throws IOException {
        return BertModel.fromStateDict(artifact.model().config(), artifact.stateDict(), artifact.describe());
    }

    /** The weights {@link #pretrained} builds a body from. */
    public static Weights pretrainedWeights(OnnxBertArtifact artifact) throws IOException {
        return new Weights(artifact.model().config(), artifact.stateDict(), artifact.describe());
    }

    public static Body fromWeights(HfConfig config, Map<String, NdArray> tensors, String source) {
        config.requireLayersOf(tensors.keySet(), source); // before the model is allocated from the config
        long bytes = 0;
        for (NdArray a : tensors.values()) bytes += 4 * a.numel(); // the model holds every tensor as float32
        HeapBudget.require(bytes, source + ": the body's parameters (" + tensors.size() + " tensors)");
        return switch (config) {
            case BertConfig b -> BertModel.fromStateDict(b, tensors, source);
            case SwinConfig s -> SwinModel.fromStateDict(s, tensors, source);
        };
    }

    /** The architecture with random parameters (BERT/RoBERTa with a pooler). */
    public static Body random(HfConfig config, long seed) {
        return switch (config) {
            case BertConfig b -> new BertModel(b, true, seed);
            case SwinConfig s -> new SwinModel(s, seed);
        };
    }
}
