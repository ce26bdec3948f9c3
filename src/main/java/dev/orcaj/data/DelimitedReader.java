package dev.orcaj.data;

import dev.orcaj.io.HeapBudget;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * CSV / TSV reader producing a typed {@link Table}. Fields may be double-quoted ("" escapes a quote). A column is
 * numeric when every non-missing entry parses as a number, otherwise nominal with its distinct values sorted as
 * categories. Missing entries: empty, "?", "NA", "NaN".
 */
public final class DelimitedReader {

    /** Heap bytes per file byte once a delimited file is held as String fields (object headers dominate short fields). */
    static final int TEXT_EXPANSION = 8;

    public static final Set<String> MISSING = Set.of("", "?", "NA", "NaN", "nan");

    /** delimiter ',' or '\t' (any char); header = first line holds column names (else "c0", "c1", ...). */
    public record Options(char delimiter, boolean header) {
        public static Options csv() { return new Options(',', true); }
        public static Options tsv() { return new Options('\t', false); }
        public Options withHeader(boolean h) { return new Options(delimiter, h); }
    }

    private DelimitedReader() {}

    /** One non-blank line: its 1-based number in the file and its fields. */
    public record Line(int number, String[] fields) {}

    public static Table read(Path file, Options options) {
        return toTable(file.toString(), readLines(file, options), options.header());
    }

    /** Raw string fields per non-blank line (header included when present); every line must have the first line's width. */
    public static List<Line> readLines(Path file, Options options) {
        List<Line> rows = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            HeapBudget.requireFile(file, TEXT_EXPANSION, "rows of text fields");
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) line = line.substring(1);
                if (line.isBlank()) continue;
                String[] fields = split(line, options.delimiter(), file, lineNo);
                if (!rows.isEmpty() && fields.length != rows.getFirst().fields().length)
                    throw DataFormatException.at(file, lineNo, "expected " + rows.getFirst().fields().length + " fields like the first line, found "
                            + fields.length);
                rows.add(new Line(lineNo, fields));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (rows.isEmpty()) throw DataFormatException.in(file, "no data lines");
        return rows;
    }

    static String[] split(String line, char delimiter, Object file, int lineNo) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0, n = line.length();
        while (true) {
            field.setLength(0);
            while (i < n && line.charAt(i) == ' ' && delimiter != ' ') i++;
            if (i < n && line.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) throw DataFormatException.at(file, lineNo, "unterminated quoted field " + (out.size() + 1));
                    char c = line.charAt(i++);
                    if (c == '"') {
                        if (i < n && line.charAt(i) == '"') { field.append('"'); i++; } else break;
                    } else field.append(c);
                }
                while (i < n && line.charAt(i) != delimiter) {
                    if (line.charAt(i) != ' ')
                        throw DataFormatException.at(file, lineNo, "text after closing quote in field " + (out.size() + 1));
                    i++;
                }
                out.add(field.toString());
            } else {
                int end = line.indexOf(delimiter, i);
                if (end < 0) end = n;
                out.add(line.substring(i, end).strip());
                i = end;
            }
            if (i >= n) break;
            i++; // delimiter
            if (i == n) { out.add(""); break; }
        }
        return out.toArray(String[]::new);
    }

    /**
     * A column of numbers with a few stray words (a typo, "abc") silently becomes a nominal feature with one level
     * per distinct number: say so on stderr, naming the file, the column and the first offending cell, when at most
     * 5% (or 3) of its present cells are not numbers.
     */
    private static void warnIfMostlyNumeric(String source, String column, List<Line> rows, int j, int levels) {
        int words = 0, present = 0;
        Line first = null;
        for (Line row : rows) {
            String s = row.fields()[j];
            if (MISSING.contains(s)) continue;
            present++;
            if (!isNumber(s)) {
                words++;
                if (first == null) first = row;
            }
        }
        if (words == present || words > Math.max(3, present / 20)) return;
        System.err.println("orca: warning: " + source + ": column '" + column + "' is read as nominal (" + levels + " levels) because " + words
                + " of its " + present + " cells are not numbers, first '" + first.fields()[j] + "' at line " + first.number()
                + "; if the column is numeric, fix the cell or mark it missing (?, NA)");
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static Table toTable(String source, List<Line> lines, boolean header) {
        List<String[]> rows = lines.stream().map(Line::fields).toList();
        int width = rows.getFirst().length;
        List<String> names = new ArrayList<>();
        for (int j = 0; j < width; j++) names.add(header ? rows.getFirst()[j] : "c" + j);
        int first = header ? 1 : 0;
        int n = rows.size() - first;
        if (n == 0) throw new DataFormatException(source + ": header but no data rows");
        List<Table.Column> columns = new ArrayList<>();
        for (int j = 0; j < width; j++) {
            double[] values = new double[n];
            boolean numeric = true;
            for (int i = 0; i < n && numeric; i++) {
                String s = rows.get(first + i)[j];
                if (MISSING.contains(s)) { values[i] = Double.NaN; continue; }
                try {
                    values[i] = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    numeric = false;
                }
            }
            if (numeric) {
                columns.add(Table.Column.numeric(names.get(j), values));
                continue;
            }
            TreeSet<String> distinct = new TreeSet<>();
            for (int i = 0; i < n; i++) {
                String s = rows.get(first + i)[j];
                if (!MISSING.contains(s)) distinct.add(s);
            }
            List<String> categories = new ArrayList<>(distinct);
            warnIfMostlyNumeric(source, names.get(j), lines.subList(first, lines.size()), j, categories.size());
            Map<String, Integer> code = new HashMap<>();
            for (int k = 0; k < categories.size(); k++) code.put(categories.get(k), k);
            for (int i = 0; i < n; i++) {
                String s = rows.get(first + i)[j];
                values[i] = MISSING.contains(s) ? Double.NaN : code.get(s);
            }
            columns.add(new Table.Column(names.get(j), Table.Kind.NOMINAL, categories, values));
        }
        return new Table(source, columns);
    }
}
