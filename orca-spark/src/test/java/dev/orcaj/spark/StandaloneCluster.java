package dev.orcaj.spark;

import org.apache.spark.launcher.JavaModuleOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A Spark standalone cluster on this machine, made of real JVMs started from the Maven-resolved Spark jars (this JVM's
 * class path): one Master and {@code workers} Workers with one core each; the Workers start executor JVMs for an
 * application. {@code SPARK_HOME} is a scratch folder with an empty {@code jars/} (a distribution's jars are on the
 * class path instead), which is all Spark's executor launcher needs. Every JVM is capped at {@value #HEAP} heap.
 */
final class StandaloneCluster implements AutoCloseable {
    static final String HEAP = "-Xmx256m", EXECUTOR_MEMORY = "512m";

    final String masterUrl;
    private final Path home;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    StandaloneCluster(Path dir, int workerCount) throws IOException, InterruptedException {
        home = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(home.resolve("jars"));
        int port = freePort();
        masterUrl = "spark://127.0.0.1:" + port;
        // spark.worker.timeout stays at its 60 s: on a loaded machine a shorter one drops live Workers; the driver sees a
        // killed executor at once anyway (its RPC connection closes)
        master = start(dir.resolve("master.log"), List.of(), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--webui-port", Integer.toString(freePort()));
        awaitPort(port, master);
        for (int i = 0; i < workerCount; i++) {
            Path work = Files.createDirectories(dir.resolve("worker-" + i));
            workers.add(start(dir.resolve("worker-" + i + ".log"), List.of(), "org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), "--webui-port", Integer.toString(freePort()), masterUrl));
        }
    }

    /** The Worker that started executor JVM {@code pid}, if it is one of this cluster's. */
    Optional<Process> workerOf(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid).flatMap(ProcessHandle::parent);
        return workers.stream().filter(w -> parent.isPresent() && parent.get().pid() == w.pid()).findFirst();
    }

    /** SIGKILL to one executor JVM and to its Worker: the machine is gone, nothing shuts down cleanly. */
    void killWorkerAndExecutor(Process worker, long executorPid) {
        ProcessHandle.of(executorPid).ifPresent(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
    }

    /** SIGKILL to Worker {@code index} and every executor JVM it started. */
    void killWorkerAndItsExecutors(int index) {
        Process worker = workers.get(index);
        worker.descendants().forEach(ProcessHandle::destroyForcibly);
        worker.destroyForcibly();
    }

    private Process start(Path log, List<String> extraFlags, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), HEAP));
        command.addAll(List.of(JavaModuleOptions.defaultModuleOptionArray()));
        command.add("-Dorca.spark.log=info");
        command.addAll(extraFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(int port, Process owner) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!owner.isAlive()) throw new IllegalStateException("the Spark master exited with " + owner.exitValue() + " before listening on port " + port);
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(300);
            }
        }
        throw new IllegalStateException("the Spark master did not listen on port " + port + " within 120 s");
    }

    /** Kills the Workers' executors, the Workers and the Master (all started by this cluster). */
    @Override
    public void close() {
        for (Process w : workers) {
            w.descendants().forEach(ProcessHandle::destroyForcibly);
            w.destroyForcibly();
        }
        master.destroyForcibly();
        try {
            for (Process w : workers) w.waitFor();
            master.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while stopping the cluster", e));
        }
    }
}
