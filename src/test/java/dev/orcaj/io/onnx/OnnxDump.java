package dev.orcaj.io.onnx;
public class OnnxDump {
    public static void main(String[] a) throws Exception {
        var in = OnnxDump.class.getClassLoader().getResourceAsStream("all-minilm-l6-v2.onnx");
        OnnxGraph g = OnnxGraph.read(in, "minilm");
        g.initializers().forEach((k, v) -> System.out.println("INIT " + k + " " + v));
        g.constants().forEach((k, v) -> { if (v.numel() > 1) System.out.println("CONST " + k + " " + v); });
        java.util.Map<String,Integer> ops = new java.util.TreeMap<>();
        for (var n : g.nodes()) ops.merge(n.opType(), 1, Integer::sum);
        System.out.println(ops);
        for (var n : g.nodes()) if (n.opType().equals("MatMul") || n.opType().equals("Add") || n.opType().equals("Gather")) System.out.println(n);
    }
}
