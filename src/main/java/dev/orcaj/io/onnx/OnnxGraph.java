package dev.orcaj.io.onnx;

import dev.orcaj.io.DType;
import dev.orcaj.io.NdArray;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX model needed to recover weights (field numbers from onnx/onnx.proto, IR version 3+):
 * ModelProto.graph (7) -> GraphProto.node (1), GraphProto.initializer (5); NodeProto input (1), output (2),
 * name (3), op_type (4), attribute (5); TensorProto dims (1), data_type (2), float_data (4), int32_data (5),
 * int64_data (7), name (8), raw_data (9), double_data (10), data_location (14).
 * Tensors of {@code Constant} nodes (attribute "value") are collected too, keyed by the node's output.
 *
 * @param initializers initializer name -> array (C order, as ONNX stores it)
 * @param constants    Constant-node output name -> array
 * @param nodes        the nodes in graph order
 */
public record OnnxGraph(Map<String, NdArray> initializers, Map<String, NdArray> constants, List<Node> nodes) {

    /** A graph node: operator type, its name (may be empty) and its input/output value names. */
    public record Node(String name, String opType, List<String> inputs, List<String> outputs) {}

    public OnnxGraph {
        initializers = Collections.unmodifiableMap(initializers);
        constants = Collections.unmodifiableMap(constants);
        nodes = List.copyOf(nodes);
    }

    public static OnnxGraph read(Path file) throws IOException {
        dev.orcaj.io.HeapBudget.requireFile(file, 2, "the ONNX graph and its float32 initializers");
        return parse(ByteBuffer.wrap(Files.readAllBytes(file)), file.toString());
    }

    public static OnnxGraph read(InputStream in, String source) throws IOException {
        return parse(ByteBuffer.wrap(in.readAllBytes()), source);
    }

    /** Parses a serialized ModelProto; {@code source} names it in errors. Tensor data views {@code model}. */
    public static OnnxGraph parse(ByteBuffer model, String source) {
        ProtoReader m = new ProtoReader(model, source);
        ByteBuffer graph = null;
        while (m.next()) {
            if (m.field() == 7 && m.wireType() == ProtoReader.LEN) graph = m.bytes();
            else m.skip();
        }
        if (graph == null) throw new OnnxFormatException(source + ": no graph in the ONNX model (ModelProto field 7)");
        Map<String, NdArray> inits = new LinkedHashMap<>();
        Map<String, NdArray> constants = new LinkedHashMap<>();
        List<Node> nodes = new ArrayList<>();
        ProtoReader g = new ProtoReader(graph, source + " graph");
        while (g.next()) {
            switch (g.field()) {
                case 1 -> {
                    ByteBuffer nodeBytes = g.bytes();
                    Node n = parseNode(nodeBytes.duplicate(), source);
                    nodes.add(n);
                    if (n.opType.equals("Constant") && !n.outputs.isEmpty()) {
                        NdArray value = constantValue(nodeBytes, source);
                        if (value != null) constants.put(n.outputs.getFirst(), value);
                    }
                }
                case 5 -> {
                    NamedTensor t = parseTensor(g.bytes(), source);
                    inits.put(t.name, t.array);
                }
                default -> g.skip();
            }
        }
        return new OnnxGraph(inits, constants, nodes);
    }

    private static Node parseNode(ByteBuffer bytes, String source) {
        ProtoReader r = new ProtoReader(bytes, source + " node");
        List<String> in = new ArrayList<>(), out = new ArrayList<>();
        String name = "", op = "";
        while (r.next()) {
            switch (r.field()) {
                case 1 -> in.add(r.string());
                case 2 -> out.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                default -> r.skip();
            }
        }
        return new Node(name, op, in, out);
    }

    /** The tensor attribute "value" of a Constant node (AttributeProto: name 1, t 5); null when it has another form. */
    private static NdArray constantValue(ByteBuffer nodeBytes, String source) {
        ProtoReader r = new ProtoReader(nodeBytes, source + " node");
        while (r.next()) {
            if (r.field() != 5) { r.skip(); continue; }
            ProtoReader a = new ProtoReader(r.bytes(), source + " attribute");
            String attrName = "";
            ByteBuffer tensor = null;
            while (a.next()) {
                if (a.field() == 1) attrName = a.string();
                else if (a.field() == 5) tensor = a.bytes();
                else a.skip();
            }
            if (attrName.equals("value") && tensor != null) return parseTensor(tensor, source).array;
        }
        return null;
    }

    private record NamedTensor(String name, NdArray array) {}

    private static NamedTensor parseTensor(ByteBuffer bytes, String source) {
        ProtoReader r = new ProtoReader(bytes, source + " tensor");
        List<Long> dims = new ArrayList<>();
        int dataType = 0;
        String name = "";
        ByteBuffer raw = null;
        TypedValues values = new TypedValues();
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.readVarints(dims::add);
                case 2 -> dataType = (int) r.varint();
                case 4 -> r.readFixed32s(values::addBits32);
                case 5, 7 -> r.readVarints(values::addLong);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 10 -> r.readFixed64s(values::addLong);
                case 14 -> external = r.varint() == 1;
                default -> r.skip();
            }
        }
        String where = source + ": tensor '" + name + "'";
        if (external) throw new OnnxFormatException(where + " uses external data, which is not supported (export with all weights inside the model)");
        DType dtype = switch (dataType) {
            case 1 -> DType.F32;
            case 2 -> DType.U8;
            case 6 -> DType.I32;
            case 7 -> DType.I64;
            case 9 -> DType.BOOL;
            case 10 -> DType.F16;
            case 11 -> DType.F64;
            case 16 -> DType.BF16;
            default -> throw new OnnxFormatException(where + ": unsupported ONNX data_type " + dataType);
        };
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long numel;
        try {
            numel = NdArray.numel(shape);
        } catch (ArithmeticException overflow) { // found by OnnxFuzzTest: was a bare "long overflow"
            throw new OnnxFormatException(where + ": dims " + java.util.Arrays.toString(shape) + " hold more than 2^63 elements");
        }
        ByteBuffer data = raw != null ? raw : values.toBytes(dtype, numel, where);
        if (data.remaining() != numel * dtype.byteSize()) {
            throw new OnnxFormatException(where + ": " + data.remaining() + " data bytes for " + dtype + " " + java.util.Arrays.toString(shape));
        }
        return new NamedTensor(name, NdArray.wrap(dtype, shape, data));
    }

    /**
     * Values from the typed repeated fields. Per onnx.proto: float_data holds FLOAT; int32_data holds INT32, UINT8,
     * BOOL and the raw bits of FLOAT16/BFLOAT16; int64_data INT64; double_data (bits) DOUBLE.
     */
    private static final class TypedValues {
        private long[] v = new long[16];
        private int n;

        void addLong(long x) {
            if (n == v.length) v = java.util.Arrays.copyOf(v, n * 2);
            v[n++] = x;
        }

        void addBits32(int bits) { addLong(bits & 0xFFFFFFFFL); }

        ByteBuffer toBytes(DType dtype, long numel, String where) {
            if (n != numel) throw new OnnxFormatException(where + ": has " + n + " typed values for " + numel + " elements");
            ByteBuffer b = ByteBuffer.allocate(n * dtype.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                switch (dtype.byteSize()) {
                    case 1 -> b.put((byte) v[i]);
                    case 2 -> b.putShort((short) v[i]);
                    case 4 -> b.putInt((int) v[i]);
                    default -> b.putLong(v[i]);
                }
            }
            return b.flip();
        }
    }
}
