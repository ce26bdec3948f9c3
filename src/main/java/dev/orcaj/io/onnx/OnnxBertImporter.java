package dev.orcaj.io.onnx;

import dev.orcaj.io.BertConfig;
import dev.orcaj.io.DType;
import dev.orcaj.io.NdArray;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recovers a Hugging Face BERT state dict from a PyTorch-exported ONNX graph. Initializers that kept their
 * parameter names are taken as they are (a leading "bert." is stripped). torch.onnx gives the weights of
 * {@code nn.Linear} anonymous names ({@code onnx::MatMul_N}) because it exports {@code x @ W.T} with the transposed
 * weight as a new constant: such a MatMul feeds an Add whose other input is the named bias, so the weight takes the
 * bias's name with ".weight" and is transposed back from ONNX [in, out] to torch [out, in].
 */
public final class OnnxBertImporter {
    /** Buffers that torch exports but that are not learned parameters of the HF state dict used here. */
    private static final List<String> BUFFERS = List.of("embeddings.position_ids", "embeddings.token_type_ids");

    private OnnxBertImporter() {}

    /**
     * The state dict, checked against {@code config.stateDictShapes(includePooler)}: every expected name present with
     * its shape, and no leftover initializer. {@code source} names the model in errors.
     */
    public static Map<String, NdArray> stateDict(OnnxGraph graph, BertConfig config, boolean includePooler, String source) {
        Map<String, NdArray> named = new LinkedHashMap<>();
        Map<String, NdArray> anonymous = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : graph.initializers().entrySet()) {
            String name = e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey();
            if (BUFFERS.contains(name)) continue;
            if (name.startsWith("onnx::")) anonymous.put(e.getKey(), e.getValue());
            else named.put(name, e.getValue());
        }

        Map<String, List<OnnxGraph.Node>> consumers = new HashMap<>();
        for (OnnxGraph.Node n : graph.nodes()) for (String in : n.inputs()) consumers.computeIfAbsent(in, k -> new java.util.ArrayList<>()).add(n);

        Map<String, NdArray> out = new TreeMap<>(named);
        for (OnnxGraph.Node mm : graph.nodes()) {
            if (!mm.opType().equals("MatMul") || mm.inputs().size() != 2 || !anonymous.containsKey(mm.inputs().get(1))) continue;
            String weightInit = mm.inputs().get(1);
            String biasName = followToBias(mm, consumers, graph, source);
            String weightName = biasName.substring(0, biasName.length() - ".bias".length()) + ".weight";
            if (out.containsKey(weightName)) throw new OnnxFormatException(source + ": two MatMul weights map to '" + weightName + "'");
            out.put(weightName, transpose2d(anonymous.remove(weightInit), weightInit, source));
        }
        if (!anonymous.isEmpty()) {
            throw new OnnxFormatException(source + ": initializers not reached by a MatMul -> Add(bias) pattern: " + anonymous.keySet());
        }
        check(out, config.stateDictShapes(includePooler), source);
        return out;
    }

    /** The named bias initializer of the Add that consumes the MatMul's output. */
    private static String followToBias(OnnxGraph.Node mm, Map<String, List<OnnxGraph.Node>> consumers, OnnxGraph graph, String source) {
        for (OnnxGraph.Node add : consumers.getOrDefault(mm.outputs().getFirst(), List.of())) {
            if (!add.opType().equals("Add")) continue;
            for (String in : add.inputs()) {
                if (in.equals(mm.outputs().getFirst())) continue;
                String name = in.startsWith("bert.") ? in.substring(5) : in;
                if (graph.initializers().containsKey(in) && name.endsWith(".bias")) return name;
            }
        }
        throw new OnnxFormatException(source + ": MatMul '" + mm.name() + "' with weight " + mm.inputs().get(1)
                + " is not followed by an Add of a named '.bias' initializer; cannot name its weight");
    }

    /** [in, out] -> [out, in] (torch.nn.Linear stores weight as [out_features, in_features]). */
    static NdArray transpose2d(NdArray a, String name, String source) {
        if (a.rank() != 2 || a.dtype() != DType.F32) throw new OnnxFormatException(source + ": MatMul weight " + name + " is " + a + ", expected a 2-D F32 matrix");
        int rows = Math.toIntExact(a.shape()[0]), cols = Math.toIntExact(a.shape()[1]);
        float[] src = a.toFloats();
        float[] dst = new float[src.length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < cols; c++) dst[c * rows + r] = src[r * cols + c];
        ByteBuffer b = ByteBuffer.allocate(dst.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(dst);
        return NdArray.wrap(DType.F32, new long[]{cols, rows}, b);
    }

    /** Every expected name present with the expected shape, nothing else; otherwise one error listing all problems. */
    static void check(Map<String, NdArray> actual, Map<String, long[]> expected, String source) {
        List<String> missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).toList();
        List<String> extra = actual.keySet().stream().filter(k -> !expected.containsKey(k)).toList();
        List<String> wrongShape = expected.entrySet().stream()
                .filter(e -> actual.containsKey(e.getKey()) && !Arrays.equals(actual.get(e.getKey()).shape(), e.getValue()))
                .map(e -> e.getKey() + " is " + Arrays.toString(actual.get(e.getKey()).shape()) + ", expected " + Arrays.toString(e.getValue()))
                .toList();
        if (!missing.isEmpty() || !extra.isEmpty() || !wrongShape.isEmpty()) {
            throw new OnnxFormatException(source + ": not a complete BERT state dict: missing " + missing + "; unexpected " + extra + "; wrong shapes " + wrongShape);
        }
    }
}
