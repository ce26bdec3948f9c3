package dev.orcaj.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks of a command's outputs made BEFORE any training, so that a run that cannot save its result fails in
 * seconds with the reason instead of after hours of work.
 */
final class OutputPaths {
    private OutputPaths() {}

    /** {@code dir} (the value of {@code flag}) is a writable directory or can be created as one; nothing is created. */
    static void requireWritableDirectory(String flag, Path dir, String writes) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(flag + " " + dir + ": is a file, but a directory is expected (" + writes + " go into it)");
        }
        requireWritable(flag, dir, nearestExisting(flag, dir.toAbsolutePath()));
    }

    /** {@code file} (the value of {@code flag}) can be written: not a directory, and its folder is writable or can be created; nothing is created. */
    static void requireWritableFile(String flag, Path file) {
        if (Files.isDirectory(file)) throw new IllegalArgumentException(flag + " " + file + ": is a directory, but a file name is expected");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) requireWritable(flag, file, nearestExisting(flag, parent));
    }

    /** The closest folder of {@code p} (itself included) that exists; a file on the way is an error. */
    private static Path nearestExisting(String flag, Path p) {
        Path at = p;
        while (at != null && !Files.exists(at)) at = at.getParent();
        if (at == null) at = Path.of("").toAbsolutePath();
        if (!Files.isDirectory(at)) throw new IllegalArgumentException(flag + " " + p + ": " + at + " is a file, not a directory");
        return at;
    }

    /** {@code flag}'s output must not be one of the command's inputs (it would be replaced by the result). */
    static void requireNotAnInput(String flag, Path out, String inputFlag, Path input) throws IOException {
        boolean same = Files.exists(out) && Files.exists(input) ? Files.isSameFile(out, input)
                : out.toAbsolutePath().normalize().equals(input.toAbsolutePath().normalize());
        if (same) throw new IllegalArgumentException(flag + " " + out + " is the " + inputFlag + " file: refusing to replace an input; choose another " + flag);
    }

    /** Creating a file is the only test root honours too (Files.isWritable says yes to root on a read-only mount). */
    private static void requireWritable(String flag, Path target, Path dir) {
        try {
            Files.deleteIfExists(Files.createTempFile(dir, ".orca-write-test", ".tmp"));
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " " + target + ": cannot write in " + dir + " (" + OrcaCli.describe(e) + ")");
        }
    }
}
