package dev.orcaj.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.*;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    @Test
    void failedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
        Path f = tmp.resolve("data.bin");
        AtomicFiles.write(f, out -> out.write(new byte[]{1, 2, 3}));
        IOException boom = assertThrows(IOException.class, () -> AtomicFiles.write(f, out -> {
            out.write(new byte[]{9, 9});
            throw new IOException("disk full");
        }));
        assertEquals("disk full", boom.getMessage());
        assertArrayEquals(new byte[]{1, 2, 3}, Files.readAllBytes(f));
        try (var s = Files.list(tmp)) {
            assertEquals(1, s.count(), "only the target remains");
        }
    }

    @Test
    void resultIsAnOrdinaryReadableFile() throws IOException {
        Path f = tmp.resolve("sub/dir/x.bin");
        AtomicFiles.write(f, out -> out.write(7));
        assertArrayEquals(new byte[]{7}, Files.readAllBytes(f));
        if (f.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        }
    }
}
