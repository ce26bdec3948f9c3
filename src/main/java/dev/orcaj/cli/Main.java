package dev.orcaj.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code java -jar orca.jar}. A jar manifest cannot add the incubator module that holds the
 * Vector API, so when {@code jdk.incubator.vector} is missing from the boot layer we relaunch the same JVM
 * with {@code --add-modules jdk.incubator.vector} and the caller's JVM options. Nothing here may touch a
 * class that uses the Vector API before that check. (Checked on JDK 25: an {@code Add-Modules} manifest attribute is
 * ignored by {@code java -jar}, and JDK_JAVA_OPTIONS only works when set before the launch.)
 * <p>
 * The launcher forwards SIGTERM/SIGINT to the child through a shutdown hook; SIGKILL cannot be caught, so the child
 * watches the launcher (its pid is the value of {@value #RELAUNCHED}) and stops as soon as it has gone, instead of
 * training on as an orphan that still writes into {@code --out}.
 *
 * class that uses the Vector API before that check.
 *
 * <p>Memory: without a heap size or collector of the caller's own, the child gets {@value #DEFAULT_MAX_HEAP} and the
 * parallel collector. The JVM's default (G1, a quarter of physical memory) let a short ECG200 run with MiniLM and
 * 5000 source texts grow to 3.0-3.3 GB RSS although it needs well under 1 GB of live data: G1 expands the heap
 * under allocation pressure, and its humongous regions (every tensor over 2 MB) leave ~230 MB of fillers. The same
 * run peaks at 1.3 GB RSS with these defaults (bench/peak-rss.sh). Bigger bodies or long sequences need more:
 * {@code java -Xmx8g -jar orca.jar ...} (an out-of-memory error says so).
 */
public final class Main {
    static final String RELAUNCHED = "orcaj.relaunched";
    static final String DEFAULT_MAX_HEAP = "-Xmx1200m";
    static final String DEFAULT_GC = "-XX:+UseParallelGC";

    private Main() {}

    public static void main(String[] args) throws Exception {
        String launcher = System.getProperty(RELAUNCHED);
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() && launcher == null) {
            System.exit(relaunchWithVectorModule(args));
        }
        if (launcher != null) stopWhenLauncherEnds(launcher);
        System.exit(OrcaCli.run(args));
    }

    private static int relaunchWithVectorModule(String[] args) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        List<String> callerOptions = new ArrayList<>();
        for (String opt : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!opt.startsWith("-agentlib:jdwp")) callerOptions.add(opt);
        }
        cmd.addAll(memoryDefaults(callerOptions));
        cmd.addAll(callerOptions);
        cmd.add("-D" + RELAUNCHED + "=" + ProcessHandle.current().pid());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }

    /** In the relaunched JVM: exit (code 2, one line on stderr) once the launching process {@code pid} has ended. */
    static void stopWhenLauncherEnds(String pid) {
        long p;
        try {
            p = Long.parseLong(pid);
        } catch (NumberFormatException e) {
            return; // not set by relaunchWithVectorModule: nothing to watch
        }
        Runnable stop = () -> {
            System.err.println("orca: the launching process (pid " + p + ") has ended; stopping this run");
            System.exit(OrcaCli.ERROR);
        };
        ProcessHandle.of(p).ifPresentOrElse(h -> h.onExit().thenRun(stop), stop);
    }

    /** {@link #DEFAULT_MAX_HEAP} unless the caller sized the heap, {@link #DEFAULT_GC} unless the caller chose a collector. */
    static List<String> memoryDefaults(List<String> callerOptions) {
        boolean heap = false, gc = false;
        for (String o : callerOptions) {
            heap |= o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize=") || o.startsWith("-XX:MaxRAM");
            gc |= o.startsWith("-XX:+Use") && o.endsWith("GC");
        }
        List<String> out = new ArrayList<>();
        if (!heap) out.add(DEFAULT_MAX_HEAP);
        if (!gc) out.add(DEFAULT_GC);
        return out;
    }
}
