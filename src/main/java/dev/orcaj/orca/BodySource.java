package dev.orcaj.orca;

import dev.orcaj.io.onnx.OnnxBertArtifact;
import dev.orcaj.io.onnx.PretrainedBert;
import dev.orcaj.io.tokenize.HfTokenizer;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Where a pretrained body comes from (the {@code --body} value): a {@link PretrainedBert} by name (from the classpath,
 * or {@code NAME=PATH} for its Maven jar or .onnx file), or a checkpoint (a Hugging Face directory or a converted
 * .safetensors file). Each {@link #load()} builds a fresh body; nothing keeps the weights in between.
 */
public sealed interface BodySource {

    /** The --body value that names this body. */
    String name();

    /** The pretrained weights, read now; {@link Bodies.Weights#build()} makes a fresh body of them. */
    Bodies.Weights weights() throws IOException;

    /** A fresh body with the pretrained weights. */
    default Body load() throws IOException { return weights().build(); }

    /** The text body's own tokenizer, or null where the source has none (an image body, a checkpoint without tokenizer.json). */
    TokenizerRef tokenizer() throws IOException;

    /** True where the tokenizer comes with the body, so a --tokenizer flag would contradict it. */
    boolean tokenizerBuiltIn();

    /** {@link #load()} as a supplier for the stages, each call a fresh body. */
    default Supplier<Body> supplier() {
        return () -> {
            try {
                return load();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
    }

    /**
     * Bodies for the scratch baseline, whose parameters {@link Body#reinitialize} replaces in full: this source's
     * architecture without its pretrained weights being read (for MiniLM the ONNX import: ~90 MB to inflate and
     * convert), after reinitialize bitwise the body a pretrained load gives. Null where the architecture is known only
     * from the weights' file (a checkpoint).
     */
    default Supplier<Body> scratchBodies() { return null; }

    /** A tokenizer and the id of its contents (keys the source-proxy cache). */
    record TokenizerRef(HfTokenizer tokenizer, String id) {}

    record Pretrained(String name, OnnxBertArtifact artifact) implements BodySource {
        @Override public Bodies.Weights weights() throws IOException { return Bodies.pretrainedWeights(artifact); }
        @Override public TokenizerRef tokenizer() throws IOException { return new TokenizerRef(artifact.tokenizer(), artifact.model().flag + ":" + artifact.tokenizerId()); }
        @Override public boolean tokenizerBuiltIn() { return true; }

        /** The ONNX import gives no pooler ({@link dev.orcaj.io.onnx.OnnxBertArtifact#stateDict}). */
        @Override public Supplier<Body> scratchBodies() { return () -> dev.orcaj.models.bert.BertModel.unloaded(artifact.model().config(), false); }
    }

    record Checkpoint(String name, Path path) implements BodySource {
        @Override public Bodies.Weights weights() throws IOException { return Bodies.readWeights(path); }

        @Override public TokenizerRef tokenizer() throws IOException {
            Path json = Files.isDirectory(path) ? path.resolve("tokenizer.json") : null;
            return json != null && Files.isRegularFile(json) ? new TokenizerRef(HfTokenizer.fromFile(json), SourceProxy.contentHash(json)) : null;
        }

        @Override public boolean tokenizerBuiltIn() { return false; }
    }

    /** The --body prefix that asks for selection by final OTDD. */
    String AUTO = "auto";

    static boolean isAuto(String spec) {
        return spec.equals(AUTO) || spec.startsWith(AUTO + ":");
    }

    /**
     * One body: minilm | bge-small | e5-small (from the classpath), NAME=PATH (the artifact's jar or an .onnx file),
     * or a checkpoint directory/file. Checked here (files exist, jars hold the model), without reading the weights.
     */
    static BodySource parse(String spec) throws IOException {
        if (isAuto(spec)) throw new IllegalArgumentException("--body " + spec + ": selection among bodies is done by orca run only; name one body here");
        int eq = spec.indexOf('=');
        PretrainedBert named = PretrainedBert.byFlag(eq < 0 ? spec : spec.substring(0, eq));
        if (named != null) {
            return new Pretrained(spec, eq < 0 ? OnnxBertArtifact.classpath(named) : OnnxBertArtifact.at(named, Path.of(spec.substring(eq + 1))));
        }
        Path p = Path.of(spec);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("--body " + spec + ": not a body: expected " + PretrainedBert.flags() + ", NAME=JAR_OR_ONNX, auto[:CANDIDATES], "
                    + "a Hugging Face checkpoint directory or a converted .safetensors file (no such file or directory)");
        }
        return new Checkpoint(spec, p);
    }

    /**
     * The candidates of {@code auto} (every {@link PretrainedBert} on the classpath; minilm always is) or
     * {@code auto:A,B,...} (each an item {@link #parse} accepts), in order, without duplicates. Fails naming the first
     * candidate that is not a body.
     */
    static List<BodySource> candidates(String spec) throws IOException {
        if (!isAuto(spec)) throw new IllegalArgumentException("--body " + spec + ": not an auto selection (expected auto or auto:A,B,...)");
        List<BodySource> out = new ArrayList<>();
        if (spec.equals(AUTO)) {
            for (PretrainedBert m : PretrainedBert.values()) if (OnnxBertArtifact.onClasspath(m)) out.add(new Pretrained(m.flag, OnnxBertArtifact.classpath(m)));
            return out;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (String item : spec.substring(AUTO.length() + 1).split(",", -1)) {
            String c = item.strip();
            if (c.isEmpty()) throw new IllegalArgumentException("--body " + spec + ": empty candidate (expected a comma list such as auto:minilm,bge-small,e5-small)");
            if (isAuto(c)) throw new IllegalArgumentException("--body " + spec + ": candidate '" + c + "' cannot itself be auto");
            if (!seen.add(c)) throw new IllegalArgumentException("--body " + spec + ": candidate '" + c + "' is listed twice");
            try {
                out.add(parse(c));
            } catch (IllegalArgumentException | IOException e) {
                throw new IllegalArgumentException("--body " + spec + ": candidate '" + c + "' is not a body: " + e.getMessage(), e);
            }
        }
        return out;
    }
}
