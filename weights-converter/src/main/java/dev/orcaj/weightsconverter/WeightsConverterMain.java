package dev.orcaj.weightsconverter;

import dev.orcaj.cli.ConvertCommand;
import picocli.CommandLine;

/** {@code java -jar orca-weights-converter.jar ...}: the same options as {@code orca convert}. */
public final class WeightsConverterMain {
    private WeightsConverterMain() {}

    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ConvertCommand()).setCommandName("orca-weights-converter");
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("orca-weights-converter: " + ex.getMessage());
            return 2;
        });
        System.exit(cl.execute(args));
    }
}
