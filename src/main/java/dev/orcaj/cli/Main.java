package dev.orcaj.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of {@code java -jar orca.jar}. A jar manifest cannot add the incubator module that holds the
 * Vector API, so when {@code jdk.incubator.vector} is missing from the boot layer we relaunch the same JVM
 * with {@code --add-modules jdk.incubator.vector} and the caller's JVM options. Nothing here may touch a
 * class that uses the Vector API before that check.
 */
public final class Main {
    static final String RELAUNCHED = "orcaj.relaunched";

    private Main() {}

    public static void main(String[] args) throws Exception {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty() && System.getProperty(RELAUNCHED) == null) {
            System.exit(relaunchWithVectorModule(args));
        }
        System.exit(OrcaCli.run(args));
    }

    private static int relaunchWithVectorModule(String[] args) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.add("--add-modules");
        cmd.add("jdk.incubator.vector");
        for (String opt : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!opt.startsWith("-agentlib:jdwp")) cmd.add(opt);
        }
        cmd.add("-D" + RELAUNCHED + "=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        return p.waitFor();
    }
}
