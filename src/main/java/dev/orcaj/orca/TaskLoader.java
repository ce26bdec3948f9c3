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

    private TaskLoader() {}

    public static LoadedTask load(String spec, double valFraction, long seed) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("data '" + spec + "': expected KIND:PATH, e.g. ucr:data/ECG200 (kinds: ucr, arff, csv, satellite, dna, npy, darcy, pde)");
        String kind = spec.substring(0, colon), arg = spec.substring(colon + 1);
        return switch (kind) {
            case "ucr" -> {
                Path dir = existing(Path.of(arg));
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
        for (int c = 0; c < task.outputs(); c++) {
            final int cls = c;
            if (Arrays.stream(train.labels()).noneMatch(l -> l == cls)) {
                throw new IllegalArgumentException("data '" + spec + "': class " + c + " has no training rows after the validation split (too few samples)");
            }
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
        int res = p.length > 1 ? Integer.parseInt(p[1]) : (p[0].equals("darcy") ? 16 : 128);
        int n = p.length > 2 ? Integer.parseInt(p[2]) : 500;
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

    private static int[] prepend(int v, int[] a) {
        int[] o = new int[a.length + 1];
        o[0] = v;
        System.arraycopy(a, 0, o, 1, a.length);
        return o;
    }

    static List<String> kinds() { return List.of("ucr", "arff", "csv", "satellite", "dna", "npy", "darcy", "pde"); }
}
