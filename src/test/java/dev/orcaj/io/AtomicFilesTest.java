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
        assertEquals("cannot write " + f + ": disk full", boom.getMessage(), "names the target, not the temporary file");
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

    @Test
    void aFileSystemErrorNamesTheTargetNotTheTemporaryFile() throws IOException {
        Path blocker = tmp.resolve("blocker");
        Files.write(blocker, new byte[]{1});
        Path f = blocker.resolve("x.bin"); // its folder is a file: the temporary file cannot be created
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class, () -> AtomicFiles.write(f, out -> out.write(1)));
        assertEquals(f.toString(), e.getFile(), e.toString());
        assertFalse(e.getMessage().contains(".tmp"), e.getMessage());
    }
}
