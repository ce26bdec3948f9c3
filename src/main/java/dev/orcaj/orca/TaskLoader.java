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
 *   npy:X.npy,Y.npy[,IGNORE.npy]  arrays [n, C, L] / [n, C, H, W] ([n, L] means C = 1); int Y [n] = classes, 0/1 Y
 *                           [n, K] (K >= 2) = multi-label, Y of the input's spatial shape = dense, other float Y =
 *                           regression; IGNORE (Y's shape) is the ignore mask of masked BCE; 80/20 test split
 *   npz:FILE.npz[#channels-last]  x_train, y_train, x_test, y_test (+ x_val, y_val, merged into train as the
 *                           reference does), targets read as for npy (DeepSEA's deepsea_filtered.npz: 36-label
 *                           multi-label); #channels-last transposes inputs stored [n, L, C] to [n, C, L]
 *   darcy:DIR               neuraloperator small Darcy (darcy_{train,test}_16_{x,y}.npy), dense 16x16
 *   darcy-mat:DIR           NAS-Bench-360 DARCY-FLOW-5: piececonst_r421_N1024_smooth{1,2}.mat (MATLAB v7.3), 85x85
 *   pde:NAME[:RES[:N]]      generated: advection, burgers, diffusion-reaction (1D) or darcy (2D); first 10% = test
 *   pdebench:FILE.h5[#field][@IN:OUT][/STRIDE]  a PDEBench HDF5 file (1D series, 1D CFD, 2D Darcy, 2D per-sample
 *                           groups), the paper's time steps and stride unless given ({@link dev.orcaj.data.PdeBenchFile});
 *                           first 10% = test
 * </pre>
 */
public final class TaskLoader {

    public record LoadedTask(TaskSpec spec, ArrayDataset train, ArrayDataset val, ArrayDataset test, boolean tabular, String description) {}

    /** Generated PDE sizes: beyond these the in-process solvers take hours (2D Darcy solves res^2 unknowns per sample). */
    static final int MAX_PDE_RES_1D = 16384, MAX_PDE_RES_2D = 512, MAX_PDE_SAMPLES = 100_000;

    /**
     * The task family asked for on the command line ({@code --task}, {@code --loss}); null fields = what the data
     * implies. Only arrays (npy, npz) can be read as another family; other kinds must agree with it.
     */
    public record Family(TaskSpec.OutputKind kind, TaskSpec.Loss loss) {
        public static final Family FROM_DATA = new Family(null, null);
    }

    private TaskLoader() {}

    public static LoadedTask load(String spec, double valFraction, long seed) throws IOException { return load(spec, valFraction, seed, Family.FROM_DATA); }

    /** Loads the data and applies the requested family and loss, checking that they fit the targets. */
    public static LoadedTask load(String spec, double valFraction, long seed, Family family) throws IOException {
        LoadedTask t = loadKind(spec, valFraction, seed, family.kind());
        TaskSpec s = t.spec();
        if (family.kind() != null && family.kind() != s.kind()) {
            throw new IllegalArgumentException("--task " + family.kind().flag() + ": data '" + spec + "' is a " + s.kind().flag()
                    + " task (only npy:/npz: arrays can be read as another family)");
        }
        if (s.loss() == TaskSpec.Loss.MASKED_BCE && family.loss() != null && family.loss() != s.loss()) {
            throw new IllegalArgumentException("--loss " + family.loss().flag() + ": data '" + spec + "' has an ignore mask, which only masked-bce uses");
        }
        TaskSpec.Loss loss = family.loss() != null ? family.loss() : s.loss();
        if (!loss.allowedFor(s.kind())) {
            throw new IllegalArgumentException("--loss " + loss.flag() + " does not fit the " + s.kind().flag() + " task of '" + spec + "' (dense: relative-l2, mse, masked-bce; regression: mse)");
        }
        int outputs = s.outputs();
        if (loss == TaskSpec.Loss.MASKED_BCE) {
            if (outputs % 2 != 0) {
                throw new IllegalArgumentException("--loss masked-bce: data '" + spec + "' has " + outputs + " target channels; expected mask channels then as many ignore-mask channels (or npy:X.npy,Y.npy,IGNORE.npy)");
            }
            outputs /= 2;
        }
        return new LoadedTask(new TaskSpec(s.name(), s.inputShape(), s.kind(), outputs, loss), t.train(), t.val(), t.test(), t.tabular(), t.description());
    }

    private static LoadedTask loadKind(String spec, double valFraction, long seed, TaskSpec.OutputKind forced) throws IOException {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new IllegalArgumentException("data '" + spec + "': expected KIND:PATH, e.g. ucr:data/ECG200 (kinds: ucr, arff, csv, satellite, dna, npy, npz, darcy, darcy-mat, pde, pdebench)");
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
            case "npy" -> npy(arg, valFraction, seed, spec, forced);
            case "npz" -> npz(arg, valFraction, seed, spec, forced);
            case "darcy" -> {
                Path dir = existing(Path.of(arg));
                ArrayDataset train = denseFromNpy(dir.resolve("darcy_train_16_x.npy"), dir.resolve("darcy_train_16_y.npy"));
                ArrayDataset test = denseFromNpy(dir.resolve("darcy_test_16_x.npy"), dir.resolve("darcy_test_16_y.npy"));
                yield unlabelled("darcy16", new TrainTest(train, test, true), TaskSpec.OutputKind.DENSE, valFraction, seed, spec);
            }
            case "pde" -> pde(arg, valFraction, seed, spec);
            case "darcy-mat" -> darcyMat(arg, valFraction, seed, spec);
            case "pdebench" -> {
                dev.orcaj.data.PdeBenchFile f = dev.orcaj.data.PdeBenchFile.parse(arg);
                ArrayDataset all = f.read();
                if (all.size() < 3) throw new IllegalArgumentException("data '" + spec + "': " + all.size() + " samples; need at least 3 for test, validation and training rows");
                int[][] parts = Splits.leadingTest(all.size(), 0.1); // PDEBench/ORCA: the first 10 % of the samples are the test set
                String name = f.file().getFileName().toString().replaceFirst("\\.(h5|hdf5)$", "");
                yield unlabelled(name, new TrainTest(all.subset(parts[0]), all.subset(parts[1]), true), TaskSpec.OutputKind.DENSE, valFraction, seed, spec);
            }
            default -> throw new IllegalArgumentException("data '" + spec + "': unknown kind '" + kind + "' (expected ucr, arff, csv, satellite, dna, npy, npz, darcy, darcy-mat, pde or pdebench)");
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

    private static LoadedTask npy(String arg, double valFraction, long seed, String spec, TaskSpec.OutputKind forced) throws IOException {
        String[] files = arg.split(",");
        if (files.length != 2 && files.length != 3) throw new IllegalArgumentException("data '" + spec + "': expected npy:X.npy,Y.npy or npy:X.npy,Y.npy,IGNORE.npy");
        NdArray x = Npy.read(existing(Path.of(files[0]))), y = Npy.read(existing(Path.of(files[1])));
        NdArray ignore = files.length == 3 ? Npy.read(existing(Path.of(files[2]))) : null;
        String name = Path.of(files[0]).getFileName().toString();
        ReadArrays all = arrays(x, y, ignore, forced, "data '" + spec + "'");
        int n = all.data().size();
        if (all.kind() == TaskSpec.OutputKind.CLASSES) {
            int[][] parts = Splits.stratified(all.data().labels(), new double[] {0.8, 0.2}, seed);
            return classes(name, new TrainTest(all.data().subset(parts[0]), all.data().subset(parts[1]), false), valFraction, seed, false, spec);
        }
        int nTest = Math.max(1, n / 5);
        int[] order = Batches.permutation(n, new java.util.SplittableRandom(seed));
        TrainTest tt = new TrainTest(all.data().subset(Arrays.copyOfRange(order, nTest, n)), all.data().subset(Arrays.copyOfRange(order, 0, nTest)), false);
        LoadedTask t = unlabelled(name, tt, all.kind(), valFraction, seed, spec);
        if (ignore == null) return t;
        TaskSpec masked = new TaskSpec(t.spec().name(), t.spec().inputShape(), t.spec().kind(), t.spec().outputs(), TaskSpec.Loss.MASKED_BCE);
        return new LoadedTask(masked, t.train(), t.val(), t.test(), false, spec);
    }

    /** DeepSEA-style archive: x_/y_ train, (val,) test arrays; the validation rows join the training rows (spec section 7). */
    private static LoadedTask npz(String arg, double valFraction, long seed, String spec, TaskSpec.OutputKind forced) throws IOException {
        int hash = arg.lastIndexOf('#');
        String option = hash < 0 ? "" : arg.substring(hash + 1);
        if (!option.isEmpty() && !option.equals("channels-last")) throw new IllegalArgumentException("data '" + spec + "': unknown option '#" + option + "' (expected #channels-last)");
        Path file = existing(Path.of(hash < 0 ? arg : arg.substring(0, hash)));
        java.util.Map<String, NdArray> a = new java.util.LinkedHashMap<>(dev.orcaj.io.Npz.read(file));
        if (!option.isEmpty()) { // x [n, L, C] (e.g. one-hot DNA [n, 1000, 4]) -> [n, C, L]
            for (String key : List.of("x_train", "x_val", "x_test")) if (a.containsKey(key)) a.put(key, channelsFirst(a.get(key), file + " " + key));
        }
        for (String key : List.of("x_train", "y_train", "x_test", "y_test")) {
            if (!a.containsKey(key)) throw new IllegalArgumentException(file + ": no array '" + key + "' (expected x_train, y_train, x_test, y_test; has " + a.keySet() + ")");
        }
        String where = file + "";
        ReadArrays train = arrays(a.get("x_train"), a.get("y_train"), null, forced, where + " x_train/y_train");
        ReadArrays test = arrays(a.get("x_test"), a.get("y_test"), null, train.kind(), where + " x_test/y_test");
        ArrayDataset tr = train.data();
        if (a.containsKey("x_val") && a.containsKey("y_val")) tr = ArrayDataset.concat(tr, arrays(a.get("x_val"), a.get("y_val"), null, train.kind(), where + " x_val/y_val").data());
        if (!Arrays.equals(tr.sampleShape(), test.data().sampleShape())) {
            throw new IllegalArgumentException(file + ": train samples " + Arrays.toString(tr.sampleShape()) + " but test samples " + Arrays.toString(test.data().sampleShape()));
        }
        String name = file.getFileName().toString().replaceFirst("\\.npz$", "");
        TrainTest tt = new TrainTest(tr, test.data(), true);
        return train.kind() == TaskSpec.OutputKind.CLASSES ? classes(name, tt, valFraction, seed, false, spec) : unlabelled(name, tt, train.kind(), valFraction, seed, spec);
    }

    private static NdArray channelsFirst(NdArray x, String what) {
        int[] s = x.intShape();
        if (s.length != 3) throw new IllegalArgumentException(what + ": #channels-last needs [n, L, C], got " + Arrays.toString(s));
        float[] v = x.toFloats(), t = new float[v.length];
        int l = s[1], c = s[2];
        for (int i = 0; i < s[0]; i++) for (int j = 0; j < l; j++) for (int k = 0; k < c; k++) t[(i * c + k) * l + j] = v[(i * l + j) * c + k];
        return NdArray.ofFloats(t, s[0], c, l);
    }

    private record ReadArrays(ArrayDataset data, TaskSpec.OutputKind kind) {}

    /**
     * Inputs [n, C, ...] ([n, L] = one channel) and targets read by their shape and values, or as the {@code forced}
     * family: integer [n] = classes; 0/1 [n, K] with K >= 2 = multi-label; input-shaped = dense; otherwise regression.
     */
    private static ReadArrays arrays(NdArray x, NdArray y, NdArray ignore, TaskSpec.OutputKind forced, String what) {
        int n = (int) x.shape()[0];
        if (y.shape()[0] != n) throw new IllegalArgumentException(what + ": " + n + " inputs but " + y.shape()[0] + " targets");
        int[] xs = x.intShape(), ys = y.intShape();
        if (xs.length < 2) throw new IllegalArgumentException(what + ": inputs must be [n, L], [n, C, L] or [n, C, H, W], got " + Arrays.toString(xs));
        int[] sample = xs.length == 2 ? new int[] {1, xs[1]} : Arrays.copyOfRange(xs, 1, xs.length);
        int[] spatial = Arrays.copyOfRange(sample, 1, sample.length);
        int[] yTail = Arrays.copyOfRange(ys, 1, ys.length);
        boolean denseShaped = Arrays.equals(yTail, spatial) || (yTail.length == spatial.length + 1 && Arrays.equals(Arrays.copyOfRange(yTail, 1, yTail.length), spatial));
        float[] yf = y.toFloats();
        int width = (int) (y.numel() / Math.max(1, n));
        TaskSpec.OutputKind kind = forced != null ? forced
                : !y.dtype().isFloating() && ys.length == 1 ? TaskSpec.OutputKind.CLASSES
                : denseShaped ? TaskSpec.OutputKind.DENSE
                : ys.length == 2 && width >= 2 && zeroOne(yf) ? TaskSpec.OutputKind.MULTILABEL
                : TaskSpec.OutputKind.REGRESSION;
        if (ignore != null && (kind != TaskSpec.OutputKind.DENSE || !Arrays.equals(ignore.intShape(), ys))) {
            throw new IllegalArgumentException(what + ": an ignore mask needs dense targets and the targets' shape " + Arrays.toString(ys) + ", got " + Arrays.toString(ignore.intShape()));
        }
        Targets targets = switch (kind) {
            case CLASSES -> {
                if (ys.length != 1 || y.dtype().isFloating()) throw new IllegalArgumentException(what + ": --task classes needs integer labels [n], got " + y.dtype() + " " + Arrays.toString(ys));
                int[] labels = y.toInts();
                for (int i = 0; i < labels.length; i++) {
                    // class ids index the head's outputs: an id >= the row count would make classes with no rows (and a label
                    // of 1e9 a head of 1e9 outputs)
                    if (labels[i] < 0 || labels[i] >= Math.max(n, 2)) {
                        throw new IllegalArgumentException(what + ": label " + labels[i] + " at row " + i + " is not a class id: integer targets must be class ids 0..K-1 with K <= "
                                + Math.max(n, 2) + " (the number of rows); store regression targets as float");
                    }
                }
                yield new Targets.ClassLabels(labels, Arrays.stream(labels).max().orElse(0) + 1);
            }
            case MULTILABEL -> {
                if (ys.length != 2 || !zeroOne(yf)) throw new IllegalArgumentException(what + ": multi-label targets must be 0/1 values [n, labels], got " + Arrays.toString(ys) + (zeroOne(yf) ? "" : " with values other than 0 and 1"));
                yield new Targets.VectorTargets(yf, width);
            }
            case REGRESSION -> new Targets.VectorTargets(yf, width);
            case DENSE -> {
                if (!denseShaped) throw new IllegalArgumentException(what + ": dense targets must have the input's spatial shape " + Arrays.toString(spatial) + " (optionally with channels first), got " + Arrays.toString(yTail));
                int[] dense = yTail.length == spatial.length ? prepend(1, spatial) : yTail;
                if (ignore == null) yield new Targets.DenseTargets(yf, dense);
                yield new Targets.DenseTargets(stackChannels(yf, ignore.toFloats(), n), prepend(2 * dense[0], spatial));
            }
        };
        return new ReadArrays(new ArrayDataset(x.toFloats(), sample, targets), kind);
    }

    private static boolean zeroOne(float[] v) {
        for (float f : v) if (f != 0f && f != 1f) return false;
        return true;
    }

    /** Per row: the mask values, then the ignore values (the target layout of masked BCE). */
    private static float[] stackChannels(float[] mask, float[] ignore, int n) {
        int per = mask.length / n;
        float[] out = new float[2 * mask.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(mask, i * per, out, 2 * i * per, per);
            System.arraycopy(ignore, i * per, out, (2 * i + 1) * per, per);
        }
        return out;
    }

    /**
     * DARCY-FLOW-5 as the reference loads it (spec section 7): piececonst_r421_N1024_smooth1.mat (first 1000 samples,
     * training) and ..._smooth2.mat (first 100, test), every 5th grid point (85 x 85), coefficient normalised with the
     * training statistics plus grid channels.
     */
    private static LoadedTask darcyMat(String arg, double valFraction, long seed, String spec) {
        Path dir = Path.of(arg);
        Path trainFile = dir.resolve("piececonst_r421_N1024_smooth1.mat"), testFile = dir.resolve("piececonst_r421_N1024_smooth2.mat");
        var coeff = dev.orcaj.data.DarcyMatReader.field(trainFile, "coeff", 1000, 5);
        float[][] stats = dev.orcaj.data.DarcyMatReader.pointwiseStats(coeff);
        ArrayDataset train = dev.orcaj.data.DarcyMatReader.task(coeff, dev.orcaj.data.DarcyMatReader.field(trainFile, "sol", 1000, 5), stats[0], stats[1]);
        ArrayDataset test = dev.orcaj.data.DarcyMatReader.task(dev.orcaj.data.DarcyMatReader.field(testFile, "coeff", 100, 5),
                dev.orcaj.data.DarcyMatReader.field(testFile, "sol", 100, 5), stats[0], stats[1]);
        return unlabelled("darcy-flow-5", new TrainTest(train, test, true), TaskSpec.OutputKind.DENSE, valFraction, seed, spec);
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

    static List<String> kinds() { return List.of("ucr", "arff", "csv", "satellite", "dna", "npy", "npz", "darcy", "darcy-mat", "pde", "pdebench"); }
}
