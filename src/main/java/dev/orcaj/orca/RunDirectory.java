package dev.orcaj.orca;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The directory of an {@link Experiment} (the {@code --out} of {@code orca run}) while this process owns it. Opening it takes an OS lock on
 * {@value #LOCK_FILE} (held until {@link #close}; the OS drops it when the process dies, so a lock left by a killed
 * run is simply taken over), records the owner's pid there for the message another run gets, and removes the
 * temporary files a killed atomic write left behind. {@link #discardIfNothingUseful} removes what a run that failed
 * before producing anything created.
 */
public final class RunDirectory implements AutoCloseable {
    public static final String LOCK_FILE = ".orca.lock";
    /** Sub-folders that hold results; a run that leaves them empty and wrote no metrics produced nothing. */
    private static final List<String> RESULTS = List.of("checkpoints", "models");

    final Path dir;
    private final boolean created;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path dir, boolean created, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.created = created;
        this.channel = channel;
        this.lock = lock;
    }

    public static RunDirectory open(Path dir) throws IOException {
        boolean created = !Files.isDirectory(dir);
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK_FILE);
        FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM (another run in the same process)
        }
        String previous = owner(ch);
        if (lock == null) {
            ch.close();
            throw new IllegalStateException(dir + " is in use by another orca run (" + (previous.isEmpty() ? "owner unknown" : previous) + ", lock file " + lockFile
                    + "); wait for it to finish or stop it, or choose another --out");
        }
        if (!previous.isEmpty()) System.out.println("taking over " + lockFile + " left by " + previous + " (no longer running)");
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        ch.force(false);
        RunDirectory rd = new RunDirectory(dir, created, ch, lock);
        rd.removeStaleTemporaries();
        return rd;
    }

    private static String owner(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(64);
        ch.read(b, 0);
        return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
    }

    /** Temporary files of atomic writes (io.AtomicFiles: ".NAME.RANDOM.tmp") left by a process killed mid-write. */
    private void removeStaleTemporaries() throws IOException {
        for (Path folder : List.of(dir, dir.resolve("checkpoints"), dir.resolve("models"))) {
            if (!Files.isDirectory(folder)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(folder, ".*.tmp")) {
                for (Path p : s) {
                    if (!Files.isRegularFile(p)) continue;
                    long size = Files.size(p);
                    Files.delete(p);
                    System.out.println("removed " + p + " (" + size + " bytes), a partial write of an interrupted run");
                }
            }
        }
    }

    /**
     * After a failure: when the run produced nothing (no checkpoint, no model, no metrics.json), removes its run file
     * (if {@code ownRunFile}), the empty result folders and, if this run created the directory, the directory itself.
     */
    public void discardIfNothingUseful(boolean ownRunFile) {
        try {
            if (Files.exists(dir.resolve("metrics.json"))) return;
            for (String r : RESULTS) if (!isEmptyOrMissing(dir.resolve(r))) return;
            for (String r : RESULTS) Files.deleteIfExists(dir.resolve(r));
            deleteTree(dir.resolve(TensorBoardLog.DIR)); // the curves of a run that produced nothing else
            if (ownRunFile) Files.deleteIfExists(dir.resolve(RunFile.NAME));
            if (created) {
                close();
                Files.deleteIfExists(dir.resolve(LOCK_FILE));
                if (isEmptyOrMissing(dir)) Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            System.err.println("orca: could not clean up " + dir + ": " + e);
        }
    }

    private static void deleteTree(Path folder) throws IOException {
        if (!Files.isDirectory(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static boolean isEmptyOrMissing(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) return !Files.exists(folder);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(folder)) {
            return !s.iterator().hasNext();
        }
    }

    /** Releases the lock; the file stays (emptied), so that no second run can lock a file about to be deleted. */
    @Override
    public void close() throws IOException {
        if (!channel.isOpen()) return;
        try {
            if (Files.exists(dir.resolve(LOCK_FILE))) channel.truncate(0);
            lock.release();
        } finally {
            channel.close();
        }
    }
}
