package dev.orcaj.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code orca dashboard}'s bad input: one line naming the directory or flag, exit code 2 (the server itself: DashboardServerTest). */
class DashboardCommandTest {
    @TempDir Path tmp;

    @Test
    void aMissingDirectoryIsNamed() {
        CliErrorsTest.fails(Cli.orca("dashboard", "--port", "0", tmp.resolve("nope").toString()), tmp.resolve("nope").toString(), "expected a run directory");
    }

    @Test
    void aFileIsNotARunDirectory() throws Exception {
        Path f = Files.writeString(tmp.resolve("metrics.json"), "{}");
        CliErrorsTest.fails(Cli.orca("dashboard", "--port", "0", f.toString()), f.toString(), "expected a run directory");
        assertEquals("{}", Files.readString(f), "the dashboard is read-only: the file it refused is left as it was");
    }

    @Test
    void badPortsAreRefused() throws Exception {
        CliErrorsTest.fails(Cli.orca("dashboard", "--port", "70000", tmp.toString()), "--port", "65535");
        CliErrorsTest.fails(Cli.orca("dashboard", "--port", "-1", tmp.toString()), "--port");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CliErrorsTest.fails(Cli.orca("dashboard", "--port", String.valueOf(taken.getLocalPort()), tmp.toString()), "--port " + taken.getLocalPort(), "try --port 0");
        }
    }
}
