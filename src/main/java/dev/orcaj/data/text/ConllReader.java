package dev.orcaj.data.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Readers for token-tagged corpora, the text source proxy ORCA uses (CoNLL-2003 NER tokens, spec section 3.1;
 * here WNUT-17 NER or UD English-EWT POS, which may be redistributed), and conversions to labelled sets.
 *
 * <ul>
 *   <li>CoNLL (WNUT-17): one token per line, {@code token TAB tag}; a blank or white-space-only line ends a
 *       sentence (WNUT-17 train separates sentences with a lone TAB).</li>
 *   <li>CoNLL-U (UD): 10 TAB-separated columns ID FORM LEMMA UPOS XPOS FEATS HEAD DEPREL DEPS MISC; '#' comments;
 *       blank line between sentences; multiword ranges ({@code 1-2}) and empty nodes ({@code 1.1}) are skipped;
 *       the tag is UPOS.</li>
 * </ul>
 * Files ending in {@code .gz} are decompressed. Malformed lines raise an exception naming file and line.
 */
public final class ConllReader {
    private ConllReader() {}

    /** One sentence: tokens and their tags, of equal length. */
    public record TaggedSentence(List<String> tokens, List<String> tags) {
        public TaggedSentence {
            tokens = List.copyOf(tokens);
            tags = List.copyOf(tags);
            if (tokens.size() != tags.size()) {
                throw new IllegalArgumentException(tokens.size() + " tokens but " + tags.size() + " tags");
            }
        }

        /** The tokens joined by single spaces. */
        public String text() {
            return String.join(" ", tokens);
        }
    }

    /** Reads a CoNLL file of {@code token TAB tag} lines. */
    public static List<TaggedSentence> readConll(Path file) {
        try (BufferedReader r = open(file)) {
            return parseConll(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CoNLL file " + file, e);
        }
    }

    /** Reads a CoNLL-U file with UPOS tags. */
    public static List<TaggedSentence> readConllU(Path file) {
        try (BufferedReader r = open(file)) {
            return parseConllU(r, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read CoNLL-U file " + file, e);
        }
    }

    private static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        if (!file.getFileName().toString().endsWith(".gz")) dev.orcaj.io.HeapBudget.requireFile(file, 8, "sentences of String tokens");
        if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in);
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** Parses CoNLL {@code token TAB tag} text; {@code source} names it in errors. */
    public static List<TaggedSentence> parseConll(Reader reader, String source) throws IOException {
        return parse(reader, (line, lineNo) -> {
            String[] f = line.split("\t", -1);
            if (f.length != 2 || f[0].isEmpty() || f[1].isBlank()) {
                throw new IllegalArgumentException(source + " line " + lineNo
                        + ": expected 'token<TAB>tag', got " + f.length + " field(s): '" + line + "'");
            }
            return new String[] {f[0], f[1].strip()};
        });
    }

    /** Parses CoNLL-U text, tag = UPOS; {@code source} names it in errors. */
    public static List<TaggedSentence> parseConllU(Reader reader, String source) throws IOException {
        return parse(reader, (line, lineNo) -> {
            if (line.startsWith("#")) return null;
            String[] f = line.split("\t", -1);
            if (f.length != 10) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected 10 TAB-separated CoNLL-U columns, got "
                        + f.length + ": '" + line + "'");
            }
            String id = f[0];
            if (id.matches("\\d+-\\d+") || id.matches("\\d+\\.\\d+")) return null; // multiword token or empty node
            if (!id.matches("\\d+")) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": ID '" + id + "' is not N, N-M or N.M");
            }
            if (f[3].isEmpty() || f[3].equals("_")) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": UPOS (column 4) is empty for token '" + f[1] + "'");
            }
            return new String[] {f[1], f[3]};
        });
    }

    /** One non-blank line to {token, tag}, or null to skip it; throws naming the line when it is malformed. */
    private interface LineParser {
        String[] parse(String line, int lineNo);
    }

    /** Sentences separated by blank lines, each line through {@code parser}. */
    private static List<TaggedSentence> parse(Reader reader, LineParser parser) throws IOException {
        BufferedReader r = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<TaggedSentence> out = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        List<String> tags = new ArrayList<>();
        int lineNo = 0;
        for (String line; (line = r.readLine()) != null; ) {
            lineNo++;
            if (line.isBlank()) {
                flush(tokens, tags, out);
                continue;
            }
            String[] tokenTag = parser.parse(line, lineNo);
            if (tokenTag == null) continue;
            tokens.add(tokenTag[0]);
            tags.add(tokenTag[1]);
        }
        flush(tokens, tags, out);
        return out;
    }

    private static void flush(List<String> tokens, List<String> tags, List<TaggedSentence> out) {
        if (tokens.isEmpty()) return;
        out.add(new TaggedSentence(tokens, tags));
        tokens.clear();
        tags.clear();
    }

    /** {@code B-person}/{@code I-person} to {@code person}; other tags (O, UPOS) unchanged. */
    public static String entityType(String tag) {
        return tag.length() > 2 && (tag.startsWith("B-") || tag.startsWith("I-")) ? tag.substring(2) : tag;
    }

    /**
     * One sample per sentence: text = tokens joined by spaces; label = the sentence's most frequent tag other than
     * "O" (ties: the one seen first in the sentence), or "O" for a sentence without any. With
     * {@code entityTypes} the BIO prefix is dropped first (B-person and I-person both count as person).
     * For UPOS (no "O") this is the most frequent part of speech of the sentence.
     * Classes are numbered by frequency (most frequent first, ties by name).
     */
    public static LabelledSet sentenceSamples(List<TaggedSentence> sentences, boolean entityTypes) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (TaggedSentence s : sentences) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String tag : s.tags()) {
                String t = entityTypes ? entityType(tag) : tag;
                if (!t.equals("O")) counts.merge(t, 1, Integer::sum);
            }
            String best = "O";
            int bestCount = 0;
            for (var e : counts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            texts.add(s.text());
            labels.add(best);
        }
        return index(texts, labels);
    }

    /**
     * One sample per token, as ORCA's CoNLL source set: text = the token, label = its tag (entity type without
     * BIO prefix when {@code entityTypes}). Classes are numbered by frequency (most frequent first, ties by name).
     */
    public static LabelledSet tokenSamples(List<TaggedSentence> sentences, boolean entityTypes) {
        List<String> texts = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (TaggedSentence s : sentences) {
            for (int i = 0; i < s.tokens().size(); i++) {
                texts.add(s.tokens().get(i));
                labels.add(entityTypes ? entityType(s.tags().get(i)) : s.tags().get(i));
            }
        }
        return index(texts, labels);
    }

    private static LabelledSet index(List<String> texts, List<String> labels) {
        Map<String, Integer> counts = new HashMap<>();
        for (String l : labels) counts.merge(l, 1, Integer::sum);
        List<String> names = new ArrayList<>(counts.keySet());
        names.sort(Comparator.<String>comparingInt(n -> -counts.get(n)).thenComparing(Comparator.naturalOrder()));
        Map<String, Integer> idOf = new HashMap<>();
        for (int i = 0; i < names.size(); i++) idOf.put(names.get(i), i);
        List<LabelledText> items = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) items.add(new LabelledText(texts.get(i), idOf.get(labels.get(i))));
        return new LabelledSet(items, names);
    }
}
