package dev.orcaj.data;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps raw label strings to class ids 0..K-1 and keeps the mapping (class id -> original name).
 * Numeric labels (UCR's -1/1, 1..K, "1.0000000e+00") are ordered by value, so -1 -> 0, 1 -> 1; equal values
 * written differently ("1" and "1.0") are the same class. Other labels are ordered lexicographically, as
 * sklearn's LabelEncoder does; ARFF nominal labels keep their declared order via {@link #ofNames}.
 */
public final class LabelEncoder {

    private final List<String> classNames;
    private final Map<String, Integer> byName;
    private final TreeMap<Double, Integer> byValue; // null for non-numeric labels

    private LabelEncoder(List<String> classNames, TreeMap<Double, Integer> byValue) {
        this.classNames = List.copyOf(classNames);
        this.byName = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) byName.put(classNames.get(i), i);
        this.byValue = byValue;
    }

    /** Learns the classes present in {@code rawLabels} (numeric order if all are numbers, else lexicographic). */
    public static LabelEncoder fit(Collection<String> rawLabels) {
        if (rawLabels.isEmpty()) throw new IllegalArgumentException("LabelEncoder.fit: no labels");
        TreeMap<Double, String> numeric = new TreeMap<>();
        boolean allNumeric = true;
        for (String s : rawLabels) {
            Double v = parseNumber(s);
            if (v == null) { allNumeric = false; break; }
            numeric.putIfAbsent(v, s.strip());
        }
        if (allNumeric) {
            List<String> names = new ArrayList<>();
            TreeMap<Double, Integer> byValue = new TreeMap<>();
            for (var e : numeric.entrySet()) {
                byValue.put(e.getKey(), names.size());
                names.add(canonical(e.getKey()));
            }
            return new LabelEncoder(names, byValue);
        }
        return new LabelEncoder(new ArrayList<>(new TreeSet<>(rawLabels.stream().map(String::strip).toList())), null);
    }

    /** Fixed class order, e.g. an ARFF nominal attribute's declared values. */
    public static LabelEncoder ofNames(List<String> classNames) {
        if (new LinkedHashSet<>(classNames).size() != classNames.size())
            throw new IllegalArgumentException("LabelEncoder.ofNames: duplicate class names " + classNames);
        return new LabelEncoder(classNames, null);
    }

    public List<String> classNames() {
        return classNames;
    }

    public int numClasses() {
        return classNames.size();
    }

    /** Class id of a raw label; throws naming the label and the known classes when it is unknown. */
    public int encode(String raw) {
        if (byValue != null) {
            Double v = parseNumber(raw);
            Integer id = v == null ? null : byValue.get(v);
            if (id != null) return id;
        } else {
            Integer id = byName.get(raw.strip());
            if (id != null) return id;
        }
        throw new IllegalArgumentException("unknown label '" + raw + "', expected one of " + classNames);
    }

    static Double parseNumber(String s) {
        try {
            double v = Double.parseDouble(s.strip());
            return Double.isFinite(v) ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String canonical(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
