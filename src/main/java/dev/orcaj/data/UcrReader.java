package dev.orcaj.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * UCR Time Series Archive 2018 files: {@code <Name>/<Name>_TRAIN.tsv} and {@code _TEST.tsv}, no header, column 0 the
 * class label, columns 1..L the series. Labels (e.g. -1/1 or 1..K) become 0..K-1, ordered by value, using the union
 * of both official splits so TRAIN and TEST share one mapping; {@link LabelEncoder#classNames()} keeps the originals.
 * Samples have shape {1, L} (one channel).
 */
public final class UcrReader {

    /** The official splits; test is empty where the archive copy lacks the TEST file. */
    public record UcrSplits(String name, ArrayDataset train, Optional<ArrayDataset> test, LabelEncoder labels) {}

    private UcrReader() {}

    /** Reads {@code dir/<name>_TRAIN.tsv} and, if present, {@code dir/<name>_TEST.tsv}. */
    public static UcrSplits load(Path dir, String name) {
        Path trainFile = dir.resolve(name + "_TRAIN.tsv"), testFile = dir.resolve(name + "_TEST.tsv");
        if (!Files.isRegularFile(trainFile)) throw DataFormatException.in(trainFile, "UCR training file not found");
        List<DelimitedReader.Line> trainRows = DelimitedReader.readLines(trainFile, DelimitedReader.Options.tsv());
        List<DelimitedReader.Line> testRows = Files.isRegularFile(testFile) ? DelimitedReader.readLines(testFile, DelimitedReader.Options.tsv()) : null;
        List<String> raw = new ArrayList<>();
        trainRows.forEach(r -> raw.add(r.fields()[0]));
        if (testRows != null) testRows.forEach(r -> raw.add(r.fields()[0]));
        LabelEncoder enc;
        try {
            enc = LabelEncoder.fit(raw);
        } catch (IllegalArgumentException e) {
            throw DataFormatException.in(trainFile, e.getMessage());
        }
        ArrayDataset train = toDataset(trainFile, trainRows, enc, -1);
        Optional<ArrayDataset> test = testRows == null ? Optional.empty()
                : Optional.of(toDataset(testFile, testRows, enc, train.sampleShape()[1]));
        return new UcrSplits(name, train, test, enc);
    }

    /**
     * The official TRAIN/TEST pair, or where TEST is missing a stratified split of TRAIN with {@code testFraction}
     * held out by {@link Splits#stratified} (the shared README's rule: report such results as non-official).
     */
    public static TrainTest officialOrStratified(UcrSplits s, double testFraction, long seed) {
        if (s.test().isPresent()) return new TrainTest(s.train(), s.test().get(), true);
        int[][] parts = Splits.stratified(s.train().labels(), new double[] {1 - testFraction, testFraction}, seed);
        return new TrainTest(s.train().subset(parts[0]), s.train().subset(parts[1]), false);
    }

    /** One label-first TSV file on its own (labels mapped by {@code enc}); expectedLength -1 = take the first row's. */
    static ArrayDataset toDataset(Path file, List<DelimitedReader.Line> rows, LabelEncoder enc, int expectedLength) {
        int length = rows.getFirst().fields().length - 1;
        if (length < 1) throw DataFormatException.at(file, 1, "expected a label and at least one value");
        if (expectedLength >= 0 && length != expectedLength)
            throw DataFormatException.in(file, "series length " + length + " differs from the TRAIN length " + expectedLength);
        float[] x = new float[rows.size() * length];
        int[] y = new int[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            String[] r = rows.get(i).fields();
            int line = rows.get(i).number();
            try {
                y[i] = enc.encode(r[0]);
            } catch (IllegalArgumentException e) {
                throw DataFormatException.at(file, line, "column 0 (label): " + e.getMessage());
            }
            for (int j = 0; j < length; j++) {
                try {
                    x[i * length + j] = Float.parseFloat(r[j + 1]);
                } catch (NumberFormatException e) {
                    throw DataFormatException.at(file, line, "column " + (j + 1) + ": expected a number, found '" + r[j + 1] + "'");
                }
            }
        }
        return new ArrayDataset(x, new int[] {1, length}, new Targets.ClassLabels(y, enc.numClasses()), enc.classNames());
    }
}
