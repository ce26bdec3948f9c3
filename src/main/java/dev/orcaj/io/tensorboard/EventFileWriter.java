package dev.orcaj.io.tensorboard;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One TensorBoard event file, {@code DIR/events.out.tfevents.<seconds>.<host>}: TFRecords of {@code Event} messages
 * (tensorflow/core/util/event.proto: wall_time = 1, step = 2, file_version = 3, summary = 5), the first one carrying
 * file_version "brain.Event:2". Appended as training runs; {@link #flush()} hands the buffer to the OS so a live
 * TensorBoard (which re-reads the file's tail) sees it. A crash leaves at most one partial record at the end, which
 * TensorBoard and {@link EventFileReader} both treat as not yet written.
 */
public final class EventFileWriter implements AutoCloseable {
    static final String FILE_PREFIX = "events.out.tfevents.";
    private final Path file;
    private final OutputStream out;

    public EventFileWriter(Path dir) throws IOException {
        Files.createDirectories(dir);
        String base = FILE_PREFIX + System.currentTimeMillis() / 1000 + "." + host();
        Path f = dir.resolve(base);
        OutputStream o = null;
        for (int n = 1; o == null; n++) { // two writers in one second in one folder (a resumed run) get distinct files
            try {
                o = Files.newOutputStream(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                f = dir.resolve(base + "." + n);
            }
        }
        this.file = f;
        this.out = new BufferedOutputStream(o);
        writeEvent(new ProtoWriter().doubleField(1, now()).varint(2, 0).string(3, "brain.Event:2"));
        flush();
    }

    public Path file() { return file; }

    /** A scalar summary: Summary.Value{tag = 1, simple_value = 2}. */
    public synchronized void scalar(String tag, long step, double value) throws IOException {
        summary(step, new ProtoWriter().string(1, tag).floatField(2, (float) value));
    }

    /** An event whose summary holds the one {@code Summary.Value} given (already encoded). */
    synchronized void summary(long step, ProtoWriter value) throws IOException {
        writeEvent(new ProtoWriter().doubleField(1, now()).varint(2, step).message(5, new ProtoWriter().message(1, value)));
    }

    public synchronized void flush() throws IOException { out.flush(); }

    @Override
    public synchronized void close() throws IOException { out.close(); }

    private void writeEvent(ProtoWriter event) throws IOException { TfRecord.write(out, event.toBytes()); }

    private static double now() { return System.currentTimeMillis() / 1000.0; }

    private static String host() {
        String h;
        try {
            h = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            h = "localhost";
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
