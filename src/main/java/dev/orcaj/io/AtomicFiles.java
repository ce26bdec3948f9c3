package dev.orcaj.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes a file so that readers see either the old or the complete new content: temp file in the same folder, then rename. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** Body of an atomic write; it gets a stream to the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Every failure names {@code target} (the file the user asked for), never the temporary file. */
    public static void write(Path target, Writer body) throws IOException {
        try {
            writeVia(target, body);
        } catch (FileSystemException e) {
            String reason = (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName())
                    + (e.getFile() != null && !e.getFile().equals(target.toString()) ? " at " + e.getFile() : "");
            throw e instanceof AccessDeniedException ? withCause(new AccessDeniedException(target.toString(), null, reason), e)
                    : e instanceof NoSuchFileException ? withCause(new NoSuchFileException(target.toString(), null, reason), e)
                    : withCause(new FileSystemException(target.toString(), null, "cannot write: " + reason), e);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static FileSystemException withCause(FileSystemException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    private static void writeVia(Path target, Writer body) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        // createTempFile makes the file owner-only (0600); the result is an ordinary data file
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
        }
        try {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                body.write(out);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
