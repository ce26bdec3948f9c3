package dev.orcaj.cli;

import dev.orcaj.dashboard.DashboardServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code orca dashboard [--port N] DIR...}: a local, read-only web view of run directories, live while they run. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
        description = {"Serve a live, read-only web dashboard of run directories: runs with settings and metrics, methods beside the",
                "reference baselines, curves from the TensorBoard event files (RUN/tb), the report's pictures and a search's trial store.",
                "Each DIR is a run directory (the --out of orca run) or a folder of them. Stop with Ctrl-C."},
        footer = {"%nExamples:", "  orca dashboard runs/ecg", "  orca dashboard --port 8080 orca-runs"})
public final class DashboardCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8050", description = "TCP port (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only).")
    String host;
    @Parameters(arity = "1..*", paramLabel = "DIR", description = "Run directories, or folders of run directories.")
    List<Path> dirs;

    @Override
    public Integer call() throws Exception {
        FlagChecks.atLeast("--port", port, 0);
        if (port > 65535) throw new IllegalArgumentException("--port must be <= 65535, got " + port);
        DashboardServer server;
        try {
            server = new DashboardServer(dirs, host, port);
        } catch (java.net.BindException e) {
            throw new IllegalArgumentException("--port " + port + ": cannot listen on " + host + ":" + port + " (" + e.getMessage() + "); is another dashboard running? try --port 0");
        }
        server.start();
        System.out.println("dashboard: http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port() + "/  (" + dirs.size() + " director" + (dirs.size() == 1 ? "y" : "ies") + "; Ctrl-C stops)");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
