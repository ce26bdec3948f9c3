package dev.orcaj.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WordNet 3.1 data files from the classpath; expected values read off the files by hand (grep/awk). */
class WordNetGlossesTest {
    private static WordNetGlosses wn;

    @BeforeAll
    static void load() {
        wn = WordNetGlosses.fromClasspath();
    }

    @Test
    void parsesTheAdverbLineByHand() {
        String line = "00001740 02 r 02 a_cappella 0 a_capella 0 002 \\ 02260096 a 0202 \\ 02260096 a 0101 "
                + "| without musical accompaniment; \"they performed a cappella\"  ";
        var s = WordNetGlosses.parseLine(line, "test");
        assertEquals(1740, s.offset());
        assertEquals(2, s.lexFile());
        assertEquals("adv.all", WordNetGlosses.LEXICOGRAPHER_FILES.get(s.lexFile()));
        assertEquals('r', s.type());
        assertEquals(List.of("a cappella", "a capella"), s.words());
        assertEquals("without musical accompaniment; \"they performed a cappella\"", s.gloss());
    }

    /** The parser's field splitter against the regex split it replaces, on single, repeated, leading-free and empty cases. */
    @Test
    void fieldSplitterEqualsRegexSplitOnSpaces() {
        for (String s : new String[] {"", "a", "00001740 02 r 02 a_cappella 0", "a  b   c", "x\ty z", "one", "a b c d e f g h"}) {
            assertArrayEquals(s.split(" +"), WordNetGlosses.fieldsBetweenSpaces(s), "'" + s + "'");
        }
    }

    @Test
    void classpathFilesHoldTheExpectedSynsets() {
        // non-header lines: data.noun 82192 + data.verb 13789 + data.adj 18185 + data.adv 3625 (grep -vc '^  ')
        assertEquals(117791, wn.synsets().size());
        var dog = wn.synsets().stream().filter(s -> s.offset() == 2086723 && s.type() == 'n').findFirst().orElseThrow();
        assertEquals("noun.animal", WordNetGlosses.LEXICOGRAPHER_FILES.get(dog.lexFile()));
        assertEquals(List.of("dog", "domestic dog", "Canis familiaris"), dog.words());
        assertTrue(dog.gloss().startsWith("a member of the genus Canis (probably descended from the common wolf)"));
        assertTrue(dog.gloss().endsWith("\"the dog barked all night\""));
        // category sizes by awk over field 2: adj.all 14460, noun.artifact 11605, noun.person 11073, noun.plant 8032
        assertEquals(List.of("adj.all", "noun.artifact", "noun.person", "noun.plant"), wn.topCategories(4));
        assertEquals(45, WordNetGlosses.LEXICOGRAPHER_FILES.size());
    }

    @Test
    void loadIsSeededAndClassBalanced() {
        List<LabelledText> a = wn.load(5, 1000, 42);
        assertEquals(1000, a.size());
        int[] counts = new int[5];
        for (LabelledText t : a) counts[t.label()]++;
        assertArrayEquals(new int[] {200, 200, 200, 200, 200}, counts);
        assertEquals(a, wn.load(5, 1000, 42));
        assertNotEquals(a, wn.load(5, 1000, 43));
        // every sampled (gloss, category) is drawn at most as often as synsets of that category carry the gloss
        // (a few glosses are shared by several synsets, so texts alone need not be distinct)
        List<String> names = wn.topCategories(5);
        Map<String, Integer> available = new HashMap<>();
        for (var s : wn.synsets()) available.merge(s.lexFile() + "|" + s.gloss(), 1, Integer::sum);
        Map<String, Integer> drawn = new HashMap<>();
        for (LabelledText t : a) {
            int lex = WordNetGlosses.LEXICOGRAPHER_FILES.indexOf(names.get(t.label()));
            drawn.merge(lex + "|" + t.text(), 1, Integer::sum);
        }
        drawn.forEach((k, n) -> assertTrue(n <= available.getOrDefault(k, 0), k));
    }

    @Test
    void smallCategoriesGiveAllTheirItems() {
        // 45 categories: verb.weather (81) and adj.ppl (60) are smaller than 9000 / 45 = 200
        LabelledSet s = wn.labelledSet(45, 9000, 1);
        assertEquals(9000, s.size());
        int[] counts = s.classCounts();
        assertEquals(60, counts[s.classNames().indexOf("adj.ppl")]);
        assertEquals(81, counts[s.classNames().indexOf("verb.weather")]);
        // water filling: a class either gives all its synsets or gets the common level (or one less)
        int[] sizes = wn.allGlosses().topClasses(45).classCounts();
        int level = java.util.Arrays.stream(counts).max().orElseThrow();
        assertTrue(level > 200, "small classes' shares go to the others, level " + level);
        for (int c = 0; c < 45; c++) {
            assertTrue(counts[c] == sizes[c] || counts[c] >= level - 1, s.classNames().get(c) + ": " + counts[c]);
        }
    }

    @Test
    void quotaIsWaterFilling() {
        // ascending sizes: 2 takes all (12/3 = 4 > 2), then 10/2 = 5 each
        assertArrayEquals(new int[] {2, 5, 5}, LabelledSet.balancedQuota(new int[] {2, 10, 10}, 12));
        // 8 over three classes of 3: 8/3 = 2, 6/2 = 3, 3/1 = 3
        assertArrayEquals(new int[] {2, 3, 3}, LabelledSet.balancedQuota(new int[] {3, 3, 3}, 8));
        assertArrayEquals(new int[] {3, 3, 3}, LabelledSet.balancedQuota(new int[] {3, 3, 3}, 100));
        // 10 over 4 classes: 10/4 = 2 -> 2, 8/3 = 2, 6/2 = 3, 3 -> [2, 2, 3, 3]
        assertArrayEquals(new int[] {2, 2, 3, 3}, LabelledSet.balancedQuota(new int[] {50, 50, 50, 50}, 10));
    }

    @Test
    void malformedLinesNameFileAndLine(@TempDir Path dir) throws Exception {
        String header = "  1 This software and database is being provided to you, the LICENSEE, by  \n";
        String good = "00001740 02 r 02 a_cappella 0 a_capella 0 000 | without musical accompaniment  \n";
        Files.writeString(dir.resolve("data.noun"), header + good);
        Files.writeString(dir.resolve("data.verb"), header + good);
        Files.writeString(dir.resolve("data.adj"), header + good + "00001741 99 a 01 big 0 000 | large\n");
        Files.writeString(dir.resolve("data.adv"), header + good);
        var e = assertThrows(IllegalArgumentException.class, () -> WordNetGlosses.fromDirectory(dir));
        assertTrue(e.getMessage().contains("data.adj line 3") && e.getMessage().contains("lex_filenum 99"), e.getMessage());
        Files.writeString(dir.resolve("data.adj"), header + "00001741 00 a 01 big 0 000 large\n");
        var e2 = assertThrows(IllegalArgumentException.class, () -> WordNetGlosses.fromDirectory(dir));
        assertTrue(e2.getMessage().contains("data.adj line 2") && e2.getMessage().contains("' | '"), e2.getMessage());
        Files.writeString(dir.resolve("data.adj"), header + good);
        assertEquals(4, WordNetGlosses.fromDirectory(dir).synsets().size());
    }
}
