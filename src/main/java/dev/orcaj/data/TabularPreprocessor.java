package dev.orcaj.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ORCA's tabular recipe (paper appendix A.6): drop rows whose label is missing, drop feature columns with any
 * missing entry, standardize numeric features with mean / standard deviation from the training split only, one-hot
 * encode nominal features. Use {@link #clean} on the whole table (a structural choice: no statistics), split the
 * rows, {@link #fit} on the training rows and {@link #apply} the same fitted transform to train, validation and test.
 *
 * <p>Output layouts: {@link Layout#FLAT} gives samples {1, D} with D = #numeric + sum of category counts;
 * {@link Layout#ORCA_PADDED} follows the official loader (spec section 7): with nominal features, samples
 * {maxCat, F}: column j is feature j, holding its one-hot code (zero-padded to maxCat) or, for a numeric feature, its
 * standardized value in row 0; with only numeric features {1, F}.
 */
public final class TabularPreprocessor {

    public enum Layout { FLAT, ORCA_PADDED }

    private TabularPreprocessor() {}

    /**
     * Drops rows with a missing label and feature columns with a missing entry; a numeric label becomes nominal
     * (see {@link #nominalLabel}) so every later split shares the same classes.
     */
    public static Table clean(Table table, String labelColumn) {
        double[] y = table.column(labelColumn).values();
        int[] keep = java.util.stream.IntStream.range(0, y.length).filter(i -> !Double.isNaN(y[i])).toArray();
        if (keep.length == 0) throw new IllegalArgumentException(table.source() + ": every label in '" + labelColumn + "' is missing");
        Table rows = table.selectRows(keep);
        Set<String> drop = new HashSet<>();
        for (Table.Column c : rows.columns()) if (!c.name().equals(labelColumn) && c.hasMissing()) drop.add(c.name());
        Table out = rows.withoutColumns(drop);
        if (out.columns().size() < 2) throw new IllegalArgumentException(table.source() + ": every feature column has missing entries");
        return nominalLabel(out, labelColumn);
    }

    /** A fitted transform: feature columns, their kinds and the training mean / std of the numeric ones. */
    public record Transform(String labelColumn, List<Table.Column> schema, double[] mean, double[] std, LabelEncoder labels, Layout layout) {

        /** Applies the transform to rows of a table with the same columns (e.g. validation / test split). */
        public ArrayDataset apply(Table table) {
            int n = table.rows(), features = schema.size();
            List<double[]> cols = new ArrayList<>();
            for (Table.Column s : schema) {
                Table.Column c = table.column(s.name());
                if (c.kind() != s.kind() || !c.categories().equals(s.categories()))
                    throw new IllegalArgumentException(table.source() + ": column '" + s.name() + "' differs in type or categories from the fitted one");
                for (int i = 0; i < n; i++)
                    if (Double.isNaN(c.values()[i]))
                        throw new IllegalArgumentException(table.source() + ": column '" + s.name() + "' row " + i + " is missing; clean() the whole table first");
                cols.add(c.values());
            }
            int maxCat = 1, flatWidth = 0;
            for (Table.Column s : schema) {
                int w = s.kind() == Table.Kind.NOMINAL ? s.categories().size() : 1;
                maxCat = Math.max(maxCat, w);
                flatWidth += w;
            }
            boolean padded = layout == Layout.ORCA_PADDED;
            int[] shape = padded ? new int[] {maxCat, features} : new int[] {1, flatWidth};
            int width = shape[0] * shape[1];
            float[] x = new float[n * width];
            for (int i = 0; i < n; i++) {
                int offset = 0;
                for (int j = 0; j < features; j++) {
                    Table.Column s = schema.get(j);
                    double v = cols.get(j)[i];
                    if (s.kind() == Table.Kind.NUMERIC) {
                        float z = (float) ((v - mean[j]) / std[j]);
                        x[i * width + (padded ? j : offset)] = z;
                        offset++;
                    } else {
                        int code = (int) v;
                        x[i * width + (padded ? code * features + j : offset + code)] = 1f;
                        offset += s.categories().size();
                    }
                }
            }
            Table.LabelColumn y = table.labels(labelColumn);
            if (!y.encoder().classNames().equals(labels.classNames()))
                throw new IllegalArgumentException(table.source() + ": label classes " + y.encoder().classNames() + " differ from fitted " + labels.classNames());
            return new ArrayDataset(x, shape, new Targets.ClassLabels(y.ids(), labels.numClasses()), labels.classNames());
        }
    }

    /**
     * Learns the standardization from {@code train} (mean and population std, as sklearn's StandardScaler; a
     * constant column gets std 1 so it maps to 0). Label classes come from the label column's categories, so fit on
     * a table from {@link #clean} whose nominal label lists every class.
     */
    public static Transform fit(Table train, String labelColumn, Layout layout) {
        List<Table.Column> schema = new ArrayList<>();
        for (Table.Column c : train.columns()) if (!c.name().equals(labelColumn)) schema.add(c);
        Table.Column label = train.column(labelColumn);
        double[] mean = new double[schema.size()], std = new double[schema.size()];
        int n = train.rows();
        for (int j = 0; j < schema.size(); j++) {
            Table.Column c = schema.get(j);
            if (c.hasMissing())
                throw new IllegalArgumentException(train.source() + ": column '" + c.name() + "' has missing entries; clean() first");
            if (c.kind() != Table.Kind.NUMERIC) continue;
            double s = 0;
            for (double v : c.values()) s += v;
            mean[j] = s / n;
            double ss = 0;
            for (double v : c.values()) ss += (v - mean[j]) * (v - mean[j]);
            double sd = Math.sqrt(ss / n);
            std[j] = sd > 0 ? sd : 1;
        }
        if (label.kind() != Table.Kind.NOMINAL)
            throw new IllegalArgumentException(train.source() + ": label '" + labelColumn + "' is numeric; clean() or nominalLabel() the whole table first");
        // keep only names, kinds and categories, not the training values
        List<Table.Column> names = schema.stream().map(c -> new Table.Column(c.name(), c.kind(), c.categories(), new double[0])).toList();
        return new Transform(labelColumn, names, mean, std, LabelEncoder.ofNames(label.categories()), layout);
    }

    /** A numeric label column turned nominal (classes = distinct values in numeric order) so all splits share classes. */
    public static Table nominalLabel(Table table, String labelColumn) {
        Table.Column c = table.column(labelColumn);
        if (c.kind() == Table.Kind.NOMINAL) return table;
        Table.LabelColumn lc = table.labels(labelColumn);
        double[] codes = new double[lc.ids().length];
        for (int i = 0; i < codes.length; i++) codes[i] = lc.ids()[i];
        List<Table.Column> cols = new ArrayList<>(table.columns());
        cols.set(table.indexOf(labelColumn), new Table.Column(c.name(), Table.Kind.NOMINAL, lc.encoder().classNames(), codes));
        return new Table(table.source(), cols);
    }
}
