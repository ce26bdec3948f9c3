package dev.orcaj.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orcaj.data.text.ConllReader.TaggedSentence;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CoNLL/CoNLL-U readers on ../shared/data (numbers from the datasets' READMEs and awk) and on inline text. */
class ConllReaderTest {
    private static Path data(String rel) {
        Path p = Path.of(System.getProperty("orcaj.shared", "../shared")).resolve("data").resolve(rel);
        if (!Files.exists(p)) throw new IllegalStateException("missing fixture " + p);
        return p;
    }

    private static int tokens(List<TaggedSentence> s) {
        return s.stream().mapToInt(x -> x.tokens().size()).sum();
    }

    @Test
    void wnut17SplitsMatchTheReadme() {
        List<TaggedSentence> train = ConllReader.readConll(data("wnut17/wnut17train.conll"));
        assertEquals(3394, train.size());
        assertEquals(62730, tokens(train));
        List<TaggedSentence> dev = ConllReader.readConll(data("wnut17/emerging.dev.conll"));
        assertEquals(1009, dev.size());
        assertEquals(15733, tokens(dev));
        List<TaggedSentence> test = ConllReader.readConll(data("wnut17/emerging.test.annotated"));
        assertEquals(1287, test.size());
        assertEquals(23394, tokens(test));
        TaggedSentence first = train.get(0);
        assertEquals("@paulwalk It 's the view from where I 'm living for two weeks . Empire State Building = ESB . "
                + "Pretty bad storm here last evening .", first.text());
        assertEquals(List.of("B-location", "I-location", "I-location"), first.tags().subList(14, 17));
        long bPerson = train.stream().flatMap(s -> s.tags().stream()).filter("B-person"::equals).count();
        assertEquals(660, bPerson);
    }

    @Test
    void wnut17TokenAndSentenceSamples() {
        List<TaggedSentence> train = ConllReader.readConll(data("wnut17/wnut17train.conll"));
        LabelledSet tokens = ConllReader.tokenSamples(train, true);
        assertEquals(62730, tokens.size());
        // awk over the tag column with B-/I- removed: O 59570, person 995, location 793, group 414, creative-work 346,
        // product 345, corporation 267
        assertEquals(List.of("O", "person", "location", "group", "creative-work", "product", "corporation"), tokens.classNames());
        assertEquals(995, tokens.classCounts()[1]);
        LabelledSet bio = ConllReader.tokenSamples(train, false);
        assertEquals(13, bio.numClasses());
        // first sentence: 4 location tokens (Empire State Building, ESB), nothing else -> location
        LabelledSet sentences = ConllReader.sentenceSamples(train, true);
        assertEquals(train.size(), sentences.size());
        assertEquals("location", sentences.classNames().get(sentences.items().get(0).label()));
        LabelledSet balanced = tokens.topClasses(3).balancedSample(300, 7);
        assertEquals(List.of(100, 100, 100), java.util.Arrays.stream(balanced.classCounts()).boxed().toList());
    }

    @Test
    void udEwtMatchesTheReadme() {
        List<TaggedSentence> train = ConllReader.readConllU(data("ud-english-ewt/en_ewt-ud-train.conllu.gz"));
        assertEquals(12544, train.size());
        assertEquals(204577, tokens(train));
        Map<String, Integer> upos = new HashMap<>();
        for (TaggedSentence s : train) for (String t : s.tags()) upos.merge(t, 1, Integer::sum);
        assertEquals(17, upos.size());
        assertEquals(34751, upos.get("NOUN"));
        assertEquals(23596, upos.get("PUNCT"));
        assertEquals(400, upos.get("X"));
        List<TaggedSentence> dev = ConllReader.readConllU(data("ud-english-ewt/en_ewt-ud-dev.conllu.gz"));
        assertEquals(2001, dev.size());
        assertEquals(25147, tokens(dev));
        assertEquals("From the AP comes this story :", dev.get(0).text());
        assertEquals(List.of("ADP", "DET", "PROPN", "VERB", "DET", "NOUN", "PUNCT"), dev.get(0).tags());
        // sentence label: DET twice, the rest once -> DET
        LabelledSet s = ConllReader.sentenceSamples(dev, false);
        assertEquals("DET", s.classNames().get(s.items().get(0).label()));
    }

    @Test
    void conllUSkipsMultiwordAndEmptyNodes() throws Exception {
        String text = """
                # text = I don't know
                1\tI\tI\tPRON\tPRP\t_\t3\tnsubj\t_\t_
                2-3\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
                2\tdo\tdo\tAUX\tVBP\t_\t4\taux\t_\t_
                3\tn't\tnot\tPART\tRB\t_\t4\tadvmod\t_\t_
                3.1\tgone\tgo\tVERB\tVBN\t_\t_\t_\t_\t_
                4\tknow\tknow\tVERB\tVB\t_\t0\troot\t_\t_

                """;
        List<TaggedSentence> s = ConllReader.parseConllU(new StringReader(text), "inline");
        assertEquals(1, s.size());
        assertEquals(List.of("I", "do", "n't", "know"), s.get(0).tokens());
        assertEquals(List.of("PRON", "AUX", "PART", "VERB"), s.get(0).tags());
    }

    @Test
    void malformedInputNamesSourceAndLine() {
        var e1 = assertThrows(IllegalArgumentException.class,
                () -> ConllReader.parseConll(new StringReader("a\tO\nb O\n"), "x.conll"));
        assertTrue(e1.getMessage().startsWith("x.conll line 2:"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> ConllReader.parseConllU(new StringReader("# c\n1\tI\tI\tPRON\tPRP\t_\t0\troot\t_\n"), "y.conllu"));
        assertTrue(e2.getMessage().startsWith("y.conllu line 2:") && e2.getMessage().contains("10"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> ConllReader.parseConllU(new StringReader("x\tI\tI\tPRON\tPRP\t_\t0\troot\t_\t_\n"), "z.conllu"));
        assertTrue(e3.getMessage().startsWith("z.conllu line 1:"), e3.getMessage());
    }
}
