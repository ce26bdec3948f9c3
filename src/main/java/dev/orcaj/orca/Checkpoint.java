package dev.orcaj.orca;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orcaj.io.EngineCheckpoint;
import dev.orcaj.io.HfConfig;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Safetensors;
import dev.orcaj.models.Bodies;
import dev.orcaj.models.Body;
import dev.orcaj.tensor.DType;
import dev.orcaj.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A run checkpoint or a saved ORCA model: ONE safetensors file, written atomically, holding
 * <ul>
 *   <li>the model's parameters under their dotted names ({@code embedder.*}, {@code body.*}, {@code predictor.*}), F32;</li>
 *   <li>{@code optimizer.<param>.<buffer>} and {@code optimizer.<param>.step}: the optimizer state (mid-stage checkpoints only);</li>
 *   <li>{@code best.<param>}: stage 3's best-on-validation snapshot so far (mid-stage-3 checkpoints only);</li>
 * </ul>
 * and metadata: {@value #KIND_KEY} = {@value #KIND}, {@value EngineCheckpoint#CONFIG_KEY} (the body's HF config),
 * {@value #TASK_KEY} (the task the head was built for), {@value #HEAD_KEY} (patch k, pooled dense head),
 * {@value #SETTINGS_KEY} (the command-line settings of the run, flag to value) and {@value #STATE_KEY} (where the
 * run stands, see {@link State}). Parameters round-trip bit for bit, which is what makes a resumed run identical to
 * an uninterrupted one.
 */
public final class Checkpoint {
    public static final String KIND_KEY = "orcaj.kind", KIND = "orca-model";
    public static final String TASK_KEY = "orcaj.task", HEAD_KEY = "orcaj.head", SETTINGS_KEY = "orcaj.settings", STATE_KEY = "orcaj.state";
    static final String OPTIMIZER = "optimizer.", BEST = "best.";
    static final ObjectMapper JSON = JsonMapper.builder().build();

    public enum Stage { ALIGN, REFINE, DONE }

    /**
     * Where a run stands. {@code align} is the stage-2 position (stage ALIGN); {@code alignResult} is set once stage 2
     * has finished; {@code refine} is the stage-3 position (stage REFINE); {@code outcome} is the finished run (DONE).
     */
    public record State(Stage stage, AlignStage.Position align, AlignStage.Result alignResult, RefineStage.Position refine, OrcaRun.Outcome outcome) {
        /** Stage 3 about to start (after stage 2, or for a model to be fine-tuned). */
        public static State refineStart(AlignStage.Result alignResult) { return new State(Stage.REFINE, null, alignResult, RefineStage.Position.START, null); }
    }

    /** A checkpoint file as read; {@link #model()} rebuilds the network. */
    public record Loaded(Path file, State state, TaskSpec task, HfConfig config, int patch, boolean pooledDense, Map<String, String> settings,
                         Map<String, NdArray> modelTensors, Map<String, Tensor> optimizer, Map<String, Tensor> best) {

        /** The network with the saved parameters: body from the stored config, embedder and predictor for the stored task. */
        public OrcaModel model() {
            Map<String, NdArray> body = new LinkedHashMap<>();
            modelTensors.forEach((n, a) -> { if (n.startsWith("body.")) body.put(n.substring(5), a); });
            try {
                Body b = Bodies.fromWeights(config, body, file.toString());
                SplittableRandom overwritten = new SplittableRandom(0); // the initial values are replaced by the saved ones below
                Embedder embedder = new Embedder(task, b, patch, overwritten);
                OrcaModel m = new OrcaModel(embedder, b, new Predictor(task, embedder.plan, b, pooledDense, overwritten));
                Map<String, Tensor> all = new LinkedHashMap<>();
                modelTensors.forEach((n, a) -> all.put(n, toTensor(a)));
                m.loadStateDict(all, true);
                return m;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": the saved parameters do not fit the stored model description: " + e.getMessage(), e);
            }
        }

        /** The same weights as the start of stage 3 (no optimizer state, no snapshot): what fine-tuning a saved model begins with. */
        public Loaded asRefineStart() {
            AlignStage.Result align = state.alignResult() != null ? state.alignResult() : state.outcome() != null ? state.outcome().align() : null;
            return new Loaded(file, State.refineStart(align), task, config, patch, pooledDense, settings, modelTensors, Map.of(), Map.of());
        }

        /**
         * Throws unless the model was built for a task with the same channels, dimensionality, output kind and width. The
         * spatial extent may differ (zero-shot resolution transfer, paper Table 16): the embedder keeps its k and the
         * forward pass checks that the body has positions for the resulting tokens.
         */
        public void requireTask(TaskSpec other, String dataDescription) {
            if (task.inputShape().length != other.inputShape().length || task.channels() != other.channels() || task.kind() != other.kind() || task.outputs() != other.outputs()) {
                throw new IllegalArgumentException(file + ": the model was built for task " + task + ", but " + dataDescription + " is " + other
                        + " (channels, dimensionality, output kind and number of outputs must match)");
            }
        }
    }

    private Checkpoint() {}

    /** Writes {@code model} and the given state atomically; {@code optimizer} and {@code best} may be empty. */
    public static void write(Path file, OrcaModel model, State state, Map<String, Tensor> optimizer, Map<String, Tensor> best, Map<String, String> settings) throws IOException {
        Map<String, NdArray> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((n, p) -> tensors.put(n, toNdArray(p.get()))); // buffers too: a dense head's target normalizer
        optimizer.forEach((n, t) -> tensors.put(OPTIMIZER + n, toNdArray(t)));
        best.forEach((n, t) -> tensors.put(BEST + n, toNdArray(t)));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(KIND_KEY, KIND);
        meta.put(EngineCheckpoint.CONFIG_KEY, model.body.config().toJson());
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("name", model.predictor.task.name());
        task.put("input_shape", model.predictor.task.inputShape());
        task.put("kind", model.predictor.task.kind().name().toLowerCase(Locale.ROOT));
        task.put("outputs", model.predictor.task.outputs());
        task.put("loss", model.predictor.task.loss().flag());
        meta.put(TASK_KEY, JSON.writeValueAsString(task));
        meta.put(HEAD_KEY, JSON.writeValueAsString(Map.of("patch", model.embedder.plan.k(), "pooled_dense", model.predictor.linear == null)));
        meta.put(SETTINGS_KEY, JSON.writeValueAsString(settings));
        meta.put(STATE_KEY, JSON.writeValueAsString(state));
        Safetensors.write(file, tensors, meta);
    }

    /** Reads a file written by {@link #write}; every problem names the file and what was expected. */
    public static Loaded read(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        if (!KIND.equals(meta.get(KIND_KEY))) {
            throw new IllegalArgumentException(file + ": not an ORCA-J model or checkpoint (no " + KIND_KEY + "=" + KIND + " in its metadata"
                    + (meta.containsKey(EngineCheckpoint.CONFIG_KEY) ? "; it is a body checkpoint from 'orca convert': pass it as --body" : "") + ")");
        }
        HfConfig config = HfConfig.parse(required(file, meta, EngineCheckpoint.CONFIG_KEY), file + " metadata " + EngineCheckpoint.CONFIG_KEY);
        TaskSpec task = parseTask(file, required(file, meta, TASK_KEY));
        JsonNode head = tree(file, HEAD_KEY, required(file, meta, HEAD_KEY));
        State state = parse(file, STATE_KEY, required(file, meta, STATE_KEY), State.class);
        @SuppressWarnings("unchecked")
        Map<String, String> settings = parse(file, SETTINGS_KEY, meta.getOrDefault(SETTINGS_KEY, "{}"), Map.class);
        Map<String, NdArray> model = new LinkedHashMap<>();
        Map<String, Tensor> optimizer = new LinkedHashMap<>(), best = new LinkedHashMap<>();
        c.tensors().forEach((n, a) -> {
            if (n.startsWith(OPTIMIZER)) optimizer.put(n.substring(OPTIMIZER.length()), toTensor(a));
            else if (n.startsWith(BEST)) best.put(n.substring(BEST.length()), toTensor(a));
            else model.put(n, a);
        });
        if (state.stage() == null || (state.stage() == Stage.ALIGN && state.align() == null) || (state.stage() == Stage.REFINE && state.refine() == null)
                || (state.stage() == Stage.DONE && state.outcome() == null)) {
            throw new IllegalArgumentException(file + ": metadata " + STATE_KEY + " is incomplete for stage " + state.stage());
        }
        return new Loaded(file, state, task, config, head.path("patch").asInt(0), head.path("pooled_dense").asBoolean(false), settings, model, optimizer, best);
    }

    private static TaskSpec parseTask(Path file, String json) {
        JsonNode t = tree(file, TASK_KEY, json);
        JsonNode shape = t.path("input_shape");
        if (!shape.isArray() || !t.path("kind").isTextual() || !t.path("outputs").isInt()) {
            throw new IllegalArgumentException(file + ": metadata " + TASK_KEY + " needs input_shape (array), kind and outputs, got " + json);
        }
        int[] s = new int[shape.size()];
        for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asInt();
        TaskSpec.OutputKind kind;
        try {
            kind = TaskSpec.OutputKind.valueOf(t.path("kind").asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": metadata " + TASK_KEY + ": unknown kind '" + t.path("kind").asText() + "'");
        }
        TaskSpec.Loss loss;
        try {
            loss = t.has("loss") ? TaskSpec.Loss.parse(t.path("loss").asText()) : kind.defaultLoss(); // files from before the loss was stored
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": metadata " + TASK_KEY + ": unknown loss '" + t.path("loss").asText() + "'");
        }
        return new TaskSpec(t.path("name").asText("task"), s, kind, t.path("outputs").asInt(), loss);
    }

    private static String required(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        if (v == null) throw new IllegalArgumentException(file + ": metadata key '" + key + "' is missing");
        return v;
    }

    private static JsonNode tree(Path file, String key, String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": metadata " + key + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static <T> T parse(Path file, String key, String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": metadata " + key + " is malformed: " + e.getOriginalMessage());
        }
    }

    /** F64 tensors (optimizer step counts) stay F64; everything else is stored as F32. */
    static NdArray toNdArray(Tensor t) {
        return t.dtype() == DType.F64 ? NdArray.ofDoubles(t.toDoubleArray(), t.shape()) : NdArray.ofFloats(t.toFloatArray(), t.shape());
    }

    static Tensor toTensor(NdArray a) {
        return a.dtype() == dev.orcaj.io.DType.F64 ? Tensor.of(a.toDoubles(), a.intShape()) : Tensor.of(a.toFloats(), a.intShape());
    }
}
