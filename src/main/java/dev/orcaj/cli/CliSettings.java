package dev.orcaj.cli;

import dev.orcaj.orca.RunFile;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The effective value of every option of a command (defaults included), as flag to text: stored in checkpoints and
 * in a run directory's {@value #RUN_FILE}, and turned back into a command line to resume the run with exactly the
 * settings it started with, whatever the defaults are by then.
 */
final class CliSettings {
    static final String RUN_FILE = RunFile.NAME;

    private CliSettings() {}

    /** Every option except help/version and those in {@code skip}; unset options (null) are left out. */
    static Map<String, String> of(CommandSpec spec, Set<String> skip) {
        Map<String, String> out = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || skip.contains(o.longestName())) continue;
            Object v = o.getValue();
            if (v == null) continue;
            out.put(o.longestName(), v instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList()) : String.valueOf(v));
        }
        return out;
    }

    /** The command line that sets these values (boolean flags appear only when true). */
    static List<String> toArgs(CommandSpec spec, Map<String, String> settings) {
        List<String> args = new ArrayList<>();
        settings.forEach((flag, value) -> {
            OptionSpec o = spec.findOption(flag);
            if (o == null) throw new IllegalArgumentException("unknown option '" + flag + "'");
            if (o.arity().max() == 0) {
                if (Boolean.parseBoolean(value)) args.add(flag);
            } else {
                args.add(flag);
                args.add(value);
            }
        });
        return args;
    }


    /**
     * The command saved in {@code dir}'s run file (written by a command of {@code kind}) parsed into {@code fresh}, for
     * --resume: the options given beside --resume must be in {@code mayAccompany} (which holds --resume itself), since
     * the work continues with the saved settings.
     */
    static <T> T reparseSaved(CommandSpec given, Path dir, String kind, Set<String> mayAccompany, T fresh) throws IOException {
        List<String> allowed = mayAccompany.stream().filter(o -> !o.equals("--resume")).sorted(java.util.Comparator.reverseOrder()).toList();
        for (OptionSpec o : given.commandLine().getParseResult().matchedOptions()) {
            if (!mayAccompany.contains(o.longestName())) {
                throw new IllegalArgumentException(o.longestName() + " cannot be combined with --resume: the " + (kind.equals("tune") ? "search" : kind) + " continues with the settings in "
                        + dir.resolve(RUN_FILE) + (allowed.isEmpty() ? "" : " (only " + String.join(" and ", allowed) + " may be given)"));
            }
        }
        Map<String, String> saved = RunFile.read(dir, kind);
        picocli.CommandLine cl = new picocli.CommandLine(fresh);
        try {
            cl.parseArgs(toArgs(cl.getCommandSpec(), saved).toArray(String[]::new));
        } catch (picocli.CommandLine.ParameterException | IllegalArgumentException e) {
            throw new IllegalArgumentException(dir.resolve(RUN_FILE) + ": saved settings do not parse: " + e.getMessage(), e);
        }
        return fresh;
    }
}
