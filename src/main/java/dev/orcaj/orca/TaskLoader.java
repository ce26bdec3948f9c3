package dev.orcaj.orca;

import dev.orcaj.data.ArffReader;
import dev.orcaj.data.ArrayDataset;
import dev.orcaj.data.DelimitedReader;
import dev.orcaj.data.Splits;
import dev.orcaj.data.StatlogReader;
import dev.orcaj.data.Table;
import dev.orcaj.data.TabularPreprocessor;
import dev.orcaj.data.Targets;
import dev.orcaj.data.TrainTest;
import dev.orcaj.data.UcrReader;
import dev.orcaj.data.pde.Advection1d;
import dev.orcaj.data.pde.Burgers1d;
import dev.orcaj.data.pde.DarcyFlow2d;
import dev.orcaj.data.pde.DiffusionReaction1d;
import dev.orcaj.io.HeapBudget;
import dev.orcaj.io.NdArray;
import dev.orcaj.io.Npy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a data specification into a {@link TaskSpec} with train / validation / test splits. Official test splits are
 * used where the data has them; the validation split is always carved (stratified for classes, seeded) from the
 * training data, never taken from the test set. Specifications:
 * <pre>
 *   ucr:DIR/NAME            UCR TSV pair NAME_TRAIN.tsv / NAME_TEST.tsv (official split)
 *   arff:FILE[#label]       OpenML / WEKA ARFF, tabular preprocessing of paper A.6, 80/20 stratified test split
 *   csv:FILE#label          CSV with header, same preprocessing
 *   satellite:FILE          StatLog Satellite CSV (official 4435 / 2000 split)
 *   dna:FILE                StatLog DNA sequence CSV, one-hot ACGT (official 2000 / 1186 split)
 *   npy:X.npy,Y.npy         arrays [n, C, L] / [n, C, H, W] ([n, L] means C = 1); int Y = classes, float Y of the
 *                           input's spatial shape = dense, other float Y = regression; 80/20 test split
 *   darcy:DIR               neuraloperator small Darcy (darcy_{train,test}_16_{x,y}.npy), dense 16x16
 *   pde:NAME[:RES[:N]]      generated: advection, burgers, diffusion-reaction (1D) or darcy (2D); first 10% = test
 * </pre>
 */
public final class TaskLoader {

    public record LoadedTask(TaskSpec spec, ArrayDataset train, ArrayDataset val, ArrayDataset test, boolean tabular, String description) {}

    /** Generated PDE sizes: beyond these the in-process solvers take hours (2D Darcy solves res^2 unknowns per sample). */
    static final int MAX_PDE_RES_1D = 16384, MAX_PDE_RES_2D = 512, MAX_PDE_SAMPLES = 100_000;

    private TaskLoader() {}

    public static LoadedTask load(String spec, double valFraction, long seed) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("data '" + spec + "': expected KIND:PATH, e.g. ucr:data/ECG200 (kinds: ucr, arff, csv, satellite, dna, npy, darcy, pde)");
        String kind = spec.substring(0, colon), arg = spec.substring(colon + 1);
        return switch (kind) {
            case "ucr" -> {
                Path dir = existing(Path.of(arg));
                if (dir.getFileName() == null) throw new IllegalArgumentException("data '" + spec + "': expected ucr:DIR/NAME, the folder holding NAME_TRAIN.tsv and NAME_TEST.tsv");
                UcrReader.UcrSplits s = UcrReader.load(dir, dir.getFileName().toString());
                yield classes(dir.getFileName().toString(), UcrReader.officialOrStratified(s, 0.2, seed), valFraction, seed, false, spec);
            }
            case "arff", "csv" -> tabular(kind, arg, valFraction, seed, spec);
            case "satellite" -> classes("satellite", StatlogReader.officialSplit(StatlogReader.satellite(existing(Path.of(arg))), StatlogReader.SATELLITE_TRAIN_ROWS), valFraction, seed, false, spec);
            case "dna" -> classes("dna", StatlogReader.officialSplit(StatlogReader.dnaSequence(existing(Path.of(arg))), StatlogReader.DNA_TRAIN_ROWS), valFraction, seed, false, spec);
            case "npy" -> npy(arg, valFraction, seed, spec);
            case "darcy" -> {
                Path dir = existing(Path.of(arg));
                ArrayDataset train = denseFromNpy(dir.resolve("darcy_train_16_x.npy"), dir.resolve("darcy_train_16_y.npy"));
                ArrayDataset test = denseFromNpy(dir.resolve("darcy_test_16_x.npy"), dir.resolve("darcy_test_16_y.npy"));
                yield unlabelled("darcy16", new TrainTest(train, test, true), TaskSpec.OutputKind.DENSE, valFraction, seed, spec);
            }
            case "pde" -> pde(arg, valFraction, seed, spec);
            default -> throw new IllegalArgumentException("data '" + spec + "': unknown kind '" + kind + "' (expected ucr, arff, csv, satellite, dna, npy, darcy or pde)");
        };
    }

    private static Path existing(Path p) throws NoSuchFileException {
        if (!Files.exists(p)) throw new NoSuchFileException(p.toString(), null, "data file or folder not found");
        return p;
    }

    private static LoadedTask classes(String name, TrainTest tt, double valFraction, long seed, boolean tabular, String spec) {
        int[][] parts = Splits.stratified(tt.train().labels(), new double[] {1 - valFraction, valFraction}, seed);
        ArrayDataset train = tt.train().subset(parts[0]), val = tt.train().subset(parts[1]);
        TaskSpec task = new TaskSpec(name, train.sampleShape(), TaskSpec.OutputKind.CLASSES, tt.train().numClasses());
        int[] trainCounts = new int[task.outputs()], allCounts = new int[task.outputs()], testCounts = new int[task.outputs()];
        for (int l : train.labels()) trainCounts[l]++;
        for (int l : tt.train().labels()) allCounts[l]++;
        for (int l : tt.test().labels()) testCounts[l]++;
        for (int c = 0; c < task.outputs(); c++) {
            if (trainCounts[c] > 0) continue;
            String cls = "class " + (tt.train().classNames().isEmpty() ? String.valueOf(c) : "'" + tt.train().classNames().get(c) + "' (id " + c + ")");
            if (allCounts[c] == 0) {
                throw new IllegalArgumentException("data '" + spec + "': " + cls + " has no row in the training data" + (testCounts[c] > 0 ? " (only "
                        + testCounts[c] + " in the test data)" : "") + ": a model cannot learn a class it never sees; remove those rows or add training rows");
            }
            throw new IllegalArgumentException("data '" + spec + "': " + cls + " has only " + allCounts[c] + " training row(s), all of them taken by the "
                    + "validation split (--val-fraction " + valFraction + "); add rows or lower --val-fraction");
        }
        return new LoadedTask(task, train, val, tt.test(), tabular, spec + (tt.official() ? " (official test split)" : " (seeded test split)"));
    }

    private static LoadedTask unlabelled(String name, TrainTest tt, TaskSpec.OutputKind kind, double valFraction, long seed, String spec) {
        int n = tt.train().size(), nVal = Math.max(1, (int) Math.round(n * valFraction));
        int[] order = Batches.permutation(n, new java.util.SplittableRandom(seed));
        ArrayDataset val = tt.train().subset(Arrays.copyOfRange(order, 0, nVal)), train = tt.train().subset(Arrays.copyOfRange(order, nVal, n));
        int outputs = switch (train.targets()) {
            case Targets.DenseTargets d -> d.sampleShape()[0];
            case Targets.VectorTargets v -> v.width();
            case Targets.ClassLabels c -> c.numClasses();
        };
        return new LoadedTask(new TaskSpec(name, train.sampleShape(), kind, outputs), train, val, tt.test(), false, spec);
    }

    private static LoadedTask tabular(String kind, String arg, double valFraction, long seed, String spec) throws IOException {
        int hash = arg.lastIndexOf('#');
        Path file = existing(Path.of(hash < 0 ? arg : arg.substring(0, hash)));
        Table raw = kind.equals("arff") ? ArffReader.read(file) : DelimitedReader.read(file, DelimitedReader.Options.csv());
        String label = hash < 0 ? raw.columnNames().getLast() : arg.substring(hash + 1);
        if (!raw.columnNames().contains(label)) throw new IllegalArgumentException("data '" + spec + "': no column '" + label + "' (columns: " + raw.columnNames() + ")");
        Table clean = TabularPreprocessor.nominalLabel(TabularPreprocessor.clean(raw, label), label);
        int[] y = clean.labels(label).ids();
        int[][] parts = Splits.stratified(y, new double[] {0.8 * (1 - valFraction), 0.8 * valFraction, 0.2}, seed);
        Table train = clean.selectRows(parts[0]);
        TabularPreprocessor.Transform t = TabularPreprocessor.fit(train, label, TabularPreprocessor.Layout.FLAT);
        ArrayDataset tr = t.apply(train), va = t.apply(clean.selectRows(parts[1])), te = t.apply(clean.selectRows(parts[2]));
        String name = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        TaskSpec task = new TaskSpec(name, tr.sampleShape(), TaskSpec.OutputKind.CLASSES, t.labels().numClasses());
        return new LoadedTask(task, tr, va, te, true, spec + " (seeded 80/20 test split)");
    }

    private static LoadedTask npy(String arg, double valFraction, long seed, String spec) throws IOException {
        String[] files = arg.split(",");
        if (files.length != 2) throw new IllegalArgumentException("data '" + spec + "': expected npy:X.npy,Y.npy");
        NdArray x = Npy.read(existing(Path.of(files[0]))), y = Npy.read(existing(Path.of(files[1])));
        int n = (int) x.shape()[0];
        if (y.shape()[0] != n) throw new IllegalArgumentException("data '" + spec + "': " + n + " inputs but " + y.shape()[0] + " targets");
        int[] xs = x.intShape();
        int[] sample = xs.length == 2 ? new int[] {1, xs[1]} : Arrays.copyOfRange(xs, 1, xs.length);
        ArrayDataset all;
        TaskSpec.OutputKind kind;
        if (!y.dtype().isFloating()) {
            int[] labels = y.toInts();
            for (int i = 0; i < labels.length; i++) {
                // class ids index the head's outputs: an id >= the row count would make classes with no rows (and a label
                // of 1e9 a head of 1e9 outputs)
                if (labels[i] < 0 || labels[i] >= Math.max(n, 2)) {
                    throw new IllegalArgumentException(files[1] + ": label " + labels[i] + " at row " + i + " is not a class id: integer targets must be class ids 0..K-1 with K <= "
                            + Math.max(n, 2) + " (the number of rows); store regression targets as float");
                }
            }
            int k = Arrays.stream(labels).max().orElse(0) + 1;
            all = new ArrayDataset(x.toFloats(), sample, new Targets.ClassLabels(labels, k));
            int[][] parts = Splits.stratified(labels, new double[] {0.8, 0.2}, seed);
            return classes(Path.of(files[0]).getFileName().toString(), new TrainTest(all.subset(parts[0]), all.subset(parts[1]), false), valFraction, seed, false, spec);
        }
        int[] ys = y.intShape();
        int[] spatial = Arrays.copyOfRange(sample, 1, sample.length);
        int[] yTail = Arrays.copyOfRange(ys, 1, ys.length);
        if (Arrays.equals(yTail, spatial) || (yTail.length == spatial.length + 1 && Arrays.equals(Arrays.copyOfRange(yTail, 1, yTail.length), spatial))) {
            int[] dense = yTail.length == spatial.length ? prepend(1, spatial) : yTail;
            all = new ArrayDataset(x.toFloats(), sample, new Targets.DenseTargets(y.toFloats(), dense));
            kind = TaskSpec.OutputKind.DENSE;
        } else {
            all = new ArrayDataset(x.toFloats(), sample, new Targets.VectorTargets(y.toFloats(), ys.length == 1 ? 1 : (int) (y.numel() / n)));
            kind = TaskSpec.OutputKind.REGRESSION;
        }
        int nTest = Math.max(1, n / 5);
        int[] order = Batches.permutation(n, new java.util.SplittableRandom(seed));
        TrainTest tt = new TrainTest(all.subset(Arrays.copyOfRange(order, nTest, n)), all.subset(Arrays.copyOfRange(order, 0, nTest)), false);
        return unlabelled(Path.of(files[0]).getFileName().toString(), tt, kind, valFraction, seed, spec);
    }

    private static ArrayDataset denseFromNpy(Path xf, Path yf) throws IOException {
        NdArray x = Npy.read(existing(xf)), y = Npy.read(existing(yf));
        int[] s = x.intShape();
        int[] sample = s.length == 3 ? new int[] {1, s[1], s[2]} : Arrays.copyOfRange(s, 1, s.length);
        return new ArrayDataset(x.toFloats(), sample, new Targets.DenseTargets(y.toFloats(), sample.clone()));
    }

    private static LoadedTask pde(String arg, double valFraction, long seed, String spec) {
        String[] p = arg.split(":");
        if (p.length > 3) throw new IllegalArgumentException("data '" + spec + "': expected pde:NAME[:RES[:N]]");
        boolean twoD = p[0].equals("darcy");
        int res = p.length > 1 ? pdeSize(spec, p[1], "RES (grid points per side)", 8, twoD ? MAX_PDE_RES_2D : MAX_PDE_RES_1D) : (twoD ? 16 : 128);
        int n = p.length > 2 ? pdeSize(spec, p[2], "N (samples)", 10, MAX_PDE_SAMPLES) : 500;
        // inputs and targets as float32 plus the double-precision solver state of one sample
        HeapBudget.require(2L * 4 * n * (twoD ? (long) res * res : res) * 2, "data '" + spec + "' (" + n + " samples at resolution " + res + ")");
        ArrayDataset all = switch (p[0]) {
            case "advection" -> Advection1d.generate(n, seed, Advection1d.Params.pdeBench(res));
            case "burgers" -> Burgers1d.generate(n, seed, Burgers1d.Params.of(res, 0.01, 1.0));
            case "diffusion-reaction" -> DiffusionReaction1d.generate(n, seed, DiffusionReaction1d.Params.pdeBench(res, 0.5, 1.0));
            case "darcy" -> DarcyFlow2d.generate(n, seed, DarcyFlow2d.Params.fno(res));
            default -> throw new IllegalArgumentException("data '" + spec + "': unknown PDE '" + p[0] + "' (expected advection, burgers, diffusion-reaction or darcy)");
        };
        int[][] parts = Splits.leadingTest(all.size(), 0.1);
        return unlabelled("pde-" + p[0] + "-" + res, new TrainTest(all.subset(parts[0]), all.subset(parts[1]), false), TaskSpec.OutputKind.DENSE, valFraction, seed, spec);
    }

    /** A RES or N field of a pde: spec as a bounded int, the error naming the field and the range. */
    private static int pdeSize(String spec, String text, String field, int min, int max) {
        long v;
        try {
            v = Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("data '" + spec + "': " + field + " must be an integer, got '" + text + "'");
        }
        if (v < min || v > max) throw new IllegalArgumentException("data '" + spec + "': " + field + " must be in " + min + ".." + max + ", got " + text.strip());
        return (int) v;
    }

    private static int[] prepend(int v, int[] a) {
        int[] o = new int[a.length + 1];
        o[0] = v;
        System.arraycopy(a, 0, o, 1, a.length);
        return o;
    }

    static List<String> kinds() { return List.of("ucr", "arff", "csv", "satellite", "dna", "npy", "darcy", "pde"); }
}
