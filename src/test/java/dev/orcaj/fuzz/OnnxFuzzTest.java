package dev.orcaj.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.onnx.OnnxGraph;

import java.nio.ByteBuffer;

/** Fuzzes the ONNX protobuf reader (ModelProto, graph, nodes, initializers, Constant tensors); see {@link ParserProperty}. */
class OnnxFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) {
        check(data);
    }

    static void check(byte[] data) {
        ParserProperty.assertHolds("fuzzed.onnx", () -> {
            OnnxGraph g = OnnxGraph.parse(ByteBuffer.wrap(data), "fuzzed.onnx");
            g.initializers().values().forEach(NdArray::toDoubles);
            g.constants().values().forEach(NdArray::toDoubles);
            return null;
        });
    }
}
