package dev.orcaj.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orcaj.ot.LabelledPoints;
import dev.orcaj.ot.Otdd;
import dev.orcaj.ot.OtddOptions;
import dev.orcaj.ot.OtddResult;
import dev.orcaj.ot.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code orca otdd SOURCE TARGET}: the OTDD between two labelled datasets (defaults: ORCA's settings). */
@Command(name = "otdd", mixinStandardHelpOptions = true,
        description = {"Optimal transport dataset distance (Alvarez-Melis & Fusi 2020) between two labelled datasets.",
                "Datasets: CSV/TSV with a header, numeric feature columns and one label column.",
                "Defaults are ORCA's: exact debiased inner OT, debiased outer loss, p=2, entreg=0.1, lambdas 1."})
public final class OtddCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "labelled source dataset") Path source;
    @Parameters(index = "1", paramLabel = "TARGET", description = "labelled target dataset") Path target;

    @Option(names = "--inner", defaultValue = "exact", description = "label distance: exact | gaussian (default ${DEFAULT-VALUE})")
    String inner;
    @Option(names = "--entreg", defaultValue = "0.1", description = "entropic regularization (default ${DEFAULT-VALUE})")
    double entreg;
    @Option(names = "--p", defaultValue = "2", description = "cost exponent 1 or 2 (default ${DEFAULT-VALUE})")
    int p;
    @Option(names = "--debiased", defaultValue = "on", description = "debiased outer Sinkhorn divergence: on | off (default ${DEFAULT-VALUE})")
    String debiased;
    @Option(names = "--inner-debiased", defaultValue = "on", description = "debiased inner (label) OT: on | off (default ${DEFAULT-VALUE})")
    String innerDebiased;
    @Option(names = "--lambda-x", defaultValue = "1", description = "feature cost weight (default ${DEFAULT-VALUE})")
    double lambdaX;
    @Option(names = "--lambda-y", defaultValue = "1", description = "label cost weight; 0 = features only (default ${DEFAULT-VALUE})")
    double lambdaY;
    @Option(names = "--precision", defaultValue = "float32", description = "float32 | float64 (default ${DEFAULT-VALUE})")
    String precision;
    @Option(names = "--max-samples", defaultValue = "10000", description = "subsample each dataset to at most this many rows (default ${DEFAULT-VALUE})")
    int maxSamples;
    @Option(names = "--seed", defaultValue = "0", description = "seed of the subsampling (default ${DEFAULT-VALUE})")
    long seed;
    @Option(names = "--label-column", defaultValue = "label", description = "label column name or 0-based index (default ${DEFAULT-VALUE})")
    String labelColumn;
    @Option(names = "--min-label-count", defaultValue = "2", description = "classes with fewer rows are dropped (default ${DEFAULT-VALUE})")
    int minLabelCount;
    @Option(names = "--json", description = "print value, label-distance matrix and timings as JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        // errors go to OrcaCli's one handler ("orca: ...", exit 2); a local "otdd: " prefix used to double the library's own
        long t0 = System.nanoTime();
        OtddOptions options = options();
        LabelledDatasetReader.Dataset src = LabelledDatasetReader.read(source, labelColumn);
        LabelledDatasetReader.Dataset tgt = LabelledDatasetReader.read(target, labelColumn);
        if (src.data().points().dim() != tgt.data().points().dim()) {
            throw new IllegalArgumentException("feature dimensions differ: " + source + " has " + src.data().points().dim()
                    + " feature columns, " + target + " has " + tgt.data().points().dim());
        }
        LabelledPoints s = src.data().subsample(maxSamples, seed), t = tgt.data().subsample(maxSamples, seed + 1);
        long t1 = System.nanoTime();
        OtddResult r = Otdd.distance(s, t, options, false);
        long t2 = System.nanoTime();
        if (!Double.isFinite(r.value())) throw new IllegalStateException("the distance came out non-finite (" + r.value() + "); check the feature scales");
        for (String w : r.warnings()) err.println("otdd: warning: " + w);
        if (json) {
            out.println(toJson(r, src, tgt, s, t, options, (t1 - t0) * 1e-9, (t2 - t1) * 1e-9));
        } else {
            out.println(r.value());
        }
        out.flush();
        err.flush();
        return 0;
    }

    private OtddOptions options() {
        FlagChecks.positive("--entreg", entreg);
        if (p != 1 && p != 2) throw new IllegalArgumentException("--p must be 1 or 2, got " + p);
        FlagChecks.atLeast("--lambda-x", lambdaX, 0.0);
        FlagChecks.atLeast("--lambda-y", lambdaY, 0.0);
        if (lambdaX == 0 && lambdaY == 0) throw new IllegalArgumentException("--lambda-x and --lambda-y are both 0: nothing to compare");
        FlagChecks.atLeast("--min-label-count", minLabelCount, 1);
        FlagChecks.atLeast("--max-samples", maxSamples, 1);
        return new OtddOptions(OtddOptions.InnerMethod.parse(inner), entreg, p, onOff(innerDebiased, "--inner-debiased"),
                onOff(debiased, "--debiased"), lambdaX, lambdaY, minLabelCount, Precision.parse(precision), 0.5);
    }

    private static boolean onOff(String v, String flag) {
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new IllegalArgumentException(flag + ": expected on or off, got '" + v + "'");
        };
    }

    private String toJson(OtddResult r, LabelledDatasetReader.Dataset src, LabelledDatasetReader.Dataset tgt,
                          LabelledPoints s, LabelledPoints t, OtddOptions o, double readSeconds, double computeSeconds) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", r.value());
        m.put("source_classes", names(src, r.sourceClassIds()));
        m.put("target_classes", names(tgt, r.targetClassIds()));
        m.put("label_distances", r.labelDistances());
        m.put("label_distances_layout", r.labelDistances() == null ? "none (lambda_y = 0)"
                : o.outerDebiased() ? "block [[source-source, source-target], [target-source, target-target]]" : "source x target");
        m.put("n_source", s.size());
        m.put("n_target", t.size());
        m.put("dim", s.points().dim());
        m.put("diameter", r.diameter());
        m.put("epsilon_steps", r.epsilons().length);
        m.put("settings", Map.of("inner", o.innerMethod().name().toLowerCase(), "entreg", o.entreg(), "p", o.p(),
                "debiased", o.outerDebiased(), "inner_debiased", o.innerDebiased(), "lambda_x", o.lambdaX(),
                "lambda_y", o.lambdaY(), "precision", o.precision().name().toLowerCase(), "min_label_count", o.minLabelCount()));
        Map<String, Object> timings = new LinkedHashMap<>();
        timings.put("read_s", readSeconds);
        timings.put("label_distances_s", r.labelDistanceSeconds());
        timings.put("outer_s", r.outerSeconds());
        timings.put("total_s", readSeconds + computeSeconds);
        m.put("timings", timings);
        m.put("warnings", r.warnings());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m);
    }

    /** Label text of the classes that survived filtering (ids are label values or indices into the names). */
    private static List<String> names(LabelledDatasetReader.Dataset ds, int[] keptIds) {
        List<String> out = new ArrayList<>();
        boolean numeric = ds.classNames().stream().allMatch(n -> n.matches("[+-]?\\d+"));
        for (int id : keptIds) out.add(numeric ? Integer.toString(id) : ds.classNames().get(id));
        return out;
    }
}
