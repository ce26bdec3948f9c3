package dev.orcaj.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** StatLog Satellite and DNA splice-junction data as written by R mlbench (see shared/data/mlbench-statlog/README.md). */
public final class StatlogReader {

    public static final int SATELLITE_TRAIN_ROWS = 4435;
    public static final int DNA_TRAIN_ROWS = 2000;

    private static final String BASES = "ACGT";

    private StatlogReader() {}

    /**
     * satellite.csv: 36 columns x.1..x.36 (x.(4(p-1)+b) = band b of pixel p, 3x3 neighbourhood read row by row) and
     * "classes". Samples are {4, 9}: 4 spectral bands as channels over the 9 pixels as a sequence. Class ids follow
     * the sorted class names.
     */
    public static ArrayDataset satellite(Path csv) {
        List<DelimitedReader.Line> rows = DelimitedReader.readLines(csv, DelimitedReader.Options.csv());
        String[] header = rows.getFirst().fields();
        if (header.length != 37 || !header[36].equals("classes") || !header[0].equals("x.1"))
            throw DataFormatException.at(csv, 1, "expected header x.1..x.36,classes, found " + header.length + " columns");
        LabelEncoder enc = LabelEncoder.fit(rows.subList(1, rows.size()).stream().map(r -> r.fields()[36]).toList());
        int n = rows.size() - 1;
        float[] x = new float[n * 36];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String[] r = rows.get(i + 1).fields();
            for (int k = 0; k < 36; k++) {
                int pixel = k / 4, band = k % 4;
                x[i * 36 + band * 9 + pixel] = parse(r[k], csv, rows.get(i + 1).number(), header[k]);
            }
            y[i] = enc.encode(r[36]);
        }
        return new ArrayDataset(x, new int[] {4, 9}, new Targets.ClassLabels(y, enc.numClasses()), enc.classNames());
    }

    /**
     * dna_sequence.csv: "sequence" (60 bases ACGT) and "Class" (ei, ie, n). Samples are one-hot {4, 60}
     * (channels A, C, G, T), as DeepSEA-style inputs.
     */
    public static ArrayDataset dnaSequence(Path csv) {
        List<DelimitedReader.Line> rows = DelimitedReader.readLines(csv, DelimitedReader.Options.csv());
        String[] header = rows.getFirst().fields();
        if (header.length != 2 || !header[0].equals("sequence") || !header[1].equals("Class"))
            throw DataFormatException.at(csv, 1, "expected header sequence,Class");
        List<String> raw = new ArrayList<>();
        for (DelimitedReader.Line r : rows.subList(1, rows.size())) raw.add(r.fields()[1]);
        LabelEncoder enc = LabelEncoder.fit(raw);
        int n = rows.size() - 1, length = rows.get(1).fields()[0].length();
        float[] x = new float[n * 4 * length];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            String seq = rows.get(i + 1).fields()[0];
            int line = rows.get(i + 1).number();
            if (seq.length() != length)
                throw DataFormatException.at(csv, line, "sequence length " + seq.length() + ", expected " + length);
            for (int p = 0; p < length; p++) {
                int b = BASES.indexOf(seq.charAt(p));
                if (b < 0) throw DataFormatException.at(csv, line, "base '" + seq.charAt(p) + "' at position " + (p + 1) + ", expected one of ACGT");
                x[i * 4 * length + b * length + p] = 1f;
            }
            y[i] = enc.encode(rows.get(i + 1).fields()[1]);
        }
        return new ArrayDataset(x, new int[] {4, length}, new Targets.ClassLabels(y, enc.numClasses()), enc.classNames());
    }

    /** The official position split (first {@code trainRows} rows train, rest test). */
    public static TrainTest officialSplit(ArrayDataset all, int trainRows) {
        if (trainRows <= 0 || trainRows >= all.size())
            throw new IllegalArgumentException("StatlogReader.officialSplit: " + trainRows + " training rows of " + all.size());
        return new TrainTest(all.subset(Splits.range(0, trainRows)), all.subset(Splits.range(trainRows, all.size())), true);
    }

    private static float parse(String s, Path file, int line, String column) {
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw DataFormatException.at(file, line, "column " + column + ": expected a number, found '" + s + "'");
        }
    }
}
