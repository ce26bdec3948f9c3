package dev.orcaj.io.tensorboard;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The records of TensorBoard's HParams plugin, so its HParams tab compares a search's trials: one {@code experiment}
 * record in the search's log directory (the hyperparameters and metrics to show as columns) and, in each trial's own
 * subdirectory, a {@code session_start_info} (that trial's values), its metric scalars and a {@code session_end_info}.
 * Each record is a Summary.Value tagged {@code _hparams_/...} whose metadata names plugin "hparams" and carries an
 * {@code HParamsPluginData} message (tensorboard/plugins/hparams/plugin_data.proto and api.proto), with the plugin's
 * empty float tensor as value (tensorboard/plugins/hparams/metadata.py NULL_TENSOR), which TensorBoard's data
 * provider needs to list the record.
 */
public final class HParams {
    /** api.proto Status. */
    public enum Status { UNKNOWN, SUCCESS, FAILURE, RUNNING }

    /** A column of the HParams tab: a hyperparameter's name and the kind of its values (String, Boolean or a Number). */
    public record HParam(String name, Class<?> type) {}

    private HParams() {}

    /**
     * Writes the experiment record of a search into {@code logDir} (a file of its own). {@code metricTags} are scalar
     * tags that the trials write in their own directories (e.g. "validation/accuracy").
     */
    public static void writeExperiment(Path logDir, List<HParam> hparams, List<String> metricTags) throws IOException {
        ProtoWriter experiment = new ProtoWriter().doubleField(3, System.currentTimeMillis() / 1000.0); // time_created_secs
        for (HParam h : hparams) experiment.message(4, new ProtoWriter().string(1, h.name()).varint(4, dataType(h.type()))); // hparam_infos
        for (String tag : metricTags) experiment.message(5, new ProtoWriter().message(1, new ProtoWriter().string(2, tag))); // metric_infos{name{tag}}
        try (EventFileWriter w = new EventFileWriter(logDir)) {
            w.summary(0, record("_hparams_/experiment", 2, experiment));
        }
    }

    /** One trial's session: its own event file in {@code sessionDir}, a start record now, metrics, an end record. */
    public static Session startSession(Path sessionDir, Map<String, ?> hparams) throws IOException {
        return new Session(new EventFileWriter(sessionDir), hparams);
    }

    public static final class Session implements AutoCloseable {
        private final EventFileWriter writer;
        private boolean ended;

        private Session(EventFileWriter writer, Map<String, ?> hparams) throws IOException {
            this.writer = writer;
            ProtoWriter start = new ProtoWriter();
            for (var e : hparams.entrySet()) start.message(1, new ProtoWriter().string(1, e.getKey()).message(2, value(e.getKey(), e.getValue()))); // map entry
            start.doubleField(5, System.currentTimeMillis() / 1000.0); // start_time_secs
            writer.summary(0, record("_hparams_/session_start_info", 3, start));
            writer.flush();
        }

        public Path file() { return writer.file(); }

        /** Scalars {@code prefix + name} at {@code step} (e.g. a rung's validation metrics at its epoch count), flushed. */
        public void metrics(long step, String prefix, Map<String, Double> values) throws IOException {
            for (var e : values.entrySet()) writer.scalar(prefix + e.getKey(), step, e.getValue());
            writer.flush();
        }

        /** The end record; a session closed without one stays RUNNING in TensorBoard. */
        public void end(Status status) throws IOException {
            ProtoWriter end = new ProtoWriter().varint(1, status.ordinal()).doubleField(2, System.currentTimeMillis() / 1000.0);
            writer.summary(0, record("_hparams_/session_end_info", 4, end));
            writer.flush();
            ended = true;
        }

        public boolean ended() { return ended; }

        @Override
        public void close() throws IOException { writer.close(); }
    }

    /** Summary.Value{tag = 1, tensor = 8 (NULL_TENSOR), metadata = 9 {plugin_data = 1 {plugin_name = 1, content = 2}}}. */
    private static ProtoWriter record(String tag, int dataField, ProtoWriter data) {
        byte[] content = new ProtoWriter().message(dataField, data).toBytes(); // HParamsPluginData{version = 0 (default, omitted), oneof data}
        ProtoWriter nullTensor = new ProtoWriter().varint(1, 1) // dtype DT_FLOAT
                .message(2, new ProtoWriter().message(2, new ProtoWriter())); // tensor_shape{dim{size = 0}}: a length-0 vector
        ProtoWriter pluginData = new ProtoWriter().string(1, "hparams").bytes(2, content);
        return new ProtoWriter().string(1, tag).message(8, nullTensor).message(9, new ProtoWriter().message(1, pluginData));
    }

    /** google.protobuf.Value: number_value = 2, string_value = 3, bool_value = 4. */
    private static ProtoWriter value(String name, Object v) {
        return switch (v) {
            case Number n -> new ProtoWriter().doubleField(2, n.doubleValue());
            case Boolean b -> new ProtoWriter().varint(4, b ? 1 : 0);
            case String s -> new ProtoWriter().string(3, s);
            case null, default -> throw new IllegalArgumentException("hyperparameter " + name + ": expected a number, boolean or string, got " + v);
        };
    }

    /** api.proto DataType: STRING = 1, BOOL = 2, FLOAT64 = 3. */
    private static int dataType(Class<?> type) {
        if (type == String.class) return 1;
        if (type == Boolean.class) return 2;
        if (Number.class.isAssignableFrom(type)) return 3;
        throw new IllegalArgumentException("hyperparameter type: expected String, Boolean or a Number, got " + type.getName());
    }
}
