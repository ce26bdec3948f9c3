package dev.orcaj.cli;

import dev.orcaj.ot.LabelledPoints;
import dev.orcaj.ot.PointCloud;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Reads a labelled dataset (features + one label column) for the {@code otdd} command. One method per
 * format, chosen by file extension: CSV/TSV with a label column, or a {@code FEATURES.npy,LABELS.npy} pair.
 */
final class LabelledDatasetReader {
    /** The data plus the label text of each class index. */
    record Dataset(LabelledPoints data, List<String> classNames) {}

    private LabelledDatasetReader() {}

    static Dataset read(Path file, String labelColumn) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) return readDelimited(file, labelColumn, ",");
        if (name.endsWith(".tsv")) return readDelimited(file, labelColumn, "\t");
        if (name.endsWith(".npy")) return readNpy(file, labelColumn);
        throw new IllegalArgumentException(file + ": unsupported dataset format (expected .csv, .tsv or FEATURES.npy,LABELS.npy)");
    }

    /** {@code FEATURES.npy,LABELS.npy}: features [n, d] (or [n, ...], flattened), labels [n] of any numeric dtype. */
    static Dataset readNpy(Path file, String labelColumn) throws IOException {
        String[] parts = file.toString().split(",");
        if (parts.length != 2) throw new IllegalArgumentException(file + ": a .npy dataset is given as FEATURES.npy,LABELS.npy");
        dev.orcaj.io.NdArray x = readArray(Path.of(parts[0])), y = readArray(Path.of(parts[1]));
        long n = x.shape()[0];
        if (x.rank() < 2) throw new IllegalArgumentException(parts[0] + ": features must be [n, d], got shape " + Arrays.toString(x.shape()));
        if (y.numel() != n) throw new IllegalArgumentException(parts[1] + ": " + y.numel() + " labels for " + n + " feature rows in " + parts[0]);
        int d = (int) (x.numel() / n);
        double[] values = x.toDoubles();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) throw new IllegalArgumentException(parts[0] + ": non-finite feature at row " + i / d + ", column " + i % d);
        }
        List<String> labels = new ArrayList<>();
        for (double v : y.toDoubles()) labels.add(v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v));
        return labelled(PointCloud.of(values, (int) n, d), labels);
    }

    private static dev.orcaj.io.NdArray readArray(Path p) throws IOException {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException(p + ": file not found");
        return dev.orcaj.io.Npy.read(p);
    }

    /** Header line, then one row per line; every column but the label column is a finite number. */
    static Dataset readDelimited(Path file, String labelColumn, String sep) throws IOException {
        List<String> header;
        List<double[]> rows = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        int labelIdx;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            dev.orcaj.io.HeapBudget.requireFile(file, 8, "rows of numbers and label strings");
            String line = in.readLine();
            if (line == null || line.isBlank()) throw new IllegalArgumentException(file + ": empty file (expected a header line)");
            header = Arrays.stream(line.split(sep, -1)).map(String::trim).toList();
            labelIdx = labelIndex(file, header, labelColumn);
            int lineNo = 1;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) continue;
                String[] f = line.split(sep, -1);
                if (f.length != header.size()) {
                    throw new IllegalArgumentException(file + ": line " + lineNo + " has " + f.length + " fields, the header has " + header.size());
                }
                double[] x = new double[header.size() - 1];
                for (int c = 0, k = 0; c < f.length; c++) {
                    if (c == labelIdx) continue;
                    x[k++] = parseFeature(file, lineNo, header.get(c), f[c].trim());
                }
                rows.add(x);
                labels.add(f[labelIdx].trim());
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": file not found");
        }
        if (rows.isEmpty()) throw new IllegalArgumentException(file + ": no data rows");
        if (header.size() < 2) throw new IllegalArgumentException(file + ": no feature columns besides the label column");
        int d = header.size() - 1, n = rows.size();
        double[] x = new double[n * d];
        for (int i = 0; i < n; i++) System.arraycopy(rows.get(i), 0, x, i * d, d);
        return labelled(PointCloud.of(x, n, d), labels);
    }

    /** Integer labels keep their values; any other text is mapped to indices in sorted order. */
    private static Dataset labelled(PointCloud x, List<String> labels) {
        int[] raw = new int[labels.size()];
        boolean numeric = labels.stream().allMatch(s -> s.matches("[+-]?\\d{1,9}"));
        if (numeric) {
            for (int i = 0; i < raw.length; i++) raw[i] = Integer.parseInt(labels.get(i));
            LabelledPoints lp = LabelledPoints.of(x, raw);
            return new Dataset(lp, Arrays.stream(lp.classIds()).mapToObj(Integer::toString).toList());
        }
        TreeMap<String, Integer> ids = new TreeMap<>();
        for (String s : labels) ids.putIfAbsent(s, 0);
        int next = 0;
        for (var e : ids.entrySet()) e.setValue(next++);
        for (int i = 0; i < raw.length; i++) raw[i] = ids.get(labels.get(i));
        return new Dataset(LabelledPoints.of(x, raw), List.copyOf(ids.keySet()));
    }

    private static int labelIndex(Path file, List<String> header, String labelColumn) {
        int idx = header.indexOf(labelColumn);
        if (idx >= 0) return idx;
        if (labelColumn.matches("-?\\d+")) {
            int i = Integer.parseInt(labelColumn);
            if (i < 0) i += header.size();
            if (i >= 0 && i < header.size()) return i;
        }
        throw new IllegalArgumentException(file + ": no label column '" + labelColumn + "' (columns: " + String.join(", ", header)
                + "); choose one with --label-column NAME or INDEX");
    }

    private static double parseFeature(Path file, int lineNo, String column, String text) {
        double v;
        try {
            v = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + column + "': not a number: '" + text + "'");
        }
        if (!Double.isFinite(v)) {
            throw new IllegalArgumentException(file + ": line " + lineNo + ", column '" + column + "': non-finite feature " + text);
        }
        return v;
    }
}
