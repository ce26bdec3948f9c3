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
import java.util.Locale;
import java.util.Map;

/**
 * WEKA ARFF reader (https://waikato.github.io/weka-wiki/formats_and_processors/arff_stable/): numeric / real /
 * integer and nominal {a,b,...} attributes, string attributes (read as nominal over their distinct values), missing
 * values "?", single- or double-quoted names and values, '%' comments, and the sparse data format
 * "{index value, ...}" where an omitted entry is 0 (numeric) or the first declared value (nominal), as in WEKA.
 * A range after a numeric type ("integer [1,10]") is accepted and ignored.
 * Date and relational attributes are rejected with a clear error.
 */
public final class ArffReader {

    private record Attribute(String name, Table.Kind kind, List<String> categories, boolean string) {}

    /** One value as written: quoted values are never the missing marker (WEKA reads '?' quoted as a value). */
    private record Value(String text, boolean quoted) {}

    private ArffReader() {}

    public static Table read(Path file) {
        List<Attribute> attributes = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        List<Map<String, Integer>> index = new ArrayList<>();
        boolean inData = false;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            HeapBudget.requireFile(file, DelimitedReader.TEXT_EXPANSION, "rows of text fields");
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("%")) continue;
                if (!inData) {
                    String lower = t.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("@relation")) continue;
                    if (lower.startsWith("@attribute")) {
                        Attribute a = parseAttribute(t.substring("@attribute".length()).strip(), file, lineNo);
                        attributes.add(a);
                        Map<String, Integer> m = new HashMap<>();
                        for (int k = 0; k < a.categories().size(); k++) m.put(a.categories().get(k), k);
                        index.add(m);
                    } else if (lower.startsWith("@data")) {
                        if (attributes.isEmpty()) throw DataFormatException.at(file, lineNo, "@data before any @attribute");
                        inData = true;
                    } else {
                        throw DataFormatException.at(file, lineNo, "expected @relation, @attribute or @data, found '" + abbreviate(t) + "'");
                    }
                    continue;
                }
                rows.add(t.startsWith("{") ? parseSparse(t, attributes, index, file, lineNo)
                        : parseDense(t, attributes, index, file, lineNo));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        if (!inData) throw DataFormatException.in(file, "no @data section");
        if (rows.isEmpty()) throw DataFormatException.in(file, "no data rows after @data");
        List<Table.Column> columns = new ArrayList<>();
        for (int j = 0; j < attributes.size(); j++) {
            Attribute a = attributes.get(j);
            double[] v = new double[rows.size()];
            for (int i = 0; i < v.length; i++) v[i] = rows.get(i)[j];
            // string attributes grew their category list while reading
            columns.add(new Table.Column(a.name(), a.kind(), a.categories(), v));
        }
        return new Table(file.toString(), columns);
    }

    private static Attribute parseAttribute(String rest, Path file, int lineNo) {
        Tokenizer tok = new Tokenizer(rest, file, lineNo);
        String name = tok.nextToken(" \t{");
        if (name.isEmpty()) throw DataFormatException.at(file, lineNo, "attribute without a name");
        tok.skipSpaces();
        String type = tok.remaining().strip();
        if (type.startsWith("{")) {
            if (!type.endsWith("}")) throw DataFormatException.at(file, lineNo, "nominal attribute '" + name + "': expected '}' at the end");
            List<String> values = splitValues(type.substring(1, type.length() - 1), file, lineNo).stream().map(Value::text).toList();
            if (values.isEmpty()) throw DataFormatException.at(file, lineNo, "nominal attribute '" + name + "' has no values");
            return new Attribute(name, Table.Kind.NOMINAL, values, false);
        }
        // some writers append a value range to numeric types, e.g. "integer [1,10]"; the range is not enforced
        String baseType = type.replaceFirst("(?i)^(numeric|real|integer)\\s*[\\[(].*[\\])]$", "$1");
        return switch (baseType.toLowerCase(Locale.ROOT)) {
            case "numeric", "real", "integer" -> new Attribute(name, Table.Kind.NUMERIC, List.of(), false);
            case "string" -> new Attribute(name, Table.Kind.NOMINAL, new ArrayList<>(), true);
            default -> throw DataFormatException.at(file, lineNo, "attribute '" + name + "': unsupported type '" + type
                    + "', expected numeric, real, integer, string or {nominal values}");
        };
    }

    private static double[] parseDense(String line, List<Attribute> attrs, List<Map<String, Integer>> index, Path file, int lineNo) {
        List<Value> values = splitValues(line, file, lineNo);
        if (values.size() != attrs.size())
            throw DataFormatException.at(file, lineNo, "expected " + attrs.size() + " values, found " + values.size());
        double[] row = new double[attrs.size()];
        for (int j = 0; j < row.length; j++) row[j] = decode(values.get(j), j, attrs, index, file, lineNo);
        return row;
    }

    private static double[] parseSparse(String line, List<Attribute> attrs, List<Map<String, Integer>> index, Path file, int lineNo) {
        if (!line.endsWith("}")) throw DataFormatException.at(file, lineNo, "sparse row: expected '}' at the end");
        double[] row = new double[attrs.size()]; // omitted: numeric 0, nominal code 0 (the first declared value)
        for (Value entry : splitValues(line.substring(1, line.length() - 1), file, lineNo)) {
            Tokenizer tok = new Tokenizer(entry.text(), file, lineNo);
            String idx = tok.nextToken(" \t");
            tok.skipSpaces();
            int j;
            try {
                j = Integer.parseInt(idx);
            } catch (NumberFormatException e) {
                throw DataFormatException.at(file, lineNo, "sparse entry '" + entry.text() + "': expected 'index value'");
            }
            if (j < 0 || j >= attrs.size())
                throw DataFormatException.at(file, lineNo, "sparse index " + j + " outside [0, " + attrs.size() + ")");
            row[j] = decode(new Tokenizer(tok.remaining().strip(), file, lineNo).nextValue(""), j, attrs, index, file, lineNo);
        }
        return row;
    }

    private static double decode(Value v, int j, List<Attribute> attrs, List<Map<String, Integer>> index, Path file, int lineNo) {
        if (!v.quoted() && v.text().equals("?")) return Double.NaN;
        String value = v.text();
        Attribute a = attrs.get(j);
        if (a.kind() == Table.Kind.NUMERIC) {
            try {
                return Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw DataFormatException.at(file, lineNo, "attribute '" + a.name() + "': expected a number, found '" + value + "'");
            }
        }
        Integer code = index.get(j).get(value);
        if (code == null && a.string()) {
            code = a.categories().size();
            a.categories().add(value);
            index.get(j).put(value, code);
        }
        if (code == null)
            throw DataFormatException.at(file, lineNo, "attribute '" + a.name() + "': value '" + value + "' not in " + a.categories());
        return code;
    }

    /** Comma-separated values with optional single/double quotes (backslash escapes inside quotes). */
    private static List<Value> splitValues(String s, Object file, int lineNo) {
        List<Value> out = new ArrayList<>();
        Tokenizer tok = new Tokenizer(s, file, lineNo);
        tok.skipSpaces();
        if (tok.atEnd()) return out;
        while (true) {
            tok.skipSpaces();
            out.add(tok.nextValue(","));
            tok.skipSpaces();
            if (tok.atEnd()) return out;
            tok.expect(',');
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    /** Reads one possibly-quoted token at a time. */
    private static final class Tokenizer {
        private final String s;
        private final Object file;
        private final int lineNo;
        private int pos;

        Tokenizer(String s, Object file, int lineNo) {
            this.s = s;
            this.file = file;
            this.lineNo = lineNo;
        }

        boolean atEnd() { return pos >= s.length(); }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        String remaining() { return s.substring(pos); }

        void expect(char c) {
            if (atEnd() || s.charAt(pos) != c)
                throw DataFormatException.at(file, lineNo, "expected '" + c + "' at column " + (pos + 1) + " of '" + abbreviate(s) + "'");
            pos++;
        }

        /** A quoted token (quotes removed), or everything up to one of the stop characters, stripped. */
        String nextToken(String stops) {
            return nextValue(stops).text();
        }

        Value nextValue(String stops) {
            if (!atEnd() && (s.charAt(pos) == '\'' || s.charAt(pos) == '"')) {
                char q = s.charAt(pos++);
                StringBuilder b = new StringBuilder();
                while (true) {
                    if (atEnd()) throw DataFormatException.at(file, lineNo, "unterminated quote " + q + " in '" + abbreviate(s) + "'");
                    char c = s.charAt(pos++);
                    if (c == '\\' && !atEnd()) b.append(s.charAt(pos++));
                    else if (c == q) return new Value(b.toString(), true);
                    else b.append(c);
                }
            }
            int start = pos;
            while (pos < s.length() && stops.indexOf(s.charAt(pos)) < 0) pos++;
            return new Value(s.substring(start, pos).strip(), false);
        }
    }
}
