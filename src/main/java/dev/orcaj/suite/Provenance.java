package dev.orcaj.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Where a result came from: the source commit (read with git from the working directory), the host CPU and cores. */
public record Provenance(String commit, String hostCpu, int cores) {

    public static Provenance ofThisMachine() {
        return new Provenance(gitCommit(), cpuModel(), Runtime.getRuntime().availableProcessors());
    }

    /** {@code git rev-parse --short HEAD}, with "+dirty" when tracked files differ from it; "unknown" outside a checkout. */
    static String gitCommit() {
        String head = git("rev-parse", "--short=10", "HEAD");
        if (head == null || head.isEmpty()) return "unknown";
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return changes == null || changes.isEmpty() ? head : head + "+dirty";
    }

    private static String git(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "git";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            byte[] bytes = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The "model name" of /proc/cpuinfo (Linux), else the OS architecture. */
    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
