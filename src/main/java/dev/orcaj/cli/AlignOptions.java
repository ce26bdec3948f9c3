package dev.orcaj.cli;

import dev.orcaj.data.text.ConllReader;
import dev.orcaj.data.text.LabelledSet;
import dev.orcaj.models.Body;
import dev.orcaj.orca.SourceFeatures;
import dev.orcaj.orca.SourceProxy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Stage 2 (distribution alignment): the objective, its budget and the source proxy. */
public final class AlignOptions {
    @Option(names = "--objective", defaultValue = "otdd", description = "Stage-2 distance: otdd, otdd-gaussian, mmd, euclidean (default: ${DEFAULT-VALUE}).")
    String objective;
    @Option(names = "--align-epochs", defaultValue = "20", description = "Embedder epochs in stage 2 (default: ${DEFAULT-VALUE}).")
    int alignEpochs;
    @Option(names = "--max-samples", defaultValue = "64", description = "Target rows per class per stage-2 step (default: ${DEFAULT-VALUE}).")
    int maxSamples;
    @Option(names = "--source", defaultValue = "wordnet", description = "Source proxy: wordnet (built in), conll:FILE or conllu:FILE for text bodies; images:DIR_OR_ZIP[#prefix] (one sub-folder per class, e.g. CIFAR-10 train) for Swin (default: ${DEFAULT-VALUE}).")
    String source;
    @Option(names = "--source-classes", defaultValue = "10", description = "Source classes (default: ${DEFAULT-VALUE}).")
    int sourceClasses;
    @Option(names = "--source-samples", defaultValue = "2000", description = "Source texts (default: ${DEFAULT-VALUE}).")
    int sourceSamples;
    @Option(names = "--source-seq", defaultValue = "32", description = "Tokens per source text (default: ${DEFAULT-VALUE}).")
    int sourceSeq;
    @Option(names = "--tokenizer", description = "tokenizer.json of a text body (default: the one in the --body directory; built in for minilm, bge-small, e5-small).")
    Path tokenizer;
    @Option(names = "--cache-dir", description = "Where source-proxy features are cached (default: ~/.cache/orca-j).")
    Path cacheDir;

    /** Every stage-2 flag in its range, each error naming the flag (--source-seq is checked against the body later). */
    void check() {
        FlagChecks.atLeast("--align-epochs", alignEpochs, 0);
        FlagChecks.atLeast("--max-samples", maxSamples, 1);
        FlagChecks.atLeast("--source-classes", sourceClasses, 2);
        FlagChecks.atLeast("--source-samples", sourceSamples, 1);
        FlagChecks.atLeast("--source-seq", sourceSeq, 2);
    }

    /** The source proxy through {@code body}'s embedding layer; {@code bodyName} is the --body value. */
    SourceFeatures sourceFeatures(Body b, String bodyName, long seed) throws IOException {
        Path cache = cacheDir != null ? cacheDir : Path.of(System.getProperty("user.home"), ".cache", "orca-j");
        dev.orcaj.orca.BodySource bodySource = dev.orcaj.orca.BodySource.parse(bodyName);
        if (tokenizer != null && (bodySource.tokenizerBuiltIn() || b.modality() == Body.Modality.IMAGE)) {
            throw new IllegalArgumentException("--tokenizer " + tokenizer + " does not apply to --body " + bodyName
                    + (bodySource.tokenizerBuiltIn() ? " (its tokenizer is built in)" : " (an image body has no tokenizer)") + "; drop it");
        }
        if (b.modality() == Body.Modality.IMAGE) {
            if (!source.startsWith("images:")) {
                throw new IllegalArgumentException("--source " + source + ": an image body (Swin) needs an image source proxy, e.g. --source images:cifar10_train_jpg.zip#train/");
            }
            String spec = source.substring("images:".length());
            int hash = spec.indexOf('#');
            Path images = Path.of(hash < 0 ? spec : spec.substring(0, hash));
            System.out.println("source proxy: " + sourceSamples + " images from " + images + " through the Swin patch embedding");
            return SourceProxy.images(b, images, hash < 0 ? "" : spec.substring(hash + 1), sourceSamples, cache);
        }
        if (sourceSeq > b.sequenceLimit()) {
            throw new IllegalArgumentException("--source-seq " + sourceSeq + " exceeds the " + b.sequenceLimit() + " positions of --body " + bodyName + "; use at most " + b.sequenceLimit());
        }
        // SourceProxy.text embeds 256 texts at a time (token embeddings, positions, LayerNorm: ~3 float copies of
        // [256, seq, hidden]) and keeps one mean-pooled [hidden] row per text
        long batchBytes = 3L * Math.min(sourceSamples, 256) * sourceSeq * b.inputDim() * 4, featureBytes = 4L * sourceSamples * b.inputDim();
        dev.orcaj.io.HeapBudget.require(batchBytes + featureBytes, "the source proxy (--source-samples " + sourceSamples + ", --source-seq " + sourceSeq
                + ", hidden " + b.inputDim() + ")");
        dev.orcaj.orca.BodySource.TokenizerRef own = tokenizer != null
                ? new dev.orcaj.orca.BodySource.TokenizerRef(dev.orcaj.io.tokenize.HfTokenizer.fromFile(tokenizer), SourceProxy.contentHash(tokenizer)) : bodySource.tokenizer();
        if (own == null) {
            throw new IllegalArgumentException("--body " + bodyName + ": the text source proxy needs the body's tokenizer: no " + Path.of(bodyName).resolve("tokenizer.json") + " (pass --tokenizer FILE)");
        }
        dev.orcaj.io.tokenize.HfTokenizer tok = own.tokenizer();
        String tokenizerId = own.id();
        if (source.equals("wordnet")) {
            System.out.println("source proxy: WordNet 3.1 glosses, " + sourceClasses + " lexicographer categories, " + sourceSamples + " glosses");
            return SourceProxy.wordnet(b, tok, tokenizerId, sourceClasses, sourceSamples, sourceSeq, seed, cache);
        }
        int colon = source.indexOf(':');
        String kind = colon < 0 ? source : source.substring(0, colon);
        if (colon < 0 || !(kind.equals("conll") || kind.equals("conllu"))) throw new IllegalArgumentException("--source: expected wordnet, conll:FILE or conllu:FILE, got '" + source + "'");
        Path file = Path.of(source.substring(colon + 1));
        var sentences = kind.equals("conll") ? ConllReader.readConll(file) : ConllReader.readConllU(file);
        if (sentences.isEmpty()) throw new IllegalArgumentException("--source " + source + ": " + file + " holds no sentences (expected " + kind.toUpperCase(java.util.Locale.ROOT) + " rows)");
        LabelledSet all = ConllReader.sentenceSamples(sentences, kind.equals("conll"));
        if (all.classNames().size() < sourceClasses) {
            throw new IllegalArgumentException("--source " + source + ": " + file + " has " + all.classNames().size() + " sentence classes, fewer than --source-classes "
                    + sourceClasses + "; lower --source-classes to at most " + all.classNames().size());
        }
        LabelledSet set = all.topClasses(sourceClasses).balancedSample(sourceSamples, seed);
        return SourceProxy.text(b, tok, set, sourceSeq, source);
    }
}
