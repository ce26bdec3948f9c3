package dev.orcaj.dashboard;

import dev.orcaj.io.tensorboard.EventFileReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scalars of event files already read, so a poll of a live run reads only the records appended since the last
 * poll (event files only grow; a file that shrank was replaced and is read again from the start).
 */
final class EventFileCache {
    private record Entry(long end, List<EventFileReader.Scalar> scalars) {}

    private final Map<Path, Entry> files = new ConcurrentHashMap<>();

    List<EventFileReader.Scalar> read(Path file) throws IOException {
        long size = Files.size(file);
        Entry e = files.get(file);
        if (e == null || size < e.end()) e = new Entry(0, List.of());
        if (size > e.end()) {
            EventFileReader.Chunk more = EventFileReader.readFrom(file, e.end());
            List<EventFileReader.Scalar> all = new ArrayList<>(e.scalars());
            all.addAll(more.scalars());
            e = new Entry(more.end(), List.copyOf(all));
            files.put(file, e);
        }
        return e.scalars();
    }
}
