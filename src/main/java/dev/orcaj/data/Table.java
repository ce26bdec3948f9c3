package dev.orcaj.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A typed table as read from CSV or ARFF before preprocessing. Numeric columns hold values, nominal columns hold
 * category codes (index into {@code categories}); missing entries are NaN in both.
 */
public record Table(String source, List<Column> columns) {

    public enum Kind { NUMERIC, NOMINAL }

    public record Column(String name, Kind kind, List<String> categories, double[] values) {
        public Column {
            categories = List.copyOf(categories);
            if (kind == Kind.NUMERIC && !categories.isEmpty())
                throw new IllegalArgumentException("numeric column '" + name + "' cannot have categories");
        }

        public static Column numeric(String name, double[] values) {
            return new Column(name, Kind.NUMERIC, List.of(), values);
        }

        public boolean hasMissing() {
            for (double v : values) if (Double.isNaN(v)) return true;
            return false;
        }
    }

    public Table {
        columns = List.copyOf(columns);
        if (columns.isEmpty()) throw new IllegalArgumentException(source + ": table has no columns");
        int n = columns.getFirst().values().length;
        for (Column c : columns)
            if (c.values().length != n)
                throw new IllegalArgumentException(source + ": column '" + c.name() + "' has " + c.values().length + " rows, expected " + n);
    }

    public int rows() {
        return columns.getFirst().values().length;
    }

    public List<String> columnNames() {
        return columns.stream().map(Column::name).toList();
    }

    public int indexOf(String name) {
        for (int i = 0; i < columns.size(); i++) if (columns.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException(source + ": no column '" + name + "'; columns are " + columnNames());
    }

    public Column column(String name) {
        return columns.get(indexOf(name));
    }

    public Column column(int index) {
        if (index < 0 || index >= columns.size())
            throw new IllegalArgumentException(source + ": column index " + index + " outside [0, " + columns.size() + ")");
        return columns.get(index);
    }

    /** The given rows, in order (copies). */
    public Table selectRows(int[] rows) {
        List<Column> out = new ArrayList<>();
        for (Column c : columns) {
            double[] v = new double[rows.length];
            for (int i = 0; i < rows.length; i++) v[i] = c.values()[rows[i]];
            out.add(new Column(c.name(), c.kind(), c.categories(), v));
        }
        return new Table(source, out);
    }

    public Table withoutColumns(Set<String> names) {
        return new Table(source, columns.stream().filter(c -> !names.contains(c.name())).toList());
    }

    /**
     * Class ids of a label column with the mapping: nominal labels keep their category order, numeric labels are
     * ordered by value (see {@link LabelEncoder}). Fails on missing labels (drop those rows first).
     */
    public LabelColumn labels(String labelColumn) {
        Column c = column(labelColumn);
        int[] ids = new int[rows()];
        if (c.kind() == Kind.NOMINAL) {
            for (int i = 0; i < ids.length; i++) {
                if (Double.isNaN(c.values()[i])) throw new IllegalArgumentException(source + ": row " + i + " has a missing label '" + c.name() + "'");
                ids[i] = (int) c.values()[i];
            }
            return new LabelColumn(ids, LabelEncoder.ofNames(c.categories()));
        }
        List<String> raw = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (Double.isNaN(c.values()[i])) throw new IllegalArgumentException(source + ": row " + i + " has a missing label '" + c.name() + "'");
            raw.add(Double.toString(c.values()[i]));
        }
        LabelEncoder enc = LabelEncoder.fit(raw);
        for (int i = 0; i < ids.length; i++) ids[i] = enc.encode(raw.get(i));
        return new LabelColumn(ids, enc);
    }

    public record LabelColumn(int[] ids, LabelEncoder encoder) {}

    /**
     * All columns except the label as raw features [n, 1, F] (nominal columns as their codes), no preprocessing.
     * For ORCA's tabular recipe use {@link TabularPreprocessor} instead.
     */
    public ArrayDataset toRawDataset(int labelColumn) {
        return toRawDataset(column(labelColumn).name());
    }

    /** As {@link #toRawDataset(int)}, the label column given by name. */
    public ArrayDataset toRawDataset(String labelColumn) {
        int label = indexOf(labelColumn);
        LabelColumn lc = labels(labelColumn);
        int f = columns.size() - 1, n = rows();
        float[] x = new float[n * f];
        int j = 0;
        for (int c = 0; c < columns.size(); c++) {
            if (c == label) continue;
            double[] v = columns.get(c).values();
            for (int i = 0; i < n; i++) x[i * f + j] = (float) v[i];
            j++;
        }
        return new ArrayDataset(x, new int[] {1, f}, new Targets.ClassLabels(lc.ids(), lc.encoder().numClasses()),
                lc.encoder().classNames());
    }

    @Override
    public String toString() {
        return "Table[" + source + ", " + rows() + " rows, columns " + columnNames() + "]";
    }
}
