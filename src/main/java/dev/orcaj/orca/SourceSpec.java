package dev.orcaj.orca;

import dev.orcaj.data.text.ConllReader;
import dev.orcaj.data.text.LabelledSet;
import dev.orcaj.io.HeapBudget;
import dev.orcaj.io.tokenize.HfTokenizer;
import dev.orcaj.models.Body;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Which source proxy stage 2 aligns to (spec 3.1) and how to build it: the built-in WordNet glosses, a CoNLL/CoNLL-U
 * file (text bodies) or an image folder/zip (Swin). The values are those of the run flags of the same names, and
 * every error names its flag.
 *
 * @param source    wordnet | conll:FILE | conllu:FILE | images:DIR_OR_ZIP[#prefix]
 * @param classes   source classes (--source-classes)
 * @param samples   source examples (--source-samples)
 * @param seqLen    tokens per source text (--source-seq)
 * @param tokenizer tokenizer.json of a text body given on its own; null = the one in the body directory (built in for minilm, bge-small, e5-small)
 * @param cacheDir  where the features are cached; null = ~/.cache/orca-j
 */
public record SourceSpec(String source, int classes, int samples, int seqLen, Path tokenizer, Path cacheDir) {
    public static final String BUILTIN_BODY = "minilm";

    /** The defaults of {@code orca run}: 2000 WordNet glosses of 10 categories, 32 tokens each, default cache. */
    public static SourceSpec defaults() { return new SourceSpec("wordnet", 10, 2000, 32, null, null); }

    public SourceSpec {
        if (classes < 2) throw new IllegalArgumentException("--source-classes must be >= 2, got " + classes);
        if (samples < 1) throw new IllegalArgumentException("--source-samples must be >= 1, got " + samples);
        if (seqLen < 2) throw new IllegalArgumentException("--source-seq must be >= 2, got " + seqLen);
    }

    /**
     * The source proxy through {@code body}'s embedding layer; {@code bodyName} is the body's name as given (--body:
     * one {@link BodySource#parse} accepts); {@code seed} draws the sample; what is built is said on {@code log}.
     */
    public SourceFeatures features(Body body, String bodyName, long seed, PrintStream log) throws IOException {
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "orca-j");
        BodySource bodySource = BodySource.parse(bodyName);
        if (tokenizer != null && (bodySource.tokenizerBuiltIn() || body.modality() == Body.Modality.IMAGE)) {
            throw new IllegalArgumentException("--tokenizer " + tokenizer + " does not apply to --body " + bodyName
                    + (bodySource.tokenizerBuiltIn() ? " (its tokenizer is built in)" : " (an image body has no tokenizer)") + "; drop it");
        }
        if (body.modality() == Body.Modality.IMAGE) {
            if (!source.startsWith("images:")) {
                throw new IllegalArgumentException("--source " + source + ": an image body (Swin) needs an image source proxy, e.g. --source images:cifar10_train_jpg.zip#train/");
            }
            String spec = source.substring("images:".length());
            int hash = spec.indexOf('#');
            Path images = Path.of(hash < 0 ? spec : spec.substring(0, hash));
            log.println("source proxy: " + samples + " images from " + images + " through the Swin patch embedding");
            return SourceProxy.images(body, images, hash < 0 ? "" : spec.substring(hash + 1), samples, cache);
        }
        if (seqLen > body.sequenceLimit()) {
            throw new IllegalArgumentException("--source-seq " + seqLen + " exceeds the " + body.sequenceLimit() + " positions of --body " + bodyName + "; use at most " + body.sequenceLimit());
        }
        // SourceProxy.text embeds 256 texts at a time (token embeddings, positions, LayerNorm: ~3 float copies of
        // [256, seq, hidden]) and keeps one mean-pooled [hidden] row per text
        long batchBytes = 3L * Math.min(samples, 256) * seqLen * body.inputDim() * 4, featureBytes = 4L * samples * body.inputDim();
        HeapBudget.require(batchBytes + featureBytes, "the source proxy (--source-samples " + samples + ", --source-seq " + seqLen + ", hidden " + body.inputDim() + ")");
        BodySource.TokenizerRef own = tokenizer != null ? new BodySource.TokenizerRef(HfTokenizer.fromFile(tokenizer), SourceProxy.contentHash(tokenizer)) : bodySource.tokenizer();
        if (own == null) {
            throw new IllegalArgumentException("--body " + bodyName + ": the text source proxy needs the body's tokenizer: no " + Path.of(bodyName).resolve("tokenizer.json") + " (pass --tokenizer FILE)");
        }
        HfTokenizer tok = own.tokenizer();
        String tokenizerId = own.id();
        if (source.equals("wordnet")) {
            log.println("source proxy: WordNet 3.1 glosses, " + classes + " lexicographer categories, " + samples + " glosses");
            return SourceProxy.wordnet(body, tok, tokenizerId, classes, samples, seqLen, seed, cache);
        }
        int colon = source.indexOf(':');
        String kind = colon < 0 ? source : source.substring(0, colon);
        if (colon < 0 || !(kind.equals("conll") || kind.equals("conllu"))) throw new IllegalArgumentException("--source: expected wordnet, conll:FILE or conllu:FILE, got '" + source + "'");
        Path file = Path.of(source.substring(colon + 1));
        var sentences = kind.equals("conll") ? ConllReader.readConll(file) : ConllReader.readConllU(file);
        if (sentences.isEmpty()) throw new IllegalArgumentException("--source " + source + ": " + file + " holds no sentences (expected " + kind.toUpperCase(Locale.ROOT) + " rows)");
        LabelledSet all = ConllReader.sentenceSamples(sentences, kind.equals("conll"));
        if (all.classNames().size() < classes) {
            throw new IllegalArgumentException("--source " + source + ": " + file + " has " + all.classNames().size() + " sentence classes, fewer than --source-classes "
                    + classes + "; lower --source-classes to at most " + all.classNames().size());
        }
        LabelledSet set = all.topClasses(classes).balancedSample(samples, seed);
        return SourceProxy.text(body, tok, set, seqLen, source);
    }
}
